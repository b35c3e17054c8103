"""Unit ids, parsed in one place: ``<doc_id>`` (document), ``<doc_id>-p<k>`` (paragraph k),
``<doc_id>-s<k>`` (sentence k), k counted from 0 within the document.

Floor module (imports no other framelab module), used by the text layer, compare and validate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

__all__ = ["LEVEL_TAGS", "doc_id_of", "infer_level", "level_of", "unit_id"]

#: Suffix letter of each sub-document level.
LEVEL_TAGS = {"paragraph": "p", "sentence": "s"}

_SUFFIX = re.compile(r"-([ps])\d+$")


def unit_id(doc_id: str, level: str, k: int) -> str:
    """The id of unit ``k`` (from 0) of a document at ``level``.

    Examples
    --------
    >>> unit_id("d1", "document", 0), unit_id("d1", "paragraph", 2), unit_id("d1", "sentence", 0)
    ('d1', 'd1-p2', 'd1-s0')
    """
    if level == "document":
        return str(doc_id)
    return f"{doc_id}-{LEVEL_TAGS[level]}{k}"


def doc_id_of(unit_id: str) -> str:
    """``S0001-p3`` -> ``S0001``; a document id is returned unchanged.

    Examples
    --------
    >>> doc_id_of("S0001-p3"), doc_id_of("S0001-s0"), doc_id_of("S0001")
    ('S0001', 'S0001', 'S0001')
    """
    return _SUFFIX.sub("", str(unit_id))


def level_of(unit_ids: Iterable[str]) -> str:
    """Guess the level from unit ids alone: all ``<doc>-p<k>`` -> paragraph, all ``<doc>-s<k>``
    -> sentence, else document.

    Examples
    --------
    >>> level_of(["a-p0", "b-p3"]), level_of(["a-s1"]), level_of(["a-p0", "b"]), level_of([])
    ('paragraph', 'sentence', 'document', 'document')
    """
    ids = [str(u) for u in unit_ids]
    for level, tag in LEVEL_TAGS.items():
        pattern = re.compile(rf"-{tag}\d+$")
        if ids and all(pattern.search(u) for u in ids):
            return level
    return "document"


def infer_level(units: pd.DataFrame, caller: str) -> str:
    """Unit level of a table from its ``unit_id`` and ``doc_id`` columns (strict: every id must
    be the doc_id, or every one ``<doc_id>-p<k>``, or every one ``<doc_id>-s<k>``).

    Examples
    --------
    >>> units = pd.DataFrame({"doc_id": ["d1", "d1"], "unit_id": ["d1-p0", "d1-p1"]})
    >>> infer_level(units, "demo")
    'paragraph'
    >>> infer_level(units.assign(unit_id=["d1-p0", "d2-p1"]), "demo")
    Traceback (most recent call last):
    ...
    ValueError: demo(): cannot tell the unit level from unit_id (expected the doc_id, '<doc_id>-p<k>' or '<doc_id>-s<k>'); add a 'level' column.
    """
    ids, docs = units["unit_id"].astype(str), units["doc_id"].astype(str)
    if (ids == docs).all():
        return "document"
    for level, tag in LEVEL_TAGS.items():
        pattern = re.compile(r"-" + tag + r"\d+")
        if all(
            u.startswith(d) and pattern.fullmatch(u[len(d) :])
            for u, d in zip(ids, docs, strict=True)
        ):
            return level
    raise ValueError(
        f"{caller}(): cannot tell the unit level from unit_id (expected the doc_id, "
        "'<doc_id>-p<k>' or '<doc_id>-s<k>'); add a 'level' column."
    )
