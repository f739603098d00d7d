"""The kernel side: show(), the comm announcement from a real ipykernel, naming, commands."""

from __future__ import annotations

import ast
import os
import queue
import time
import urllib.request
from pathlib import Path
from typing import Any

import neuroglancer
import numpy as np
import pytest
from jupyter_client.manager import start_new_kernel

from jupyterlab_neuroglancer.kernel import bridge, commands
from jupyterlab_neuroglancer.kernel.naming import free_variable_name
from jupyterlab_neuroglancer.kernel.show import show
from jupyterlab_neuroglancer.kernel.volumes import local_volume
from jupyterlab_neuroglancer.state import StateParseError

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 60


# --- a real kernel ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kernel():
    """A blocking client on a real ipykernel that imports this working tree."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    manager, client = start_new_kernel(
        kernel_name="python3", startup_timeout=TIMEOUT, env=env, cwd=str(REPO)
    )
    try:
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def execute(client, code: str, **expressions: str) -> tuple[dict[str, Any], list[dict]]:
    """Run ``code``; return the execute reply's content and the iopub messages it caused."""
    msg_id = client.execute(code, user_expressions=expressions)
    published = []
    deadline = time.monotonic() + TIMEOUT
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no idle status after {code!r}"
        try:
            msg = client.get_iopub_msg(timeout=remaining)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        published.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    while True:
        reply = client.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"], published


def expression(reply: dict[str, Any], name: str) -> Any:
    result = reply["user_expressions"][name]
    assert result["status"] == "ok", result
    return ast.literal_eval(result["data"]["text/plain"])


def announcements(published: list[dict]) -> list[dict[str, Any]]:
    return [
        msg["content"]["data"]
        for msg in published
        if msg["msg_type"] == "comm_open"
        and msg["content"]["target_name"] == "jupyterlab-neuroglancer"
    ]


def test_show_in_a_kernel_announces_a_reachable_viewer(kernel):
    reply, published = execute(
        kernel,
        'import jupyterlab_neuroglancer as j; v = j.show({"layout": "xy"})',
        layout="v.state.layout.type",
        pid="__import__('os').getpid()",
        module="j.__file__",
    )
    assert reply["status"] == "ok", reply
    assert expression(reply, "module").startswith(str(REPO))
    [data] = announcements(published)
    assert set(data) == {"kind", "port", "token", "name", "kernel_pid"}
    assert data["kind"] == "viewer"
    assert isinstance(data["port"], int) and 0 < data["port"] < 65536
    assert isinstance(data["token"], str) and data["token"]
    assert data["name"] == "Neuroglancer"  # `v` is not bound yet while show() runs
    assert data["kernel_pid"] == expression(reply, "pid")
    assert expression(reply, "layout") == "xy"
    url = f"http://127.0.0.1:{data['port']}/v/{data['token']}/"
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        assert response.status == 200
        assert b"<html" in response.read().lower()
    # Nothing printed: in a kernel the panel replaces the URL.
    assert not [m for m in published if m["msg_type"] == "stream"]


def test_show_of_a_bound_viewer_uses_its_variable_name(kernel):
    reply, published = execute(kernel, "w = j.show(v)", same="w is v")
    assert reply["status"] == "ok", reply
    [data] = announcements(published)
    assert data["name"] == "v"
    assert expression(reply, "same") is True
    reply, published = execute(kernel, "j.show(v, name='Mine')")
    assert [d["name"] for d in announcements(published)] == ["Mine"]


def test_commands_bind_free_names_in_the_kernel(kernel):
    snippet = (
        "import jupyterlab_neuroglancer.kernel.commands as _jln_c; "
        "_jln_c.open_state_in_namespace(globals(), {state})"
    )
    url = '"https://neuroglancer-demo.appspot.com/#!%7B%22layout%22:%223d%22%7D"'
    reply, published = execute(kernel, snippet.format(state=url), layout="viewer.state.layout.type")
    assert reply["status"] == "ok", reply
    [result] = [m for m in published if m["msg_type"] == "execute_result"]
    assert result["content"]["data"]["text/plain"] == "'viewer'"
    assert [d["name"] for d in announcements(published)] == ["viewer"]
    assert expression(reply, "layout") == "3d"

    reply, published = execute(kernel, snippet.format(state='\'{"layout": "xy"}\''))
    assert [d["name"] for d in announcements(published)] == ["viewer_2"]

    reply, published = execute(kernel, snippet.format(state="'https://host/#!gs://b/s.json'"))
    assert reply["status"] == "error"
    assert reply["ename"] == "StateParseError"
    assert "not fetched" in reply["evalue"]
    assert not announcements(published)


# --- in this process (plain Python: no frontend) -----------------------------------------------


def test_outside_a_kernel_the_url_is_printed(capsys):
    viewer = show({"layout": "xy"}, name="plain")
    printed = capsys.readouterr().out
    assert viewer.get_viewer_url() in printed
    assert "'plain'" in printed


def test_announcement_format_and_loopback():
    viewer = show({"layout": "xy"})
    data = bridge.announcement(viewer, "x")
    address = bridge.viewer_address(viewer)
    assert address.host == "127.0.0.1"
    assert viewer.get_viewer_url() == address.url
    assert data == {
        "kind": "viewer",
        "port": address.port,
        "token": viewer.token,
        "name": "x",
        "kernel_pid": os.getpid(),
    }
    with urllib.request.urlopen(address.url, timeout=TIMEOUT) as response:
        assert response.status == 200


def test_show_returns_a_viewer_as_is():
    viewer = neuroglancer.Viewer()
    assert show(viewer) is viewer


def test_show_of_a_viewer_state():
    state = neuroglancer.ViewerState({"layout": "yz"})
    viewer = show(state)
    assert viewer.state.layout.type == "yz"


def test_default_name_is_the_callers_variable(capsys):
    existing = neuroglancer.Viewer()
    show(existing)
    assert "'existing'" in capsys.readouterr().out


def test_free_variable_name():
    assert free_variable_name({}) == "viewer"
    assert free_variable_name({"viewer": 1}) == "viewer_2"
    assert free_variable_name({"viewer": 1, "viewer_2": 2, "viewer_3": 3}) == "viewer_4"
    assert free_variable_name({"viewer": 1, "viewer_3": 3}) == "viewer_2"
    assert free_variable_name({"other": 1}, base="demo") == "demo"
    with pytest.raises(ValueError):
        free_variable_name({}, base="not a name")


def test_open_state_in_namespace_naming():
    namespace: dict[str, Any] = {}
    assert commands.open_state_in_namespace(namespace, '{"layout": "xy"}') == "viewer"
    assert isinstance(namespace["viewer"], neuroglancer.Viewer)
    assert namespace["viewer"].state.layout.type == "xy"

    namespace = {"viewer": 1}
    assert commands.open_state_in_namespace(namespace, "#!%7B%22layout%22%3A%22xz%22%7D") == (
        "viewer_2"
    )
    assert namespace["viewer"] == 1
    assert namespace["viewer_2"].state.layout.type == "xz"


def test_open_state_in_namespace_bad_state_binds_nothing():
    namespace: dict[str, Any] = {}
    with pytest.raises(StateParseError, match="not valid JSON"):
        commands.open_state_in_namespace(namespace, "{nope")
    assert namespace == {}


def test_open_demo_in_namespace():
    namespace: dict[str, Any] = {"viewer": None}
    assert commands.open_demo_in_namespace(namespace) == "viewer_2"
    layers = {layer.name for layer in namespace["viewer_2"].state.layers}
    assert layers == {"em", "segmentation"}


# --- arrays ----------------------------------------------------------------------------------


def only_layer(viewer: neuroglancer.Viewer) -> Any:
    [layer] = viewer.state.layers
    return layer


def volume_of(viewer: neuroglancer.Viewer) -> neuroglancer.LocalVolume:
    [volume] = viewer.volume_manager.volumes.values()
    return volume


def test_integer_array_becomes_a_segmentation():
    labels = np.zeros((12, 16, 20), dtype=np.int32)
    labels[3:8, 4:10, 5:15] = 7
    viewer = show(labels)
    layer = only_layer(viewer)
    assert layer.type == "segmentation"
    assert layer.name == "labels"
    volume = volume_of(viewer)
    assert volume.volume_type == "segmentation"
    assert volume.data_type == "uint32"
    assert len(volume.get_object_mesh(7)) > 0
    # x, y, z view axes; centred on the array.
    assert list(viewer.state.dimensions.names) == ["x", "y", "z"]
    assert list(viewer.state.position) == [10, 8, 6]


def test_float_array_becomes_an_image():
    image = np.random.default_rng(0).random((10, 12, 14))
    viewer = show(image, voxel_size=(40, 4, 4), units="nm")
    layer = only_layer(viewer)
    assert layer.type == "image"
    volume = volume_of(viewer)
    assert volume.data_type == "float32"
    scales = dict(zip(viewer.state.dimensions.names, viewer.state.dimensions.scales, strict=True))
    assert scales == pytest.approx({"x": 4e-9, "y": 4e-9, "z": 40e-9})


def test_layer_type_overrides_the_data_type():
    counts = np.arange(24, dtype=np.uint16).reshape(2, 3, 4)
    assert only_layer(show(counts, layer_type="image")).type == "image"
    mask = np.ones((4, 4, 4), dtype=bool)
    assert only_layer(show(mask, layer_type="segmentation")).type == "segmentation"


def test_two_dimensional_array():
    viewer = show(np.zeros((30, 40), dtype=np.float32))
    assert viewer.state.layout.type == "xy"
    assert list(viewer.state.dimensions.names) == ["x", "y"]


class LazyArray:
    """Stands for dask or zarr: shape, dtype, __array__ and lazy indexing."""

    def __init__(self, values: np.ndarray) -> None:
        self._values = values
        self.shape = values.shape
        self.dtype = values.dtype
        self.reads = 0

    def __array__(self, dtype=None, copy=None):
        self.reads += 1
        return np.asarray(self._values, dtype=dtype)

    def __getitem__(self, index):
        return LazyArray(self._values[index])


def test_array_like_is_read_region_by_region():
    values = np.zeros((8, 8, 8), dtype=np.int64)
    values[2:6, 2:6, 2:6] = 5
    lazy = LazyArray(values)
    viewer = show(lazy)
    assert only_layer(viewer).type == "segmentation"
    volume = volume_of(viewer)
    assert volume.data_type == "uint64"
    data, _ = volume.get_encoded_subvolume("npz", np.zeros(3, int), np.full(3, 4), "1,1,1")
    assert data and lazy.reads == 0
    assert len(volume.get_object_mesh(5)) > 0


@pytest.mark.parametrize(
    ("obj", "error", "words"),
    [
        ([1, 2, 3], TypeError, "make it an array"),
        (42, TypeError, "Cannot show an object of type int"),
        (np.zeros(5), ValueError, "at least 2"),
        (np.zeros((0, 3, 3)), ValueError, "empty"),
        ("not a state", StateParseError, "neither"),
    ],
)
def test_bad_input_is_explained(obj, error, words):
    with pytest.raises(error, match=words):
        show(obj)


def test_array_options_are_checked():
    with pytest.raises(TypeError, match="only apply when showing an array"):
        show({"layout": "xy"}, voxel_size=(1, 1, 1))
    with pytest.raises(ValueError, match="integer labels"):
        show(np.zeros((2, 2, 2)), layer_type="segmentation")
    with pytest.raises(ValueError, match="'image' or 'segmentation'"):
        show(np.zeros((2, 2, 2)), layer_type="mesh")
    with pytest.raises(ValueError, match="one value per axis"):
        local_volume(np.zeros((2, 2, 2)), voxel_size=(1, 1))
    with pytest.raises(ValueError, match="positive"):
        local_volume(np.zeros((2, 2, 2)), voxel_size=(1, 0, 1))
