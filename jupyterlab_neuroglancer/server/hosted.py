"""Viewers that live in the Jupyter server process itself (no kernel involved).

Opening a state file, a dataset or the demo from the file browser needs a viewer even when no
notebook is running. Such a viewer is a real ``neuroglancer.Viewer`` created here; Neuroglancer
serves it from its own loopback server thread in this process, and the proxy reaches it exactly
like a kernel's viewer.

Neuroglancer's server keeps only weak references to viewers, so this module holds the strong
ones: dropping a viewer here lets it be garbage collected, which ends it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import neuroglancer


class HostedViewerError(ValueError):
    """A viewer could not be created from what was asked; the message is a sentence."""


def _build_viewer(state: dict[str, Any] | None, demo: bool) -> neuroglancer.Viewer:
    """Create the viewer (blocking: the demo computes its volumes). Runs in a worker thread."""
    if demo:
        from ..demo import build_demo_viewer

        return build_demo_viewer()

    import neuroglancer

    viewer = neuroglancer.Viewer()
    if state is not None:
        try:
            viewer.set_state(state)
        except (TypeError, ValueError, KeyError) as error:
            raise HostedViewerError(
                f"Neuroglancer could not use this state ({error}). "
                "Check the state's layers and sources, then open it again."
            ) from error
    return viewer


def viewer_port(viewer: neuroglancer.Viewer) -> int:
    """The port of the loopback server that serves ``viewer``."""
    port = urlsplit(viewer.get_viewer_url()).port
    if port is None:  # pragma: no cover - Neuroglancer always puts the port in the URL
        raise RuntimeError("The Neuroglancer server of this process has no port.")
    return port


class HostedViewers:
    """The server-hosted viewers, by registry id."""

    def __init__(self, executor: concurrent.futures.Executor) -> None:
        self._executor = executor
        self._viewers: dict[str, neuroglancer.Viewer] = {}
        self._lock = threading.Lock()
        self._created_any = False

    async def create(
        self, *, state: dict[str, Any] | None = None, demo: bool = False
    ) -> neuroglancer.Viewer:
        """Create a viewer in a worker thread (the event loop keeps serving meanwhile)."""
        loop = asyncio.get_running_loop()
        viewer = await loop.run_in_executor(self._executor, _build_viewer, state, demo)
        self._created_any = True
        return viewer

    def keep(self, viewer_id: str, viewer: neuroglancer.Viewer) -> None:
        """Hold ``viewer`` alive under ``viewer_id`` until it is dropped."""
        with self._lock:
            self._viewers[viewer_id] = viewer

    def get(self, viewer_id: str) -> neuroglancer.Viewer | None:
        """The hosted viewer registered as ``viewer_id``, if any."""
        with self._lock:
            return self._viewers.get(viewer_id)

    def drop(self, viewer_id: str) -> bool:
        """Let the viewer ``viewer_id`` go; return whether there was one."""
        with self._lock:
            return self._viewers.pop(viewer_id, None) is not None

    def __contains__(self, viewer_id: object) -> bool:
        with self._lock:
            return viewer_id in self._viewers

    def stop(self) -> None:
        """Drop every hosted viewer and stop Neuroglancer's server if this module started one."""
        with self._lock:
            self._viewers.clear()
        if self._created_any:
            import neuroglancer.server

            neuroglancer.server.stop()
            self._created_any = False
