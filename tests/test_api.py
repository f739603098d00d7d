"""The JSON API: viewers registry, kernel ownership checks, server-hosted viewers, version."""

from __future__ import annotations

import json
import urllib.parse

import neuroglancer
import pytest

import jupyterlab_neuroglancer

from .conftest import (
    EXAMPLE_STATE,
    KERNEL_VIEWER_CODE,
    parse_viewer_url,
    proxy_parts,
    run_in_kernel,
    start_kernel,
)

RECORD_KEYS = {"id", "name", "token", "owner", "url"}


async def test_version(api):
    assert await api("GET", "version") == (200, {"version": jupyterlab_neuroglancer.__version__})


async def test_hosted_viewer_lifecycle(api, jp_fetch, neuroglancer_ext):
    assert await api("GET", "viewers") == (200, {"viewers": []})

    status, record = await api("POST", "hosted-viewers", body={"state": EXAMPLE_STATE, "name": "A"})
    assert status == 201
    assert set(record) == RECORD_KEYS
    assert record["owner"] == {"kind": "server"}
    assert record["name"] == "A"
    assert record["url"] == f"neuroglancer/proxy/{record['id']}/v/{record['token']}/"
    viewer = neuroglancer_ext.hosted.get(record["id"])
    assert viewer.token == record["token"]
    assert list(viewer.state.position) == [10, 20, 30]

    assert await api("GET", "viewers") == (200, {"viewers": [record]})
    assert await api("GET", "viewers", record["id"]) == (200, record)
    page = await jp_fetch(*proxy_parts(record))
    assert page.code == 200

    status, _ = await api("DELETE", "viewers", record["id"])
    assert status == 204
    assert neuroglancer_ext.hosted.get(record["id"]) is None
    status, error = await api("GET", "viewers", record["id"])
    assert status == 404 and error["code"] == 404 and "Open the viewer again" in error["message"]
    status, error = await api("DELETE", "viewers", record["id"])
    assert status == 404
    assert await api("GET", "viewers") == (200, {"viewers": []})


async def test_hosted_viewer_from_a_neuroglancer_url(api, neuroglancer_ext):
    url = "https://neuroglancer-demo.appspot.com/#!" + urllib.parse.quote(json.dumps(EXAMPLE_STATE))
    status, record = await api("POST", "hosted-viewers", body={"state": url})
    assert status == 201, record
    assert record["name"] == "Neuroglancer"
    viewer = neuroglancer_ext.hosted.get(record["id"])
    assert viewer.state.layout.type == "xy"


async def test_hosted_viewer_without_state(api, neuroglancer_ext):
    status, record = await api("POST", "hosted-viewers", body={})
    assert status == 201, record
    assert isinstance(neuroglancer_ext.hosted.get(record["id"]), neuroglancer.Viewer)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"state": "not a state"}, "#!"),
        ({"state": "{broken json"}, "JSON"),
        ({"state": "[1, 2]"}, "object"),
        ({"state": 42}, "state"),
        ({"state": EXAMPLE_STATE, "demo": True}, "not both"),
        ({"demo": "yes"}, "true or false"),
        ({"name": 3}, "name"),
        ("{not json", "not valid JSON"),
        ("[]", "JSON object"),
    ],
)
async def test_hosted_viewer_bad_requests(api, neuroglancer_ext, body, words):
    status, error = await api("POST", "hosted-viewers", body=body)
    assert status == 400, error
    assert error["code"] == 400
    assert words in error["message"]
    assert error["message"].endswith(".")
    assert neuroglancer_ext.registry.list() == []


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, "kernel_id"),
        ({"kernel_id": "k", "port": "80", "token": "abc"}, "port"),
        ({"kernel_id": "k", "port": 0, "token": "abc"}, "port"),
        ({"kernel_id": "k", "port": True, "token": "abc"}, "port"),
        ({"kernel_id": "k", "port": 8888, "token": "a/b"}, "token"),
        ({"kernel_id": "k", "port": 8888, "token": "a.b"}, "token"),
        ({"kernel_id": "k", "port": 8888}, "token"),
    ],
)
async def test_register_malformed(api, body, words):
    status, error = await api("POST", "viewers", body=body)
    assert status == 400, error
    assert words in error["message"]


async def test_register_unknown_kernel(api):
    status, error = await api(
        "POST", "viewers", body={"kernel_id": "no-such-kernel", "port": 8888, "token": "abc"}
    )
    assert status == 404
    assert error == {
        "code": 404,
        "message": "Kernel no-such-kernel is not running on this Jupyter server. "
        "Start it again and re-run the code that creates the viewer.",
    }


async def test_register_port_not_owned_by_kernel(api, jp_serverapp):
    kernel_id, client = await start_kernel(jp_serverapp)
    try:
        # A real viewer, but it lives in this process (the Jupyter server's), not the kernel.
        local = neuroglancer.Viewer()
        port, token = parse_viewer_url(local.get_viewer_url())
        status, error = await api(
            "POST", "viewers", body={"kernel_id": kernel_id, "port": port, "token": token}
        )
        assert status == 403
        assert error == {
            "code": 403,
            "message": f"Port {port} is not a Neuroglancer server of kernel {kernel_id}; "
            "only viewers created in that kernel can be shown.",
        }
    finally:
        client.stop_channels()


async def test_register_kernel_viewer(api, jp_fetch, jp_serverapp, neuroglancer_ext):
    kernel_id, client = await start_kernel(jp_serverapp)
    try:
        port, token = parse_viewer_url(await run_in_kernel(client, KERNEL_VIEWER_CODE))
        body = {"kernel_id": kernel_id, "port": port, "token": token, "name": "v"}
        status, record = await api("POST", "viewers", body=body)
        assert status == 201, record
        assert record["owner"] == {"kind": "kernel", "kernel_id": kernel_id}
        assert record["name"] == "v"
        assert record["token"] == token

        # Registering it again gives the same record.
        assert await api("POST", "viewers", body=body) == (201, record)

        page = await jp_fetch(*proxy_parts(record))
        assert page.code == 200 and b"<script" in page.body

        # The kernel owns the port, but no viewer answers to that token.
        status, error = await api("POST", "viewers", body={**body, "token": "f" * 40})
        assert status == 502
        assert f"port {port} of kernel {kernel_id}" in error["message"]

        # After a restart (a new kernel process), the old port is not trusted any more.
        neuroglancer_ext.registry.get(record["id"]).kernel_pid = -1
        with pytest.raises(Exception) as raised:
            await jp_fetch(*proxy_parts(record))
        assert raised.value.response.code == 502
        assert "'v' is not answering" in json.loads(raised.value.response.body)["message"]
    finally:
        client.stop_channels()

    # When the kernel is gone, so is its viewer.
    await jp_serverapp.kernel_manager.shutdown_kernel(kernel_id, now=True)
    assert await api("GET", "viewers") == (200, {"viewers": []})
