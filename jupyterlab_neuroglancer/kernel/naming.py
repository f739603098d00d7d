"""Choosing names: variables for viewers in the user's namespace, layers in a viewer."""

from __future__ import annotations

import keyword
import sys
from collections.abc import Collection, Mapping
from types import FrameType
from typing import Any

__all__ = ["caller_variable_name", "free_name", "free_variable_name"]


def free_name(taken: Collection[str], base: str) -> str:
    """Return ``base`` if it is not in ``taken``, else the first of ``base_2``, ``base_3``, ...
    that is not."""
    if base not in taken:
        return base
    number = 2
    while f"{base}_{number}" in taken:
        number += 1
    return f"{base}_{number}"


def free_variable_name(namespace: Mapping[str, Any], base: str = "viewer") -> str:
    """Return ``base`` if no variable of that name is bound in ``namespace``, else the first
    of ``base_2``, ``base_3``, ... that is free.

    ``base`` must be a valid Python identifier (and not a keyword).
    """
    if not base.isidentifier() or keyword.iskeyword(base):
        raise ValueError(f"{base!r} cannot be a Python variable name.")
    return free_name(namespace.keys(), base)


def caller_variable_name(*values: Any) -> str | None:
    """Return the name of a variable that holds one of ``values`` in the code that called into
    this package, or None.

    The caller is the innermost frame outside ``jupyterlab_neuroglancer``; its local variables
    are searched first, then its globals (the same thing at the top level of a notebook).
    ``values`` are tried in order, each by identity; private names (``_``, ``_3``...) are
    skipped. Strings are never looked up: equal literals may be one shared object.
    """
    frame = sys._getframe(1)
    try:
        while frame is not None and _is_package_frame(frame):
            frame = frame.f_back
        if frame is None:
            return None
        scopes = (frame.f_locals, frame.f_globals)
        for value in values:
            if value is None or isinstance(value, str | bytes | int | float | bool):
                continue
            for scope in scopes:
                for name, bound in list(scope.items()):
                    if bound is value and not name.startswith("_"):
                        return name
        return None
    finally:
        del frame


def _is_package_frame(frame: FrameType) -> bool:
    module = frame.f_globals.get("__name__", "")
    return module == _PACKAGE or module.startswith(_PACKAGE + ".")


_PACKAGE = __name__.split(".", 1)[0]
