"""Tests of framelab.compare._cooc (moved from tests/test_compare.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from framelab.compare import (
    COOCCURRENCE_COLUMNS,
    FRAMECODES_COLUMNS,
    cooccurrence,
)

from .compare_helpers import _gold_codes


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
