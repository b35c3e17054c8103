"""LIWC-style ``.dic`` dictionaries parsed into a codebook mapping.

:func:`read_dic_spec` returns the plain mapping that :meth:`framelab.codebook.Codebook.from_dict`
validates; :func:`framelab.codebook.read_dic` builds the Codebook. This module does not import
:mod:`framelab.codebook` (no import cycle).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from framelab._errors import CodebookError

__all__ = ["read_dic_spec"]


def read_dic_spec(path: str | Path, *, version: str = "dic", language: str = "en") -> dict:
    """Parse a LIWC-style ``.dic`` dictionary into a codebook mapping (not yet validated).

    The file starts with a block between two ``%`` lines mapping category numbers to names, then
    one line per entry: the word (``*`` glob allowed; spaces make it a phrase) followed by the
    numbers of its categories, separated by tabs or spaces.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "mini.dic"
    >>> _ = p.write_text("%\\n1\\tpeace\\n2\\twar\\n%\\ntruce*\\t1\\ntalks\\t1\\nshell*\\t2\\n")
    >>> spec = read_dic_spec(p)
    >>> spec["name"], spec["version"], spec["frames"]["peace"]
    ('mini', 'dic', {'label': 'peace', 'terms': ['truce*', 'talks']})
    """
    from framelab.io._text import read_text_file

    path = Path(path)
    text, _enc = read_text_file(path)
    lines = text.splitlines()
    marks = [i for i, ln in enumerate(lines) if ln.strip() == "%"]
    if len(marks) < 2:
        raise CodebookError(
            f"{path}: a .dic file starts with a category block between two '%' "
            "lines; found fewer than two '%' lines."
        )
    categories: dict[str, str] = {}
    for i in range(marks[0] + 1, marks[1]):
        parts = lines[i].split()
        if not parts:
            continue
        if len(parts) < 2:
            raise CodebookError(
                f"{path}, line {i + 1}: expected '<number> <category name>', got {lines[i]!r}."
            )
        categories[parts[0]] = re.sub(r"[^a-z0-9_]+", "_", "_".join(parts[1:]).lower()).strip("_")
    terms: dict[str, list[str]] = {c: [] for c in categories.values()}
    phrases: dict[str, list[str]] = {c: [] for c in categories.values()}
    for i in range(marks[1] + 1, len(lines)):
        raw = lines[i].strip()
        if not raw:
            continue
        parts = re.split(r"\t+", raw) if "\t" in raw else raw.split()
        if "\t" in raw:
            word, cats = parts[0].strip(), " ".join(parts[1:]).split()
        else:
            nums = [p for p in parts if p.isdigit()]
            word, cats = " ".join(p for p in parts if not p.isdigit()), nums
        unknown = [c for c in cats if c not in categories]
        if unknown or not cats:
            raise CodebookError(
                f"{path}, line {i + 1}: entry {word!r} refers to "
                f"{'unknown categories ' + str(unknown) if unknown else 'no category'}"
                f"; categories defined: {', '.join(categories)}."
            )
        for c in cats:
            (phrases if " " in word else terms)[categories[c]].append(word.lower())
    frames = {}
    for cat in categories.values():
        spec: dict[str, Any] = {"label": cat}
        if terms[cat]:
            spec["terms"] = terms[cat]
        if phrases[cat]:
            spec["phrases"] = phrases[cat]
        if len(spec) > 1:
            frames[cat] = spec
    return {"name": path.stem, "version": version, "language": language, "frames": frames}
