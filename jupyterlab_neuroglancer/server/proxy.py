"""The reverse proxy: ``<base_url>/neuroglancer/proxy/<id>/<rest>`` → the viewer's server.

A viewer's Neuroglancer server listens on the loopback interface of the machine that runs the
Jupyter server (in a kernel, or in this process). The browser reaches it only through this
handler, which

- forwards registered viewers only, to loopback only, and only the paths of that viewer;
- streams every response body chunk by chunk, waiting for the browser to take each one
  (so a 100 MiB chunk passes with little memory), and the endless ``events/<token>``
  server-sent-event stream event by event, with comment lines when it is idle so that
  intermediaries do not cut it;
- drops hop-by-hop headers and the browser's credentials (Jupyter's cookie, token, XSRF token);
- closes the upstream request as soon as the browser goes away;
- replaces Jupyter's XSRF check (Neuroglancer's client sends no XSRF token) with a same-origin
  check.

Login and authorization are enforced in ``prepare()`` for every method.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

import aiohttp
from jupyter_core.utils import ensure_async
from jupyter_server._tz import utcnow
from jupyter_server.auth.utils import HTTP_METHOD_TO_AUTH_ACTION
from tornado import httputil, iostream, web
from yarl import URL

from . import AUTH_RESOURCE
from .base_handler import NeuroglancerPageHandler
from .ownership import kernel_pid, url_host
from .viewer_paths import belongs_to_viewer

if TYPE_CHECKING:
    from .registry import ViewerRecord, ViewerRegistry
    from .upstream import UpstreamClient

HOP_BY_HOP_HEADERS = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)
"""Headers that describe one connection, not the message: never forwarded either way."""

BROWSER_CREDENTIAL_HEADERS = frozenset(
    {"cookie", "authorization", "x-xsrftoken", "x-csrftoken", "x-xsrf-token"}
)
"""The browser's Jupyter credentials: the viewer server has no use for them."""

_NOT_FORWARDED_REQUEST_HEADERS = (
    HOP_BY_HOP_HEADERS
    | BROWSER_CREDENTIAL_HEADERS
    | {
        "host",  # set by the HTTP client for the viewer server
        "content-length",  # recomputed from the body that is sent
        "referer",  # may carry Jupyter's token in its query
    }
)

_NOT_FORWARDED_RESPONSE_HEADERS = HOP_BY_HOP_HEADERS | {
    "set-cookie",  # a viewer must not set cookies on Jupyter's origin
}

_NO_BODY_STATUSES = frozenset({204, 304})

_EVENT_BOUNDARIES = (b"\n\n", b"\r\n\r\n")

KEEPALIVE_COMMENT = b": keep-alive\n\n"
"""Written on an idle event stream; an SSE comment line, ignored by ``EventSource``."""

ACTIVITY_SETTING = "neuroglancer_last_activity"
"""Jupyter counts settings ending in ``_last_activity`` when it decides the server is idle."""


def _connection_named_headers(headers: Any) -> set[str]:
    """Header names listed in ``Connection`` (hop-by-hop by declaration)."""
    names: set[str] = set()
    for value in headers.get_list("Connection"):
        names.update(part.strip().lower() for part in value.split(",") if part.strip())
    return names


def upstream_request_headers(headers: httputil.HTTPHeaders) -> list[tuple[str, str]]:
    """The browser's request headers that go on to the viewer server."""
    dropped = _NOT_FORWARDED_REQUEST_HEADERS | _connection_named_headers(headers)
    return [(name, value) for name, value in headers.get_all() if name.lower() not in dropped]


def downstream_response_headers(headers: Any) -> list[tuple[str, str]]:
    """The viewer server's response headers that go on to the browser."""
    dropped = set(_NOT_FORWARDED_RESPONSE_HEADERS)
    for value in headers.getall("Connection", []):
        dropped.update(part.strip().lower() for part in value.split(",") if part.strip())
    return [(name, value) for name, value in headers.items() if name.lower() not in dropped]


def upstream_query(query: str) -> str:
    """The raw query string minus Jupyter's ``token`` parameter (the viewer never needs it)."""
    if not query:
        return ""
    kept = [part for part in query.split("&") if part and part.split("=", 1)[0] != "token"]
    return "&".join(kept)


def dead_viewer_message(name: str) -> str:
    """The sentence for a viewer whose server does not answer."""
    return (
        f"The Neuroglancer viewer server for '{name}' is not answering: its kernel may have "
        "restarted or stopped. Re-run the code that created the viewer, or open it again."
    )


class ViewerProxyHandler(NeuroglancerPageHandler):
    """Forward ``proxy/<id>/<rest>`` to the registered viewer ``<id>``."""

    SUPPORTED_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")

    def initialize(
        self,
        registry: ViewerRegistry,
        upstream: UpstreamClient,
        keepalive_interval: float,
    ) -> None:
        """Receive the shared registry and HTTP client from the extension."""
        self.registry = registry
        self.upstream = upstream
        self.keepalive_interval = keepalive_interval
        self._upstream_request: asyncio.Future[aiohttp.ClientResponse] | None = None
        self._upstream_response: aiohttp.ClientResponse | None = None
        self._browser_gone = False

    # -- authentication, authorization, XSRF ---------------------------------------------------

    async def prepare(self) -> None:  # type: ignore[override]
        """Require a logged-in user whom the authorizer allows on ``neuroglancer``."""
        await super().prepare(_redirect_to_login=False)
        user = self.current_user
        if not user:
            raise web.HTTPError(
                403, "You are not logged in to Jupyter. Log in and open the viewer again."
            )
        action = HTTP_METHOD_TO_AUTH_ACTION.get(self.request.method or "GET", "write")
        allowed = await ensure_async(
            self.authorizer.is_authorized(self, user, action, AUTH_RESOURCE)
        )
        if not allowed:
            raise web.HTTPError(
                403,
                f"You are not allowed to {action} Neuroglancer viewers on this Jupyter server. "
                "Ask the server's administrator for access.",
            )

    def check_xsrf_cookie(self) -> None:
        """Same-origin check in place of the XSRF token Neuroglancer's client never sends.

        Accepted: token-authenticated requests (no cookie, so no cross-site forgery), requests
        the browser marks ``Sec-Fetch-Site: same-origin``, and requests whose ``Origin`` matches
        the ``Host`` (or the server's allowed origins). Anything else is refused with 403.
        """
        if not hasattr(self, "_jupyter_current_user"):
            return  # called by tornado before prepare(); prepare() calls it again
        if self.token_authenticated or self.settings.get("disable_check_xsrf", False):
            return
        if self.request.headers.get("Sec-Fetch-Site", "").lower() == "same-origin":
            return
        origin = self.request.headers.get("Origin")
        if origin and origin.lower() != "null" and self.check_origin():
            return
        if self.get_argument("_xsrf", None) or self.request.headers.get("X-XSRFToken"):
            # A request that does carry Jupyter's XSRF token is checked the usual way.
            super().check_xsrf_cookie()
            return
        self.log.warning(
            "Refused a cross-origin %s to a Neuroglancer viewer (Origin: %s, Host: %s)",
            self.request.method,
            origin,
            self.request.headers.get("Host"),
        )
        raise web.HTTPError(
            403,
            "This request to a Neuroglancer viewer came from another site and was refused. "
            "Open the viewer from JupyterLab itself.",
        )

    def compute_etag(self) -> str | None:
        """No Etag of our own: the viewer server's headers are passed on as they are."""
        return None

    # -- the methods (all the same) -----------------------------------------------------------

    @web.authenticated
    async def _serve(self, viewer_id: str, rest: str | None = None) -> None:
        await self._forward(viewer_id, rest or "")

    get = head = post = put = delete = patch = options = _serve

    # -- forwarding ----------------------------------------------------------------------------

    def _check_kernel_alive(self, record: ViewerRecord) -> None:
        """Refuse a kernel viewer whose kernel has stopped or restarted since it was accepted."""
        kernel_id = record.kernel_id
        if kernel_id is None:
            return
        try:
            pid = kernel_pid(self.kernel_manager, kernel_id)
        except Exception:  # unknown kernel, or one that is shutting down
            pid = None
        if pid is None or pid != record.kernel_pid:
            raise web.HTTPError(502, dead_viewer_message(record.name))

    async def _forward(self, viewer_id: str, rest: str) -> None:
        """Forward this request to ``rest`` (already percent-decoded once by tornado).

        ``rest`` is checked after decoding and forwarded as checked: it then holds only
        characters that need no escaping, so what the viewer server sees is what was checked.
        """
        record = self.registry.get(viewer_id)
        if record is None:
            raise web.HTTPError(
                404,
                f"No Neuroglancer viewer is open under the id '{viewer_id}': it may have been "
                "closed, or the Jupyter server restarted. Open the viewer again.",
            )
        if not belongs_to_viewer(rest, record.token):
            raise web.HTTPError(
                404,
                f"This address is not part of the Neuroglancer viewer '{record.name}'. "
                "Open the viewer from JupyterLab instead of editing its address.",
            )
        self._check_kernel_alive(record)
        self.settings[ACTIVITY_SETTING] = utcnow()

        url = URL.build(
            scheme="http",
            host=url_host(record.host),
            port=record.port,
            path="/" + rest,
            query_string=upstream_query(self.request.query),
            encoded=True,
        )
        method = self.request.method or "GET"
        body = self.request.body if self.request.body else None
        session = self.upstream.session()
        self._upstream_request = asyncio.ensure_future(
            session.request(
                method,
                url,
                headers=upstream_request_headers(self.request.headers),
                data=body,
                allow_redirects=False,
            )
        )
        try:
            response = await self._upstream_request
        except asyncio.CancelledError:
            if self._browser_gone:
                return  # the browser left before the viewer server answered
            raise
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            self.log.info("Neuroglancer viewer %s did not answer %s: %s", viewer_id, url, error)
            raise web.HTTPError(502, dead_viewer_message(record.name)) from error
        self._upstream_response = response
        try:
            await self._relay(response, method)
        finally:
            self._upstream_response = None
            if self._browser_gone:
                response.close()
            else:
                # Back to the pool when the body was read to its end, closed otherwise.
                response.release()
            self.settings[ACTIVITY_SETTING] = utcnow()

    async def _relay(self, response: aiohttp.ClientResponse, method: str) -> None:
        """Pass the viewer server's response on to the browser."""
        self.set_status(response.status, response.reason or None)
        self.clear_header("Content-Type")  # only the viewer server's own, if it sends one
        forwarded: set[str] = set()
        for name, value in downstream_response_headers(response.headers):
            if name.lower() in forwarded:
                self.add_header(name, value)  # a repeated header keeps all its values
            else:
                self.set_header(name, value)  # replaces any default of Jupyter's
                forwarded.add(name.lower())
        if self._browser_gone:
            return
        if method == "HEAD" or response.status in _NO_BODY_STATUSES or response.status < 200:
            self.finish()
            return
        content_type = response.headers.get("Content-Type", "")
        is_event_stream = content_type.split(";", 1)[0].strip().lower() == "text/event-stream"
        try:
            await self.flush()  # headers now: an event stream may not send anything for a while
            if is_event_stream:
                await self._relay_events(response)
            else:
                await self._relay_body(response)
        except iostream.StreamClosedError:
            self._browser_gone = True
            return
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            if self._browser_gone:
                return
            # The viewer server broke off mid-body: break off too, so that the browser does
            # not take a truncated body for a complete one.
            self.log.info("Neuroglancer viewer response broke off: %s", error)
            self.request.connection.close()  # type: ignore[union-attr]
            self._finished = True
            return
        if not self._browser_gone:
            self.finish()

    async def _relay_body(self, response: aiohttp.ClientResponse) -> None:
        """Stream a finite body, one chunk at a time, waiting for the browser to take each."""
        while True:
            chunk = await response.content.readany()
            if not chunk:
                return
            self.write(chunk)
            await self.flush()

    async def _relay_events(self, response: aiohttp.ClientResponse) -> None:
        """Stream server-sent events as they come; write a comment line when idle."""
        at_boundary = True
        pending: asyncio.Future[bytes] | None = None
        try:
            while True:
                if pending is None:
                    pending = asyncio.ensure_future(response.content.readany())
                done, _ = await asyncio.wait({pending}, timeout=self.keepalive_interval)
                if not done:
                    if at_boundary:  # never inside an event that is only half here
                        self.write(KEEPALIVE_COMMENT)
                        await self.flush()
                        self.settings[ACTIVITY_SETTING] = utcnow()
                    continue
                chunk = pending.result()
                pending = None
                if not chunk:
                    return
                self.write(chunk)
                await self.flush()
                at_boundary = chunk.endswith(_EVENT_BOUNDARIES)
        finally:
            if pending is not None and not pending.done():
                pending.cancel()
                with contextlib.suppress(BaseException):
                    await pending

    def on_connection_close(self) -> None:
        """The browser went away: drop the upstream request or response at once."""
        self._browser_gone = True
        if self._upstream_request is not None and not self._upstream_request.done():
            self._upstream_request.cancel()
        if self._upstream_response is not None:
            self._upstream_response.close()
        super().on_connection_close()
