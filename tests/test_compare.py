"""Tests for framelab.compare: known answers, reference implementations, calibration, recovery of
the sample corpus's planted differences (data/sample/ANSWER_KEY.md)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelab.cli import sample_builder
from framelab.compare import (
    COOCCURRENCE_COLUMNS,
    DIFFERENCE_COLUMNS,
    DISTINGUISHING_COLUMNS,
    FRAMECODES_COLUMNS,
    KEYNESS_COLUMNS,
    MARGINAL_COLUMNS,
    PREVALENCE_COLUMNS,
    REGRESS_COLUMNS,
    TONE_COLUMNS,
    before_after,
    check_codes,
    cooccurrence,
    difference,
    distinguishing_terms,
    keyness,
    marginal_effects,
    mean_by,
    over_time,
    pairwise,
    prevalence,
    regress,
    text_units,
    tone,
    vader_nltk_root,
)
from framelab.datasets import FRAMES, load_sample_gold
from framelab.text import SentenceSplitter, stopwords, tokenize

truth = sample_builder()  # tools/sample_build.py: the planted parameters


def make_codes(present, *, frame="ceasefire", level="document", **meta) -> pd.DataFrame:
    """FrameCodes for one frame: one document per value of ``present``."""
    n = len(present)
    ids = [f"d{i:02d}" for i in range(n)]
    table = pd.DataFrame(
        {
            "doc_id": ids,
            "unit_id": ids,
            "level": level,
            "frame": frame,
            "count": np.asarray(present, dtype="int64"),
            "n_tokens": 100,
            "per_1k": np.asarray(present, dtype=float) * 10.0,
            "present": np.asarray(present, dtype="int64"),
            "codebook": "test@1",
        }
    )
    for key, values in meta.items():
        table[key] = values
    return table


# --------------------------------------------------------------------------- check_codes


def test_check_codes_names_every_missing_column():
    with pytest.raises(ValueError, match=r"lacks the FrameCodes columns 'level', 'present'"):
        check_codes(
            pd.DataFrame({"doc_id": ["a"], "unit_id": ["a"], "frame": ["x"]}),
            "prevalence",
            ["doc_id", "unit_id", "level", "frame", "present"],
        )


def test_check_codes_defaults_to_all_framecodes_columns():
    codes = make_codes([1, 0])
    check_codes(codes, "prevalence")  # complete: no error
    with pytest.raises(ValueError, match=r"column 'codebook'"):
        check_codes(codes.drop(columns="codebook"), "prevalence")
    assert FRAMECODES_COLUMNS[:4] == ("doc_id", "unit_id", "level", "frame")


def test_check_codes_rejects_a_string_and_a_list():
    with pytest.raises(TypeError, match=r"prevalence\(\): got a string"):
        check_codes("codes.csv", "prevalence")
    with pytest.raises(TypeError, match=r"expected a FrameCodes DataFrame, got list"):
        check_codes([1, 2], "prevalence")


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


# --------------------------------------------------------------------------- prevalence


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


# --------------------------------------------------------------------------- mean_by


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


# --------------------------------------------------------------------------- difference


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


# --------------------------------------------------------------------------- time


def _dated(present, dates, **meta):
    codes = make_codes(present, **meta)
    codes["date"] = pd.to_datetime(dates)
    return codes


def test_over_time_months_with_an_empty_month():
    codes = _dated(
        [1, 0, 1, 1, 0], ["2023-09-03", "2023-09-20", "2023-11-02", "2023-11-30", "2023-11-15"]
    )
    table = over_time(codes, freq="M", n_boot=200)
    assert list(table.columns) == ["period", *PREVALENCE_COLUMNS, "freq", "window"]
    assert table["period"].dtype == "datetime64[ns]"
    assert table["period"].dt.strftime("%Y-%m").tolist() == ["2023-09", "2023-10", "2023-11"]
    assert table["n"].tolist() == [2, 0, 3]
    assert table["estimate"].iloc[[0, 2]].tolist() == pytest.approx([0.5, 2 / 3])
    assert math.isnan(table["estimate"].iloc[1])


def test_over_time_smoothing_pools_neighbouring_periods():
    codes = _dated(
        [1, 1, 0, 0, 0, 1, 0, 1],
        [
            "2023-09-05",
            "2023-09-06",
            "2023-10-01",
            "2023-10-02",
            "2023-10-03",
            "2023-11-01",
            "2023-11-02",
            "2023-12-01",
        ],
        outlet="A",
    )
    table = over_time(codes, freq="M", by="outlet", smooth=3, n_boot=200)
    # Sep: Sep+Oct = 2/5; Oct: Sep..Nov = 3/7; Nov: Oct..Dec = 2/6; Dec: Nov+Dec = 2/3
    assert table["estimate"].tolist() == pytest.approx([2 / 5, 3 / 7, 2 / 6, 2 / 3])
    assert table["n"].tolist() == [5, 7, 6, 3]
    assert table["window"].unique().tolist() == [3]
    assert list(table.columns[:2]) == ["outlet", "period"]


def test_over_time_weeks_start_on_monday_and_bad_freq():
    codes = _dated([1, 0], ["2023-11-01", "2023-11-09"])  # a Wednesday, the next Thursday
    table = over_time(codes, freq="W", n_boot=50)
    assert table["period"].dt.strftime("%Y-%m-%d").tolist() == ["2023-10-30", "2023-11-06"]
    with pytest.raises(ValueError, match=r"freq='fortnight' is not a pandas period frequency"):
        over_time(codes, freq="fortnight", n_boot=50)
    with pytest.raises(TypeError, match=r"'outlet' must hold dates"):
        over_time(codes.assign(outlet="A"), date_col="outlet", n_boot=50)


def test_before_after_windows_and_groups():
    codes = _dated(
        [0, 1, 1, 1, 1, 0, 1, 1, 0],
        [
            "2023-10-20",
            "2023-10-30",
            "2023-11-02",
            "2023-11-05",  # A
            "2023-10-25",
            "2023-10-28",
            "2023-11-03",
            "2023-11-04",
            "2024-02-01",
        ],  # B (the last one is outside both windows)
        outlet=["A"] * 4 + ["B"] * 5,
    )
    table = before_after(codes, "2023-11-02", window=14, by="outlet", n_boot=200, n_perm=200)
    assert list(table.columns) == ["outlet", *DIFFERENCE_COLUMNS]
    assert table[["outlet", "group_a", "group_b"]].values.tolist() == [
        ["A", "after", "before"],
        ["B", "after", "before"],
    ]
    assert table["estimate_a"].tolist() == [1.0, 1.0]
    assert table["estimate_b"].tolist() == [0.5, 0.5]
    assert table[["n_a", "n_b"]].values.tolist() == [[2, 2], [2, 2]]
    same = before_after(
        codes,
        pd.Timestamp("2023-11-02"),
        window=pd.Timedelta(days=14),
        by="outlet",
        n_boot=200,
        n_perm=200,
    )
    pd.testing.assert_frame_equal(table, same)
    with pytest.raises(ValueError, match=r"has no unit before"):
        before_after(codes, "2023-11-02", window=3, by="outlet", n_boot=20, n_perm=200)
    with pytest.warns(UserWarning, match=r"fewer than 2 values of 'doc_id'"):
        one = before_after(codes, "2023-11-02", window=5, by="outlet", n_boot=20, n_perm=200)
    assert one["ci_low"].isna().all()  # B has one document before: no interval


# --------------------------------------------------------------------------- regression


def _two_by_two(a_yes, a_no, b_yes, b_no) -> pd.DataFrame:
    present = [1] * a_yes + [0] * a_no + [1] * b_yes + [0] * b_no
    return make_codes(present, outlet=["A"] * (a_yes + a_no) + ["B"] * (b_yes + b_no))


def test_regress_logit_is_the_log_odds_ratio_of_the_2x2_table():
    codes = _two_by_two(6, 4, 2, 8)
    table = regress(codes, "ceasefire", "~ C(outlet)")
    assert list(table.columns) == list(REGRESS_COLUMNS)
    slope = table.set_index("term").loc["C(outlet)[T.B]"]
    assert slope["estimate"] == pytest.approx(math.log((2 / 8) / (6 / 4)))
    assert slope["std_error"] == pytest.approx(math.sqrt(1 / 6 + 1 / 4 + 1 / 2 + 1 / 8))
    assert slope["exp_estimate"] == pytest.approx((2 / 8) / (6 / 4))
    assert slope["ci_low"] == pytest.approx(
        slope["estimate"] - 1.959964 * slope["std_error"], rel=1e-5
    )
    assert (slope["n"], slope["family"], slope["converged"]) == (20, "logit", True)


def test_regress_poisson_offset_gives_the_rate_ratio():
    codes = make_codes([1] * 6, outlet=["A"] * 3 + ["B"] * 3)
    codes["count"] = [3, 5, 2, 9, 4, 7]
    codes["n_tokens"] = [100, 300, 100, 200, 200, 100]
    slope = regress(codes, "ceasefire", "~ C(outlet)", family="poisson").set_index("term")
    rate_a, rate_b = 10 / 500, 20 / 500
    assert slope.loc["C(outlet)[T.B]", "estimate"] == pytest.approx(math.log(rate_b / rate_a))
    assert slope.loc["C(outlet)[T.B]", "std_error"] == pytest.approx(
        math.sqrt(1 / 10 + 1 / 20), rel=1e-4
    )
    assert slope.loc["Intercept", "estimate"] == pytest.approx(math.log(rate_a))


def test_regress_negbin_estimates_dispersion():
    rng = np.random.default_rng(4)
    codes = make_codes([1] * 200, outlet=np.repeat(["A", "B"], 100))
    codes["n_tokens"] = 500
    codes["count"] = rng.negative_binomial(2, np.where(codes["outlet"] == "A", 0.4, 0.2))
    table = regress(codes, "ceasefire", "~ C(outlet)", family="negbin").set_index("term")
    assert list(table.index) == ["Intercept", "C(outlet)[T.B]", "alpha"]
    assert math.isnan(table.loc["alpha", "exp_estimate"])
    assert table.loc["alpha", "estimate"] == pytest.approx(0.5, abs=0.2)  # 1 / r, r = 2
    # means 3 and 8 tokens-adjusted: log rate ratio log(8 / 3)
    assert table.loc["C(outlet)[T.B]", "estimate"] == pytest.approx(math.log(8 / 3), abs=0.2)
    assert table["converged"].all()


def test_regress_cluster_robust_standard_errors_match_statsmodels():
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(8)
    codes = make_codes(
        rng.integers(0, 2, 80),
        outlet=np.repeat(list("ABCDEFGH"), 10),
        side=np.repeat(["x", "y"], 40),
    )
    table = regress(codes, "ceasefire", "~ C(side)", cluster="outlet")
    direct = smf.logit("present ~ C(side)", codes).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": pd.factorize(codes["outlet"])[0]}
    )
    np.testing.assert_allclose(table["std_error"], direct.bse.to_numpy())
    assert table["cov_type"].unique().tolist() == ["cluster"]


def test_regress_errors_and_separation():
    codes = _two_by_two(3, 3, 2, 4)
    with pytest.raises(ValueError, match=r"must be a right-hand side starting with '~'"):
        regress(codes, "ceasefire", "present ~ outlet")
    with pytest.raises(ValueError, match=r"cannot build the design.*Did you mean 'outlet'\?"):
        regress(codes, "ceasefire", "~ C(outlett)")
    with pytest.raises(ValueError, match=r"family must be one of 'logit', 'poisson', 'negbin'"):
        regress(codes, "ceasefire", "~ C(outlet)", family="probit")
    with pytest.raises(ValueError, match=r"frame 'truce' is not in the codes"):
        regress(codes, "truce", "~ C(outlet)")
    separated = _two_by_two(5, 0, 2, 3)  # outlet A always carries the frame
    with pytest.warns(UserWarning, match=r"did not converge cleanly"):
        table = regress(separated, "ceasefire", "~ C(outlet)")
    assert not table["converged"].any()


def test_marginal_effects_of_a_saturated_logit_are_the_shares():
    codes = _two_by_two(6, 4, 2, 8)
    table = marginal_effects(codes, "ceasefire", "~ C(outlet)", by="outlet")
    assert list(table.columns) == ["outlet", *MARGINAL_COLUMNS]
    assert table["estimate"].tolist() == pytest.approx([0.6, 0.2])
    assert table["std_error"].tolist() == pytest.approx(
        [math.sqrt(0.6 * 0.4 / 10), math.sqrt(0.2 * 0.8 / 10)], rel=1e-4
    )
    assert table["n"].tolist() == [10, 10]
    assert table["measure"].unique().tolist() == ["probability"]
    with pytest.raises(ValueError, match=r"by='country' does not appear in formula"):
        marginal_effects(codes.assign(country="C"), "ceasefire", "~ C(outlet)", by="country")


def test_marginal_effects_count_model_is_the_rate_per_1k():
    codes = make_codes([1] * 6, outlet=["A"] * 3 + ["B"] * 3)
    codes["count"] = [3, 5, 2, 9, 4, 7]
    codes["n_tokens"] = [100, 300, 100, 200, 200, 100]
    table = marginal_effects(codes, "ceasefire", "~ C(outlet)", by="outlet", family="poisson")
    assert table["estimate"].tolist() == pytest.approx([1000 * 10 / 500, 1000 * 20 / 500])
    assert table["measure"].unique().tolist() == ["per_1k"]


# --------------------------------------------------------------------------- terms


TOY = pd.DataFrame(
    {
        "doc_id": ["d1", "d2", "d3", "d4"],
        "side": ["A", "A", "B", "C"],
        "date": pd.to_datetime(["2023-09-01", "2023-09-02", "2023-10-01", "2023-10-02"]),
        "text": ["truce truce talks", "truce aid", "talks talks guarantees", "aid aid talks"],
    }
)


def _log_odds(y_i, y_j, n_i, n_j, a_w, a_0):
    delta = math.log((y_i + a_w) / (n_i + a_0 - y_i - a_w)) - math.log(
        (y_j + a_w) / (n_j + a_0 - y_j - a_w)
    )
    var = 1 / (y_i + a_w) + 1 / (y_j + a_w)
    return delta, var, delta / math.sqrt(var)


def test_distinguishing_terms_matches_the_formula_by_hand():
    table = distinguishing_terms(TOY, "side", "A", "B", min_count=1)
    assert list(table.columns) == list(DISTINGUISHING_COLUMNS)
    # pooled counts over all 4 documents: truce 3, talks 4, aid 3, guarantees 1; total 11
    row = table.set_index("term").loc["truce"]
    delta, var, z = _log_odds(3, 0, 5, 3, 3.0, 11.0)
    assert (
        row["count_group"],
        row["count_reference"],
        row["total_group"],
        row["total_reference"],
    ) == (3, 0, 5, 3)
    assert (row["alpha_w"], row["alpha_0"]) == (3.0, 11.0)
    assert (row["delta"], row["variance"], row["z"]) == pytest.approx((delta, var, z))
    assert (row["prior"], row["group"], row["reference"]) == ("pooled", "A", "B")
    assert table["z"].is_monotonic_decreasing


def test_distinguishing_terms_one_vs_rest_and_alpha_0():
    table = distinguishing_terms(TOY, "side", min_count=1, alpha_0=5.5)
    assert table[["group", "reference"]].drop_duplicates().values.tolist() == [
        ["A", "(rest)"],
        ["B", "(rest)"],
        ["C", "(rest)"],
    ]
    row = table[(table["group"] == "C") & (table["term"] == "aid")].iloc[0]
    delta, _, z = _log_odds(2, 1, 3, 8, 5.5 * 3 / 11, 5.5)
    assert (row["delta"], row["z"]) == pytest.approx((delta, z))
    assert table["alpha_0"].unique().tolist() == [5.5]
    uniform = distinguishing_terms(TOY, "side", "A", prior="uniform", min_count=1)
    assert uniform["alpha_w"].unique().tolist() == pytest.approx([0.01])  # 0.01 per term


def test_distinguishing_terms_by_period():
    table = distinguishing_terms(TOY, "date", freq="M", min_count=1)
    assert table["group"].unique().tolist() == ["2023-09", "2023-10"]
    with pytest.raises(ValueError, match=r"holds dates; pass freq='M'"):
        distinguishing_terms(TOY, "date")


def test_distinguishing_terms_errors():
    with pytest.raises(
        ValueError,
        match=r"group_col='sde' is not a column.*Did you mean "
        r"group_col='side'\?",
    ):
        distinguishing_terms(TOY, "sde")
    with pytest.raises(ValueError, match=r"'D' is not a group"):
        distinguishing_terms(TOY, "side", "D")
    with pytest.raises(ValueError, match=r"within_frame='talks' needs codes="):
        distinguishing_terms(TOY, "side", within_frame="talks")
    with pytest.raises(ValueError, match=r"prior must be one of"):
        distinguishing_terms(TOY, "side", prior="flat")


SENTENCES = pd.DataFrame(
    {
        "doc_id": ["r1", "u1"],
        "side": ["russia", "ukraine"],
        "text": [
            "Kiev must accept new realities. The weather was mild.",
            "Kyiv will never trade land. The weather was mild.",
        ],
    }
)


def _sentence_codes() -> pd.DataFrame:
    # the coding engine's sentence ids: "<doc_id>-s<k>"; only the first sentences are coded
    ids = ["r1-s0", "r1-s1", "u1-s0", "u1-s1"]
    return pd.DataFrame(
        {
            "doc_id": ["r1", "r1", "u1", "u1"],
            "unit_id": ids,
            "level": "sentence",
            "frame": "concessions",
            "count": [1, 0, 1, 0],
            "n_tokens": 5,
            "per_1k": 0.0,
            "present": [1, 0, 1, 0],
            "codebook": "test@1",
        }
    )


def test_text_units_sentence_ids():
    splitter = SentenceSplitter.train(SENTENCES["text"])
    units = text_units(SENTENCES, "sentence", splitter=splitter)
    assert units["unit_id"].tolist() == ["r1-s0", "r1-s1", "u1-s0", "u1-s1"]
    assert units.loc[2, "text"] == "Kyiv will never trade land."
    assert (
        units.loc[2, "text"]
        == SENTENCES.loc[1, "text"][units.loc[2, "start"] : units.loc[2, "end"]]
    )
    assert list(units.columns) == [
        "doc_id",
        "unit_id",
        "level",
        "position",
        "start",
        "end",
        "text",
        "side",
    ]
    paras = text_units(pd.DataFrame({"doc_id": ["d"], "text": ["One.\n\nTwo."]}), "paragraph")
    assert paras["unit_id"].tolist() == ["d-p0", "d-p1"]


def test_distinguishing_terms_within_frame_counts_only_coded_sentences():
    splitter = SentenceSplitter.train(SENTENCES["text"])
    units = text_units(SENTENCES, "sentence", splitter=splitter)
    table = distinguishing_terms(
        SENTENCES,
        "side",
        "ukraine",
        "russia",
        within_frame="concessions",
        codes=_sentence_codes(),
        units=units,
        min_count=1,
    )
    coded_words = {
        "kiev",
        "must",
        "accept",
        "new",
        "realities",
        "kyiv",
        "will",
        "never",
        "trade",
        "land",
    }
    assert set(table["term"]) == coded_words - stopwords("english")  # no "weather", "mild"
    assert table["within_frame"].unique().tolist() == ["concessions"]
    z = table.set_index("term")["z"]
    assert z["kyiv"] > 0 > z["kiev"]


def test_distinguishing_terms_within_frame_from_hits_and_offsets():
    hits = pd.DataFrame(
        {
            "doc_id": ["r1", "u1", "u1"],
            "unit_id": ["r1-s0", "u1-s0", "u1-s1"],
            "frame": "concessions",
            "term": ["realities", "land", "weather"],
            "start": [22, 21, 33],
            "end": [31, 25, 40],
            "negated": [False, False, True],
        }
    )  # the negated hit does not count
    offsets = pd.DataFrame(
        {
            "doc_id": ["r1", "r1", "u1", "u1"],
            "unit_id": ["r1-s0", "r1-s1", "u1-s0", "u1-s1"],
            "start": [0, 32, 0, 28],
            "end": [31, 53, 27, 49],
        }
    )
    table = distinguishing_terms(
        SENTENCES,
        "side",
        "ukraine",
        within_frame="concessions",
        codes=hits,
        units=offsets,
        min_count=1,
    )
    assert "weather" not in set(table["term"])
    assert {"kiev", "kyiv", "land"} <= set(table["term"])


def test_keyness_chi2_matches_scipy_and_quanteda_yates_rule():
    from scipy.stats import chi2_contingency

    # term counts (target, reference) with totals 100 and 200 tokens
    text_t = " ".join(["rare"] * 2 + ["common"] * 30 + ["filler"] * 68)
    text_r = " ".join(["rare"] * 10 + ["common"] * 20 + ["filler"] * 170)
    corpus = pd.DataFrame({"doc_id": ["t", "r"], "side": ["T", "R"], "text": [text_t, text_r]})
    table = keyness(corpus, "side", "T", "R", min_count=1, stop_words=None).set_index("term")
    # "rare": an expected count is below 5 -> Yates, as scipy's corrected statistic
    rare = chi2_contingency([[2, 10], [98, 190]], correction=True)[0]
    assert table.loc["rare", "chi2"] == pytest.approx(-rare)  # used less than expected
    # "common": every expected count >= 5 -> quanteda applies no correction
    common = chi2_contingency([[30, 20], [70, 180]], correction=False)[0]
    assert table.loc["common", "chi2"] == pytest.approx(common)
    assert table.loc["common", "p_chi2"] == pytest.approx(
        chi2_contingency([[30, 20], [70, 180]], correction=False)[1]
    )
    none = keyness(corpus, "side", "T", "R", min_count=1, stop_words=None, correction="none")
    assert none.set_index("term").loc["rare", "chi2"] == pytest.approx(
        -chi2_contingency([[2, 10], [98, 190]], correction=False)[0]
    )


def test_keyness_g2_by_hand_and_williams():
    text_t = " ".join(["common"] * 30 + ["filler"] * 70)
    text_r = " ".join(["common"] * 20 + ["filler"] * 180)
    corpus = pd.DataFrame({"doc_id": ["t", "r"], "side": ["T", "R"], "text": [text_t, text_r]})
    table = keyness(corpus, "side", "T", min_count=1, stop_words=None).set_index("term")
    assert list(keyness(corpus, "side", "T", min_count=1, stop_words=None).columns) == list(
        KEYNESS_COLUMNS
    )
    cells = np.array([30, 20, 70, 180], dtype=float)
    expected = np.array([50 * 100, 50 * 200, 250 * 100, 250 * 200], dtype=float) / 300
    g2 = 2 * np.sum(cells * np.log(cells / expected))  # 2 sum O ln(O / E)
    assert table.loc["common", "G2"] == pytest.approx(g2, rel=1e-7)
    assert table.loc["filler", "G2"] == pytest.approx(-g2, rel=1e-7)
    assert table.loc["common", "reference"] == "(rest)"
    q = 1 + (300 / 50 + 300 / 250 - 1) * (300 / 100 + 300 / 200 - 1) / (6 * 300)
    williams = keyness(corpus, "side", "T", min_count=1, stop_words=None, correction="williams")
    assert williams.set_index("term").loc["common", "G2"] == pytest.approx(g2 / q, rel=1e-7)


# --------------------------------------------------------------------------- co-occurrence


def _two_frames(x, y, level="document", doc_ids=None):
    n = len(x)
    units = [f"u{i}" for i in range(n)]
    docs = doc_ids or units
    rows = [
        (d, u, level, f, v, 1, 0.0, v, "t@1")
        for d, u, a, b in zip(docs, units, x, y, strict=True)
        for f, v in (("ceasefire", a), ("talks", b))
    ]
    return pd.DataFrame(rows, columns=list(FRAMECODES_COLUMNS))


def test_cooccurrence_counts_jaccard_and_lift():
    codes = _two_frames([1, 1, 1, 0, 0, 1], [1, 0, 1, 1, 0, 0])
    table = cooccurrence(codes)
    assert list(table.columns) == list(COOCCURRENCE_COLUMNS)
    assert len(table) == 4  # ordered pairs incl. the diagonal
    row = table[(table["frame_a"] == "ceasefire") & (table["frame_b"] == "talks")].iloc[0]
    assert (row["n_both"], row["n_a"], row["n_b"], row["n_units"]) == (2, 4, 3, 6)
    assert row["jaccard"] == pytest.approx(2 / (4 + 3 - 2))
    assert row["lift"] == pytest.approx(2 * 6 / (4 * 3))
    assert row["method"] == "none" and math.isnan(row["lift_low"])


def test_cooccurrence_sentences_to_documents_and_bootstrap():
    codes = _two_frames(
        [1, 0, 1, 0, 0, 1],
        [0, 1, 0, 0, 1, 0],
        level="sentence",
        doc_ids=["a", "a", "b", "b", "c", "c"],
    )
    codes["unit_id"] = [
        u
        for d, k in zip(["a", "a", "b", "b", "c", "c"], [0, 1, 0, 1, 0, 1], strict=True)
        for u in [f"{d}-s{k}"] * 2
    ]
    in_sentences = cooccurrence(codes)
    assert in_sentences.loc[1, "n_both"] == 0
    in_docs = cooccurrence(codes, "document", n_boot=300, seed=2)
    row = in_docs.iloc[1]
    assert (row["n_both"], row["n_a"], row["n_b"], row["n_units"], row["level"]) == (
        2,
        3,
        2,
        3,
        "document",
    )
    assert row["jaccard_low"] <= row["jaccard"] <= row["jaccard_high"]
    assert row["method"] == "percentile bootstrap"
    with pytest.raises(ValueError, match=r"level='sentence' is finer than the codes"):
        cooccurrence(_two_frames([1], [1]), "sentence")


# --------------------------------------------------------------------------- tone


def test_tone_known_vader_scores():
    # one lexicon word of valence v scores v / sqrt(v^2 + 15): good 1.9, bad -2.5
    units = pd.DataFrame(
        {"doc_id": ["a", "b"], "text": ["good", "bad"], "outlet": "X", "url": "https://x.example"}
    )
    table = tone(units)
    assert list(table.columns) == [*TONE_COLUMNS, "outlet"]
    assert table["tone"].tolist() == pytest.approx(
        [1.9 / math.sqrt(1.9**2 + 15), -2.5 / math.sqrt(2.5**2 + 15)], abs=1e-4
    )
    assert table["unit_id"].tolist() == ["a", "b"]
    assert table[["negative", "neutral", "positive"]].values.tolist() == [[0, 0, 1], [1, 0, 0]]


def test_tone_nltk_engine_works_with_empty_nltk_data(tmp_path, monkeypatch):
    import nltk
    import nltk.data

    from framelab import _tone

    empty = tmp_path / "nltk_data"
    empty.mkdir(mode=0o700)
    monkeypatch.setenv("NLTK_DATA", str(empty))
    monkeypatch.setattr(nltk.data, "path", [str(empty)])
    monkeypatch.setattr(nltk.data, "_resource_cache", {})
    _tone._analyzer.cache_clear()
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    with pytest.raises(LookupError):  # no nltk_data anywhere: NLTK's default load fails
        SentimentIntensityAnalyzer()
    sentences = [
        "The talks were a great success.",
        "Shelling killed three civilians.",
        "Envoys met in Geneva.",
    ]
    units = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": sentences})
    cache = tmp_path / "cache" / "nltk"
    by_nltk = tone(units, engine="nltk", cache_dir=cache)
    assert (cache / "sentiment" / "vader_lexicon" / "vader_lexicon.txt").is_file()
    assert nltk.data.path == [str(empty)]  # the root was registered only while loading
    np.testing.assert_allclose(by_nltk["tone"], tone(units)["tone"], atol=1e-4)
    assert by_nltk["tone"].iloc[0] > 0.5 > -0.5 > by_nltk["tone"].iloc[1]
    _tone._analyzer.cache_clear()


def test_tone_leaves_no_process_wide_state_gh17(tmp_path, monkeypatch):
    import atexit
    import shutil
    import tempfile

    import nltk.data

    from framelab import _tone

    monkeypatch.setattr(nltk.data, "path", [])
    monkeypatch.setattr(nltk.data, "_resource_cache", {})
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # temporary folders go here
    registered = []
    monkeypatch.setattr(atexit, "register", lambda *a, **k: registered.append(a))
    _tone._analyzer.cache_clear()
    units = pd.DataFrame({"doc_id": ["a", "b"], "text": ["good", "bad"]})
    scores = tone(units, engine="nltk")["tone"].tolist()
    assert scores == pytest.approx(
        [1.9 / math.sqrt(1.9**2 + 15), -2.5 / math.sqrt(2.5**2 + 15)], abs=1e-4
    )
    assert nltk.data.path == []
    assert [a for a in registered if a[0] is shutil.rmtree] == []  # no folder left for exit
    assert list(tmp_path.iterdir()) == []  # the temporary lexicon root is gone
    _tone._analyzer.cache_clear()


def test_tone_is_one_function_at_every_import_path_gh17():
    import framelab
    from framelab import _tone
    from framelab.compare import _tone as old

    assert framelab.tone is tone is _tone.tone is old.tone
    assert old.TONE_COLUMNS is _tone.TONE_COLUMNS is TONE_COLUMNS


def test_vader_nltk_root_refuses_unsafe_folders(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.raises(PermissionError, match=r"writable by group or others"):
        vader_nltk_root(shared)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PermissionError, match=r"refusing to write data/raw/nltk"):
        vader_nltk_root("data/raw/nltk")


def test_tone_by_frame_and_group_with_mean_by():
    units = pd.DataFrame(
        {"doc_id": ["d00", "d01", "d02", "d03"], "text": ["good", "bad", "good", "fine talks"]}
    )
    codes = make_codes([1, 1, 1, 1], frame="support_fatigue", outlet=["A", "A", "B", "B"])
    table = mean_by(tone(units), "tone", by="outlet", codes=codes, n_boot=100)
    got = table.set_index("outlet")["estimate"]
    assert got["A"] == pytest.approx((0.4404 - 0.5423) / 2, abs=1e-4)
    assert got["B"] == pytest.approx((0.4404 + tone(units.iloc[[3]])["tone"].item()) / 2)


# --------------------------------------------------------------------------- the sample corpus


def _gold_codes(corpus: pd.DataFrame, level: str = "document") -> pd.DataFrame:
    """Gold labels of the sample as FrameCodes joined with the corpus metadata.

    Gold labels have no term counts: ``count`` is the 0/1 label and ``n_tokens`` the word count
    of the document (paragraph rows share it).
    """
    gold = load_sample_gold(level)
    words = corpus.set_index("doc_id")["text"].map(lambda t: len(tokenize(t, words_only=True)))
    gold["n_tokens"] = gold["doc_id"].map(words).astype("int64")
    gold["level"] = level
    gold["count"] = gold["present"].astype("int64")
    gold["per_1k"] = 1000.0 * gold["count"] / gold["n_tokens"]
    gold["codebook"] = "gold@sample"
    meta = corpus.drop(columns=["text", "title", "url", "source_file"])
    table = gold[list(FRAMECODES_COLUMNS)].merge(meta, on="doc_id", how="left")
    if "stance" in gold:  # paragraph level: the gold stance, e.g. "concessions:reject"
        table["stance"] = gold["stance"].to_numpy()
    return table


#: Document-level FrameCodes of the sample for the recovery tests. Dictionary codes are one more
#: entry: "dictionary": lambda corpus: framelab.coding.code_frames(corpus, "peace_talks").codes
def _dictionary_codes(corpus: pd.DataFrame) -> pd.DataFrame:
    """Document-level codes of the shipped peace_talks codebook."""
    from framelab.coding import code_frames

    return code_frames(corpus, "peace_talks").codes


SAMPLE_CODES = {"gold": _gold_codes, "dictionary": _dictionary_codes}


@pytest.fixture(scope="module", params=sorted(SAMPLE_CODES))
def codes(request, sample_corpus):
    return SAMPLE_CODES[request.param](sample_corpus)


def _p(group: str, frame: str) -> float:
    return truth.PROPENSITY[group][FRAMES.index(frame)]


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


def test_sample_us_support_fatigue_rises_after_the_break(codes):
    us = codes[codes["perspective"] == "us"]
    days = (truth.FATIGUE_BREAK - truth.START).days
    table = before_after(
        us,
        truth.FATIGUE_BREAK.isoformat(),
        window=days,
        frames=["support_fatigue"],
        n_boot=500,
        seed=0,
    )
    row = table.iloc[0]
    assert truth.US_FATIGUE_AFTER > _p("us", "support_fatigue")
    assert row["ci_low"] > 0  # 1. support fatigue rises in US outlets


def test_sample_event_raises_civil_military_and_stalemate(codes):
    table = before_after(
        codes,
        pd.Timestamp(truth.EVENT_DATE),
        window=truth.EVENT_WINDOW_DAYS,
        frames=["civil_military", "stalemate"],
        n_boot=500,
        seed=0,
    )
    assert truth.EVENT_CIVIL_MILITARY > 0.1 and truth.EVENT_STALEMATE_BOOST > 0
    assert (table["ci_low"] > 0).all(), table  # 6. the event


def test_sample_over_time_shows_the_event_month(codes):
    table = over_time(codes, freq="M", frames=["civil_military"], n_boot=300)
    event_month = pd.Timestamp(truth.EVENT_DATE).to_period("M").start_time
    peak = table.loc[table["estimate"].idxmax(), "period"]
    assert peak in (event_month, event_month + pd.offsets.MonthBegin(1))


def test_sample_regression_and_marginal_effects_recover_concessions(codes):
    coefs = regress(
        codes, "concessions", "~ C(perspective, Treatment('us')) + log_tokens", cluster="outlet"
    ).set_index("term")
    russia = coefs.loc["C(perspective, Treatment('us'))[T.russia_state]"]
    assert russia["ci_low"] > 0 and russia["exp_estimate"] > 1
    effects = marginal_effects(codes, "concessions", "~ C(perspective) + C(period)")
    top = effects.loc[effects["estimate"].idxmax()]
    assert top["perspective"] == "russia_state" and top["ci_low"] > _p("us", "concessions")


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


def test_sample_cooccurrence_of_paragraph_gold(sample_corpus):
    paragraphs = _gold_codes(sample_corpus, "paragraph")
    table = cooccurrence(paragraphs)
    wide = paragraphs.pivot_table(index="unit_id", columns="frame", values="present")
    both = int(((wide["ceasefire"] == 1) & (wide["concessions"] == 1)).sum())
    row = table[(table["frame_a"] == "ceasefire") & (table["frame_b"] == "concessions")].iloc[0]
    assert row["n_both"] == both and row["n_units"] == len(wide)
    assert row["lift"] == pytest.approx(
        both * len(wide) / (wide["ceasefire"].sum() * wide["concessions"].sum())
    )


def test_text_units_match_the_coding_engine_sentences(sample_corpus):
    coding = pytest.importorskip("framelab.coding")
    if not hasattr(coding, "code_frames"):
        pytest.skip("framelab.coding.code_frames is not available")
    from framelab.codebook import Codebook

    corpus = sample_corpus.head(12)
    splitter = SentenceSplitter.train(corpus["text"])
    cb = Codebook.from_dict(
        {"name": "mini", "version": "1", "frames": {"ceasefire": {"terms": ["truce", "ceasefire"]}}}
    )
    coded = coding.code_frames(corpus, cb, level="sentence", splitter=splitter)
    units = text_units(corpus, "sentence", splitter=splitter)
    mine = units[["doc_id", "unit_id", "start", "end"]].reset_index(drop=True)
    theirs = coded.units[["doc_id", "unit_id", "start", "end"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, theirs, check_dtype=False)


def test_distinguishing_terms_within_frame_of_a_coded_result():
    coding = pytest.importorskip("framelab.coding")
    if not hasattr(coding, "code_frames"):
        pytest.skip("framelab.coding.code_frames is not available")
    from framelab.codebook import Codebook

    cb = Codebook.from_dict(
        {
            "name": "mini",
            "version": "1",
            "frames": {"concessions": {"terms": ["realities", "land"]}},
        }
    )
    splitter = SentenceSplitter.train(SENTENCES["text"])
    coded = coding.code_frames(SENTENCES, cb, level="sentence", splitter=splitter)
    table = distinguishing_terms(
        SENTENCES, "side", "ukraine", within_frame="concessions", codes=coded, min_count=1
    )
    assert "weather" not in set(table["term"])  # the Coded units' offsets select the sentences
    assert {"kiev", "kyiv", "land", "realities"} <= set(table["term"])
    shares = prevalence(coded, "side", cluster="unit_id", n_boot=20)  # resample sentences
    assert shares["n"].tolist() == [2, 2] and shares["estimate"].tolist() == [0.5, 0.5]


def test_pairwise_pairs_are_all_combinations(sample_pairs):
    groups = sorted(truth.PROPENSITY)
    pairs = sample_pairs[["group_a", "group_b"]].drop_duplicates().values.tolist()
    assert pairs == [list(p) for p in itertools.combinations(groups, 2)]
    assert len(sample_pairs) == len(pairs) * len(FRAMES)
