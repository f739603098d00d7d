"""The Jupyter server extension application: configuration, routes, start-up and shutdown."""

from __future__ import annotations

import concurrent.futures

from jupyter_server.extension.application import ExtensionApp
from traitlets import Bool, Float, Int

from . import ROUTE_PREFIX
from .api_handlers import (
    HostedViewersHandler,
    VersionHandler,
    ViewerHandler,
    ViewersHandler,
    ViewerStatusHandler,
)
from .datasets_handler import DatasetsHandler
from .files_handler import DatasetFilesHandler
from .hosted import HostedViewers
from .proxy import ViewerProxyHandler
from .registry import ViewerRegistry
from .upstream import UpstreamClient

_VIEWER_ID = r"(?P<viewer_id>[^/]+)"


class NeuroglancerExtension(ExtensionApp):
    """Serves Neuroglancer viewers through the Jupyter server under ``<base_url>/neuroglancer/``."""

    name = "jupyterlab_neuroglancer"
    description = "Neuroglancer viewers inside JupyterLab: proxy, viewer registry, hosted viewers."

    keepalive_interval = Float(
        15.0,
        config=True,
        help=(
            "Seconds of silence after which the proxy writes a comment line on a viewer's event "
            "stream, so that proxies and load balancers between the browser and Jupyter do not "
            "close it as idle."
        ),
    )

    upstream_connect_timeout = Float(
        10.0,
        config=True,
        help=(
            "Seconds the proxy waits for a connection to a viewer's Neuroglancer server before "
            "it answers 502 (the viewer's kernel has probably stopped)."
        ),
    )

    probe_timeout = Float(
        10.0,
        config=True,
        help=(
            "Seconds to wait for a viewer's page when a kernel's viewer is registered, before "
            "the registration is refused as 'no viewer answers'."
        ),
    )

    upstream_pool_size = Int(
        100,
        config=True,
        help="Most connections the proxy keeps open to the viewers' Neuroglancer servers.",
    )

    hosted_viewer_threads = Int(
        2,
        config=True,
        help=(
            "Worker threads that build server-hosted viewers (the offline demo computes its "
            "volumes), so that the Jupyter server keeps answering meanwhile."
        ),
    )

    open_demo_on_start = Bool(
        False,
        config=True,
        help=(
            "Open the offline Neuroglancer demo when JupyterLab loads with no Neuroglancer panel "
            "to restore (the README's quick start sets this)."
        ),
    )

    def initialize_settings(self) -> None:
        """Create the registry, the shared HTTP client and the hosted-viewer pool."""
        self.registry = ViewerRegistry()
        self.upstream = UpstreamClient(
            connect_timeout=self.upstream_connect_timeout, pool_size=self.upstream_pool_size
        )
        self.executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=max(1, self.hosted_viewer_threads),
            thread_name_prefix="neuroglancer-hosted",
        )
        self.hosted = HostedViewers(self.executor)
        self.settings.update(
            {
                "neuroglancer_registry": self.registry,
                "neuroglancer_hosted_viewers": self.hosted,
            }
        )
        # JupyterLab's page handler merges this dict into the page config the frontend reads.
        page_config = self.serverapp.web_app.settings.setdefault("page_config_data", {})
        page_config["neuroglancerOpenDemoOnStart"] = self.open_demo_on_start

    def initialize_handlers(self) -> None:
        """Add the API, proxy and dataset file routes under ``<base_url>/neuroglancer/``."""
        shared = {
            "registry": self.registry,
            "upstream": self.upstream,
            "hosted": self.hosted,
            "probe_timeout": self.probe_timeout,
        }
        api = f"{ROUTE_PREFIX}/api"
        self.handlers.extend(
            [
                (f"{api}/viewers/?", ViewersHandler, shared),
                (f"{api}/viewers/{_VIEWER_ID}/?", ViewerHandler, shared),
                (f"{api}/viewers/{_VIEWER_ID}/status/?", ViewerStatusHandler, shared),
                (f"{api}/hosted-viewers/?", HostedViewersHandler, shared),
                (f"{api}/version/?", VersionHandler),
                (f"{api}/datasets/?", DatasetsHandler, {"root_dir": self.serverapp.root_dir}),
                (
                    rf"{ROUTE_PREFIX}/files/(?P<path>.*)",
                    DatasetFilesHandler,
                    {"root_dir": self.serverapp.root_dir},
                ),
                (
                    rf"{ROUTE_PREFIX}/proxy/{_VIEWER_ID}(?:/(?P<rest>.*))?",
                    ViewerProxyHandler,
                    {
                        "registry": self.registry,
                        "upstream": self.upstream,
                        "keepalive_interval": self.keepalive_interval,
                    },
                ),
            ]
        )

    async def stop_extension(self) -> None:
        """Close the proxy's connections and end the server-hosted viewers."""
        await self.upstream.close()
        self.hosted.stop()
        self.registry.clear()
        self.executor.shutdown(wait=False, cancel_futures=True)
