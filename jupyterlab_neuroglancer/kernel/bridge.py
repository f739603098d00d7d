"""The kernel's side of the bridge to JupyterLab: announcing viewers over a comm.

Whenever Python asks for a viewer to be shown, :func:`announce` opens a comm with the target
``jupyterlab-neuroglancer`` (:data:`COMM_TARGET`). Its opening data, the whole message, is::

    {"kind": "viewer", "port": 41234, "token": "3f1c...", "name": "viewer",
     "kernel_pid": 12345}

``port`` and ``token`` locate the viewer on the kernel's loopback interface
(``http://127.0.0.1:<port>/v/<token>/``); ``name`` titles the panel; ``kernel_pid`` lets the
server check that the port belongs to this kernel. One comm is opened per announcement and the
kernel sends nothing more on it; the frontend may close it once it has registered the viewer.

Outside a kernel (plain Python) there is no frontend to tell, so the viewer's own URL is
printed instead.
"""

from __future__ import annotations

import os
import sys
import urllib.parse
import warnings
from dataclasses import dataclass
from typing import Any

import neuroglancer
import neuroglancer.server

__all__ = [
    "COMM_TARGET",
    "LOOPBACK_HOSTS",
    "ViewerAddress",
    "announce",
    "announcement",
    "ensure_loopback_server",
    "viewer_address",
]

#: The comm target the frontend registers on every kernel.
COMM_TARGET = "jupyterlab-neuroglancer"
#: Host names that mean "this machine only".
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class ViewerAddress:
    """Where a viewer is served: ``http://<host>:<port>/v/<token>/``."""

    host: str
    port: int
    token: str

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/v/{self.token}/"


def ensure_loopback_server() -> None:
    """Make neuroglancer's web server listen on 127.0.0.1 only.

    Before the server starts, this sets its bind address to 127.0.0.1 (with a random port),
    undoing any earlier ``neuroglancer.set_server_bind_address``. Once it runs, the address can
    no longer change: a server already bound elsewhere only gets a warning.
    """
    if not neuroglancer.server.is_server_running():
        neuroglancer.set_server_bind_address("127.0.0.1", 0)
        return
    running = neuroglancer.server.global_server
    bound = getattr(running, "_bind_address", "127.0.0.1")
    if bound not in LOOPBACK_HOSTS:
        warnings.warn(
            f"Neuroglancer's server in this kernel listens on {bound}, so other machines "
            "may reach it. JupyterLab only needs 127.0.0.1: restart the kernel and do not "
            "call neuroglancer.set_server_bind_address.",
            RuntimeWarning,
            stacklevel=3,
        )


def viewer_address(viewer: neuroglancer.Viewer) -> ViewerAddress:
    """Return the host, port and token of ``viewer``, read from ``viewer.get_viewer_url()``."""
    url = viewer.get_viewer_url()
    parts = urllib.parse.urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    if parts.port is None or len(segments) < 2 or segments[-2] != "v":
        raise ValueError(
            f"Cannot tell where this viewer is served: its URL {url!r} is not of the form "
            "http://127.0.0.1:<port>/v/<token>/."
        )
    return ViewerAddress(host=parts.hostname or "", port=parts.port, token=segments[-1])


def announcement(viewer: neuroglancer.Viewer, name: str) -> dict[str, Any]:
    """Return the data that :func:`announce` sends for ``viewer`` titled ``name``."""
    address = viewer_address(viewer)
    return {
        "kind": "viewer",
        "port": address.port,
        "token": address.token,
        "name": str(name),
        "kernel_pid": os.getpid(),
    }


def announce(viewer: neuroglancer.Viewer, name: str) -> None:
    """Tell JupyterLab about ``viewer`` so that it opens a panel titled ``name``.

    In a kernel this opens a comm (see the module docstring); elsewhere it prints the viewer's
    URL, since no panel can open.
    """
    if not isinstance(viewer, neuroglancer.Viewer):
        raise TypeError(
            f"Only a neuroglancer.Viewer can be shown in JupyterLab, not {type(viewer).__name__}."
        )
    data = announcement(viewer, name)
    if not _in_kernel():
        print(f"Neuroglancer viewer {name!r}: {viewer.get_viewer_url()}")
        return
    import comm

    comm.create_comm(target_name=COMM_TARGET, data=data)


def _in_kernel() -> bool:
    """True when running in a Jupyter kernel (ipykernel) that has frontends to talk to."""
    kernelbase = sys.modules.get("ipykernel.kernelbase")
    if kernelbase is None:
        return False
    try:
        return bool(kernelbase.Kernel.initialized())
    except Exception:
        return False
