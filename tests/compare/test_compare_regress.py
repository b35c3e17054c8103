"""Tests of framelab.compare._regress (moved from tests/test_compare.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from framelab.compare import (
    MARGINAL_COLUMNS,
    REGRESS_COLUMNS,
    marginal_effects,
    regress,
)

from .compare_helpers import _p, make_codes


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


def test_sample_regression_and_marginal_effects_recover_concessions(codes):
    coefs = regress(
        codes, "concessions", "~ C(perspective, Treatment('us')) + log_tokens", cluster="outlet"
    ).set_index("term")
    russia = coefs.loc["C(perspective, Treatment('us'))[T.russia_state]"]
    assert russia["ci_low"] > 0 and russia["exp_estimate"] > 1
    effects = marginal_effects(codes, "concessions", "~ C(perspective) + C(period)")
    top = effects.loc[effects["estimate"].idxmax()]
    assert top["perspective"] == "russia_state" and top["ci_low"] > _p("us", "concessions")
