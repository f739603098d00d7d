"""show(array): numpy, dask and zarr arrays served by the viewer's own loopback server, and
several arrays sharing one viewer.

Chunks are fetched over HTTP exactly as the Neuroglancer client fetches them,
``/neuroglancer/npz/<viewer token>.<volume token>/<scale>/<start>/<end>`` (zlib-compressed
``.npy``), and compared with the array.
"""

from __future__ import annotations

import io
import threading
import urllib.request
import zlib
from typing import Any

import dask.array as da
import neuroglancer
import numpy as np
import pytest
import zarr

from jupyterlab_neuroglancer.kernel import bridge
from jupyterlab_neuroglancer.kernel.show import show

from .test_kernel_side import announcements, execute, expression, kernel  # noqa: F401

TIMEOUT = 30


# --- helpers ---------------------------------------------------------------------------------


def volume_key(viewer: neuroglancer.Viewer, layer: str) -> str:
    """``<viewer token>.<volume token>``: the key of a layer's LocalVolume in data URLs."""
    url = viewer.state.layers[layer].source[0].url
    assert isinstance(url, str) and url.startswith("python://volume/"), url
    return url.removeprefix("python://volume/")


def volume_of(viewer: neuroglancer.Viewer, layer: str) -> neuroglancer.LocalVolume:
    key = volume_key(viewer, layer)
    return viewer.volume_manager.volumes[key.split(".", 1)[1]]


def fetch(viewer: neuroglancer.Viewer, path: str) -> bytes:
    address = bridge.viewer_address(viewer)
    url = f"http://{address.host}:{address.port}/neuroglancer/{path}"
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        assert response.status == 200
        return response.read()


def fetch_chunk(
    viewer: neuroglancer.Viewer,
    layer: str,
    start: tuple[int, ...],
    end: tuple[int, ...],
    scale: str | None = None,
) -> np.ndarray:
    """The region ``start:end`` (array axis order) of ``layer`` as the viewer serves it."""
    scale = scale or ",".join("1" * len(start))
    joined = [",".join(str(n) for n in corner) for corner in (start, end)]
    body = fetch(viewer, f"npz/{volume_key(viewer, layer)}/{scale}/{joined[0]}/{joined[1]}")
    return np.load(io.BytesIO(zlib.decompress(body)))


def region(start: tuple[int, ...], end: tuple[int, ...]) -> tuple[slice, ...]:
    return tuple(slice(a, b) for a, b in zip(start, end, strict=True))


def layer_types(viewer: neuroglancer.Viewer) -> dict[str, str]:
    return {layer.name: layer.type for layer in viewer.state.layers}


def scales(viewer: neuroglancer.Viewer) -> dict[str, float]:
    space = viewer.state.dimensions
    return dict(zip(space.names, (float(s) for s in space.scales), strict=True))


def pattern(shape: tuple[int, ...], offset: tuple[int, ...] = (0, 0, 0)) -> np.ndarray:
    """Values that differ from voxel to voxel, so that a misplaced chunk shows."""
    z, y, x = np.meshgrid(
        *[np.arange(o, o + n) for o, n in zip(offset, shape, strict=True)], indexing="ij"
    )
    return ((z * 7 + y * 3 + x) % 251).astype(np.uint8)


# --- numpy -----------------------------------------------------------------------------------


def test_numpy_integers_become_a_segmentation_served_over_http():
    labels = np.zeros((12, 16, 20), dtype=np.uint32)
    labels[3:8, 4:10, 5:15] = 7
    labels[0, 0, 0] = 4_000_000_000
    viewer = show(labels)
    assert layer_types(viewer) == {"labels": "segmentation"}
    info = fetch(viewer, f"info/{volume_key(viewer, 'labels')}")
    assert b'"volumeType": "segmentation"' in info
    assert b'"dataType": "uint32"' in info
    start, end = (0, 0, 0), (12, 16, 20)
    np.testing.assert_array_equal(fetch_chunk(viewer, "labels", start, end), labels)
    # A downsampled request: segmentations are downsampled by striding (labels stay labels).
    half = fetch_chunk(viewer, "labels", (0, 0, 0), (6, 8, 10), scale="2,2,2")
    np.testing.assert_array_equal(half, labels[::2, ::2, ::2])


def test_numpy_floats_become_an_image_in_float32():
    image = np.random.default_rng(1).random((6, 7, 8))  # float64
    viewer = show(image)
    assert layer_types(viewer) == {"image": "image"}
    assert volume_of(viewer, "image").data_type == "float32"
    got = fetch_chunk(viewer, "image", (1, 2, 3), (5, 7, 8))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, image[1:5, 2:7, 3:8].astype(np.float32))


def test_layer_type_overrides_the_choice_from_the_data_type():
    counts = np.arange(60, dtype=np.uint16).reshape(3, 4, 5)
    viewer = show(counts, layer_type="image")
    assert layer_types(viewer) == {"counts": "image"}
    np.testing.assert_array_equal(fetch_chunk(viewer, "counts", (0, 0, 0), (3, 4, 5)), counts)
    mask = np.zeros((4, 4, 4), dtype=bool)
    mask[1:3, 1:3, 1:3] = True
    viewer = show(mask, layer_type="segmentation")
    assert layer_types(viewer) == {"mask": "segmentation"}
    got = fetch_chunk(viewer, "mask", (0, 0, 0), (4, 4, 4))
    assert got.dtype == np.uint8
    np.testing.assert_array_equal(got, mask)


def test_voxel_size_and_units_set_the_dimensions():
    image = np.zeros((4, 5, 6), dtype=np.float32)
    viewer = show(image, voxel_size=(0.5, 0.25, 0.25), units="um")
    assert list(viewer.state.dimensions.names) == ["x", "y", "z"]
    assert list(viewer.state.dimensions.units) == ["m", "m", "m"]
    assert scales(viewer) == pytest.approx({"x": 0.25e-6, "y": 0.25e-6, "z": 0.5e-6})
    # The layer's own coordinate space is in the array's order, as served to the client.
    info = fetch(viewer, f"info/{volume_key(viewer, 'image')}")
    assert b'"coordinateSpace": {"z": [5e-07, "m"], "y": [2.5e-07, "m"], "x": [2.5e-07' in info
    # One unit per axis, and extra leading axes with no unit.
    series = np.zeros((3, 4, 5, 6), dtype=np.float32)
    viewer = show(series, voxel_size=(2, 1, 1, 1), units=["s", "nm", "nm", "nm"])
    space = viewer.state.dimensions
    assert list(space.names) == ["x", "y", "z", "d0"]
    assert list(space.units) == ["m", "m", "m", "s"]
    assert scales(viewer) == pytest.approx({"x": 1e-9, "y": 1e-9, "z": 1e-9, "d0": 2.0})
    assert list(viewer.state.position) == [3, 2.5, 2, 1.5]


# --- dask ------------------------------------------------------------------------------------


class CountingBlocks:
    """Builds the blocks of a dask array on demand and records each one it builds."""

    def __init__(self) -> None:
        self.built: list[tuple[tuple[int, int], ...]] = []
        self._lock = threading.Lock()

    def __call__(self, block_info: dict[Any, Any] | None = None) -> np.ndarray:
        location = tuple(tuple(bounds) for bounds in block_info[None]["array-location"])
        with self._lock:
            self.built.append(location)
        shape = tuple(b - a for a, b in location)
        return pattern(shape, offset=tuple(a for a, _ in location))


def test_dask_array_is_served_chunk_by_chunk_and_never_computed_whole():
    blocks = CountingBlocks()
    # 64 GiB if it were computed: only the blocks a request touches may be built.
    volume = da.map_blocks(blocks, dtype=np.uint8, chunks=((128,) * 32,) * 3)
    assert volume.nbytes == 64 * 2**30
    viewer = show(volume, layer_type="image", voxel_size=(8, 4, 4))
    assert layer_types(viewer) == {"volume": "image"}
    assert scales(viewer) == pytest.approx({"x": 4e-9, "y": 4e-9, "z": 8e-9})
    assert list(viewer.state.position) == [2048, 2048, 2048]
    assert blocks.built == []  # showing it computes nothing

    start, end = (128, 0, 256), (192, 64, 320)  # inside block (1, 0, 2)
    got = fetch_chunk(viewer, "volume", start, end)
    np.testing.assert_array_equal(got, pattern((64, 64, 64), offset=start))
    assert blocks.built == [((128, 256), (0, 128), (256, 384))]

    blocks.built.clear()
    start, end = (100, 120, 0), (140, 136, 16)  # across 2 x 2 x 1 blocks
    got = fetch_chunk(viewer, "volume", start, end)
    np.testing.assert_array_equal(got, pattern((40, 16, 16), offset=start))
    assert sorted(blocks.built) == [
        ((0, 128), (0, 128), (0, 128)),
        ((0, 128), (128, 256), (0, 128)),
        ((128, 256), (0, 128), (0, 128)),
        ((128, 256), (128, 256), (0, 128)),
    ]


def test_dask_labels_become_a_segmentation_with_signed_ids_kept():
    values = np.zeros((16, 16, 16), dtype=np.int64)
    values[4:12, 4:12, 4:12] = -3
    values[0:2, 0:2, 0:2] = 9
    labels = da.from_array(values, chunks=8)
    viewer = show(labels)
    assert layer_types(viewer) == {"labels": "segmentation"}
    got = fetch_chunk(viewer, "labels", (0, 0, 0), (16, 16, 16))
    assert got.dtype == np.uint64
    np.testing.assert_array_equal(got, values.view(np.uint64))
    assert len(volume_of(viewer, "labels").get_object_mesh(9)) > 0


# --- zarr ------------------------------------------------------------------------------------


def test_zarr_array_on_disk_is_served(tmp_path):
    path = tmp_path / "em.zarr"
    written = zarr.open_array(
        store=str(path), mode="w", shape=(40, 50, 60), chunks=(16, 16, 16), dtype="uint8"
    )
    values = pattern((40, 50, 60))
    written[...] = values
    em = zarr.open_array(store=str(path), mode="r")
    viewer = show(em, layer_type="image", voxel_size=(30, 8, 8))
    assert layer_types(viewer) == {"em": "image"}
    assert scales(viewer) == pytest.approx({"x": 8e-9, "y": 8e-9, "z": 30e-9})
    for start, end in [((0, 0, 0), (16, 16, 16)), ((10, 20, 30), (40, 50, 60))]:
        got = fetch_chunk(viewer, "em", start, end)
        np.testing.assert_array_equal(got, values[region(start, end)])
    # The file, not a copy made by show(), is what is served.
    written[0:16, 0:16, 0:16] = 255
    assert (fetch_chunk(viewer, "em", (0, 0, 0), (16, 16, 16)) == 255).all()


def test_zarr_labels_become_a_segmentation(tmp_path):
    path = str(tmp_path / "labels.zarr")
    labels = zarr.open_array(store=path, mode="w", shape=(8, 8, 8), chunks=(4, 4, 4), dtype="u4")
    labels[2:6, 2:6, 2:6] = 12
    viewer = show(labels)
    assert layer_types(viewer) == {"labels": "segmentation"}
    np.testing.assert_array_equal(fetch_chunk(viewer, "labels", (0, 0, 0), (8, 8, 8)), labels[:])


# --- several arrays in one viewer ------------------------------------------------------------


def test_a_dict_of_arrays_is_one_viewer_with_a_layer_per_key():
    image = pattern((10, 12, 14))
    seg = np.zeros((10, 12, 14), dtype=np.uint16)
    seg[2:5] = 3
    viewer = show({"em": image, "cells": seg}, voxel_size=(40, 4, 4))
    assert layer_types(viewer) == {"em": "segmentation", "cells": "segmentation"}
    viewer = show({"em": image.astype(np.float32), "cells": seg}, voxel_size=(40, 4, 4))
    assert layer_types(viewer) == {"em": "image", "cells": "segmentation"}
    assert viewer.state.selected_layer.layer == "em"
    assert scales(viewer) == pytest.approx({"x": 4e-9, "y": 4e-9, "z": 40e-9})
    np.testing.assert_array_equal(fetch_chunk(viewer, "cells", (0, 0, 0), (10, 12, 14)), seg)
    np.testing.assert_array_equal(fetch_chunk(viewer, "em", (0, 0, 0), (10, 12, 14)), image)


def test_a_list_of_arrays_names_layers_by_variable_else_by_type():
    raw = np.zeros((4, 4, 4), dtype=np.float32)
    viewer = show([raw, np.ones((4, 4, 4)), np.ones((4, 4, 4)), np.ones((4, 4, 4), int)])
    assert layer_types(viewer) == {
        "raw": "image",
        "image": "image",
        "image_2": "image",
        "segmentation": "segmentation",
    }
    assert layer_types(show((raw, raw))) == {"raw": "image", "raw_2": "image"}


def test_viewer_option_adds_layers_to_an_existing_viewer_and_shows_it_again(capsys):
    em = pattern((20, 30, 40)).astype(np.float32)
    viewer = show(em, voxel_size=(8, 8, 8))
    with viewer.txn() as state:
        state.position = [1, 2, 3]
    capsys.readouterr()

    seg = np.zeros((10, 15, 20), dtype=np.uint32)  # at half the resolution
    same = show(seg, viewer=viewer, voxel_size=(16, 16, 16))
    assert same is viewer
    printed = capsys.readouterr().out
    assert viewer.get_viewer_url() in printed and "'viewer'" in printed
    assert layer_types(viewer) == {"em": "image", "seg": "segmentation"}
    # The viewer keeps its axes, voxel size and position; the new layer is placed by size.
    assert scales(viewer) == pytest.approx({"x": 8e-9, "y": 8e-9, "z": 8e-9})
    assert list(viewer.state.position) == [1, 2, 3]
    info = fetch(viewer, f"info/{volume_key(viewer, 'seg')}")
    assert b'"x": [1.6e-08, "m"]' in info
    np.testing.assert_array_equal(fetch_chunk(viewer, "seg", (0, 0, 0), (10, 15, 20)), seg)

    # Names chosen for you never replace a layer; dict keys do.
    show(seg, viewer=viewer, voxel_size=16, name="Cells")
    assert "'Cells'" in capsys.readouterr().out
    assert list(layer_types(viewer)) == ["em", "seg", "seg_2"]
    replacement = np.full((5, 5, 5), 2, dtype=np.uint8)
    show({"seg": replacement}, viewer=viewer)
    assert list(layer_types(viewer)) == ["em", "seg", "seg_2"]
    np.testing.assert_array_equal(fetch_chunk(viewer, "seg", (0, 0, 0), (5, 5, 5)), replacement)


def test_layers_added_to_an_empty_viewer_set_it_up():
    viewer = neuroglancer.Viewer()
    show(np.zeros((30, 40), dtype=np.float32), viewer=viewer, voxel_size=2)
    assert viewer.state.layout.type == "xy"
    assert list(viewer.state.dimensions.names) == ["x", "y"]
    assert list(viewer.state.position) == [20, 15]
    # A 3D array adds the z axis, centred on the new array.
    show(np.zeros((6, 30, 40), dtype=np.float32), viewer=viewer, voxel_size=2)
    assert list(viewer.state.dimensions.names) == ["x", "y", "z"]
    assert list(viewer.state.position) == [20, 15, 3]


def test_arrays_that_cannot_share_the_coordinate_space_are_refused():
    viewer = show(np.zeros((4, 4, 4), dtype=np.float32), units="nm")
    before = viewer.state.to_json()
    words = r"axis 'x' is measured in 's' but the viewer's 'x' axis is in 'm'"
    with pytest.raises(ValueError, match=words):
        show(np.zeros((4, 4, 4), dtype=np.float32), viewer=viewer, units="s")
    with pytest.raises(ValueError, match="measured in no unit"):
        show({"bad": np.zeros((4, 4, 4), dtype=np.float32)}, viewer=viewer, units="")
    assert viewer.state.to_json() == before  # nothing was added
    # Micrometres and nanometres both measure length: they share it.
    show({"coarse": np.zeros((2, 2, 2), dtype=np.float32)}, viewer=viewer, units="um")
    assert list(layer_types(viewer)) == ["image", "coarse"]


def test_several_arrays_options_are_checked():
    viewer = neuroglancer.Viewer()
    with pytest.raises(TypeError, match="viewer, voxel_size, units and layer_type only apply"):
        show({"layout": "xy"}, viewer=viewer)
    with pytest.raises(TypeError, match=r"viewer must be a neuroglancer\.Viewer"):
        show(np.zeros((2, 2)), viewer="viewer")
    with pytest.raises(TypeError, match="must be non-empty strings"):
        show({1: np.zeros((2, 2))})
    with pytest.raises(TypeError, match="unless it holds arrays"):
        show([np.zeros((2, 2)), "x"])
    # A dict that is not all arrays is a state, checked as one.
    assert show({"layout": "xz"}).state.layout.type == "xz"


# --- in a real kernel ------------------------------------------------------------------------


def test_adding_to_a_viewer_in_a_kernel_announces_the_same_viewer(kernel):  # noqa: F811
    reply, published = execute(
        kernel,
        "import numpy as np, jupyterlab_neuroglancer as j\n"
        "v = j.show({'em': np.zeros((4, 4, 4), np.float32)})\n"
        "labels = np.ones((4, 4, 4), np.uint8)\n",
    )
    assert reply["status"] == "ok", reply
    [first] = announcements(published)
    reply, published = execute(
        kernel, "w = j.show(labels, viewer=v)", layers="[l.name for l in v.state.layers]"
    )
    assert reply["status"] == "ok", reply
    [again] = announcements(published)
    assert (again["port"], again["token"]) == (first["port"], first["token"])
    assert again["name"] == "v"
    assert expression(reply, "layers") == ["em", "labels"]
