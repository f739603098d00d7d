"""``api/datasets``: a dataset under the server's root, inspected and answered as a state.

Every format is built in the test (see ``dataset_builders``) and the whole answer is checked:
format, name, layer types and sources (absolute, under the file route and the base_url), the
dimensions and the centred position. Each state also goes through ``neuroglancer.ViewerState``,
the Python side of the real viewer.
"""

from __future__ import annotations

import json
import struct
from typing import Any

import neuroglancer
import numpy as np
import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_neuroglancer.server.datasets.nifti import parse_header
from jupyterlab_neuroglancer.server.datasets_handler import parse_origin

from .dataset_builders import (
    n5_dataset,
    n5_group,
    nifti_bytes,
    nifti_file,
    ome_labels,
    ome_zarr,
    precomputed_volume,
    write_json,
    zarr2_array,
    zarr2_group,
    zarr3_array,
)

ORIGIN = "http://localhost:8888"

ZYX_UM = [
    {"name": "z", "type": "space", "unit": "micrometer"},
    {"name": "y", "type": "space", "unit": "micrometer"},
    {"name": "x", "type": "space", "unit": "micrometer"},
]


def volume(shape=(10, 20, 30), dtype=np.uint8) -> np.ndarray:
    """A small ``[z, y, x]`` volume with varied values."""
    return (np.arange(int(np.prod(shape))) % 200).astype(dtype).reshape(shape)


@pytest.fixture
def inspect(jp_fetch):
    """``await inspect(path, origin=...)`` → ``(status, JSON answer)``."""

    async def call(path: str | None, origin: str | None = ORIGIN) -> tuple[int, Any]:
        params = {}
        if path is not None:
            params["path"] = path
        if origin is not None:
            params["origin"] = origin
        try:
            response = await jp_fetch("neuroglancer", "api", "datasets", params=params)
        except HTTPClientError as error:
            response = error.response
            assert response is not None
        return response.code, json.loads(response.body)

    return call


@pytest.fixture
def files(jp_base_url) -> str:
    """The file route's absolute URL as the answers' sources use it."""
    return f"{ORIGIN}{jp_base_url}neuroglancer/files/"


async def opened(inspect, path: str) -> dict[str, Any]:
    """The answer for a dataset that opens, checked against Neuroglancer's Python state."""
    status, answer = await inspect(path)
    assert status == 200, answer
    assert set(answer) == {"path", "format", "name", "state"}
    state = answer["state"]
    # The real viewer's state class takes it and gives back the same layers and place.
    round_trip = neuroglancer.ViewerState(state).to_json()
    assert [layer["source"] for layer in round_trip["layers"]] == [
        layer["source"] for layer in state["layers"]
    ]
    assert [layer["type"] for layer in round_trip["layers"]] == [
        layer["type"] for layer in state["layers"]
    ]
    if "position" in state:
        assert round_trip["position"] == pytest.approx(state["position"])
        assert list(round_trip["dimensions"]) == list(state["dimensions"])
    return answer


def layers_of(answer: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(name, type, source)`` of each layer."""
    return [(layer["name"], layer["type"], layer["source"]) for layer in answer["state"]["layers"]]


# -- zarr v2 and v3 ---------------------------------------------------------------------------


async def test_zarr2_array(inspect, files, jp_root_dir):
    zarr2_array(jp_root_dir / "data" / "raw.zarr", volume(), (8, 8, 8))
    answer = await opened(inspect, "data/raw.zarr")
    assert answer["path"] == "data/raw.zarr"
    assert answer["format"] == "zarr2"
    assert answer["name"] == "raw"
    assert layers_of(answer) == [("raw", "image", f"zarr2://{files}data/raw.zarr/")]
    state = answer["state"]
    # Unnamed axes: Neuroglancer's d0, d1, d2, the fastest-varying (x-like) one first.
    assert state["dimensions"] == {"d2": [1, ""], "d1": [1, ""], "d0": [1, ""]}
    assert state["position"] == [15.5, 10.5, 5.5]
    assert state["layout"] == "4panel"
    assert 0 < state["crossSectionScale"] < 1  # a small volume is zoomed in to fill a view


async def test_zarr2_named_axes_with_units(inspect, files, jp_root_dir):
    zarr2_array(
        jp_root_dir / "em.zarr",
        volume((10, 20, 30), np.uint16),
        (8, 8, 8),
        attrs={"_ARRAY_DIMENSIONS": ["z", "y", "x"], "dimension_units": ["40 nm", "4 nm", "4 nm"]},
    )
    answer = await opened(inspect, "em.zarr")
    state = answer["state"]
    assert layers_of(answer) == [("em", "image", f"zarr2://{files}em.zarr/")]
    assert state["dimensions"] == {"x": [4e-9, "m"], "y": [4e-9, "m"], "z": [4e-8, "m"]}
    assert state["position"] == [15.5, 10.5, 5.5]


@pytest.mark.parametrize(
    ("name", "dtype", "kind"),
    [
        ("cells.zarr", np.uint64, "segmentation"),
        ("cells.zarr", np.uint32, "segmentation"),
        ("cells.zarr", np.int64, "segmentation"),
        ("raw.zarr", np.uint16, "image"),
        ("nuclei_labels.zarr", np.uint16, "segmentation"),
        ("seg.zarr", np.uint8, "segmentation"),
        ("mask.zarr", np.uint8, "segmentation"),
        ("raw.zarr", np.float32, "image"),
        ("labels.zarr", np.float32, "image"),
    ],
)
async def test_layer_type_from_data_type_and_name(inspect, jp_root_dir, name, dtype, kind):
    zarr2_array(jp_root_dir / name, volume((4, 4, 4), dtype))
    answer = await opened(inspect, name)
    assert answer["state"]["layers"][0]["type"] == kind


async def test_zarr3_array(inspect, files, jp_root_dir):
    zarr3_array(
        jp_root_dir / "stack.zarr",
        volume((10, 20, 30), np.uint32),
        (8, 8, 8),
        dimension_names=["z", "y", "x"],
    )
    answer = await opened(inspect, "stack.zarr")
    assert answer["format"] == "zarr3"
    assert layers_of(answer) == [("stack", "segmentation", f"zarr3://{files}stack.zarr/")]
    assert answer["state"]["dimensions"] == {"x": [1, ""], "y": [1, ""], "z": [1, ""]}
    assert answer["state"]["position"] == [15.5, 10.5, 5.5]


async def test_zarr3_unnamed_2d_array(inspect, jp_root_dir):
    zarr3_array(jp_root_dir / "plane.zarr", volume((20, 30)))
    state = (await opened(inspect, "plane.zarr"))["state"]
    assert state["dimensions"] == {"dim_1": [1, ""], "dim_0": [1, ""]}
    assert state["position"] == [15.5, 10.5]
    assert state["layout"] == "xy"


async def test_zarr_group_of_arrays(inspect, files, jp_root_dir):
    group = zarr2_group(jp_root_dir / "volumes.zarr")
    zarr2_array(group / "raw", volume(), attrs={"_ARRAY_DIMENSIONS": ["z", "y", "x"]})
    zarr2_array(
        group / "neurons", volume(dtype=np.uint64), attrs={"_ARRAY_DIMENSIONS": ["z", "y", "x"]}
    )
    answer = await opened(inspect, "volumes.zarr")
    assert answer["format"] == "zarr2"
    assert layers_of(answer) == [
        ("neurons", "segmentation", f"zarr2://{files}volumes.zarr/neurons/"),
        ("raw", "image", f"zarr2://{files}volumes.zarr/raw/"),
    ]


async def test_metadata_file_opens_its_folder(inspect, jp_root_dir):
    zarr2_array(jp_root_dir / "raw.zarr", volume())
    zarr3_array(jp_root_dir / "v3.zarr", volume())
    assert (await opened(inspect, "raw.zarr/.zarray"))["path"] == "raw.zarr"
    assert (await opened(inspect, "/v3.zarr/zarr.json/"))["path"] == "v3.zarr"


# -- OME-Zarr ---------------------------------------------------------------------------------


async def test_ome_zarr_image_with_labels(inspect, files, jp_root_dir):
    image = volume((10, 20, 30))
    ome_zarr(jp_root_dir / "cells.ome.zarr", image, ZYX_UM, [2.0, 0.5, 0.5], translation=[10, 5, 5])
    ome_labels(
        jp_root_dir / "cells.ome.zarr",
        {"nuclei": (image // 50).astype(np.uint32), "membranes": (image // 100).astype(np.uint8)},
        ZYX_UM,
        [2.0, 0.5, 0.5],
        colors={1: [255, 0, 0, 255], 2: [0, 128, 255, 255]},
    )
    answer = await opened(inspect, "cells.ome.zarr")
    assert answer["format"] == "ome-zarr"
    assert answer["name"] == "cells"
    base = f"zarr2://{files}cells.ome.zarr/"
    assert layers_of(answer) == [
        ("cells", "image", base),
        ("nuclei", "segmentation", base + "labels/nuclei/"),
        # uint8 labels: a segmentation because the metadata says image-label.
        ("membranes", "segmentation", base + "labels/membranes/"),
    ]
    state = answer["state"]
    assert state["layers"][1]["segmentColors"] == {"1": "#ff0000", "2": "#0080ff"}
    # Neuroglancer's units: voxels of the first scale; its origin: a voxel's centre.
    assert state["dimensions"] == {"x": [5e-7, "m"], "y": [5e-7, "m"], "z": [2e-6, "m"]}
    # x: translation 5 µm / 0.5 µm = 10 voxels, minus half a voxel, then the middle voxel (15).
    assert state["position"] == [9.5 + 15 + 0.5, 9.5 + 10 + 0.5, 4.5 + 5 + 0.5]


async def test_ome_zarr_labels_group_and_label_image(inspect, files, jp_root_dir):
    image = volume()
    ome_zarr(jp_root_dir / "img.ome.zarr", image, ZYX_UM, [1.0, 1.0, 1.0])
    ome_labels(jp_root_dir / "img.ome.zarr", {"cells": image.astype(np.uint16)}, ZYX_UM, [1, 1, 1])
    source = f"zarr2://{files}img.ome.zarr/labels/cells/"
    answer = await opened(inspect, "img.ome.zarr/labels")
    assert layers_of(answer) == [("cells", "segmentation", source)]
    answer = await opened(inspect, "img.ome.zarr/labels/cells")
    assert answer["format"] == "ome-zarr"
    assert layers_of(answer) == [("cells", "segmentation", source)]


async def test_ome_zarr_0_5_on_zarr3(inspect, files, jp_root_dir):
    axes = [{"name": "c", "type": "channel"}, *ZYX_UM]
    ome_zarr(
        jp_root_dir / "multi.ome.zarr",
        volume((2, 10, 20, 30)),
        axes,
        [1, 1, 0.25, 0.25],
        zarr_version=3,
    )
    answer = await opened(inspect, "multi.ome.zarr")
    assert answer["format"] == "ome-zarr"
    assert layers_of(answer) == [("multi", "image", f"zarr3://{files}multi.ome.zarr/")]
    state = answer["state"]
    # The channel axis is the layer's own (c'), not a global dimension.
    assert state["dimensions"] == {"x": [2.5e-7, "m"], "y": [2.5e-7, "m"], "z": [1e-6, "m"]}
    assert state["position"] == [14.5 + 0.5, 9.5 + 0.5, 4.5 + 0.5]


async def test_ome_zarr_with_time(inspect, jp_root_dir):
    axes = [{"name": "t", "type": "time", "unit": "second"}, *ZYX_UM]
    ome_zarr(jp_root_dir / "movie.ome.zarr", volume((5, 4, 6, 8)), axes, [2.0, 1, 1, 1])
    state = (await opened(inspect, "movie.ome.zarr"))["state"]
    assert list(state["dimensions"]) == ["x", "y", "z", "t"]
    assert state["dimensions"]["t"] == [2.0, "s"]
    assert state["position"] == [4, 3, 2, 0]  # the first time point: -0.5 + 0 + 0.5


async def test_old_ome_zarr_opens_its_first_scale(inspect, files, jp_root_dir):
    ome_zarr(jp_root_dir / "old.ome.zarr", volume(), ZYX_UM, [1, 1, 1], ome_version="0.3")
    answer = await opened(inspect, "old.ome.zarr")
    assert answer["format"] == "ome-zarr"
    assert layers_of(answer) == [("old", "image", f"zarr2://{files}old.ome.zarr/0/")]
    assert answer["state"]["position"] == [15.5, 10.5, 5.5]


async def test_bioformats2raw_layout(inspect, files, jp_root_dir):
    root = zarr2_group(jp_root_dir / "plate.ome.zarr", {"bioformats2raw.layout": 3})
    ome_zarr(root / "0", volume(), ZYX_UM, [1, 1, 1])
    ome_zarr(root / "1", volume(), ZYX_UM, [1, 1, 1])
    answer = await opened(inspect, "plate.ome.zarr")
    assert answer["format"] == "ome-zarr"
    assert [source for _, _, source in layers_of(answer)] == [
        f"zarr2://{files}plate.ome.zarr/0/",
        f"zarr2://{files}plate.ome.zarr/1/",
    ]


# -- N5 ---------------------------------------------------------------------------------------


async def test_n5_dataset(inspect, files, jp_root_dir):
    n5_dataset(
        jp_root_dir / "em.n5",
        volume((10, 20, 30)),
        (16, 16, 16),
        attrs={"resolution": [4, 4, 40], "units": ["nm", "nm", "nm"]},
    )
    answer = await opened(inspect, "em.n5")
    assert answer["format"] == "n5"
    assert answer["name"] == "em"
    assert layers_of(answer) == [("em", "image", f"n5://{files}em.n5/")]
    state = answer["state"]
    assert state["dimensions"] == {"x": [4e-9, "m"], "y": [4e-9, "m"], "z": [4e-8, "m"]}
    assert state["position"] == [15.5, 10.5, 5.5]


async def test_n5_multiscale_groups(inspect, files, jp_root_dir):
    # With the scales listed, the group itself is the source (all resolutions).
    listed = n5_group(
        jp_root_dir / "listed.n5", {"scales": [[1, 1, 1], [2, 2, 1]], "resolution": [8, 8, 30]}
    )
    n5_dataset(listed / "s0", volume())
    n5_dataset(listed / "s1", volume()[:, ::2, ::2], attrs={"downsamplingFactors": [2, 2, 1]})
    answer = await opened(inspect, "listed.n5")
    assert layers_of(answer) == [("listed", "image", f"n5://{files}listed.n5/")]
    assert answer["state"]["dimensions"]["x"] == [8e-9, "m"]
    # Without, Neuroglancer would need a folder listing: the full-resolution s0 opens.
    bare = n5_group(jp_root_dir / "bare.n5", {"resolution": [8, 8, 30]})
    n5_dataset(bare / "s0", volume(dtype=np.uint64))
    answer = await opened(inspect, "bare.n5")
    assert layers_of(answer) == [("bare", "segmentation", f"n5://{files}bare.n5/s0/")]
    assert answer["state"]["dimensions"]["z"] == [3e-8, "m"]


async def test_n5_container_of_datasets(inspect, files, jp_root_dir):
    container = n5_group(jp_root_dir / "sample.n5")
    n5_dataset(container / "raw", volume())
    n5_dataset(container / "labels", volume(dtype=np.uint16))
    answer = await opened(inspect, "sample.n5")
    assert layers_of(answer) == [
        ("labels", "segmentation", f"n5://{files}sample.n5/labels/"),
        ("raw", "image", f"n5://{files}sample.n5/raw/"),
    ]


# -- precomputed ------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "dtype"), [("image", np.uint8), ("segmentation", np.uint64)])
async def test_precomputed(inspect, files, jp_root_dir, kind, dtype):
    precomputed_volume(
        jp_root_dir / "fafb" / kind,
        volume((10, 20, 30), dtype),
        volume_type=kind,
        resolution=[8, 8, 40],
        voxel_offset=[100, 200, 300],
    )
    answer = await opened(inspect, f"fafb/{kind}")
    assert answer["format"] == "precomputed"
    assert layers_of(answer) == [(kind, kind, f"precomputed://{files}fafb/{kind}/")]
    state = answer["state"]
    assert state["dimensions"] == {"x": [8e-9, "m"], "y": [8e-9, "m"], "z": [4e-8, "m"]}
    assert state["position"] == [115.5, 210.5, 305.5]
    assert (await opened(inspect, f"fafb/{kind}/info"))["path"] == f"fafb/{kind}"


async def test_precomputed_mesh_is_not_a_volume(inspect, jp_root_dir):
    write_json(jp_root_dir / "mesh" / "info", {"@type": "neuroglancer_legacy_mesh"})
    status, error = await inspect("mesh")
    assert status == 422
    assert "neuroglancer_legacy_mesh" in error["message"]


# -- NIfTI ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["brain.nii", "brain.nii.gz"])
async def test_nifti(inspect, files, jp_root_dir, name):
    nifti_file(
        jp_root_dir / "mri" / name,
        volume((30, 20, 10), np.float32),
        pixdim=(2.0, 2.0, 3.0),
        qoffset=(-30.0, -20.0, -15.0),
    )
    answer = await opened(inspect, f"mri/{name}")
    assert answer["format"] == "nifti"
    assert answer["name"] == "brain"
    assert layers_of(answer) == [("brain", "image", f"nifti://{files}mri/{name}")]
    state = answer["state"]
    assert state["dimensions"] == {"x": [1e-3, "m"], "y": [1e-3, "m"], "z": [1e-3, "m"]}
    # World millimetres: qoffset + pixdim * (middle voxel's centre).
    assert state["position"] == pytest.approx([-30 + 2 * 15.5, -20 + 2 * 10.5, -15 + 3 * 5.5])


async def test_nifti_rotation_and_labels(inspect, jp_root_dir):
    # A 90° rotation about z (quaternion b=c=0, d=sin 45°): i runs along y, j along -x.
    nifti_file(
        jp_root_dir / "aseg.nii.gz",
        volume((30, 20, 10), np.int16),
        quatern=(0.0, 0.0, float(np.sqrt(0.5))),
        qoffset=(100.0, 0.0, 0.0),
    )
    state = (await opened(inspect, "aseg.nii.gz"))["state"]
    assert state["layers"][0]["type"] == "segmentation"  # int16, and "seg" in the name
    assert state["position"] == pytest.approx([100 - 10.5, 15.5, 5.5], abs=1e-5)

    nifti_file(jp_root_dir / "atlas.nii", volume((4, 4, 4), np.float32), intent_code=1002)
    state = (await opened(inspect, "atlas.nii"))["state"]
    assert state["layers"][0]["type"] == "segmentation"  # NIFTI_INTENT_LABEL


# -- what cannot be opened --------------------------------------------------------------------


async def test_unsupported_data_types_are_422(inspect, jp_root_dir):
    zarr2_array(jp_root_dir / "f64.zarr", volume(dtype=np.float64))
    nifti_file(jp_root_dir / "f64.nii", volume(dtype=np.float64))
    for path in ("f64.zarr", "f64.nii"):
        status, error = await inspect(path)
        assert status == 422
        assert "float64" in error["message"] and "float32" in error["message"]


async def test_not_a_dataset_is_422_with_what_was_found(inspect, jp_root_dir):
    (jp_root_dir / "notes").mkdir()
    (jp_root_dir / "notes" / "todo.txt").write_text("x")
    (jp_root_dir / "notes" / "plot.png").write_bytes(b"x")
    status, error = await inspect("notes")
    assert status == 422
    assert error["code"] == 422
    assert "'todo.txt'" in error["message"] and "'plot.png'" in error["message"]
    assert "zarr" in error["message"] and "NIfTI" in error["message"]

    status, error = await inspect("notes/todo.txt")
    assert status == 422
    assert "NIfTI" in error["message"]

    (jp_root_dir / "fake.nii").write_bytes(b"not a header")
    status, error = await inspect("fake.nii")
    assert status == 422
    assert "NIfTI" in error["message"]

    zarr2_group(jp_root_dir / "empty.zarr")
    status, error = await inspect("empty.zarr")
    assert status == 422
    assert "no arrays" in error["message"]


async def test_missing_is_404(inspect, jp_root_dir):
    status, error = await inspect("nowhere.zarr")
    assert status == 404
    assert "nowhere.zarr" in error["message"]


async def test_hidden_is_404(inspect, jp_root_dir):
    zarr2_array(jp_root_dir / ".cache" / "x.zarr", volume())
    status, error = await inspect(".cache/x.zarr")
    assert status == 404
    assert "hidden" in error["message"]


async def test_outside_the_root_is_400(inspect, jp_root_dir):
    outside = jp_root_dir.parent / "elsewhere.zarr"
    zarr2_array(outside, volume())
    (jp_root_dir / "link.zarr").symlink_to(outside, target_is_directory=True)
    for path in ("../elsewhere.zarr", "link.zarr", "data/../../elsewhere.zarr"):
        status, error = await inspect(path)
        assert status == 400, path
        assert "root" in error["message"]


async def test_arrays_linked_from_outside_are_not_read(inspect, jp_root_dir):
    """Inspection sees what the file route serves: an array linked from outside is skipped."""
    outside = zarr2_array(jp_root_dir.parent / "secret_array", volume())
    group = zarr2_group(jp_root_dir / "group.zarr")
    zarr2_array(group / "inside", volume())
    (group / "outside").symlink_to(outside, target_is_directory=True)
    answer = await opened(inspect, "group.zarr")
    assert [name for name, _, _ in layers_of(answer)] == ["inside"]


@pytest.mark.parametrize(
    "origin",
    [
        "javascript:alert(1)",
        "http://host/path",
        "http://host/",
        "http://user@host",
        "ftp://host",
        "http://host:99999",
        "http://host?x=1",
        "http://ho st",
        "",
    ],
)
async def test_bad_origin_is_400(inspect, jp_root_dir, origin):
    zarr2_array(jp_root_dir / "raw.zarr", volume())
    status, error = await inspect("raw.zarr", origin=origin)
    assert status == 400
    assert "origin" in error["message"]


async def test_missing_path_is_400(inspect):
    status, error = await inspect(None)
    assert status == 400
    assert "path" in error["message"]


async def test_without_origin_the_request_host_is_used(inspect, jp_root_dir, jp_base_url):
    zarr2_array(jp_root_dir / "raw.zarr", volume())
    status, answer = await inspect("raw.zarr", origin=None)
    assert status == 200
    source = answer["state"]["layers"][0]["source"]
    assert source.startswith("zarr2://http://") and f"{jp_base_url}neuroglancer/files/" in source


async def test_unauthenticated_is_refused(raw_fetch, jp_base_url, jp_root_dir):
    zarr2_array(jp_root_dir / "raw.zarr", volume())
    response = await raw_fetch(f"{jp_base_url}neuroglancer/api/datasets?path=raw.zarr")
    assert response.code == 403
    assert "path" not in json.loads(response.body)


def test_parse_origin():
    assert parse_origin("http://localhost:8888") == "http://localhost:8888"
    assert parse_origin("HTTPS://hub.example.org") == "https://hub.example.org"
    assert parse_origin("http://[::1]:8888") == "http://[::1]:8888"
    for bad in ("http://", "http://a:b", "http://a:0", "https://a.b/c", "//a.b"):
        with pytest.raises(ValueError):
            parse_origin(bad)


# -- an optional cross-check with the zarr library ----------------------------------------------


async def test_written_by_the_zarr_library(inspect, files, jp_root_dir):
    zarr = pytest.importorskip("zarr")
    array = zarr.open(
        str(jp_root_dir / "lib.zarr"), mode="w", shape=(10, 20, 30), chunks=(8, 8, 8), dtype="u2"
    )
    array[:] = volume(dtype=np.uint16)
    answer = await opened(inspect, "lib.zarr")
    assert answer["format"] in ("zarr2", "zarr3")
    assert answer["state"]["position"] == [15.5, 10.5, 5.5]


def test_nifti_headers_in_both_byte_orders_and_versions():
    little = nifti_bytes(volume((4, 5, 6)), pixdim=(2.0, 3.0, 4.0), qoffset=(1.0, 2.0, 3.0))
    header = parse_header(little)
    assert header is not None
    assert header.dims[:4] == [3, 4, 5, 6] and header.datatype == 2
    assert header.pixdim[1:4] == [2.0, 3.0, 4.0] and header.qoffset == (1.0, 2.0, 3.0)

    # The same header big-endian: every numeric field byte-swapped.
    big = bytearray(little[:348])
    for offset, fmt in [(0, "i"), (40, "8h"), (68, "h"), (70, "h"), (76, "8f"), (268, "3f")]:
        values = struct.unpack_from("<" + fmt, little, offset)
        struct.pack_into(">" + fmt, big, offset, *values)
    swapped = parse_header(bytes(big))
    assert swapped is not None
    assert swapped.dims == header.dims and swapped.pixdim == header.pixdim
    assert swapped.qoffset == header.qoffset

    # NIfTI-2: 540-byte header, 64-bit fields.
    two = bytearray(540)
    struct.pack_into("<i", two, 0, 540)
    two[4:8] = b"n+2\x00"
    struct.pack_into("<h", two, 12, 16)
    struct.pack_into("<8q", two, 16, 3, 7, 8, 9, 1, 1, 1, 1)
    struct.pack_into("<8d", two, 104, 1.0, 0.5, 0.5, 2.0, 1, 1, 1, 1)
    struct.pack_into("<i", two, 500, 2)
    struct.pack_into("<3d", two, 376, -1.0, -2.0, -3.0)
    header2 = parse_header(bytes(two))
    assert header2 is not None
    assert header2.dims[:4] == [3, 7, 8, 9] and header2.datatype == 16
    assert header2.pixdim[1:4] == [0.5, 0.5, 2.0] and header2.qoffset == (-1.0, -2.0, -3.0)

    assert parse_header(little[:100]) is None
    header_only = bytearray(little)
    header_only[344:348] = b"ni1\x00"
    assert parse_header(bytes(header_only)) is None
