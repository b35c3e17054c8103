"""Gold labels of a supervised model as a label matrix, and the hybrid coder's codebook check.

One home for what :class:`framelab.learn.SupervisedCoder` and
:class:`framelab.validate.SupervisedBaseline` both do with hand-coded units before fitting: long
gold labels (``unit_id, frame, present``) -> a units x frames 0/1 matrix aligned with the units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framelab._errors import refuse_duplicate_gold, suggest

__all__: list[str] = []


def gold_matrix(ids: pd.Index, gold: pd.DataFrame, caller: str, where: str, hint: str):
    """``(rows, y, frames)``: the gold units' positions in ``ids``, their 0/1 labels, the frames.

    ``rows[i]`` is the position in ``ids`` (the unit ids, unique) of the i-th gold unit (gold
    order), ``y[i, j]`` its label for ``frames[j]`` (gold order of first appearance). Refuses
    gold without the columns, without coded units, with two labels for one unit and frame, with
    units not in ``ids`` (``where`` and ``hint`` complete that message) or with a unit lacking a
    frame's label.

    Examples
    --------
    >>> gold = pd.DataFrame({"unit_id": ["b", "b", "a", "a"], "frame": ["f", "g", "f", "g"],
    ...                      "present": [1, 0, 0, 1]})
    >>> rows, y, frames = gold_matrix(pd.Index(["a", "b", "c"]), gold, "demo", "units", "")
    >>> rows.tolist(), y.tolist(), frames
    ([1, 0], [[1, 0], [0, 1]], ['f', 'g'])
    """
    from framelab.validate._common import check_table

    check_table(
        gold,
        caller,
        "gold",
        ("unit_id", "frame", "present"),
        "Pass long gold labels, e.g. framelab.load_sample_gold().",
    )
    gold = gold[gold["present"].notna()]
    if not len(gold):
        raise ValueError(f"{caller}(): the gold has no coded units.")
    refuse_duplicate_gold(gold, caller)  # never OR several coders' labels silently
    frames = list(pd.unique(gold["frame"].astype(str)))
    wide = gold.assign(unit_id=gold["unit_id"].astype(str), frame=gold["frame"].astype(str))
    wide = wide.pivot_table(
        index="unit_id", columns="frame", values="present", aggfunc="max", sort=False
    )
    missing = wide.index.difference(ids)
    if len(missing):
        raise ValueError(
            f"{caller}(): {len(missing)} gold unit(s) are not {where} (e.g. {missing[0]!r}). {hint}"
        )
    incomplete = wide[frames].isna().any(axis=1)
    if incomplete.any():
        raise ValueError(
            f"{caller}(): unit {wide.index[incomplete][0]!r} lacks gold labels for some "
            "frames; every training unit needs all frames."
        )
    rows = ids.get_indexer(wide.index)
    return rows, (wide[frames].to_numpy(dtype=np.int64) > 0).astype(np.int64), frames


def hybrid_codebook(codebook, frames: list[str], caller: str):
    """The hybrid coder's codebook (loaded), refusing gold frames it does not have; None if none.

    Examples
    --------
    >>> hybrid_codebook("peace_talks", ["ceasefire"], "demo").id.split("@")[0]
    'peace_talks'
    """
    if codebook is None:
        return None
    from framelab.codebook import load_codebook

    book = load_codebook(codebook)
    unknown = [f for f in frames if f not in book.frames]
    if unknown:
        raise ValueError(
            f"{caller}(): gold frame {unknown[0]!r} is not a frame of codebook {book.id} "
            f"({', '.join(book.frames)}).{suggest(unknown[0], book.frames, 'frame')} A "
            "hybrid coder needs gold coded with the codebook's frames."
        )
    return book
