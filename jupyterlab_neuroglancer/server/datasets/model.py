"""What inspection finds, and how it becomes a Neuroglancer state.

A dataset is one or more :class:`Layer` objects. Each layer knows its data source (a scheme and a
path under the server's root) and the global axes it brings, with a position on each: the centre
of the volume on spatial axes, the first sample on the others (time, an unnamed leading axis),
snapped to a voxel centre as Neuroglancer itself does. :meth:`DatasetInfo.to_json` turns this into
the API's answer, with absolute sources under the file route.
"""

from __future__ import annotations

import math
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

IMAGE = "image"
SEGMENTATION = "segmentation"

SUPPORTED_FORMATS_SENTENCE = (
    "Neuroglancer opens zarr v2 and v3 folders (with .zarray, .zgroup or zarr.json), OME-Zarr "
    "images and labels, N5 folders (attributes.json), Neuroglancer precomputed folders (an "
    "info file) and NIfTI files (.nii, .nii.gz)."
)

NEUROGLANCER_DTYPES = ("uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "float32")
"""The data types Neuroglancer displays (``int64`` too for zarr v2 and NIfTI, read as uint64)."""

LABEL_DTYPES = frozenset({"uint32", "uint64", "int64"})
"""Integer types that are, in practice, always label (segment id) volumes."""

SMALL_INTEGER_DTYPES = frozenset({"uint8", "int8", "uint16", "int16", "int32"})
"""Integer types used both for intensities and for labels: the name decides."""

LABEL_NAME = re.compile(r"label|seg|mask|atlas|parc", re.IGNORECASE)
"""A dataset or array name that says it holds labels (``labels``, ``aseg``, ``cell_mask``...)."""

_DATASET_SUFFIXES = (".ome.zarr", ".zarr", ".n5", ".nii.gz", ".nii")

_VALID_DIMENSION_NAME = re.compile(r"[a-zA-Z][a-zA-Z_0-9]*['^]?")
"""Neuroglancer's rule for dimension names."""


class DatasetError(Exception):
    """Inspection failed; ``status`` is the HTTP status, ``str(error)`` a sentence for the user."""

    status = 422


class BadDatasetPathError(DatasetError):
    """The path is malformed or leads outside the server's root."""

    status = 400


class DatasetNotFoundError(DatasetError):
    """Nothing (visible) exists at the path."""

    status = 404


class NotADatasetError(DatasetError):
    """Something exists there, but not a dataset Neuroglancer can open."""

    status = 422


@dataclass
class Axis:
    """A global axis a layer brings: name, Neuroglancer scale and unit, and a position on it."""

    name: str
    scale: float
    unit: str
    position: float
    extent: float = 0.0
    """The volume's length along the axis, in the axis's unit (metres, say); 0 if unknown."""


@dataclass
class GridAxis:
    """An axis of a voxel grid: ``size`` voxels from ``lower`` (in voxels of ``scale``)."""

    name: str
    scale: float
    unit: str
    lower: float
    size: int
    spatial: bool

    def position(self) -> float:
        """The centre of the middle voxel (spatial axes) or of the first one (the others)."""
        index = max(self.size, 1) // 2 if self.spatial else 0
        return self.lower + index + 0.5


def is_local_dimension(name: str) -> bool:
    """Whether ``name`` is a layer-local (``c'``) or channel (``c^``) dimension."""
    return name.endswith(("'", "^"))


def global_axes(grid: list[GridAxis]) -> list[Axis]:
    """The global axes of ``grid`` (given in preferred order), with ``x``, ``y``, ``z`` first.

    Empty when a name is not one Neuroglancer accepts: the state then leaves dimensions and
    position to Neuroglancer, which centres the view itself.
    """
    kept = [axis for axis in grid if not is_local_dimension(axis.name)]
    if any(not _VALID_DIMENSION_NAME.fullmatch(axis.name) for axis in grid):
        return []
    if len({axis.name for axis in kept}) != len(kept):
        return []
    spatial_order = {"x": 0, "y": 1, "z": 2}
    first = sorted(
        (axis for axis in kept if axis.name in spatial_order),
        key=lambda axis: spatial_order[axis.name],
    )
    rest = [axis for axis in kept if axis.name not in spatial_order]
    return [Axis(a.name, a.scale, a.unit, a.position(), a.size * a.scale) for a in [*first, *rest]]


@dataclass
class Layer:
    """One Neuroglancer layer of a dataset."""

    name: str
    kind: str
    scheme: str
    path: str
    """The source's path relative to the server's root (a folder, or a file for NIfTI)."""
    is_dir: bool = True
    axes: list[Axis] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    """More layer state (``segmentColors``...)."""

    def source(self, files_url: str) -> str:
        """The absolute data source URL, e.g. ``zarr2://https://host/base/.../files/x.zarr/``."""
        url = files_url + urllib.parse.quote(self.path, safe="/")
        if self.is_dir and not url.endswith("/"):
            url += "/"
        return f"{self.scheme}://{url}"

    def to_state(self, files_url: str) -> dict[str, Any]:
        """The layer's entry in ``state["layers"]``."""
        return {"type": self.kind, "source": self.source(files_url), "name": self.name} | (
            self.options
        )


@dataclass
class DatasetInfo:
    """What :func:`inspect_dataset` found at a path."""

    path: str
    format: str
    name: str
    layers: list[Layer]

    def axes(self) -> list[Axis]:
        """The global axes of all layers: each from the first layer that has it."""
        merged: dict[str, Axis] = {}
        for layer in self.layers:
            for axis in layer.axes:
                known = merged.get(axis.name)
                if known is None:
                    merged[axis.name] = Axis(
                        axis.name, axis.scale, axis.unit, axis.position, axis.extent
                    )
                elif known.unit == axis.unit:
                    known.extent = max(known.extent, axis.extent)
        return list(merged.values())

    def state(self, files_url: str) -> dict[str, Any]:
        """A complete Neuroglancer state showing every layer, centred on the first."""
        state: dict[str, Any] = {}
        axes = self.axes()
        if axes and all(layer.axes for layer in self.layers):
            state["dimensions"] = {axis.name: [axis.scale, axis.unit] for axis in axes}
            state["position"] = [_tidy(axis.position) for axis in axes]
            zoom = _cross_section_scale(axes)
            if zoom is not None:
                state["crossSectionScale"] = zoom
        state["layers"] = [layer.to_state(files_url) for layer in self.layers]
        # Three views and 3D for volumes; one view for planes (2 axes, or y/x plus channels).
        state["layout"] = "xy" if axes and len(axes) < 3 else "4panel"
        return state

    def to_json(self, files_url: str) -> dict[str, Any]:
        """The ``api/datasets`` answer."""
        return {
            "path": self.path,
            "format": self.format,
            "name": self.name,
            "state": self.state(files_url),
        }


VIEW_PIXELS = 400
"""Roughly the width, in screen pixels, of one of the 2D views of a panel."""


def _cross_section_scale(axes: list[Axis]) -> float | None:
    """A zoom that fits a small volume's first two axes in a view; ``None`` for a large one.

    Neuroglancer's default zoom shows one voxel per screen pixel: right for large volumes
    (zooming out would load every chunk of a single-resolution array), but a 40-voxel test
    volume or a 1 mm brain scan is then a stamp in the middle. Those are zoomed in until they
    fill about one view; the zoom never goes below one voxel per pixel.
    """
    display = axes[:3]
    if len(display) < 2 or len({axis.unit for axis in display[:2]}) != 1:
        return None
    extent = max(axis.extent for axis in display[:2])
    voxel = min(axis.scale for axis in display if axis.unit == display[0].unit)
    if extent <= 0 or voxel <= 0:
        return None
    zoom = extent / VIEW_PIXELS / voxel
    if zoom >= 1:
        return None
    return float(f"{zoom:.3g}")


def _tidy(value: float) -> float | int:
    """``12.0`` → ``12``; other values unchanged (JSON stays short and exact)."""
    if math.isfinite(value) and float(value).is_integer():
        return int(value)
    return value


def dataset_name(path: str, fallback: str = "dataset") -> str:
    """The name of the dataset at ``path``: its last segment without a format suffix."""
    name = path.rstrip("/").rsplit("/", 1)[-1] if path else ""
    lower = name.lower()
    for suffix in _DATASET_SUFFIXES:
        if lower.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name or fallback


def layer_kind(dtype: str, hint: str, *, is_label: bool = False) -> str:
    """``segmentation`` for label data, ``image`` otherwise.

    Labels: ``is_label`` (the metadata says so), a type used only for labels (uint32, uint64,
    int64), or a smaller integer type when ``hint`` (the dataset's and array's names) says
    labels.
    """
    if is_label or dtype in LABEL_DTYPES:
        return SEGMENTATION
    if dtype in SMALL_INTEGER_DTYPES and LABEL_NAME.search(hint):
        return SEGMENTATION
    return IMAGE


def unsupported_dtype_message(what: str, dtype: str, *, int64: bool = False) -> str:
    """The sentence for data of a type Neuroglancer cannot show."""
    shown = ", ".join(NEUROGLANCER_DTYPES)
    extra = " (and int64, read as uint64)" if int64 else ""
    return (
        f"'{what}' holds {dtype} data, which Neuroglancer cannot display. It shows {shown} "
        f"data{extra}: convert the data to one of these types (float64 to float32, say)."
    )


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name 2``, ``name 3``... whichever is not in ``taken`` (which is updated)."""
    candidate = name
    number = 2
    while candidate in taken:
        candidate = f"{name} {number}"
        number += 1
    taken.add(candidate)
    return candidate
