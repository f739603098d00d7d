"""Small datasets written byte by byte (numpy, json, gzip), as the formats' specifications say.

The files are complete (metadata and chunks), so that a real Neuroglancer client can read them
too, not only the extension's inspection.
"""

from __future__ import annotations

import gzip
import itertools
import json
import struct
import zlib
from pathlib import Path
from typing import Any

import numpy as np


def write_json(path: Path, value: Any) -> Path:
    """Write ``value`` as JSON to ``path`` (folders created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value))
    return path


def _chunk_indices(shape: tuple[int, ...], chunks: tuple[int, ...]):
    grid = [range(-(-n // c)) for n, c in zip(shape, chunks, strict=True)]
    return itertools.product(*grid)


def _padded_chunk(array: np.ndarray, index: tuple[int, ...], chunks: tuple[int, ...]):
    """The chunk at ``index``, padded with zeros to the full chunk shape."""
    region = tuple(slice(i * c, (i + 1) * c) for i, c in zip(index, chunks, strict=True))
    chunk = np.zeros(chunks, dtype=array.dtype)
    part = array[region]
    chunk[tuple(slice(0, n) for n in part.shape)] = part
    return chunk


# -- zarr ------------------------------------------------------------------------------------


def zarr2_array(
    path: Path,
    array: np.ndarray,
    chunks: tuple[int, ...] | None = None,
    *,
    attrs: dict[str, Any] | None = None,
    compress: bool = True,
    dimension_separator: str = ".",
) -> Path:
    """A zarr v2 array (zlib-compressed C-order chunks unless ``compress`` is false)."""
    chunks = chunks or array.shape
    write_json(
        path / ".zarray",
        {
            "zarr_format": 2,
            "shape": list(array.shape),
            "chunks": list(chunks),
            "dtype": array.dtype.str,
            "compressor": {"id": "zlib", "level": 1} if compress else None,
            "fill_value": 0,
            "order": "C",
            "filters": None,
            "dimension_separator": dimension_separator,
        },
    )
    if attrs is not None:
        write_json(path / ".zattrs", attrs)
    for index in _chunk_indices(array.shape, chunks):
        data = _padded_chunk(array, index, chunks).tobytes(order="C")
        key = path / dimension_separator.join(str(i) for i in index)
        key.parent.mkdir(parents=True, exist_ok=True)
        key.write_bytes(zlib.compress(data, 1) if compress else data)
    return path


def zarr2_group(path: Path, attrs: dict[str, Any] | None = None) -> Path:
    """A zarr v2 group (``.zgroup``, and ``.zattrs`` when ``attrs`` are given)."""
    write_json(path / ".zgroup", {"zarr_format": 2})
    if attrs is not None:
        write_json(path / ".zattrs", attrs)
    return path


def zarr3_array(
    path: Path,
    array: np.ndarray,
    chunks: tuple[int, ...] | None = None,
    *,
    dimension_names: list[str | None] | None = None,
    attrs: dict[str, Any] | None = None,
) -> Path:
    """A zarr v3 array: little-endian bytes codec, default chunk key encoding (``c/0/0``)."""
    chunks = chunks or array.shape
    meta: dict[str, Any] = {
        "zarr_format": 3,
        "node_type": "array",
        "shape": list(array.shape),
        "data_type": array.dtype.name,
        "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": list(chunks)}},
        "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
        "fill_value": 0,
        "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}],
        "attributes": attrs or {},
    }
    if dimension_names is not None:
        meta["dimension_names"] = dimension_names
    write_json(path / "zarr.json", meta)
    for index in _chunk_indices(array.shape, chunks):
        data = _padded_chunk(array, index, chunks).astype(array.dtype.newbyteorder("<"))
        key = path.joinpath("c", *(str(i) for i in index))
        key.parent.mkdir(parents=True, exist_ok=True)
        key.write_bytes(data.tobytes(order="C"))
    return path


def zarr3_group(path: Path, attrs: dict[str, Any] | None = None) -> Path:
    """A zarr v3 group."""
    write_json(
        path / "zarr.json", {"zarr_format": 3, "node_type": "group", "attributes": attrs or {}}
    )
    return path


def ome_multiscales(
    axes: list[dict[str, Any]],
    scales: list[list[float]],
    *,
    translation: list[float] | None = None,
    version: str | None = "0.4",
) -> list[dict[str, Any]]:
    """OME-Zarr ``multiscales`` with datasets ``0``, ``1``... at the given scales."""
    datasets = []
    for i, scale in enumerate(scales):
        transforms: list[dict[str, Any]] = [{"type": "scale", "scale": scale}]
        if translation is not None:
            transforms.append({"type": "translation", "translation": translation})
        datasets.append({"path": str(i), "coordinateTransformations": transforms})
    multiscale: dict[str, Any] = {"name": "image", "axes": axes, "datasets": datasets}
    if version is not None:
        multiscale["version"] = version
    return [multiscale]


def ome_zarr(
    path: Path,
    array: np.ndarray,
    axes: list[dict[str, Any]],
    voxel_size: list[float],
    *,
    zarr_version: int = 2,
    levels: int = 2,
    translation: list[float] | None = None,
    extra: dict[str, Any] | None = None,
    ome_version: str | None = None,
) -> Path:
    """An OME-Zarr image (0.4 on zarr v2, 0.5 on zarr v3) with ``levels`` 2x-downsampled scales.

    Only spatial axes are downsampled.
    """
    spatial = [axis.get("type") == "space" for axis in axes]
    scales = []
    level = array
    for i in range(levels):
        factor = 2**i
        scales.append([s * factor if sp else s for s, sp in zip(voxel_size, spatial, strict=True)])
        if i:
            level = level[tuple(slice(None, None, 2) if sp else slice(None) for sp in spatial)]
        chunks = tuple(min(n, 16) for n in level.shape)
        if zarr_version == 2:
            zarr2_array(path / str(i), level, chunks, dimension_separator="/")
        else:
            zarr3_array(path / str(i), level, chunks, dimension_names=[a["name"] for a in axes])
    if zarr_version == 2:
        multiscales = ome_multiscales(
            axes, scales, translation=translation, version=ome_version or "0.4"
        )
        zarr2_group(path, {"multiscales": multiscales, **(extra or {})})
    else:
        multiscales = ome_multiscales(axes, scales, translation=translation, version=None)
        ome = {"version": ome_version or "0.5", "multiscales": multiscales, **(extra or {})}
        zarr3_group(path, {"ome": ome})
    return path


def ome_labels(
    image: Path,
    labels: dict[str, np.ndarray],
    axes: list[dict[str, Any]],
    voxel_size: list[float],
    *,
    zarr_version: int = 2,
    colors: dict[int, list[int]] | None = None,
) -> None:
    """Label images under ``image/labels/<name>`` with ``image-label`` metadata."""
    image_label = {
        "version": "0.4" if zarr_version == 2 else "0.5",
        "colors": [{"label-value": value, "rgba": rgba} for value, rgba in (colors or {}).items()],
        "source": {"image": "../../"},
    }
    for name, array in labels.items():
        ome_zarr(
            image / "labels" / name,
            array,
            axes,
            voxel_size,
            zarr_version=zarr_version,
            levels=1,
            extra={"image-label": image_label},
        )
    if zarr_version == 2:
        zarr2_group(image / "labels", {"labels": list(labels)})
    else:
        zarr3_group(image / "labels", {"ome": {"version": "0.5", "labels": list(labels)}})


# -- N5 --------------------------------------------------------------------------------------


def n5_dataset(
    path: Path,
    array: np.ndarray,
    block: tuple[int, ...] | None = None,
    *,
    attrs: dict[str, Any] | None = None,
    gzip_blocks: bool = False,
) -> Path:
    """An N5 dataset of the numpy ``array`` indexed ``[z, y, x]`` (N5 lists ``x`` first).

    Blocks: big-endian header (mode 0, rank, block size), then big-endian values, x fastest.
    """
    shape_xyz = list(reversed(array.shape))
    block = block or tuple(shape_xyz)
    write_json(
        path / "attributes.json",
        {
            "dimensions": shape_xyz,
            "blockSize": list(block),
            "dataType": array.dtype.name,
            "compression": {"type": "gzip", "level": 1} if gzip_blocks else {"type": "raw"},
            **(attrs or {}),
        },
    )
    transposed = array.transpose()  # [x, y, z]
    for index in _chunk_indices(tuple(shape_xyz), block):
        region = tuple(slice(i * b, (i + 1) * b) for i, b in zip(index, block, strict=True))
        part = transposed[region]
        header = struct.pack(">HH", 0, part.ndim) + struct.pack(f">{part.ndim}I", *part.shape)
        data = part.astype(part.dtype.newbyteorder(">")).tobytes(order="F")
        if gzip_blocks:
            data = gzip.compress(data)
        key = path.joinpath(*(str(i) for i in index))
        key.parent.mkdir(parents=True, exist_ok=True)
        key.write_bytes(header + data)
    return path


def n5_group(path: Path, attrs: dict[str, Any] | None = None) -> Path:
    """An N5 group (``attributes.json`` with the N5 version)."""
    return write_json(path / "attributes.json", {"n5": "4.0.0", **(attrs or {})}).parent


# -- precomputed -----------------------------------------------------------------------------


def precomputed_volume(
    path: Path,
    array: np.ndarray,
    *,
    volume_type: str,
    resolution: list[float],
    voxel_offset: list[int] | None = None,
    chunk: tuple[int, int, int] = (16, 16, 16),
) -> Path:
    """A precomputed volume of the numpy ``array`` indexed ``[z, y, x]``: raw chunks, x fastest."""
    size = list(reversed(array.shape))
    offset = voxel_offset or [0, 0, 0]
    key = "_".join(str(int(r)) for r in resolution)
    write_json(
        path / "info",
        {
            "@type": "neuroglancer_multiscale_volume",
            "type": volume_type,
            "data_type": array.dtype.name,
            "num_channels": 1,
            "scales": [
                {
                    "key": key,
                    "resolution": resolution,
                    "size": size,
                    "voxel_offset": offset,
                    "chunk_sizes": [list(chunk)],
                    "encoding": "raw",
                }
            ],
        },
    )
    transposed = array.transpose()  # [x, y, z]
    for index in _chunk_indices(tuple(size), chunk):
        lo = [i * c for i, c in zip(index, chunk, strict=True)]
        hi = [min(a + c, n) for a, c, n in zip(lo, chunk, size, strict=True)]
        part = transposed[lo[0] : hi[0], lo[1] : hi[1], lo[2] : hi[2]]
        name = "_".join(f"{a + o}-{b + o}" for a, b, o in zip(lo, hi, offset, strict=True))
        target = path / key / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(part.astype(part.dtype.newbyteorder("<")).tobytes(order="F"))
    return path


# -- NIfTI -----------------------------------------------------------------------------------

NIFTI_CODES = {"uint8": 2, "int16": 4, "int32": 8, "float32": 16, "float64": 64, "uint16": 512}


def nifti_bytes(
    array: np.ndarray,
    *,
    pixdim: tuple[float, float, float] = (1.0, 1.0, 1.0),
    qoffset: tuple[float, float, float] = (0.0, 0.0, 0.0),
    quatern: tuple[float, float, float] = (0.0, 0.0, 0.0),
    qfac: float = 1.0,
    xyzt_units: int = 2,
    intent_code: int = 0,
) -> bytes:
    """A single-file NIfTI-1 image of ``array`` indexed ``[i, j, k]`` (stored i fastest)."""
    header = bytearray(348)
    struct.pack_into("<i", header, 0, 348)
    dims = [array.ndim, *array.shape] + [1] * (7 - array.ndim)
    struct.pack_into("<8h", header, 40, *dims)
    struct.pack_into("<h", header, 68, intent_code)
    struct.pack_into("<h", header, 70, NIFTI_CODES[array.dtype.name])
    struct.pack_into("<h", header, 72, array.dtype.itemsize * 8)
    struct.pack_into("<8f", header, 76, qfac, *pixdim, 1.0, 1.0, 1.0, 1.0)
    struct.pack_into("<f", header, 108, 352.0)  # vox_offset: header + 4-byte extension flag
    struct.pack_into("<f", header, 112, 1.0)  # scl_slope
    header[123] = xyzt_units
    struct.pack_into("<h", header, 252, 1)  # qform_code: scanner
    struct.pack_into("<3f", header, 256, *quatern)
    struct.pack_into("<3f", header, 268, *qoffset)
    header[344:348] = b"n+1\x00"
    data = array.astype(array.dtype.newbyteorder("<")).tobytes(order="F")
    return bytes(header) + b"\x00" * 4 + data


def nifti_file(path: Path, array: np.ndarray, **header: Any) -> Path:
    """Write a ``.nii`` (or, by its name, gzipped ``.nii.gz``) file."""
    data = nifti_bytes(array, **header)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path
