"""The scope rule of the vectorised matcher (issues 20, 21): a hit of a scoped frame is out of
scope unless a scope cue of its label starts in its unit (when the frame has cues in the hit's
language), or when a rival cue (``without``) of its frame starts in that unit. The unit is the
hit's document, paragraph or sentence: the frame's level in that language. At level paragraph
in a document without paragraph breaks (scraped text, where "the paragraph" would be the whole
document) the unit is a token window instead, as for the context rule: a cue (or rival) counts
when it starts at most ``CONTEXT_WINDOW`` tokens before or after the hit's start. Split from
:mod:`framelab._match_vec`, which passes its ``Matcher`` and ``_Block``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from framelab import _engine
from framelab._match_window import cue_within

if TYPE_CHECKING:  # pragma: no cover
    from framelab._match_vec import Matcher, _Block


def out_of_scope(m: Matcher, b: _Block, s, frame, doc) -> np.ndarray:
    """Per hit (first token ``s``, frame index, block document): the hit is out of scope."""
    out = np.zeros(len(s), dtype=bool)
    if m.scope is None:
        return out
    label, rival = m.f_label[frame], m.f_rival[frame]
    scoped = (label >= 0) | (rival >= 0)
    if not scoped.any():
        return out
    label, rival = label[scoped], rival[scoped]
    n = len(label)
    # one pass over the scope trie for both questions: a cue of the label? a rival?
    found = _in_scope(
        m,
        b,
        np.tile(s[scoped], 2),
        np.concatenate([np.maximum(label, 0), np.maximum(rival, 0)]),
        np.tile(doc[scoped], 2),
        np.tile(m.f_level[frame[scoped]], 2),
    )
    has_cue = (label < 0) | found[:n]
    has_rival = (rival >= 0) & found[n:]
    out[scoped] = ~has_cue | has_rival
    return out


def _in_scope(m: Matcher, b: _Block, t0, label, doc, level) -> np.ndarray:
    """A scope cue of the label starts in the hit's document, paragraph or sentence (``level``:
    per hit, an index into ``SCOPE_LEVELS``); at paragraph level in a document without
    paragraph breaks: at most ``CONTEXT_WINDOW`` tokens before or after the hit (issue 21)."""
    sc = m.scope
    s, e, pay = sc.walk(b.ids, b.stop, m.info.sent_key, b.positions(sc.has_first))
    lab = m.pay_label[pay]
    nl = m.n_labels
    out = np.zeros(len(t0), dtype=bool)
    at = level == 0
    if at.any():  # document level: one table document x label
        nd = len(b.ds) - 1
        full = np.zeros((nd, nl), dtype=bool)
        full[b.doc(s), lab] = True
        one = np.zeros((nd, nl), dtype=bool)
        single = e - s == 1
        one[b.doc(s[single]), lab[single]] = True
        longer = np.zeros(nd, dtype=bool)  # a cue token that could go on: walk, not fast path
        longer[b.doc(b.positions(sc.first_cont))] = True
        use_one = ~longer | one[:, m.all_labels].all(axis=1)
        labels = np.where(use_one[:, None], one, full)
        out[at] = labels[doc[at], label[at]]
    at = level == 1
    if at.any():  # paragraph level, flat documents: the token window of the context rule
        window = at.copy()
        window[at] = b.flat(doc[at])
        if window.any():
            out[window] = cue_within(
                b, s, lab, t0[window], label[window], doc[window], _engine.CONTEXT_WINDOW
            )
            level = np.where(window, -1, level)  # done: not looked up by paragraph below
    for code, unit in ((1, b.paragraph), (2, b.sentence)):
        at = level == code
        if at.any():
            cues = np.unique(unit(s) * nl + lab)
            out[at] = np.isin(unit(t0[at]) * nl + label[at], cues)
    return out
