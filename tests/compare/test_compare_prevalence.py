"""Tests of framelab.compare._prevalence: prevalence and mean_by (moved from tests/test_compare.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelab.compare import (
    PREVALENCE_COLUMNS,
    mean_by,
    prevalence,
)

from .compare_helpers import make_codes


def test_prevalence_suggests_the_group_column():
    codes = make_codes([1, 0], perspective=["us", "uk_eu"])
    with pytest.raises(
        ValueError,
        match=r"by='perspectiv' is not a column.*Did you mean "
        r"by='perspective'\?",
    ):
        prevalence(codes, "perspectiv", n_boot=10)


def test_prevalence_rejects_mixed_levels_and_non_binary_present():
    mixed = make_codes([1, 0])
    mixed.loc[1, "level"] = "sentence"
    with pytest.raises(ValueError, match=r"mix unit levels \['document', 'sentence'\]"):
        prevalence(mixed, n_boot=10)
    bad = make_codes([1, 0])
    bad.loc[0, "present"] = 2
    with pytest.raises(ValueError, match=r"'present' must be 0 or 1; found \[2\]"):
        prevalence(bad, n_boot=10)


def test_prevalence_rejects_bad_options():
    codes = make_codes([1, 0, 1])
    with pytest.raises(ValueError, match=r"ci must be a confidence level between 0 and 1"):
        prevalence(codes, ci=95)
    with pytest.raises(ValueError, match=r"n_boot must be an integer >= 1"):
        prevalence(codes, n_boot=0)
    with pytest.raises(ValueError, match=r"measure must be 'present', 'per_1k' or 'mean:<column>'"):
        prevalence(codes, measure="share", n_boot=10)
    with pytest.raises(ValueError, match=r"frames \['truce'\] are not in the codes"):
        prevalence(codes, frames=["truce"], n_boot=10)


def test_prevalence_accepts_a_coded_result():
    class Coded:  # what framelab.coding.code_frames returns: FrameCodes in .codes
        codes = make_codes([1, 0, 0, 1])

    assert prevalence(Coded(), n_boot=20)["estimate"].item() == 0.5


def test_prevalence_three_of_ten_is_point_three():
    codes = make_codes([1, 1, 1] + [0] * 7, outlet="A")
    table = prevalence(codes, "outlet", n_boot=300, seed=1)
    assert list(table.columns) == ["outlet", *PREVALENCE_COLUMNS]
    row = table.iloc[0]
    assert row["estimate"] == pytest.approx(0.3)
    assert (row["n"], row["n_clusters"], row["level"], row["measure"]) == (
        10,
        10,
        "document",
        "present",
    )
    assert (row["method"], row["resample"], row["n_boot"], row["seed"]) == (
        "percentile bootstrap",
        "doc_id",
        300,
        1,
    )


def test_prevalence_interval_is_the_percentile_of_resampled_documents():
    """Reference: the same draws done with an explicit loop over replicates."""
    values = np.array([1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1], dtype=float)
    table = prevalence(make_codes(values.astype(int)), n_boot=400, seed=7, ci=0.9)
    rng = np.random.default_rng(7)
    draws = rng.integers(0, len(values), size=(400, len(values)))
    reps = np.array([values[row].mean() for row in draws])
    low, high = np.quantile(reps, [0.05, 0.95])
    assert table.loc[0, "ci_low"] == pytest.approx(low)
    assert table.loc[0, "ci_high"] == pytest.approx(high)


def test_prevalence_per_1k_is_the_pooled_rate():
    codes = make_codes([1, 0, 1])
    codes["count"] = [2, 0, 3]
    codes["n_tokens"] = [100, 200, 200]
    table = prevalence(codes, measure="per_1k", n_boot=50)
    assert table.loc[0, "estimate"] == pytest.approx(1000 * 5 / 500)
    assert table.loc[0, "measure"] == "per_1k"


def test_prevalence_mean_of_a_column():
    codes = make_codes([1, 0, 1, 1, 0], outlet=["A", "A", "B", "B", "B"])
    codes["tone"] = [0.5, -0.1, 0.2, np.nan, 0.4]  # the missing value is left out
    table = prevalence(codes, "outlet", measure="mean:tone", n_boot=50)
    assert table["estimate"].tolist() == pytest.approx([0.2, 0.3])
    assert table["n"].tolist() == [2, 2]


def test_prevalence_paragraphs_are_resampled_with_their_document():
    # two documents of two paragraphs: doc A both carry the frame, doc B neither
    codes = make_codes([1, 1, 0, 0], level="paragraph")
    codes["doc_id"] = ["A", "A", "B", "B"]
    codes["unit_id"] = ["A-p0", "A-p1", "B-p0", "B-p1"]
    table = prevalence(codes, n_boot=2000, seed=3)
    # documents drawn: (A, A) -> 1, (B, B) -> 0, each with probability 1/4: the 95% interval is
    # [0, 1]; resampling paragraphs independently would give a narrower one
    assert (table.loc[0, "estimate"], table.loc[0, "n"], table.loc[0, "n_clusters"]) == (0.5, 4, 2)
    assert (table.loc[0, "ci_low"], table.loc[0, "ci_high"]) == (0.0, 1.0)


def test_prevalence_cluster_bootstrap_resamples_outlets():
    # outlet X always carries the frame, outlet Y never: clusters, not documents, vary
    codes = make_codes([1] * 10 + [0] * 10, outlet=["X"] * 10 + ["Y"] * 10, country="C")
    by_doc = prevalence(codes, "country", n_boot=1000, seed=0)
    with pytest.warns(UserWarning, match=r"fewer than 5 values of 'outlet'"):
        by_outlet = prevalence(codes, "country", n_boot=1000, seed=0, cluster="outlet")
    assert by_outlet.loc[0, "resample"] == "outlet"
    assert by_outlet.loc[0, "n_clusters"] == 2
    assert (by_outlet.loc[0, "ci_low"], by_outlet.loc[0, "ci_high"]) == (0.0, 1.0)
    assert by_doc.loc[0, "ci_low"] > 0.2 and by_doc.loc[0, "ci_high"] < 0.8


def test_prevalence_single_cluster_warns_and_leaves_the_interval_missing():
    codes = make_codes([1, 0, 1], outlet=["X", "X", "Y"], country="C")
    with pytest.warns(UserWarning, match=r"fewer than 2 values of 'outlet'"):
        table = prevalence(codes, "outlet", cluster="outlet", n_boot=50)
    assert table["ci_low"].isna().all()
    assert table["estimate"].tolist() == [0.5, 1.0]


def test_prevalence_same_seed_same_table():
    rng = np.random.default_rng(0)
    codes = make_codes(rng.integers(0, 2, 60), outlet=rng.choice(["A", "B", "C"], 60))
    first = prevalence(codes, "outlet", n_boot=300, seed=11)
    pd.testing.assert_frame_equal(first, prevalence(codes, "outlet", n_boot=300, seed=11))
    other = prevalence(codes, "outlet", n_boot=300, seed=12)
    assert not np.allclose(first["ci_low"], other["ci_low"])


def test_prevalence_columns_do_not_depend_on_options():
    codes = make_codes([1, 0, 1, 1], outlet=["A", "A", "B", "B"])
    plain = prevalence(codes, "outlet", n_boot=20)
    other = prevalence(codes, "outlet", n_boot=20, measure="per_1k", cluster="doc_id", ci=0.8)
    assert list(plain.columns) == list(other.columns)


def test_prevalence_calibration_covers_the_truth():
    """200 seeded simulations of 100 documents with true prevalence 0.3: the 95% percentile
    intervals cover 0.3 in 90-98% of them (one vectorised call: simulations are groups)."""
    rng = np.random.default_rng(2024)
    n_sim, n_doc, truth_p = 200, 100, 0.3
    codes = make_codes(
        rng.binomial(1, truth_p, n_sim * n_doc), sim=np.repeat(np.arange(n_sim), n_doc)
    )
    codes["doc_id"] = codes["unit_id"] = [f"s{i}" for i in range(n_sim * n_doc)]
    table = prevalence(codes, "sim", n_boot=500, seed=1)
    coverage = ((table["ci_low"] <= truth_p) & (truth_p <= table["ci_high"])).mean()
    assert len(table) == n_sim
    assert 0.90 <= coverage <= 0.98


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 1), min_size=2, max_size=40), st.integers(0, 2**32 - 1))
def test_prevalence_interval_contains_the_estimate(values, seed):
    row = prevalence(make_codes(values), n_boot=200, seed=seed).iloc[0]
    assert row["ci_low"] <= row["estimate"] <= row["ci_high"]
    assert 0.0 <= row["ci_low"] and row["ci_high"] <= 1.0


def test_mean_by_per_frame_over_units_carrying_it():
    codes = pd.concat(
        [
            make_codes([1, 0, 1, 1], frame="fatigue", outlet=["A", "A", "B", "B"]),
            make_codes([0, 1, 1, 0], frame="truce", outlet=["A", "A", "B", "B"]),
        ]
    )
    tones = pd.DataFrame(
        {
            "doc_id": ["d00", "d01", "d02", "d03"],
            "unit_id": ["d00", "d01", "d02", "d03"],
            "tone": [-0.8, 0.4, -0.2, 0.0],
        }
    )
    table = mean_by(tones, "tone", by="outlet", codes=codes, n_boot=100)
    assert list(table.columns) == ["outlet", *PREVALENCE_COLUMNS]
    got = table.set_index(["outlet", "frame"])["estimate"]
    assert got[("A", "fatigue")] == pytest.approx(-0.8)  # d00 only
    assert got[("B", "fatigue")] == pytest.approx(-0.1)  # d02, d03
    assert got[("A", "truce")] == pytest.approx(0.4)  # d01
    assert got[("B", "truce")] == pytest.approx(-0.2)  # d02
    assert table["measure"].unique().tolist() == ["mean:tone"]


def test_mean_by_without_codes_and_errors():
    tones = pd.DataFrame({"doc_id": ["a", "b"], "unit_id": ["a-s0", "b-s0"], "tone": [1.0, 0.0]})
    table = mean_by(tones, "tone", n_boot=20)
    assert (table.loc[0, "frame"], table.loc[0, "level"], table.loc[0, "estimate"]) == (
        "all",
        "sentence",
        0.5,
    )
    with pytest.raises(ValueError, match=r"no column 'tone_score'"):
        mean_by(tones, "tone_score")
    with pytest.raises(ValueError, match=r"same level"):
        mean_by(tones, "tone", codes=make_codes([1, 1]), n_boot=20)
