"""Refuse zip bombs before a ``.docx``/``.xlsx`` (both zip archives) is parsed.

The sizes a zip archive declares for its members bound what :mod:`zipfile` will ever unpack (it
stops at the declared size and then checks the CRC), so checking them before parsing is enough:

* the members together may unpack to at most ``max_uncompressed_bytes`` (default
  :data:`MAX_UNCOMPRESSED_BYTES`, 200 MB);
* a member over 10 MB compressed more than :data:`MAX_RATIO` to 1 is refused as well (real Word
  and Excel parts compress 5-50 to 1), unless ``max_uncompressed_bytes`` is passed explicitly.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from framelab.io._text import LoadError

__all__ = ["MAX_RATIO", "MAX_UNCOMPRESSED_BYTES", "check_zip_sizes"]

#: default limit on the total unpacked size of a .docx/.xlsx (bytes)
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: a member above 10 MB compressed more than this (uncompressed / compressed) is refused
MAX_RATIO = 500
_RATIO_FROM = 10 * 1024 * 1024


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.1f} MB"


def check_zip_sizes(
    path: str | Path, *, max_uncompressed_bytes: int | None = None, what: str = "file"
) -> None:
    """Raise :class:`LoadError` if the zip archive at ``path`` would unpack to too much.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.docx``/``.xlsx`` file. Files that are not zip archives are left to the reader,
        which reports them.
    max_uncompressed_bytes : int, optional
        Most bytes the members may unpack to together; default 200 MB. Passing it also turns off
        the compression-ratio check.
    what : str
        What to call the file in the message (``"workbook"``, ``"Word file"``).

    Examples
    --------
    >>> import io, tempfile, zipfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "small.xlsx"
    >>> with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
    ...     zf.writestr("xl/workbook.xml", " " * 5000)
    >>> check_zip_sizes(path)
    >>> check_zip_sizes(path, max_uncompressed_bytes=1000, what="workbook")
    Traceback (most recent call last):
    ...
    framelab.io._text.LoadError: ...small.xlsx: the workbook unpacks to 5,000 bytes ...
    """
    limit = MAX_UNCOMPRESSED_BYTES if max_uncompressed_bytes is None else max_uncompressed_bytes
    if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
        raise ValueError(
            f"load_corpus(): max_uncompressed_bytes must be a positive number of bytes, got "
            f"{limit!r}. Example: max_uncompressed_bytes=500_000_000 for 500 MB."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    total = sum(m.file_size for m in members)
    if total > limit:
        largest = max(members, key=lambda m: m.file_size)
        raise LoadError(
            f"{path}: the {what} unpacks to {total:,} bytes ({_mb(total)}; largest part "
            f"{largest.filename!r}: {_mb(largest.file_size)} from {largest.compress_size:,} "
            f"bytes), over the limit of {limit:,} bytes ({_mb(limit)}). It may be a zip bomb; "
            f"if you trust the file, pass max_uncompressed_bytes={total + 1:_} to read it."
        )
    if max_uncompressed_bytes is None:
        for m in members:
            ratio = m.file_size / max(1, m.compress_size)
            if m.file_size > _RATIO_FROM and ratio > MAX_RATIO:
                raise LoadError(
                    f"{path}: part {m.filename!r} of the {what} unpacks {ratio:,.0f} times its "
                    f"size ({m.compress_size:,} bytes to {_mb(m.file_size)}); real documents "
                    f"compress less than {MAX_RATIO}:1, so this may be a zip bomb. If you trust "
                    f"the file, pass max_uncompressed_bytes={max(total + 1, limit):_} to read it."
                )
