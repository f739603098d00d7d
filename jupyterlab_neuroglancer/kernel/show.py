"""``show``: the Python entry point that opens a viewer in a JupyterLab panel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import neuroglancer

from ..state import parse_state
from .bridge import announce, ensure_loopback_server
from .naming import caller_variable_name
from .volumes import ArrayLayer, add_array_layers, is_array_like

__all__ = ["DEFAULT_NAME", "show", "viewer_for"]

#: Panel title used when no variable name can be found.
DEFAULT_NAME = "Neuroglancer"


def show(
    obj: Any,
    *,
    name: str | None = None,
    viewer: neuroglancer.Viewer | None = None,
    voxel_size: float | Sequence[float] | None = None,
    units: str | Sequence[str] = "nm",
    layer_type: str | None = None,
) -> neuroglancer.Viewer:
    """Open ``obj`` in a Neuroglancer panel of JupyterLab and return its ``neuroglancer.Viewer``.

    ``obj`` is one of:

    - a ``neuroglancer.Viewer``: shown as is;
    - a Neuroglancer URL or JSON state (a string), a state ``dict`` or a
      ``neuroglancer.ViewerState``: a new viewer with that state;
    - an array-like volume (numpy, or anything with ``shape``, ``dtype`` and ``__array__``
      such as dask or zarr arrays): a layer serving it from this kernel, read region by region
      as the viewer asks (a dask array is never computed whole). Integer arrays become a
      segmentation layer, others an image layer (``layer_type`` overrides). The last three axes
      are ``z, y, x``; ``voxel_size`` and ``units`` give one value per axis in the array's
      order (or one for all), e.g. ``voxel_size=(40, 4, 4)``;
    - several arrays, as a ``dict`` of arrays (``{"em": image, "labels": seg}``: one layer per
      key, named by it) or a list or tuple of arrays (each layer named after the caller's
      variable holding the array, else ``image`` or ``segmentation``, with a suffix ``_2``,
      ``_3``... when the name is taken). A dict counts as arrays when all its values are arrays;
      otherwise it is a state. ``voxel_size``, ``units`` and ``layer_type`` apply to each.

    Arrays go into a new viewer, or with ``viewer=`` into that existing viewer, whose panel is
    then shown again. A dict key replaces a layer of the same name in that viewer; the other
    names never replace a layer. Layers that share a viewer share its coordinate space: their
    units must measure the same thing on each axis (``ValueError`` otherwise); voxel sizes may
    differ, each layer is placed by its physical size. For example::

        v = show({"em": image, "labels": seg}, voxel_size=(40, 4, 4))
        show({"prediction": probabilities}, viewer=v, voxel_size=(40, 4, 4))

    ``name`` titles the panel. By default it is the name of the caller's variable that holds the
    viewer, or else the object shown, or else ``"Neuroglancer"``. Outside Jupyter the viewer's
    URL is printed instead of opening a panel.
    """
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a string, not {type(name).__name__}.")
    if viewer is not None and not isinstance(viewer, neuroglancer.Viewer):
        raise TypeError(f"viewer must be a neuroglancer.Viewer, not {type(viewer).__name__}.")
    layers = _array_layers(obj)
    if layers is not None:
        if viewer is None:
            ensure_loopback_server()
            viewer = neuroglancer.Viewer()
        add_array_layers(viewer, layers, voxel_size=voxel_size, units=units, layer_type=layer_type)
    else:
        given = [
            option
            for option, value in (
                ("viewer", viewer),
                ("voxel_size", voxel_size),
                ("units", None if units == "nm" else units),
                ("layer_type", layer_type),
            )
            if value is not None
        ]
        if given:
            raise TypeError(
                "viewer, voxel_size, units and layer_type only apply when showing an array "
                f"(or several arrays), not a {type(obj).__name__}; here {' and '.join(given)} "
                f"{'was' if len(given) == 1 else 'were'} given."
            )
        viewer = viewer_for(obj)
    title = (name or "").strip() or caller_variable_name(viewer, obj) or DEFAULT_NAME
    announce(viewer, title)
    return viewer


def _array_layers(obj: Any) -> list[ArrayLayer] | None:
    """The layers to make when ``obj`` is an array, a dict of arrays or a list of arrays; None
    when it is none of those."""
    if is_array_like(obj):
        return [ArrayLayer(obj, caller_variable_name(obj))]
    if isinstance(obj, Mapping) and obj and all(is_array_like(v) for v in obj.values()):
        for key in obj:
            if not isinstance(key, str) or not key.strip():
                raise TypeError(
                    f"Layer names (the keys of a dict of arrays) must be non-empty strings, "
                    f"not {key!r}."
                )
        return [ArrayLayer(array, key, replace=True) for key, array in obj.items()]
    if isinstance(obj, list | tuple) and obj and all(is_array_like(v) for v in obj):
        return [ArrayLayer(array, caller_variable_name(array)) for array in obj]
    return None


def viewer_for(obj: Any) -> neuroglancer.Viewer:
    """Return the viewer for a ``Viewer``, a state or a URL (not for arrays; see ``show``)."""
    if isinstance(obj, neuroglancer.Viewer):
        return obj
    if isinstance(obj, neuroglancer.ViewerState):
        state = neuroglancer.ViewerState(obj.to_json())
    elif isinstance(obj, str | bytes | Mapping):
        state = neuroglancer.ViewerState(parse_state(obj))
    elif isinstance(obj, list | tuple):
        raise TypeError(
            "A list cannot be shown unless it holds arrays: to show it as a volume, make it "
            "an array first, for example show(numpy.asarray(values))."
        )
    else:
        raise TypeError(
            f"Cannot show an object of type {type(obj).__name__}. Pass a neuroglancer.Viewer, "
            "a Neuroglancer URL or JSON state, a state dict or neuroglancer.ViewerState, "
            "or an array."
        )
    ensure_loopback_server()
    viewer = neuroglancer.Viewer()
    viewer.set_state(state)
    return viewer
