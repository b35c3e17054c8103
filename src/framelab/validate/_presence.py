"""Choose presence rules on gold labels by cross-validated F1, never scoring on the data that chose.

Nested logic: for each of ``cv`` folds of the gold units, the rule with the best F1 on the *other*
folds codes the held-out fold; the held-out codes of all folds, pooled, give the F1 that the
procedure "pick the best rule on gold" can be expected to reach on new units. The rule reported
for use is then the best one on all gold units (the usual refit after cross-validation).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

import numpy as np
import pandas as pd

from framelab._errors import refuse_duplicate_gold, suggest
from framelab._presence import PresenceRule, presence_stats
from framelab.validate._common import boot_counts, check_boot, percentile_ci

__all__ = ["TUNE_COLUMNS", "tune_presence"]

#: Columns of the table returned by :func:`tune_presence`.
TUNE_COLUMNS = (
    "frame",
    "min_count",
    "min_units",
    "f1",
    "f1_low",
    "f1_high",
    "f1_default",
    "n_gold",
    "support",
    "cv",
    "fold_rules",
    "ci_level",
    "n_boot",
    "seed",
)


def _f1(pred: np.ndarray, y: np.ndarray) -> np.ndarray:
    """F1 of each row of ``pred`` (rules x units, 0/1) against ``y``; NaN without positives."""
    tp = (pred * y).sum(axis=-1)
    fp = (pred * (1 - y)).sum(axis=-1)
    fn = ((1 - pred) * y).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)


def _best(pred: np.ndarray, y: np.ndarray) -> int:
    """Index of the rule with the highest F1; ties and undefined F1 go to the earliest rule."""
    f1 = _f1(pred, y)
    return int(np.argmax(np.nan_to_num(f1, nan=-1.0))) if np.isfinite(f1).any() else 0


def _fold_ids(n: int, cv: int, seed: int, frame: str) -> np.ndarray:
    """Fold of each gold unit (sorted by unit_id): a seeded permutation, dealt round-robin."""
    rng = np.random.default_rng([int(seed), zlib.crc32(str(frame).encode("utf-8"))])
    folds = np.empty(n, dtype=np.int64)
    folds[rng.permutation(n)] = np.arange(n) % cv
    return folds


def _rule_list(rules: Iterable | None, level: str, caller: str) -> list[PresenceRule]:
    if rules is None:
        units = (1, 2, 3) if level == "document" else (1,)
        return [PresenceRule(c, u) for c in (1, 2, 3, 4) for u in units]
    out = []
    for rule in rules:
        if isinstance(rule, PresenceRule):
            out.append(rule)
        elif isinstance(rule, dict):
            bad = [k for k in rule if k not in ("min_count", "min_units")]
            if bad:
                raise ValueError(
                    f"{caller}(): unknown rule key {bad[0]!r}."
                    f"{suggest(str(bad[0]), ('min_count', 'min_units'))}"
                )
            out.append(PresenceRule(**rule))
        else:
            raise TypeError(
                f"{caller}(): rules must be PresenceRule objects or dicts such as "
                f"{{'min_count': 2}}, got {rule!r}."
            )
    if not out:
        raise ValueError(f"{caller}(): rules is empty; pass at least one rule.")
    if level != "document" and any(r.min_units > 1 for r in out):
        raise ValueError(
            f"{caller}(): min_units > 1 needs document-level codes; these are {level} units."
        )
    return sorted(dict.fromkeys(out))


def tune_presence(
    coded: object,
    gold: pd.DataFrame,
    *,
    rules: Iterable | None = None,
    cv: int = 5,
    seed: int = 0,
    n_boot: int = 1000,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Pick a presence rule per frame by cross-validated F1 against gold labels.

    Parameters
    ----------
    coded : framelab.coding.Coded
        The result of :func:`framelab.code_frames` (its hits give the paragraph counts).
    gold : pandas.DataFrame
        Gold labels ``unit_id, frame, present`` for units of ``coded`` (missing = not coded).
    rules : iterable of PresenceRule or dict, optional
        Candidate rules; default ``min_count`` 1-4 x ``min_units`` 1-3 (documents) or
        ``min_count`` 1-4 (paragraphs, sentences). Ties go to the most lenient rule.
    cv : int, default 5
        Folds of the gold units (per frame, a seeded random split).
    seed : int, default 0
        Seed of the folds and of the bootstrap.
    n_boot : int, default 1000
        Bootstrap replicates (over gold units) of the held-out F1's interval.
    ci : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        :data:`TUNE_COLUMNS`, one row per gold frame: the chosen rule (``min_count``,
        ``min_units``: best F1 on all gold units), ``f1`` the cross-validated (held-out) F1 of
        choosing the rule this way, with a percentile bootstrap interval ``f1_low``/``f1_high``;
        ``f1_default`` the F1 of the default rule (one hit) on the same units, for comparison;
        ``n_gold`` (units), ``support`` (gold positives), ``cv``; ``fold_rules`` the rule each
        fold chose without seeing itself (``"2/1; 2/1; 1/1; ..."`` as ``min_count/min_units``).

    Notes
    -----
    The folds come from ``numpy.random.default_rng([seed, crc32(frame)]).permutation(n)``, dealt
    round-robin over the ``n`` gold units sorted by ``unit_id``. A held-out fold never takes part
    in choosing the rule that codes it, so ``f1`` is not inflated by the choice.

    Examples
    --------
    >>> from framelab import Codebook, code_frames
    >>> corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(10)],
    ...     "text": ["truce truce"] * 5 + ["truce"] * 5})
    >>> book = Codebook.from_dict({"name": "t", "version": "1",
    ...                            "frames": {"ceasefire": {"terms": ["truce"]}}})
    >>> coded = code_frames(corpus, book)
    >>> gold = pd.DataFrame({"unit_id": [f"d{i}" for i in range(10)], "frame": "ceasefire",
    ...                      "present": [1] * 5 + [0] * 5})
    >>> table = tune_presence(coded, gold, rules=[{"min_count": 1}, {"min_count": 2}], n_boot=200)
    >>> table[["frame", "min_count", "f1", "f1_default", "fold_rules"]]
           frame  min_count   f1  f1_default               fold_rules
    0  ceasefire          2  1.0    0.666667  2/1; 2/1; 2/1; 2/1; 2/1
    """
    caller = "tune_presence"
    check_boot(n_boot, ci, caller)
    if isinstance(cv, bool) or not isinstance(cv, (int, np.integer)) or cv < 2:
        raise ValueError(f"{caller}(): cv must be an integer >= 2, got {cv!r}.")
    if not hasattr(coded, "hits") or not hasattr(coded, "codes"):
        raise TypeError(
            f"{caller}(): expected the result of framelab.code_frames(), got "
            f"{type(coded).__name__}."
        )
    if not isinstance(gold, pd.DataFrame) or not {"unit_id", "frame", "present"} <= set(gold):
        raise ValueError(
            f"{caller}(): gold must be a table with unit_id, frame, present (e.g. "
            "consensus(read_codings(...)))."
        )
    candidates = _rule_list(rules, coded.level, caller)
    stats = presence_stats(coded).astype({"unit_id": str, "frame": str})
    labels = gold.assign(unit_id=gold["unit_id"].astype(str), frame=gold["frame"].astype(str))
    labels = labels[labels["present"].notna()]
    merged = labels[["unit_id", "frame", "present"]].merge(
        stats, on=["unit_id", "frame"], how="left"
    )
    lost = merged["count"].isna()
    if lost.any():
        row = merged[lost].iloc[0]
        raise ValueError(
            f"{caller}(): {int(lost.sum())} gold unit-frame pair(s) are not in the codes (e.g. "
            f"unit {row['unit_id']!r}, frame {row['frame']!r}). Code the same units (level "
            f"{coded.level!r}) with the codebook the gold labels were made for."
        )
    refuse_duplicate_gold(labels, caller)  # several coders' rows would leak across folds
    mc = np.array([r.min_count for r in candidates])[:, None]
    mu = np.array([r.min_units for r in candidates])[:, None]
    rows = []
    for frame, part in merged.groupby("frame", sort=False):
        part = part.sort_values("unit_id", kind="mergesort")
        y = part["present"].to_numpy(dtype=float)
        n = len(y)
        if n < cv:
            raise ValueError(
                f"{caller}(): frame {frame!r} has {n} gold units, fewer than cv={cv} folds."
            )
        pred = ((part["count"].to_numpy() >= mc) & (part["n_paragraphs"].to_numpy() >= mu)).astype(
            float
        )
        folds = _fold_ids(n, cv, seed, frame)
        held = np.empty(n)
        chosen = []
        for k in range(cv):
            test = folds == k
            pick = _best(pred[:, ~test], y[~test])
            held[test] = pred[pick, test]
            chosen.append(candidates[pick])
        w = boot_counts(
            np.random.default_rng([int(seed), 1, zlib.crc32(frame.encode())]), n, n_boot
        )
        tp, fp, fn = w @ (held * y), w @ (held * (1 - y)), w @ ((1 - held) * y)
        with np.errstate(divide="ignore", invalid="ignore"):
            reps = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)
        low, high = percentile_ci(reps, ci)
        final = candidates[_best(pred, y)]
        default = (part["count"].to_numpy() >= 1).astype(float)
        rows.append(
            {
                "frame": frame,
                "min_count": final.min_count,
                "min_units": final.min_units,
                "f1": float(_f1(held, y)),
                "f1_low": float(low[0]),
                "f1_high": float(high[0]),
                "f1_default": float(_f1(default, y)),
                "n_gold": n,
                "support": int(y.sum()),
                "cv": int(cv),
                "fold_rules": "; ".join(f"{r.min_count}/{r.min_units}" for r in chosen),
                "ci_level": float(ci),
                "n_boot": int(n_boot),
                "seed": int(seed),
            }
        )
    table = pd.DataFrame(rows, columns=list(TUNE_COLUMNS))
    for col in ("min_count", "min_units", "n_gold", "support", "cv", "n_boot", "seed"):
        table[col] = table[col].astype("int64")
    return table
