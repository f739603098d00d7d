"""Dataset inspection: what is at a path under the server's root, and how Neuroglancer shows it.

:func:`inspect_dataset` recognises, in this order:

- a NIfTI file (``.nii``, ``.nii.gz``) → ``nifti``;
- a folder with ``zarr.json`` → ``zarr3``, or ``.zarray``/``.zgroup``/``.zattrs`` → ``zarr2``;
  either with OME-Zarr metadata (``multiscales``, ``labels``, ``image-label``) → ``ome-zarr``;
- a folder with an ``info`` file → ``precomputed``;
- a folder with ``attributes.json`` (or a ``*.n5`` folder of datasets) → ``n5``;
- a metadata file itself (``.zarray``, ``zarr.json``, ``info``, ``attributes.json``...) → its
  folder.

One module per format (``zarr``, ``n5``, ``precomputed``, ``nifti``); ``model`` holds what they
produce and turns it into a Neuroglancer state. Inspection reads through
:class:`~..file_access.ServedTree`, so it sees exactly what the file route serves. It does
blocking file-system calls: run it in a worker thread.
"""

from __future__ import annotations

import os

from ..file_access import (
    HiddenPathError,
    OutsideRootError,
    ServedTree,
    UnsafePathError,
    split_path,
)
from .model import (
    SUPPORTED_FORMATS_SENTENCE,
    BadDatasetPathError,
    DatasetError,
    DatasetInfo,
    DatasetNotFoundError,
    Layer,
    NotADatasetError,
    dataset_name,
)
from .n5 import inspect_n5
from .nifti import NIFTI_SUFFIXES, inspect_nifti
from .precomputed import inspect_precomputed
from .zarr import inspect_zarr

__all__ = [
    "BadDatasetPathError",
    "DatasetError",
    "DatasetInfo",
    "DatasetNotFoundError",
    "NotADatasetError",
    "inspect_dataset",
]

METADATA_FILE_NAMES = frozenset(
    {".zarray", ".zattrs", ".zgroup", ".zmetadata", "zarr.json", "info", "attributes.json"}
)
"""Files that stand for their folder: opening one opens the folder's dataset."""


def inspect_dataset(root_dir: str, path: str, *, allow_hidden: bool = False) -> DatasetInfo:
    """What Neuroglancer should open for ``path`` (relative to ``root_dir``).

    Raises :class:`BadDatasetPathError` (400: ``..``, a link out of the root),
    :class:`DatasetNotFoundError` (404: missing or hidden) or :class:`NotADatasetError` (422).
    """
    tree = ServedTree(root_dir, allow_hidden=allow_hidden)
    try:
        segments = split_path(path, lenient=True)
        real = tree.resolve(segments)
    except (UnsafePathError, OutsideRootError) as error:
        raise BadDatasetPathError(str(error)) from None
    except HiddenPathError as error:
        raise DatasetNotFoundError(str(error)) from None
    relative = "/".join(segments)
    shown = relative or "the root folder"
    if not os.path.exists(real):
        raise DatasetNotFoundError(
            f"There is no file or folder '{relative}' under the Jupyter server's root. "
            "It may have been moved or deleted; refresh the file browser."
        )
    if os.path.isfile(real):
        name = segments[-1]
        if name.lower().endswith(NIFTI_SUFFIXES):
            layers = inspect_nifti(tree, relative, dataset_name(relative))
            return DatasetInfo(relative, "nifti", dataset_name(relative), layers)
        if name not in METADATA_FILE_NAMES:
            raise NotADatasetError(
                f"'{relative}' is not a dataset Neuroglancer can open. {SUPPORTED_FORMATS_SENTENCE}"
            )
        segments = segments[:-1]
        relative = "/".join(segments)
        shown = relative or "the root folder"

    fallback = os.path.basename(tree.root) or "dataset"
    name = dataset_name(relative, fallback)
    zarr = inspect_zarr(tree, relative, name)
    if zarr is not None:
        kind, layers = zarr
        return DatasetInfo(relative, kind, name, layers)
    found: list[Layer] | None = inspect_precomputed(tree, relative, name)
    if found is not None:
        return DatasetInfo(relative, "precomputed", name, found)
    found = inspect_n5(tree, relative, name)
    if found is not None:
        return DatasetInfo(relative, "n5", name, found)

    entries = tree.listing(relative)
    seen = "it holds " + ", ".join(f"'{entry}'" for entry in entries) if entries else "it is empty"
    more = "..." if len(tree.listing(relative, limit=len(entries) + 1)) > len(entries) else ""
    raise NotADatasetError(
        f"'{shown}' is not a dataset Neuroglancer can open: {seen}{more}. "
        f"{SUPPORTED_FORMATS_SENTENCE}"
    )
