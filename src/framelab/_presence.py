"""Presence rules: when do a unit's hits make it *carry* a frame?

By default a unit carries a frame when it has at least one hit (``present = count > 0``). A
frame whose entries fire incidentally is often better coded with a stricter rule:

``min_count``
    at least this many (counted) hits in the unit;
``min_units``
    for documents, hits in at least this many paragraphs (a frame argued across the article,
    not mentioned once in passing).

A rule is set per frame or globally (a ``presence:`` block in the codebook or ``coding.presence``
in the study config, e.g. ``{"min_count": 2}`` or ``{"frames": {"escalation": {"min_units":
2}}}``), applied with :func:`apply_presence`, and best chosen on gold labels with
:func:`framelab.validate.tune_presence`.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from framelab._errors import suggest

__all__ = ["PresenceRule", "apply_presence", "parse_presence", "presence_stats"]

_RULE_KEYS = ("min_count", "min_units")


@dataclass(frozen=True, order=True)
class PresenceRule:
    """``present = count >= min_count and paragraphs_with_hits >= min_units``.

    Examples
    --------
    >>> PresenceRule(min_count=2)
    PresenceRule(min_count=2, min_units=1)
    >>> str(PresenceRule(2, 3))
    'min_count=2, min_units=3'
    """

    min_count: int = 1
    min_units: int = 1

    def __post_init__(self):
        for key in _RULE_KEYS:
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"PresenceRule(): {key} must be an integer >= 1, got {value!r}.")

    def __str__(self) -> str:
        return f"min_count={self.min_count}, min_units={self.min_units}"


def parse_presence(block: object, frames, where: str = "presence") -> dict[str, PresenceRule]:
    """Read a ``presence`` block into a rule per frame (frames not named get the global rule).

    The block holds ``min_count``/``min_units`` (global) and optionally ``frames: {frame:
    {min_count, min_units}}`` (per frame, overriding the global values).

    Examples
    --------
    >>> rules = parse_presence({"min_count": 2, "frames": {"b": {"min_units": 2}}}, ["a", "b"])
    >>> rules["a"], rules["b"]
    (PresenceRule(min_count=2, min_units=1), PresenceRule(min_count=2, min_units=2))
    >>> parse_presence({"min_cuont": 2}, ["a"])
    Traceback (most recent call last):
    ...
    ValueError: presence: unknown key 'min_cuont'. Did you mean 'min_count'? Allowed keys: min_count, min_units, frames.
    """
    frames = [str(f) for f in frames]
    if block is None:
        return {f: PresenceRule() for f in frames}
    if not isinstance(block, Mapping):
        raise ValueError(
            f"{where}: expected a mapping such as {{min_count: 2}}, got {type(block).__name__}."
        )
    allowed = (*_RULE_KEYS, "frames")
    for key in block:
        if key not in allowed:
            raise ValueError(
                f"{where}: unknown key {key!r}.{suggest(str(key), allowed)} Allowed keys: "
                f"{', '.join(allowed)}."
            )
    base = _rule(block, PresenceRule(), where)
    per = block.get("frames") or {}
    if not isinstance(per, Mapping):
        raise ValueError(f"{where}.frames: expected a mapping frame -> rule, got {per!r}.")
    out = {f: base for f in frames}
    for frame, spec in per.items():
        if str(frame) not in out:
            raise ValueError(
                f"{where}.frames: {frame!r} is not a frame of the codebook."
                f"{suggest(str(frame), frames)} Frames: {', '.join(frames)}."
            )
        if not isinstance(spec, Mapping):
            raise ValueError(f"{where}.frames.{frame}: expected {{min_count, min_units}}.")
        for key in spec:
            if key not in _RULE_KEYS:
                raise ValueError(
                    f"{where}.frames.{frame}: unknown key {key!r}.{suggest(str(key), _RULE_KEYS)} "
                    f"Allowed keys: {', '.join(_RULE_KEYS)}."
                )
        out[str(frame)] = _rule(spec, base, f"{where}.frames.{frame}")
    return out


def _rule(spec: Mapping, base: PresenceRule, where: str) -> PresenceRule:
    values = {k: spec[k] for k in _RULE_KEYS if k in spec}
    try:
        return replace(base, **values)
    except ValueError as exc:
        raise ValueError(f"{where}: {str(exc).split(': ', 1)[1]}") from None


def presence_stats(coded: object) -> pd.DataFrame:
    """``count`` and ``n_paragraphs`` (paragraphs with a counted hit) per unit and frame.

    Follows the codebook's negation policy as :func:`framelab.code_frames` counts: ``drop``
    leaves negated hits out, ``separate`` counts them under ``<frame>:negated``.
    """
    from framelab.text import paragraph_spans

    codes, hits = coded.codes, coded.hits
    policy = coded.codebook.negation.policy
    if policy == "drop":
        hits = hits[~hits["negated"].astype(bool)]
    elif policy == "separate":
        neg = hits["negated"].astype(bool).to_numpy()
        hits = hits.assign(frame=np.where(neg, hits["frame"] + ":negated", hits["frame"]))
    para = np.zeros(len(hits), dtype=np.int64)
    starts = hits["start"].to_numpy()
    for doc_id, idx in hits.groupby("doc_id", sort=False).indices.items():
        text = coded.texts[doc_id]
        bounds = [s for s, _ in (paragraph_spans(text) or [(0, len(text))])]
        para[idx] = [max(0, bisect.bisect_right(bounds, s) - 1) for s in starts[idx]]
    per = (
        hits.assign(_p=para)
        .groupby(["unit_id", "frame"], sort=False)["_p"]
        .nunique()
        .rename("n_paragraphs")
    )
    out = codes[["unit_id", "frame", "count"]].merge(
        per.reset_index(), on=["unit_id", "frame"], how="left"
    )
    out["n_paragraphs"] = out["n_paragraphs"].fillna(0).astype("int64")
    return out


def apply_presence(
    coded: object, rules: PresenceRule | Mapping | None = None, *, strict: bool = True
) -> object:
    """A copy of a coding result whose ``present`` follows presence rules.

    Parameters
    ----------
    coded : framelab.coding.Coded
        The result of :func:`framelab.code_frames`.
    rules : PresenceRule, mapping or None
        One rule for every frame, ``{frame: PresenceRule}`` (frames not named keep the default
        rule) or a ``presence`` block as in the codebook (``{"min_count": 2, "frames": {...}}``).
        ``min_units > 1`` needs document-level codes.
    strict : bool, default True
        Raise when ``min_units > 1`` meets paragraph or sentence codes; ``False`` ignores
        ``min_units`` there (how :func:`framelab.code_frames` applies a codebook's rules, so one
        codebook serves every level).

    Returns
    -------
    Coded
        Same codes, hits and units; ``present`` recomputed (``count`` is unchanged).

    Examples
    --------
    >>> from framelab import Codebook, code_frames
    >>> corpus = pd.DataFrame({"doc_id": ["d1", "d2"],
    ...     "text": ["A truce. A truce.", "A truce here.\\n\\nAnd a truce there."]})
    >>> book = Codebook.from_dict({"name": "t", "version": "1",
    ...                            "frames": {"ceasefire": {"terms": ["truce"]}}})
    >>> coded = code_frames(corpus, book)
    >>> apply_presence(coded, {"min_units": 2}).codes[["doc_id", "count", "present"]]
      doc_id  count  present
    0     d1      2        0
    1     d2      2        1
    """
    caller = "apply_presence"
    frames = list(pd.unique(coded.codes["frame"].astype(str)))
    if isinstance(rules, PresenceRule):
        table = {f: rules for f in frames}
    elif rules is None or (isinstance(rules, Mapping) and not rules):
        table = {f: PresenceRule() for f in frames}
    elif isinstance(rules, Mapping) and all(isinstance(v, PresenceRule) for v in rules.values()):
        unknown = [f for f in rules if f not in frames]
        if unknown:
            raise ValueError(
                f"{caller}(): {unknown[0]!r} is not a frame of the codes."
                f"{suggest(str(unknown[0]), frames)}"
            )
        table = {f: rules.get(f, PresenceRule()) for f in frames}
    else:
        table = parse_presence(rules, frames, where=f"{caller}(): presence")
    if coded.level != "document" and not strict:
        table = {f: replace(r, min_units=1) for f, r in table.items()}
    if coded.level != "document" and any(r.min_units > 1 for r in table.values()):
        raise ValueError(
            f"{caller}(): min_units counts paragraphs with hits within a document; the codes are "
            f"{coded.level} units. Code at level='document' or use min_count only."
        )
    stats = presence_stats(coded)
    mc = stats["frame"].map({f: r.min_count for f, r in table.items()}).to_numpy()
    mu = stats["frame"].map({f: r.min_units for f, r in table.items()}).to_numpy()
    present = (stats["count"].to_numpy() >= mc) & (stats["n_paragraphs"].to_numpy() >= mu)
    codes = coded.codes.copy()
    codes["present"] = present.astype(np.int64)
    return replace(coded, codes=codes)
