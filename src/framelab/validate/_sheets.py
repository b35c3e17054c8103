"""Coding sheets for human coders: draw a sample, write it blind, read the filled sheets back."""

from __future__ import annotations

import csv
import io
import logging
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from framelab._errors import suggest
from framelab._files import ensure_writable
from framelab.validate._common import (
    SHEET_FIXED,
    check_level,
    check_table,
    coding_units,
    doc_id_of,
    frame_table,
    framelab_version,
)
from framelab.validate._design import ALLOCATIONS, draw_stratified, stratum_keys

__all__ = ["CODINGS_COLUMNS", "as_codings", "coding_sheet", "consensus", "read_codings"]

logger = logging.getLogger(__name__)

#: Columns of the long codings table returned by :func:`read_codings`.
CODINGS_COLUMNS = ("unit_id", "doc_id", "coder", "frame", "value", "inclusion_prob")
#: The columns a codings table must have (``inclusion_prob`` is optional on input).
_CODINGS_NEEDED = CODINGS_COLUMNS[:5]

_EXCEL_CELL_LIMIT = 32_767
_INSTRUCTIONS = (
    "Read each unit and type 1 in a frame's column if the unit carries the frame, 0 if it does "
    "not. Leave cells blank only for units you did not code. Frame definitions and examples are "
    "on the 'codebook' sheet. Do not rename, add or delete columns; use 'notes' for comments."
)


def _stem(out: str | Path) -> Path:
    out = Path(out)
    return out.with_suffix("") if out.suffix.lower() in (".csv", ".xlsx") else out


def coding_sheet(
    corpus: pd.DataFrame,
    frames: object,
    n: int = 100,
    *,
    level: str = "document",
    stratify_by: str | list[str] | None = None,
    seed: int = 0,
    out: str | Path = "data/processed/coding/sheet",
    descriptions: Mapping | None = None,
    allocation: str = "proportional",
    period: str | None = None,
    date_col: str = "date",
) -> pd.DataFrame:
    """Draw a random sample of units and write a blind coding sheet for human coders.

    Two files are written: ``<out>.csv`` (the coding table) and ``<out>.xlsx`` with three sheets:
    ``coding`` (the coding table, frame cells restricted to 0/1), ``codebook`` (``frame, label,
    description, examples``) and ``about`` (seed, n, level, stratify_by, the framelab version and
    instructions). The dictionary's output is not in the sheet, so the coding is blind.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A Corpus table.
    frames : list of str, mapping or Codebook
        The frames to code: frame ids, a mapping ``{id: {"label", "description", "examples"}}`` or
        any object with a ``.frames`` mapping of id -> object with ``label``, ``description`` and
        ``examples`` attributes.
    n : int, default 100
        Number of units to draw (without replacement).
    level : {"document", "paragraph"}
        Unit of coding; paragraphs get ids ``<doc_id>-p<k>`` (see :func:`coding_units`).
    stratify_by : str or list of str, optional
        Corpus column(s) to stratify by (e.g. ``"outlet"``); units are allocated to strata by
        ``allocation``, then drawn at random within each stratum.
    allocation : {"proportional", "equal"}, default "proportional"
        ``"proportional"``: strata get shares of ``n`` in proportion to their size (largest
        remainder); ``"equal"``: the same number per stratum (capped at the stratum's size, the
        rest spread over the others), so small outlets or months get enough gold units.
    period : str, optional
        Also stratify by calendar period of ``date_col`` (a pandas frequency: ``"M"``, ``"W"``,
        ``"Q"``): group x period designs.
    date_col : str, default "date"
        The date column used by ``period``.
    seed : int, default 0
        Seed of the draw and of the presentation order. Same corpus and seed, same sheet.
    out : str or Path
        Path stem of the files (a ``.csv``/``.xlsx`` suffix is dropped). Refuses ``data/raw``.
    descriptions : mapping, optional
        ``{frame: description}`` or ``{frame: {"label", "description", "examples"}}``; overrides
        what ``frames`` provides.

    Returns
    -------
    pandas.DataFrame
        The coding table as written: ``unit_id, doc_id, order, inclusion_prob, text``, one empty
        column per frame, ``notes``. Rows are in the random presentation order, ``order`` counts
        from 1. ``inclusion_prob`` is the probability the unit had of being drawn (``n_h / N_h``
        of its stratum; ``n / N`` without strata); :func:`read_codings` carries it into the
        codings and :func:`consensus` into the gold labels, where corrected prevalence
        (``framelab.compare.prevalence(..., gold=..., correction=...)``) weights by ``1 / pi``.

    See Also
    --------
    read_codings : read the filled sheets back.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from framelab.datasets import load_sample
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> sheet = coding_sheet(load_sample(), ["ceasefire", "escalation"], n=20, level="paragraph",
    ...                      stratify_by="perspective", seed=1, out=tmp / "sheet")
    >>> list(sheet.columns)
    ['unit_id', 'doc_id', 'order', 'inclusion_prob', 'text', 'ceasefire', 'escalation', 'notes']
    >>> sorted(p.name for p in tmp.iterdir())
    ['sheet.csv', 'sheet.xlsx']
    """
    caller = "coding_sheet"
    level = check_level(level, caller)
    table = frame_table(frames, descriptions, caller)
    stratify = [stratify_by] if isinstance(stratify_by, str) else list(stratify_by or [])
    if allocation not in ALLOCATIONS:
        raise ValueError(
            f"{caller}(): allocation must be 'proportional' or 'equal', got {allocation!r}."
            f"{suggest(str(allocation), ALLOCATIONS, 'allocation')}"
        )
    units = coding_units(corpus, level)
    if period is not None:
        if date_col not in units.columns:
            raise ValueError(
                f"{caller}(): period={period!r} needs the date column {date_col!r}, which the "
                f"corpus lacks.{suggest(date_col, units.columns, 'date_col')}"
            )
        try:
            periods = pd.to_datetime(units[date_col]).dt.to_period(period).astype(str)
        except (ValueError, TypeError) as exc:
            raise ValueError(
                f"{caller}(): period={period!r} is not a pandas period frequency ('W', 'M', "
                f"'Q') or {date_col!r} does not hold dates ({exc})."
            ) from None
        units = units.assign(_period=periods)
    for col in stratify:
        if col not in units.columns:
            raise ValueError(
                f"{caller}(): stratify_by={col!r} is not a column of the corpus."
                f"{suggest(col, units.columns, 'stratify_by')} Columns: "
                f"{', '.join(c for c in units.columns if c not in ('text', 'level'))}."
            )
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{caller}(): n must be a positive integer, got {n!r}.")
    if n > len(units):
        raise ValueError(
            f"{caller}(): n={n} is more than the {len(units)} {level} units of the corpus. "
            f"Pass n<={len(units)}" + (" or level='paragraph'." if level == "document" else ".")
        )
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"{caller}(): seed must be an integer, got {seed!r}.")
    rng = np.random.default_rng(seed)
    strata = stratify + (["_period"] if period is not None else [])
    keys = stratum_keys(units, strata) if strata else None
    picked, probs, empty = draw_stratified(keys, int(n), len(units), allocation, rng)
    if empty:
        warnings.warn(
            f"{caller}(): n={n} is below the {int(keys.nunique())} "
            f"strata, so {len(empty)} of them get no unit (inclusion probability 0): "
            f"{', '.join(empty[:10])}{' ...' if len(empty) > 10 else ''}. Estimates weighted "
            "by this sheet speak only for the strata drawn; raise n or stratify more coarsely. "
            "The sheet's about lists them (strata_without_units).",
            UserWarning,
            stacklevel=2,
        )
    shuffle = rng.permutation(len(picked))
    picked, probs = picked[shuffle], probs[shuffle]
    about = {
        "seed": int(seed),
        "n": int(n),
        "level": level,
        "stratify_by": ", ".join(stratify) if stratify else "none",
        "allocation": allocation if strata else "none (simple random sample)",
        "period": period or "none",
        "n_population": len(units),
        "strata_without_units": ", ".join(empty) if empty else "none",
        "created_with": f"framelab {framelab_version()}",
        "instructions": _INSTRUCTIONS,
    }
    return write_sheet(units.iloc[picked], table, about, out, caller, inclusion_prob=probs)


def write_sheet(
    sample: pd.DataFrame,
    table: pd.DataFrame,
    about: dict,
    out: str | Path,
    caller: str,
    inclusion_prob: np.ndarray | None = None,
) -> pd.DataFrame:
    """Write the blind coding table of ``sample`` (``unit_id, doc_id, text``, in presentation
    order) as ``<out>.csv`` and ``<out>.xlsx`` (coding, codebook and about sheets); return it.
    ``inclusion_prob`` (one per row, the sampling design's) adds that column after ``order``;
    without it the sheet has none (next_to_code keeps its design out of the coders' files)."""
    stem = _stem(out)
    csv_path = ensure_writable(stem.with_name(stem.name + ".csv"))
    xlsx_path = ensure_writable(stem.with_name(stem.name + ".xlsx"))
    too_long = sample["text"].str.len() > _EXCEL_CELL_LIMIT
    if too_long.any():
        raise ValueError(
            f"{caller}(): {int(too_long.sum())} unit(s) are longer than Excel's cell limit of "
            f"{_EXCEL_CELL_LIMIT} characters (e.g. {sample.loc[too_long, 'unit_id'].iloc[0]!r}). "
            "Code paragraphs instead: level='paragraph'."
        )
    sheet = pd.DataFrame(
        {
            "unit_id": sample["unit_id"].to_numpy(),
            "doc_id": sample["doc_id"].to_numpy(),
            "order": np.arange(1, len(sample) + 1, dtype=np.int64),
            "text": sample["text"].to_numpy(),
        }
    )
    if inclusion_prob is not None:
        sheet.insert(3, "inclusion_prob", np.asarray(inclusion_prob, dtype=float))
    for frame in table["frame"]:
        sheet[frame] = np.full(len(sheet), np.nan)
    sheet["notes"] = ""
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    sheet.to_csv(csv_path, index=False, encoding="utf-8-sig", lineterminator="\n")
    _write_xlsx(xlsx_path, sheet, table, about)
    logger.info(
        "%s(): wrote %d %s units to %s and %s",
        caller,
        len(sheet),
        about.get("level", ""),
        csv_path,
        xlsx_path,
    )
    return sheet


def _write_xlsx(path: Path, sheet: pd.DataFrame, table: pd.DataFrame, about: dict) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    def put(ws, row, col, value, *, bold=False, wrap=False):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = ws.cell(row=row, column=col, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text, never a formula
        if bold:
            cell.font = Font(bold=True)
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell

    wb = Workbook()
    ws = wb.active
    ws.title = "coding"
    columns = list(sheet.columns)
    for j, col in enumerate(columns, start=1):
        put(ws, 1, j, col, bold=True)
    for i, record in enumerate(sheet.itertuples(index=False), start=2):
        for j, (col, value) in enumerate(zip(columns, record, strict=True), start=1):
            if col in ("unit_id", "doc_id", "text", "order", "inclusion_prob"):
                put(ws, i, j, value.item() if hasattr(value, "item") else value, wrap=col == "text")
    frames = list(table["frame"])
    first, last = columns.index(frames[0]) + 1, columns.index(frames[-1]) + 1
    rule = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2="1",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="0 or 1",
        error="Type 1 (frame present), 0 (absent) or leave blank (not coded).",
    )
    rule.add(f"{get_column_letter(first)}2:{get_column_letter(last)}{len(sheet) + 1}")
    ws.add_data_validation(rule)
    ws.freeze_panes = "F2"
    widths = {"unit_id": 14, "doc_id": 10, "order": 7, "inclusion_prob": 9, "text": 80, "notes": 30}
    for j, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = widths.get(col, max(8, len(col) + 2))

    ws_codebook = wb.create_sheet("codebook")
    for j, col in enumerate(table.columns, start=1):
        put(ws_codebook, 1, j, col, bold=True)
    for i, record in enumerate(table.itertuples(index=False), start=2):
        for j, value in enumerate(record, start=1):
            put(ws_codebook, i, j, value, wrap=True)
    for letter, width in zip("ABCD", (22, 28, 70, 60), strict=True):
        ws_codebook.column_dimensions[letter].width = width

    ws_about = wb.create_sheet("about")
    put(ws_about, 1, 1, "key", bold=True)
    put(ws_about, 1, 2, "value", bold=True)
    for i, (key, value) in enumerate(about.items(), start=2):
        put(ws_about, i, 1, key)
        put(ws_about, i, 2, value, wrap=True)
    ws_about.column_dimensions["A"].width = 16
    ws_about.column_dimensions["B"].width = 90
    wb.save(path)


# --------------------------------------------------------------------------- reading sheets


def _read_rows(path: Path, caller: str) -> tuple[list[str], list[tuple[int, list]], list | None]:
    """Header, ``(spreadsheet row number, cells)`` per row and, for xlsx, the codebook's frames."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
        first = text.split("\n", 1)[0]
        sep = max([",", ";", "\t"], key=first.count)
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
        if not records:
            return [], [], None
        return records[0], list(enumerate(records[1:], start=2)), None
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb["coding"] if "coding" in wb.sheetnames else wb.worksheets[0]
            rows = [list(r) for r in ws.iter_rows(min_row=1, values_only=True)]
            frames = None
            if "codebook" in wb.sheetnames:
                cb = [list(r) for r in wb["codebook"].iter_rows(min_row=1, values_only=True)]
                if cb and cb[0] and cb[0][0] == "frame":
                    frames = [str(r[0]).strip() for r in cb[1:] if r and r[0] not in (None, "")]
        finally:
            wb.close()
        if not rows:
            return [], [], frames
        header = ["" if v is None else str(v) for v in rows[0]]
        return header, list(enumerate(rows[1:], start=2)), frames
    raise ValueError(
        f"{caller}(): cannot read {path.name}: unsupported file type {path.suffix!r}. "
        "Save the sheet as .xlsx or .csv."
    )


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _code(value: object) -> float | None:
    """0/1 as float, NaN for blank, None for anything else."""
    if _blank(value):
        return np.nan
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value) if value in (0, 1) else None
    if isinstance(value, str) and value.strip() in ("0", "1", "0.0", "1.0"):
        return float(value.strip())
    return None


def _coder_from_name(path: Path) -> str:
    stem = path.stem
    return stem.rsplit("_", 1)[1] if "_" in stem and stem.rsplit("_", 1)[1] else stem


def _sample_ids(sample: object, caller: str) -> tuple[dict[str, str] | None, list[str] | None]:
    """Unit id -> doc id of the sample, and the sample's frame columns when it is a sheet."""
    if sample is None:
        return None, None
    if isinstance(sample, str | Path):
        path = Path(sample)
        header, rows, _ = _read_rows(path, caller)
        if "unit_id" not in header:
            raise ValueError(f"{caller}(): sample file {path.name} has no 'unit_id' column.")
        table = pd.DataFrame([r + [None] * (len(header) - len(r)) for _, r in rows], columns=header)
        table = table[table["unit_id"].map(lambda v: not _blank(v))]
        sample = table.astype({"unit_id": str})
    if isinstance(sample, pd.DataFrame):
        check_table(
            sample,
            caller,
            "sample",
            ["unit_id"],
            "Pass the table returned by coding_sheet(), its CSV, or a list of unit ids.",
        )
        ids = sample["unit_id"].astype(str)
        docs = sample["doc_id"].astype(str) if "doc_id" in sample else ids.map(doc_id_of)
        frames = [c for c in sample.columns if c not in SHEET_FIXED]
        return dict(zip(ids, docs, strict=True)), frames or None
    if isinstance(sample, Iterable):
        ids = [str(u) for u in sample]
        return {u: doc_id_of(u) for u in ids}, None
    raise TypeError(
        f"{caller}(): sample must be the coding_sheet() table, a path to it or a list of unit ids, "
        f"got {type(sample).__name__}."
    )


def _fail(caller: str, what: str, problems: list[str], fix: str) -> None:
    shown = problems[:10]
    more = f"; ... and {len(problems) - 10} more" if len(problems) > 10 else ""
    raise ValueError(f"{caller}(): {what}: " + "; ".join(shown) + more + f". {fix}")


def read_codings(
    paths: str | Path | Iterable[str | Path],
    sample: object = None,
    *,
    frames: object = None,
    blank: str = "missing",
) -> pd.DataFrame:
    """Read filled coding sheets (CSV or Excel) into one long, validated table.

    Parameters
    ----------
    paths : path or list of paths
        One or more filled sheets written by :func:`coding_sheet` (``.xlsx`` or ``.csv``; CSV may
        be comma-, semicolon- or tab-separated). In a workbook, the sheet named ``coding`` is read
        (else the first one).
    sample : DataFrame, path or list of str, optional
        The sample that was coded (the table :func:`coding_sheet` returned, its file, or the unit
        ids). When given, units outside it are an error.
    frames : list of str, mapping or Codebook, optional
        The valid frame ids. Defaults to the frame columns of ``sample``, else to the ``codebook``
        sheet of each workbook, else to the frame columns of the first file.
    blank : {"missing", "zero"}, default "missing"
        How a blank frame cell is read. ``"missing"``: not coded (NaN). ``"zero"``: 0, for coders
        who only type the 1s; a row with no 0/1 at all still counts as not coded.

    Returns
    -------
    pandas.DataFrame
        :data:`CODINGS_COLUMNS`: ``unit_id, doc_id, coder, frame, value`` (value 0.0, 1.0 or
        NaN) and ``inclusion_prob`` (from the sheet; NaN for sheets without it), one row per
        unit, coder and frame, sorted by coder, unit and frame.

    Notes
    -----
    The coder id is taken from a ``coder`` column when the sheet has one (every row with codes
    must then name its coder). Otherwise it is the part of the file name after its last
    underscore: ``sheet_coderA.xlsx`` -> ``coderA``; a name without an underscore is used whole
    (``anna.csv`` -> ``anna``).

    Every problem is reported with the file, the row number as a spreadsheet shows it (the header
    is row 1), the column and the value: unknown frame columns (with a did-you-mean), values other
    than 0/1/blank, units not in the sample, and a unit coded twice by the same coder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> _ = pd.DataFrame({"unit_id": ["a", "b"], "ceasefire": [1, ""], "notes": ""}).to_csv(
    ...     tmp / "sheet_anna.csv", index=False)
    >>> read_codings(tmp / "sheet_anna.csv")
      unit_id doc_id coder      frame  value  inclusion_prob
    0       a      a  anna  ceasefire    1.0             NaN
    1       b      b  anna  ceasefire    NaN             NaN
    """
    caller = "read_codings"
    if blank not in ("missing", "zero"):
        raise ValueError(f"{caller}(): blank must be 'missing' or 'zero', got {blank!r}.")
    if isinstance(paths, str | Path):
        paths = [paths]
    paths = [Path(p) for p in paths]
    if not paths:
        raise ValueError(f"{caller}(): no files given. Pass the path(s) of the filled sheet(s).")
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"{caller}(): no file {path}. Check the path of the sheet.")
    sample_docs, sample_frames = _sample_ids(sample, caller)
    known = (
        list(frame_table(frames, None, caller)["frame"]) if frames is not None else sample_frames
    )

    records, seen = [], {}
    bad_values, bad_units, dupes, no_id, no_coder = [], [], [], [], []
    first_frames = None
    for path in paths:
        header, rows, book_frames = _read_rows(path, caller)
        header = [str(h).strip() for h in header]
        if "unit_id" not in header:
            raise ValueError(
                f"{caller}(): {path.name} has no 'unit_id' column in row 1 (found "
                f"{', '.join(h for h in header if h) or 'nothing'}). Read the sheet written by "
                "coding_sheet() and keep its header row."
            )
        twice = sorted({h for h in header if h and header.count(h) > 1})
        if twice:
            raise ValueError(
                f"{caller}(): {path.name} has the column(s) {', '.join(map(repr, twice))} more "
                "than once in row 1. Keep one column per frame."
            )
        cols = {h: j for j, h in enumerate(header) if h}
        frame_cols = [h for h in header if h and h not in SHEET_FIXED]
        valid = known or book_frames or first_frames
        if valid is None:
            first_frames = valid = frame_cols
        unknown = [c for c in frame_cols if c not in valid]
        if unknown:
            c = unknown[0]
            raise ValueError(
                f"{caller}(): {path.name} has a column {c!r} (row 1, column "
                f"{header.index(c) + 1}) that is not a frame.{suggest(c, valid)} Frames: "
                f"{', '.join(valid)}. Rename the column to its frame id or delete it."
            )
        absent = [f for f in valid if f not in frame_cols]
        if absent:
            raise ValueError(
                f"{caller}(): {path.name} has no column for frame(s) {', '.join(map(repr, absent))}."
                " Restore the column(s) from the original sheet (leave the cells blank if that "
                "frame was not coded)."
            )
        unnamed = [j for j, h in enumerate(header) if not h]
        file_coder = _coder_from_name(path)
        for rownum, cells in rows:
            cells = list(cells) + [None] * (len(header) - len(cells))
            if all(_blank(v) for v in cells):
                continue
            for j in [*unnamed, *range(len(header), len(cells))]:
                if not _blank(cells[j]):
                    bad_values.append(
                        f"{path.name} row {rownum}, column {j + 1} (no header): {cells[j]!r}"
                    )
            unit = cells[cols["unit_id"]]
            if _blank(unit):
                no_id.append(f"{path.name} row {rownum}")
                continue
            unit = str(unit).strip()
            if "coder" in cols:
                coder = cells[cols["coder"]]
                if _blank(coder):
                    if any(not _blank(cells[cols[f]]) for f in frame_cols):
                        no_coder.append(f"{path.name} row {rownum}")
                    continue
                coder = str(coder).strip()
            else:
                coder = file_coder
            if sample_docs is not None and unit not in sample_docs:
                hint = suggest(unit, sample_docs).strip() if len(sample_docs) <= 5000 else ""
                bad_units.append(
                    f"{path.name} row {rownum}: {unit!r}" + (f" ({hint})" if hint else "")
                )
                continue
            key = (coder, unit)
            if key in seen:
                dupes.append(f"{unit!r} by {coder!r} in {seen[key]} and {path.name} row {rownum}")
                continue
            seen[key] = f"{path.name} row {rownum}"
            values = {}
            for frame in frame_cols:
                raw = cells[cols[frame]]
                value = _code(raw)
                if value is None:
                    bad_values.append(f"{path.name} row {rownum}, column {frame!r}: {raw!r}")
                values[frame] = value
            if blank == "zero" and any(v is not None and not np.isnan(v) for v in values.values()):
                values = {f: 0.0 if v is not None and np.isnan(v) else v for f, v in values.items()}
            if "doc_id" in cols and not _blank(cells[cols["doc_id"]]):
                doc = str(cells[cols["doc_id"]]).strip()
            elif sample_docs is not None:
                doc = sample_docs[unit]
            else:
                doc = doc_id_of(unit)
            pi = np.nan
            if "inclusion_prob" in cols and not _blank(cells[cols["inclusion_prob"]]):
                raw = cells[cols["inclusion_prob"]]
                pi = pd.to_numeric(pd.Series([str(raw).strip()]), errors="coerce").iloc[0]
                if not 0 < pi <= 1:
                    bad_values.append(
                        f"{path.name} row {rownum}, column 'inclusion_prob': {raw!r} (must be in "
                        "(0, 1]; restore it from the original sheet)"
                    )
            for order, frame in enumerate(valid):
                records.append((unit, doc, coder, frame, values[frame], float(pi), order))
    if bad_values:
        _fail(
            caller,
            f"{len(bad_values)} cell(s) hold something other than 0, 1 or blank",
            bad_values,
            "Type 1 (frame present), 0 (absent) or leave the cell blank (not coded).",
        )
    if no_id:
        _fail(
            caller,
            "rows with codes but no unit_id",
            no_id,
            "Restore the unit_id from the original sheet.",
        )
    if no_coder:
        _fail(
            caller,
            "rows with codes but an empty 'coder' cell",
            no_coder,
            "Fill in the coder, or delete the 'coder' column to take it from the file name.",
        )
    if bad_units:
        _fail(
            caller,
            f"{len(bad_units)} unit(s) are not in the sample",
            bad_units,
            "Check the unit_id cells against the original sheet.",
        )
    if dupes:
        _fail(
            caller,
            "units coded twice by the same coder",
            dupes,
            "Keep one row per unit and coder (rename a file if two coders share a name).",
        )
    table = pd.DataFrame(records, columns=[*CODINGS_COLUMNS, "_order"])
    table = table.sort_values(["coder", "unit_id", "_order"], kind="mergesort")
    table = table.drop(columns="_order").reset_index(drop=True)
    table["value"] = table["value"].astype("float64")
    table["inclusion_prob"] = table["inclusion_prob"].astype("float64")
    for col in ("unit_id", "doc_id", "coder", "frame"):
        table[col] = table[col].astype(str)
    return table


# --------------------------------------------------------------------------- conversions


def as_codings(table: pd.DataFrame, coder: str | None = None) -> pd.DataFrame:
    """Turn a gold or FrameCodes table (``unit_id, frame, present``) into a codings table.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table with ``unit_id``, ``frame`` and ``present`` (0/1/NaN), e.g.
        :func:`framelab.load_sample_gold` or a FrameCodes table.
    coder : str, optional
        The coder id; defaults to the table's ``coder`` column.

    Returns
    -------
    pandas.DataFrame
        :data:`CODINGS_COLUMNS` as returned by :func:`read_codings` (``inclusion_prob`` from the
        table's column of that name, else NaN).

    Examples
    --------
    >>> gold = pd.DataFrame({"unit_id": ["a", "a"], "frame": ["x", "y"], "present": [1, 0]})
    >>> as_codings(gold, coder="gold")
      unit_id doc_id coder frame  value  inclusion_prob
    0       a      a  gold     x    1.0             NaN
    1       a      a  gold     y    0.0             NaN
    """
    caller = "as_codings"
    check_table(
        table,
        caller,
        "table",
        ["unit_id", "frame", "present"],
        "Pass a long table such as framelab.load_sample_gold(level='paragraph').",
    )
    if coder is None and "coder" not in table.columns:
        raise ValueError(
            f"{caller}(): the table has no 'coder' column; name the coder: "
            "as_codings(table, coder='coder1')."
        )
    out = pd.DataFrame(
        {
            "unit_id": table["unit_id"].astype(str).to_numpy(),
            "doc_id": (
                table["doc_id"].astype(str)
                if "doc_id" in table.columns
                else table["unit_id"].map(doc_id_of)
            ).to_numpy(),
            "coder": str(coder) if coder is not None else table["coder"].astype(str).to_numpy(),
            "frame": table["frame"].astype(str).to_numpy(),
            "value": pd.to_numeric(table["present"]).astype("float64").to_numpy(),
            "inclusion_prob": (
                pd.to_numeric(table["inclusion_prob"]).astype("float64").to_numpy()
                if "inclusion_prob" in table.columns
                else np.nan
            ),
        }
    )
    bad = out["value"].notna() & ~out["value"].isin([0.0, 1.0])
    if bad.any():
        raise ValueError(
            f"{caller}(): 'present' must be 0, 1 or missing; found "
            f"{out.loc[bad, 'value'].iloc[0]!r} for unit {out.loc[bad, 'unit_id'].iloc[0]!r}."
        )
    return out


def consensus(
    codings: pd.DataFrame, *, coder: str | None = None, ties: str = "error"
) -> pd.DataFrame:
    """Gold labels from a codings table: one coder's codes or the majority of the coders.

    Parameters
    ----------
    codings : pandas.DataFrame
        ``unit_id, doc_id, coder, frame, value`` (from :func:`read_codings`).
    coder : str, optional
        Take this coder's codes (e.g. after adjudication). Default: majority vote per unit and
        frame over the coders who coded it.
    ties : {"error", "drop"}, default "error"
        What to do with unit-frame pairs whose vote is tied: raise (listing them, so they can be
        adjudicated) or leave them out of the gold standard.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, unit_id, frame, present`` (int 0/1), the shape of
        :func:`framelab.load_sample_gold`, plus ``inclusion_prob`` (carried from the sheet; NaN
        when unknown) for weighted corrected estimates; uncoded pairs are left out.

    Examples
    --------
    >>> codings = pd.DataFrame({"unit_id": ["a"] * 3, "doc_id": "a", "coder": ["p", "q", "r"],
    ...                         "frame": "x", "value": [1.0, 1.0, 0.0]})
    >>> consensus(codings)
      doc_id unit_id frame  present  inclusion_prob
    0      a       a     x        1             NaN
    """
    caller = "consensus"
    check_table(
        codings, caller, "codings", _CODINGS_NEEDED, "Pass the table returned by read_codings()."
    )
    if ties not in ("error", "drop"):
        raise ValueError(f"{caller}(): ties must be 'error' or 'drop', got {ties!r}.")
    data = codings[codings["value"].notna()]
    if coder is not None:
        coders = sorted(codings["coder"].astype(str).unique())
        if coder not in coders:
            raise ValueError(
                f"{caller}(): no coder {coder!r}.{suggest(coder, coders)} "
                f"Coders: {', '.join(coders)}."
            )
        data = data[data["coder"] == coder]
    frame_order = {f: i for i, f in enumerate(pd.unique(codings["frame"]))}
    if "inclusion_prob" not in data.columns:
        data = data.assign(inclusion_prob=np.nan)
    votes = (
        data.groupby(["unit_id", "frame"], sort=False)
        .agg(
            doc_id=("doc_id", "first"),
            ones=("value", "sum"),
            n=("value", "size"),
            inclusion_prob=("inclusion_prob", "first"),
        )
        .reset_index()
    )
    tied = votes[votes["ones"] * 2 == votes["n"]]
    if len(tied) and ties == "error":
        shown = ", ".join(f"{u}/{f}" for u, f in zip(tied["unit_id"], tied["frame"], strict=True))
        raise ValueError(
            f"{caller}(): {len(tied)} unit-frame pair(s) have a tied vote ({shown[:300]}). "
            "Adjudicate them and pass coder='<adjudicator>', or pass ties='drop'."
        )
    if len(tied):
        logger.info("consensus(): dropped %d tied unit-frame pairs", len(tied))
    votes = votes[votes["ones"] * 2 != votes["n"]].copy()
    votes["present"] = (votes["ones"] * 2 > votes["n"]).astype("int64")
    votes["_f"] = votes["frame"].map(frame_order)
    votes = votes.sort_values(["unit_id", "_f"], kind="mergesort")
    return votes[["doc_id", "unit_id", "frame", "present", "inclusion_prob"]].reset_index(drop=True)
