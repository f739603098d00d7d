"""Viewer liveness (``api/viewers/<id>/status``) and recreating a lost viewer in a kernel."""

from __future__ import annotations

import json
from typing import Any

import neuroglancer
import pytest

from jupyterlab_neuroglancer.kernel import commands
from jupyterlab_neuroglancer.server.registry import ViewerRegistry, server_owner
from jupyterlab_neuroglancer.state import StateParseError

from .conftest import (
    EXAMPLE_STATE,
    KERNEL_VIEWER_CODE,
    free_port,
    parse_viewer_url,
    run_in_kernel,
    start_kernel,
)


async def status_of(api, viewer_id: str) -> dict[str, Any]:
    status, body = await api("GET", "viewers", viewer_id, "status")
    assert status == 200, body
    assert set(body) == {"id", "alive", "reason"}
    assert body["id"] == viewer_id
    return body


async def register_kernel_viewer(api, client, kernel_id: str, code: str = KERNEL_VIEWER_CODE):
    port, token = parse_viewer_url(await run_in_kernel(client, code))
    status, record = await api(
        "POST", "viewers", body={"kernel_id": kernel_id, "port": port, "token": token, "name": "v"}
    )
    assert status == 201, record
    return record


async def test_hosted_viewer_status(api, hosted_viewer, neuroglancer_ext):
    record, _ = await hosted_viewer(state=EXAMPLE_STATE)
    assert await status_of(api, record["id"]) == {"id": record["id"], "alive": True, "reason": None}

    # The hosted viewer is dropped behind the registry's back: its server no longer serves it.
    neuroglancer_ext.hosted.drop(record["id"])
    assert await status_of(api, record["id"]) == {
        "id": record["id"],
        "alive": False,
        "reason": "server-stopped",
    }

    # Removed from the registry: the registry remembers why.
    status, _ = await api("DELETE", "viewers", record["id"])
    assert status == 204
    assert (await status_of(api, record["id"]))["reason"] == "closed"


async def test_unknown_viewer_is_gone_not_an_error(api):
    assert await status_of(api, "never-registered") == {
        "id": "never-registered",
        "alive": False,
        "reason": "unknown",
    }


async def test_a_port_nobody_listens_on_is_a_stopped_server(api, neuroglancer_ext):
    record, _ = neuroglancer_ext.registry.add(
        port=free_port(), token="abc", name="x", owner=server_owner()
    )
    neuroglancer_ext.hosted.keep(record.id, object())  # as if hosted, but nothing listens
    try:
        assert (await status_of(api, record.id))["reason"] == "server-stopped"
    finally:
        neuroglancer_ext.hosted.drop(record.id)


async def test_kernel_viewer_status_through_restart_and_shutdown(api, jp_serverapp):
    kernel_manager = jp_serverapp.kernel_manager
    kernel_id, client = await start_kernel(jp_serverapp)
    try:
        record = await register_kernel_viewer(api, client, kernel_id)
        assert await status_of(api, record["id"]) == {
            "id": record["id"],
            "alive": True,
            "reason": None,
        }

        # The kernel lets go of the Viewer object: its server answers 404 for the token.
        await run_in_kernel(client, "del v\nimport gc\ngc.collect()\n")
        assert (await status_of(api, record["id"]))["reason"] == "server-stopped"

        # A second viewer, then a restart: a new kernel process, which has no viewer.
        second = await register_kernel_viewer(api, client, kernel_id)
        assert (await status_of(api, second["id"]))["alive"] is True
    finally:
        client.stop_channels()
    await kernel_manager.restart_kernel(kernel_id)
    assert (await status_of(api, second["id"]))["reason"] == "kernel-restarted"

    # Shut down: the registry forgets the kernel's viewers, and remembers why.
    await kernel_manager.shutdown_kernel(kernel_id, now=True)
    assert (await status_of(api, second["id"]))["reason"] == "kernel-stopped"
    assert await api("GET", "viewers") == (200, {"viewers": []})


async def test_recreate_in_a_kernel_gives_a_viewer_that_registers(api, jp_serverapp):
    """What the panel's "Recreate" button runs: the new viewer is bound and can be shown."""
    kernel_id, client = await start_kernel(jp_serverapp)
    try:
        state = json.dumps(EXAMPLE_STATE)
        code = (
            "import jupyterlab_neuroglancer.kernel.commands as _c\n"
            f"print(_c.recreate_in_namespace(globals(), {state!r}, name='viewer'))\n"
        )
        result = json.loads(await run_in_kernel(client, code))
        assert result["name"] == "viewer"
        status, record = await api(
            "POST",
            "viewers",
            body={
                "kernel_id": kernel_id,
                "port": result["port"],
                "token": result["token"],
                "name": result["name"],
            },
        )
        assert status == 201, record
        assert (await status_of(api, record["id"]))["alive"] is True
        printed = await run_in_kernel(client, "print(viewer.state.position.tolist())")
        assert printed.strip() == "[10.0, 20.0, 30.0]"
    finally:
        client.stop_channels()
        await jp_serverapp.kernel_manager.shutdown_kernel(kernel_id, now=True)


def test_recreate_in_namespace_binds_the_name_when_free():
    namespace: dict[str, Any] = {}
    result = json.loads(commands.recreate_in_namespace(namespace, EXAMPLE_STATE, name="viewer"))
    viewer = namespace["viewer"]
    assert isinstance(viewer, neuroglancer.Viewer)
    assert result == {"name": "viewer", "port": result["port"], "token": viewer.token}
    assert f":{result['port']}/v/{viewer.token}/" in viewer.get_viewer_url()
    assert list(viewer.state.position) == [10, 20, 30]


def test_recreate_in_namespace_never_overwrites_a_variable():
    namespace: dict[str, Any] = {"viewer": "the user's own"}
    text = commands.recreate_in_namespace(namespace, '{"layout": "xz"}', name="viewer")
    result = json.loads(text)
    assert result["name"] == "viewer_2"
    assert namespace["viewer"] == "the user's own"
    assert namespace["viewer_2"].state.layout.type == "xz"


def test_recreate_in_namespace_with_a_title_that_is_not_a_variable():
    namespace: dict[str, Any] = {}
    result = json.loads(commands.recreate_in_namespace(namespace, "{}", name="My view"))
    assert result["name"] == "viewer"
    assert isinstance(namespace["viewer"], neuroglancer.Viewer)


def test_recreate_in_namespace_bad_state_binds_nothing():
    namespace: dict[str, Any] = {}
    with pytest.raises(StateParseError):
        commands.recreate_in_namespace(namespace, "{nope", name="viewer")
    assert namespace == {}


def test_registry_remembers_why_viewers_ended():
    registry = ViewerRegistry()
    owner = {"kind": "kernel", "kernel_id": "k"}
    record, _ = registry.add(port=1, token="a", name="a", owner=owner)
    hosted, _ = registry.add(port=2, token="b", name="b", owner=server_owner())
    assert registry.ended_reason(record.id) is None
    registry.remove_kernels_except(set())
    assert registry.ended_reason(record.id) == "kernel-stopped"
    registry.remove(hosted.id)
    assert registry.ended_reason(hosted.id) == "closed"
    registry.clear()
    assert registry.ended_reason(record.id) is None
