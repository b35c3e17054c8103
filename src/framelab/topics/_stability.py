"""Stability across seeds: refit with k seeds, compare assignments and matched topics."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._config import TopicConfig
from ._fit import TopicFit, fit_topics

__all__ = [
    "PAIR_COLUMNS",
    "STABILITY_COLUMNS",
    "StabilityReport",
    "compare_topic_fits",
    "topic_stability",
]

logger = logging.getLogger(__name__)

#: Columns of :attr:`StabilityReport.pairs`.
PAIR_COLUMNS = ("seed_a", "seed_b", "ari", "nmi", "unit_overlap", "word_overlap")
#: Columns of :attr:`StabilityReport.topics`.
STABILITY_COLUMNS = (
    "topic",
    "label",
    "size",
    "unit_overlap",
    "word_overlap",
    "min_unit_overlap",
    "min_word_overlap",
    "stable",
)


def _jaccard(sets_a: list[set], sets_b: list[set]) -> np.ndarray:
    out = np.zeros((len(sets_a), len(sets_b)))
    for i, a in enumerate(sets_a):
        for j, b in enumerate(sets_b):
            union = len(a | b)
            out[i, j] = len(a & b) / union if union else 0.0
    return out


def _topic_sets(fit: TopicFit, top_n: int) -> tuple[list[int], list[set], list[set]]:
    topics = [t for t in fit.topic_ids if t != -1]
    assigned = fit.assignments
    units = [set(assigned.loc[assigned["topic"] == t, "unit_id"]) for t in topics]
    words = fit.words[fit.words["rank"] <= top_n]
    word_sets = [set(words.loc[words["topic"] == t, "word"]) for t in topics]
    return topics, units, word_sets


def _match(fit_a: TopicFit, fit_b: TopicFit, top_n: int) -> pd.DataFrame:
    """Hungarian matching of A's topics to B's on unit Jaccard: topic_a, unit and word overlap."""
    from scipy.optimize import linear_sum_assignment

    topics_a, units_a, words_a = _topic_sets(fit_a, top_n)
    topics_b, units_b, words_b = _topic_sets(fit_b, top_n)
    unit_j = _jaccard(units_a, units_b)
    word_j = _jaccard(words_a, words_b)
    unit_ov = np.zeros(len(topics_a))
    word_ov = np.zeros(len(topics_a))
    if topics_a and topics_b:
        rows, cols = linear_sum_assignment(-unit_j)
        unit_ov[rows] = unit_j[rows, cols]
        word_ov[rows] = word_j[rows, cols]
    return pd.DataFrame({"topic": topics_a, "unit_overlap": unit_ov, "word_overlap": word_ov})


@dataclass(eq=False)
class StabilityReport:
    """How stable topics are across refits with different seeds.

    Attributes
    ----------
    pairs : pandas.DataFrame
        One row per pair of fits: ``seed_a, seed_b``, ``ari`` (adjusted Rand index) and ``nmi``
        (normalised mutual information) between the unit assignments (outliers are a label
        of their own), ``unit_overlap`` and ``word_overlap``: mean Jaccard overlap of the
        units / top words of A's topics with their matched topics in B (0 when unmatched).
    topics : pandas.DataFrame
        One row per topic of the reference fit (the first seed): ``topic, label, size``, mean
        and minimum ``unit_overlap`` / ``word_overlap`` with its matched topic over the other
        fits, and ``stable`` (both means >= ``threshold``).
    seeds : list of int
        Seeds of the fits, reference first.
    threshold : float
        Overlap a stable topic must reach.

    Notes
    -----
    Topics of two fits are matched one-to-one by the Hungarian algorithm
    (``scipy.optimize.linear_sum_assignment``) on the Jaccard overlap of their units; the
    word overlap is then read for the matched pairs. Outliers (-1) are never matched.

    Examples
    --------
    >>> from framelab.topics import fit_topics
    >>> from framelab.topics._toy import toy_corpus
    >>> toy = toy_corpus()
    >>> fit = fit_topics(toy, {"preset": "fast", "n_topics": 3, "use_cache": False})
    >>> report = compare_topic_fits([fit, fit])
    >>> report.seeds, report.topics["stable"].tolist()
    ([0, 0], [True, True, True])
    """

    pairs: pd.DataFrame
    topics: pd.DataFrame
    seeds: list[int]
    threshold: float

    def summary(self) -> pd.DataFrame:
        """One row: ``n_fits, mean_ari, min_ari, mean_nmi, n_topics, n_stable``."""
        return pd.DataFrame(
            [
                {
                    "n_fits": len(self.seeds),
                    "mean_ari": float(self.pairs["ari"].mean()),
                    "min_ari": float(self.pairs["ari"].min()),
                    "mean_nmi": float(self.pairs["nmi"].mean()),
                    "n_topics": len(self.topics),
                    "n_stable": int(self.topics["stable"].sum()),
                }
            ]
        )

    def describe(self) -> str:
        """A sentence for the notebook: which topics are stable across seeds, which are not."""
        stable = self.topics.loc[self.topics["stable"], "topic"].tolist()
        unstable = self.topics.loc[~self.topics["stable"], "topic"].tolist()
        summary = self.summary().iloc[0]
        return (
            f"{len(stable)} of {len(self.topics)} topics are stable across {len(self.seeds)} "
            f"seeds (mean unit and word overlap >= {self.threshold:g}): "
            f"{', '.join(map(str, stable)) or 'none'}; unstable: "
            f"{', '.join(map(str, unstable)) or 'none'}. Assignments agree with mean ARI "
            f"{summary['mean_ari']:.2f} (min {summary['min_ari']:.2f}) and NMI "
            f"{summary['mean_nmi']:.2f}."
        )

    def __repr__(self) -> str:
        return f"StabilityReport({self.describe()})"


def compare_topic_fits(
    fits: Sequence[TopicFit], *, top_n: int = 10, threshold: float = 0.5
) -> StabilityReport:
    """Compare fits of the same units (e.g. different seeds); the first is the reference.

    Examples
    --------
    >>> from framelab.topics._toy import toy_corpus
    >>> fit = fit_topics(toy_corpus(), {"preset": "fast", "n_topics": 3, "use_cache": False})
    >>> report = compare_topic_fits([fit, fit])
    >>> report.pairs[["ari", "nmi", "unit_overlap", "word_overlap"]].to_numpy().tolist()
    [[1.0, 1.0, 1.0, 1.0]]
    >>> report.describe()
    '3 of 3 topics are stable across 2 seeds (mean unit and word overlap >= 0.5): 0, 1, 2; unstable: none. Assignments agree with mean ARI 1.00 (min 1.00) and NMI 1.00.'
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    fits = list(fits)
    if len(fits) < 2:
        raise ValueError(f"compare_topic_fits(): need at least two fits, got {len(fits)}.")
    if not all(isinstance(f, TopicFit) for f in fits):
        raise TypeError("compare_topic_fits(): every item must be a TopicFit.")
    ref_units = fits[0].assignments["unit_id"].tolist()
    for k, f in enumerate(fits[1:], start=1):
        if f.assignments["unit_id"].tolist() != ref_units:
            raise ValueError(
                f"compare_topic_fits(): fit {k} was fitted on other units than fit 0; stability "
                "compares fits of the same corpus and level."
            )
    seeds = [int(f.config.seed) for f in fits]
    pair_rows = []
    for a, b in itertools.combinations(range(len(fits)), 2):
        ta = fits[a].assignments["topic"].to_numpy()
        tb = fits[b].assignments["topic"].to_numpy()
        matched = _match(fits[a], fits[b], top_n)
        pair_rows.append(
            (
                seeds[a],
                seeds[b],
                float(adjusted_rand_score(ta, tb)),
                float(normalized_mutual_info_score(ta, tb)),
                float(matched["unit_overlap"].mean()) if len(matched) else 0.0,
                float(matched["word_overlap"].mean()) if len(matched) else 0.0,
            )
        )
    pairs = pd.DataFrame(pair_rows, columns=list(PAIR_COLUMNS)).astype(
        {"seed_a": "int64", "seed_b": "int64"}
    )

    ref = fits[0]
    per = pd.concat([_match(ref, other, top_n) for other in fits[1:]], ignore_index=True)
    agg = (
        per.groupby("topic")
        .agg(
            unit_overlap=("unit_overlap", "mean"),
            word_overlap=("word_overlap", "mean"),
            min_unit_overlap=("unit_overlap", "min"),
            min_word_overlap=("word_overlap", "min"),
        )
        .reset_index()
    )
    info = ref.info[ref.info["topic"] != -1][["topic", "label", "size"]]
    topics = info.merge(agg, on="topic", how="left")
    topics["stable"] = (topics["unit_overlap"] >= threshold) & (topics["word_overlap"] >= threshold)
    return StabilityReport(
        pairs=pairs,
        topics=topics[list(STABILITY_COLUMNS)].reset_index(drop=True),
        seeds=seeds,
        threshold=threshold,
    )


def topic_stability(
    corpus: pd.DataFrame,
    config: TopicConfig | Mapping[str, Any] | None = None,
    *,
    seeds: int | Sequence[int] = 5,
    top_n: int = 10,
    threshold: float = 0.5,
    **fit_kwargs: Any,
) -> StabilityReport:
    """Fit the same model with several seeds and report which topics survive.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The Corpus.
    config : TopicConfig or dict, optional
        Settings; only ``seed`` changes between fits.
    seeds : int or list of int, default 5
        Number of fits (seeds ``config.seed, config.seed + 1, ...``) or the seeds themselves.
        The first seed's fit is the reference whose topics are reported.
    top_n : int, default 10
        Top words compared per topic.
    threshold : float, default 0.5
        Mean overlap a topic needs to count as stable.
    **fit_kwargs
        Passed to :func:`fit_topics` (``seed_topics=...``, ``embeddings=...``).

    Returns
    -------
    StabilityReport

    Examples
    --------
    >>> from framelab.topics._toy import toy_corpus
    >>> report = topic_stability(toy_corpus(), {"preset": "fast", "n_topics": 3,
    ...                          "use_cache": False}, seeds=3)
    >>> report.seeds, report.topics["stable"].tolist()
    ([0, 1, 2], [True, True, True])
    """
    cfg = TopicConfig.coerce(config, "topic_stability")
    if isinstance(seeds, int):
        if seeds < 2:
            raise ValueError(f"topic_stability(): seeds must be at least 2, got {seeds}.")
        seed_list = [cfg.seed + i for i in range(seeds)]
    else:
        seed_list = [int(s) for s in seeds]
        if len(seed_list) < 2 or len(set(seed_list)) != len(seed_list):
            raise ValueError(
                f"topic_stability(): seeds must hold at least two distinct seeds, got {seeds!r}."
            )
    fits = []
    for seed in seed_list:
        fits.append(fit_topics(corpus, cfg.replace(seed=seed), **fit_kwargs))
        logger.info("stability: fitted seed %d", seed)
    return compare_topic_fits(fits, top_n=top_n, threshold=threshold)
