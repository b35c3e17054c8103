"""Reading bytes into text: encoding detection and clear errors for binary or empty files."""

from __future__ import annotations

import codecs
import logging
from pathlib import Path

logger = logging.getLogger(__name__)

__all__ = ["LoadError", "decode_bytes", "read_bytes", "read_text_file"]


class LoadError(ValueError):
    """A file could not be read into a corpus; the message names the file and the fix."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte is NUL in mostly-ASCII text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def decode_bytes(
    data: bytes, *, name: str = "<bytes>", encoding: str | None = None
) -> tuple[str, str]:
    """Decode file contents, detecting the encoding when none is given.

    Order: byte-order mark (UTF-8/16/32), BOM-less UTF-16, strict UTF-8, then
    ``charset_normalizer``'s best guess (cp1252, latin-1, cp1251, ...).

    Parameters
    ----------
    data : bytes
        File contents.
    name : str
        File name for messages.
    encoding : str, optional
        Use this encoding and skip detection.

    Returns
    -------
    (str, str)
        The text and the encoding used.

    Raises
    ------
    LoadError
        Empty input, binary data, or bytes that fit no encoding.

    Examples
    --------
    >>> decode_bytes("Kyiv’s talks".encode("cp1252"))
    ('Kyiv’s talks', 'cp1252')
    >>> decode_bytes("\\ufeffTalks".encode("utf-8"))
    ('Talks', 'utf-8-sig')
    """
    if not data:
        raise LoadError(f"{name}: the file is empty. Check that the export finished writing.")
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise LoadError(
                f"{name}: cannot decode with encoding={encoding!r} ({exc.reason} at byte "
                f"{exc.start}). Leave encoding=None to detect it, or pass the right one."
            ) from None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc), "utf-8-sig" if enc == "utf-8-sig" else enc
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise LoadError(
            f"{name}: looks like a binary file (it contains NUL bytes), not text. "
            "Export the data as CSV, JSON or plain text, or pass format= for a binary format "
            "such as parquet or excel."
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:262144]).best()
    guess = best.encoding if best is not None else None
    # Short Western texts are often mis-guessed as another single-byte Latin code page; cp1252
    # (Windows Western) is by far the most common of them in news exports, so it wins whenever
    # it decodes the bytes and the guess is not a Cyrillic/Greek/Asian code page.
    latin_like = (
        guess is None
        or guess.replace("-", "_").startswith(("cp125", "latin", "iso8859", "mac_", "windows_125"))
        and guess.replace("-", "_") not in ("cp1251", "cp1253", "windows_1251", "iso8859_5")
    )
    candidates = (
        (["cp1252"] if latin_like else [])
        + ([guess] if guess else [])
        + ["cp1252", "cp1251", "latin-1"]
    )
    for enc in dict.fromkeys(candidates):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        logger.info("%s: decoded as %s", name, enc)
        return text, enc
    raise LoadError(  # pragma: no cover - latin-1 decodes any bytes
        f"{name}: could not detect the text encoding. Pass encoding='...' explicitly."
    )


def read_bytes(path: Path) -> bytes:
    """The file's bytes (opened read-only); a clear LoadError when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise LoadError(f"{path}: cannot read the file ({exc.strerror}).") from None


def read_text_file(path: Path, encoding: str | None = None) -> tuple[str, str]:
    """Read a file as text with :func:`decode_bytes` (the file is opened read-only)."""
    data = read_bytes(path)
    return decode_bytes(data, name=str(path), encoding=encoding)
