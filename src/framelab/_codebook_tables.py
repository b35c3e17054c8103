"""Codebook tables: one row per frame (``summary``) and one per pattern (``entries``).

Functions of a :class:`~framelab.codebook.Codebook` (its methods call them); this module reads
only the codebook's attributes and does not import :mod:`framelab.codebook`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from framelab._codebook_parse import ALL_LANGUAGES

SUMMARY_COLUMNS = [
    "frame",
    "label",
    "parent",
    "terms",
    "phrases",
    "ambiguous",
    "regex",
    "exclude",
    "languages",
]
ENTRY_COLUMNS = ["frame", "language", "kind", "pattern"]


def summary_table(codebook: Any) -> pd.DataFrame:
    """One row per frame: pattern counts summed over languages, and the languages listed.

    Examples
    --------
    >>> from framelab.codebook import Codebook
    >>> cb = Codebook.from_dict({"name": "m", "version": "1", "frames": {"talks": {
    ...     "terms": {"en": ["talks"], "ru": ["переговоры"]}, "phrases": ["peace talks"]}}})
    >>> summary_table(cb)[["frame", "terms", "phrases", "languages"]]
       frame  terms  phrases languages
    0  talks      2        1    en, ru
    """
    rows = [
        {
            "frame": fid,
            "label": f.label,
            "parent": f.parent or "",
            "terms": sum(len(v) for v in f.terms.values()),
            "phrases": sum(len(v) for v in f.phrases.values()),
            "ambiguous": sum(len(v) for v in f.ambiguous.values()),
            "regex": len(f.regex) + sum(len(v) for v in f.regex_by_language.values()),
            "exclude": sum(len(v) for v in f.exclude.values()),
            "languages": ", ".join(f.languages),
        }
        for fid, f in codebook.frames.items()
    ]
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def entries_table(codebook: Any) -> pd.DataFrame:
    """Every pattern of every frame: ``frame, language, kind, pattern`` (``*`` = a regex of
    every language), in frame order, then term, phrase, ambiguous, exclude, context, regex.

    Examples
    --------
    >>> from framelab.codebook import Codebook
    >>> cb = Codebook.from_dict({"name": "m", "version": "1", "frames": {"talks": {
    ...     "terms": ["talks"], "exclude": ["wage talks"]}}})
    >>> entries_table(cb)["kind"].tolist()
    ['term', 'exclude']
    """
    rows = []
    for fid, f in codebook.frames.items():
        kinds = (
            ("term", f.terms),
            ("phrase", f.phrases),
            ("ambiguous", f.ambiguous),
            ("exclude", f.exclude),
            ("context", f.context),
        )
        for kind, mapping in kinds:
            for lang, pats in mapping.items():
                rows += [{"frame": fid, "language": lang, "kind": kind, "pattern": p} for p in pats]
        regexes = {ALL_LANGUAGES: f.regex, **f.regex_by_language}
        rows += [
            {"frame": fid, "language": lang, "kind": "regex", "pattern": r}
            for lang, pats in regexes.items()
            for r in pats
        ]
    return pd.DataFrame(rows, columns=ENTRY_COLUMNS)
