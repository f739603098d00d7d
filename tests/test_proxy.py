"""The proxy, against real Neuroglancer viewers on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from typing import Any

import pytest
from jupyter_server.utils import url_path_join
from tornado.simple_httpclient import HTTPTimeoutError, SimpleAsyncHTTPClient

from .conftest import (
    EXAMPLE_STATE,
    KEEPALIVE_INTERVAL,
    free_port,
    get_login_cookie,
    parse_viewer_url,
    proxy_parts,
    run_in_kernel,
    start_kernel,
)

STREAM_READ_SECONDS = 4.0
"""How long a test reads an (endless) event stream before its client hangs up."""


class EventStreamReader:
    """Reads a proxied server-sent-event stream with tornado's ``streaming_callback``."""

    def __init__(self) -> None:
        self.data = b""
        self.changed = asyncio.Event()

    def on_chunk(self, chunk: bytes) -> None:
        self.data += chunk
        self.changed.set()

    @property
    def events(self) -> list[dict[str, Any]]:
        """The ``data:`` messages received so far, parsed."""
        return [
            json.loads(line[len("data: ") :])
            for line in self.data.decode().splitlines()
            if line.startswith("data: ")
        ]

    async def wait_for(self, predicate, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate(self):
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"timed out; received so far: {self.data[-500:]!r}"
            self.changed.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.changed.wait(), remaining)


def open_event_stream(raw_fetch, server_url, record, cookie: str | None = None, token=None):
    """Start reading ``events/<token>`` through the proxy; returns (reader, fetch task)."""
    reader = EventStreamReader()
    params = {"c": "pytest-client", "gc": "", "gs": ""}
    if token:
        params["token"] = token
    url = server_url(*proxy_parts(record, f"events/{record['token']}"), params=params)
    headers = {"Cookie": cookie} if cookie else {}
    # The stream never ends: the client hangs up when its request times out.
    task = asyncio.ensure_future(
        raw_fetch(
            url,
            headers=headers,
            streaming_callback=reader.on_chunk,
            request_timeout=STREAM_READ_SECONDS,
        )
    )
    return reader, task


async def close_stream(task: asyncio.Future) -> None:
    """Wait for the client to hang up (its request times out)."""
    with pytest.raises(HTTPTimeoutError):
        await task


async def test_viewer_page_and_script(jp_fetch, hosted_viewer):
    record, _ = await hosted_viewer(state=EXAMPLE_STATE, name="page")
    page = await jp_fetch(*proxy_parts(record))
    assert page.code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    html = page.body.decode()
    assert "<script" in html
    scripts = re.findall(r'src="([^"]+\.js)"', html)
    assert scripts, html[:500]
    main = next((name for name in scripts if "main" in name), scripts[-1])
    script = await jp_fetch(*proxy_parts(record, f"v/{record['token']}/{main}"))
    assert script.code == 200
    assert "javascript" in script.headers["Content-Type"]
    assert len(script.body) > 1_000_000  # the whole client, streamed through
    # Jupyter's own framing policy applies; no hop-by-hop or cookie header comes through.
    assert "frame-ancestors 'self'" in script.headers["Content-Security-Policy"]
    assert "Set-Cookie" not in script.headers or "username" in script.headers["Set-Cookie"]


async def test_event_stream_follows_python(raw_fetch, server_url, hosted_viewer, jp_serverapp):
    record, viewer = await hosted_viewer(state=EXAMPLE_STATE)
    token = jp_serverapp.identity_provider.token
    reader, task = open_event_stream(raw_fetch, server_url, record, token=token)
    try:
        await reader.wait_for(lambda r: any(e["k"] == "s" for e in r.events))
        first = next(e for e in reader.events if e["k"] == "s")
        assert first["s"]["position"] == [10, 20, 30]
        with viewer.txn() as state:
            state.position = [11, 22, 33]
        await reader.wait_for(
            lambda r: any(
                e["k"] == "s" and e["s"].get("position") == [11, 22, 33] for e in r.events
            )
        )
    finally:
        await close_stream(task)


async def test_idle_event_stream_gets_keepalive_comments(
    raw_fetch, server_url, hosted_viewer, jp_serverapp
):
    record, _ = await hosted_viewer(state=EXAMPLE_STATE)
    reader, task = open_event_stream(
        raw_fetch, server_url, record, token=jp_serverapp.identity_provider.token
    )
    try:
        await reader.wait_for(lambda r: len(r.events) >= 2)
        started = time.monotonic()
        await reader.wait_for(lambda r: b": keep-alive\n\n" in r.data, timeout=10)
        assert time.monotonic() - started >= KEEPALIVE_INTERVAL * 0.8
        # Comments sit between events: every event still parses.
        assert all("k" in event for event in reader.events)
    finally:
        await close_stream(task)


async def test_browser_leaving_closes_the_upstream_stream(
    server_url, server_origin, hosted_viewer, jp_auth_header
):
    record, viewer = await hosted_viewer(state=EXAMPLE_STATE)

    def watchers() -> int:
        # Neuroglancer's event handler registers a change callback per open stream.
        return len(viewer.shared_state._ChangeNotifier__changed_callbacks)

    before = watchers()
    # A raw connection, so that the test can hang up like a browser closing its tab.
    host, port = server_origin.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    path = server_url(
        *proxy_parts(record, f"events/{record['token']}"), params={"c": "x", "gc": "", "gs": ""}
    )
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: {jp_auth_header['Authorization']}\r\n\r\n".encode()
    )
    await writer.drain()
    received = b""
    while b"data: " not in received:
        received += await asyncio.wait_for(reader.read(65536), 10)
    assert received.startswith(b"HTTP/1.1 200")
    assert watchers() == before + 1
    writer.close()
    closed_at = time.monotonic()
    while watchers() != before and time.monotonic() - closed_at < 5:
        await asyncio.sleep(0.01)
    assert watchers() == before
    # Promptly: well before the next keep-alive write would have noticed the closed socket.
    assert time.monotonic() - closed_at < KEEPALIVE_INTERVAL / 2


def _state_post(viewer, position: list[int]) -> str:
    return json.dumps(
        {
            "pg": viewer.shared_state.state_generation,
            "g": f"gen-{position[0]}",
            "c": "pytest-client",
            "s": {**EXAMPLE_STATE, "position": position},
        }
    )


async def test_state_post_same_origin_applied_cross_origin_refused(
    raw_fetch, server_url, hosted_viewer, jp_fetch, server_origin
):
    record, viewer = await hosted_viewer(state=EXAMPLE_STATE)
    login_cookie = await get_login_cookie(jp_fetch)
    url = server_url(*proxy_parts(record, f"state/{record['token']}"))

    response = await raw_fetch(
        url,
        method="POST",
        body=_state_post(viewer, [1, 2, 3]),
        headers={"Cookie": login_cookie, "Origin": server_origin},
    )
    assert response.code == 200, response.body
    assert "g" in json.loads(response.body)
    assert list(viewer.state.position) == [1, 2, 3]

    response = await raw_fetch(
        url,
        method="POST",
        body=_state_post(viewer, [4, 5, 6]),
        headers={"Cookie": login_cookie, "Sec-Fetch-Site": "same-origin"},
    )
    assert response.code == 200, response.body
    assert list(viewer.state.position) == [4, 5, 6]

    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
        {},  # a cookie-authenticated POST that says nothing about where it comes from
    ):
        response = await raw_fetch(
            url,
            method="POST",
            body=_state_post(viewer, [7, 8, 9]),
            headers={"Cookie": login_cookie, **headers},
        )
        assert response.code == 403, headers
        error = json.loads(response.body)
        assert error["code"] == 403
        assert "another site" in error["message"]
    assert list(viewer.state.position) == [4, 5, 6]


async def test_unregistered_id_is_404_json(api, jp_fetch, hosted_viewer):
    record, _ = await hosted_viewer(state=EXAMPLE_STATE)
    for parts in (
        ["neuroglancer", "proxy", "no-such-viewer", f"v/{record['token']}/"],
        ["neuroglancer", "proxy", "no-such-viewer"],
    ):
        with pytest.raises(Exception) as raised:
            await jp_fetch(*parts)
        response = raised.value.response
        assert response.code == 404
        error = json.loads(response.body)
        assert error["code"] == 404
        assert "Open the viewer again" in error["message"]


@pytest.mark.parametrize(
    "rest",
    [
        "v/{other}/",  # another viewer of the same server
        "events/{other}",
        "neuroglancer/info/{other}.abc",
        "neuroglancer/info/{token}",  # a key must be <token>.<volume>
        "v/{token}/../../events/{other}",
        "v/{token}/%2e%2e/%2e%2e/events/{other}",
        "v/{token}/%252e%252e/",
        "events/{token}/extra",
        "socket/{token}",
        "",
    ],
)
async def test_paths_of_other_viewers_are_refused(
    raw_fetch, server_url, hosted_viewer, jp_auth_header, rest
):
    record, _ = await hosted_viewer(state=EXAMPLE_STATE)
    other, _ = await hosted_viewer(state=EXAMPLE_STATE)
    path = rest.format(token=record["token"], other=other["token"])
    base = server_url("neuroglancer", "proxy", record["id"])
    response = await raw_fetch(f"{base}/{path}", headers=jp_auth_header)
    assert response.code == 404, (path, response.body)
    assert json.loads(response.body)["code"] == 404


async def test_demo_data_routes(jp_fetch, hosted_viewer):
    record, viewer = await hosted_viewer(demo=True)
    assert record["name"] == "Neuroglancer demo"
    keys = {
        layer.name: layer.source[0].url.split("python://volume/", 1)[1]
        for layer in viewer.state.layers
    }
    info = await jp_fetch(*proxy_parts(record, f"neuroglancer/info/{keys['em']}"))
    assert json.loads(info.body)["dataType"] == "uint8"
    chunk = await jp_fetch(
        *proxy_parts(record, f"neuroglancer/npz/{keys['em']}/1,1,1/0,0,0/32,32,32")
    )
    assert chunk.code == 200 and len(chunk.body) > 0
    segments = sorted(int(s) for s in viewer.state.layers["segmentation"].segments)
    mesh = await jp_fetch(
        *proxy_parts(record, f"neuroglancer/mesh/{keys['segmentation']}/{segments[0]}")
    )
    assert mesh.code == 200 and len(mesh.body) > 0


async def test_dead_viewer_is_502_json(
    api, neuroglancer_ext, raw_fetch, server_url, jp_auth_header
):
    from jupyterlab_neuroglancer.server.registry import server_owner

    record, _ = neuroglancer_ext.registry.add(
        port=free_port(), token="deadbeef", name="gone", owner=server_owner()
    )
    url = server_url(*proxy_parts(record.to_json()))
    response = await raw_fetch(url, headers=jp_auth_header)
    assert response.code == 502
    error = json.loads(response.body)
    assert error == {
        "code": 502,
        "message": "The Neuroglancer viewer server for 'gone' is not answering: its kernel may "
        "have restarted or stopped. Re-run the code that created the viewer, or open it again.",
    }
    # The server keeps working.
    status, _ = await api("GET", "version")
    assert status == 200


async def test_large_chunk_streams_with_little_memory(
    jp_serverapp, api, server_origin, server_url, jp_auth_header
):
    """A 130 MiB chunk from a kernel's viewer passes without being held in memory."""
    import threading

    import psutil

    kernel_id, client = await start_kernel(jp_serverapp)
    try:
        output = await run_in_kernel(
            client,
            "import numpy as np, neuroglancer\n"
            "data = np.random.default_rng(0).integers(0, 256, (520, 512, 512), dtype=np.uint8)\n"
            "v = neuroglancer.Viewer()\n"
            "with v.txn() as s:\n"
            "    s.layers['big'] = neuroglancer.ImageLayer(source=neuroglancer.LocalVolume(\n"
            "        data, dimensions=neuroglancer.CoordinateSpace(\n"
            "            names=['z', 'y', 'x'], units='nm', scales=[1, 1, 1])))\n"
            "print(v.get_viewer_url())\n"
            "print(v.state.layers['big'].source[0].url)\n",
        )
        port, token = parse_viewer_url(output)
        source = re.search(r"python://volume/\S+", output)
        assert source, output
        source = source.group(0)
        status, record = await api(
            "POST",
            "viewers",
            body={"kernel_id": kernel_id, "port": int(port), "token": token, "name": "big"},
        )
        assert status == 201, record
        key = source.split("python://volume/", 1)[1]
        url = server_url(*proxy_parts(record, f"neuroglancer/npz/{key}/1,1,1/0,0,0/520,512,512"))

        process = psutil.Process()
        baseline = process.memory_info().rss
        peak = baseline
        sampling = True

        def sample() -> None:
            nonlocal peak
            while sampling:
                peak = max(peak, process.memory_info().rss)
                time.sleep(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        received = 0

        def count(chunk: bytes) -> None:
            nonlocal received
            received += len(chunk)

        # The test server's client refuses bodies over 100 MiB: use one that takes them.
        big_client = SimpleAsyncHTTPClient(force_instance=True, max_body_size=2**31)
        try:
            response = await big_client.fetch(
                server_origin + url,
                headers=jp_auth_header,
                streaming_callback=count,
                request_timeout=120,
            )
        finally:
            sampling = False
            sampler.join()
            big_client.close()
        assert response.code == 200
        assert received > 128 * 2**20
        assert int(response.headers["Content-Length"]) == received
        assert peak - baseline < 40 * 2**20, f"grew by {(peak - baseline) / 2**20:.0f} MiB"
    finally:
        client.stop_channels()


class TestPrefixedBaseUrl:
    """Everything works under a base_url with a prefix, as on JupyterHub."""

    @pytest.fixture
    def jp_base_url(self):
        return "/user/alice/"

    async def test_viewer_under_prefix(self, jp_fetch, api, hosted_viewer, jp_base_url):
        record, viewer = await hosted_viewer(state=EXAMPLE_STATE)
        assert record["url"] == f"neuroglancer/proxy/{record['id']}/v/{viewer.token}/"
        page = await jp_fetch(record["url"])
        assert page.code == 200
        assert url_path_join(jp_base_url, record["url"]) in page.effective_url
        status, listed = await api("GET", "viewers")
        assert status == 200 and [v["id"] for v in listed["viewers"]] == [record["id"]]


async def test_upstream_breaking_off_breaks_off_the_response(
    api, neuroglancer_ext, raw_fetch, server_url, jp_auth_header
):
    """A viewer server that dies mid-body must not look like a complete (short) response."""
    from jupyterlab_neuroglancer.server.registry import server_owner

    async def half_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
            b"Content-Length: 100000\r\n\r\n" + b"x" * 1000
        )
        await writer.drain()
        writer.close()

    upstream = await asyncio.start_server(half_answer, "127.0.0.1", 0)
    try:
        port = upstream.sockets[0].getsockname()[1]
        record, _ = neuroglancer_ext.registry.add(
            port=port, token="abc", name="half", owner=server_owner()
        )
        url = server_url(*proxy_parts(record.to_json(), "v/abc/data"))
        with pytest.raises(Exception) as raised:
            response = await raw_fetch(url, headers=jp_auth_header)
            raise AssertionError(f"a broken-off body was passed on as complete: {response}")
        assert not isinstance(raised.value, AssertionError), raised.value
    finally:
        upstream.close()
        await upstream.wait_closed()
    assert (await api("GET", "version"))[0] == 200


async def test_connections_to_the_viewer_server_are_reused(jp_fetch, hosted_viewer):
    """Keep-alive: many proxied requests share a few connections to the viewer server."""
    import psutil

    record, viewer = await hosted_viewer(state=EXAMPLE_STATE)
    port, _ = parse_viewer_url(viewer.get_viewer_url())
    for _ in range(20):
        response = await jp_fetch(*proxy_parts(record))
        assert response.code == 200
    to_viewer = [
        connection
        for connection in psutil.Process().net_connections("tcp")
        if connection.raddr
        and connection.raddr.port == port
        and connection.status == psutil.CONN_ESTABLISHED
    ]
    assert 1 <= len(to_viewer) <= 2, to_viewer
