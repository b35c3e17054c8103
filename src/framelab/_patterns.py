"""How a codebook entry is split into token keys, shared by the matching engine
(:mod:`framelab._engine`) and the codebook checks (:mod:`framelab._codebook_parse`) (private).

A leaf module: it imports no codebook code, so loading a codebook may use it without an
import cycle.
"""

from __future__ import annotations

import re

from framelab.text import TOKEN_PATTERN

# Each chunk = leading whitespace + one token, so chunks tile the text and their lengths give
# character offsets without a second pass.
_CHUNK_RE = re.compile(rf"\s*(?:{TOKEN_PATTERN})")
_NORM = str.maketrans(
    {
        "\u2019": "'",
        "\u02bc": "'",
        "\u2018": "'",
        "`": "'",
        "\u00b4": "'",
        "\u2010": "-",
        "\u2011": "-",
    }
)


def _key(token: str) -> str:
    """Matching key of a (lower-cased, apostrophe-normalised) token."""
    return token.replace("-", "") if "-" in token else token


_GAP_RE = re.compile(r"(?:^|\s)~(\d+)(?=\s|$)")


def _gapped_keys(pattern: str) -> list[list[str]]:
    """Keys of a phrase with gaps: ``"вступ* ~2 НАТО"`` -> [["вступ*", "~2", "нато"]] (each
    part between gaps keeps its hyphen/space variants; no joined variant across a gap)."""
    parts = _GAP_RE.split(pattern)  # words, k, words, k, ...
    out: list[list[str]] = [[]]
    for n, part in enumerate(parts):
        if n % 2:
            out = [v + [f"~{int(part)}"] for v in out]
        else:
            out = [v + w for v in out for w in _pattern_keys(part.strip())]
    return out


def _pattern_keys(pattern: str) -> list[list[str]]:
    """Token-key sequences an entry matches (hyphen/space variants included).

    ``cease-fire`` -> [["ceasefire"], ["cease", "fire"]]; ``cease fire`` -> [["cease", "fire"],
    ["ceasefire"]].
    """
    if _GAP_RE.search(pattern):
        return _gapped_keys(pattern)
    norm = pattern.lower().translate(_NORM)
    words = [m.group().strip() for m in _CHUNK_RE.finditer(norm)]
    words = [w for w in words if w]
    # re-attach globs that the tokenizer split off ("negotiat*" -> "negotiat", "*")
    merged: list[str] = []
    for w in words:
        if w == "*" and merged:
            merged[-1] += "*"
        else:
            merged.append(w)
    variants = [[_key(w) for w in merged]]
    split = [part for w in merged for part in w.split("-") if part]
    if len(split) > len(merged):
        variants.append(split)
    if 1 < len(merged) <= 3 and not any(w.endswith("*") for w in merged[:-1]):
        variants.append(["".join(_key(w) for w in merged)])
    out, seen = [], set()
    for v in variants:
        t = tuple(v)
        if t not in seen:
            seen.add(t)
            out.append(v)
    return out
