"""Stability across seeds: ARI / NMI and Hungarian-matched topic overlap, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelab.topics import TopicConfig, TopicFit, compare_topic_fits, topic_stability

UNITS = [f"u{k}" for k in range(6)]


def _fit(topics, words, seed):
    assignments = pd.DataFrame(
        {
            "unit_id": UNITS,
            "doc_id": UNITS,
            "topic": topics,
            "probability": np.nan,
            "assigned_by": "fit",
        }
    )
    ids = sorted(set(topics))
    info = pd.DataFrame(
        {
            "topic": ids,
            "label": [f"{t}: x" for t in ids],
            "size": [topics.count(t) for t in ids],
            "share": 0.5,
            "top_words": "",
            "guided_by": "",
        }
    )
    rows = [(t, r, w, 1.0 - r / 10) for t in ids for r, w in enumerate(words[t], start=1)]
    return TopicFit(
        model=None,
        config=TopicConfig(preset="fast", seed=seed),
        assignments=assignments,
        info=info,
        words=pd.DataFrame(rows, columns=["topic", "rank", "word", "weight"]),
        representatives=pd.DataFrame(),
        embedding={},
        corpus_sha256="",
        tag="t",
    )


A = _fit([0, 0, 0, 1, 1, 1], {0: "abc", 1: "def"}, seed=0)
B = _fit([1, 1, 1, 0, 0, 0], {1: "abc", 0: "def"}, seed=1)  # A with the labels swapped
C = _fit([0, 0, 1, 1, 1, 1], {0: "abx", 1: "cdef"}, seed=2)  # u2 moved, one word changed


def test_identical_fits_score_one_everywhere():
    report = compare_topic_fits([A, A])
    assert report.pairs[["ari", "nmi", "unit_overlap", "word_overlap"]].values.tolist() == [
        [1.0, 1.0, 1.0, 1.0]
    ]
    assert report.topics["stable"].all()


def test_stability_is_blind_to_topic_numbering():
    row = compare_topic_fits([A, B]).pairs.iloc[0]
    assert (row["ari"], row["nmi"], row["unit_overlap"], row["word_overlap"]) == (1, 1, 1, 1)


def test_stability_values_by_hand():
    report = compare_topic_fits([A, B, C])
    ac = report.pairs.set_index(["seed_a", "seed_b"]).loc[(0, 2)]
    # contingency A x C = [[2, 1], [0, 3]]: sum C(n_ij, 2) = 4, rows 6, cols 7, C(6, 2) = 15
    # ARI = (4 - 6*7/15) / ((6 + 7)/2 - 6*7/15) = 1.2 / 3.7
    assert ac["ari"] == pytest.approx(1.2 / 3.7)
    # Hungarian matching on unit Jaccard: A0-C0 = 2/3, A1-C1 = 3/4 (not A0-C1 = 1/6)
    assert ac["unit_overlap"] == pytest.approx((2 / 3 + 3 / 4) / 2)
    # words of matched topics: {a,b,c} vs {a,b,x} = 2/4, {d,e,f} vs {c,d,e,f} = 3/4
    assert ac["word_overlap"] == pytest.approx((0.5 + 0.75) / 2)
    topics = report.topics.set_index("topic")
    np.testing.assert_allclose(
        topics[["unit_overlap", "word_overlap", "min_unit_overlap", "min_word_overlap"]],
        [[5 / 6, 0.75, 2 / 3, 0.5], [7 / 8, 7 / 8, 3 / 4, 3 / 4]],
    )
    assert topics["stable"].tolist() == [True, True]
    strict = compare_topic_fits([A, B, C], threshold=0.8)
    assert strict.topics["stable"].tolist() == [False, True]
    assert strict.describe().startswith(
        "1 of 2 topics are stable across 3 seeds (mean unit and word overlap >= 0.8): 1; "
        "unstable: 0."
    )
    assert strict.summary()[["n_fits", "n_topics", "n_stable"]].values.tolist() == [[3, 2, 1]]


def test_compare_topic_fits_errors():
    with pytest.raises(ValueError, match="need at least two fits"):
        compare_topic_fits([A])
    other = _fit([0, 0, 0, 1, 1, 1], {0: "abc", 1: "def"}, seed=5)
    other.assignments["unit_id"] = [f"v{k}" for k in range(6)]
    with pytest.raises(ValueError, match="fit 1 was fitted on other units"):
        compare_topic_fits([A, other])


def test_topic_stability_refits_with_consecutive_seeds(toy):
    report = topic_stability(
        toy, {"preset": "fast", "n_topics": 3, "use_cache": False, "seed": 4}, seeds=3
    )
    assert report.seeds == [4, 5, 6]
    assert len(report.pairs) == 3
    assert report.pairs["ari"].tolist() == [1.0, 1.0, 1.0]  # three clean themes
    with pytest.raises(ValueError, match="at least two distinct seeds"):
        topic_stability(toy, {"preset": "fast"}, seeds=[1, 1])
