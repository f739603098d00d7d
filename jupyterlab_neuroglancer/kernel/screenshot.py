"""``screenshot``: an image of what a viewer shows, taken by a browser that displays it.

Neuroglancer renders in the browser, so a screenshot needs a client: a Neuroglancer panel in
JupyterLab, or any browser tab on the viewer. Neuroglancer's own ``Viewer.screenshot()`` waits
forever when there is none; :func:`screenshot` waits at most ``timeout`` seconds, then withdraws
its request and raises ``TimeoutError``, leaving the viewer as it was.

How a screenshot travels: the kernel sets the ``screenshot`` field of the viewer's config state
to a request id; a client that sees it renders, waits until every visible chunk has loaded,
and posts the image back as the ``screenshot`` action, which calls the callback registered
under that id (``Viewer.async_screenshot``).
"""

from __future__ import annotations

import io
import math
import numbers
import threading
import time
from collections.abc import Sequence
from typing import Any

import neuroglancer
import numpy as np

from .naming import caller_variable_name

__all__ = ["Screenshot", "screenshot"]

#: Seconds :func:`screenshot` waits for a browser by default.
DEFAULT_TIMEOUT = 30.0


class Screenshot:
    """A viewer's image: ``png`` (bytes), ``array`` (``(height, width, 4)`` ``uint8`` RGBA),
    ``width`` and ``height``.

    ``numpy.asarray(shot)`` gives ``array``; in a notebook, a ``Screenshot`` displays as the
    image.
    """

    def __init__(self, image: bytes, image_type: str, width: int, height: int) -> None:
        self._image = image
        self._image_type = image_type
        self.width = width
        self.height = height
        self._array: np.ndarray | None = None

    @property
    def png(self) -> bytes:
        """The image as PNG file contents (as the browser sent it, when it sent a PNG)."""
        if self._image_type == "image/png":
            return self._image
        buffer = io.BytesIO()
        _open_image(self._image).save(buffer, format="PNG")
        return buffer.getvalue()

    @property
    def array(self) -> np.ndarray:
        """The image as a read-only ``(height, width, 4)`` ``uint8`` array of RGBA pixels."""
        if self._array is None:
            pixels = np.asarray(_open_image(self._image).convert("RGBA"), dtype=np.uint8)
            pixels.flags.writeable = False
            self._array = pixels
        return self._array

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if copy:
            return np.array(self.array, dtype=dtype)
        return np.asarray(self.array, dtype=dtype)

    def _repr_png_(self) -> bytes:
        return self.png

    def __repr__(self) -> str:
        return f"<Screenshot {self.width}x{self.height}>"


def screenshot(
    viewer: neuroglancer.Viewer,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    size: Sequence[int] | None = None,
) -> Screenshot:
    """Return a :class:`Screenshot` of ``viewer`` as a browser showing it renders it.

    A browser must show the viewer: a Neuroglancer panel (``jupyterlab_neuroglancer.show``) or
    any tab on it. The screenshot is taken once every visible chunk has loaded. If none has
    been taken after ``timeout`` seconds, the request is withdrawn and ``TimeoutError`` is
    raised; the viewer is left as it was and can be asked again.

    ``size=(width, height)`` renders at that size in pixels, with the controls hidden, for this
    screenshot only (the viewer's display settings are restored afterwards). For example::

        shot = jupyterlab_neuroglancer.screenshot(viewer, timeout=10)
        shot.array.shape  # (height, width, 4), uint8 RGBA
        pathlib.Path("view.png").write_bytes(shot.png)
    """
    if not isinstance(viewer, neuroglancer.Viewer):
        raise TypeError(f"A screenshot needs a neuroglancer.Viewer, not a {type(viewer).__name__}.")
    if (
        not isinstance(timeout, numbers.Real)
        or isinstance(timeout, bool)
        or not math.isfinite(timeout)
        or timeout <= 0
    ):
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}.")
    wanted = _checked_size(size)
    deadline = time.monotonic() + float(timeout)
    restore = _set_size(viewer, wanted) if wanted is not None else None
    try:
        while True:
            reply = _request(viewer, deadline)
            if reply is None:
                raise TimeoutError(_timeout_message(viewer, float(timeout)))
            shot = reply.screenshot
            # As Neuroglancer does, ask again while the canvas has not taken the new size yet.
            if wanted is None or (shot.width, shot.height) == wanted:
                return Screenshot(shot.image, shot.image_type, shot.width, shot.height)
    finally:
        if restore is not None:
            restore()


def _request(viewer: neuroglancer.Viewer, deadline: float) -> Any:
    """Ask for one screenshot; return the client's reply, or None (request withdrawn) if none
    came before ``deadline``."""
    done = threading.Event()
    replies: list[Any] = []

    def on_reply(state: Any) -> None:
        replies.append(state)
        done.set()

    viewer.async_screenshot(on_reply)
    request_id = _request_id(viewer, on_reply)
    if done.wait(max(0.0, deadline - time.monotonic())):
        return replies[0]
    _withdraw(viewer, request_id)
    # A reply may have arrived while withdrawing: it is still a good screenshot.
    return replies[0] if replies else None


def _request_id(viewer: neuroglancer.Viewer, callback: Any) -> str | None:
    """The id under which ``async_screenshot`` registered ``callback`` (None if already
    answered)."""
    for request_id, (registered, _statistics) in list(viewer._screenshot_callbacks.items()):
        if registered is callback:
            return request_id
    return None


def _withdraw(viewer: neuroglancer.Viewer, request_id: str | None) -> None:
    """Forget the callback of ``request_id`` and take the request out of the config state, so
    that a client that connects later does not answer it."""
    if request_id is None:
        return
    viewer._screenshot_callbacks.pop(request_id, None)

    def clear(state: Any) -> None:
        if state.screenshot == request_id:
            state.screenshot = None

    viewer.config_state.retry_txn(clear, lock=True)


def _checked_size(size: Sequence[int] | None) -> tuple[int, int] | None:
    if size is None:
        return None
    try:
        width, height = (int(n) for n in size)
    except (TypeError, ValueError):
        raise ValueError(f"size must be (width, height) in pixels, not {size!r}.") from None
    if width <= 0 or height <= 0:
        raise ValueError(f"size must be (width, height) in positive pixels, not {size!r}.")
    return width, height


_SIZE_FIELDS = ("show_ui_controls", "show_panel_borders", "viewer_size")


def _set_size(viewer: neuroglancer.Viewer, size: tuple[int, int]) -> Any:
    """Render ``viewer`` at ``size`` without controls; return a function that undoes it."""
    with viewer.config_state.txn() as state:
        before = {field: getattr(state, field) for field in _SIZE_FIELDS}
        state.show_ui_controls = False
        state.show_panel_borders = False
        state.viewer_size = list(size)

    def restore() -> None:
        with viewer.config_state.txn() as state:
            for field, value in before.items():
                setattr(state, field, value)

    return restore


def _timeout_message(viewer: neuroglancer.Viewer, timeout: float) -> str:
    name = caller_variable_name(viewer) or "viewer"
    return (
        f"No browser showed viewer {name!r} within {timeout:g} s, so no screenshot could be "
        f"taken. Open it in a Neuroglancer panel (jupyterlab_neuroglancer.show({name})) "
        "and try again."
    )


def _open_image(image: bytes) -> Any:
    from PIL import Image

    return Image.open(io.BytesIO(image))
