"""Hit audits: read a random sample of each frame's hits in context to estimate its precision.

Reading random hits (a KWIC validation) estimates how many of a frame's matches really carry the
frame without full gold coding of units (``METHODS.md``, "Auditing hits"; Song et al. 2020).
:func:`audit_sheet` draws the sample, stratified by frame (and optionally by a group such as the
outlet, since precision may differ between outlets) and writes it for a reader;
:func:`read_audit` turns the filled sheet into precision with Wilson intervals, the estimated
number of false hits in the corpus and the codebook entries that produced them.

References
----------
Song, H., Tolochko, P., Eberl, J.-M., et al. (2020). In validations we trust? The impact of
imperfect human annotations as a gold standard on the quality of validation of automated content
analysis. *Political Communication* 37(4), 550-572.
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
*JASA* 22(158), 209-212.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from framelab._errors import suggest
from framelab._intervals import wilson_interval
from framelab.io.manifest import ensure_writable
from framelab.validate._common import framelab_version
from framelab.validate._sheets import _blank, _read_rows, _stem

__all__ = ["AUDIT_COLUMNS", "AUDIT_SHEET_COLUMNS", "audit_sheet", "read_audit"]

logger = logging.getLogger(__name__)

#: Columns of the sheet written by :func:`audit_sheet` (``correct`` and ``note`` are filled in).
AUDIT_SHEET_COLUMNS = (
    "audit_id",
    "frame",
    "group",
    "stratum_hits",
    "doc_id",
    "unit_id",
    "term",
    "left",
    "match",
    "right",
    "correct",
    "note",
)
#: Columns of the table returned by :func:`read_audit`.
AUDIT_COLUMNS = (
    "frame",
    "group",
    "n_hits",
    "n_read",
    "n_correct",
    "precision",
    "precision_low",
    "precision_high",
    "false_hits",
    "false_hits_low",
    "false_hits_high",
    "false_terms",
    "ci_level",
    "method",
)
_YES = {"yes", "y", "1", "true", "correct", "1.0"}
_NO = {"no", "n", "0", "false", "wrong", "0.0"}
_INSTRUCTIONS = (
    "Each row is one hit of one frame, shown in context (left | match | right). Type yes in "
    "'correct' if this passage, read in context, really carries the frame named in 'frame' (see "
    "the codebook), no if the match is a false hit. Judge only the named frame. Use 'note' for "
    "comments. Leave 'correct' blank for hits you did not read. Do not edit the other columns."
)


def audit_sheet(
    coded: object,
    n_per_frame: int = 30,
    *,
    by: str | None = None,
    seed: int = 0,
    out: str | Path = "data/processed/audit/hits",
    window: int = 25,
) -> pd.DataFrame:
    """Draw a random sample of each frame's hits (per group with ``by``) into an audit sheet.

    Two files are written: ``<out>.csv`` and ``<out>.xlsx`` (sheets ``audit``, with ``correct``
    restricted to yes/no, and ``about``: seed, sizes, instructions).

    Parameters
    ----------
    coded : framelab.coding.Coded
        The result of :func:`framelab.code_frames` (its hits, texts and codes).
    n_per_frame : int, default 30
        Hits drawn per frame (per frame and group with ``by``) without replacement; a stratum
        with fewer hits gives all of them.
    by : str, optional
        A metadata column of the codes (e.g. ``"outlet"``) to stratify by as well.
    seed : int, default 0
        Seed of the draw; same coding and seed, same sheet.
    out : str or Path
        Path stem of the files (``.csv``/``.xlsx`` suffixes are dropped). Refuses ``data/raw``.
    window : int, default 25
        Words of context on each side of the match.

    Returns
    -------
    pandas.DataFrame
        :data:`AUDIT_SHEET_COLUMNS`: ``audit_id`` (``A0001``...), ``frame``, ``group`` (the
        ``by`` value, ``"all"`` without ``by``), ``stratum_hits`` (hits of the frame in that
        group: the population the sample stands for), the hit's ``doc_id``, ``unit_id``,
        ``term`` (codebook entry), ``left``/``match``/``right`` context, and empty ``correct``,
        ``note``. Rows are sorted by frame (codebook order), group, then at random.

    Notes
    -----
    Negated hits (flagged by the coder) are left out: they do not make a unit carry the frame.
    Each stratum is a simple random sample of its hits, so the share of correct hits read
    estimates the stratum's precision without bias.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from framelab import code_frames, load_codebook
    >>> from framelab.datasets import load_sample
    >>> coded = code_frames(load_sample(), load_codebook("peace_talks"))
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> sheet = audit_sheet(coded, 5, by="perspective", seed=1, out=tmp / "audit")
    >>> sheet.groupby("frame", sort=False).size().head(2).to_dict()
    {'ceasefire': 30, 'negotiations': 30}
    >>> sorted(p.name for p in tmp.iterdir())
    ['audit.csv', 'audit.xlsx']
    """
    caller = "audit_sheet"
    hits, texts, codes = _parts(coded, caller)
    if isinstance(n_per_frame, bool) or not isinstance(n_per_frame, (int, np.integer)):
        raise ValueError(
            f"{caller}(): n_per_frame must be a positive integer, got {n_per_frame!r}."
        )
    if n_per_frame < 1:
        raise ValueError(
            f"{caller}(): n_per_frame must be a positive integer, got {n_per_frame!r}."
        )
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"{caller}(): seed must be an integer, got {seed!r}.")
    hits = hits[~hits["negated"].astype(bool)].reset_index(drop=True)
    if by is not None:
        if by not in codes.columns:
            raise ValueError(
                f"{caller}(): by={by!r} is not a column of the codes.{suggest(by, codes.columns, 'by')} "
                f"Columns: {', '.join(map(str, codes.columns))}."
            )
        group_of = codes.drop_duplicates("unit_id").set_index("unit_id")[by].astype(str)
        hits = hits.assign(group=hits["unit_id"].map(group_of).fillna("<missing>"))
    else:
        hits = hits.assign(group="all")
    if hits.empty:
        raise ValueError(f"{caller}(): the coding has no (non-negated) hits to audit.")
    order = {f: i for i, f in enumerate(pd.unique(codes["frame"].astype(str)))}
    hits = hits.assign(_o=hits["frame"].map(order).fillna(len(order)))
    rng = np.random.default_rng(seed)
    picked, sizes = [], []
    for _, stratum in hits.groupby(["_o", "frame", "group"], sort=True):
        k = min(int(n_per_frame), len(stratum))
        take = rng.choice(len(stratum), size=k, replace=False)
        picked.append(stratum.iloc[take])
        sizes.append(np.full(k, len(stratum)))
    sample = pd.concat(picked, ignore_index=True)
    rows = []
    for rec in sample.itertuples(index=False):
        text = texts[rec.doc_id]
        left = " ".join(text[: rec.start].split()[-window:]) if window else ""
        right = " ".join(text[rec.end :].split()[:window]) if window else ""
        rows.append((rec.frame, rec.group, rec.doc_id, rec.unit_id, rec.term, left,
                     text[rec.start : rec.end], right))  # fmt: skip
    sheet = pd.DataFrame(rows, columns=["frame", "group", "doc_id", "unit_id", "term", "left",
                                        "match", "right"])  # fmt: skip
    sheet.insert(0, "audit_id", [f"A{i:04d}" for i in range(1, len(sheet) + 1)])
    sheet.insert(3, "stratum_hits", np.concatenate(sizes).astype("int64"))
    sheet["correct"], sheet["note"] = "", ""
    sheet = sheet[list(AUDIT_SHEET_COLUMNS)]
    stem = _stem(out)
    csv_path = ensure_writable(stem.with_name(stem.name + ".csv"))
    xlsx_path = ensure_writable(stem.with_name(stem.name + ".xlsx"))
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    sheet.to_csv(csv_path, index=False, encoding="utf-8-sig", lineterminator="\n")
    about = {
        "seed": int(seed),
        "n_per_frame": int(n_per_frame),
        "by": by or "none",
        "window": int(window),
        "created_with": f"framelab {framelab_version()}",
        "instructions": _INSTRUCTIONS,
    }
    _write_xlsx(xlsx_path, sheet, about)
    logger.info("audit_sheet(): wrote %d hits to %s and %s", len(sheet), csv_path, xlsx_path)
    return sheet


def _parts(coded: object, caller: str):
    need = ("hits", "texts", "codes")
    if isinstance(coded, pd.DataFrame) or not all(hasattr(coded, a) for a in need):
        raise TypeError(
            f"{caller}(): expected the result of framelab.code_frames() (with hits, texts and "
            f"codes), got {type(coded).__name__}. A FrameCodes table alone has no hits to read."
        )
    return coded.hits, coded.texts, coded.codes


def _write_xlsx(path: Path, sheet: pd.DataFrame, about: dict) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "audit"
    columns = list(sheet.columns)
    for j, col in enumerate(columns, start=1):
        ws.cell(row=1, column=j, value=col).font = Font(bold=True)
    for i, record in enumerate(sheet.itertuples(index=False), start=2):
        for j, value in enumerate(record, start=1):
            value = value.item() if hasattr(value, "item") else value
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = ws.cell(row=i, column=j, value=value if value != "" else None)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
            if columns[j - 1] in ("left", "right"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    col = get_column_letter(columns.index("correct") + 1)
    rule = DataValidation(type="list", formula1='"yes,no"', allow_blank=True)
    rule.add(f"{col}2:{col}{len(sheet) + 1}")
    ws.add_data_validation(rule)
    widths = {"left": 50, "match": 18, "right": 50, "note": 30, "term": 16}
    for j, name in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = widths.get(name, 12)
    ws.freeze_panes = "H2"
    about_ws = wb.create_sheet("about")
    for i, (key, value) in enumerate(about.items(), start=1):
        about_ws.cell(row=i, column=1, value=key)
        about_ws.cell(row=i, column=2, value=value)
    wb.save(path)


def _verdict(value: object) -> float | None:
    """1.0 (correct), 0.0 (false hit), NaN (blank) or None (unreadable)."""
    if _blank(value):
        return np.nan
    if isinstance(value, bool | np.bool_):
        return float(value)
    text = str(value).strip().lower()
    return 1.0 if text in _YES else 0.0 if text in _NO else None


def read_audit(path: str | Path, *, ci: float = 0.95) -> pd.DataFrame:
    """Precision per frame (and group) from a filled audit sheet, with Wilson intervals.

    Parameters
    ----------
    path : str or Path
        The ``.csv`` or ``.xlsx`` written by :func:`audit_sheet`, with ``correct`` filled in
        (yes/no; also y/n, 1/0, true/false). Blank rows were not read and are left out.
    ci : float, default 0.95
        Confidence level of the Wilson score interval.

    Returns
    -------
    pandas.DataFrame
        :data:`AUDIT_COLUMNS`, one row per frame and group: ``n_hits`` (the stratum's hits in
        the corpus), ``n_read``, ``n_correct``, ``precision`` = ``n_correct / n_read`` with its
        Wilson interval, ``false_hits`` = ``(1 - precision) * n_hits`` (the estimated number of
        false hits in the corpus) with the interval carried over from the precision bounds,
        ``false_terms`` (the codebook entries of the false hits read, ``"term (k)"``, most
        frequent first), ``ci_level`` and ``method`` (``"wilson"``).

    Raises
    ------
    ValueError
        If a column is missing or a ``correct`` cell is neither yes nor no (the message names
        the spreadsheet row).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp()) / "audit.csv"
    >>> rows = pd.DataFrame({"audit_id": ["A1", "A2", "A3", "A4"], "frame": "ceasefire",
    ...     "group": "all", "stratum_hits": 120, "doc_id": "d", "unit_id": "d",
    ...     "term": ["truce", "truce", "halt*", "truce"], "left": "", "match": "", "right": "",
    ...     "correct": ["yes", "yes", "no", "yes"], "note": ""})
    >>> rows.to_csv(tmp, index=False)
    >>> read_audit(tmp)[["frame", "n_read", "precision", "false_hits", "false_terms"]]
           frame  n_read  precision  false_hits false_terms
    0  ceasefire       4       0.75        30.0   halt* (1)
    """
    caller = "read_audit"
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{caller}(): no audit sheet at {path}.")
    header, rows, _ = _read_rows(path, caller)
    header = [str(h).strip() for h in header]
    missing = [c for c in AUDIT_SHEET_COLUMNS if c not in header]
    if missing:
        raise ValueError(
            f"{caller}(): {path.name} lacks the column(s) {', '.join(map(repr, missing))}."
            f"{suggest(missing[0], header)} Read the sheet written by audit_sheet() without "
            "renaming its columns."
        )
    pos = {c: header.index(c) for c in AUDIT_SHEET_COLUMNS}
    records = []
    for line, cells in rows:
        cells = list(cells) + [None] * (len(header) - len(cells))
        if all(_blank(c) for c in cells):
            continue
        verdict = _verdict(cells[pos["correct"]])
        if verdict is None:
            raise ValueError(
                f"{caller}(): {path.name} row {line} (audit_id {cells[pos['audit_id']]!r}): "
                f"'correct' must be yes or no, got {cells[pos['correct']]!r}. Type yes, no, or "
                "leave it blank for a hit not read."
            )
        hits = pd.to_numeric(pd.Series([cells[pos["stratum_hits"]]]), errors="coerce").iloc[0]
        if pd.isna(hits) or hits < 1:
            raise ValueError(
                f"{caller}(): {path.name} row {line}: stratum_hits must be a positive count, got "
                f"{cells[pos['stratum_hits']]!r}. Do not edit the columns audit_sheet() filled."
            )
        records.append(
            (str(cells[pos["frame"]]), str(cells[pos["group"]]), int(hits),
             str(cells[pos["term"]]), verdict)
        )  # fmt: skip
    table = pd.DataFrame(records, columns=["frame", "group", "n_hits", "term", "ok"])
    read = table[table["ok"].notna()]
    if read.empty:
        raise ValueError(f"{caller}(): no row of {path.name} has 'correct' filled in.")
    out = []
    for (frame, group), rows_ in read.groupby(["frame", "group"], sort=False):
        n_read, n_ok = len(rows_), int(rows_["ok"].sum())
        n_hits = int(rows_["n_hits"].max())
        low, high = (float(v) for v in wilson_interval(n_ok, n_read, ci))
        wrong = rows_.loc[rows_["ok"] == 0, "term"].value_counts(sort=False)
        wrong = wrong.sort_values(ascending=False, kind="stable")
        out.append(
            {
                "frame": frame,
                "group": group,
                "n_hits": n_hits,
                "n_read": n_read,
                "n_correct": n_ok,
                "precision": n_ok / n_read,
                "precision_low": low,
                "precision_high": high,
                "false_hits": (1 - n_ok / n_read) * n_hits,
                "false_hits_low": (1 - high) * n_hits,
                "false_hits_high": (1 - low) * n_hits,
                "false_terms": "; ".join(f"{t} ({k})" for t, k in wrong.items()),
                "ci_level": float(ci),
                "method": "wilson",
            }
        )
    result = pd.DataFrame(out, columns=list(AUDIT_COLUMNS))
    for col in ("n_hits", "n_read", "n_correct"):
        result[col] = result[col].astype("int64")
    return result
