"""The offline demo: deterministic EM-like data, a segmentation, and a viewer with meshes."""

from __future__ import annotations

import time
import urllib.request

import neuroglancer
import numpy as np
import pytest

from jupyterlab_neuroglancer.demo import (
    DEMO_SHAPE,
    build_demo_viewer,
    demo_selected_segments,
    make_demo_volumes,
)


@pytest.fixture(scope="module")
def volumes():
    start = time.perf_counter()
    image, segmentation = make_demo_volumes(DEMO_SHAPE, 0)
    print(f"\nmake_demo_volumes{DEMO_SHAPE}: {time.perf_counter() - start:.2f} s")
    return image, segmentation


@pytest.fixture(scope="module")
def demo_viewer():
    start = time.perf_counter()
    viewer = build_demo_viewer()
    elapsed = time.perf_counter() - start
    print(f"\nbuild_demo_viewer(): {elapsed:.2f} s")
    assert elapsed < 10
    return viewer


def test_shapes_and_types(volumes):
    image, segmentation = volumes
    assert image.shape == segmentation.shape == DEMO_SHAPE
    assert image.dtype == np.uint8
    assert segmentation.dtype == np.uint32


def test_deterministic(volumes):
    image, segmentation = volumes
    again_image, again_segmentation = make_demo_volumes(DEMO_SHAPE, 0)
    assert np.array_equal(image, again_image)
    assert np.array_equal(segmentation, again_segmentation)
    other_image, _ = make_demo_volumes((32, 32, 32), 1)
    small_image, _ = make_demo_volumes((32, 32, 32), 0)
    assert not np.array_equal(other_image, small_image)


def test_segment_count(volumes):
    _, segmentation = volumes
    ids = np.unique(segmentation)
    cells = ids[ids != 0]
    assert 30 <= len(cells) <= 60
    # Cells are sizeable objects (a few are cut by the volume's faces), never specks.
    sizes = np.bincount(segmentation.ravel())[cells]
    assert sizes.min() > 200
    assert np.median(sizes) > 20_000


def test_membranes_are_darker_than_interiors(volumes):
    image, segmentation = volumes
    membranes = image[segmentation == 0].mean()
    interiors = image[segmentation != 0].mean()
    assert membranes < interiors - 40
    # An image with texture, not flat grey: a good spread of values.
    assert image.std() > 25
    assert 100 < image.mean() < 190


def test_other_shapes():
    image, segmentation = make_demo_volumes((40, 48, 56), 3)
    assert image.shape == segmentation.shape == (40, 48, 56)
    with pytest.raises(ValueError, match="at least 8 voxels"):
        make_demo_volumes((4, 40, 40), 0)


def test_viewer_layers_and_view(demo_viewer):
    state = demo_viewer.state
    layers = {layer.name: layer for layer in state.layers}
    assert set(layers) == {"em", "segmentation"}
    assert layers["em"].type == "image"
    assert layers["segmentation"].type == "segmentation"
    assert state.layout.type == "4panel"
    assert list(state.dimensions.names) == ["x", "y", "z"]
    assert list(state.dimensions.scales) == pytest.approx([8e-9] * 3)
    assert list(state.position) == [size / 2 for size in DEMO_SHAPE[::-1]]
    assert 0 < state.cross_section_scale < 1
    assert state.projection_scale >= max(DEMO_SHAPE)
    assert len(layers["segmentation"].segments) >= 3


def test_selected_segment_has_a_mesh(demo_viewer):
    segments = sorted(demo_viewer.state.layers["segmentation"].segments)
    volumes = {v.volume_type: v for v in demo_viewer.volume_manager.volumes.values()}
    start = time.perf_counter()
    mesh = volumes["segmentation"].get_object_mesh(int(segments[0]))
    elapsed = time.perf_counter() - start
    print(f"\nmesh of segment {segments[0]}: {len(mesh)} bytes, {elapsed:.2f} s")
    assert isinstance(mesh, bytes) and len(mesh) > 1000
    vertex_count = int(np.frombuffer(mesh[:4], dtype=np.uint32)[0])
    assert vertex_count > 100


def test_mesh_and_data_over_http(demo_viewer):
    segmentation = demo_viewer.state.layers["segmentation"]
    key = segmentation.source[0].url.split("/")[-1]
    base = neuroglancer.server.get_server_url()
    segment = int(sorted(segmentation.segments)[-1])
    with urllib.request.urlopen(f"{base}/neuroglancer/mesh/{key}/{segment}", timeout=60) as r:
        assert r.status == 200
        assert len(r.read()) > 1000
    with urllib.request.urlopen(demo_viewer.get_viewer_url(), timeout=60) as r:
        assert r.status == 200


def test_selected_segments_are_central_and_large(volumes):
    _, segmentation = volumes
    chosen = demo_selected_segments(segmentation, count=4)
    assert len(chosen) == 4
    centre = segmentation[tuple(n // 2 for n in segmentation.shape)]
    sizes = np.bincount(segmentation.ravel())
    assert all(sizes[c] > 10_000 for c in chosen)
    assert centre == 0 or centre in demo_selected_segments(segmentation, count=10)
