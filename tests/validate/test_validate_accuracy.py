"""Tests of framelab.validate._accuracy (moved from tests/test_validate.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelab.datasets import FRAMES, load_sample_gold
from framelab.validate import (
    ACCURACY_COLUMNS,
    ERROR_COLUMNS,
    accuracy,
    errors,
)

from .validate_helpers import CODES_TINY, GOLD_TINY


def test_accuracy_known_answers():
    table = accuracy(CODES_TINY, GOLD_TINY, n_boot=200).set_index("frame")
    assert list(table.reset_index().columns) == list(ACCURACY_COLUMNS)
    # x: tp 2, fp 1, fn 1 -> P = R = F1 = 2/3
    assert table.loc["x", ["tp", "fp", "fn", "support", "n_units"]].tolist() == [2, 1, 1, 3, 6]
    assert table.loc["x", ["precision", "recall", "f1"]].tolist() == pytest.approx([2 / 3] * 3)
    # y: tp 0, fp 0, fn 1 -> precision undefined, recall 0, F1 0
    assert np.isnan(table.loc["y", "precision"])
    assert table.loc["y", ["recall", "f1"]].tolist() == [0.0, 0.0]
    # macro: mean of defined per-frame values; micro: pooled tp 2, fp 1, fn 2
    assert table.loc["macro", ["precision", "recall", "f1"]].tolist() == pytest.approx(
        [2 / 3, 1 / 3, 1 / 3]
    )
    assert table.loc["micro", ["precision", "recall", "f1"]].tolist() == pytest.approx(
        [2 / 3, 1 / 2, 4 / 7]
    )
    assert table.loc["micro", ["tp", "fp", "fn", "support"]].tolist() == [2, 1, 2, 4]
    assert (table["level"] == "document").all() and (table["codebook"] == "codes").all()
    for metric in ("precision", "recall", "f1"):
        ok = table[metric].notna()
        assert (table.loc[ok, f"{metric}_low"] <= table.loc[ok, metric] + 1e-12).all()
        assert (table.loc[ok, metric] <= table.loc[ok, f"{metric}_high"] + 1e-12).all()


def test_accuracy_bootstrap_seeded():
    first = accuracy(CODES_TINY, GOLD_TINY, n_boot=200, seed=4)
    pd.testing.assert_frame_equal(first, accuracy(CODES_TINY, GOLD_TINY, n_boot=200, seed=4))
    other = accuracy(CODES_TINY, GOLD_TINY, n_boot=200, seed=5)
    assert not np.allclose(first["f1_low"], other["f1_low"], equal_nan=True) or not np.allclose(
        first["f1_high"], other["f1_high"], equal_nan=True
    )


def test_accuracy_sample_matches_sklearn(stand_in_codes, gold_paragraphs):
    from sklearn.metrics import precision_recall_fscore_support

    table = accuracy(stand_in_codes, gold_paragraphs, n_boot=100).set_index("frame")
    assert table.loc[list(FRAMES), "codebook"].eq("stand-in@0").all()
    assert (table["level"] == "paragraph").all()
    merged = gold_paragraphs.merge(
        stand_in_codes, on=["unit_id", "frame"], suffixes=("_gold", "_code")
    )
    for frame in FRAMES:
        part = merged[merged["frame"] == frame]
        # precision_recall_fscore_support(y_true, y_pred, average="binary", zero_division=nan)
        p, r, f, _ = precision_recall_fscore_support(
            part["present_gold"], part["present_code"], average="binary", zero_division=np.nan
        )
        assert table.loc[frame, ["precision", "recall", "f1"]].tolist() == pytest.approx(
            [p, r, f], nan_ok=True
        )
        assert table.loc[frame, "support"] == part["present_gold"].sum()
    p, r, f, _ = precision_recall_fscore_support(
        merged.pivot(index="unit_id", columns="frame", values="present_gold")[list(FRAMES)],
        merged.pivot(index="unit_id", columns="frame", values="present_code")[list(FRAMES)],
        average="micro",
    )
    assert table.loc["micro", ["precision", "recall", "f1"]].tolist() == pytest.approx([p, r, f])


def test_accuracy_input_errors(stand_in_codes, gold_paragraphs):
    doc_gold = load_sample_gold("document")
    with pytest.raises(ValueError, match=r"have no code .*Code the same units as the gold"):
        accuracy(stand_in_codes, doc_gold, n_boot=10)
    with pytest.raises(ValueError, match="codes hold no 'document' units"):
        accuracy(stand_in_codes, gold_paragraphs, level="document", n_boot=10)
    renamed = stand_in_codes.replace({"frame": {"ceasefire": "ceasfire"}})
    with pytest.raises(
        ValueError, match="gold frame 'ceasefire' has no codes. Did you mean 'ceasfire'"
    ):
        accuracy(renamed, gold_paragraphs, n_boot=10)
    with pytest.raises(ValueError, match="'present' must be 0 or 1"):
        accuracy(CODES_TINY.assign(present=2), GOLD_TINY, n_boot=10)
    with pytest.raises(ValueError, match="n_boot must be a positive integer"):
        accuracy(CODES_TINY, GOLD_TINY, n_boot=0)
    # gold units not coded (missing) are left out, not counted as 0
    partial = GOLD_TINY.astype({"present": float})
    partial.loc[0, "present"] = np.nan
    table = accuracy(CODES_TINY, partial, n_boot=10).set_index("frame")
    assert table.loc["x", ["tp", "n_units"]].tolist() == [1, 5]


def test_errors_lists_false_positives_and_negatives_with_terms():
    table = errors(CODES_TINY, GOLD_TINY)
    assert list(table.columns) == list(ERROR_COLUMNS)
    assert table[["unit_id", "frame", "error"]].values.tolist() == [
        ["u3", "x", "false_positive"],
        ["u2", "x", "false_negative"],
        ["u0", "y", "false_negative"],
    ]
    assert table["terms"].isna().all()
    hits = pd.DataFrame(
        {
            "doc_id": ["u3", "u3", "u3", "u2"],
            "unit_id": ["u3", "u3", "u3", "u2"],
            "frame": ["x", "x", "x", "x"],
            "term": ["truce", "armistice", "truce", "ceasefire"],
            "start": [20, 3, 40, 0],
            "end": [25, 12, 45, 9],
            "negated": [False, False, False, True],
        }
    )
    with_terms = errors(CODES_TINY, GOLD_TINY, hits=hits)
    assert with_terms["terms"].tolist() == [("armistice", "truce"), ("ceasefire (negated)",), ()]
