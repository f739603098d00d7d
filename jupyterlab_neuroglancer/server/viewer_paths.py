"""Which paths of a Neuroglancer server belong to one viewer.

A Neuroglancer Python server serves every viewer of its process. The proxy forwards only the
paths of the registered viewer (its token), so that registering one viewer does not expose the
others, nor anything else the server might answer:

- ``v/<token>/<file>``: the client (``index.html``, scripts, styles, wasm);
- ``events/<token>``, ``state/<token>``, ``action/<token>``, ``credentials/<token>``;
- ``volume_response/<token>/...``;
- ``neuroglancer/<kind>/<token>.<volume>...``: data of the viewer's local volumes (``info``,
  ``skeletoninfo``, ``npz``/``jpeg``/``raw`` chunks, ``mesh``, ``skeleton``).
"""

from __future__ import annotations

import re

# Characters that Neuroglancer's own routes use. Anything else is refused, "%" included (a
# path arrives decoded once; a second escape is never legitimate), so the path that is checked
# needs no escaping and is forwarded exactly as checked.
_SAFE_PATH = re.compile(r"[A-Za-z0-9_.,@~=+\-/]*")

VALID_TOKEN = re.compile(r"[A-Za-z0-9_\-]{1,128}")
"""Tokens the extension accepts: URL-safe, no dots (a data key is ``<token>.<volume>``)."""

_TOKEN_ONLY_ROUTES = frozenset({"events", "state", "action", "credentials"})


def belongs_to_viewer(path: str, token: str) -> bool:
    """Whether ``path`` (decoded, relative to the server root, no query) is ``token``'s."""
    if not path or not _SAFE_PATH.fullmatch(path):
        return False
    segments = path.split("/")
    # No "." or ".." anywhere, and no empty segment except a final one (``v/<token>/``).
    if any(segment in (".", "..") for segment in segments):
        return False
    if any(segment == "" for segment in segments[:-1]):
        return False
    route = segments[0]
    if route == "v":
        return len(segments) >= 3 and segments[1] == token
    if route in _TOKEN_ONLY_ROUTES:
        return len(segments) == 2 and segments[1] == token
    if route == "volume_response":
        return len(segments) >= 3 and segments[1] == token and segments[-1] != ""
    if route == "neuroglancer":
        key = segments[2] if len(segments) >= 3 else ""
        return key.startswith(token + ".") and len(key) > len(token) + 1
    return False
