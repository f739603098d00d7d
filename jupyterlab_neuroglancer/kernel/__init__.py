"""The kernel side of jupyterlab_neuroglancer: plain Python, imported in a Jupyter kernel.

- :mod:`.show`: ``show(obj)``, the user-facing entry point;
- :mod:`.volumes`: arrays to ``neuroglancer.LocalVolume`` layers;
- :mod:`.bridge`: announcing viewers to JupyterLab over the ``jupyterlab-neuroglancer`` comm;
- :mod:`.naming`: variable names for viewers;
- :mod:`.commands`: what the frontend's commands run in the kernel.
"""

from __future__ import annotations

from .show import show

__all__ = ["show"]
