"""The viewers the Jupyter server knows about, each under a random URL-safe id.

Only registered viewers can be reached through the proxy. A record says where the viewer's
server listens (always a loopback address), which viewer token it serves, and who owns it:
a kernel (``{"kind": "kernel", "kernel_id": ...}``) or the Jupyter server itself
(``{"kind": "server"}``).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from . import ROUTE_PREFIX
from .liveness import CLOSED, KERNEL_STOPPED


def kernel_owner(kernel_id: str) -> dict[str, str]:
    """The owner of a viewer that lives in the kernel ``kernel_id``."""
    return {"kind": "kernel", "kernel_id": kernel_id}


def server_owner() -> dict[str, str]:
    """The owner of a viewer that lives in the Jupyter server process."""
    return {"kind": "server"}


@dataclass
class ViewerRecord:
    """One registered viewer."""

    id: str
    """Random URL-safe id: the ``<id>`` of ``neuroglancer/proxy/<id>/...``."""
    port: int
    """Port of the viewer's Neuroglancer server on ``host``."""
    token: str
    """The viewer's token: its page is ``/v/<token>/`` on its server."""
    name: str
    """A title for people (the panel's label)."""
    owner: dict[str, str]
    """``{"kind": "kernel", "kernel_id": ...}`` or ``{"kind": "server"}``."""
    host: str = "127.0.0.1"
    """The loopback address to connect to: ``127.0.0.1`` or ``::1``."""
    kernel_pid: int | None = None
    """For a kernel viewer, the kernel's process id when it was accepted (a restart changes it)."""
    created: float = field(default_factory=time.time)
    """When the viewer was registered (seconds since the epoch)."""

    @property
    def kernel_id(self) -> str | None:
        """The owning kernel's id, or ``None`` for a server-hosted viewer."""
        return self.owner.get("kernel_id") if self.owner.get("kind") == "kernel" else None

    @property
    def url(self) -> str:
        """The proxied viewer page, relative to the server's base_url."""
        return f"{ROUTE_PREFIX}/proxy/{self.id}/v/{self.token}/"

    def to_json(self) -> dict[str, Any]:
        """The record as the API sends it."""
        return {
            "id": self.id,
            "name": self.name,
            "token": self.token,
            "owner": dict(self.owner),
            "url": self.url,
        }


MAX_ENDED = 1000
"""How many removed viewer ids the registry remembers, with why they were removed."""


class ViewerRegistry:
    """Thread-safe map from viewer id to :class:`ViewerRecord`.

    It also remembers why recently removed viewers were removed (``ended_reason``), so that a
    browser asking about a viewer it still shows can be told what happened to it.
    """

    def __init__(self) -> None:
        self._records: dict[str, ViewerRecord] = {}
        self._ended: dict[str, str] = {}
        self._lock = threading.Lock()

    def add(
        self,
        *,
        port: int,
        token: str,
        name: str,
        owner: dict[str, str],
        host: str = "127.0.0.1",
        kernel_pid: int | None = None,
    ) -> tuple[ViewerRecord, bool]:
        """Register a viewer; return ``(record, created)``.

        Registering the same owner, port and token again returns the existing record (same id),
        with its name and kernel process refreshed, and ``created`` false.
        """
        with self._lock:
            for record in self._records.values():
                if record.owner == owner and record.port == port and record.token == token:
                    record.name = name or record.name
                    record.host = host
                    record.kernel_pid = kernel_pid
                    return record, False
            viewer_id = self._new_id()
            record = ViewerRecord(
                id=viewer_id,
                port=port,
                token=token,
                name=name,
                owner=dict(owner),
                host=host,
                kernel_pid=kernel_pid,
            )
            self._records[viewer_id] = record
            return record, True

    def get(self, viewer_id: str) -> ViewerRecord | None:
        """The record registered as ``viewer_id``, if any."""
        with self._lock:
            return self._records.get(viewer_id)

    def remove(self, viewer_id: str, reason: str = CLOSED) -> ViewerRecord | None:
        """Forget ``viewer_id`` (remembering ``reason``); return its record if it was
        registered."""
        with self._lock:
            record = self._records.pop(viewer_id, None)
            if record is not None:
                self._remember_ended(viewer_id, reason)
            return record

    def ended_reason(self, viewer_id: str) -> str | None:
        """Why ``viewer_id`` was removed, if it was removed recently."""
        with self._lock:
            return self._ended.get(viewer_id)

    def list(self) -> list[ViewerRecord]:
        """Every record, oldest first."""
        with self._lock:
            return sorted(self._records.values(), key=lambda record: record.created)

    def remove_kernels_except(self, live_kernel_ids: set[str]) -> list[ViewerRecord]:
        """Forget the viewers of kernels that no longer exist; return them."""
        with self._lock:
            gone = [
                record
                for record in self._records.values()
                if record.kernel_id is not None and record.kernel_id not in live_kernel_ids
            ]
            for record in gone:
                del self._records[record.id]
                self._remember_ended(record.id, KERNEL_STOPPED)
            return gone

    def clear(self) -> None:
        """Forget every viewer."""
        with self._lock:
            self._records.clear()
            self._ended.clear()

    def _remember_ended(self, viewer_id: str, reason: str) -> None:
        self._ended[viewer_id] = reason
        while len(self._ended) > MAX_ENDED:  # dicts keep insertion order: drop the oldest
            del self._ended[next(iter(self._ended))]

    def _new_id(self) -> str:
        while True:
            viewer_id = secrets.token_urlsafe(12)
            if viewer_id not in self._records:
                return viewer_id
