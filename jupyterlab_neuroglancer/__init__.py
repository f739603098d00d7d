"""Neuroglancer inside JupyterLab.

The package has two halves that never import each other at start-up:

- ``jupyterlab_neuroglancer.server``: the Jupyter server extension (proxy, viewer registry,
  server-hosted viewers), loaded by the Jupyter server.
- ``jupyterlab_neuroglancer.kernel``: the kernel side (``show``, ``screenshot``), imported in a
  kernel.
"""

from __future__ import annotations

from typing import Any

try:
    from ._version import __version__
except ImportError:  # running from a source tree that was never built
    __version__ = "dev"

__all__ = ["__version__", "screenshot", "show"]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab_neuroglancer"}]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    from .server.app import NeuroglancerExtension

    return [{"module": "jupyterlab_neuroglancer", "app": NeuroglancerExtension}]


def show(obj: Any, *, name: str | None = None, **options: Any) -> Any:
    """Open ``obj`` in a Neuroglancer panel of JupyterLab and return its ``neuroglancer.Viewer``.

    ``obj`` is a ``neuroglancer.Viewer``, a Neuroglancer URL, a state (a dict or a
    ``neuroglancer.ViewerState``), an array-like volume, or several (a dict or list of arrays).
    ``name`` titles the panel; by default it is the name of the variable that holds the viewer,
    when there is one. For arrays, ``options`` are ``viewer`` (add them as layers to that
    viewer), ``voxel_size``, ``units`` and ``layer_type`` (see
    :func:`jupyterlab_neuroglancer.kernel.show.show`).
    """
    from .kernel.show import show as _show

    return _show(obj, name=name, **options)


def screenshot(viewer: Any, *, timeout: float = 30.0, size: Any = None) -> Any:
    """Return a screenshot of ``viewer`` (``.array``: ``(height, width, 4)`` ``uint8``; ``.png``:
    bytes), taken by a browser that shows it.

    Raises ``TimeoutError`` if no browser has sent one within ``timeout`` seconds. ``size=(width,
    height)`` renders at that size for this screenshot only (see
    :func:`jupyterlab_neuroglancer.kernel.screenshot.screenshot`).
    """
    from .kernel.screenshot import screenshot as _screenshot

    return _screenshot(viewer, timeout=timeout, size=size)
