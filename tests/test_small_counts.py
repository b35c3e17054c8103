"""Intervals with few hits or few clusters (issue 18, item 6): Wilson / Newcombe instead of
[0, 0], widened intervals and a warning below 5 clusters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelab._intervals import jeffreys_interval, wilson_interval
from framelab.compare import _small, difference, over_time, prevalence


def _codes(present, **meta):
    ids = [f"d{i:02d}" for i in range(len(present))]
    return pd.DataFrame(
        {"doc_id": ids, "unit_id": ids, "level": "document", "frame": "f", "present": present}
        | meta
    )


def test_wilson_and_jeffreys_match_statsmodels():
    from statsmodels.stats.proportion import proportion_confint

    for k, n in ((27, 30), (3, 10), (10, 10)):
        low, high = wilson_interval(k, n)
        ref = proportion_confint(k, n, alpha=0.05, method="wilson")
        assert (float(low), float(high)) == pytest.approx(ref, abs=1e-12)
        low, high = jeffreys_interval(k, n)
        ref = proportion_confint(k, n, alpha=0.05, method="jeffreys")
        # statsmodels does not set the bounds to 0 / 1 at k = 0 / n (Brown et al. 2001 do)
        assert float(low) == pytest.approx(ref[0], abs=1e-12)
        assert float(high) == pytest.approx(1.0 if k == n else ref[1], abs=1e-12)
    # Wilson by hand for 27/30: centre (0.9 + z^2/60) / (1 + z^2/30), half-width
    # z sqrt(0.09/30 + z^2/3600) / (1 + z^2/30) with z = 1.959964: [0.74379, 0.96540]
    assert np.round(wilson_interval(27, 30), 5).tolist() == [0.74379, 0.9654]


def test_prevalence_zero_or_all_hits_get_wilson_not_zero_width_gh18():
    codes = _codes([0] * 10 + [1] * 10, outlet=["A"] * 10 + ["B"] * 10)
    table = prevalence(codes, "outlet", n_boot=200)
    z = 1.959963984540054
    high0 = (z**2 / 20 + z * np.sqrt(z**2 / 400)) / (1 + z**2 / 10)  # Wilson 0/10
    assert table["ci_low"].tolist() == pytest.approx([0.0, 1 - high0], abs=1e-12)
    assert table["ci_high"].tolist() == pytest.approx([high0, 1.0], abs=1e-12)
    assert table["method"].tolist() == [_small.WILSON] * 2
    dated = codes.assign(date=pd.Timestamp("2024-03-05"))
    monthly = over_time(dated, freq="M", by="outlet", n_boot=200)
    assert monthly["ci_high"].tolist() == pytest.approx([high0, 1.0], abs=1e-12)


def test_difference_with_zero_hits_gets_newcombe_interval_gh18():
    codes = _codes([0] * 20, outlet=["A"] * 10 + ["B"] * 10)
    row = difference(codes, "outlet", "A", "B", n_boot=200, n_perm=200, correction="none")
    high0 = float(wilson_interval(0, 10)[1])
    assert (row["ci_low"].item(), row["ci_high"].item()) == pytest.approx((-high0, high0))
    assert row["method"].item() == _small.NEWCOMBE


def test_few_clusters_warn_and_widen_by_t_factor_gh18(monkeypatch):
    rng = np.random.default_rng(0)
    present = rng.integers(0, 2, 60)
    codes = _codes(present, outlet=np.repeat(["o1", "o2", "o3"], 20), country="C")
    with pytest.warns(UserWarning, match=r"C \(3\) have fewer than 5 values of 'outlet'"):
        wide = prevalence(codes, "country", cluster="outlet", n_boot=500, seed=4)
    monkeypatch.setattr(_small, "MIN_CLUSTERS", 3)
    plain = prevalence(codes, "country", cluster="outlet", n_boot=500, seed=4)
    from scipy.stats import t

    factor = t.ppf(0.975, 2) / 1.959963984540054 * np.sqrt(3 / 2)
    est = plain["estimate"].item()
    expect_low = max(0.0, est - (est - plain["ci_low"].item()) * factor)
    expect_high = min(1.0, est + (plain["ci_high"].item() - est) * factor)
    assert (wide["ci_low"].item(), wide["ci_high"].item()) == pytest.approx(
        (expect_low, expect_high), abs=1e-12
    )
    assert wide["method"].item() == "percentile bootstrap, widened for 3 clusters"
    assert plain["method"].item() == "percentile bootstrap"


def test_label_with_n_shows_units_and_gold_per_group_gh18():
    from framelab.plots import plot_prevalence
    from framelab.plots_counts import label_with_n

    codes = _codes([1, 0, 1, 1, 0], outlet=["A", "A", "A", "B", "B"])
    table = label_with_n(prevalence(codes, "outlet", n_boot=50))
    assert table["outlet"].tolist() == ["A (n=3)", "B (n=2)"]
    ax = plot_prevalence(table)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A (n=3)", "B (n=2)"]


def test_zero_hits_with_cluster_use_the_clusters_as_n_gh19():
    # 60 reports of country C from 3 outlets, none carries the frame. The Wilson fallback used
    # the 60 units (upper bound z^2 / (60 + z^2) = 0.0602) although units of an outlet are not
    # independent; with cluster= the effective n is the 3 outlets: z^2 / (3 + z^2) = 0.5615.
    z2 = 1.959963984540054**2
    codes = _codes([0] * 60, outlet=np.repeat(["o1", "o2", "o3"], 20), country="C")
    with pytest.warns(UserWarning, match="fewer than 5 values of 'outlet'"):
        row = prevalence(codes, "country", cluster="outlet", n_boot=200).iloc[0]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((0.0, z2 / (3 + z2)), abs=1e-12)
    assert row["method"] == _small.WILSON + ", on the number of clusters"
    plain = prevalence(codes, "country", n_boot=200).iloc[0]  # documents: n = 60
    assert plain["ci_high"] == pytest.approx(z2 / (60 + z2), abs=1e-12)
    dated = codes.assign(date=pd.Timestamp("2024-03-05"))
    monthly = over_time(dated, freq="M", by="country", cluster="outlet", n_boot=200)
    assert monthly["ci_high"].item() == pytest.approx(z2 / (3 + z2), abs=1e-12)
    # the difference of two such countries: Newcombe on 3 clusters each
    two = pd.concat([codes, codes.assign(doc_id=lambda d: "e" + d["doc_id"], unit_id=lambda d:
                     "e" + d["unit_id"], outlet=lambda d: "x" + d["outlet"], country="D")])  # fmt: skip
    with pytest.warns(UserWarning, match="fewer than 5 values of 'outlet'"):
        diff = difference(two, "country", "C", "D", cluster="outlet", n_boot=200, n_perm=200,
                          correction="none")  # fmt: skip
    high = z2 / (3 + z2)
    assert (diff["ci_low"].item(), diff["ci_high"].item()) == pytest.approx((-high, high))
    assert diff["method"].item() == _small.NEWCOMBE + ", on the number of clusters"
