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

from collections.abc import Mapping, MutableMapping
from typing import Any

import neuroglancer

from .naming import free_variable_name
from .show import show

__all__ = ["open_demo_in_namespace", "open_state_in_namespace"]


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
