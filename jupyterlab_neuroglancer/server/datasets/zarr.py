"""zarr v2 and v3 folders, OME-Zarr images and labels.

What Neuroglancer's zarr data source reads (``zarr2://`` or ``zarr3://`` on a folder URL):

- zarr v2: ``.zarray`` and ``.zattrs`` of the folder (a group has ``.zattrs`` only, for
  Neuroglancer), then chunk files ``0.0.0`` (or ``0/0/0``);
- zarr v3: ``zarr.json``, then chunks ``c/0/0/0`` (sharded ones with byte ranges);
- a group opens only as an OME-Zarr multiscale image (``multiscales`` in the attributes, or
  ``ome.multiscales`` for OME-Zarr 0.5), whose scale arrays it then reads; it does not follow
  ``labels/``, and it lists no folders.

So an OME-Zarr image becomes one layer for the image and one segmentation layer per label image
under ``labels/``; a plain group becomes one layer per array (or OME image) it holds; an OME
version Neuroglancer does not read (before 0.4) opens its first scale array directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

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
from .units import ome_unit, zarr_dimension_unit

MAX_LAYERS = 16
"""Most layers opened from one group (its first arrays, by name)."""

_V2_DTYPES = frozenset(
    {"uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64", "float32"}
)
_V3_DTYPES = frozenset({"uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "float32"})
_V2_COMPRESSORS = frozenset({"blosc", "zlib", "gzip", "zstd"})
_SUPPORTED_OME_VERSIONS = frozenset({"0.4", "0.5-dev", "0.5"})


@dataclass
class ZarrNode:
    """A zarr array or group, as its metadata describes it."""

    version: int
    path: str
    kind: str
    attrs: dict[str, Any] = field(default_factory=dict)
    shape: list[int] = field(default_factory=list)
    dtype: str = ""
    dimension_names: list[Any] = field(default_factory=list)
    problem: str | None = None
    """Why Neuroglancer could not read this array, if it could not."""

    @property
    def scheme(self) -> str:
        """The Neuroglancer data source scheme for this zarr version."""
        return f"zarr{self.version}"

    def ome(self) -> dict[str, Any]:
        """The OME-Zarr metadata: ``attributes.ome`` (0.5) or the attributes themselves."""
        ome = self.attrs.get("ome")
        return ome if isinstance(ome, dict) else self.attrs


def _shape(value: Any) -> list[int] | None:
    if isinstance(value, list) and all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in value
    ):
        return value
    return None


def _v2_dtype(typestr: Any) -> str:
    try:
        return np.dtype(typestr).name if isinstance(typestr, str) else "a structured type"
    except TypeError:
        return str(typestr)


def read_v2(tree: ServedTree, path: str) -> ZarrNode | None:
    """The zarr v2 node at ``path``, or ``None``."""
    zarray = tree.read_json_object(join(path, ".zarray"))
    attrs = tree.read_json_object(join(path, ".zattrs"))
    if zarray is None:
        if attrs is None and not tree.is_file(join(path, ".zgroup")):
            return None
        return ZarrNode(2, path, "group", attrs or {})
    shape = _shape(zarray.get("shape"))
    if shape is None:
        return None
    node = ZarrNode(2, path, "array", attrs or {}, shape, _v2_dtype(zarray.get("dtype")))
    node.dimension_names = list(node.attrs.get("_ARRAY_DIMENSIONS") or [])
    compressor = zarray.get("compressor")
    compressor_id = compressor.get("id") if isinstance(compressor, dict) else None
    if node.dtype not in _V2_DTYPES:
        node.problem = unsupported_dtype_message(path, node.dtype, int64=True)
    elif compressor is not None and compressor_id not in _V2_COMPRESSORS:
        node.problem = (
            f"'{path}' is compressed with {compressor_id or 'an unknown codec'}, which "
            "Neuroglancer cannot read (it reads blosc, zlib, gzip and zstd). Re-save the array "
            "with one of these."
        )
    return node


def read_v3(tree: ServedTree, path: str) -> ZarrNode | None:
    """The zarr v3 node at ``path``, or ``None``."""
    meta = tree.read_json_object(join(path, "zarr.json"))
    if meta is None or meta.get("zarr_format") != 3:
        return None
    attrs = meta.get("attributes")
    attrs = attrs if isinstance(attrs, dict) else {}
    if meta.get("node_type") == "group":
        return ZarrNode(3, path, "group", attrs)
    if meta.get("node_type") != "array":
        return None
    shape = _shape(meta.get("shape"))
    if shape is None:
        return None
    dtype = meta.get("data_type")
    dtype = dtype if isinstance(dtype, str) else "an extension data type"
    node = ZarrNode(3, path, "array", attrs, shape, dtype)
    node.dimension_names = list(meta.get("dimension_names") or [])
    if dtype not in _V3_DTYPES:
        node.problem = unsupported_dtype_message(path, dtype)
    return node


def read_node(tree: ServedTree, path: str, version: int | None = None) -> ZarrNode | None:
    """The zarr node at ``path`` (v3 first, unless ``version`` says which)."""
    if version in (None, 3):
        node = read_v3(tree, path)
        if node is not None or version == 3:
            return node
    return read_v2(tree, path)


# -- plain arrays -----------------------------------------------------------------------------


def _dimension_names(node: ZarrNode) -> list[str]:
    """Neuroglancer's names: the array's, ``d0``/``dim_0`` for the unnamed, de-duplicated."""
    prefix = "d" if node.version == 2 else "dim_"
    given = node.dimension_names if len(node.dimension_names) == len(node.shape) else []
    names: list[str] = []
    for i in range(len(node.shape)):
        name = given[i] if i < len(given) and isinstance(given[i], str) else None
        if name is None:
            j = i
            while f"{prefix}{j}" in names:
                j += 1
            name = f"{prefix}{j}"
        elif name in names:
            j = 1
            while f"{name}{j}" in names:
                j += 1
            name = f"{name}{j}"
        names.append(name)
    return names


def array_grid(node: ZarrNode) -> list[GridAxis]:
    """The axes of a plain zarr array, fastest-varying (last) first."""
    rank = len(node.shape)
    names = _dimension_names(node)
    units_attr = node.attrs.get("dimension_units")
    units = units_attr if isinstance(units_attr, list) and len(units_attr) == rank else []
    grid = []
    for i, name in enumerate(names):
        unit, scale = (zarr_dimension_unit(units[i]) if units else None) or ("", 1.0)
        spatial = name.lower() in ("x", "y", "z") or unit == "m"
        grid.append(GridAxis(name, scale, unit, 0.0, node.shape[i], spatial))
    if not any(axis.spatial for axis in grid):
        for axis in grid[-3:]:
            axis.spatial = True
    return list(reversed(grid))


def array_layer(node: ZarrNode, name: str, hint: str) -> Layer:
    """A layer showing the plain array ``node``."""
    if node.problem:
        raise NotADatasetError(node.problem)
    return Layer(
        name=name,
        kind=layer_kind(node.dtype, hint),
        scheme=node.scheme,
        path=node.path,
        axes=global_axes(array_grid(node)),
    )


# -- OME-Zarr ---------------------------------------------------------------------------------


def _compose(transforms: Any, rank: int, scale: list[float], offset: list[float]) -> bool:
    """Apply OME ``coordinateTransformations`` to (scale, offset); False if not understood."""
    if transforms is None:
        return True
    if not isinstance(transforms, list):
        return False
    for transform in transforms:
        if not isinstance(transform, dict):
            return False
        kind = transform.get("type")
        if kind == "identity":
            continue
        values = transform.get(kind) if kind in ("scale", "translation") else None
        if not (
            isinstance(values, list)
            and len(values) == rank
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
        ):
            return False
        for i, value in enumerate(values):
            if kind == "scale":
                scale[i] *= value
                offset[i] *= value
            else:
                offset[i] += value
    return all(s > 0 for s in scale)


def ome_grid(node: ZarrNode, multiscale: dict[str, Any], base: ZarrNode) -> list[GridAxis] | None:
    """The axes Neuroglancer gives an OME multiscale, or ``None`` if it cannot read it.

    Neuroglancer scales each axis by the first scale's factor (so positions are in voxels of
    the first scale) and puts a voxel's centre, not its corner, at the OME coordinate.
    """
    axes = multiscale.get("axes")
    rank = len(base.shape)
    if not isinstance(axes, list) or len(axes) != rank:
        return None
    datasets = multiscale.get("datasets")
    first = datasets[0] if isinstance(datasets, list) and datasets else None
    if not isinstance(first, dict):
        return None
    scale, offset = [1.0] * rank, [0.0] * rank
    if not _compose(first.get("coordinateTransformations"), rank, scale, offset):
        return None
    if not _compose(multiscale.get("coordinateTransformations"), rank, scale, offset):
        return None
    grid = []
    for i, axis in enumerate(axes):
        if not isinstance(axis, dict) or not isinstance(axis.get("name"), str):
            return None
        unit = ome_unit(axis.get("unit"))
        if unit is None:
            return None
        kind = axis.get("type")
        name = axis["name"] + ("'" if kind == "channel" else "")
        spatial = kind == "space" or (kind is None and name.lower() in ("x", "y", "z"))
        lower = offset[i] / scale[i] - 0.5
        grid.append(GridAxis(name, unit[1] * scale[i], unit[0], lower, base.shape[i], spatial))
    return grid


def _segment_colors(image_label: Any) -> dict[str, str]:
    """``image-label.colors`` as Neuroglancer's ``segmentColors`` (``{"1": "#ff0000"}``)."""
    colors = image_label.get("colors") if isinstance(image_label, dict) else None
    result: dict[str, str] = {}
    for entry in colors if isinstance(colors, list) else []:
        if not isinstance(entry, dict):
            continue
        value, rgba = entry.get("label-value"), entry.get("rgba")
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and value >= 0
            and isinstance(rgba, list)
            and len(rgba) >= 3
            and all(isinstance(c, int) and 0 <= c <= 255 for c in rgba[:3])
        ):
            result[str(value)] = "#{:02x}{:02x}{:02x}".format(*rgba[:3])
    return result


def is_ome_image(node: ZarrNode) -> bool:
    """Whether ``node`` is a group with OME multiscales."""
    multiscales = node.ome().get("multiscales")
    return node.kind == "group" and isinstance(multiscales, list) and bool(multiscales)


def ome_image_layer(tree: ServedTree, node: ZarrNode, name: str, hint: str) -> Layer:
    """A layer for the OME multiscale image (or label image) ``node``."""
    ome = node.ome()
    multiscale = ome["multiscales"][0]
    datasets = multiscale.get("datasets") if isinstance(multiscale, dict) else None
    first = datasets[0] if isinstance(datasets, list) and datasets else None
    scale_path = first.get("path") if isinstance(first, dict) else None
    if not isinstance(scale_path, str) or not scale_path:
        raise NotADatasetError(
            f"The OME-Zarr image '{node.path}' lists no scale arrays in its multiscales "
            "metadata, so there is nothing to show."
        )
    base = read_node(tree, join(node.path, scale_path), node.version)
    if base is None or base.kind != "array":
        raise NotADatasetError(
            f"The first scale of the OME-Zarr image '{node.path}' ('{scale_path}') is not a "
            "readable zarr array."
        )
    if base.problem:
        raise NotADatasetError(base.problem)
    image_label = ome.get("image-label")
    kind = layer_kind(base.dtype, hint, is_label=image_label is not None)
    options: dict[str, Any] = {}
    colors = _segment_colors(image_label)
    if colors:
        options["segmentColors"] = colors

    version = ome.get("version") if "ome" in node.attrs else multiscale.get("version")
    grid = None
    if version in _SUPPORTED_OME_VERSIONS and not (version == "0.5" and node.version == 2):
        grid = ome_grid(node, multiscale, base)
    if grid is None:
        # An OME version or transform Neuroglancer does not read: show the first scale as a
        # plain array, which it always reads.
        base_axes = global_axes(array_grid(base))
        return Layer(name, kind, base.scheme, base.path, axes=base_axes, options=options)
    return Layer(name, kind, node.scheme, node.path, axes=global_axes(grid), options=options)


@dataclass
class _Search:
    """What a search through a group collects besides layers."""

    taken: set[str] = field(default_factory=set)
    """Layer names already used."""
    problems: list[str] = field(default_factory=list)
    """Why arrays were skipped (sentences)."""
    ome: bool = False
    """Whether OME-Zarr metadata was used."""


def label_layers(tree: ServedTree, labels: ZarrNode, search: _Search) -> list[Layer]:
    """One segmentation layer per label image of the OME ``labels`` group."""
    names = labels.ome().get("labels")
    if not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
        names = tree.child_dirs(labels.path)
    layers = []
    for label in names[:MAX_LAYERS]:
        node = read_node(tree, join(labels.path, label), labels.version)
        if node is None or not is_ome_image(node):
            continue
        try:
            layers.append(ome_image_layer(tree, node, unique_name(label, search.taken), "label"))
        except NotADatasetError as error:
            search.problems.append(str(error))
        search.ome = True
    return layers


def node_layers(
    tree: ServedTree, node: ZarrNode, name: str, hint: str, search: _Search, *, depth: int = 0
) -> list[Layer]:
    """The layers showing ``node``: an array, an OME image and its labels, or a group's arrays."""
    if node.kind == "array":
        return [array_layer(node, unique_name(name, search.taken), hint)]
    if is_ome_image(node):
        search.ome = True
        layers = [ome_image_layer(tree, node, unique_name(name, search.taken), hint)]
        labels = read_node(tree, join(node.path, "labels"), node.version)
        if labels is not None and labels.kind == "group":
            layers += label_layers(tree, labels, search)
        return layers
    if isinstance(node.ome().get("labels"), list):
        return label_layers(tree, node, search)
    if depth > 0:
        return []
    layers: list[Layer] = []
    for child_name in tree.child_dirs(node.path):
        if len(layers) >= MAX_LAYERS:
            break
        child = read_node(tree, join(node.path, child_name), node.version)
        if child is None:
            continue
        try:
            layers += node_layers(
                tree, child, child_name, f"{hint}/{child_name}", search, depth=depth + 1
            )
        except NotADatasetError as error:
            search.problems.append(str(error))
    return layers[:MAX_LAYERS]


def inspect_zarr(tree: ServedTree, path: str, name: str) -> tuple[str, list[Layer]] | None:
    """``(format, layers)`` for the zarr node at ``path``, or ``None`` if it is not one."""
    node = read_node(tree, path)
    if node is None:
        return None
    search = _Search()
    layers = node_layers(tree, node, name, name, search)
    if not layers:
        detail = (
            " ".join(search.problems[:3])
            if search.problems
            else "It is a zarr group without OME-Zarr multiscales metadata and holds no arrays."
        )
        raise NotADatasetError(f"Nothing in '{path or '.'}' can be shown. {detail}")
    return ("ome-zarr" if search.ome else node.scheme), layers
