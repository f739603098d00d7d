"""Jupyter server configuration for the Galata UI tests (opens no browser, no token)."""

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821  # CI runs as root
c.LabApp.expose_app_in_browser = True  # noqa: F821
