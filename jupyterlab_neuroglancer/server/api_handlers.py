"""The JSON API under ``<base_url>/neuroglancer/api/``.

- ``GET api/viewers`` → ``{"viewers": [record, ...]}``
- ``POST api/viewers`` ``{"kernel_id", "port", "token", "name"?}`` → 201 record
- ``GET api/viewers/<id>`` → record; ``DELETE api/viewers/<id>`` → 204
- ``GET api/viewers/<id>/status`` → ``{"id", "alive", "reason"}`` (see ``liveness.py``); an id
  the registry does not know is not an error: it is a viewer that is gone, and ``reason`` says
  why when the registry remembers it (``kernel-stopped``, ``closed``), else ``unknown``
- ``POST api/hosted-viewers`` ``{"state"?, "demo"?, "name"?}`` → 201 record
- ``GET api/version`` → ``{"version": ...}``

A record is ``{"id", "name", "token", "owner", "url"}``, ``url`` being the proxied viewer page
relative to the server's base_url. Errors are ``{"code", "message"}`` with a sentence.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import tornado
from jupyter_server.auth.decorator import authorized
from tornado import web

from .base_handler import NOT_AUTHORIZED_MESSAGE, NeuroglancerAPIHandler
from .hosted import HostedViewerError, viewer_port
from .liveness import UNKNOWN, ViewerStatus, viewer_status
from .ownership import find_listening_host, kernel_pid, viewer_answers
from .registry import kernel_owner, server_owner
from .viewer_paths import VALID_TOKEN

if TYPE_CHECKING:
    from .hosted import HostedViewers
    from .registry import ViewerRecord, ViewerRegistry
    from .upstream import UpstreamClient

DEFAULT_VIEWER_NAME = "Neuroglancer"
DEFAULT_DEMO_NAME = "Neuroglancer demo"
MAX_NAME_LENGTH = 200
STATUS_PROBE_TIMEOUT = 2.0
"""Seconds a status request waits for a viewer's page before counting the viewer as alive."""


def _name_from(body: dict[str, Any], default: str) -> str:
    name = body.get("name")
    if name is None or name == "":
        return default
    if not isinstance(name, str):
        raise web.HTTPError(400, 'The viewer\'s "name" must be a string.')
    return name.strip()[:MAX_NAME_LENGTH] or default


class _ViewerAPIHandler(NeuroglancerAPIHandler):
    """Shared set-up of the viewer API handlers."""

    def initialize(
        self,
        registry: ViewerRegistry,
        upstream: UpstreamClient,
        hosted: HostedViewers,
        probe_timeout: float,
    ) -> None:
        """Receive the extension's shared objects."""
        self.registry = registry
        self.upstream = upstream
        self.hosted = hosted
        self.probe_timeout = probe_timeout

    def forget_viewers_of_stopped_kernels(self) -> None:
        """Drop the records of kernels the kernel manager no longer knows."""
        self.registry.remove_kernels_except(set(self.kernel_manager.list_kernel_ids()))

    def record_or_404(self, viewer_id: str) -> ViewerRecord:
        """The record ``viewer_id``, or a 404 that says so."""
        record = self.registry.get(viewer_id)
        if record is None:
            raise web.HTTPError(
                404,
                f"No Neuroglancer viewer is open under the id '{viewer_id}': it may have been "
                "closed, or its kernel stopped. Open the viewer again.",
            )
        return record


class ViewersHandler(_ViewerAPIHandler):
    """``api/viewers``: list the viewers, or register a kernel's viewer."""

    @tornado.web.authenticated
    @authorized(message=NOT_AUTHORIZED_MESSAGE)
    async def get(self) -> None:
        """Every registered viewer."""
        self.forget_viewers_of_stopped_kernels()
        self.write_json({"viewers": [record.to_json() for record in self.registry.list()]})

    @tornado.web.authenticated
    @authorized(message=NOT_AUTHORIZED_MESSAGE)
    async def post(self) -> None:
        """Register the viewer ``token`` that kernel ``kernel_id`` serves on ``port``."""
        body = self.read_json_object()
        kernel_id = body.get("kernel_id")
        port = body.get("port")
        token = body.get("token")
        if not isinstance(kernel_id, str) or not kernel_id:
            raise web.HTTPError(
                400, 'Send the id of the kernel that runs the viewer as "kernel_id".'
            )
        if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
            raise web.HTTPError(
                400, 'Send the port of the viewer\'s server as "port", a number from 1 to 65535.'
            )
        if not isinstance(token, str) or not VALID_TOKEN.fullmatch(token):
            raise web.HTTPError(
                400,
                'Send the viewer\'s token as "token": letters, digits, "-" and "_" only '
                "(the part after /v/ in the viewer's URL).",
            )
        name = _name_from(body, DEFAULT_VIEWER_NAME)

        try:
            pid = kernel_pid(self.kernel_manager, kernel_id)
        except KeyError:
            raise web.HTTPError(
                404,
                f"Kernel {kernel_id} is not running on this Jupyter server. "
                "Start it again and re-run the code that creates the viewer.",
            ) from None
        not_owned = (
            f"Port {port} is not a Neuroglancer server of kernel {kernel_id}; "
            "only viewers created in that kernel can be shown."
        )
        if pid is None:
            raise web.HTTPError(403, not_owned)
        loop = asyncio.get_running_loop()
        host = await loop.run_in_executor(None, find_listening_host, pid, port)
        if host is None:
            raise web.HTTPError(403, not_owned)
        if not await viewer_answers(self.upstream.session(), host, port, token, self.probe_timeout):
            raise web.HTTPError(
                502,
                f"No Neuroglancer viewer with this token answers on port {port} of kernel "
                f"{kernel_id}. Re-run the code that created the viewer, then try again.",
            )
        record, _ = self.registry.add(
            port=port,
            token=token,
            name=name,
            owner=kernel_owner(kernel_id),
            host=host,
            kernel_pid=pid,
        )
        self.write_json(record.to_json(), status=201)


class ViewerHandler(_ViewerAPIHandler):
    """``api/viewers/<id>``: one viewer."""

    @tornado.web.authenticated
    @authorized(message=NOT_AUTHORIZED_MESSAGE)
    async def get(self, viewer_id: str) -> None:
        """The record of ``viewer_id``."""
        self.forget_viewers_of_stopped_kernels()
        self.write_json(self.record_or_404(viewer_id).to_json())

    @tornado.web.authenticated
    @authorized(message=NOT_AUTHORIZED_MESSAGE)
    async def delete(self, viewer_id: str) -> None:
        """Forget ``viewer_id``; a server-hosted viewer is also ended."""
        self.record_or_404(viewer_id)
        self.registry.remove(viewer_id)
        self.hosted.drop(viewer_id)
        self.set_status(204)
        self.finish()


class ViewerStatusHandler(_ViewerAPIHandler):
    """``api/viewers/<id>/status``: whether a viewer is alive, and if not, why."""

    @tornado.web.authenticated
    @authorized(message=NOT_AUTHORIZED_MESSAGE)
    async def get(self, viewer_id: str) -> None:
        """``{"id", "alive", "reason"}``; asked about once a second per visible panel."""
        self.forget_viewers_of_stopped_kernels()
        record = self.registry.get(viewer_id)
        if record is None:
            status = ViewerStatus(False, self.registry.ended_reason(viewer_id) or UNKNOWN)
        else:
            status = await viewer_status(
                record,
                kernel_manager=self.kernel_manager,
                hosted=self.hosted,
                session=self.upstream.session(),
                timeout=min(self.probe_timeout, STATUS_PROBE_TIMEOUT),
            )
        self.set_header("Cache-Control", "no-store")
        self.write_json(status.to_json(viewer_id))


class HostedViewersHandler(_ViewerAPIHandler):
    """``api/hosted-viewers``: create a viewer in the Jupyter server process."""

    @tornado.web.authenticated
    @authorized(message=NOT_AUTHORIZED_MESSAGE)
    async def post(self) -> None:
        """Create a viewer from ``state`` (object or string), or the offline demo."""
        body = self.read_json_object()
        demo = body.get("demo", False)
        if not isinstance(demo, bool):
            raise web.HTTPError(400, '"demo" must be true or false.')
        raw_state = body.get("state")
        if demo and raw_state is not None:
            raise web.HTTPError(400, 'Send either a "state" or "demo": true, not both.')
        state: dict[str, Any] | None = None
        if raw_state is not None:
            if not isinstance(raw_state, (dict, str)):
                raise web.HTTPError(
                    400, 'The "state" must be a Neuroglancer state: a JSON object, or a string.'
                )
            from ..state import StateParseError, parse_state

            try:
                state = parse_state(raw_state)
            except StateParseError as error:
                raise web.HTTPError(400, str(error)) from error
        name = _name_from(body, DEFAULT_DEMO_NAME if demo else DEFAULT_VIEWER_NAME)
        try:
            viewer = await self.hosted.create(state=state, demo=demo)
        except HostedViewerError as error:
            raise web.HTTPError(400, str(error)) from error
        record, _ = self.registry.add(
            port=viewer_port(viewer), token=viewer.token, name=name, owner=server_owner()
        )
        self.hosted.keep(record.id, viewer)
        self.write_json(record.to_json(), status=201)


class VersionHandler(NeuroglancerAPIHandler):
    """``api/version``: the installed Python package's version, for the frontend to compare."""

    @tornado.web.authenticated
    @authorized(message=NOT_AUTHORIZED_MESSAGE)
    async def get(self) -> None:
        """``{"version": ...}``."""
        from .. import __version__

        self.write_json({"version": __version__})
