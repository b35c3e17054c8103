"""Plain-text documents: single ``.txt``/``.md`` files and folders of mixed files.

Metadata for text files comes from (in increasing precedence) a file-name pattern such as
``{date}_{country}_{language}_{doc_id}``, a sidecar CSV (``metadata.csv`` with a ``file`` column)
and YAML front matter at the top of the file::

    ---
    outlet: Example Daily
    date: 2023-11-01
    ---
    Body text...
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import stat
import warnings
from pathlib import Path

import pandas as pd
import yaml

from framelab.io._registry import FormatSpec, detect_format, get_format, register_format
from framelab.io._text import LoadError, read_text_file

__all__ = ["read_folder", "read_text_document"]

logger = logging.getLogger(__name__)

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_SIDECAR_NAMES = ("metadata.csv", "_metadata.csv")


def split_front_matter(text: str, *, name: str = "<text>") -> tuple[dict, str]:
    """Split YAML front matter from a document.

    Examples
    --------
    >>> split_front_matter("---\\noutlet: A\\ndate: 2023-11-01\\n---\\nBody")
    ({'outlet': 'A', 'date': '2023-11-01'}, 'Body')
    >>> split_front_matter("No front matter")
    ({}, 'No front matter')
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 2}" if mark is not None else ""
        raise LoadError(
            f"{name}{where}: invalid YAML front matter ({getattr(exc, 'problem', exc)}). "
            "Fix the block between the two '---' lines."
        ) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise LoadError(
            f"{name}: front matter must be 'key: value' lines, got {type(meta).__name__}."
        )
    # YAML turns 2023-11-01 into a date object; keep it as text so that the Corpus parses every
    # date the same way
    return {
        str(k): v.isoformat() if isinstance(v, datetime.date) else v for k, v in meta.items()
    }, text[match.end() :]


def _pattern_regex(pattern: str) -> re.Pattern:
    fields = re.findall(r"{(\w+)}", pattern)
    if not fields:
        raise ValueError(
            f"load_corpus(): filename_pattern={pattern!r} has no {{field}} placeholders; "
            "write it like '{date}_{country}_{language}_{doc_id}'."
        )
    parts = re.split(r"({\w+})", pattern)
    regex = ""
    for _i, part in enumerate(parts):
        if re.fullmatch(r"{\w+}", part):
            regex += f"(?P<{part[1:-1]}>.+?)"
        else:
            regex += re.escape(part)
    return re.compile(regex + r"(?:\.[^.]+)?$")


def read_text_document(
    path: str | Path,
    *,
    encoding: str | None = None,
    filename_pattern: str | None = None,
    **_: object,
) -> pd.DataFrame:
    """Read one ``.txt``/``.md`` file as one document (front matter becomes metadata)."""
    path = Path(path)
    text, enc = read_text_file(path, encoding)
    meta, body = split_front_matter(text, name=str(path))
    row: dict = {}
    message = f"encoding {enc}"
    if filename_pattern:
        match = _pattern_regex(filename_pattern).match(path.name)
        if match:
            row.update(match.groupdict())
        else:
            message += f"; name does not match filename_pattern {filename_pattern!r}"
            warnings.warn(
                f"{path}: file name does not match filename_pattern={filename_pattern!r}; "
                "loaded without its metadata.",
                UserWarning,
                stacklevel=3,
            )
    row.update(meta)
    row["text"] = body
    table = pd.DataFrame([row])
    table.attrs["framelab_load_report"] = [
        {"file": str(path), "format": "text", "status": "loaded", "rows": 1, "message": message}
    ]
    return table


def _read_sidecar(path: Path) -> pd.DataFrame:
    from framelab.io.tables import read_csv

    meta = read_csv(path)
    if "file" not in meta.columns:
        raise LoadError(
            f"{path}: a metadata sidecar needs a 'file' column naming each text file; "
            f"columns found: {', '.join(map(repr, meta.columns))}."
        )
    return meta


def read_folder(
    path: str | Path,
    *,
    recursive: bool = False,
    metadata: str | Path | None = None,
    filename_pattern: str | None = None,
    encoding: str | None = None,
    on_bad_lines: str = "error",
    allow_outside_links: bool = False,
    max_uncompressed_bytes: int | None = None,
    **_: object,
) -> pd.DataFrame:
    """Read every supported file in a folder; report per file what loaded and what failed.

    Text files (``.txt``, ``.md``) become one document each; tables (CSV, JSON, Parquet, Excel,
    ...) contribute their rows. A file that fails is reported and skipped with one warning listing
    all failures; the others load. Hidden files are ignored.

    Some entries are skipped without being opened, each listed in the report with the reason and
    named in one warning: symbolic links (or linked sub-folders) that lead outside the folder,
    unless ``allow_outside_links=True``; links that lead nowhere; FIFOs, sockets and devices
    (opening a FIFO would wait forever); and files whose name is not valid UTF-8 (rename them).
    Links to files inside the folder are read as usual.

    Parameters
    ----------
    path : str or os.PathLike
        The folder.
    recursive : bool, default False
        Also read sub-folders.
    metadata : str or os.PathLike, optional
        Sidecar CSV with a ``file`` column (file name relative to the folder) and metadata columns.
        ``metadata.csv`` in the folder is used when present and this is omitted.
    filename_pattern : str, optional
        Pattern for text-file names, e.g. ``"{date}_{country}_{language}_{doc_id}"``.
    allow_outside_links : bool, default False
        Read files that symbolic links point to outside the folder (off by default, so that a
        link such as ``notes.txt -> /etc/passwd`` never becomes a document).
    max_uncompressed_bytes : int, optional
        Most bytes a ``.docx``/``.xlsx`` may unpack to (default 200 MB); a larger one fails
        (reported) without being parsed.

    Returns
    -------
    pandas.DataFrame
        The documents, with ``attrs["framelab_load_report"]`` listing every file:
        ``file, format, status ("loaded" | "failed" | "skipped"), rows, message``.

    Raises
    ------
    LoadError
        If the folder holds no supported file, or every file failed.
    """
    folder = Path(path)
    sidecar_path = Path(metadata) if metadata else None
    if sidecar_path is not None and not sidecar_path.is_absolute() and not sidecar_path.exists():
        sidecar_path = folder / sidecar_path
    if sidecar_path is None:
        sidecar_path = next((folder / n for n in _SIDECAR_NAMES if (folder / n).exists()), None)
    sidecar = _read_sidecar(sidecar_path) if sidecar_path is not None else None

    files = sorted(folder.rglob("*") if recursive else folder.iterdir())
    report: list[dict] = []
    tables: list[pd.DataFrame] = []
    skipped: list[str] = []
    root = folder.resolve()
    for file in files:
        rel = file.relative_to(folder)
        if any(p.startswith(".") for p in rel.parts):
            continue
        why = _unsafe_entry(file, rel, root, allow_outside_links)
        if why == "directory":
            continue
        if why:
            shown = _shown_name(file)
            skipped.append(f"{_shown_name(rel)} ({why})")
            report.append(
                {"file": shown, "format": "", "status": "skipped", "rows": 0, "message": why}
            )
            continue
        if sidecar_path is not None and file.resolve() == sidecar_path.resolve():
            report.append(
                {
                    "file": str(file),
                    "format": "csv",
                    "status": "skipped",
                    "rows": 0,
                    "message": "metadata sidecar",
                }
            )
            continue
        try:
            fmt = detect_format(file)
            if fmt == "folder":  # pragma: no cover - directories skipped above
                continue
            reader = get_format(fmt).reader
            if fmt == "text":
                table = reader(file, encoding=encoding, filename_pattern=filename_pattern)
            else:
                table = reader(
                    file,
                    encoding=encoding,
                    on_bad_lines=on_bad_lines,
                    max_uncompressed_bytes=max_uncompressed_bytes,
                )
        except (LoadError, UnicodeError, ValueError) as exc:
            report.append(
                {
                    "file": str(file),
                    "format": "",
                    "status": "failed",
                    "rows": 0,
                    "message": str(exc),
                }
            )
            continue
        table = table.copy()
        file_report = table.attrs.get("framelab_load_report", [])
        report.extend(file_report)
        table.attrs = {}
        if fmt == "text":
            table["_file"] = str(rel)
        table["source_file"] = str(file)
        tables.append(table)

    if skipped:
        warnings.warn(
            f"{folder}: {len(skipped)} entr(y/ies) skipped without reading - "
            f"{'; '.join(skipped[:5])}{' ...' if len(skipped) > 5 else ''}. They are listed in "
            "corpus.attrs['framelab_load_report'].",
            UserWarning,
            stacklevel=3,
        )
    failed = [r for r in report if r["status"] == "failed"]
    if not tables:
        detail = "; ".join(f"{r['file']}: {r['message']}" for r in failed[:5])
        raise LoadError(
            f"{folder}: no document could be loaded"
            + (f" ({len(failed)} file(s) failed: {detail})" if failed else " (no supported files)")
            + ". Supported files: .txt, .md and the table formats listed by framelab.io.formats()."
        )
    if failed:
        listed = "; ".join(f"{Path(r['file']).name}: {r['message']}" for r in failed[:5])
        warnings.warn(
            f"{folder}: {len(failed)} of {len(failed) + len(tables)} file(s) could not be loaded "
            f"and were skipped - {listed}{' ...' if len(failed) > 5 else ''}. The full list is in "
            "corpus.attrs['framelab_load_report'].",
            UserWarning,
            stacklevel=3,
        )
    out = pd.concat(tables, ignore_index=True, sort=False)
    if sidecar is not None and "_file" in out.columns:
        meta = sidecar.rename(columns={"file": "_file"})
        unknown = sorted(set(meta["_file"]) - set(out["_file"].dropna()))
        if unknown:
            warnings.warn(
                f"{sidecar_path}: {len(unknown)} file(s) listed in the metadata were not loaded: "
                f"{', '.join(unknown[:5])}.",
                UserWarning,
                stacklevel=3,
            )
        meta_cols = [c for c in meta.columns if c != "_file"]
        # front matter wins over the sidecar: fill only what the file itself did not say
        merged = out.merge(meta, on="_file", how="left", suffixes=("", "__meta"))
        for col in meta_cols:
            if f"{col}__meta" in merged.columns:
                merged[col] = merged[col].where(merged[col].notna(), merged[f"{col}__meta"])
                merged = merged.drop(columns=f"{col}__meta")
        out = merged
    out = out.drop(columns=[c for c in ("_file",) if c in out.columns])
    out.attrs["framelab_load_report"] = report
    return out


def _shown_name(path: Path) -> str:
    """The path as text; bytes that are not UTF-8 shown as ``\\xe9`` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _unsafe_entry(file: Path, rel: Path, root: Path, allow_outside_links: bool) -> str:
    """Why a folder entry must not be read ("" when it is a regular file to read)."""
    try:
        str(rel).encode("utf-8")
    except UnicodeEncodeError:
        return "the file name is not valid UTF-8; rename the file"
    try:
        info = file.stat()  # follows links
    except OSError:
        return "a symbolic link that leads nowhere" if file.is_symlink() else "cannot be read"
    if stat.S_ISDIR(info.st_mode):
        return "directory"
    if not stat.S_ISREG(info.st_mode):
        kind = (
            "a FIFO (named pipe)"
            if stat.S_ISFIFO(info.st_mode)
            else "a socket"
            if stat.S_ISSOCK(info.st_mode)
            else "a device"
        )
        return f"{kind}, not a regular file"
    if not allow_outside_links:
        target = file.resolve()
        if not target.is_relative_to(root):
            return (
                f"a symbolic link to {target}, outside the folder; not followed (pass "
                "allow_outside_links=True to read it)"
            )
    return ""


register_format(
    FormatSpec(
        "text",
        read_text_document,
        (".txt", ".md", ".text"),
        description="one plain-text document (YAML front matter allowed)",
    )
)
register_format(FormatSpec("folder", read_folder, (), description="a folder of supported files"))
