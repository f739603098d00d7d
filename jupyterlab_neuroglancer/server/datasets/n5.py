"""N5 folders: datasets (arrays), multiscale groups and containers of datasets.

What Neuroglancer's N5 data source (``n5://`` on a folder URL) reads:

- ``attributes.json`` of the folder **and of every folder above it, up to the host's root**,
  merged (the deepest wins); missing ones are fine (404). Above the file route they are outside
  the server's root, and answered 404 by Jupyter;
- a dataset (``dimensions`` and ``dataType``): its blocks ``0/0/0``;
- a multiscale group: the scales ``s0``, ``s1``... listed by ``scales`` or
  ``downsamplingFactors`` in the group's attributes; without them, it would list the folder,
  which the file route does not do, so such a group opens its full-resolution ``s0`` only.

Axis names come from ``axes`` (default ``x``, ``y``, ``z``, ``t``, ``c``...), voxel sizes from
``resolution`` or ``pixelResolution``, units from ``units`` (default nanometres).
"""

from __future__ import annotations

from typing import Any

from ..file_access import ServedTree, join
from .model import (
    GridAxis,
    Layer,
    NotADatasetError,
    global_axes,
    layer_kind,
    unique_name,
    unsupported_dtype_message,
)
from .units import n5_unit, scale_by_exp10

MAX_LAYERS = 16

_DTYPES = frozenset({"uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "float32"})
_COMPRESSIONS = frozenset({"raw", "gzip", "blosc", "zstd"})
_DEFAULT_AXES = ("x", "y", "z", "t", "c")


def merged_attributes(tree: ServedTree, path: str) -> dict[str, Any]:
    """``attributes.json`` of ``path`` merged over those of the folders above it (to the root)."""
    segments = path.split("/") if path else []
    merged: dict[str, Any] = {}
    for depth in range(len(segments) + 1):
        attributes = tree.read_json_object(join(*segments[:depth], "attributes.json"))
        if attributes:
            merged.update(attributes)
    return merged


def _is_dataset(attributes: dict[str, Any]) -> bool:
    return isinstance(attributes.get("dimensions"), list) and "dataType" in attributes


def _numbers(value: Any, rank: int) -> list[float] | None:
    if (
        isinstance(value, list)
        and len(value) == rank
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in value)
    ):
        return [float(v) for v in value]
    return None


def _problem(path: str, attributes: dict[str, Any]) -> str | None:
    dtype = attributes.get("dataType")
    if dtype not in _DTYPES:
        return unsupported_dtype_message(path, str(dtype))
    compression = attributes.get("compression")
    kind = (
        compression.get("type")
        if isinstance(compression, dict)
        else attributes.get("compressionType", "raw")
    )
    if kind not in _COMPRESSIONS:
        return (
            f"'{path}' is compressed with {kind}, which Neuroglancer cannot read (it reads raw, "
            "gzip, blosc and zstd N5 blocks). Re-save the dataset with one of these."
        )
    return None


def n5_grid(attributes: dict[str, Any], shape: list[int]) -> list[GridAxis]:
    """The axes Neuroglancer gives an N5 dataset of ``shape`` with (merged) ``attributes``."""
    rank = len(shape)
    names = attributes.get("axes")
    named = isinstance(names, list) and all(isinstance(n, str) for n in names)
    if not (named and len(names) == rank):
        names = [*_DEFAULT_AXES[:rank], *(f"d{i + 1}" for i in range(len(_DEFAULT_AXES), rank))]
    resolution = _numbers(attributes.get("resolution"), rank)
    default_unit: tuple[str, int] = ("m", -9)
    pixel = attributes.get("pixelResolution")
    if isinstance(pixel, dict):
        default_unit = n5_unit(pixel.get("unit")) or default_unit
        resolution = _numbers(pixel.get("dimensions"), rank) or resolution
    units_attr = attributes.get("units")
    units = (
        [n5_unit(u) or default_unit for u in units_attr]
        if isinstance(units_attr, list) and len(units_attr) == rank
        else [default_unit] * rank
    )
    resolution = resolution or [1.0] * rank
    grid = []
    for i, name in enumerate(names):
        unit, exponent = units[i]
        spatial = name.lower() in ("x", "y", "z") or unit == "m"
        scale = scale_by_exp10(resolution[i], exponent)
        grid.append(GridAxis(name, scale, unit, 0.0, shape[i], spatial))
    if not any(axis.spatial for axis in grid):
        for axis in grid[:3]:
            axis.spatial = True
    return grid


def _dataset_layer(tree: ServedTree, source: str, array: str, name: str, hint: str) -> Layer:
    """A layer for the N5 source ``source`` whose full-resolution dataset is ``array``."""
    attributes = merged_attributes(tree, array)
    problem = _problem(array, attributes)
    if problem:
        raise NotADatasetError(problem)
    shape = [int(n) for n in attributes["dimensions"]]
    # Axes, voxel size and units are the source's (a multiscale group's, for its scales).
    grid = n5_grid(merged_attributes(tree, source), shape)
    return Layer(
        name=name,
        kind=layer_kind(str(attributes["dataType"]), hint),
        scheme="n5",
        path=source,
        axes=global_axes(grid),
    )


def node_layers(
    tree: ServedTree,
    path: str,
    name: str,
    hint: str,
    taken: set[str],
    problems: list[str],
    *,
    depth: int = 0,
) -> list[Layer]:
    """The layers showing the N5 node at ``path``."""
    attributes = merged_attributes(tree, path)
    if _is_dataset(attributes):
        return [_dataset_layer(tree, path, path, unique_name(name, taken), hint)]
    s0 = join(path, "s0")
    if _is_dataset(merged_attributes(tree, s0)):
        listed = attributes.get("scales") or attributes.get("downsamplingFactors")
        multiscale = isinstance(listed, list) and bool(listed) and isinstance(listed[0], list)
        # Without a list of scales Neuroglancer would need a folder listing: open s0 then.
        source = path if multiscale else s0
        return [_dataset_layer(tree, source, s0, unique_name(name, taken), hint)]
    if depth > 0:
        return []
    layers: list[Layer] = []
    for child in tree.child_dirs(path):
        if len(layers) >= MAX_LAYERS:
            break
        if not tree.is_file(join(path, child, "attributes.json")):
            continue
        try:
            layers += node_layers(
                tree,
                join(path, child),
                child,
                f"{hint}/{child}",
                taken,
                problems,
                depth=depth + 1,
            )
        except NotADatasetError as error:
            problems.append(str(error))
    return layers[:MAX_LAYERS]


def inspect_n5(tree: ServedTree, path: str, name: str) -> list[Layer] | None:
    """The layers for the N5 folder ``path``, or ``None`` if it is not one."""
    if not tree.is_file(join(path, "attributes.json")):
        is_container = path.lower().endswith(".n5") and any(
            tree.is_file(join(path, child, "attributes.json")) for child in tree.child_dirs(path)
        )
        if not is_container:
            return None
    problems: list[str] = []
    layers = node_layers(tree, path, name, name, set(), problems)
    if not layers:
        detail = (
            " ".join(problems[:3])
            if problems
            else (
                "It is an N5 group that holds no dataset (no attributes.json with dimensions and "
                "dataType, here, in s0 or in a sub-folder)."
            )
        )
        raise NotADatasetError(f"Nothing in '{path or '.'}' can be shown. {detail}")
    return layers
