"""Checks made before a kernel's viewer is accepted into the registry.

A browser asks the server to proxy "port N of kernel K". The server believes it only when

1. the process tree of kernel K (its provisioner's process and all its descendants) has a
   socket listening on a loopback address at port N, and
2. a Neuroglancer viewer with the given token answers there (``GET /v/<token>/`` is 200).

So nothing but a kernel's own Neuroglancer server can be proxied: not another port of the
machine, not another user's process, not another host.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any

import aiohttp
import psutil

# Addresses a viewer server may listen on that are reachable over loopback, mapped to the
# loopback address the proxy connects to.
_LOOPBACK_FOR_LISTEN_ADDRESS = {
    "0.0.0.0": "127.0.0.1",
    "::": "::1",
}


class OwnershipError(Exception):
    """A viewer cannot be accepted; ``status`` is the HTTP status, the message a sentence."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def kernel_pid(kernel_manager: Any, kernel_id: str) -> int | None:
    """Process id of the kernel ``kernel_id``, or ``None`` if it has no local process.

    Raises ``KeyError`` when the kernel manager does not know ``kernel_id``.
    """
    if kernel_id not in kernel_manager:
        raise KeyError(kernel_id)
    manager = kernel_manager.get_kernel(kernel_id)
    provisioner = getattr(manager, "provisioner", None)
    pid = getattr(provisioner, "pid", None)
    if pid is None:
        process = getattr(provisioner, "process", None)
        pid = getattr(process, "pid", None)
    return int(pid) if pid else None


def _connections(process: psutil.Process) -> list[Any]:
    # psutil >= 6 names it net_connections; older versions only have connections.
    method = getattr(process, "net_connections", None) or process.connections
    return list(method(kind="inet"))


def _loopback_host(address: str) -> str | None:
    """The loopback address to connect to for a listening ``address``, if it is reachable."""
    if address in _LOOPBACK_FOR_LISTEN_ADDRESS:
        return _LOOPBACK_FOR_LISTEN_ADDRESS[address]
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
    if not ip.is_loopback:
        return None
    return "::1" if ip.version == 6 else "127.0.0.1"


def find_listening_host(pid: int, port: int) -> str | None:
    """Where the process tree rooted at ``pid`` listens at ``port`` over loopback, if it does.

    Returns ``"127.0.0.1"`` or ``"::1"`` (IPv4 preferred), or ``None``. This reads ``/proc``
    (or the platform's equivalent) and should be run off the event loop.
    """
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
    hosts: set[str] = set()
    for process in processes:
        try:
            connections = _connections(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        for connection in connections:
            if connection.status != psutil.CONN_LISTEN or connection.type != socket.SOCK_STREAM:
                continue
            if not connection.laddr or connection.laddr.port != port:
                continue
            host = _loopback_host(connection.laddr.ip)
            if host is not None:
                hosts.add(host)
    if "127.0.0.1" in hosts:
        return "127.0.0.1"
    return next(iter(hosts), None)


def url_host(host: str) -> str:
    """``host`` as it appears in a URL (IPv6 addresses in brackets)."""
    return f"[{host}]" if ":" in host else host


async def viewer_answers(
    session: aiohttp.ClientSession, host: str, port: int, token: str, timeout: float
) -> bool:
    """Whether a Neuroglancer viewer with ``token`` answers ``GET /v/<token>/`` with 200."""
    url = f"http://{url_host(host)}:{port}/v/{token}/"
    try:
        async with session.get(
            url, timeout=aiohttp.ClientTimeout(total=timeout), allow_redirects=False
        ) as response:
            return response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
        return False
