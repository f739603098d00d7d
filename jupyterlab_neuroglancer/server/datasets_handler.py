"""``GET <base_url>/neuroglancer/api/datasets?path=<path>&origin=<origin>``: open a dataset.

Answers ``{"path", "format", "name", "state"}``: the dataset's path (relative to the server's
root, normalised), its format (``zarr2``, ``zarr3``, ``ome-zarr``, ``n5``, ``precomputed``,
``nifti``), a name for the viewer, and a complete Neuroglancer state whose layer sources are
absolute URLs of the file route on ``origin``, e.g.
``zarr2://https://hub.example.org/user/ada/neuroglancer/files/data/cells.ome.zarr/``.

``origin`` is the browser's ``location.origin`` (``scheme://host[:port]``): the server cannot
know it reliably behind proxies. Without it, the request's own scheme and host are used.

Errors (``{"code", "message"}``): 400 for a malformed path or origin, a path with ``..`` or one
that leads outside the root; 404 for a missing (or hidden) path; 422 for something that is not a
dataset Neuroglancer can open (the message says what was found and what is supported).
"""

from __future__ import annotations

import asyncio
import re

import tornado
from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import url_path_join
from tornado import web

from . import ROUTE_PREFIX
from .base_handler import NOT_AUTHORIZED_MESSAGE, NeuroglancerAPIHandler
from .datasets import DatasetError, inspect_dataset

_ORIGIN = re.compile(
    r"(?P<scheme>https?)://(?P<host>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(?::(?P<port>[0-9]{1,5}))?",
    re.IGNORECASE,
)


def parse_origin(value: str) -> str:
    """``value`` if it is an http(s) origin (``scheme://host[:port]``), else ``ValueError``."""
    match = _ORIGIN.fullmatch(value)
    if match is None or (match["port"] is not None and not 0 < int(match["port"]) < 65536):
        raise ValueError(value)
    return match["scheme"].lower() + value[len(match["scheme"]) :]


class DatasetsHandler(NeuroglancerAPIHandler):
    """``api/datasets``: inspect a dataset and answer the state that shows it."""

    def initialize(self, root_dir: str) -> None:
        """Inspect datasets under ``root_dir`` (the Jupyter server's root directory)."""
        self.root_dir = root_dir

    @tornado.web.authenticated
    @authorized(message=NOT_AUTHORIZED_MESSAGE)
    async def get(self) -> None:
        """The dataset at ``?path=``, as a Neuroglancer state for a viewer on ``?origin=``."""
        path = self.get_query_argument("path", None)
        if path is None:
            raise web.HTTPError(
                400,
                "%s",
                "Send the dataset's path, relative to the server's root, as \"path\".",
            )
        origin = self.get_query_argument("origin", None)
        if origin is None:
            origin = f"{self.request.protocol}://{self.request.host}"
        try:
            origin = parse_origin(origin.strip())
        except ValueError:
            raise web.HTTPError(
                400,
                "%s",
                f"'{origin}' is not a web origin. Send the browser's location.origin as "
                '"origin": http or https, a host and an optional port, nothing else '
                "(for example http://localhost:8888).",
            ) from None
        files_url = origin + url_path_join(self.base_url, ROUTE_PREFIX, "files") + "/"
        allow_hidden = bool(self.contents_manager.allow_hidden)
        loop = asyncio.get_running_loop()
        try:
            info = await loop.run_in_executor(
                None,
                lambda: inspect_dataset(self.root_dir, path, allow_hidden=allow_hidden),
            )
        except DatasetError as error:
            raise web.HTTPError(error.status, "%s", str(error)) from None
        self.write_json(info.to_json(files_url))
