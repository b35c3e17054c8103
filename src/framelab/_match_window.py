"""Counting helpers shared by the vectorised matching core (:mod:`framelab._match_vec`) and its
scope rule (:mod:`framelab._match_scope`): a leaf module, so neither imports the other for them.
"""

from __future__ import annotations

import numpy as np


def count_in(sorted_pos: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """How many of ``sorted_pos`` lie in each closed range [lo, hi].

    Examples
    --------
    >>> count_in(np.array([2, 5, 9]), np.array([0, 3, 6]), np.array([5, 4, 9])).tolist()
    [2, 0, 1]
    """
    return np.searchsorted(sorted_pos, hi, "right") - np.searchsorted(sorted_pos, lo, "left")


def cue_within(b, s, cue_label, t0, label, doc, window: int) -> np.ndarray:
    """For each hit (first token ``t0`` in block document ``doc``, label ``label``): a cue of
    the same label starts at most ``window`` tokens before or after it, inside its document.
    ``s``/``cue_label``: the cue starts and their labels (``b``: the ``_match_vec._Block``).
    The rule of the context cues, and of paragraph-level scope, in a document without
    paragraph breaks (``framelab._engine.CONTEXT_WINDOW``)."""
    big = b.n + 1
    keys = np.unique(cue_label * big + s)
    lo = np.maximum(t0 - window, b.ds[doc])
    hi = np.minimum(t0 + window, b.ds[doc + 1] - 1)
    base = label * big
    return count_in(keys, base + lo, base + hi) > 0
