"""Reading bytes into text: encoding detection and clear errors for binary or empty files."""

from __future__ import annotations

import codecs
import logging
import unicodedata
import warnings
from collections import Counter
from pathlib import Path

logger = logging.getLogger(__name__)

__all__ = ["LoadError", "decode_bytes", "read_bytes", "read_text_file"]


class LoadError(ValueError):
    """A file could not be read into a corpus; the message names the file and the fix.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from framelab.io import load_corpus
    >>> empty = pathlib.Path(tempfile.mkdtemp()) / "empty.csv"
    >>> empty.touch()
    >>> load_corpus(empty)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    framelab.io._text.LoadError: .../empty.csv: the file is empty. Check that the export finished writing.
    >>> issubclass(LoadError, ValueError)
    True
    """


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def tell_skipped(note: str, on_bad_lines: str, log: logging.Logger) -> None:
    """Report skipped rows or articles as ``on_bad_lines`` asks: a log line (INFO, on the
    loader's logger ``log``) for ``"skip"``, else a warning (``"warn"``, and ``"error"`` where a
    loader skips articles without text rather than failing), pointing at the loader's caller.

    Examples
    --------
    >>> tell_skipped("f.csv: 1 malformed line(s) skipped", "skip", logger)
    """
    if on_bad_lines == "skip":
        log.info(note)
    else:
        warnings.warn(note, UserWarning, stacklevel=4)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM.

    Mostly-ASCII text has a NUL in every other byte. Text in one non-Latin script (Cyrillic,
    Greek, Hebrew, Arabic...) has the same few high bytes in every other byte (``0x04`` for
    Cyrillic, ``0x00`` for spaces and digits) and no NUL among the low bytes; the candidate is
    kept only when it decodes into printable text.
    """
    sample = data[:4096]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    for enc, high, low in (
        ("utf-16-le", sample[1::2], sample[0::2]),
        ("utf-16-be", sample[0::2], sample[1::2]),
    ):
        common = sum(n for _, n in Counter(high).most_common(2))
        if not high.count(0) or common / len(high) < 0.9 or low.count(0) / len(low) > 0.02:
            continue
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        visible = [ch for ch in text if not ch.isspace()]
        letters = sum(ch.isalpha() for ch in visible)
        if _control_share(text) < 0.01 and letters >= 0.5 * len(visible):
            return enc
    return None


def _control_share(text: str) -> float:
    """Share of characters that no text holds: control characters other than line breaks and
    tabs, unassigned and private-use code points."""
    sample = text[:65536]
    if not sample:
        return 0.0
    odd = sum(
        1
        for ch in sample
        if ch not in "\t\n\r\f" and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs")
    )
    return odd / len(sample)


def _not_text(name: str, share: float) -> LoadError:
    return LoadError(
        f"{name}: not text ({share:.0%} of the characters are control codes), so probably a "
        "binary file. Export the data as CSV, JSON or plain text, or pass format= for a binary "
        "format such as parquet or excel; if it is text in an unusual encoding, pass encoding=."
    )


def _decode_mixed(data: bytes, name: str) -> tuple[str, str] | None:
    """UTF-8 with some lines in a legacy encoding: those lines decoded with the encoding that
    :func:`_decode_legacy` finds for them (cp1252 for Western text, cp1251 for Cyrillic...).

    Returns ``None`` unless some lines hold valid non-ASCII UTF-8 and other lines do not decode
    as UTF-8 (a file written by two programs, or pasted together).
    """
    lines = data.splitlines(keepends=True)
    utf8_lines, bad = 0, []
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_lines += 1
        except UnicodeDecodeError:
            bad.append(number)
    if not utf8_lines or not bad:
        return None
    bad_set = set(bad)
    _, fallback = _decode_legacy(b"".join(lines[n - 1] for n in bad))
    text = "".join(
        line.decode(fallback if n in bad_set else "utf-8") for n, line in enumerate(lines, 1)
    )
    share = _control_share(text)
    if share > 0.05:
        raise _not_text(name, share)
    shown = ", ".join(map(str, bad[:10])) + (" ..." if len(bad) > 10 else "")
    warnings.warn(
        f"{name}: mixed encodings - {len(bad)} line(s) are not UTF-8 and were decoded as "
        f"{fallback} (line(s) {shown}); {utf8_lines} other line(s) hold UTF-8 accents. Check "
        "those lines, and save the file as UTF-8 to load it without this warning.",
        UserWarning,
        stacklevel=4,
    )
    return text, f"utf-8 with {fallback} line(s) {shown}"


def decode_bytes(
    data: bytes, *, name: str = "<bytes>", encoding: str | None = None
) -> tuple[str, str]:
    """Decode file contents, detecting the encoding when none is given.

    Order: byte-order mark (UTF-8/16/32), BOM-less UTF-16 (also in Cyrillic and other
    non-Latin scripts), strict UTF-8, UTF-8 with some lines in another encoding, then
    ``charset_normalizer``'s best guess (cp1252, latin-1, cp1251, ...).

    A file that is UTF-8 except for some lines (half UTF-8, half cp1252) is decoded line by
    line: the UTF-8 lines as UTF-8, the others in the encoding detected for them (cp1252 for
    Western text, cp1251 for Cyrillic...), with one warning giving their line numbers. Decoded data that is mostly control characters is
    refused as "not text".

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
    >>> decode_bytes("Привет, мир".encode("utf-16-le"))
    ('Привет, мир', 'utf-16-le')
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
            "such as parquet or excel. If it is UTF-16 text without a byte-order mark, pass "
            "encoding='utf-16-le' (or 'utf-16-be')."
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        share = _control_share(text)
        if share > 0.05:
            raise _not_text(name, share)
        return text, "utf-8"
    mixed = _decode_mixed(data, name)
    if mixed is not None:
        return mixed
    text, enc = _decode_legacy(data)
    share = _control_share(text)
    if share > 0.05:
        raise _not_text(name, share)
    logger.info("%s: decoded as %s", name, enc)
    return text, enc


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Bytes that are not UTF-8: ``charset_normalizer``'s guess, cp1252 first for Latin text."""
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
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1"), "latin-1"  # pragma: no cover - latin-1 is a candidate


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
