"""Tests of framelab.compare._prevalence (moved from tests/test_compare.py)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelab.compare import (
    DIFFERENCE_COLUMNS,
    PREVALENCE_COLUMNS,
    difference,
    distinguishing_terms,
    mean_by,
    pairwise,
    prevalence,
)
from framelab.datasets import FRAMES

from .compare_helpers import _gold_codes, _p, make_codes, truth


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


def test_difference_known_values_and_columns():
    codes = make_codes([1, 1, 1, 0, 0, 0, 0, 1], outlet=["X"] * 4 + ["Y"] * 4)
    table = difference(codes, "outlet", "X", "Y", n_boot=300, n_perm=500)
    assert list(table.columns) == list(DIFFERENCE_COLUMNS)
    row = table.iloc[0]
    assert (row["estimate_a"], row["estimate_b"], row["estimate"], row["ratio"]) == (
        0.75,
        0.25,
        0.5,
        3.0,
    )
    assert (row["group_a"], row["group_b"], row["n_a"], row["n_b"]) == ("X", "Y", 4, 4)
    assert row["ci_low"] <= 0.5 <= row["ci_high"]
    assert row["ratio_low"] <= 3.0 <= row["ratio_high"]
    assert 0 < row["p_value"] <= 1 and row["p_adjusted"] == row["p_value"]  # one frame


def test_difference_permutation_p_matches_scipy_exact():
    # scipy.stats.permutation_test enumerates all C(11, 5) = 462 splits exactly; framelab's
    # two-sided p is P(|T*| >= |T|), i.e. scipy's "greater" on the absolute difference
    from scipy.stats import permutation_test

    a, b = [1, 1, 1, 1, 0], [1, 0, 0, 0, 0, 0]
    exact = permutation_test(
        (a, b),
        lambda x, y: abs(np.mean(x) - np.mean(y)),
        permutation_type="independent",
        alternative="greater",
        n_resamples=10_000,
    ).pvalue
    codes = make_codes(a + b, outlet=["A"] * 5 + ["B"] * 6)
    p = difference(codes, "outlet", "A", "B", n_boot=100, n_perm=20_000, seed=5)["p_value"].item()
    assert p == pytest.approx(exact, abs=0.01)  # Monte Carlo SE ~ 0.002


def test_difference_permutation_p_of_a_mean_matches_scipy_exact():
    # non-binary values take the general path (permuting cluster labels); C(9, 4) = 126 splits
    from scipy.stats import permutation_test

    a, b = [0.9, 0.4, 0.7, 0.8], [0.1, 0.5, -0.2, 0.3, 0.6]
    exact = permutation_test(
        (a, b),
        lambda x, y: abs(np.mean(x) - np.mean(y)),
        permutation_type="independent",
        alternative="greater",
        n_resamples=10_000,
    ).pvalue
    codes = make_codes([1] * 9, outlet=["A"] * 4 + ["B"] * 5)
    codes["tone"] = a + b
    table = difference(codes, "outlet", "A", "B", measure="mean:tone", n_boot=100, n_perm=20_000)
    assert table["estimate"].item() == pytest.approx(np.mean(a) - np.mean(b))
    assert table["p_value"].item() == pytest.approx(exact, abs=0.01)


def test_difference_unknown_group_suggests():
    codes = make_codes([1, 0, 1, 0], perspective=["us", "us", "uk_eu", "uk_eu"])
    with pytest.raises(
        ValueError,
        match=r"'usa' is not a value of 'perspective'.*Did you mean "
        r"'us'\?",
    ):
        difference(codes, "perspective", "usa", "uk_eu", n_boot=10)
    with pytest.raises(ValueError, match=r"a and b are both 'us'"):
        difference(codes, "perspective", "us", "us", n_boot=10)
    with pytest.raises(ValueError, match=r"correction must be one of 'holm', 'fdr_bh', 'none'"):
        difference(codes, "perspective", "us", "uk_eu", correction="bonf", n_boot=10)


def test_pairwise_adjusts_across_all_pairs_and_frames():
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(3)
    groups = np.repeat(["a", "b", "c"], 20)
    codes = pd.concat(
        [
            make_codes(rng.binomial(1, p, 60), frame=f, outlet=groups)
            for f, p in (("x", 0.3), ("y", 0.6))
        ]
    )
    for correction in ("holm", "fdr_bh"):
        table = pairwise(codes, "outlet", correction=correction, n_boot=200, seed=1)
        assert len(table) == 3 * 2  # C(3, 2) pairs x 2 frames
        assert table[["group_a", "group_b"]].drop_duplicates().values.tolist() == [
            ["a", "b"],
            ["a", "c"],
            ["b", "c"],
        ]
        expected = multipletests(table["p_value"], method=correction)[1]
        np.testing.assert_allclose(table["p_adjusted"], expected)
        assert table["n_perm"].iloc[0] == 2000  # max(2000, 100 * 6 tests)
        assert table["correction"].unique().tolist() == [correction]


def test_pairwise_warns_when_permutations_cannot_reach_significance():
    codes = make_codes([1, 0] * 15, outlet=np.repeat(["a", "b", "c"], 10))
    with pytest.warns(UserWarning, match=r"n_perm=20 permutations cannot give a Holm-adjusted"):
        pairwise(codes, "outlet", n_perm=20, n_boot=20)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(0, 1), min_size=6, max_size=30), st.integers(0, 1000))
def test_difference_p_values_are_probabilities(values, seed):
    half = len(values) // 2
    codes = make_codes(values, outlet=["A"] * half + ["B"] * (len(values) - half))
    row = difference(codes, "outlet", "A", "B", n_boot=50, n_perm=99, seed=seed).iloc[0]
    assert 1 / 100 <= row["p_value"] <= 1
    assert row["ci_low"] <= row["ci_high"]


#: Planted between-group differences of ANSWER_KEY.md ("what an analysis should find").
PLANTED = [
    ("russia_state", "us", "concessions"),  # 2. Russian outlets emphasise concessions ...
    ("russia_state", "uk_eu", "concessions"),
    ("russia_state", "uk_eu", "support_fatigue"),  # ... and Western support fatigue
    *[("ukraine", g, "security_guarantees") for g in truth.PROPENSITY if g != "ukraine"],  # 3.
    ("uk_eu", "us", "eu_accession"),  # 4. UK/EU outlets emphasise EU accession
]


@pytest.fixture(scope="module")
def sample_pairs(codes):
    return pairwise(codes, "perspective", n_boot=500, n_perm=200, correction="none", seed=0)


@pytest.mark.parametrize(("a", "b", "frame"), PLANTED)
def test_sample_planted_group_differences_are_found(sample_pairs, a, b, frame):
    table = sample_pairs
    row = table[
        (table["frame"] == frame)
        & (
            ((table["group_a"] == a) & (table["group_b"] == b))
            | ((table["group_a"] == b) & (table["group_b"] == a))
        )
    ]
    row = row.iloc[0]
    sign = np.sign(_p(a, frame) - _p(b, frame)) * (1 if row["group_a"] == a else -1)
    assert sign != 0
    assert np.sign(row["estimate"]) == sign
    assert (row["ci_low"] > 0) if sign > 0 else (row["ci_high"] < 0)  # the CI excludes zero


def test_sample_china_emphasises_negotiations_most(codes, sample_pairs):
    shares = prevalence(codes, "perspective", frames=["negotiations"], n_boot=300)
    assert shares.loc[shares["estimate"].idxmax(), "perspective"] == "china_state"  # 5.
    lowest = min(truth.PROPENSITY, key=lambda g: _p(g, "negotiations"))
    row = sample_pairs[
        (sample_pairs["frame"] == "negotiations")
        & (sample_pairs["group_a"] == "china_state")
        & (sample_pairs["group_b"] == lowest)
    ].iloc[0]
    assert row["ci_low"] > 0


@pytest.mark.parametrize(("a", "b", "frame"), truth.NULLS)
def test_sample_planted_nulls_are_not_flagged(codes, a, b, frame):
    assert _p(a, frame) == _p(b, frame)
    row = difference(codes, "perspective", a, b, frames=[frame], n_boot=500, seed=0).iloc[0]
    assert row["ci_low"] < 0 < row["ci_high"]
    assert row["p_value"] >= 0.05


def test_sample_ukrainian_concession_paragraphs_reject_and_use_kyiv(sample_corpus):
    paragraphs = _gold_codes(sample_corpus, "paragraph")
    conc = paragraphs[(paragraphs["frame"] == "concessions") & (paragraphs["present"] == 1)]
    conc = conc.assign(reject=conc["stance"].str.contains("concessions:reject").astype(float))
    shares = mean_by(conc, "reject", by="perspective", n_boot=500).set_index("perspective")
    assert shares.loc["ukraine", "estimate"] > 0.5  # 3. ... mostly reject concessions
    diff = difference(
        conc.assign(frame="concessions"),
        "perspective",
        "ukraine",
        "russia_state",
        measure="mean:reject",
        n_boot=500,
    ).iloc[0]
    assert diff["ci_low"] > 0
    words = distinguishing_terms(
        sample_corpus,
        "perspective",
        "ukraine",
        "russia_state",
        within_frame="concessions",
        codes=paragraphs,
        min_count=3,
    )
    z = words.set_index("term")["z"]
    assert z["kyiv"] > 0 > z["kiev"]
    assert words["within_frame"].unique().tolist() == ["concessions"]


def test_pairwise_pairs_are_all_combinations(sample_pairs):
    groups = sorted(truth.PROPENSITY)
    pairs = sample_pairs[["group_a", "group_b"]].drop_duplicates().values.tolist()
    assert pairs == [list(p) for p in itertools.combinations(groups, 2)]
    assert len(sample_pairs) == len(pairs) * len(FRAMES)
