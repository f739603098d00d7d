"""Dataset files: ``GET``/``HEAD <base_url>/neuroglancer/files/<path>``.

Neuroglancer's data sources (``zarr2://``, ``zarr3://``, ``n5://``, ``precomputed://``,
``nifti://``) read a dataset as plain files over HTTP: metadata files, then chunk files, some with
``Range`` requests (sharded formats), and they probe files that may not exist (a 404 is a normal
answer: "no such chunk", "not this zarr version"). This handler serves exactly that, for files
under the server's root directory only (see :mod:`.file_access`):

- a logged-in user whom the authorizer allows on the ``neuroglancer`` resource;
- not from another site: a browser request marked ``Sec-Fetch-Site: cross-site`` (or
  ``same-site``) is refused unless the server's ``allow_origin`` settings allow that origin;
- files only: a folder, a missing file, a hidden file (outside a zarr node's metadata) → 404;
  ``..``, an absolute path, a symbolic link that leads outside the root → 403;
- ``ETag``/``Last-Modified`` with ``If-None-Match``/``If-Modified-Since`` → 304;
- one ``Range`` (``bytes=a-b``, ``a-``, ``-n``) → 206 with ``Content-Range``, 416 when it does
  not fit the file; ``If-Range`` is honoured; several ranges → the whole file (200);
- the body is streamed in chunks read by a worker thread, each written once the browser took
  the previous one, so a large file is never held in memory and a slow disk does not stall the
  server;
- ``Content-Type`` is ``application/json`` for metadata and ``application/octet-stream`` for
  everything else, with ``nosniff``: nothing served here is ever rendered as a page.
"""

from __future__ import annotations

import asyncio
import email.utils
import os
import stat
from datetime import datetime, timezone
from typing import IO

import tornado
from jupyter_server.auth.decorator import authorized
from tornado import iostream, web

from .base_handler import NOT_AUTHORIZED_MESSAGE, NeuroglancerPageHandler
from .file_access import (
    HiddenPathError,
    OutsideRootError,
    PathRefusedError,
    ServedTree,
    UnsafePathError,
)

READ_CHUNK_BYTES = 256 * 1024
"""Bytes read from disk (in a worker thread) and written to the browser at a time."""

JSON_FILE_NAMES = frozenset(
    {".zarray", ".zattrs", ".zgroup", ".zmetadata", "zarr.json", "attributes.json", "info"}
)
"""Metadata files of zarr v2/v3, N5 and precomputed datasets, answered as JSON."""


def content_type_for(name: str) -> str:
    """The ``Content-Type`` of the file called ``name``."""
    if name in JSON_FILE_NAMES or name.lower().endswith(".json"):
        return "application/json"
    return "application/octet-stream"


def make_etag(info: os.stat_result) -> str:
    """A strong validator that changes whenever the file is replaced or modified."""
    return f'"{info.st_mtime_ns:x}-{info.st_size:x}-{info.st_ino:x}"'


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """The single byte range ``(first, last)`` asked for by ``header``, clipped to the file.

    ``None``: the header is not one byte range this handler honours (malformed, another unit,
    several ranges); the whole file is then sent, as HTTP allows. Raises ``ValueError`` when the
    range is well formed but lies beyond the file (answered with 416).
    """
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first_text, dash, last_text = spec.strip().partition("-")
    if not dash:
        return None
    first_text, last_text = first_text.strip(), last_text.strip()
    if not (first_text.isdigit() or first_text == "") or not (
        last_text.isdigit() or last_text == ""
    ):
        return None
    if first_text == "":
        if last_text == "":
            return None
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise ValueError("empty suffix range")
        return max(0, size - suffix), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else None
    if last is not None and last < first:
        return None
    if first >= size:
        raise ValueError("range starts beyond the end of the file")
    return first, size - 1 if last is None else min(last, size - 1)


def _etag_matches(header: str, etag: str, *, weak: bool) -> bool:
    """Whether the ``If-None-Match``/``If-Range`` list ``header`` names ``etag``."""
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*":
            return weak
        if candidate.startswith("W/"):
            if not weak:
                continue
            candidate = candidate[2:]
        if candidate == etag:
            return True
    return False


def _http_date(value: str) -> datetime | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def open_served_file(tree: ServedTree, path: str) -> tuple[IO[bytes], os.stat_result]:
    """Open the regular file ``path`` (relative to the root) after every check (blocking).

    Raises :class:`PathRefusedError` subclasses, ``FileNotFoundError`` for a missing file or a
    folder.
    """
    if path.endswith("/") or path == "":
        raise FileNotFoundError(path)
    real = tree.resolve(path)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(real, flags)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        raise FileNotFoundError(path) from None
    except OSError as error:
        # O_NOFOLLOW: the last component became a symbolic link after it was resolved.
        raise FileNotFoundError(path) from error
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileNotFoundError(path)
        return os.fdopen(fd, "rb"), info
    except BaseException:
        os.close(fd)
        raise


class DatasetFilesHandler(NeuroglancerPageHandler):
    """Serve the files of datasets under the server's root to Neuroglancer."""

    SUPPORTED_METHODS = ("GET", "HEAD")

    def initialize(self, root_dir: str) -> None:
        """Serve files under ``root_dir`` (the Jupyter server's root directory)."""
        self.root_dir = root_dir

    async def prepare(self) -> None:  # type: ignore[override]
        """Refuse, never redirect to the login page: this route serves data, not pages."""
        await super().prepare(_redirect_to_login=False)

    @property
    def content_security_policy(self) -> str:
        """Nothing served here may run as a page on Jupyter's origin."""
        return super().content_security_policy + "; default-src 'none'; sandbox"

    def compute_etag(self) -> str | None:
        """No automatic ETag: this handler sets its own from the file's metadata."""
        return None

    @tornado.web.authenticated
    @authorized(message=NOT_AUTHORIZED_MESSAGE)
    async def get(self, path: str) -> None:
        """The file (or the range of it) at ``path``."""
        await self._serve(path, include_body=True)

    @tornado.web.authenticated
    @authorized(message=NOT_AUTHORIZED_MESSAGE)
    async def head(self, path: str) -> None:
        """The headers ``GET`` would send for ``path``."""
        await self._serve(path, include_body=False)

    # -- checks -----------------------------------------------------------------------------

    def check_same_site(self) -> None:
        """Refuse a cookie-authenticated request that a browser says came from another site."""
        if self.token_authenticated or self.settings.get("disable_check_xsrf", False):
            return
        site = self.request.headers.get("Sec-Fetch-Site", "").lower()
        if site in ("cross-site", "same-site"):
            allowed = (
                self.check_origin() if self.request.headers.get("Origin") else self.check_referer()
            )
        else:
            allowed = self.check_origin()
        if not allowed:
            raise web.HTTPError(
                403,
                "%s",
                "Dataset files are served to Neuroglancer viewers opened from this JupyterLab "
                "only; this request came from another site and was refused.",
            )

    # -- serving ----------------------------------------------------------------------------

    async def _serve(self, path: str, *, include_body: bool) -> None:
        self.check_same_site()
        tree = ServedTree(self.root_dir, allow_hidden=bool(self.contents_manager.allow_hidden))
        loop = asyncio.get_running_loop()
        try:
            file, info = await loop.run_in_executor(None, open_served_file, tree, path)
        except (UnsafePathError, OutsideRootError) as error:
            raise web.HTTPError(403, "%s", str(error)) from None
        except HiddenPathError as error:
            raise web.HTTPError(404, "%s", str(error)) from None
        except PathRefusedError as error:  # pragma: no cover - every subclass is handled above
            raise web.HTTPError(403, "%s", str(error)) from None
        except FileNotFoundError:
            raise web.HTTPError(
                404,
                "%s",
                f"There is no file '{path}' under the Jupyter server's root (folders are not "
                "listed here). Neuroglancer asks for files that may not exist; this is normal.",
            ) from None
        try:
            await self._send(file, info, path, include_body=include_body)
        finally:
            await loop.run_in_executor(None, file.close)

    async def _send(
        self, file: IO[bytes], info: os.stat_result, path: str, *, include_body: bool
    ) -> None:
        size = info.st_size
        etag = make_etag(info)
        modified = datetime.fromtimestamp(int(info.st_mtime), tz=timezone.utc)
        self.set_header("Etag", etag)
        self.set_header("Last-Modified", email.utils.format_datetime(modified, usegmt=True))
        self.set_header("Accept-Ranges", "bytes")
        # Revalidate every time (cheap: a 304 from the file's metadata), never store publicly.
        self.set_header("Cache-Control", "private, no-cache")
        self.set_header("X-Content-Type-Options", "nosniff")

        if self._not_modified(etag, modified):
            self.set_status(304)
            await self.finish()
            return

        first, last = 0, size - 1
        range_header = self.request.headers.get("Range")
        if range_header and self._range_applies(etag, modified):
            try:
                byte_range = parse_range(range_header, size)
            except ValueError:
                self._refuse_range(size)
                return
            if byte_range is not None:
                first, last = byte_range
                self.set_status(206)
                self.set_header("Content-Range", f"bytes {first}-{last}/{size}")

        length = last - first + 1
        self.set_header("Content-Type", content_type_for(path.rsplit("/", 1)[-1]))
        self.set_header("Content-Length", str(length))
        if not include_body or length == 0:
            await self.finish()
            return
        await self._stream(file, first, length)

    def _not_modified(self, etag: str, modified: datetime) -> bool:
        if_none_match = self.request.headers.get("If-None-Match")
        if if_none_match is not None:
            return _etag_matches(if_none_match, etag, weak=True)
        if_modified_since = self.request.headers.get("If-Modified-Since")
        if if_modified_since:
            since = _http_date(if_modified_since)
            return since is not None and modified <= since
        return False

    def _range_applies(self, etag: str, modified: datetime) -> bool:
        if_range = self.request.headers.get("If-Range")
        if not if_range:
            return True
        if_range = if_range.strip()
        if if_range.startswith(('"', "W/")):
            return _etag_matches(if_range, etag, weak=False)
        return _http_date(if_range) == modified

    def _refuse_range(self, size: int) -> None:
        self.set_status(416)
        self.set_header("Content-Range", f"bytes */{size}")
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        message = (
            f"The requested range does not overlap the file, which holds {size} bytes. "
            "Ask for a range inside the file."
        )
        self.finish(tornado.escape.json_encode({"code": 416, "message": message}))

    async def _stream(self, file: IO[bytes], first: int, length: int) -> None:
        loop = asyncio.get_running_loop()
        if first:
            await loop.run_in_executor(None, file.seek, first)
        remaining = length
        try:
            while remaining > 0:
                chunk = await loop.run_in_executor(
                    None, file.read, min(READ_CHUNK_BYTES, remaining)
                )
                if not chunk:
                    # The file shrank while it was sent: the answer cannot be completed, and
                    # tornado closes the connection when it sees the missing bytes.
                    raise OSError(f"{self.request.path} shrank while it was being sent")
                remaining -= len(chunk)
                self.write(chunk)
                await self.flush()
        except iostream.StreamClosedError:
            return  # the browser went away (a cancelled chunk request); nothing to do
        await self.finish()
