"""Shared fixtures of the framelab.validate tests (moved from tests/test_validate.py)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from framelab.datasets import load_sample_gold
from framelab.text import tokenize
from framelab.validate import (
    FRAME_CODES_COLUMNS,
    coding_units,
)

from .validate_helpers import STAND_IN


@pytest.fixture(scope="module")
def gold_paragraphs():
    return load_sample_gold("paragraph")


@pytest.fixture(scope="module")
def coder2():
    return load_sample_gold("paragraph", coder=2)


@pytest.fixture(scope="module")
def stand_in_codes(sample_corpus):
    units = coding_units(sample_corpus, "paragraph")
    rows = []
    for unit in units.itertuples(index=False):
        n_tokens = len(tokenize(unit.text, words_only=True))
        for frame, pattern in STAND_IN.items():
            count = len(re.findall(pattern, unit.text, flags=re.IGNORECASE))
            rows.append(
                (
                    unit.doc_id,
                    unit.unit_id,
                    "paragraph",
                    frame,
                    count,
                    n_tokens,
                    1000 * count / n_tokens if n_tokens else 0.0,
                    int(count > 0),
                    "stand-in@0",
                )
            )
    return pd.DataFrame(rows, columns=list(FRAME_CODES_COLUMNS))
