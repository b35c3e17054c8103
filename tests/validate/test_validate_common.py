"""Tests of framelab.validate._common (moved from tests/test_validate.py)."""

from __future__ import annotations

import pytest

from framelab.validate import coding_units

from .validate_helpers import TINY_CORPUS


def test_coding_units_paragraph_ids_match_sample_gold(sample_corpus, gold_paragraphs):
    units = coding_units(sample_corpus, "paragraph")
    assert set(units["unit_id"]) == set(gold_paragraphs["unit_id"])
    assert units["unit_id"].is_unique
    assert list(units.columns[:4]) == ["doc_id", "unit_id", "level", "text"]
    assert {"title", "url", "source_file"}.isdisjoint(units.columns)
    assert "perspective" in units.columns


def test_coding_units_tiny_paragraphs():
    units = coding_units(TINY_CORPUS, "paragraph")
    assert units["unit_id"].tolist() == ["d1-p0", "d1-p1", "d2-p0", "d3-p0"]
    assert units["text"].tolist()[:2] == ["A truce was agreed.", "Talks resume."]
    assert units["outlet"].tolist() == ["X", "X", "Y", "X"]
    docs = coding_units(TINY_CORPUS, "document")
    assert docs["unit_id"].tolist() == ["d1", "d2", "d3"]
    with pytest.raises(ValueError, match="level must be one of"):
        coding_units(TINY_CORPUS, "sentence")
