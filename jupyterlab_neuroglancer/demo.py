"""The offline demo: a synthetic EM-like volume, its segmentation, and a viewer showing both.

Nothing here touches the network. The data is made with numpy alone, slice by slice, from a seed:

- the segmentation is a power diagram (Voronoi cells with weights, so sizes vary) of a few
  dozen seeds, computed in coordinates bent by a smooth warp field, so cells look organic;
  voxels on a cell boundary are left as background (0), which keeps neighbouring meshes apart;
- the image has cells with slightly different grey levels and a grainy texture, dark membranes
  along the cell boundaries, mitochondria (dark, with stripes like cristae) and clusters of
  vesicles, clipped to the cell they sit in, plus per-slice noise like an electron microscope's.

Arrays are indexed ``(z, y, x)``; the viewer shows them at 8 nm isotropic voxels.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np

__all__ = [
    "DEMO_SHAPE",
    "DEMO_VOXEL_SIZE_NM",
    "build_demo_viewer",
    "make_demo_segmentation",
    "make_demo_volumes",
]

#: Default ``(z, y, x)`` shape of the demo volumes.
DEMO_SHAPE = (160, 160, 160)
#: ``(z, y, x)`` voxel size of the demo, in nanometres.
DEMO_VOXEL_SIZE_NM = (8.0, 8.0, 8.0)

_TARGET_CELLS = 46
_MEMBRANE_HALF_WIDTH = 1.0  # voxels on each side of a boundary labelled 0


def make_demo_volumes(
    shape: Sequence[int] = DEMO_SHAPE, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(image, segmentation)``: a ``uint8`` EM-like volume and its ``uint32`` labels.

    Both have ``shape`` (``z, y, x``). The same ``shape`` and ``seed`` always give the same
    arrays. Label 0 marks the membranes between cells; cells are numbered from 1.
    """
    shape = _check_shape(shape)
    rng = np.random.default_rng(seed)
    segmentation, boundary_distance = make_demo_segmentation(shape, rng)
    image = _render_image(segmentation, boundary_distance, rng)
    return image, segmentation


def make_demo_segmentation(
    shape: Sequence[int], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(labels, boundary_distance)`` for a warped power diagram filling ``shape``.

    ``labels`` is ``uint32`` (0 on membranes); ``boundary_distance`` (``float32``) is each
    voxel's distance, in voxels, to the nearest cell boundary.
    """
    shape = _check_shape(shape)
    seeds, weights = _place_seeds(shape, rng)
    warp = _Warp(shape, rng)
    # score_i(p) = |p - s_i|^2 - w_i, minus the |p|^2 term shared by every cell: linear in p,
    # so a whole slice is one matrix product.
    coefficients = np.vstack([-2.0 * seeds.T, (seeds**2).sum(axis=1) - weights])
    seed_gap = np.sqrt(((seeds[:, None, :] - seeds[None, :, :]) ** 2).sum(axis=2))
    depth, height, width = shape
    labels = np.empty(shape, dtype=np.uint32)
    distance = np.empty(shape, dtype=np.float32)
    rows = np.arange(height * width)
    for z in range(depth):
        points = warp.points(z)  # (height * width, 4): z, y, x, 1 after warping
        score = points @ coefficients
        first = score.argmin(axis=1)
        best = score[rows, first]
        score[rows, first] = np.inf
        second = score.argmin(axis=1)
        gap = score[rows, second] - best
        slice_distance = gap / (2.0 * seed_gap[first, second])
        labels[z] = (first + 1).reshape(height, width)
        distance[z] = slice_distance.reshape(height, width)
    labels[distance < _MEMBRANE_HALF_WIDTH] = 0
    return labels, distance


@functools.lru_cache(maxsize=2)
def _shared_demo_volumes(shape: tuple[int, ...], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The demo volumes, computed once per process and shared (read-only) by every demo viewer:
    twenty open demos cost the memory and the time of one."""
    image, segmentation = make_demo_volumes(shape, seed)
    image.flags.writeable = False
    segmentation.flags.writeable = False
    return image, segmentation


def build_demo_viewer(shape: Sequence[int] = DEMO_SHAPE, seed: int = 0):
    """Return a ``neuroglancer.Viewer`` showing the demo volumes, served from this process.

    It has an image layer ``"em"`` and a segmentation layer ``"segmentation"`` (both
    ``neuroglancer.LocalVolume``; meshes are made on demand), a 4-panel layout centred on the
    volume, and a few segments selected so that the 3D view shows their meshes.
    """
    import neuroglancer

    from .kernel.bridge import ensure_loopback_server

    shape = _check_shape(shape)
    image, segmentation = _shared_demo_volumes(tuple(shape), seed)
    source_space = neuroglancer.CoordinateSpace(
        names=["z", "y", "x"], units="nm", scales=list(DEMO_VOXEL_SIZE_NM)
    )
    # The viewer's own dimensions go x, y, z so that the "xy" panel shows x and y.
    view_space = neuroglancer.CoordinateSpace(
        names=["x", "y", "z"], units="nm", scales=list(DEMO_VOXEL_SIZE_NM[::-1])
    )
    em = neuroglancer.LocalVolume(image, dimensions=source_space, volume_type="image")
    cells = neuroglancer.LocalVolume(
        segmentation, dimensions=source_space, volume_type="segmentation"
    )

    ensure_loopback_server()
    viewer = neuroglancer.Viewer()
    with viewer.txn() as state:
        state.dimensions = view_space
        state.position = [size / 2 for size in shape[::-1]]
        state.layout = "4panel"
        # About two screen pixels per voxel: the volume fills a panel of a typical window.
        state.cross_section_scale = 160 / max(shape) * 0.55
        state.projection_scale = 2.0 * max(shape)
        state.layers["em"] = neuroglancer.ImageLayer(source=em)
        state.layers["segmentation"] = neuroglancer.SegmentationLayer(
            source=cells,
            segments=demo_selected_segments(segmentation),
            selected_alpha=0.35,
        )
        state.selected_layer.layer = "segmentation"
    return viewer


def demo_selected_segments(segmentation: np.ndarray, count: int = 6) -> list[int]:
    """Return the ids of ``count`` large cells near the middle of ``segmentation``."""
    depth, height, width = segmentation.shape
    core = segmentation[
        depth // 4 : depth - depth // 4,
        height // 4 : height - height // 4,
        width // 4 : width - width // 4,
    ]
    ids, sizes = np.unique(core[core != 0], return_counts=True)
    order = np.argsort(-sizes, kind="stable")
    return sorted(int(i) for i in ids[order[:count]])


def _check_shape(shape: Sequence[int]) -> tuple[int, int, int]:
    dims = tuple(int(n) for n in shape)
    if len(dims) != 3 or min(dims) < 8:
        raise ValueError(
            f"The demo volume needs a (z, y, x) shape with at least 8 voxels per axis, "
            f"not {tuple(shape)}."
        )
    return dims  # type: ignore[return-value]


def _place_seeds(
    shape: tuple[int, int, int], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Seeds kept apart by a minimum spacing (dart throwing), and their weights."""
    dims = np.array(shape, dtype=np.float64)
    spacing = (dims.prod() / _TARGET_CELLS) ** (1 / 3)
    low = -0.1 * dims
    high = 1.1 * dims
    min_gap = 0.75 * spacing
    seeds: list[np.ndarray] = []
    candidates = rng.uniform(low, high, size=(4000, 3))
    for candidate in candidates:
        if len(seeds) == _TARGET_CELLS:
            break
        if not seeds or np.min(np.linalg.norm(np.array(seeds) - candidate, axis=1)) >= min_gap:
            seeds.append(candidate)
    points = np.array(seeds)
    # Weights up to (0.35 * min_gap)^2 never empty a cell: every seed keeps its own site.
    weights = (rng.uniform(0.0, 0.35, size=len(points)) * min_gap) ** 2
    return points, weights


class _Warp:
    """A smooth displacement field (a few sine waves per axis), evaluated slice by slice.

    Each wave is ``A sin(kz z + b(y, x))`` with ``b = ky y + kx x + phase``; written as
    ``A sin(kz z) cos(b) + A cos(kz z) sin(b)``, a slice's displacement is a fixed set of
    ``(y, x)`` images mixed with per-slice weights: one small matrix product.
    """

    def __init__(self, shape: tuple[int, int, int], rng: np.random.Generator) -> None:
        size = max(shape)
        waves = 3
        directions = rng.normal(size=(3, waves, 3))
        directions /= np.linalg.norm(directions, axis=2, keepdims=True)
        wavelengths = rng.uniform(0.3, 0.7, size=(3, waves)) * size
        vectors = directions * (2 * math.pi / wavelengths)[..., None]  # (axis, wave, zyx)
        phases = rng.uniform(0, 2 * math.pi, size=(3, waves))
        self.amplitudes = rng.uniform(0.025, 0.045, size=(3, waves)) * size
        self.kz = vectors[..., 0]
        _, height, width = shape
        y, x = np.mgrid[0:height, 0:width]
        y = y.ravel().astype(np.float64)
        x = x.ravel().astype(np.float64)
        phase = vectors[..., 1, None] * y + vectors[..., 2, None] * x + phases[..., None]
        # basis columns: cos(b) then sin(b) of every (axis, wave)
        self.basis = np.concatenate(
            [np.cos(phase).reshape(-1, y.size), np.sin(phase).reshape(-1, y.size)]
        ).T
        self.base = np.stack([np.zeros_like(y), y, x, np.ones_like(y)], axis=1)

    def points(self, z: int) -> np.ndarray:
        """Warped ``(z, y, x, 1)`` coordinates of every voxel of slice ``z``."""
        waves = self.kz.shape[1]
        weights = np.zeros((2 * 3 * waves, 4))
        for axis in range(3):
            for wave in range(waves):
                column = axis * waves + wave
                angle = self.kz[axis, wave] * z
                weights[column, axis] = self.amplitudes[axis, wave] * math.sin(angle)
                weights[3 * waves + column, axis] = self.amplitudes[axis, wave] * math.cos(angle)
        out = self.basis @ weights
        out += self.base
        out[:, 0] += z
        return out


def _render_image(
    labels: np.ndarray, boundary_distance: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Paint the EM-like image for ``labels`` (see the module docstring)."""
    depth, height, width = labels.shape
    cell_count = int(labels.max())
    cell_grey = rng.uniform(148.0, 188.0, size=cell_count + 1).astype(np.float32)
    cell_grey[0] = 160.0
    mottle = _SmoothField(labels.shape, cell=9.0, rng=rng)
    stain = _SmoothField(labels.shape, cell=24.0, rng=rng)
    organelles = _place_organelles(labels, boundary_distance, rng)
    image = np.empty(labels.shape, dtype=np.uint8)
    for z in range(depth):
        label = labels[z]
        # Cytoplasm: a grey level per cell, uneven staining, and a fine grain.
        grey = cell_grey[label] + 11.0 * mottle.slice(z) + 8.0 * stain.slice(z)
        grey += 9.0 * _blur(rng.normal(0.0, 1.0, size=(height, width)).astype(np.float32))
        # Membranes: dark lines along cell boundaries, a little uneven.
        membrane = np.exp(-((boundary_distance[z] / 1.5) ** 2)) * 0.75
        grey = grey * (1.0 - membrane) + (38.0 + 10.0 * stain.slice(z)) * membrane
        for organelle in organelles:
            organelle.paint(grey, label, z)
        # Detector noise, independent per voxel.
        grey += rng.normal(0.0, 7.0, size=(height, width)).astype(np.float32)
        image[z] = np.clip(grey, 0, 255).astype(np.uint8)
    return image


def _blur(values: np.ndarray) -> np.ndarray:
    """A small separable blur (two 3-tap passes per axis), edges wrapped; keeps unit variance."""
    out = values
    for axis in (0, 1):
        for _ in range(2):
            out = (np.roll(out, 1, axis) + 2 * out + np.roll(out, -1, axis)) / 4
    return out / out.std()


class _SmoothField:
    """Smooth 3D noise of about unit variance: random values on a coarse grid, spread with
    Gaussian bumps along each axis (separable, so a slice is two small matrix products)."""

    def __init__(self, shape: tuple[int, ...], cell: float, rng: np.random.Generator) -> None:
        self.weights = []
        for size in shape:
            nodes = np.arange(-1, math.ceil(size / cell) + 2) * cell
            offsets = (np.arange(size)[:, None] - nodes[None, :]) / cell
            self.weights.append(np.exp(-(offsets**2)).astype(np.float32))
        wz, wy, wx = self.weights
        self.coarse = rng.normal(size=(wz.shape[1], wy.shape[1], wx.shape[1]))
        self.coarse = self.coarse.astype(np.float32)
        middle = self._raw(shape[0] // 2)
        self.scale = 1.0 / float(middle.std() or 1.0)

    def _raw(self, z: int) -> np.ndarray:
        wz, wy, wx = self.weights
        plane = np.tensordot(wz[z], self.coarse, axes=1)
        return wy @ plane @ wx.T

    def slice(self, z: int) -> np.ndarray:
        return self._raw(z) * self.scale


class _Organelle:
    """A mitochondrion (ellipsoid with cristae) or a vesicle (small ring), inside one cell."""

    def __init__(
        self,
        centre: np.ndarray,
        cell: int,
        radii: tuple[float, float],
        axis: np.ndarray,
        mitochondrion: bool,
    ) -> None:
        self.centre = centre
        self.cell = cell
        self.long_radius, self.short_radius = radii
        self.axis = axis
        self.mitochondrion = mitochondrion
        reach = self.long_radius + 2
        self.z_range = (centre[0] - reach, centre[0] + reach)
        self.reach = math.ceil(reach)

    def paint(self, grey: np.ndarray, label: np.ndarray, z: int) -> None:
        if not self.z_range[0] <= z <= self.z_range[1]:
            return
        height, width = grey.shape
        cy, cx = (int(v) for v in np.rint(self.centre[1:]))
        y0, y1 = max(cy - self.reach, 0), min(cy + self.reach + 1, height)
        x0, x1 = max(cx - self.reach, 0), min(cx + self.reach + 1, width)
        if y0 >= y1 or x0 >= x1:
            return
        y, x = np.mgrid[y0:y1, x0:x1]
        dz = z - self.centre[0]
        dy = y - self.centre[1]
        dx = x - self.centre[2]
        along = dz * self.axis[0] + dy * self.axis[1] + dx * self.axis[2]
        across_sq = np.maximum(dz * dz + dy * dy + dx * dx - along * along, 0.0)
        q = np.sqrt((along / self.long_radius) ** 2 + across_sq / self.short_radius**2)
        edge = (q - 1.0) * self.short_radius  # about the distance to the surface, in voxels
        window = grey[y0:y1, x0:x1]
        inside_cell = label[y0:y1, x0:x1] == self.cell
        rim = np.exp(-((edge / 0.9) ** 2)) * inside_cell
        if self.mitochondrion:
            cristae = 0.5 + 0.5 * np.cos(2 * math.pi * along / 6.0)
            matrix = (edge < 0) & inside_cell
            window[matrix] = window[matrix] * 0.55 + 22.0 * cristae[matrix] - 12.0
            window[:] = window * (1 - 0.6 * rim) + 35.0 * 0.6 * rim
        else:
            lumen = (edge < -0.8) & inside_cell
            window[lumen] += 12.0
            window[:] = window * (1 - 0.45 * rim) + 60.0 * 0.45 * rim


def _place_organelles(
    labels: np.ndarray, boundary_distance: np.ndarray, rng: np.random.Generator
) -> list[_Organelle]:
    """Mitochondria deep inside cells, and vesicle clusters not far from a membrane."""
    scale = max(labels.shape) / 160.0
    organelles: list[_Organelle] = []
    deep = np.argwhere(boundary_distance > 9.0 * scale)
    near = np.argwhere((boundary_distance > 4.0) & (boundary_distance < 9.0 * scale))
    if len(deep):
        for index in rng.choice(len(deep), size=min(70, len(deep)), replace=False):
            centre = deep[index].astype(np.float64)
            axis = rng.normal(size=3)
            axis /= np.linalg.norm(axis)
            long_radius = float(rng.uniform(10.0, 20.0)) * scale
            short_radius = float(rng.uniform(4.5, 7.0)) * scale
            cell = int(labels[tuple(deep[index])])
            organelles.append(_Organelle(centre, cell, (long_radius, short_radius), axis, True))
    if len(near):
        for index in rng.choice(len(near), size=min(8, len(near)), replace=False):
            cluster_centre = near[index].astype(np.float64)
            cell = int(labels[tuple(near[index])])
            for _ in range(18):
                centre = cluster_centre + rng.normal(0.0, 5.0 * scale, size=3)
                radius = float(rng.uniform(2.0, 2.8))
                organelles.append(
                    _Organelle(centre, cell, (radius, radius), np.array([1.0, 0, 0]), False)
                )
    return organelles
