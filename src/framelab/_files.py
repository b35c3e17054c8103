"""Floor 1 file helpers: checksums, atomic writes, the raw-data guard and table hashing.

Every module that hashes a file (:func:`file_sha256`), a folder (:func:`folder_sha256`) or a
table (:func:`table_sha256`) uses the one definition here; nothing in this module imports
another framelab module.

Every cache writes through :func:`atomic_write_file` (one file) or :func:`atomic_write_dir`
(a folder entry): the content is written under a unique temporary name in the destination's
own folder and renamed into place, so a reader never sees half a file and two writers of the
same entry - two notebooks, two threads, two Dask workers - never collide. When a concurrent
writer has already put a valid entry in place, the later one keeps it and discards its own.

:func:`ensure_writable` is the guard every writer calls before writing: nothing under a
``data/raw`` folder (wherever the command runs from) or under a raw folder the study config
points at is ever written.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported inside table_sha256, so this module stays light
    import pandas as pd

__all__ = [
    "atomic_write_dir",
    "atomic_write_file",
    "ensure_writable",
    "file_sha256",
    "folder_sha256",
    "table_sha256",
]

logger = logging.getLogger(__name__)

#: errors ``os.replace`` gives when the destination folder exists and is not empty
_TAKEN = (errno.ENOTEMPTY, errno.EEXIST, errno.EISDIR, errno.EACCES, errno.EPERM)


def file_sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes, read in chunks.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = f.write_text("x")
    >>> file_sha256(f)[:12]
    '2d711642b726'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def folder_sha256(folder: str | Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, keyed by its relative POSIX path (sorted).

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_text("x")
    >>> folder_sha256(d)["a.txt"][:12]
    '2d711642b726'
    """
    folder = Path(folder)
    return {
        p.relative_to(folder).as_posix(): file_sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def table_sha256(table: pd.DataFrame) -> str:
    """SHA-256 of a table: column names, dtypes and values, in row order; the index is ignored.

    This is the one rule by which framelab hashes a table (cache keys, the Dask path's
    resume records): two tables with the same columns, dtypes and rows in the same order hash
    the same, whatever their index (a filtered or re-read table keeps its hash). Cells that
    pandas cannot hash (lists, dicts) are hashed through their text.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"unit_id": ["u1", "u2"], "present": [1, 0]})
    >>> table_sha256(a) == table_sha256(a.copy()), table_sha256(a) == table_sha256(a[::-1])
    (True, False)
    >>> table_sha256(a) == table_sha256(a.set_axis([10, 11]))  # the index does not count
    True
    """
    import pandas as pd

    digest = hashlib.sha256()
    digest.update(json.dumps([[str(c), str(t)] for c, t in table.dtypes.items()]).encode())
    for col in table.columns:
        values = table[col]
        try:
            hashed = pd.util.hash_pandas_object(values, index=False)
        except TypeError:  # unhashable cells (lists, dicts): hash their text
            hashed = pd.util.hash_pandas_object(values.astype(str), index=False)
        digest.update(hashed.to_numpy().tobytes())
    return digest.hexdigest()


def atomic_write_file(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Write one file atomically: ``write(tmp)`` fills a temporary file, which is renamed.

    The temporary file is unique (several writers may run at once) and lives in the same folder
    as ``path``, so the final ``os.replace`` is atomic; the last writer wins, and a reader sees
    the old file or the new one, never a mix. On an error the temporary file is removed.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> out = atomic_write_file(folder / "a.txt", lambda p: p.write_text("hello"))
    >>> out.read_text(), sorted(p.name for p in folder.iterdir())
    ('hello', ['a.txt'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_name(path, ".tmp")  # created by ``write`` with the usual permissions
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def atomic_write_dir(
    path: str | Path,
    write: Callable[[Path], object],
    *,
    valid: Callable[[Path], bool] | None = None,
) -> Path:
    """Write a folder atomically: ``write(tmp)`` fills a fresh temporary folder, then a rename.

    Parameters
    ----------
    path : str or Path
        The folder to create.
    write : callable
        ``write(tmp)`` fills the (existing, empty) temporary folder ``tmp``.
    valid : callable, optional
        ``valid(folder) -> bool``: whether a folder already at ``path`` is a complete entry.
        A valid one (typically written meanwhile by a concurrent writer with the same content)
        is kept and the new copy discarded; an invalid one is replaced. Without ``valid``, an
        existing folder is always replaced.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> entry = atomic_write_dir(root / "entry", lambda d: (d / "x.txt").write_text("1"))
    >>> sorted(p.name for p in entry.iterdir()), sorted(p.name for p in root.iterdir())
    (['x.txt'], ['entry'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_name(path, ".tmp")
    tmp.mkdir()
    try:
        write(tmp)
        for _attempt in range(5):
            if path.exists():
                if valid is not None and valid(path):
                    return path  # a concurrent writer won; its entry is complete
                _remove_aside(path)
            try:
                os.replace(tmp, path)
                return path
            except OSError as err:
                if err.errno not in _TAKEN:
                    raise
                # another writer renamed its copy in between: check it on the next round
        raise OSError(f"atomic_write_dir(): could not put {path} in place (busy; try again).")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _temp_name(path: Path, suffix: str) -> Path:
    """A name no other writer uses, next to ``path`` (hidden, so listings skip it)."""
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:16]}{suffix}")


def _remove_aside(path: Path) -> None:
    """Move an existing folder out of the way (atomic rename), then delete it."""
    trash = _temp_name(path, ".old")
    trash.mkdir()
    try:
        os.replace(path, trash / "entry")
    except FileNotFoundError:
        pass  # another writer removed it first
    finally:
        shutil.rmtree(trash, ignore_errors=True)


def _is_raw(target: Path) -> bool:
    parts = [p.lower() for p in target.parts]
    return any(a == "data" and b == "raw" for a, b in zip(parts, parts[1:], strict=False))


def ensure_writable(
    path: str | Path, *, raw_dir: str | Path | Iterable[str | Path] | None = None
) -> Path:
    """Refuse to write under raw data; return ``path`` as a Path.

    A path is refused when, once resolved to an absolute path, it lies in a folder called
    ``data/raw`` (whatever the working folder: a notebook runs in ``notebooks/``, a command may
    run anywhere) or under any of ``raw_dir`` (e.g. the folder a study config's
    ``corpus.path`` points at, see :meth:`framelab.config.StudyConfig.raw_dirs`).

    Examples
    --------
    >>> ensure_writable("data/raw/new.csv")
    Traceback (most recent call last):
    ...
    PermissionError: refusing to write data/raw/new.csv: it is under a data/raw folder, whose files are raw data and are never written by framelab. Write derived files under data/processed/ instead.
    >>> ensure_writable("data/processed/codes.parquet").as_posix()
    'data/processed/codes.parquet'
    """
    path = Path(path)
    target = Path(os.path.abspath(path)).resolve()
    if _is_raw(target):
        raise PermissionError(
            f"refusing to write {path}: it is under a data/raw folder, whose files are raw data "
            "and are never written by framelab. Write derived files under data/processed/ "
            "instead."
        )
    if raw_dir is None:
        raws: list = []
    elif isinstance(raw_dir, str | os.PathLike):
        raws = [raw_dir]
    else:
        raws = list(raw_dir)
    for raw in raws:
        root = Path(os.path.abspath(raw)).resolve()
        if target == root or root in target.parents:
            raise PermissionError(
                f"refusing to write {path}: it is under {raw}, the study's raw data, whose files "
                "are never written by framelab. Write derived files under data/processed/ "
                "instead."
            )
    return path
