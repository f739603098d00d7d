"""Whether a registered viewer is still alive, and if not, why.

The frontend asks this about every visible panel about once a second, so each answer is cheap:
a look at the kernel manager, then one small request to the viewer's loopback server.

A viewer is alive when

- (a kernel's viewer) its kernel still runs, in the same process as when the viewer was
  accepted (a restart starts a new process, which has lost every viewer), and
- its Neuroglancer server still serves the viewer's page (``GET /v/<token>/`` is 200).

A server that accepts no connection, or answers anything but 200 (Neuroglancer answers 404 once
the ``Viewer`` object has been garbage collected), has stopped serving the viewer. A server that
accepts the connection but is slow to answer is counted as alive: a busy kernel can be slow, and
a false "gone" would make the frontend offer to recreate a viewer that still works.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp

from .ownership import kernel_pid, url_host

if TYPE_CHECKING:
    from .hosted import HostedViewers
    from .registry import ViewerRecord

KERNEL_RESTARTED = "kernel-restarted"
"""The viewer's kernel restarted (a new process): the viewer was lost with the old one."""
KERNEL_STOPPED = "kernel-stopped"
"""The viewer's kernel was shut down, or died."""
SERVER_STOPPED = "server-stopped"
"""The kernel runs, but its Neuroglancer server no longer serves this viewer (or, for a viewer
hosted by the Jupyter server, the hosted viewer is gone)."""
CLOSED = "closed"
"""The viewer was removed from the registry (``DELETE api/viewers/<id>``)."""
UNKNOWN = "unknown"
"""The registry never knew this id, or forgot it: most likely the Jupyter server restarted."""


@dataclass(frozen=True)
class ViewerStatus:
    """``alive``, and when it is not, a ``reason`` (one of the constants above)."""

    alive: bool
    reason: str | None = None

    def to_json(self, viewer_id: str) -> dict[str, Any]:
        """The status as ``api/viewers/<id>/status`` sends it."""
        return {"id": viewer_id, "alive": self.alive, "reason": self.reason}


ALIVE = ViewerStatus(alive=True)


async def viewer_status(
    record: ViewerRecord,
    *,
    kernel_manager: Any,
    hosted: HostedViewers,
    session: aiohttp.ClientSession,
    timeout: float,
) -> ViewerStatus:
    """The status of the registered viewer ``record``."""
    kernel_id = record.kernel_id
    if kernel_id is not None:
        try:
            pid = kernel_pid(kernel_manager, kernel_id)
        except KeyError:
            return ViewerStatus(False, KERNEL_STOPPED)
        except Exception:  # a kernel being shut down or restarted can fail to answer
            return ViewerStatus(False, KERNEL_RESTARTED)
        if pid is None or pid != record.kernel_pid:
            return ViewerStatus(False, KERNEL_RESTARTED)
    elif record.id not in hosted:
        return ViewerStatus(False, SERVER_STOPPED)
    if await page_served(session, record.host, record.port, record.token, timeout) is False:
        return ViewerStatus(False, SERVER_STOPPED)
    return ALIVE


async def page_served(
    session: aiohttp.ClientSession, host: str, port: int, token: str, timeout: float
) -> bool | None:
    """Whether ``http://<host>:<port>/v/<token>/`` answers 200: ``True``, ``False`` (refused,
    reset, or another status), or ``None`` when no answer came within ``timeout`` seconds."""
    url = f"http://{url_host(host)}:{port}/v/{token}/"
    try:
        async with session.get(
            url, timeout=aiohttp.ClientTimeout(total=timeout), allow_redirects=False
        ) as response:
            return response.status == 200
    except asyncio.TimeoutError:
        return None
    except (aiohttp.ClientError, OSError):
        return False
