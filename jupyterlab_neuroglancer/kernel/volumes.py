"""Turning array-like volumes (numpy, dask, zarr...) into Neuroglancer layers.

Axis convention: an array is read as C-ordered data, so its last three axes are ``z, y, x``
(a 2D array is ``y, x``). Axes before those become extra dimensions ``d0, d1, ...`` that the
viewer shows with a slider. ``voxel_size`` and ``units`` follow the array's axis order.

Data types: integer volumes become segmentations, others images, unless ``layer_type`` says
otherwise. Types Neuroglancer cannot show are converted chunk by chunk as they are read:
booleans to ``uint8``, signed labels to the unsigned type of the same size, ``float16`` and
``float64`` to ``float32``, 64-bit integer images to ``float32``.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import neuroglancer
import numpy as np

__all__ = ["LAYER_TYPES", "array_viewer", "is_array_like", "local_volume"]

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


def array_viewer(
    array: Any,
    *,
    voxel_size: float | Sequence[float] | None = None,
    units: str | Sequence[str] = "nm",
    layer_type: str | None = None,
    layer_name: str | None = None,
) -> neuroglancer.Viewer:
    """Return a new viewer with one layer showing ``array``, centred on it."""
    from .bridge import ensure_loopback_server

    volume = local_volume(array, voxel_size=voxel_size, units=units, layer_type=layer_type)
    space = volume.dimensions
    rank = len(volume.shape)
    # The viewer's own axes go x, y, z (then any extra ones) so that panel "xy" shows x and y.
    spatial = list(range(rank - 1, max(rank - 3, 0) - 1, -1))
    order = spatial + list(range(rank - len(spatial)))
    view_space = neuroglancer.CoordinateSpace(
        names=[space.names[i] for i in order],
        units=[space.units[i] for i in order],
        scales=[float(space.scales[i]) for i in order],
    )
    ensure_loopback_server()
    viewer = neuroglancer.Viewer()
    name = layer_name or volume.volume_type
    with viewer.txn() as state:
        state.dimensions = view_space
        state.position = [volume.shape[i] / 2 for i in order]
        state.layout = "xy" if rank == 2 else "4panel"
        if volume.volume_type == "segmentation":
            state.layers[name] = neuroglancer.SegmentationLayer(source=volume)
        else:
            state.layers[name] = neuroglancer.ImageLayer(source=volume)
        state.selected_layer.layer = name
    return viewer


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
