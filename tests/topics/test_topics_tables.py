"""Topic tables on a hand-made fit whose every number can be counted by eye."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelab.topics import (
    GROUP_COLUMNS,
    TIME_COLUMNS,
    TopicConfig,
    TopicFit,
    document_topics,
    outlier_sensitivity,
    outlier_share,
    topic_codes,
    topics_over_time,
    topics_per_group,
)

#          doc: a   b   c   d   e   f
TOPICS = {"a": 0, "b": 0, "c": -1, "d": 1, "e": 0, "f": 1}


def _corpus() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": list("fedcba"),  # row order must not matter
            "text": ["one two", "one two three four", "x", "a b c d e", "words here", "w1 w2 w3"],
            "outlet": ["B", "B", "B", "A", "A", "A"],
            "date": pd.to_datetime(
                ["2024-02-20", "2024-02-02", "2024-01-15", "2024-02-01", "2024-01-31", "2024-01-01"]
            ),
            "title": "t",
            "url": "u",
            "country": ["UA", "UA", "UA", "US", "US", "US"],
            "language": "en",
            "source_file": "s",
        }
    )


class _StubModel:
    """Stands in for BERTopic.reduce_outliers: outliers go to topic 1."""

    def __init__(self):
        self.calls = []

    def reduce_outliers(self, texts, topics, strategy, threshold):
        self.calls.append((texts, list(topics), strategy))
        return [1 if t == -1 else t for t in topics]


def _fit() -> TopicFit:
    ids = sorted(TOPICS)
    assignments = pd.DataFrame(
        {
            "unit_id": ids,
            "doc_id": ids,
            "topic": [TOPICS[i] for i in ids],
            "probability": np.nan,
            "assigned_by": "fit",
        }
    )
    info = pd.DataFrame(
        {
            "topic": [-1, 0, 1],
            "label": ["-1: outliers", "0: zero", "1: one"],
            "size": [1, 3, 2],
            "share": [1 / 6, 3 / 6, 2 / 6],
            "top_words": ["", "zero", "one"],
            "guided_by": "",
        }
    )
    words = pd.DataFrame(
        {"topic": [0, 1], "rank": [1, 1], "word": ["zero", "one"], "weight": [1.0, 1.0]}
    )
    reps = pd.DataFrame(columns=["topic", "rank", "unit_id", "doc_id", "similarity"])
    return TopicFit(
        model=_StubModel(),
        config=TopicConfig(preset="fast"),
        assignments=assignments,
        info=info,
        words=words,
        representatives=reps,
        embedding={"backend": "tfidf-svd"},
        corpus_sha256="0" * 64,
        tag="topics@000000000000",
    )


def test_topics_per_group_counts_and_shares():
    table = topics_per_group(_fit(), _corpus(), by="outlet")
    assert list(table.columns) == list(GROUP_COLUMNS)
    assert table[["group", "topic", "n_assigned", "n_units"]].values.tolist() == [
        ["A", -1, 1, 3],
        ["A", 0, 2, 3],
        ["A", 1, 0, 3],
        ["B", -1, 0, 3],
        ["B", 0, 1, 3],
        ["B", 1, 2, 3],
    ]
    np.testing.assert_allclose(table["share"], [1 / 3, 2 / 3, 0, 0, 1 / 3, 2 / 3])
    assert table["label"].tolist()[:3] == ["-1: outliers", "0: zero", "1: one"]


def test_topics_per_group_without_outliers_shrinks_the_denominator():
    table = topics_per_group(_fit(), _corpus(), by="outlet", outliers="drop")
    assert table[["group", "topic", "n_assigned", "n_units"]].values.tolist() == [
        ["A", 0, 2, 2],
        ["A", 1, 0, 2],
        ["B", 0, 1, 3],
        ["B", 1, 2, 3],
    ]
    np.testing.assert_allclose(table["share"], [1.0, 0.0, 1 / 3, 2 / 3])


def test_reduced_outliers_go_through_bertopic_with_the_unit_texts():
    fit = _fit()
    table = topics_per_group(fit, _corpus(), by="outlet", outliers="reduce")
    texts, topics, strategy = fit.model.calls[0]
    assert texts == ["w1 w2 w3", "words here", "a b c d e", "x", "one two three four", "one two"]
    assert topics == [0, 0, -1, 1, 0, 1] and strategy == "c-tf-idf"
    a = table[table["group"] == "A"].set_index("topic")["n_assigned"].to_dict()
    assert a == {-1: 0, 0: 2, 1: 1}


def test_topics_over_time_monthly_and_joint_with_groups():
    table = topics_over_time(_fit(), _corpus(), freq="M")
    assert list(table.columns) == list(TIME_COLUMNS)
    assert table["period"].dt.strftime("%Y-%m").unique().tolist() == ["2024-01", "2024-02"]
    assert table[["group", "topic", "n_assigned", "n_units"]].values.tolist() == [
        ["all", -1, 0, 3],
        ["all", 0, 2, 3],
        ["all", 1, 1, 3],
        ["all", -1, 1, 3],
        ["all", 0, 1, 3],
        ["all", 1, 1, 3],
    ]
    joint = topics_over_time(_fit(), _corpus(), freq="M", by="outlet")
    got = joint[joint["n_assigned"] > 0]
    assert got.assign(p=got["period"].dt.month)[
        ["p", "group", "topic", "n_assigned", "n_units"]
    ].values.tolist() == [
        [1, "A", 0, 2, 2],
        [1, "B", 1, 1, 1],
        [2, "A", -1, 1, 1],
        [2, "B", 0, 1, 2],
        [2, "B", 1, 1, 2],
    ]
    sums = joint.groupby(["period", "group"])["share"].sum()
    np.testing.assert_allclose(sums, 1.0)


def test_topic_codes_is_framecodes_shaped():
    codes = topic_codes(_fit(), _corpus())
    assert list(codes.columns[:9]) == [
        "doc_id",
        "unit_id",
        "level",
        "frame",
        "count",
        "n_tokens",
        "per_1k",
        "present",
        "codebook",
    ]
    assert list(codes.columns[9:]) == ["outlet", "date", "country", "language"]
    assert len(codes) == 18
    assert codes["frame"].tolist()[:3] == ["topic_-1", "topic_0", "topic_1"]
    present = codes[codes["present"] == 1]
    assert present[["unit_id", "frame"]].values.tolist() == [
        ["a", "topic_0"],
        ["b", "topic_0"],
        ["c", "topic_-1"],
        ["d", "topic_1"],
        ["e", "topic_0"],
        ["f", "topic_1"],
    ]
    # n_tokens = word tokens of the unit; per_1k = 1000 * count / n_tokens
    assert present["n_tokens"].tolist() == [3, 2, 5, 1, 4, 2]
    np.testing.assert_allclose(present["per_1k"], [1000 / 3, 500, 200, 1000, 250, 500])
    assert (codes["level"] == "document").all() and (
        codes["codebook"] == "topics@000000000000"
    ).all()
    assert codes.loc[codes["unit_id"] == "a", "outlet"].unique().tolist() == ["A"]
    dropped = topic_codes(_fit(), _corpus(), outliers="drop")
    assert len(dropped) == 10 and "topic_-1" not in set(dropped["frame"])


def test_topic_codes_work_with_the_comparison_functions():
    compare = pytest.importorskip("framelab.compare")
    codes = topic_codes(_fit(), _corpus())
    table = compare.prevalence(codes, by="outlet", n_boot=200, seed=0)
    got = table.set_index(["outlet", "frame"])["estimate"]
    assert got[("A", "topic_0")] == pytest.approx(2 / 3)
    assert got[("B", "topic_1")] == pytest.approx(2 / 3)
    assert got[("B", "topic_-1")] == pytest.approx(0.0)


def test_document_topics_and_outlier_share():
    table = document_topics(_fit(), _corpus())
    assert table.columns[:6].tolist() == [
        "unit_id",
        "doc_id",
        "topic",
        "label",
        "probability",
        "assigned_by",
    ]
    assert table["label"].tolist()[2] == "-1: outliers"
    share = outlier_share(_fit(), _corpus(), by="outlet")
    assert share.values.tolist() == [["A", 1, 3, pytest.approx(1 / 3)], ["B", 0, 3, 0.0]]


def test_outlier_sensitivity_has_three_variants():
    table = outlier_sensitivity(_fit(), _corpus(), by="country")
    assert table["variant"].unique().tolist() == ["with_outliers", "without_outliers", "reduced"]
    us = table[(table["group"] == "US")].set_index(["variant", "topic"])["n_units"]
    assert (us["with_outliers", 0], us["without_outliers", 0], us["reduced", 0]) == (3, 2, 3)


def test_table_errors_name_the_problem():
    corpus = _corpus()
    with pytest.raises(
        ValueError,
        match=r"by='outlett' is not a corpus column\. "
        r"Did you mean by='outlet'\?",
    ):
        topics_per_group(_fit(), corpus, by="outlett")
    with pytest.raises(
        ValueError, match="1 document\\(s\\) of the topic model are not in the corpus, e.g. 'a'"
    ):
        topics_per_group(_fit(), corpus[corpus["doc_id"] != "a"])
    with pytest.raises(ValueError, match="freq must be one of D, W, M, Q, Y"):
        topics_over_time(_fit(), corpus, freq="MS")
    with pytest.raises(ValueError, match=r"outliers must be 'keep', 'drop' or 'reduce'"):
        topic_codes(_fit(), corpus, outliers="hide")
    with pytest.raises(TypeError, match="expected a TopicFit"):
        topics_per_group(corpus, corpus)


def test_topic_shares_equal_compare_prevalence_and_over_time_gh17():
    from framelab.compare import over_time, prevalence

    codes = topic_codes(_fit(), _corpus())
    old = topics_per_group(_fit(), _corpus(), by="outlet")
    new = prevalence(codes, by="outlet", n_boot=200, seed=0)
    assert new["frame"].tolist() == [f"topic_{t}" for t in old["topic"]]
    assert new["outlet"].tolist() == old["group"].tolist()
    assert new["estimate"].tolist() == old["share"].tolist()  # identical, not just close
    assert new["n"].tolist() == old["n_units"].tolist()
    old_t = topics_over_time(_fit(), _corpus(), freq="M", by="outlet")
    new_t = over_time(codes, freq="M", by="outlet", n_boot=200, seed=0)
    old_t = old_t.assign(frame="topic_" + old_t["topic"].astype(str)).rename(
        columns={"group": "outlet", "share": "estimate", "n_units": "n"}
    )
    keys = ["period", "outlet", "frame"]
    got = new_t.set_index(keys)[["estimate", "n"]].sort_index()
    want = old_t.set_index(keys)[["estimate", "n"]].sort_index()
    pd.testing.assert_frame_equal(got, want, check_exact=True, check_dtype=False)
