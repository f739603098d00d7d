"""Turning array-like volumes (numpy, dask, zarr...) into Neuroglancer layers.

Axis convention: an array is read as C-ordered data, so its last three axes are ``z, y, x``
(a 2D array is ``y, x``). Axes before those become extra dimensions ``d0, d1, ...`` that the
viewer shows with a slider. ``voxel_size`` and ``units`` follow the array's axis order.

Data types: integer volumes become segmentations, others images, unless ``layer_type`` says
otherwise. Types Neuroglancer cannot show are converted chunk by chunk as they are read:
booleans to ``uint8``, signed labels to the unsigned type of the same size, ``float16`` and
``float64`` to ``float32``, 64-bit integer images to ``float32``.

Reading: nothing is read when a layer is made. Each chunk the viewer asks for is read from the
array by slicing it (a dask array computes only the blocks that chunk touches, a zarr array
reads only the stored chunks it overlaps); only a segmentation's meshes read the whole volume.

Several arrays: :func:`add_array_layers` puts any number of arrays into one viewer, new or
existing, in the viewer's single coordinate space (see there).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import neuroglancer
import numpy as np

from .naming import free_name

__all__ = ["LAYER_TYPES", "ArrayLayer", "add_array_layers", "is_array_like", "local_volume"]

#: Values accepted for ``layer_type``.
LAYER_TYPES = ("image", "segmentation")

_SPATIAL_NAMES = ("z", "y", "x")
_IMAGE_TYPES = {"uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "float32"}
_LABEL_TYPES = {"uint8", "uint16", "uint32", "uint64"}


def is_array_like(obj: Any) -> bool:
    """True for numpy arrays and for anything with ``shape``, ``dtype`` and ``__array__``."""
    if isinstance(obj, np.ndarray):
        return True
    return all(hasattr(obj, attribute) for attribute in ("shape", "dtype", "__array__"))


def local_volume(
    array: Any,
    *,
    voxel_size: float | Sequence[float] | None = None,
    units: str | Sequence[str] = "nm",
    layer_type: str | None = None,
) -> neuroglancer.LocalVolume:
    """Wrap ``array`` in a ``neuroglancer.LocalVolume`` (see the module docstring)."""
    shape = tuple(int(n) for n in array.shape)
    rank = len(shape)
    if rank < 2:
        raise ValueError(
            f"Neuroglancer shows volumes and images: this array has {rank} "
            f"dimension{'s' if rank != 1 else ''}, it needs at least 2."
        )
    if min(shape) == 0:
        raise ValueError(f"This array is empty (shape {shape}): there is nothing to show.")
    try:
        dtype = np.dtype(array.dtype)
    except TypeError:  # a dtype numpy does not know (torch...): read the data once
        array = np.asarray(array)
        dtype = array.dtype
    layer_type = _layer_type(dtype, layer_type)
    served_dtype = _served_dtype(dtype, layer_type)
    data = _readable(array, served_dtype, contiguous=layer_type == "segmentation")
    space = neuroglancer.CoordinateSpace(
        names=_axis_names(rank),
        units=_per_axis(units, rank, "units", spatial_default="nm", other_default=""),
        scales=_per_axis(voxel_size, rank, "voxel_size", spatial_default=1, other_default=1),
    )
    return neuroglancer.LocalVolume(data, dimensions=space, volume_type=layer_type)


@dataclass(frozen=True)
class ArrayLayer:
    """One array to show as a layer, and how to name it.

    ``name`` is the layer's name, or None to name it after its type (``image`` or
    ``segmentation``). With ``replace``, a layer of that name already in the viewer is
    replaced; without it, a name that is taken gets a suffix (``image_2``, ``image_3``...).
    """

    array: Any
    name: str | None = None
    replace: bool = False


def add_array_layers(
    viewer: neuroglancer.Viewer,
    layers: Sequence[ArrayLayer],
    *,
    voxel_size: float | Sequence[float] | None = None,
    units: str | Sequence[str] = "nm",
    layer_type: str | None = None,
) -> list[str]:
    """Add one layer per array to ``viewer``, serving each through a ``LocalVolume``, and return
    the layer names used.

    All the layers share the viewer's coordinate space: an axis the viewer already has (``x``,
    ``y``, ``z``, ``d0``...) keeps its voxel size, and the new layer is placed on it by physical
    size, so arrays of different resolutions overlay where they should. Its unit must therefore
    measure the same thing (nanometres and micrometres mix, metres and seconds do not):
    ``ValueError`` otherwise, with nothing added. A viewer that had no layers is set up for the
    arrays (axes, a layout, the position at the centre of the first array); in one that had,
    only the axes it lacked are added, centred on the first array that has them.
    """
    volumes = [
        local_volume(layer.array, voxel_size=voxel_size, units=units, layer_type=layer_type)
        for layer in layers
    ]
    if not volumes:
        raise ValueError("There are no arrays to show.")
    with viewer.txn() as state:
        fresh = len(state.layers) == 0
        dimensions = state.dimensions
        for volume in volumes:
            dimensions = _merged_dimensions(dimensions, volume.dimensions)
        position = _extended_position(
            None if fresh else state.position, state.dimensions, dimensions, volumes
        )
        state.dimensions = dimensions
        state.position = position
        if fresh:
            state.layout = "xy" if all(volume.rank == 2 for volume in volumes) else "4panel"
        taken = {layer.name for layer in state.layers}
        names = []
        for request, volume in zip(layers, volumes, strict=True):
            if request.name is not None and request.replace:
                name = request.name
            else:
                name = free_name(taken, request.name or volume.volume_type)
            taken.add(name)
            names.append(name)
            if volume.volume_type == "segmentation":
                state.layers[name] = neuroglancer.SegmentationLayer(source=volume)
            else:
                state.layers[name] = neuroglancer.ImageLayer(source=volume)
        state.selected_layer.layer = names[0]
    return names


def _view_order(names: Sequence[str]) -> list[int]:
    """Indices of ``names`` (an array's axes, ``..., z, y, x``) in the order a viewer shows
    them: ``x, y, z`` first (so that panel "xy" shows x and y), then the others."""
    spatial = [i for i in reversed(range(len(names))) if names[i] in _SPATIAL_NAMES]
    return spatial + [i for i in range(len(names)) if names[i] not in _SPATIAL_NAMES]


def _merged_dimensions(
    viewer_space: neuroglancer.CoordinateSpace, volume_space: neuroglancer.CoordinateSpace
) -> neuroglancer.CoordinateSpace:
    """The viewer's axes, plus those of ``volume_space`` it lacks (in view order)."""
    names = list(viewer_space.names)
    units = list(viewer_space.units)
    scales = [float(scale) for scale in viewer_space.scales]
    for i in _view_order(volume_space.names):
        name, unit = volume_space.names[i], volume_space.units[i]
        if name in names:
            known = units[names.index(name)]
            if known != unit:
                raise ValueError(
                    f"This array cannot share the viewer's coordinate space: its axis {name!r} "
                    f"is measured in {_unit_label(unit)} but the viewer's {name!r} axis is in "
                    f"{_unit_label(known)}. Give units that measure the same thing (for "
                    "example units='nm' for lengths), or show the array in a viewer of its own."
                )
            continue
        names.append(name)
        units.append(unit)
        scales.append(float(volume_space.scales[i]))
    return neuroglancer.CoordinateSpace(names=names, units=units, scales=scales)


def _unit_label(unit: str) -> str:
    return f"{unit!r}" if unit else "no unit"


def _extended_position(
    position: Any,
    old: neuroglancer.CoordinateSpace,
    new: neuroglancer.CoordinateSpace,
    volumes: Sequence[neuroglancer.LocalVolume],
) -> list[float]:
    """The viewer's position over the axes of ``new``: unchanged on the axes of ``old`` (when
    it had one), else the centre of the first array that has the axis, in viewer voxels."""
    known: dict[str, float] = {}
    if position is not None and len(position) == old.rank:
        known = {name: float(value) for name, value in zip(old.names, position, strict=True)}
    result = []
    for name, scale in zip(new.names, new.scales, strict=True):
        if name not in known:
            for volume in volumes:
                if name in volume.dimensions.names:
                    i = list(volume.dimensions.names).index(name)
                    extent = volume.shape[i] * float(volume.dimensions.scales[i])
                    known[name] = extent / 2 / float(scale)
                    break
            else:
                known[name] = 0.0
        result.append(known[name])
    return result


def _layer_type(dtype: np.dtype, requested: str | None) -> str:
    if requested is None:
        return "segmentation" if dtype.kind in "iu" else "image"
    if requested not in LAYER_TYPES:
        raise ValueError(
            f"layer_type must be 'image' or 'segmentation' (or None to choose from the data "
            f"type), not {requested!r}."
        )
    if requested == "segmentation" and dtype.kind not in "iub":
        raise ValueError(
            f"A segmentation needs integer labels, but this array holds {dtype.name} values. "
            "Convert it (for example with .astype('uint32')) or show it as an image."
        )
    return requested


def _served_dtype(dtype: np.dtype, layer_type: str) -> np.dtype:
    if dtype.kind == "b":
        return np.dtype("uint8")
    if layer_type == "segmentation":
        if dtype.name in _LABEL_TYPES:
            return dtype
        return np.dtype(f"uint{dtype.itemsize * 8}")
    if dtype.name in _IMAGE_TYPES:
        return dtype
    if dtype.kind in "iuf":
        return np.dtype("float32")
    raise ValueError(
        f"Neuroglancer cannot show {dtype.name} data. Convert the array to numbers first, "
        "for example with .astype('float32')."
    )


def _axis_names(rank: int) -> list[str]:
    spatial = list(_SPATIAL_NAMES[-min(rank, 3) :])
    return [f"d{i}" for i in range(rank - len(spatial))] + spatial


def _per_axis(
    value: Any, rank: int, what: str, *, spatial_default: Any, other_default: Any
) -> list[Any]:
    """One value per axis from a scalar, a full list, or a list for the spatial axes only."""
    spatial = min(rank, 3)
    if value is None:
        values = [spatial_default] * spatial
    elif isinstance(value, str | numbers.Real):
        values = [value] * spatial
    else:
        values = list(value)
        if len(values) not in (rank, spatial):
            raise ValueError(
                f"{what} needs one value per axis of the array ({rank}) or per spatial axis "
                f"({spatial}), but {len(values)} were given."
            )
    values = [other_default] * (rank - len(values)) + values
    if what == "voxel_size" and not all(
        isinstance(v, numbers.Real) and float(v) > 0 for v in values
    ):
        raise ValueError(f"voxel_size values must be positive numbers, not {value!r}.")
    return values


def _readable(array: Any, dtype: np.dtype, *, contiguous: bool) -> Any:
    """``array`` itself when LocalVolume can serve it as is, else a converting view."""
    if (
        isinstance(array, np.ndarray)
        and array.dtype == dtype
        and (array.flags.c_contiguous or not contiguous)
    ):
        return array
    return _ConvertedArray(array, dtype)


class _ConvertedArray:
    """Reads ``source`` (any array-like) into numpy as ``dtype``, one requested region at a
    time. ``transpose()`` (used to build meshes) reads the whole array."""

    def __init__(self, source: Any, dtype: np.dtype) -> None:
        self._source = source
        self.dtype = dtype
        self.shape = tuple(int(n) for n in source.shape)
        self.ndim = len(self.shape)

    def __getitem__(self, index: Any) -> np.ndarray:
        if hasattr(self._source, "__getitem__"):
            region = self._source[index]
        else:
            region = np.asarray(self._source)[index]
        return _as_numpy(region, self.dtype)

    def transpose(self) -> np.ndarray:
        return np.ascontiguousarray(_as_numpy(self._source, self.dtype)).transpose()


def _as_numpy(region: Any, dtype: np.dtype) -> np.ndarray:
    values = np.asarray(region)
    if values.dtype == dtype:
        return values
    if dtype.kind == "u" and values.dtype.kind == "i" and values.dtype.itemsize == dtype.itemsize:
        return values.view(dtype)  # negative labels keep their bits, like uint64 ids do
    return values.astype(dtype)
