"""Tests of framelab.plots_validation (moved from tests/test_validate.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelab import plots_validation as pv
from framelab.validate import accuracy

from .validate_helpers import CODES_TINY, GOLD_TINY


def test_plot_agreement_draws_on_given_axes():
    import matplotlib.pyplot as plt

    table = pd.DataFrame(
        {
            "frame": ["a", "b", "c"],
            "alpha": [0.9, 0.6, np.nan],
            "ci_low": [0.8, 0.4, np.nan],
            "ci_high": [0.95, 0.7, np.nan],
            "metric": "nominal",
        }
    )
    _, ax = plt.subplots()
    out = pv.plot_agreement(table, ax=ax, title="Agreement")
    assert out is ax
    assert ax.get_title() == "Agreement" and ax.get_ylabel() == "Frame"
    assert ax.get_xlabel() == "Krippendorff's alpha (nominal), bootstrap CI"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c"]
    points = ax.lines[0].get_xydata()
    assert points.tolist() == [[0.9, 2.0], [0.6, 1.0]]  # NaN alpha is not drawn
    assert ax.lines[0].get_color() == pv.OKABE_ITO[0]
    with pytest.raises(ValueError, match="no 'alpha' column"):
        pv.plot_agreement(table.drop(columns="alpha"))


def test_plot_accuracy_dodges_codebooks():
    import matplotlib.pyplot as plt

    one = accuracy(CODES_TINY, GOLD_TINY, n_boot=50)
    two = one.assign(codebook="baseline@1")
    _, ax = plt.subplots()
    out = pv.plot_accuracy(pd.concat([one, two]), metric="recall", ax=ax)
    assert out is ax
    assert ax.get_title() == "Recall against gold labels"
    assert ax.get_xlabel().startswith("Recall") and ax.get_ylabel() == "Frame"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["codes", "baseline@1"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x", "y", "macro", "micro"]
    assert len(ax.lines) >= 2 and ax.lines[0].get_color() != ax.lines[-1].get_color()
    with pytest.raises(ValueError, match="metric must be one of"):
        pv.plot_accuracy(one, metric="auc")


def test_plot_ci_width_one_line_per_frame():
    import matplotlib.pyplot as plt

    table = pd.DataFrame(
        {
            "statistic": "alpha",
            "frame": ["a"] * 3 + ["b"] * 3,
            "n": [25, 50, 100] * 2,
            "width": [0.5, 0.35, 0.25, 0.6, 0.4, 0.3],
            "width_sd": 0.02,
            "n_rep": 10,
            "undefined": 0.0,
        }
    )
    _, ax = plt.subplots()
    assert pv.plot_ci_width(table, ax=ax) is ax
    assert [line.get_label() for line in ax.lines] == ["a", "b"]
    assert ax.lines[1].get_ydata().tolist() == [0.6, 0.4, 0.3]
    assert ax.get_xlabel() == "Hand-coded units (n)"
    assert ax.get_title() == "How precise is alpha with n coded units?"
