"""framelab.schema: one definition of each table's columns and LEVELS; one FrameCodes builder."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

import framelab
from framelab import schema

SRC = Path(framelab.__file__).resolve().parent

#: the shared constants: they may be *defined* (assigned a literal) only in schema.py
SHARED = (
    "LEVELS",
    "COARSE_LEVELS",
    "CODE_COLUMNS",
    "FRAMECODES_COLUMNS",
    "FRAME_CODES_COLUMNS",
    "HIT_COLUMNS",
    "UNIT_COLUMNS",
    "TEXT_UNIT_COLUMNS",
    "ASSIGNMENT_COLUMNS",
    "TEXT_COLUMNS",
)
#: an assignment at the start of a line, of a tuple/list literal or of another name (a copy)
_DEFINITION = re.compile(
    r"^\s*_?(?P<name>" + "|".join(SHARED) + r")\s*(?::[^=]*)?=\s*(?P<value>.*)$", re.M
)


def _definitions() -> list[tuple[str, str]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for match in _DEFINITION.finditer(text):
            found.append((path.relative_to(SRC).as_posix(), match.group("name")))
    return found


def test_shared_constants_are_defined_only_in_schema_gh17():
    outside = [(f, n) for f, n in _definitions() if f != "schema.py"]
    assert outside == []
    assert sorted(n for f, n in _definitions() if f == "schema.py") == sorted(
        ["LEVELS", "COARSE_LEVELS", "CODE_COLUMNS", "HIT_COLUMNS", "UNIT_COLUMNS",
         "TEXT_UNIT_COLUMNS", "ASSIGNMENT_COLUMNS", "TEXT_COLUMNS"]
    )  # fmt: skip


def test_the_definition_finder_sees_copies_and_literals():
    text = 'LEVELS = ("document",)\n_LEVELS = LEVELS\nFRAMECODES_COLUMNS = CODE_COLUMNS\n'
    assert [m.group("name") for m in _DEFINITION.finditer(text)] == [
        "LEVELS",
        "LEVELS",
        "FRAMECODES_COLUMNS",
    ]
    assert not list(_DEFINITION.finditer("from framelab.schema import LEVELS as _LEVELS\n"))


def test_old_names_are_the_schema_objects_gh17():
    from framelab import compare, topics, validate
    from framelab.scale import _topics as scale_topics
    from framelab.topics import _config, _tables
    from framelab.validate import _baseline

    assert compare.FRAMECODES_COLUMNS is schema.CODE_COLUMNS
    assert _tables.FRAMECODES_COLUMNS is _baseline.FRAME_CODES_COLUMNS is schema.CODE_COLUMNS
    assert topics.ASSIGNMENT_COLUMNS is scale_topics.ASSIGNMENT_COLUMNS is schema.ASSIGNMENT_COLUMNS
    assert validate.LEVELS is _config.LEVELS is schema.COARSE_LEVELS
    assert compare.TEXT_UNIT_COLUMNS is schema.TEXT_UNIT_COLUMNS


def test_frame_codes_table_by_hand():
    units = pd.DataFrame(
        {
            "doc_id": ["a", "a"],
            "unit_id": ["a-p0", "a-p1"],
            "level": "paragraph",
            "n_tokens": [3, 0],
        }
    )
    meta = pd.DataFrame({"outlet": ["X", "X"], "date": pd.to_datetime(["2024-01-02"] * 2)})
    table = schema.frame_codes_table(units, ["f", "g"], [[1, 2], [0, 0]], codebook="cb@1",
                                     metadata=meta)  # fmt: skip
    assert list(table.columns) == [*schema.CODE_COLUMNS, "outlet", "date"]
    assert table["unit_id"].tolist() == ["a-p0", "a-p0", "a-p1", "a-p1"]
    assert table["frame"].tolist() == ["f", "g", "f", "g"]
    assert table["count"].tolist() == [1, 2, 0, 0]
    assert table["per_1k"].tolist() == [1000 / 3, 2000 / 3, 0.0, 0.0]
    assert table["present"].tolist() == [1, 1, 0, 0]
    assert table["codebook"].eq("cb@1").all() and table["outlet"].eq("X").all()
    assert table["date"].dtype == meta["date"].dtype
    assert table[["count", "n_tokens", "present"]].dtypes.eq(np.int64).all()


def test_every_producer_builds_frame_codes_with_the_one_builder_gh17(monkeypatch):
    """Dictionary coding, the supervised baseline and topic codes all go through it."""
    from framelab import coding
    from framelab.topics import _tables
    from framelab.validate import _baseline

    for module in (coding, _tables, _baseline):
        assert module.frame_codes_table is schema.frame_codes_table


def test_metadata_columns():
    corpus = pd.DataFrame(columns=["doc_id", "text", "outlet", "title", "url", "source_file", "x"])
    assert schema.metadata_columns(corpus) == ["doc_id", "outlet", "x"]
    assert schema.metadata_columns(corpus, exclude=("doc_id", "x")) == ["outlet"]
