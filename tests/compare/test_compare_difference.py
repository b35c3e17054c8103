"""Tests of framelab.compare._difference: difference and pairwise (split from
test_compare_prevalence.py with the module)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelab.compare import (
    DIFFERENCE_COLUMNS,
    difference,
    distinguishing_terms,
    mean_by,
    pairwise,
    prevalence,
)
from framelab.datasets import FRAMES

from .compare_helpers import _gold_codes, _p, make_codes, truth


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
