"""The dataset file route: ``<base_url>/neuroglancer/files/<path>``.

What Neuroglancer's data sources need from it (whole files, one byte range, revalidation, zarr
v2's dotfiles, 404 for what is missing), and what it must never serve (anything outside the
root, hidden files, to anyone not logged in, to another site).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from jupyterlab_neuroglancer.server.files_handler import parse_range

from .conftest import get_login_cookie
from .dataset_builders import zarr2_array, zarr2_group

CHUNK = bytes(range(256)) * 4  # 1024 bytes
SECRET = "the content of a file outside the root"


@pytest.fixture
def dataset(jp_root_dir: Path) -> Path:
    """``data.zarr``: a zarr v2 array with attributes, and one raw 1024-byte chunk file."""
    path = zarr2_array(
        jp_root_dir / "data.zarr",
        np.zeros((4, 4), dtype=np.uint8),
        attrs={"name": "x"},
        compress=False,
    )
    (path / "0.0").write_bytes(CHUNK)
    return path


@pytest.fixture
def get_file(raw_fetch, jp_base_url, jp_auth_header):
    """``await get_file("data.zarr/0.0", headers=..., method=...)``: the raw path, logged in."""

    async def fetch(path: str, headers: dict[str, str] | None = None, **kwargs):
        return await raw_fetch(
            f"{jp_base_url}neuroglancer/files/{path}",
            headers={**jp_auth_header, **(headers or {})},
            **kwargs,
        )

    return fetch


def error_of(response) -> dict:
    """The JSON error of a refused request (a sentence for the user)."""
    error = json.loads(response.body)
    assert error["code"] == response.code
    assert len(error["message"]) > 20
    return error


# -- serving ----------------------------------------------------------------------------------


async def test_whole_file(get_file, dataset):
    response = await get_file("data.zarr/0.0")
    assert response.code == 200
    assert response.body == CHUNK
    headers = response.headers
    assert headers["Content-Length"] == "1024"
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["Accept-Ranges"] == "bytes"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Etag"].startswith('"')
    assert headers["Last-Modified"].endswith("GMT")
    assert "Content-Encoding" not in headers  # Neuroglancer needs the real length


async def test_head(get_file, dataset):
    response = await get_file("data.zarr/0.0", method="HEAD")
    assert response.code == 200
    assert response.body == b""
    assert response.headers["Content-Length"] == "1024"
    assert response.headers["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=10-19", 10, 19),
        ("bytes=1000-", 1000, 1023),
        ("bytes=-24", 1000, 1023),
        ("bytes=1000-5000", 1000, 1023),  # clipped to the end
        ("bytes=0-0", 0, 0),
        ("bytes=-5000", 0, 1023),  # a suffix longer than the file: all of it
    ],
)
async def test_range(get_file, dataset, header, first, last):
    response = await get_file("data.zarr/0.0", headers={"Range": header})
    assert response.code == 206
    assert response.headers["Content-Range"] == f"bytes {first}-{last}/1024"
    assert response.headers["Content-Length"] == str(last - first + 1)
    assert response.body == CHUNK[first : last + 1]


async def test_head_with_range(get_file, dataset):
    response = await get_file("data.zarr/0.0", method="HEAD", headers={"Range": "bytes=0-9"})
    assert response.code == 206
    assert response.headers["Content-Range"] == "bytes 0-9/1024"
    assert response.body == b""


@pytest.mark.parametrize("header", ["bytes=1024-", "bytes=5000-6000", "bytes=-0"])
async def test_unsatisfiable_range(get_file, dataset, header):
    response = await get_file("data.zarr/0.0", headers={"Range": header})
    assert response.code == 416
    assert response.headers["Content-Range"] == "bytes */1024"
    assert "1024 bytes" in error_of(response)["message"]


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "items=0-5", "bytes=9-2", "bytes=x-"])
async def test_ranges_not_honoured_send_the_whole_file(get_file, dataset, header):
    response = await get_file("data.zarr/0.0", headers={"Range": header})
    assert response.code == 200
    assert response.body == CHUNK


async def test_if_range(get_file, dataset):
    etag = (await get_file("data.zarr/0.0", method="HEAD")).headers["Etag"]
    same = await get_file("data.zarr/0.0", headers={"Range": "bytes=0-9", "If-Range": etag})
    assert same.code == 206 and same.body == CHUNK[:10]
    stale = await get_file("data.zarr/0.0", headers={"Range": "bytes=0-9", "If-Range": '"old"'})
    assert stale.code == 200 and stale.body == CHUNK


async def test_etag_and_304(get_file, dataset):
    first = await get_file("data.zarr/0.0")
    etag = first.headers["Etag"]
    again = await get_file("data.zarr/0.0", headers={"If-None-Match": etag})
    assert again.code == 304
    assert again.body == b""
    assert again.headers["Etag"] == etag
    weak = await get_file("data.zarr/0.0", headers={"If-None-Match": f'"other", W/{etag}'})
    assert weak.code == 304
    since = await get_file(
        "data.zarr/0.0", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.code == 304

    # A changed file has a new validator and is sent again.
    chunk = dataset / "0.0"
    chunk.write_bytes(CHUNK[:100])
    stat = chunk.stat()
    os.utime(chunk, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    changed = await get_file("data.zarr/0.0", headers={"If-None-Match": etag})
    assert changed.code == 200
    assert changed.body == CHUNK[:100]
    assert changed.headers["Etag"] != etag


async def test_large_file_streams_in_chunks(get_file, jp_root_dir):
    data = np.random.default_rng(0).integers(0, 256, 3 * 1024 * 1024 + 17, dtype=np.uint8)
    (jp_root_dir / "big.nii").write_bytes(data.tobytes())
    whole = await get_file("big.nii")
    assert whole.code == 200
    assert whole.body == data.tobytes()
    # A range across the handler's read chunks (256 KiB).
    first, last = 200_000, 900_000
    part = await get_file("big.nii", headers={"Range": f"bytes={first}-{last}"})
    assert part.code == 206
    assert part.body == data.tobytes()[first : last + 1]


async def test_empty_file(get_file, jp_root_dir):
    (jp_root_dir / "empty.bin").write_bytes(b"")
    response = await get_file("empty.bin")
    assert response.code == 200
    assert response.body == b""
    assert response.headers["Content-Length"] == "0"
    ranged = await get_file("empty.bin", headers={"Range": "bytes=0-0"})
    assert ranged.code == 416


@pytest.mark.parametrize("name", [".zarray", ".zattrs"])
async def test_zarr_dotfiles_of_an_array_are_served(get_file, dataset, name):
    response = await get_file(f"data.zarr/{name}")
    assert response.code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert json.loads(response.body) == json.loads((dataset / name).read_text())


@pytest.mark.parametrize("name", [".zgroup", ".zattrs", ".zmetadata"])
async def test_zarr_dotfiles_of_a_group_are_served(get_file, jp_root_dir, name):
    group = zarr2_group(jp_root_dir / "group.zarr", {"multiscales": []})
    (group / ".zmetadata").write_text(json.dumps({"metadata": {}, "zarr_consolidated_format": 1}))
    response = await get_file(f"group.zarr/{name}")
    assert response.code == 200
    assert response.headers["Content-Type"] == "application/json"


async def test_metadata_files_are_json(get_file, jp_root_dir):
    for name in ("info", "attributes.json", "zarr.json"):
        (jp_root_dir / name).write_text("{}")
        response = await get_file(name)
        assert response.code == 200
        assert response.headers["Content-Type"] == "application/json"


async def test_names_that_need_escaping(get_file, jp_root_dir):
    folder = jp_root_dir / "my data #1 (été).zarr"
    folder.mkdir()
    (folder / "0.0").write_bytes(b"abc")
    response = await get_file("my%20data%20%231%20(%C3%A9t%C3%A9).zarr/0.0")
    assert response.code == 200
    assert response.body == b"abc"


async def test_symlink_inside_the_root_is_followed(get_file, jp_root_dir, dataset):
    (jp_root_dir / "alias.zarr").symlink_to(dataset, target_is_directory=True)
    response = await get_file("alias.zarr/0.0")
    assert response.code == 200
    assert response.body == CHUNK
    dotfile = await get_file("alias.zarr/.zarray")
    assert dotfile.code == 200


# -- what is missing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["data.zarr/9.9", "nothing/at/all", "data.zarr", "data.zarr/", "", "data.zarr/0.0/"]
)
async def test_missing_files_and_folders_are_404(get_file, dataset, path):
    response = await get_file(path)
    assert response.code == 404
    assert "no file" in error_of(response)["message"]


async def test_missing_file_head_is_404(get_file, dataset):
    response = await get_file("data.zarr/9.9", method="HEAD")
    assert response.code == 404


# -- what is refused --------------------------------------------------------------------------


@pytest.fixture
def outside(jp_root_dir: Path) -> Path:
    """A secret file beside (not under) the server's root."""
    secret = jp_root_dir.parent / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET)
    return secret


@pytest.mark.parametrize(
    "path",
    [
        "../outside/secret.txt",
        "%2e%2e/outside/secret.txt",
        "%2E%2E/outside/secret.txt",
        "data.zarr/../../outside/secret.txt",
        "data.zarr/%2e%2e/%2e%2e/outside/secret.txt",
        "..%2foutside%2fsecret.txt",
        "/etc/passwd",
        "%2fetc%2fpasswd",
        "data.zarr/./0.0",
        "data.zarr//0.0",
        "..%5coutside%5csecret.txt",
        "data.zarr/0.0%00",
    ],
)
async def test_paths_leaving_the_root_are_refused(get_file, dataset, outside, path):
    response = await get_file(path)
    assert response.code == 403, response.body
    assert SECRET.encode() not in response.body
    error_of(response)


async def test_symlinks_out_of_the_root_are_refused(get_file, jp_root_dir, outside):
    (jp_root_dir / "link").symlink_to(outside.parent, target_is_directory=True)
    (jp_root_dir / "file-link.txt").symlink_to(outside)
    for path in ("link/secret.txt", "file-link.txt"):
        response = await get_file(path)
        assert response.code == 403
        assert "outside" in error_of(response)["message"]


@pytest.mark.parametrize(
    "path",
    [
        ".env",
        ".hidden/data.bin",
        ".hidden/.zarray",
        "plain/.zattrs",  # a zarr dotfile outside a zarr node is just a hidden file
        "data.zarr/.secret",
        ".cache/x.zarr/.zarray",
    ],
)
async def test_hidden_files_are_404(get_file, jp_root_dir, dataset, path):
    for name in (".env", ".hidden/data.bin", "plain/.zattrs", "data.zarr/.secret"):
        (jp_root_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (jp_root_dir / name).write_text("{}")
    zarr2_array(jp_root_dir / ".hidden", np.zeros((2,), dtype=np.uint8))
    zarr2_array(jp_root_dir / ".cache" / "x.zarr", np.zeros((2,), dtype=np.uint8))
    response = await get_file(path)
    assert response.code == 404
    assert "hidden" in error_of(response)["message"]


async def test_hidden_link_name_is_refused(get_file, jp_root_dir, dataset):
    (jp_root_dir / ".alias.zarr").symlink_to(dataset, target_is_directory=True)
    (jp_root_dir / ".secret").mkdir()
    (jp_root_dir / ".secret" / "data.bin").write_bytes(b"x")
    (jp_root_dir / "visible").symlink_to(jp_root_dir / ".secret", target_is_directory=True)
    for path in (".alias.zarr/0.0", "visible/data.bin"):
        assert (await get_file(path)).code == 404


class TestHiddenFilesAllowed:
    """With ``ContentsManager.allow_hidden``, hidden files are served like the others."""

    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        jp_server_config["ContentsManager"] = {"allow_hidden": True}
        return jp_server_config

    async def test_served(self, get_file, jp_root_dir, outside):
        (jp_root_dir / ".hidden").mkdir()
        (jp_root_dir / ".hidden" / "data.bin").write_bytes(b"data")
        response = await get_file(".hidden/data.bin")
        assert response.code == 200
        assert response.body == b"data"
        # Still nothing outside the root.
        assert (await get_file("%2e%2e/outside/secret.txt")).code == 403


async def test_unauthenticated_is_refused(raw_fetch, jp_base_url, dataset):
    for method in ("GET", "HEAD"):
        response = await raw_fetch(f"{jp_base_url}neuroglancer/files/data.zarr/0.0", method=method)
        assert response.code == 403
        assert response.body != CHUNK
    response = await raw_fetch(f"{jp_base_url}neuroglancer/files/data.zarr/0.0")
    assert "log in" in error_of(response)["message"].lower()


async def test_other_methods_are_refused(get_file, dataset):
    response = await get_file("data.zarr/0.0", method="POST", body=b"x")
    assert response.code == 405
    assert (dataset / "0.0").read_bytes() == CHUNK


async def test_cookie_login_from_the_same_site_only(raw_fetch, jp_fetch, jp_base_url, dataset):
    cookie = await get_login_cookie(jp_fetch)
    url = f"{jp_base_url}neuroglancer/files/data.zarr/0.0"
    same = await raw_fetch(url, headers={"Cookie": cookie, "Sec-Fetch-Site": "same-origin"})
    assert same.code == 200 and same.body == CHUNK
    plain = await raw_fetch(url, headers={"Cookie": cookie})
    assert plain.code == 200
    for site in ("cross-site", "same-site"):
        other = await raw_fetch(url, headers={"Cookie": cookie, "Sec-Fetch-Site": site})
        assert other.code == 403
        assert "another site" in error_of(other)["message"]
    foreign = await raw_fetch(url, headers={"Cookie": cookie, "Origin": "https://evil.example"})
    assert foreign.code == 403


# -- units ------------------------------------------------------------------------------------


def test_parse_range():
    assert parse_range("bytes=0-9", 100) == (0, 9)
    assert parse_range("bytes= 5 - ", 100) == (5, 99)
    assert parse_range("BYTES=-10", 100) == (90, 99)
    assert parse_range("bytes=0-1,3-4", 100) is None
    assert parse_range("bytes=5", 100) is None
    assert parse_range("bytes=-", 100) is None
    with pytest.raises(ValueError):
        parse_range("bytes=100-", 100)
    with pytest.raises(ValueError):
        parse_range("bytes=-1", 0)
