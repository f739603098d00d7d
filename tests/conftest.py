"""Fixtures for the server extension's tests: a real Jupyter server with the extension on it.

Viewers are real ``neuroglancer.Viewer`` objects on loopback: in this process (server-hosted
viewers, since the test server runs in the test process) or in real kernels.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from jupyter_server.utils import url_path_join
from tornado.httpclient import HTTPClientError, HTTPResponse

pytest_plugins = ["pytest_jupyter.jupyter_server"]


def pytest_configure(config: pytest.Config) -> None:
    """Let pytest-jupyter, not pytest-asyncio, run the coroutine tests.

    pytest-jupyter serves the test server on its own event loop and runs every coroutine test
    there. pytest-asyncio's "auto" mode would run them on another loop, where requests to the
    test server never get an answer (they time out).
    """
    if getattr(config.option, "asyncio_mode", "unset") is None:
        config.option.asyncio_mode = "strict"


KEEPALIVE_INTERVAL = 1.0
"""Seconds of silence before the proxy writes a comment line on an event stream (tests)."""


@pytest.fixture
def jp_server_config(jp_server_config):
    """The extension enabled on a server that requires authentication everywhere."""
    return {
        "ServerApp": {
            # Terminals are not needed here (pytest-jupyter adds them unless told not to).
            "jpserver_extensions": {
                "jupyterlab_neuroglancer": True,
                "jupyter_server_terminals": False,
            },
            # Test against a server which requires authentication on all endpoints.
            "allow_unauthenticated_access": False,
        },
        "NeuroglancerExtension": {
            "keepalive_interval": KEEPALIVE_INTERVAL,
            "upstream_connect_timeout": 5.0,
            "probe_timeout": 10.0,
        },
    }


@pytest.fixture
def neuroglancer_ext(jp_serverapp):
    """The running ``NeuroglancerExtension`` (registry, hosted viewers...)."""
    return jp_serverapp.web_app.settings["jupyterlab_neuroglancer"]


ApiCall = Callable[..., Awaitable[tuple[int, Any]]]


@pytest.fixture
def api(jp_fetch) -> ApiCall:
    """``await api(method, "viewers", ..., body=...)`` → ``(status, parsed JSON or None)``."""

    async def call(method: str, *parts: str, body: Any = None, headers=None) -> tuple[int, Any]:
        kwargs: dict[str, Any] = {"method": method, "headers": headers}
        if body is not None:
            kwargs["body"] = body if isinstance(body, str) else json.dumps(body)
        elif method in ("POST", "PUT", "PATCH"):
            kwargs["body"] = ""
        try:
            response = await jp_fetch("neuroglancer", "api", *parts, **kwargs)
        except HTTPClientError as error:
            response = error.response
            assert response is not None, error
        text = response.body.decode() if response.body else ""
        return response.code, (json.loads(text) if text else None)

    return call


@pytest.fixture
def server_url(jp_base_url) -> Callable[..., str]:
    """``server_url("neuroglancer", "proxy", ...)`` → the path (and query) on the test server."""

    def make(*parts: str, params: dict[str, str] | None = None) -> str:
        query = f"?{urlencode(params)}" if params else ""
        return url_path_join(jp_base_url, *parts) + query

    return make


@pytest.fixture
def raw_fetch(http_server_client) -> Callable[..., Awaitable[HTTPResponse]]:
    """Fetch a path of the test server with exactly the headers given: no token, no raising."""

    async def fetch(path: str, **kwargs: Any) -> HTTPResponse:
        kwargs.setdefault("request_timeout", 30)
        kwargs.setdefault("follow_redirects", False)
        kwargs.setdefault("raise_error", False)
        return await http_server_client.fetch(path, **kwargs)

    return fetch


@pytest.fixture
def server_origin(http_server_client) -> str:
    """The test server's origin, as a browser's ``Origin`` header gives it."""
    return f"http://127.0.0.1:{http_server_client.get_http_port()}"


async def get_login_cookie(jp_fetch) -> str:
    """A ``Cookie`` header value that logs in without the token (as a browser does)."""
    response = await jp_fetch("neuroglancer", "api", "version")
    cookies = [value.split(";", 1)[0] for value in response.headers.get_list("Set-Cookie")]
    assert cookies, "a token-authenticated request should set the login cookie"
    return "; ".join(cookies)


@pytest.fixture
def hosted_viewer(api, neuroglancer_ext):
    """``await hosted_viewer(state=..., name=...)`` → ``(record, neuroglancer.Viewer)``."""

    async def create(**body: Any):
        status, record = await api("POST", "hosted-viewers", body=body)
        assert status == 201, record
        viewer = neuroglancer_ext.hosted.get(record["id"])
        assert viewer is not None
        return record, viewer

    return create


def free_port() -> int:
    """A loopback port nobody listens on (closed again right away)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proxy_parts(record: dict[str, Any], rest: str = "") -> list[str]:
    """Path parts of ``rest`` proxied for ``record`` (``rest`` "" = the viewer page)."""
    return ["neuroglancer", "proxy", record["id"], rest or f"v/{record['token']}/"]


EXAMPLE_STATE = {
    "dimensions": {"x": [1e-9, "m"], "y": [1e-9, "m"], "z": [1e-9, "m"]},
    "position": [10, 20, 30],
    "layout": "xy",
}


async def start_kernel(serverapp) -> tuple[str, Any]:
    """Start a Python kernel through the server's kernel manager; return (id, ready client)."""
    kernel_id = await serverapp.kernel_manager.start_kernel()
    client = serverapp.kernel_manager.get_kernel(kernel_id).client()
    client.start_channels()
    await client.wait_for_ready(timeout=60)
    return kernel_id, client


async def run_in_kernel(client, code: str, timeout: float = 60) -> str:
    """Execute ``code`` in the kernel; return what it printed, or fail with its traceback."""
    printed: list[str] = []
    errors: list[str] = []

    def on_output(message: dict[str, Any]) -> None:
        content = message["content"]
        if message["msg_type"] == "stream":
            printed.append(content["text"])
        elif message["msg_type"] == "error":
            errors.append("\n".join(content["traceback"]))

    reply = await client.execute_interactive(code, output_hook=on_output, timeout=timeout)
    assert reply["content"]["status"] == "ok", "\n".join(errors)
    return "".join(printed)


KERNEL_VIEWER_CODE = "import neuroglancer\nv = neuroglancer.Viewer()\nprint(v.get_viewer_url())\n"
"""Creates a viewer in a kernel and prints its URL ``http://127.0.0.1:<port>/v/<token>/``."""


def parse_viewer_url(url: str) -> tuple[int, str]:
    """``(port, token)`` of a viewer URL printed by a kernel."""
    match = re.search(r"http://127\.0\.0\.1:(\d+)/v/([^/\s]+)/", url)
    assert match, url
    return int(match.group(1)), match.group(2)
