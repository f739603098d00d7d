"""Handler base classes: every error of the extension is JSON ``{"code", "message"}``.

The message is a sentence for a person: what happened and what to do about it.
"""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from tornado import web

from . import AUTH_RESOURCE

NOT_AUTHORIZED_MESSAGE = (
    "You are not allowed to use Neuroglancer viewers on this Jupyter server. "
    "Ask the server's administrator for access."
)
"""The sentence for a logged-in user whom the server's authorizer refuses."""

_DEFAULT_MESSAGES: dict[int, str] = {
    400: "The request was not understood. Check what was sent and try again.",
    401: "You are not logged in to Jupyter. Log in and try again.",
    403: (
        "You are not allowed to use Neuroglancer viewers on this Jupyter server. "
        "Log in again, or ask the server's administrator for access."
    ),
    404: "Nothing was found at this address. Check the address and try again.",
    405: "This address does not accept this kind of request.",
    502: "The Neuroglancer viewer server is not answering. Open the viewer again.",
}

_FALLBACK_MESSAGE = (
    "The Neuroglancer extension of the Jupyter server failed unexpectedly. "
    "Try again; if it keeps failing, look at the Jupyter server's log."
)


def error_message(status_code: int, exc_info: Any = None) -> str:
    """Choose the sentence to send for an error response.

    An ``HTTPError`` raised with a ``log_message`` carries the sentence itself; any other
    error gets a generic sentence for its status code.
    """
    if exc_info:
        error = exc_info[1]
        if isinstance(error, web.HTTPError) and error.log_message:
            try:
                return str(error.log_message % error.args) if error.args else error.log_message
            except (TypeError, ValueError):
                return str(error.log_message)
    return _DEFAULT_MESSAGES.get(status_code, _FALLBACK_MESSAGE)


class JsonErrorsMixin:
    """Write every error response as JSON ``{"code": <status>, "message": <sentence>}``."""

    auth_resource = AUTH_RESOURCE

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Answer an error with a JSON body (never Jupyter's HTML error page)."""
        handler: web.RequestHandler = self  # type: ignore[assignment]
        # Headers of a half-prepared response (a proxied one, say) must not leak into the error.
        handler.clear_header("Content-Encoding")
        handler.clear_header("Content-Length")
        handler.set_header("Content-Type", "application/json; charset=UTF-8")
        handler.set_header("Cache-Control", "no-store")
        body = {"code": status_code, "message": error_message(status_code, kwargs.get("exc_info"))}
        handler.finish(json.dumps(body))

    def get_login_url(self) -> str:
        """Refuse instead of redirecting to the login page: these routes are not pages."""
        raise web.HTTPError(403, _DEFAULT_MESSAGES[401])


class NeuroglancerAPIHandler(JsonErrorsMixin, APIHandler):
    """Base class of the JSON API handlers (XSRF-protected, like every ``APIHandler``)."""

    def write_json(self, payload: Any, status: int = 200) -> None:
        """Send ``payload`` as a JSON response with ``status``."""
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps(payload))

    def read_json_object(self) -> dict[str, Any]:
        """The request body as a JSON object, or a 400 error that says what is wrong."""
        raw = self.request.body.strip() if self.request.body else b""
        if not raw:
            return {}
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise web.HTTPError(
                400, "The request body is not valid JSON. Send a JSON object."
            ) from error
        if not isinstance(body, dict):
            raise web.HTTPError(400, "The request body must be a JSON object.")
        return body


class NeuroglancerPageHandler(JsonErrorsMixin, JupyterHandler):
    """Base class of non-API handlers (the proxy): Jupyter's headers, JSON errors."""
