"""Tests of framelab.validate._guidance (moved from tests/test_validate.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelab.datasets import FRAMES
from framelab.validate import (
    CI_WIDTH_COLUMNS,
    as_codings,
    ci_width_by_n,
)


def test_ci_width_by_n_shrinks_with_n(stand_in_codes, gold_paragraphs):
    table = ci_width_by_n(
        stand_in_codes, gold_paragraphs, sizes=[50, 200, 10**6], n_rep=8, n_boot=150, seed=0
    )
    assert list(table.columns) == list(CI_WIDTH_COLUMNS)
    assert sorted(table["n"].unique()) == [50, 200]  # sizes above the units at hand are skipped
    assert table["frame"].unique().tolist() == [*FRAMES, "micro"]
    micro = table[table["frame"] == "micro"].set_index("n")["width"]
    # CI width shrinks roughly like 1/sqrt(n): 4x the units, about half the width
    assert 1.5 < micro[50] / micro[200] < 2.7
    again = ci_width_by_n(stand_in_codes, gold_paragraphs, sizes=[50, 200], n_rep=8, n_boot=150)
    pd.testing.assert_frame_equal(table, again)


def test_ci_width_by_n_alpha_synthetic_coders():
    rng = np.random.default_rng(0)
    truth = (rng.random((400, 2)) < 0.4).astype(float)
    noisy = np.where(rng.random(truth.shape) < 0.1, 1 - truth, truth)
    codings = pd.concat(
        [
            pd.DataFrame(
                {
                    "unit_id": np.repeat([f"u{i}" for i in range(400)], 2),
                    "doc_id": "d",
                    "coder": coder,
                    "frame": np.tile(["x", "y"], 400),
                    "value": values.reshape(-1),
                }
            )
            for coder, values in (("a", truth), ("b", noisy))
        ]
    )
    table = ci_width_by_n(codings, statistic="alpha", sizes=[50, 200], n_rep=6, n_boot=150)
    assert list(table.columns) == list(CI_WIDTH_COLUMNS)
    assert table[["statistic", "frame", "n"]].values.tolist() == [
        ["alpha", "x", 50],
        ["alpha", "y", 50],
        ["alpha", "x", 200],
        ["alpha", "y", 200],
    ]
    assert (table["undefined"] == 0).all() and (table["n_rep"] == 6).all()
    wide = table.pivot(index="frame", columns="n", values="width")
    assert ((wide[50] / wide[200]).between(1.5, 2.7)).all()  # ~ sqrt(200 / 50) = 2


def test_ci_width_by_n_alpha_sample_rare_frames_flagged(gold_paragraphs, coder2):
    both = pd.concat([as_codings(gold_paragraphs, "coder1"), as_codings(coder2, "coder2")])
    n_all = coder2["unit_id"].nunique()
    table = ci_width_by_n(both, statistic="alpha", sizes=[20, n_all], n_rep=5, n_boot=100)
    assert table["frame"].tolist() == [*FRAMES, *FRAMES]
    undefined = table.pivot(index="frame", columns="n", values="undefined")
    assert (undefined[20] >= undefined[n_all]).all() and undefined[20].max() > 0
    with pytest.raises(ValueError, match="needs gold labels"):
        ci_width_by_n(both)
    with pytest.raises(ValueError, match="statistic must be 'f1' or 'alpha'"):
        ci_width_by_n(both, statistic="kappa")
