"""``Coded.recode``: code a corpus again after a codebook edit, matching only what changed.

A frame's hits depend only on its own entries, exclusions, context cues, window and scope, and on
the codebook's shared settings (language, negation cues, window and blockers, scope block) and the
documents' languages. So a recode keeps the hits of every frame the edit left unchanged, and for
a frame whose edit only added or removed entries it also keeps the hits in the documents that
hold no token starting one of those entries; everything else is matched again on the tokenised
corpus kept from the first coding (:mod:`framelab._tokens`). The hits are put back in the
engine's order (document, start, longest first, codebook order of the frames), so the result is
identical to a fresh :func:`framelab.code_frames` - the property test in
``tests/test_coding_cache.py`` checks it against random edits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from framelab import _tokens
from framelab.codebook import Codebook

if TYPE_CHECKING:  # coding imports this module; its matcher and assembler are passed in
    from framelab.coding import Coded, _State

__all__ = ["recode"]


def recode(old: Coded, codebook: Codebook, _match: Callable, _assemble: Callable) -> Coded:
    """:meth:`Coded.recode`: match only the frames whose matching inputs changed (``_match``
    and ``_assemble`` are :mod:`framelab.coding`'s, passed in to keep the import one-way)."""
    state: _State = old._state
    langs = state.languages(codebook)

    def shared(cb: Codebook) -> tuple:  # what every frame's hits depend on besides its own
        neg = cb.negation
        return (cb.language, neg.cues, neg.window, neg.blockers, cb.scope)

    same = (
        shared(old.codebook) == shared(codebook)
        and state.languages(old.codebook, log=False) == langs
        and old.level == state.level
    )
    frames = codebook.frames
    todo = [
        f
        for f in frames
        if not same or f not in old.codebook.frames or old.codebook.frames[f] != frames[f]
    ]
    # frames whose edit only added or removed entries: documents without a token that starts
    # one of those entries keep the frame's hits
    tok = state.tokens() if todo and len(todo) < len(frames) else None
    partial = {
        f: docs
        for f in todo
        if tok is not None
        and f in old.codebook.frames
        and (docs := _changed_entry_docs(tok, old.codebook, codebook, f, langs)) is not None
    }
    reuse = [f for f in frames if f not in todo]
    kept = old.hits[old.hits["frame"].isin(reuse)]
    if len(todo) == len(frames):
        hits = _match(state, codebook, langs)
    elif not todo:
        hits = kept.reset_index(drop=True)
    else:
        parts = [kept]
        whole = [f for f in todo if f not in partial]
        if whole:
            parts.append(
                _match(state, replace(codebook, frames={f: frames[f] for f in whole}), langs)
            )
        doc_pos = pd.Index(state.ids)
        for f, docs in partial.items():
            own = old.hits[old.hits["frame"] == f]
            parts.append(own[~np.isin(doc_pos.get_indexer(own["doc_id"]), docs)])
            if len(docs):
                sub = replace(codebook, frames={f: frames[f]})
                parts.append(_match(state, sub, langs, only=docs))
        hits = pd.concat(parts, ignore_index=True)
        # the engine's order: document, start, longest first, codebook order of the frames
        doc = pd.Index(state.ids).get_indexer(hits["doc_id"])
        rank = hits["frame"].map({f: i for i, f in enumerate(frames)}).to_numpy()
        order = np.lexsort((rank, -hits["end"].to_numpy(), hits["start"].to_numpy(), doc))
        hits = hits.iloc[order].reset_index(drop=True)
    if len(todo) < len(frames):  # the dtypes a fresh table gets (object when it is empty)
        text = ("doc_id", "unit_id", "frame", "term")
        hits = hits.astype({c: "str" if len(hits) else object for c in text})
    return _assemble(state, codebook, langs, hits)


_ENTRY_LISTS = ("terms", "phrases", "ambiguous", "regex_by_language", "regex")


def _changed_entry_docs(tok, old: Codebook, new: Codebook, frame: str, langs) -> np.ndarray | None:
    """Documents where frame ``frame``'s hits may differ between ``old`` and ``new`` when the
    edit only added or removed entries (None: other settings of the frame changed too)."""
    a, b = old.frames[frame], new.frames[frame]
    if replace(a, **{k: {} for k in _ENTRY_LISTS}) != replace(b, **{k: {} for k in _ENTRY_LISTS}):
        return None
    probe = {}
    for kind in _ENTRY_LISTS[:-1]:  # per language; a regex of every language below
        x, y = getattr(a, kind), getattr(b, kind)
        diff = {lg: tuple(set(x.get(lg, ())) ^ set(y.get(lg, ()))) for lg in {*x, *y}}
        probe[kind] = {lg: v for lg, v in diff.items() if v}
    probe["regex"] = tuple(set(a.regex) ^ set(b.regex))
    book = replace(new, frames={frame: replace(b, **probe, exclude={}, context={})})
    return _tokens.candidate_docs(tok, book, langs)
