"""The kernel side of jupyterlab_neuroglancer: plain Python, imported in a Jupyter kernel.

- :mod:`.show`: ``show(obj)``, the user-facing entry point;
- :mod:`.screenshot`: ``screenshot(viewer)``, an image taken by the browser that shows it;
- :mod:`.volumes`: arrays to ``neuroglancer.LocalVolume`` layers;
- :mod:`.bridge`: announcing viewers to JupyterLab over the ``jupyterlab-neuroglancer`` comm;
- :mod:`.naming`: variable names for viewers;
- :mod:`.commands`: what the frontend's commands run in the kernel.
"""

from __future__ import annotations

from .screenshot import Screenshot, screenshot
from .show import show

__all__ = ["Screenshot", "screenshot", "show"]
