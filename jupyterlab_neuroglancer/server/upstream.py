"""The HTTP client the proxy uses to reach the viewers' Neuroglancer servers on loopback.

One ``aiohttp.ClientSession`` is shared by every request: it keeps a pool of keep-alive
connections to each viewer server, which is what makes a viewer that loads hundreds of chunks
fast (tornado's simple client opens a new connection per request). Bodies are passed through
untouched (no decompression) and no total timeout applies (the event stream never ends).
"""

from __future__ import annotations

import asyncio

import aiohttp


class UpstreamClient:
    """Owns the shared ``aiohttp.ClientSession``, created on first use inside the event loop."""

    def __init__(self, *, connect_timeout: float, pool_size: int = 100) -> None:
        self.connect_timeout = connect_timeout
        self.pool_size = pool_size
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def timeout(self) -> aiohttp.ClientTimeout:
        """Bounded connection set-up, unbounded reading (event streams never end)."""
        return aiohttp.ClientTimeout(
            total=None, connect=self.connect_timeout, sock_connect=self.connect_timeout
        )

    def session(self) -> aiohttp.ClientSession:
        """The shared session (created on the running event loop the first time)."""
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            connector = aiohttp.TCPConnector(
                limit=self.pool_size,
                limit_per_host=self.pool_size,
                keepalive_timeout=30,
                # Viewer servers are reached by IP address only; no DNS lookups to cache.
                use_dns_cache=False,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=self.timeout,
                auto_decompress=False,
                # Never keep cookies between requests of different browser sessions.
                cookie_jar=aiohttp.DummyCookieJar(),
                # Do not add aiohttp's own User-Agent/Accept headers to forwarded requests.
                skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding"),
            )
            self._loop = loop
        return self._session

    async def close(self) -> None:
        """Close the session and its pooled connections."""
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()
