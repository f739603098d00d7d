"""Reading the Neuroglancer states that people paste.

Used by both halves of the package (the kernel's ``show`` and the server-hosted viewers), and
mirrored by the frontend's own parser, so the rules are kept short. ``parse_state`` accepts:

1. a ``dict`` (or any mapping): it must be JSON-serializable; a deep copy is returned;
2. a string, stripped of surrounding whitespace, that is

   a. bare JSON: it starts with ``{`` (or ``[``, only to say that a list is no state) and is
      parsed as JSON;
   b. anything containing ``#!`` (a full Neuroglancer URL on any host, or the fragment alone):
      the text after the first ``#!`` is the state. It is parsed as JSON as is when it starts
      with ``{`` and that works; otherwise it is percent-decoded once (``%7B%22...`` ->
      ``{"...``) and parsed as JSON. If it is still not JSON, Neuroglancer's older "URL-safe"
      form (single quotes, ``_`` between items) is converted to JSON and tried last.

The result must be a JSON object. Rejected, with a :class:`StateParseError` whose message is a
sentence for the user (what is wrong, what to paste instead):

- empty input;
- a URL without ``#!`` (for example a viewer's address copied before it loaded a state);
- remote state links: a fragment that is itself a URL (``#!gs://.../state.json``,
  ``#!https://...``), or a ``?json_url=`` query. Nothing is fetched: this package works
  offline;
- text that is neither JSON nor contains ``#!``;
- invalid JSON (the message gives the line and column);
- JSON that is not an object (a list, a string, a number...).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

__all__ = ["StateParseError", "parse_state"]

#: What the messages suggest pasting instead.
_WHAT_TO_PASTE = (
    "Paste the full address of a Neuroglancer page (it contains '#!' followed by the state) "
    "or the state's JSON."
)

_REMOTE_FRAGMENT = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


class StateParseError(ValueError):
    """A pasted Neuroglancer URL or state could not be read; the message is for the user."""


def parse_state(value: str | Mapping[str, Any]) -> dict[str, Any]:
    """Return the Neuroglancer viewer state (a JSON object, as a ``dict``) held by ``value``.

    ``value`` is a Neuroglancer URL (``https://<any host>/#!{...}``, plain or percent-encoded),
    a fragment alone (``#!{...}``), bare JSON text, or a dict. See the module docstring for the
    exact rules. Raises :class:`StateParseError` with a user-facing sentence when ``value``
    holds no usable state; never touches the network.
    """
    if isinstance(value, Mapping):
        return _copy_mapping(value)
    if isinstance(value, bytes | bytearray):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        raise StateParseError(
            f"A Neuroglancer state must be given as text or a dict, not {type(value).__name__}. "
            + _WHAT_TO_PASTE
        )
    text = value.strip()
    if not text:
        raise StateParseError("Nothing to open: the text is empty. " + _WHAT_TO_PASTE)
    if text.startswith(("{", "[")):
        return _check_object(_loads(text, "The state"))
    marker = text.find("#!")
    if marker < 0:
        raise _no_fragment_error(text)
    return _parse_fragment(text[marker + 2 :].strip())


def _copy_mapping(value: Mapping[str, Any]) -> dict[str, Any]:
    try:
        copied = json.loads(json.dumps(dict(value)))
    except (TypeError, ValueError) as error:
        raise StateParseError(
            f"This state cannot be written as JSON ({error}). A Neuroglancer state holds only "
            "JSON values: objects, lists, strings, numbers, booleans and null."
        ) from None
    return _check_object(copied)


def _no_fragment_error(text: str) -> StateParseError:
    parts = urllib.parse.urlsplit(text)
    if "json_url=" in parts.query:
        return _remote_error()
    if parts.scheme and parts.netloc:
        return StateParseError(
            "This URL holds no Neuroglancer state: the state is the part after '#!', and this "
            "address has none. Open it in Neuroglancer and copy the address again once the "
            "view has loaded, or paste the state's JSON."
        )
    return StateParseError("This is neither a Neuroglancer URL nor a JSON state. " + _WHAT_TO_PASTE)


def _remote_error() -> StateParseError:
    return StateParseError(
        "This link points to a state file stored elsewhere, and remote state files are not "
        "fetched (everything here works offline). Open the link in Neuroglancer and copy the "
        "address once the view has loaded (it then contains the whole state), or download "
        "the state's JSON file and paste its contents."
    )


def _parse_fragment(fragment: str) -> dict[str, Any]:
    if not fragment:
        raise StateParseError("The URL ends with '#!' but no state follows it. " + _WHAT_TO_PASTE)
    if fragment.startswith("{"):
        try:
            return _check_object(json.loads(fragment))
        except json.JSONDecodeError:
            pass  # most likely percent-encoded quotes: decoded below
    decoded = urllib.parse.unquote(fragment).strip()
    if _REMOTE_FRAGMENT.match(decoded):
        raise _remote_error()
    try:
        parsed = json.loads(decoded)
    except json.JSONDecodeError as error:
        parsed = _parse_url_safe(decoded)
        if parsed is None:
            raise _json_error(error, "The state in this URL") from None
    return _check_object(parsed)


def _parse_url_safe(text: str) -> Any:
    """Read Neuroglancer's older URL-safe form (single quotes, '_' between items), or None."""
    try:
        from neuroglancer.url_state import url_safe_to_json
    except ImportError:
        return None
    try:
        return json.loads(url_safe_to_json(text))
    except ValueError:
        return None


def _loads(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise _json_error(error, what) from None


def _json_error(error: json.JSONDecodeError, what: str) -> StateParseError:
    return StateParseError(
        f"{what} is not valid JSON: {error.msg.lower()} at line {error.lineno}, column "
        f"{error.colno}. Copy it again in full: a truncated or edited state cannot be read."
    )


_JSON_KINDS = {
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def _check_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        kind = _JSON_KINDS.get(type(value), type(value).__name__)
        raise StateParseError(
            f"A Neuroglancer state is a JSON object ({{...}}), but this is {kind}. "
            + _WHAT_TO_PASTE
        )
    try:
        import neuroglancer
    except ImportError:  # the frontend-only twin has no such check either
        return value
    try:
        neuroglancer.ViewerState(value)
    except Exception as error:
        raise StateParseError(
            f"Neuroglancer does not accept this state ({error}). " + _WHAT_TO_PASTE
        ) from None
    return value
