"""NIfTI files (``.nii``, ``.nii.gz``): the header, read with the standard library and numpy.

Neuroglancer's NIfTI data source (``nifti://`` on a file URL) downloads the whole file
(decompressing ``.nii.gz`` itself) and places it in world coordinates with the header's
quaternion transform (``qform``: ``quatern_b/c/d``, ``qoffset_x/y/z``, ``pixdim[0]`` as the
handedness factor); it ignores ``sform``. Its axes are ``x``, ``y``, ``z`` in the header's spatial
unit (millimetres, usually), then ``t``.

Both NIfTI-1 (348-byte header, magic ``n+1``) and NIfTI-2 (540 bytes, magic ``n+2``) headers are
read, in either byte order. A header-only ``.nii`` (magic ``ni1``, data in a separate ``.img``) is
not something Neuroglancer can open.
"""

from __future__ import annotations

import gzip
import math
import os
import struct
import zlib
from dataclasses import dataclass

import numpy as np

from ..file_access import ServedTree
from .model import Axis, Layer, NotADatasetError, layer_kind, unsupported_dtype_message

NIFTI_SUFFIXES = (".nii", ".nii.gz")

# NIfTI datatype codes → numpy names, for the types Neuroglancer displays.
_DTYPES = {
    2: "uint8",
    4: "int16",
    8: "int32",
    16: "float32",
    256: "int8",
    512: "uint16",
    768: "uint32",
    1024: "int64",
    1280: "uint64",
}
_OTHER_DTYPES = {
    1: "binary (1-bit)",
    32: "complex64",
    64: "float64",
    128: "RGB24",
    1536: "float128",
    1792: "complex128",
    2048: "complex256",
    2304: "RGBA32",
}
_LABEL_INTENTS = frozenset({1002, 1003})
"""NIFTI_INTENT_LABEL and NIFTI_INTENT_NEURONAME: the values are labels."""

# xyzt_units: spatial (bits 0-2) → metres per unit; temporal (bits 3-5) → (unit, factor).
_SPATIAL_UNITS = {1: 1.0, 2: 1e-3, 3: 1e-6}
_TEMPORAL_UNITS = {
    8: ("s", 1.0),
    16: ("s", 1e-3),
    24: ("s", 1e-6),
    32: ("Hz", 1.0),
    48: ("rad/s", 1.0),
}


@dataclass
class NiftiHeader:
    """The header fields that place and type the volume."""

    dims: list[int]
    datatype: int
    pixdim: list[float]
    xyzt_units: int
    intent_code: int
    quatern: tuple[float, float, float]
    qoffset: tuple[float, float, float]


def parse_header(data: bytes) -> NiftiHeader | None:
    """Parse a NIfTI-1 or NIfTI-2 header from the first bytes of a file; ``None`` if not one."""
    for order in ("<", ">"):
        if len(data) >= 348 and struct.unpack(order + "i", data[:4])[0] == 348:
            if data[344:347] != b"n+1":
                return None
            dims = list(struct.unpack(order + "8h", data[40:56]))
            return NiftiHeader(
                dims=dims,
                datatype=struct.unpack(order + "h", data[70:72])[0],
                pixdim=list(struct.unpack(order + "8f", data[76:108])),
                xyzt_units=data[123],
                intent_code=struct.unpack(order + "h", data[68:70])[0],
                quatern=struct.unpack(order + "3f", data[256:268]),
                qoffset=struct.unpack(order + "3f", data[268:280]),
            )
        if len(data) >= 540 and struct.unpack(order + "i", data[:4])[0] == 540:
            if data[4:7] != b"n+2":
                return None
            return NiftiHeader(
                dims=list(struct.unpack(order + "8q", data[16:80])),
                datatype=struct.unpack(order + "h", data[12:14])[0],
                pixdim=list(struct.unpack(order + "8d", data[104:168])),
                xyzt_units=struct.unpack(order + "i", data[500:504])[0],
                intent_code=struct.unpack(order + "i", data[504:508])[0],
                quatern=struct.unpack(order + "3d", data[352:376]),
                qoffset=struct.unpack(order + "3d", data[376:400]),
            )
    return None


def read_header_bytes(tree: ServedTree, path: str) -> bytes | None:
    """The first 540 bytes of the (possibly gzipped) file; ``None`` if unreadable."""
    raw = tree.read_bytes(path, 2)
    if raw is None:
        return None
    if raw != b"\x1f\x8b":
        return tree.read_bytes(path, 540)
    try:
        with gzip.open(tree.resolve(path), "rb") as file:
            return file.read(540)
    except (OSError, EOFError, zlib.error):
        return None


def _rotation(quatern: tuple[float, float, float], qfac: float) -> np.ndarray:
    """The qform rotation matrix (with the handedness factor on the third column)."""
    b, c, d = quatern
    a = math.sqrt(max(0.0, 1.0 - (b * b + c * c + d * d)))
    rotation = np.array(
        [
            [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
            [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
            [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
        ]
    )
    rotation[:, 2] *= qfac
    return rotation


def nifti_axes(header: NiftiHeader) -> list[Axis]:
    """Neuroglancer's global axes for the file, positioned at the volume's centre."""
    rank = max(1, min(int(header.dims[0]), 7))
    spatial_rank = min(3, rank)
    metres = _SPATIAL_UNITS.get(header.xyzt_units & 0x07)
    unit, factor = ("m", metres) if metres is not None else ("", 1.0)
    # Centre of the middle voxel, in voxel coordinates, then in world units (mm, usually).
    voxel = np.zeros(3)
    for i in range(spatial_rank):
        voxel[i] = max(int(header.dims[i + 1]), 1) // 2 + 0.5
    pixdim = np.array([abs(header.pixdim[i + 1]) or 1.0 for i in range(3)])
    qfac = -1.0 if header.pixdim[0] == -1 else 1.0
    world = _rotation(header.quatern, qfac) @ (voxel * pixdim) + np.array(header.qoffset)
    # The volume's size along each world axis (the rotated box's projection).
    box = np.abs(_rotation(header.quatern, qfac)) @ (
        pixdim
        * np.array([max(int(header.dims[i + 1]), 1) if i < spatial_rank else 0 for i in range(3)])
    )
    axes = [
        Axis(name, factor, unit, float(world[i]), float(box[i]) * factor)
        for i, name in enumerate(("x", "y", "z")[:spatial_rank])
    ]
    if rank >= 4:
        time_unit, time_factor = _TEMPORAL_UNITS.get(header.xyzt_units & 0x38, ("", 1.0))
        step = header.pixdim[4] if header.pixdim[4] > 0 else 1.0
        axes.append(Axis("t", time_factor, time_unit, 0.5 * step))
    return axes


def inspect_nifti(tree: ServedTree, path: str, name: str) -> list[Layer]:
    """The layer for the NIfTI file ``path``."""
    data = read_header_bytes(tree, path)
    header = parse_header(data) if data else None
    if header is None:
        raise NotADatasetError(
            f"'{path}' does not start with a NIfTI-1 or NIfTI-2 header of a single-file image "
            "(.nii), so Neuroglancer cannot open it."
        )
    dtype = _DTYPES.get(header.datatype)
    if dtype is None:
        kind = _OTHER_DTYPES.get(header.datatype, f"type code {header.datatype}")
        raise NotADatasetError(unsupported_dtype_message(path, kind, int64=True))
    hint = os.path.basename(path)
    kind = layer_kind(dtype, hint, is_label=header.intent_code in _LABEL_INTENTS)
    return [Layer(name, kind, "nifti", path, is_dir=False, axes=nifti_axes(header))]
