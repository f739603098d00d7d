"""The Jupyter server extension of jupyterlab_neuroglancer.

One concern per module:

- ``app``: the ``ExtensionApp`` (configuration, routes, start-up and shutdown).
- ``base_handler``: the handler base classes that answer errors as JSON sentences.
- ``registry``: the viewers the server knows about, by id.
- ``ownership``: checks that a port really belongs to a kernel and serves a viewer.
- ``upstream``: the shared HTTP client that talks to the viewers' loopback servers.
- ``viewer_paths``: which proxied paths belong to which viewer.
- ``proxy``: the streaming reverse proxy to the viewers' servers.
- ``hosted``: viewers that live in the Jupyter server process itself.
- ``api_handlers``: the JSON API (``api/viewers``, ``api/hosted-viewers``, ``api/version``).
- ``file_access``: which files under the server's root may be read and served.
- ``files_handler``: dataset files for Neuroglancer (``files/<path>``: Range, ETag).
- ``datasets``: dataset inspection (zarr, OME-Zarr, N5, precomputed, NIfTI) → a state.
- ``datasets_handler``: ``api/datasets``, a dataset opened as a Neuroglancer state.

All routes live under ``<base_url>/neuroglancer/``.
"""

from __future__ import annotations

ROUTE_PREFIX = "neuroglancer"
"""First path segment (after the server's base_url) of every route of the extension."""

AUTH_RESOURCE = "neuroglancer"
"""The resource name handed to the server's authorizer for every route of the extension."""
