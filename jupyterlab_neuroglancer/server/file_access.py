"""Which files under the server's root directory the extension may read and serve.

Both the file route (``files/<path>``) and dataset inspection (``api/datasets``) go through
:class:`ServedTree`, so that inspection never reads what the file route would refuse to serve:

- nothing outside the root: no ``..`` segment, no absolute path, and no symbolic link whose
  target lies outside the root (every path is resolved to its real path before it is used);
- no hidden file or folder (a dot-name, or one the OS marks hidden), unless the contents manager
  allows hidden files; zarr v2 metadata dotfiles (``.zarray``, ``.zattrs``, ``.zgroup``,
  ``.zmetadata``) are served anyway when they sit in a zarr v2 node (beside a ``.zarray`` or a
  ``.zgroup``), since zarr v2 datasets cannot be read without them.

Everything here does blocking file-system calls: call it from a worker thread.
"""

from __future__ import annotations

import json
import os
from typing import Any

from jupyter_core.paths import is_hidden

ZARR_METADATA_DOTFILES = frozenset({".zarray", ".zattrs", ".zgroup", ".zmetadata"})
"""zarr v2 metadata files, served inside a zarr v2 node even when hidden files are not."""

_ZARR_NODE_MARKERS = (".zarray", ".zgroup")

MAX_METADATA_BYTES = 16 * 1024 * 1024
"""Largest metadata (JSON) file that dataset inspection reads."""


class PathRefusedError(Exception):
    """A path the extension does not serve. ``str(error)`` is a sentence for the user."""


class UnsafePathError(PathRefusedError):
    """The path is malformed or tries to leave the root (``..``, absolute, NUL...)."""


class OutsideRootError(PathRefusedError):
    """The path resolves (through a symbolic link) to a place outside the root."""


class HiddenPathError(PathRefusedError):
    """The path is, or is inside, a hidden file or folder, and hidden files are not allowed."""


def split_path(path: str, *, lenient: bool = False) -> list[str]:
    """The segments of ``path`` (relative to the root, ``/``-separated).

    Strict (the file route, whose URLs the extension writes itself): no leading ``/``, no empty,
    ``.`` or ``..`` segment. Lenient (paths typed or picked by a person): leading, trailing and
    repeated slashes and ``.`` segments are dropped; ``..`` is still refused.
    """
    if "\x00" in path or "\\" in path:
        raise UnsafePathError(
            f"The path '{path}' contains a character that is not allowed in a path here "
            "(a backslash or a NUL). Use '/' between folder names."
        )
    if path == "":
        return []
    segments = path.split("/")
    if lenient:
        segments = [segment for segment in segments if segment not in ("", ".")]
    elif path.startswith("/"):
        raise UnsafePathError(
            f"The path '{path}' is absolute. Give a path relative to the Jupyter server's root."
        )
    if any(segment == ".." for segment in segments):
        raise UnsafePathError(
            f"The path '{path}' goes up with '..'. Only files under the Jupyter server's root "
            "can be opened."
        )
    if not lenient and any(segment in ("", ".") for segment in segments):
        raise UnsafePathError(f"The path '{path}' has an empty or '.' segment.")
    return segments


def join(*parts: str) -> str:
    """Join relative ``/``-separated paths, skipping empty parts."""
    return "/".join(part.strip("/") for part in parts if part and part.strip("/"))


class ServedTree:
    """The files under ``root_dir`` that the extension reads and serves."""

    def __init__(self, root_dir: str, *, allow_hidden: bool = False) -> None:
        """Serve ``root_dir`` (resolved to its real path); ``allow_hidden`` as Jupyter's."""
        self.root = os.path.realpath(os.path.abspath(os.path.expanduser(root_dir)))
        self.allow_hidden = allow_hidden

    # -- confinement ---------------------------------------------------------------------------

    def resolve(self, relative: str | list[str], *, lenient: bool = False) -> str:
        """The real absolute path of ``relative``, after every check; it need not exist.

        Raises :class:`UnsafePathError`, :class:`OutsideRootError` or :class:`HiddenPathError`.
        """
        segments = split_path(relative, lenient=lenient) if isinstance(relative, str) else relative
        shown = "/".join(segments)
        real = os.path.realpath(os.path.join(self.root, *segments))
        if real != self.root and not real.startswith(self.root.rstrip(os.sep) + os.sep):
            raise OutsideRootError(
                f"'{shown}' leads outside the Jupyter server's root directory (through a "
                "symbolic link), so it cannot be opened."
            )
        if not self.allow_hidden and self._hidden(segments, real):
            raise HiddenPathError(
                f"'{shown}' is hidden (a name starting with '.', or inside such a folder). "
                "The Jupyter server does not serve hidden files unless "
                "ContentsManager.allow_hidden is set."
            )
        return real

    def _hidden(self, segments: list[str], real: str) -> bool:
        name = segments[-1] if segments else ""
        if name in ZARR_METADATA_DOTFILES and os.path.basename(real) == name:
            parent = os.path.dirname(real)
            if any(os.path.isfile(os.path.join(parent, marker)) for marker in _ZARR_NODE_MARKERS):
                # A zarr v2 node's metadata: only the folders above it must be visible.
                return any(s.startswith(".") for s in segments[:-1]) or is_hidden(parent, self.root)
        if any(segment.startswith(".") for segment in segments):
            return True
        return is_hidden(real, self.root)

    # -- reading (for dataset inspection) ------------------------------------------------------

    def is_file(self, relative: str) -> bool:
        """Whether ``relative`` is a regular file that would be served."""
        try:
            return os.path.isfile(self.resolve(relative))
        except PathRefusedError:
            return False

    def is_dir(self, relative: str) -> bool:
        """Whether ``relative`` is a folder that may be read."""
        try:
            return os.path.isdir(self.resolve(relative))
        except PathRefusedError:
            return False

    def read_bytes(self, relative: str, limit: int) -> bytes | None:
        """At most ``limit`` bytes from the start of ``relative``; ``None`` if not served."""
        try:
            real = self.resolve(relative)
            with open(real, "rb") as file:
                return file.read(limit)
        except (PathRefusedError, OSError):
            return None

    def read_json(self, relative: str) -> Any:
        """The JSON in ``relative``; ``None`` when missing, refused, too large or not JSON."""
        data = self.read_bytes(relative, MAX_METADATA_BYTES + 1)
        if data is None or len(data) > MAX_METADATA_BYTES:
            return None
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None

    def read_json_object(self, relative: str) -> dict[str, Any] | None:
        """Like :meth:`read_json`, but only a JSON object counts."""
        value = self.read_json(relative)
        return value if isinstance(value, dict) else None

    def child_dirs(self, relative: str) -> list[str]:
        """Names of the visible sub-folders of ``relative``, sorted."""
        try:
            real = self.resolve(relative)
            names = sorted(os.listdir(real))
        except (PathRefusedError, OSError):
            return []
        return [name for name in names if self.is_dir(join(relative, name))]

    def listing(self, relative: str, limit: int = 12) -> list[str]:
        """Up to ``limit`` visible entry names of the folder ``relative`` (for messages)."""
        try:
            real = self.resolve(relative)
            names = sorted(os.listdir(real))
        except (PathRefusedError, OSError):
            return []
        shown = [name for name in names if self.allow_hidden or not name.startswith(".")]
        return shown[:limit]
