"""Neuroglancer precomputed volumes: a folder with an ``info`` file.

What Neuroglancer's precomputed data source (``precomputed://`` on a folder URL) reads: ``info``,
then chunk files ``<scale key>/<x0>-<x1>_<y0>-<y1>_<z0>-<z1>`` (or, sharded,
``<scale key>/<n>.shard`` with byte ranges), and what ``info`` points to (``mesh``,
``skeletons``, ``segment_properties``: folders with their own ``info``; mesh fragments named
``<id>:0``, which may be missing).

Its axes are always ``x``, ``y``, ``z`` in nanometres (``resolution``), from ``voxel_offset`` to
``voxel_offset + size`` of the first scale; several channels make a ``c^`` channel axis.
"""

from __future__ import annotations

from typing import Any

from ..file_access import ServedTree, join
from .model import (
    IMAGE,
    SEGMENTATION,
    GridAxis,
    Layer,
    NotADatasetError,
    global_axes,
    unsupported_dtype_message,
)

_DTYPES = frozenset({"uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "float32"})


def _triple(value: Any, *, positive: bool) -> list[float] | None:
    if (
        isinstance(value, list)
        and len(value) == 3
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        and (not positive or all(v > 0 for v in value))
    ):
        return [float(v) for v in value]
    return None


def inspect_precomputed(tree: ServedTree, path: str, name: str) -> list[Layer] | None:
    """The layer for the precomputed volume at ``path``, or ``None`` without an ``info`` file."""
    info = tree.read_json_object(join(path, "info"))
    if info is None:
        return None
    shown = path or "."
    volume_type = info.get("type")
    if volume_type not in (IMAGE, SEGMENTATION) or not isinstance(info.get("scales"), list):
        kind = info.get("@type") or volume_type or "unknown"
        raise NotADatasetError(
            f"'{shown}' holds Neuroglancer precomputed data of type '{kind}', not an image or "
            "segmentation volume; only volumes are opened from the file browser. Add it to a "
            "viewer's layer as a precomputed:// source instead."
        )
    dtype = info.get("data_type")
    if dtype not in _DTYPES:
        raise NotADatasetError(unsupported_dtype_message(shown, str(dtype)))
    scales = info["scales"]
    base = scales[0] if scales and isinstance(scales[0], dict) else {}
    resolution = _triple(base.get("resolution"), positive=True)
    size = _triple(base.get("size"), positive=True)
    offset = _triple(base.get("voxel_offset", [0, 0, 0]), positive=False)
    if resolution is None or size is None or offset is None:
        raise NotADatasetError(
            f"The info file of '{shown}' does not describe its first scale (resolution, size "
            "and voxel_offset, three numbers each), so Neuroglancer cannot open it."
        )
    grid = [
        GridAxis(axis, resolution[i] / 1e9, "m", offset[i], int(size[i]), True)
        for i, axis in enumerate(("x", "y", "z"))
    ]
    return [Layer(name, volume_type, "precomputed", path, axes=global_axes(grid))]
