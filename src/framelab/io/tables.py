"""Tabular formats: CSV/TSV, JSON, JSON Lines, Parquet and Excel."""

from __future__ import annotations

import csv
import io
import json
import logging
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from framelab.io._registry import FormatSpec, register_format
from framelab.io._text import LoadError, read_text_file, tell_skipped

__all__ = ["read_csv", "read_excel", "read_json", "read_jsonl", "read_parquet"]

logger = logging.getLogger(__name__)

_BAD_LINES = ("error", "warn", "skip")


def _check_bad_lines(on_bad_lines: str) -> None:
    if on_bad_lines not in _BAD_LINES:
        raise ValueError(
            f"load_corpus(): on_bad_lines must be one of {', '.join(map(repr, _BAD_LINES))}, "
            f"got {on_bad_lines!r}."
        )


def _report(table: pd.DataFrame, path: Path, fmt: str, message: str = "") -> pd.DataFrame:
    table.attrs["framelab_load_report"] = [
        {
            "file": str(path),
            "format": fmt,
            "status": "loaded",
            "rows": len(table),
            "message": message,
        }
    ]
    return table


def _bad_rows_message(path: Path, bad: list[tuple[int, str]], unit: str) -> str:
    listed = "; ".join(f"{unit} {line}: {why}" for line, why in bad[:5])
    more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
    return f"{path}: {len(bad)} malformed {unit}(s) skipped - {listed}{more}"


@contextmanager
def _no_field_limit():
    old = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _sniff_delimiter(text: str, default: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return default


def read_csv(
    path: str | Path,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    on_bad_lines: str = "error",
    fmt: str = "csv",
    **_: object,
) -> pd.DataFrame:
    """Read a delimited text file into a raw table of strings.

    The encoding is detected (UTF-8, UTF-8 with BOM, UTF-16, cp1252...) and the delimiter sniffed
    among ``, ; TAB |`` unless given. Fields may be of any size (a 50 MB article is fine).

    Parameters
    ----------
    path : str or os.PathLike
        The file; opened read-only.
    delimiter : str, optional
        Field separator; sniffed when omitted.
    encoding : str, optional
        Text encoding; detected when omitted.
    on_bad_lines : {"error", "warn", "skip"}, default "error"
        A row with the wrong number of fields raises a :class:`LoadError` naming the file and line;
        ``"warn"`` skips such rows with one warning listing them; ``"skip"`` skips them and only
        records them. Skipped rows are always listed in ``attrs["framelab_load_report"]``.

    Returns
    -------
    pandas.DataFrame
        All columns as strings (empty fields are missing values).
    """
    _check_bad_lines(on_bad_lines)
    path = Path(path)
    text, enc = read_text_file(path, encoding)
    if not text.strip():
        raise LoadError(f"{path}: the file has no content (only whitespace).")
    sep = delimiter or _sniff_delimiter(text, "\t" if fmt == "tsv" else ",")
    records: list[list[str]] = []
    bad: list[tuple[int, str]] = []
    with _no_field_limit():
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
        try:
            header = next(reader)
        except StopIteration:  # pragma: no cover - guarded by the strip() check
            raise LoadError(f"{path}: the file has no header row.") from None
        header = [h.strip() for h in header]
        if len(set(header)) != len(header):
            dups = sorted({h for h in header if header.count(h) > 1})
            raise LoadError(
                f"{path}, line 1: duplicate column name(s) {', '.join(map(repr, dups))}. "
                "Rename them so every column is unique."
            )
        width = len(header)
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                bad.append((start, f"cannot parse ({exc})"))
                start = reader.line_num + 1
                continue
            if not row or (len(row) == 1 and not row[0].strip()):
                start = reader.line_num + 1
                continue
            if len(row) != width:
                bad.append((start, f"expected {width} fields, saw {len(row)}"))
            else:
                records.append(row)
            start = reader.line_num + 1
    message = f"encoding {enc}, delimiter {sep!r}"
    if bad:
        if on_bad_lines == "error":
            line, why = bad[0]
            more = f" ({len(bad) - 1} more malformed line(s) after it)" if len(bad) > 1 else ""
            raise LoadError(
                f"{path}, line {line}: malformed row: {why}{more}. Usually a field contains the "
                f"delimiter {sep!r} or a stray quote without being quoted. Fix the row, or pass "
                "on_bad_lines='warn' to skip malformed rows and load the rest."
            )
        note = _bad_rows_message(path, bad, "line")
        message += "; " + note
        tell_skipped(note, on_bad_lines, logger)
    table = pd.DataFrame(records, columns=header, dtype="str")
    table = table.replace("", pd.NA) if len(table) else table
    table = table.astype("str") if len(table.columns) else table
    return _report(table, path, fmt, message)


def read_tsv(path, **kwargs) -> pd.DataFrame:
    """Read a tab-separated file (see :func:`read_csv`)."""
    kwargs.setdefault("delimiter", "\t")
    return read_csv(path, fmt="tsv", **kwargs)


def _records_table(records: list, path: Path, what: str) -> pd.DataFrame:
    if not all(isinstance(r, dict) for r in records):
        kinds = sorted({type(r).__name__ for r in records if not isinstance(r, dict)})
        raise LoadError(
            f"{path}: expected {what} to be objects (one per document), found {', '.join(kinds)}."
        )
    return pd.DataFrame.from_records(records)


def read_json(path: str | Path, *, encoding: str | None = None, **_: object) -> pd.DataFrame:
    """Read a JSON file holding a list of document objects.

    A top-level object with exactly one list of objects (``{"articles": [...]}``) also works.
    """
    path = Path(path)
    text, enc = read_text_file(path, encoding)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"{path}, line {exc.lineno} column {exc.colno}: invalid JSON ({exc.msg}). "
            "If the file holds one object per line, use format='jsonl'."
        ) from None
    if isinstance(data, dict):
        lists = [k for k, v in data.items() if isinstance(v, list)]
        if len(lists) != 1:
            raise LoadError(
                f"{path}: expected a list of documents, or an object with exactly one list of "
                f"documents; found keys {', '.join(map(repr, list(data)[:10]))}."
            )
        data = data[lists[0]]
    if not isinstance(data, list):
        raise LoadError(f"{path}: expected a list of documents, found {type(data).__name__}.")
    table = _records_table(data, path, "the list items")
    return _report(table, path, "json", f"encoding {enc}")


def read_jsonl(
    path: str | Path, *, encoding: str | None = None, on_bad_lines: str = "error", **_: object
) -> pd.DataFrame:
    """Read JSON Lines: one document object per line (blank lines are ignored)."""
    _check_bad_lines(on_bad_lines)
    path = Path(path)
    text, enc = read_text_file(path, encoding)
    records, bad = [], []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            bad.append((lineno, f"invalid JSON ({exc.msg} at column {exc.colno})"))
            continue
        if not isinstance(obj, dict):
            bad.append((lineno, f"expected an object, found {type(obj).__name__}"))
            continue
        records.append(obj)
    message = f"encoding {enc}"
    if bad:
        if on_bad_lines == "error":
            line, why = bad[0]
            raise LoadError(
                f"{path}, line {line}: {why}. Fix the line, or pass on_bad_lines='warn' to skip "
                "malformed lines and load the rest."
            )
        note = _bad_rows_message(path, bad, "line")
        message += "; " + note
        tell_skipped(note, on_bad_lines, logger)
    return _report(pd.DataFrame.from_records(records), path, "jsonl", message)


def read_parquet(path: str | Path, **_: object) -> pd.DataFrame:
    """Read a Parquet file (pyarrow)."""
    path = Path(path)
    try:
        table = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several error types for corrupt files
        raise LoadError(f"{path}: not a readable Parquet file ({exc}).") from None
    return _report(table, path, "parquet")


def read_excel(
    path: str | Path,
    *,
    sheet: str | int = 0,
    max_uncompressed_bytes: int | None = None,
    **_: object,
) -> pd.DataFrame:
    """Read one sheet of an Excel workbook (``.xlsx``) as strings.

    The workbook's unpacked size is checked before it is parsed (see
    :func:`framelab.io._zipguard.check_zip_sizes`: 200 MB by default, raise it with
    ``max_uncompressed_bytes=``). Merged cells are filled: every cell of a merged range gets the
    range's value (a merged "outlet" cell over five rows gives the outlet to all five), and the
    report says how many ranges were filled. Formula cells with no saved value (workbooks written
    by scripts, never opened in Excel) read as empty; a warning names them.

    Parameters
    ----------
    path : str or os.PathLike
        The workbook; opened read-only.
    sheet : str or int, default 0
        Sheet name or 0-based position.
    max_uncompressed_bytes : int, optional
        Most bytes the workbook may unpack to (default 200 MB).

    Returns
    -------
    pandas.DataFrame
        The sheet's columns as strings (empty cells are missing values).
    """
    from framelab.io._zipguard import check_zip_sizes

    path = Path(path)
    check_zip_sizes(path, max_uncompressed_bytes=max_uncompressed_bytes, what="workbook")
    message = f"sheet {sheet!r}"
    source: Path | io.BytesIO = path
    sheet_name: str | int = sheet
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(path, data_only=True)
        if isinstance(sheet, str) or sheet < len(workbook.sheetnames):
            worksheet = workbook[sheet] if isinstance(sheet, str) else workbook.worksheets[sheet]
            filled = _fill_merged(worksheet)
            if filled:
                message += f"; {filled} merged cell range(s) filled with their value"
                source, sheet_name = io.BytesIO(), worksheet.title
                workbook.save(source)  # in memory only: the file is never written
                source.seek(0)
            missing = _formulas_without_value(path, worksheet)
            if missing:
                shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
                note = (
                    f"{path}, sheet {worksheet.title!r}: {len(missing)} formula cell(s) without "
                    f"a saved value ({shown}) read as empty - formula without a saved value: "
                    "open and save the workbook in Excel (or LibreOffice) so that the values are "
                    "stored, then load it again"
                )
                message += "; " + note
                warnings.warn(note + ".", UserWarning, stacklevel=3)
    except KeyError:
        pass  # an unknown sheet name: pandas' message below lists the sheets
    except Exception as exc:  # zipfile/openpyxl errors for corrupt workbooks
        raise LoadError(f"{path}: not a readable Excel workbook ({exc}).") from None
    try:
        table = pd.read_excel(source, sheet_name=sheet_name, dtype=str)
    except ValueError as exc:
        raise LoadError(f"{path}: {exc}. Pass sheet='name' or sheet=index.") from None
    except Exception as exc:  # zipfile/openpyxl errors for corrupt workbooks
        raise LoadError(f"{path}: not a readable Excel workbook ({exc}).") from None
    return _report(table, path, "excel", message)


def _fill_merged(worksheet) -> int:
    """Unmerge every merged range, giving each of its cells the range's value."""
    ranges = list(worksheet.merged_cells.ranges)
    for cell_range in ranges:
        value = worksheet.cell(cell_range.min_row, cell_range.min_col).value
        worksheet.unmerge_cells(str(cell_range))
        for row in worksheet.iter_rows(
            min_row=cell_range.min_row,
            max_row=cell_range.max_row,
            min_col=cell_range.min_col,
            max_col=cell_range.max_col,
        ):
            for cell in row:
                cell.value = value
    return len(ranges)


def _formulas_without_value(path: Path, worksheet) -> list[str]:
    """Cells of ``worksheet`` holding a formula whose value was never saved (A1 references)."""
    import re
    import zipfile

    from openpyxl import load_workbook

    formula = re.compile(rb"<(?:\w+:)?f[ >/]")
    with zipfile.ZipFile(path) as archive:  # sizes checked by check_zip_sizes
        if not any(
            formula.search(archive.read(name))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        ):
            return []
    formulas = load_workbook(path, data_only=False, read_only=True)
    try:
        missing = []
        for row in formulas[worksheet.title].iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) == "f" and cell.coordinate is not None:
                    if worksheet[cell.coordinate].value is None:
                        missing.append(cell.coordinate)
        return missing
    finally:
        formulas.close()


def _sniff_jsonl(path: Path, head: bytes) -> bool:
    lines = [ln for ln in head.splitlines()[:3] if ln.strip()]
    return bool(lines) and all(ln.lstrip().startswith(b"{") for ln in lines) and len(lines) > 1


register_format(FormatSpec("csv", read_csv, (".csv",), description="comma/semicolon separated"))
register_format(FormatSpec("tsv", read_tsv, (".tsv", ".tab"), description="tab separated"))
register_format(FormatSpec("json", read_json, (".json",), description="list of objects"))
register_format(
    FormatSpec("jsonl", read_jsonl, (".jsonl", ".ndjson"), description="one object per line")
)
register_format(FormatSpec("parquet", read_parquet, (".parquet", ".pq"), description="Parquet"))
register_format(FormatSpec("excel", read_excel, (".xlsx", ".xlsm"), description="Excel sheet"))
