"""Entry points that the frontend's commands run in the user's kernel.

The frontend evaluates one call as a silent ``user_expressions`` entry (see
``src/kernelSnippets.ts``), so nothing shows in the notebook, for example::

    __import__("jupyterlab_neuroglancer.kernel.commands", fromlist=["_"])
        .open_state_in_namespace(globals(), "https://...#!{...}", base="viewer")

A JSON string literal, as made by ``JSON.stringify``, is a valid Python string literal. Each
function binds the new viewer to a free variable name (``viewer``, ``viewer_2``...) in that
namespace, announces it under that name, and returns the name. A state that cannot be read
raises :class:`~jupyterlab_neuroglancer.state.StateParseError`, whose message is meant for the
user.
"""

from __future__ import annotations

import json
import keyword
from collections.abc import Mapping, MutableMapping
from typing import Any

import neuroglancer

from .bridge import ensure_loopback_server, viewer_address
from .naming import free_variable_name
from .show import show

__all__ = ["open_demo_in_namespace", "open_state_in_namespace", "recreate_in_namespace"]


def open_state_in_namespace(
    namespace: MutableMapping[str, Any], state: str | Mapping[str, Any], *, base: str = "viewer"
) -> str:
    """Open a viewer with ``state`` (a URL, JSON text or dict), bind it in ``namespace`` and
    return the variable name chosen."""
    from ..state import parse_state

    parsed = parse_state(state)  # before choosing a name: a bad state binds nothing
    return _bind(namespace, neuroglancer.ViewerState(parsed), base)


def open_demo_in_namespace(namespace: MutableMapping[str, Any], *, base: str = "viewer") -> str:
    """Open the offline demo viewer, bind it in ``namespace`` and return the variable name."""
    from ..demo import build_demo_viewer

    return _bind(namespace, build_demo_viewer(), base)


def _bind(namespace: MutableMapping[str, Any], obj: Any, base: str) -> str:
    name = free_variable_name(namespace, base)
    viewer = show(obj, name=name)
    namespace[name] = viewer
    return name


def recreate_in_namespace(
    namespace: MutableMapping[str, Any], state: str | Mapping[str, Any], *, name: str
) -> str:
    """Recreate a lost viewer: a new viewer with ``state``, bound to ``name`` in ``namespace``.

    This is how a panel whose kernel restarted brings its viewer back. The panel stays the
    same, so nothing is announced: the result tells the frontend where the new viewer is, as
    JSON ``{"name", "port", "token"}``. ``name`` is used when it is free; a variable of that
    name that exists already is never overwritten (the user may have made it since), and the
    first free ``name_2``, ``name_3``... is used instead. A ``name`` that cannot be a Python
    variable (a panel title such as ``"My view"``) gives ``viewer``.
    """
    from ..state import parse_state

    parsed = parse_state(state)  # before choosing a name: a bad state binds nothing
    base = name if name.isidentifier() and not keyword.iskeyword(name) else "viewer"
    variable = free_variable_name(namespace, base)
    ensure_loopback_server()
    viewer = neuroglancer.Viewer()
    viewer.set_state(neuroglancer.ViewerState(parsed))
    namespace[variable] = viewer
    address = viewer_address(viewer)
    return json.dumps({"name": variable, "port": address.port, "token": address.token})
