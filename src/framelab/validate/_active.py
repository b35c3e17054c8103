"""Active learning and label checks for a supervised coder: what to hand-code next, which gold
labels deserve a second look."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from framelab.validate._common import check_table, frame_table, framelab_version

__all__ = ["DESIGN_COLUMNS", "SUSPECT_COLUMNS", "STRATEGIES", "next_to_code", "suspect_labels"]

logger = logging.getLogger(__name__)

#: Ways of choosing the units to hand-code next.
STRATEGIES = ("uncertainty", "disagreement", "random")
#: Columns :func:`next_to_code` appends to the coding table it returns (and writes to
#: ``<out>-design.csv``); the sheet given to coders stays blind.
DESIGN_COLUMNS = ("strategy", "target_frame", "score", "drawn_at_random", "inclusion_prob")
#: Columns of :func:`suspect_labels`.
SUSPECT_COLUMNS = (
    "unit_id",
    "doc_id",
    "frame",
    "gold",
    "probability",
    "threshold",
    "margin",
    "self_confidence",
)


def _excluded(exclude: object) -> set[str]:
    if exclude is None:
        return set()
    if isinstance(exclude, pd.DataFrame):
        check_table(exclude, "next_to_code", "exclude", ["unit_id"], "Pass the gold labels.")
        return set(exclude["unit_id"].astype(str))
    if isinstance(exclude, str) or not isinstance(exclude, Iterable):
        raise TypeError(
            "next_to_code(): exclude must be gold labels (a DataFrame with unit_id) or a list of "
            f"unit ids, got {type(exclude).__name__}."
        )
    return {str(u) for u in exclude}


def _round_robin(order_by_frame: list[np.ndarray], k: int, taken: set[int]) -> list[tuple]:
    """Up to ``k`` ``(row, frame index)``: the best remaining unit of each frame in turn."""
    picks: list[tuple] = []
    pos = [0] * len(order_by_frame)
    while len(picks) < k:
        progressed = False
        for j, order in enumerate(order_by_frame):
            while pos[j] < len(order) and order[pos[j]] in taken:
                pos[j] += 1
            if pos[j] < len(order) and len(picks) < k:
                row = int(order[pos[j]])
                taken.add(row)
                picks.append((row, j))
                progressed = True
        if not progressed:
            break
    return picks


def next_to_code(
    corpus: pd.DataFrame,
    coder,
    n: int = 50,
    *,
    strategy: str = "uncertainty",
    random_share: float = 0.3,
    exclude: object = None,
    codebook=None,
    seed: int = 0,
    out: str | Path = "data/processed/coding/next",
    descriptions=None,
) -> pd.DataFrame:
    """Choose the units to hand-code next and write them as a blind coding sheet.

    A share of the units (``random_share``) is a simple random sample of the pool (units of
    ``corpus`` not in ``exclude``); the rest is chosen by ``strategy``:

    * ``"uncertainty"``: units whose probability is closest to the frame's threshold, taking the
      closest remaining unit of each frame in turn (balanced across frames);
    * ``"disagreement"``: units the dictionary (``codebook``, default the coder's hybrid codebook)
      and the supervised coder code differently, frame by frame in turn, the most uncertain
      first (then the most uncertain units, if disagreements run out);
    * ``"random"``: all ``n`` at random.

    The random rows keep the new gold usable for design-based (corrected) estimates: they are
    marked ``drawn_at_random`` with their ``inclusion_prob = n_random / n_pool``; the targeted
    rows have ``inclusion_prob`` NaN.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The corpus to choose from (a Corpus).
    coder : SupervisedCoder
        A fitted coder; its level is the unit of the sheet (document or paragraph).
    n : int, default 50
        Units to choose.
    strategy : {"uncertainty", "disagreement", "random"}
    random_share : float, default 0.3
        Share of the ``n`` units drawn at random (rounded to the nearest unit).
    exclude : DataFrame or list of str, optional
        Units already coded (gold labels or unit ids); they are not chosen.
    codebook : Codebook or str, optional
        Dictionary of the ``"disagreement"`` strategy.
    seed : int, default 0
        Seed of the random draw and of the presentation order.
    out : str or Path
        Path stem: ``<out>.csv`` and ``<out>.xlsx`` as :func:`coding_sheet` writes them, plus
        ``<out>-design.csv`` (``unit_id`` and ``DESIGN_COLUMNS``).
    descriptions : mapping, optional
        Frame descriptions for the codebook sheet (as in :func:`coding_sheet`).

    Returns
    -------
    pandas.DataFrame
        The coding table as written (``unit_id, doc_id, order, text``, a column per frame,
        ``notes``) followed by ``DESIGN_COLUMNS``: ``strategy`` (how the row was chosen:
        ``random`` or the strategy), ``target_frame`` (the frame it was chosen for),
        ``score`` (``|probability - threshold|`` of that frame), ``drawn_at_random``,
        ``inclusion_prob``. It can be passed as ``sample=`` to :func:`read_codings`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from framelab.datasets import load_sample, load_sample_gold
    >>> from framelab.learn import SupervisedCoder
    >>> corpus, gold = load_sample(), load_sample_gold()
    >>> coder = SupervisedCoder(char_ngrams=None, cv=3).fit(corpus.iloc[:200],
    ...     gold[gold["doc_id"].isin(corpus["doc_id"].iloc[:200])])
    >>> sheet = next_to_code(corpus, coder, n=20, exclude=gold[gold["doc_id"] <= "S0200"],
    ...                      out=pathlib.Path(tempfile.mkdtemp()) / "next")
    >>> int(sheet["drawn_at_random"].sum()), sheet["strategy"].value_counts().to_dict()
    (6, {'uncertainty': 14, 'random': 6})
    """
    from framelab.validate._sheets import write_sheet

    caller = "next_to_code"
    coder._check_fitted(caller)
    if coder.level not in ("document", "paragraph"):
        raise ValueError(
            f"{caller}(): the coder works at level {coder.level!r}; coding sheets hold documents "
            "or paragraphs. Fit a SupervisedCoder(level='paragraph') for the sheet."
        )
    if strategy not in STRATEGIES:
        from framelab._errors import suggest

        raise ValueError(
            f"{caller}(): strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}."
            f"{suggest(str(strategy), STRATEGIES, 'strategy')}"
        )
    if not (isinstance(random_share, int | float) and 0 <= random_share <= 1):
        raise ValueError(f"{caller}(): random_share must be between 0 and 1, got {random_share!r}.")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"{caller}(): n must be a positive integer, got {n!r}.")
    prep = coder._prepare(corpus, caller)
    done = _excluded(exclude)
    pool = np.flatnonzero(~prep.units["unit_id"].isin(done).to_numpy())
    if n > len(pool):
        raise ValueError(
            f"{caller}(): n={n} is more than the {len(pool)} {coder.level} units not yet coded."
        )
    rng = np.random.default_rng(seed)
    n_random = int(n) if strategy == "random" else int(round(n * random_share))
    random_rows = np.sort(rng.choice(pool, size=n_random, replace=False))
    taken = set(random_rows.tolist())
    thr = coder.linear_.threshold
    proba = coder._proba(prep.take(pool))
    dist = np.abs(proba - thr)  # pool rows x frames
    picks: list[tuple] = []
    if strategy != "random":
        shuffle = rng.permutation(len(pool))  # ties (e.g. a constant frame) in random order
        order = [
            pool[shuffle[np.argsort(dist[shuffle, j], kind="stable")]]
            for j in range(len(coder.frames_))
        ]
        if strategy == "disagreement":
            from framelab.coding import code_frames

            book = codebook if codebook is not None else coder.codebook_
            if book is None:
                raise ValueError(
                    f"{caller}(): strategy='disagreement' needs the dictionary: pass codebook=."
                )
            dic = code_frames(corpus, book, level=coder.level, progress=False).to_wide("present")
            dic = dic.set_index("unit_id").reindex(prep.units["unit_id"].iloc[pool])
            sup = proba >= thr
            disagree = []
            for j, frame in enumerate(coder.frames_):
                if frame not in dic.columns:
                    raise ValueError(
                        f"{caller}(): frame {frame!r} of the coder is not in the codebook."
                    )
                differs = dic[frame].fillna(0).to_numpy() > 0
                differs = differs != sup[:, j]
                rows = np.flatnonzero(differs)
                disagree.append(pool[rows[np.argsort(dist[rows, j], kind="stable")]])
            picks = _round_robin(disagree, n - n_random, taken)
        picks += _round_robin(order, n - n_random - len(picks), taken)
    pool_pos = {row: i for i, row in enumerate(pool)}
    rows = [*random_rows.tolist(), *(r for r, _ in picks)]
    design = pd.DataFrame(
        {
            "unit_id": prep.units["unit_id"].to_numpy()[rows],
            "strategy": ["random"] * n_random + [strategy] * len(picks),
            "target_frame": [None] * n_random + [coder.frames_[j] for _, j in picks],
            "score": [np.nan] * n_random + [dist[pool_pos[r], j] for r, j in picks],
            "drawn_at_random": [True] * n_random + [False] * len(picks),
            "inclusion_prob": [n_random / len(pool)] * n_random + [np.nan] * len(picks),
        }
    )
    shown = rng.permutation(len(rows))
    design = design.iloc[shown].reset_index(drop=True)
    sample = pd.DataFrame(
        {
            "unit_id": design["unit_id"],
            "doc_id": prep.units["doc_id"].to_numpy()[rows][shown],
            "text": [prep.texts[rows[i]] for i in shown],
        }
    )
    frames = coder.codebook_ if coder.codebook_ is not None else coder.frames_
    table = frame_table(frames, descriptions, caller)
    table = table[table["frame"].isin(coder.frames_)]
    about = {
        "seed": int(seed),
        "n": int(n),
        "level": coder.level,
        "strategy": strategy,
        "random_share": float(random_share),
        "n_random": n_random,
        "n_population": len(pool),
        "model": coder.model_id_,
        "created_with": f"framelab {framelab_version()}",
        "instructions": (
            "Code every unit as in coding_sheet(): 1 if the unit carries the frame, 0 if not."
        ),
    }
    sheet = write_sheet(sample, table, about, out, caller)
    from framelab.validate._sheets import _stem

    stem = _stem(out)
    design.to_csv(stem.with_name(stem.name + "-design.csv"), index=False, lineterminator="\n")
    return pd.concat([sheet, design.drop(columns="unit_id")], axis=1)


def suspect_labels(
    corpus: pd.DataFrame,
    gold: pd.DataFrame,
    coder,
    *,
    folds: int = 5,
    seed: int | None = None,
    max_rows: int | None = None,
) -> pd.DataFrame:
    """Gold labels that cross-validated predictions contradict most: candidates for a second look.

    Confident-learning style (Northcutt et al. 2021): each gold unit gets the probability of a
    coder (``coder``'s settings) fitted on the other ``folds`` (whole documents, or identical
    texts with ``group_by="text"``, per fold), and
    the threshold of that fold's coder. A label is suspect when the out-of-fold code contradicts
    it: gold 1 with probability below the threshold, or gold 0 with probability at or above it.
    Nothing is relabelled.

    Returns
    -------
    pandas.DataFrame
        ``SUSPECT_COLUMNS``: ``gold`` (the label), ``probability`` and ``threshold`` (out of
        fold), ``margin`` (how far the probability is on the wrong side of the threshold, >= 0),
        ``self_confidence`` (probability of the given label: ``p`` for 1, ``1 - p`` for 0),
        sorted by ``self_confidence`` ascending (the label the predictions support least
        first: confident learning's ranking).

    References
    ----------
    Northcutt, C., Jiang, L., & Chuang, I. (2021). Confident learning: estimating uncertainty in
    dataset labels. Journal of Artificial Intelligence Research, 70, 1373-1411.

    Examples
    --------
    >>> from framelab.datasets import load_sample, load_sample_gold
    >>> from framelab.learn import SupervisedCoder
    >>> flagged = suspect_labels(load_sample(), load_sample_gold(),
    ...                          SupervisedCoder(char_ngrams=None, cv=3), folds=3)
    >>> bool((flagged["margin"] >= 0).all()), flagged["self_confidence"].is_monotonic_increasing
    (True, True)
    """
    from framelab import _learn_core as core
    from framelab._learn_eval import out_of_fold

    caller = "suspect_labels"
    if hasattr(coder, "linear_"):
        coder.check_gold_frames(gold, caller)
    coder._check_params(caller)
    seed = coder.seed if seed is None else seed
    gp, y, frames, book = coder._training_units(corpus, gold, caller)
    groups = core.groups_of(gp, coder.group_by)
    k = min(int(folds), len(set(groups)))
    fold = core.folds_of(groups, k, int(seed))
    proba = np.zeros(y.shape)
    thr = np.zeros(y.shape)
    out_of_fold(coder, gp, y, frames, book, fold, None, seed, caller, proba=proba, thr=thr)
    wrong_side = np.where(y == 1, thr - proba, proba - thr)
    suspect = np.where(y == 1, proba < thr, proba >= thr)
    r, j = np.nonzero(suspect)
    table = pd.DataFrame(
        {
            "unit_id": gp.units["unit_id"].to_numpy()[r],
            "doc_id": gp.units["doc_id"].to_numpy()[r],
            "frame": np.asarray(frames, dtype=object)[j],
            "gold": y[r, j].astype(np.int64),
            "probability": proba[r, j],
            "threshold": thr[r, j],
            "margin": np.maximum(wrong_side[r, j], 0.0),
            "self_confidence": np.where(y[r, j] == 1, proba[r, j], 1 - proba[r, j]),
        }
    )
    table = table.sort_values(["self_confidence", "unit_id"], kind="mergesort")
    table = table.reset_index(drop=True)[list(SUSPECT_COLUMNS)]
    return table if max_rows is None else table.head(max_rows)
