"""Tests of framelab.compare._common (moved from tests/test_compare.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from framelab.compare import (
    FRAMECODES_COLUMNS,
    check_codes,
)

from .compare_helpers import make_codes


def test_check_codes_names_every_missing_column():
    with pytest.raises(ValueError, match=r"lacks the FrameCodes columns 'level', 'present'"):
        check_codes(
            pd.DataFrame({"doc_id": ["a"], "unit_id": ["a"], "frame": ["x"]}),
            "prevalence",
            ["doc_id", "unit_id", "level", "frame", "present"],
        )


def test_check_codes_defaults_to_all_framecodes_columns():
    codes = make_codes([1, 0])
    check_codes(codes, "prevalence")  # complete: no error
    with pytest.raises(ValueError, match=r"column 'codebook'"):
        check_codes(codes.drop(columns="codebook"), "prevalence")
    assert FRAMECODES_COLUMNS[:4] == ("doc_id", "unit_id", "level", "frame")


def test_check_codes_rejects_a_string_and_a_list():
    with pytest.raises(TypeError, match=r"prevalence\(\): got a string"):
        check_codes("codes.csv", "prevalence")
    with pytest.raises(TypeError, match=r"expected a FrameCodes DataFrame, got list"):
        check_codes([1, 2], "prevalence")
