"""Tests of framelab.validate._agreement (moved from tests/test_validate.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from framelab.datasets import FRAMES
from framelab.validate import (
    AGREEMENT_COLUMNS,
    agreement,
    as_codings,
    krippendorff_alpha,
)


def _example(shared_fixtures):
    """Krippendorff (2011) worked example; the CSV is long: coder, unit, value (units 1-12)."""
    long = pd.read_csv(shared_fixtures / "krippendorff_2011_example.csv")
    assert list(long.columns) == ["coder", "unit", "value"]
    matrix = long.pivot(index="coder", columns="unit", values="value").reindex(columns=range(1, 13))
    return long, matrix


@pytest.mark.parametrize(
    ("metric", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_alpha_published_example(shared_fixtures, metric, published):
    import krippendorff

    _, matrix = _example(shared_fixtures)
    assert matrix.shape == (4, 12)
    alpha = krippendorff_alpha(matrix.to_numpy(), metric)
    assert alpha == pytest.approx(published, abs=5e-4)
    # krippendorff.alpha(reliability_data=matrix, level_of_measurement=metric), package 0.9.0
    reference = krippendorff.alpha(
        reliability_data=matrix.to_numpy(dtype=float), level_of_measurement=metric
    )
    assert alpha == pytest.approx(reference, abs=1e-12)


def test_krippendorff_alpha_matches_nltk_annotation_task(shared_fixtures):
    from nltk.metrics.agreement import AnnotationTask
    from nltk.metrics.distance import interval_distance

    long, matrix = _example(shared_fixtures)
    triples = [(c, str(u), v) for c, u, v in long.itertuples(index=False)]
    assert krippendorff_alpha(matrix.to_numpy(), "nominal") == pytest.approx(
        AnnotationTask(data=triples).alpha(), abs=1e-12
    )
    assert krippendorff_alpha(matrix.to_numpy(), "interval") == pytest.approx(
        AnnotationTask(data=triples, distance=interval_distance).alpha(), abs=1e-12
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_krippendorff_alpha_random_data_matches_package(seed):
    import krippendorff

    rng = np.random.default_rng(seed)
    data = rng.integers(1, 6, size=(3, 40)).astype(float)
    data[:, :30] = data[0, :30] + (rng.random((3, 30)) < 0.2)  # mostly agreeing units
    data[rng.random(data.shape) < 0.15] = np.nan
    for metric in ("nominal", "ordinal", "interval", "ratio"):
        assert krippendorff_alpha(data, metric) == pytest.approx(
            krippendorff.alpha(reliability_data=data, level_of_measurement=metric), abs=1e-10
        )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([0.0, 1.0, 2.0, np.nan]), min_size=6, max_size=6),
        min_size=2,
        max_size=4,
    ),
    st.sampled_from(["nominal", "ordinal", "interval"]),
)
def test_krippendorff_alpha_property_matches_package_and_ignores_order(rows, metric):
    import krippendorff

    data = np.array(rows)
    pairable = data[:, np.sum(~np.isnan(data), axis=0) >= 2]
    assume(len(np.unique(pairable[~np.isnan(pairable)])) >= 2)  # else alpha is undefined
    alpha = krippendorff_alpha(data, metric)
    shuffled = data[::-1, ::-1]  # coder and unit order do not matter
    assert krippendorff_alpha(shuffled, metric) == pytest.approx(alpha, abs=1e-12, nan_ok=True)
    reference = krippendorff.alpha(reliability_data=data, level_of_measurement=metric)
    assert alpha == pytest.approx(reference, abs=1e-9, nan_ok=True)


def test_krippendorff_alpha_strings_and_errors():
    # nominal labels as strings: perfect agreement on 3 units with 2 categories -> 1
    assert krippendorff_alpha([["a", "b", "a"], ["a", "b", "a"]]) == 1.0
    assert np.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))  # no variation: undefined
    with pytest.raises(ValueError, match="metric must be one of"):
        krippendorff_alpha([[1, 2]], "cosine")
    with pytest.raises(ValueError, match="needs numeric values"):
        krippendorff_alpha([["a", "b"], ["a", "a"]], "interval")


def test_agreement_two_coders_known_values():
    from sklearn.metrics import cohen_kappa_score

    c1 = [1, 1, 0, 0, 1, 0, 0, 0, 1, 0]
    c2 = [1, 0, 0, 0, 1, 0, 1, 0, 1, 0]
    codings = pd.DataFrame(
        {
            "unit_id": [f"u{i}" for i in range(10)] * 2,
            "doc_id": "d",
            "coder": ["a"] * 10 + ["b"] * 10,
            "frame": "x",
            "value": np.array(c1 + c2, dtype=float),
        }
    )
    table = agreement(codings, n_boot=300, seed=1)
    assert list(table.columns) == list(AGREEMENT_COLUMNS)
    row = table.iloc[0]
    assert row["percent_agreement"] == pytest.approx(0.8)  # 8 of 10 units agree
    # nominal alpha by hand: o_00 = 10, o_11 = 6, o_01 = o_10 = 2; n_0 = 12, n_1 = 8, n = 20
    # alpha = 1 - (n - 1) * (o_01 + o_10) / (2 n_0 n_1) = 1 - 19 * 4 / 192
    assert row["alpha"] == pytest.approx(1 - 19 * 4 / 192)
    assert row["kappa"] == pytest.approx(cohen_kappa_score(c1, c2))  # 0.5833...
    assert (row["n_units"], row["n_coders"], row["metric"]) == (10, 2, "nominal")
    assert row["ci_low"] <= row["alpha"] <= row["ci_high"] <= 1.0
    pd.testing.assert_frame_equal(table, agreement(codings, n_boot=300, seed=1))
    assert agreement(codings, n_boot=300, seed=2)["ci_low"].iloc[0] != row["ci_low"]


def test_agreement_three_coders_missing_and_undefined():
    import krippendorff

    codings = pd.DataFrame(
        {
            "unit_id": ["a", "b", "c", "d"] * 3 + ["a", "b"] * 3,
            "doc_id": "x",
            "coder": ["p"] * 4 + ["q"] * 4 + ["r"] * 4 + ["p", "p", "q", "q", "r", "r"],
            "frame": ["f"] * 12 + ["zero"] * 6,
            "value": [1, 0, 1, np.nan, 1, 0, 0, 1, 1, 1, 0, 0] + [0] * 6,
        }
    )
    table = agreement(codings, n_boot=100).set_index("frame")
    matrix = [[1, 0, 1, np.nan], [1, 0, 0, 1], [1, 1, 0, 0]]
    assert table.loc["f", "alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    )
    assert np.isnan(table.loc["f", "kappa"])  # three coders: no Cohen's kappa
    # pairs: a 3 agree of 3, b 1 of 3, c 1 of 3, d (q, r) 0 of 1 -> 5 / 10
    assert table.loc["f", "percent_agreement"] == pytest.approx(0.5)
    assert table.loc["f", "n_units"] == 4
    assert np.isnan(table.loc["zero", "alpha"]) and table.loc["zero", "percent_agreement"] == 1.0


def test_agreement_sample_coder1_vs_simulated_coder2(gold_paragraphs, coder2):
    import krippendorff

    both = pd.concat([as_codings(gold_paragraphs, "coder1"), as_codings(coder2, "coder2")])
    table = agreement(both, n_boot=200, seed=0)
    assert table["frame"].tolist() == list(FRAMES)
    assert (table["n_units"] == coder2["unit_id"].nunique()).all()
    assert (table["n_coders"] == 2).all()
    units = sorted(coder2["unit_id"].unique())
    for frame in FRAMES:
        matrix = [
            gold_paragraphs[gold_paragraphs["frame"] == frame]
            .set_index("unit_id")
            .loc[units, "present"]
            .to_numpy(float),
            coder2[coder2["frame"] == frame]
            .set_index("unit_id")
            .loc[units, "present"]
            .to_numpy(float),
        ]
        row = table.set_index("frame").loc[frame]
        assert row["alpha"] == pytest.approx(
            krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
        )
        assert row["ci_low"] <= row["alpha"] <= row["ci_high"]
    with pytest.raises(ValueError, match=r"looks like a gold or FrameCodes table.*as_codings"):
        agreement(gold_paragraphs)
