"""``show``: the Python entry point that opens a viewer in a JupyterLab panel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import neuroglancer

from ..state import parse_state
from .bridge import announce, ensure_loopback_server
from .naming import caller_variable_name
from .volumes import array_viewer, is_array_like

__all__ = ["DEFAULT_NAME", "show", "viewer_for"]

#: Panel title used when no variable name can be found.
DEFAULT_NAME = "Neuroglancer"


def show(
    obj: Any,
    *,
    name: str | None = None,
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
      such as dask or zarr arrays): a new viewer with one layer serving it from this kernel.
      Integer arrays become a segmentation layer, others an image layer (``layer_type``
      overrides). The last three axes are ``z, y, x``; ``voxel_size`` and ``units`` give one
      value per axis in the array's order (or one for all), e.g. ``voxel_size=(40, 4, 4)``.

    ``name`` titles the panel. By default it is the name of the caller's variable that holds the
    viewer, or else the object shown, or else ``"Neuroglancer"``. Outside Jupyter the viewer's
    URL is printed instead of opening a panel.
    """
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a string, not {type(name).__name__}.")
    array_options = voxel_size is not None or units != "nm" or layer_type is not None
    if is_array_like(obj):
        viewer = array_viewer(
            obj,
            voxel_size=voxel_size,
            units=units,
            layer_type=layer_type,
            layer_name=caller_variable_name(obj),
        )
    else:
        if array_options:
            raise TypeError(
                "voxel_size, units and layer_type only apply when showing an array, "
                f"not a {type(obj).__name__}."
            )
        viewer = viewer_for(obj)
    title = (name or "").strip() or caller_variable_name(viewer, obj) or DEFAULT_NAME
    announce(viewer, title)
    return viewer


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
            "A list cannot be shown: to show it as a volume, make it an array first, "
            "for example show(numpy.asarray(values))."
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
