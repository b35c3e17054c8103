"""Automated codes against gold labels: precision, recall, F1 with bootstrap CIs; the errors."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framelab._errors import suggest
from framelab.validate._common import (
    boot_counts,
    check_boot,
    check_table,
    doc_id_of,
    level_of,
    percentile_ci,
    safe_ratio,
)

__all__ = ["ACCURACY_COLUMNS", "ERROR_COLUMNS", "accuracy", "errors"]

logger = logging.getLogger(__name__)

#: Columns of the table returned by :func:`accuracy`.
ACCURACY_COLUMNS = (
    "frame",
    "level",
    "codebook",
    "n_units",
    "support",
    "tp",
    "fp",
    "fn",
    "precision",
    "precision_low",
    "precision_high",
    "recall",
    "recall_low",
    "recall_high",
    "f1",
    "f1_low",
    "f1_high",
)
#: Columns of the table returned by :func:`errors`.
ERROR_COLUMNS = ("doc_id", "unit_id", "frame", "error", "terms")

_CODES_HINT = (
    "Pass a FrameCodes table (framelab.code_frames() or "
    "SupervisedBaseline.predict_codes()) with unit_id, frame and present."
)
_GOLD_HINT = (
    "Pass gold labels in long form (unit_id, frame, present), e.g. "
    "framelab.load_sample_gold() or consensus(read_codings(...))."
)


@dataclass
class _Aligned:
    frames: list
    units: np.ndarray
    doc_ids: np.ndarray
    code: np.ndarray  # units x frames, 0/1
    gold: np.ndarray  # units x frames, 0/1
    valid: np.ndarray  # units x frames, bool (gold known)
    level: str
    codebook: str

    @property
    def tp(self) -> np.ndarray:
        return ((self.code == 1) & (self.gold == 1) & self.valid).astype(float)

    @property
    def fp(self) -> np.ndarray:
        return ((self.code == 1) & (self.gold == 0) & self.valid).astype(float)

    @property
    def fn(self) -> np.ndarray:
        return ((self.code == 0) & (self.gold == 1) & self.valid).astype(float)


def _binary(series: pd.Series, what: str, caller: str, allow_missing: bool) -> pd.Series:
    values = pd.to_numeric(series, errors="coerce").astype("float64")
    bad = (values.isna() & series.notna()) | (values.notna() & ~values.isin([0.0, 1.0]))
    if not allow_missing:
        bad |= series.isna()
    if bad.any():
        raise ValueError(
            f"{caller}(): {what} 'present' must be 0 or 1"
            f"{' (or missing)' if allow_missing else ''}; found "
            f"{series[bad].iloc[0]!r}."
        )
    return values


def align(codes: pd.DataFrame, gold: pd.DataFrame, level: str | None, caller: str) -> _Aligned:
    """Match codes to gold labels unit by unit and frame by frame."""
    check_table(codes, caller, "codes", ("unit_id", "frame", "present"), _CODES_HINT)
    check_table(gold, caller, "gold", ("unit_id", "frame", "present"), _GOLD_HINT)
    if "level" in codes.columns:
        levels = list(pd.unique(codes["level"].astype(str)))
        if level is not None:
            if level not in levels:
                raise ValueError(
                    f"{caller}(): codes hold no {level!r} units (levels: "
                    f"{', '.join(levels)}). Code the corpus at level={level!r}."
                )
            codes = codes[codes["level"] == level]
        elif len(levels) > 1:
            raise ValueError(
                f"{caller}(): codes mix levels {', '.join(levels)}; pick one with "
                f"level={levels[0]!r}."
            )
        else:
            level = levels[0] if levels else None
    if level is None:
        level = level_of(gold["unit_id"])
    codebook = "codes"
    if "codebook" in codes.columns and len(codes):
        books = list(pd.unique(codes["codebook"].astype(str)))
        if len(books) > 1:
            raise ValueError(
                f"{caller}(): codes come from several codebooks ({', '.join(books)}); "
                "evaluate one at a time: codes[codes['codebook'] == ...]."
            )
        codebook = books[0]
    for name, table in (("codes", codes), ("gold", gold)):
        dup = table.duplicated(["unit_id", "frame"])
        if dup.any():
            row = table[dup].iloc[0]
            raise ValueError(
                f"{caller}(): {name} has two rows for unit {row['unit_id']!r} and "
                f"frame {row['frame']!r}. Keep one row per unit and frame."
            )
    gold = gold.assign(_present=_binary(gold["present"], "gold", caller, allow_missing=True))
    gold = gold[gold["_present"].notna()]
    codes = codes.assign(_present=_binary(codes["present"], "codes", caller, allow_missing=False))
    frames = list(pd.unique(gold["frame"].astype(str)))
    code_frames = set(codes["frame"].astype(str))
    missing = [f for f in frames if f not in code_frames]
    if missing:
        raise ValueError(
            f"{caller}(): gold frame {missing[0]!r} has no codes."
            f"{suggest(missing[0], code_frames)} Codes cover: "
            f"{', '.join(sorted(code_frames)) or 'nothing'}. Use the codebook the gold labels "
            "were made for, or drop the frame from gold."
        )
    extra = sorted(code_frames - set(frames))
    if extra:
        logger.info(
            "%s(): frames without gold labels are not evaluated: %s", caller, ", ".join(extra)
        )
    merged = (
        gold[["unit_id", "frame", "_present"]]
        .astype({"unit_id": str, "frame": str})
        .merge(
            codes[["unit_id", "frame", "_present"]].astype({"unit_id": str, "frame": str}),
            on=["unit_id", "frame"],
            how="left",
            suffixes=("_gold", "_code"),
        )
    )
    lost = merged["_present_code"].isna()
    if lost.any():
        example = merged.loc[lost, "unit_id"].iloc[0]
        raise ValueError(
            f"{caller}(): {int(lost.sum())} gold unit-frame pair(s) have no code (e.g. unit "
            f"{example!r}). The codes are at level {level!r}; gold unit ids look like "
            f"{level_of(gold['unit_id'])!r} units. Code the same units as the gold labels."
        )
    units = np.array(sorted(merged["unit_id"].unique()), dtype=object)
    u_index = pd.Index(units)
    f_index = pd.Index(frames)
    rows = u_index.get_indexer(merged["unit_id"])
    cols = f_index.get_indexer(merged["frame"])
    shape = (len(units), len(frames))
    code, truth = np.zeros(shape), np.zeros(shape)
    valid = np.zeros(shape, dtype=bool)
    code[rows, cols] = merged["_present_code"].to_numpy()
    truth[rows, cols] = merged["_present_gold"].to_numpy()
    valid[rows, cols] = True
    if "doc_id" in gold.columns:
        first = gold.drop_duplicates("unit_id")
        docs = pd.Series(
            first["doc_id"].astype(str).to_numpy(), index=first["unit_id"].astype(str).to_numpy()
        )
        doc_ids = docs.reindex(units).to_numpy(dtype=object)
    else:
        doc_ids = np.array([doc_id_of(u) for u in units], dtype=object)
    return _Aligned(frames, units, doc_ids, code, truth, valid, str(level), codebook)


def _scores(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> dict[str, np.ndarray]:
    """Precision, recall and F1 (last axis: frames, then macro, then micro)."""
    precision = safe_ratio(tp, tp + fp)
    recall = safe_ratio(tp, tp + fn)
    f1 = safe_ratio(2 * tp, 2 * tp + fp + fn)
    out = {}
    for name, per_frame in (("precision", precision), ("recall", recall), ("f1", f1)):
        finite = np.isfinite(per_frame)
        macro = safe_ratio(np.where(finite, per_frame, 0).sum(axis=-1), finite.sum(axis=-1))
        out[name] = np.concatenate([per_frame, macro[..., None]], axis=-1)
    tps, fps, fns = tp.sum(axis=-1), fp.sum(axis=-1), fn.sum(axis=-1)
    micro = {
        "precision": safe_ratio(tps, tps + fps),
        "recall": safe_ratio(tps, tps + fns),
        "f1": safe_ratio(2 * tps, 2 * tps + fps + fns),
    }
    return {k: np.concatenate([v, micro[k][..., None]], axis=-1) for k, v in out.items()}


def accuracy(
    codes: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    level: str | None = None,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Precision, recall and F1 of automated codes against gold labels, with bootstrap CIs.

    Parameters
    ----------
    codes : pandas.DataFrame
        FrameCodes-shaped: ``unit_id, frame, present`` (0/1); ``level`` and ``codebook`` are used
        when present.
    gold : pandas.DataFrame
        Gold labels in long form: ``unit_id, frame, present`` (0/1; missing = not coded, left out).
        Only the gold units are evaluated; every one of them needs a code.
    level : {"document", "paragraph"}, optional
        Keep only codes of this level. Defaults to the codes' single level (or a guess from the
        unit ids when the codes have no ``level`` column).
    n_boot : int, default 1000
        Bootstrap replicates; units are resampled (the same draw for all frames).
    ci : float, default 0.95
        Confidence level of the percentile intervals.
    seed : int, default 0
        Seed of the bootstrap.

    Returns
    -------
    pandas.DataFrame
        One row per gold frame, then ``macro`` (mean over frames of the per-frame metric) and
        ``micro`` (metric of the pooled counts): ``frame, level, codebook, n_units, support, tp,
        fp, fn, precision, precision_low, precision_high, recall, recall_low, recall_high, f1,
        f1_low, f1_high``. ``support`` is the number of gold positives. A metric whose denominator
        is 0 (e.g. precision when the codes never fire) is NaN.

    Notes
    -----
    ``precision = tp / (tp + fp)``, ``recall = tp / (tp + fn)``,
    ``F1 = 2 tp / (2 tp + fp + fn)``. Bootstrap replicates in which a metric is undefined are
    skipped for its interval.

    References
    ----------
    Grimmer, J., & Stewart, B. M. (2013). Text as data: The promise and pitfalls of automatic
    content analysis methods for political texts. Political Analysis, 21(3), 267-297.

    Examples
    --------
    >>> gold = pd.DataFrame({"unit_id": list("abcd"), "frame": "x", "present": [1, 1, 0, 0]})
    >>> codes = gold.assign(present=[1, 0, 1, 0])
    >>> table = accuracy(codes, gold, n_boot=100)
    >>> table[["frame", "support", "tp", "fp", "fn", "precision", "recall", "f1"]]
       frame  support  tp  fp  fn  precision  recall   f1
    0      x        2   1   1   1        0.5     0.5  0.5
    1  macro        2   1   1   1        0.5     0.5  0.5
    2  micro        2   1   1   1        0.5     0.5  0.5
    """
    caller = "accuracy"
    check_boot(n_boot, ci, caller)
    data = align(codes, gold, level, caller)
    return _accuracy_table(data, n_boot, ci, seed)


def _accuracy_table(data: _Aligned, n_boot: int, ci: float, seed: int) -> pd.DataFrame:
    tp, fp, fn = data.tp, data.fp, data.fn
    point = _scores(tp.sum(axis=0), fp.sum(axis=0), fn.sum(axis=0))
    weights = boot_counts(np.random.default_rng(seed), len(data.units), n_boot)
    boot = _scores(weights @ tp, weights @ fp, weights @ fn)
    frames = [*data.frames, "macro", "micro"]
    counts = {"tp": tp.sum(axis=0), "fp": fp.sum(axis=0), "fn": fn.sum(axis=0)}
    table = pd.DataFrame({"frame": frames, "level": data.level, "codebook": data.codebook})
    n_units = data.valid.sum(axis=0)
    table["n_units"] = np.append(n_units, [data.valid.any(axis=1).sum()] * 2).astype("int64")
    support = tp.sum(axis=0) + fn.sum(axis=0)
    table["support"] = np.append(support, [support.sum()] * 2).astype("int64")
    for key, value in counts.items():
        table[key] = np.append(value, [value.sum()] * 2).astype("int64")
    for name in ("precision", "recall", "f1"):
        low, high = percentile_ci(boot[name], ci)
        table[name] = point[name]
        table[f"{name}_low"] = low
        table[f"{name}_high"] = high
    return table[list(ACCURACY_COLUMNS)]


def errors(
    codes: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    level: str | None = None,
    hits: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The units where automated codes and gold labels disagree: false positives and negatives.

    Parameters
    ----------
    codes, gold, level
        As in :func:`accuracy`.
    hits : pandas.DataFrame, optional
        A Hits table (``doc_id, unit_id, frame, term, start, end, negated``) from coding at the
        same level as ``codes``. When given, ``terms`` lists, per unit and frame, the terms that
        matched, in text order, each once; a negated match is shown as ``"term (negated)"``. For a
        false positive these are the terms that misfired; for a false negative, usually nothing or
        only negated matches.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, unit_id, frame, error, terms``; ``error`` is ``"false_positive"`` (coded, not in
        gold) or ``"false_negative"`` (in gold, not coded). ``terms`` is a tuple of strings when
        ``hits`` is given (empty when no term matched) and None otherwise. Sorted by frame (gold
        order), error type and unit.

    Examples
    --------
    >>> gold = pd.DataFrame({"unit_id": list("abc"), "frame": "x", "present": [1, 0, 0]})
    >>> codes = gold.assign(present=[0, 1, 0])
    >>> hits = pd.DataFrame({"doc_id": ["b", "b"], "unit_id": ["b", "b"], "frame": "x",
    ...                      "term": ["truce", "truce"], "start": [0, 9], "end": [5, 14],
    ...                      "negated": [False, False]})
    >>> errors(codes, gold, hits=hits)
      doc_id unit_id frame           error     terms
    0      b       b     x  false_positive  (truce,)
    1      a       a     x  false_negative        ()
    """
    caller = "errors"
    data = align(codes, gold, level, caller)
    kinds = (("false_positive", data.fp), ("false_negative", data.fn))
    rows = []
    for j, frame in enumerate(data.frames):
        for kind, matrix in kinds:
            for i in np.flatnonzero(matrix[:, j]):
                rows.append((data.doc_ids[i], data.units[i], frame, kind))
    table = pd.DataFrame(rows, columns=list(ERROR_COLUMNS[:-1]))
    for col in table.columns:
        table[col] = table[col].astype(str)
    if hits is None:
        table["terms"] = pd.Series([None] * len(table), dtype=object)
        return table
    check_table(
        hits,
        caller,
        "hits",
        ("unit_id", "frame", "term", "start", "negated"),
        "Pass the Hits table of the coding run that produced the codes.",
    )
    ordered = hits.sort_values(["unit_id", "frame", "start"], kind="mergesort")
    labels = [
        f"{t} (negated)" if bool(n) else str(t)
        for t, n in zip(ordered["term"], ordered["negated"], strict=True)
    ]
    grouped: dict[tuple[str, str], list[str]] = {}
    for unit, frame, label in zip(
        ordered["unit_id"].astype(str), ordered["frame"].astype(str), labels, strict=True
    ):
        terms = grouped.setdefault((unit, frame), [])
        if label not in terms:
            terms.append(label)
    table["terms"] = pd.Series(
        [
            tuple(grouped.get((u, f), ()))
            for u, f in zip(table["unit_id"], table["frame"], strict=True)
        ],
        dtype=object,
    )
    return table
