"""Shared fixtures of the framelab.compare tests (moved from tests/test_compare.py)."""

from __future__ import annotations

import pytest

from .compare_helpers import SAMPLE_CODES


@pytest.fixture(scope="module", params=sorted(SAMPLE_CODES))
def codes(request, sample_corpus):
    return SAMPLE_CODES[request.param](sample_corpus)
