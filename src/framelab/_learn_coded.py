"""The result of a supervised coder (:class:`SupervisedCoded`) and what explains its codes.

Split from :mod:`framelab.learn` by stage: the coder learns and predicts there; here its
predictions become a :class:`~framelab.coding.Coded` result (FrameCodes with a ``probability``
column, no hits) and its weights become tables (``top_features``, ``explain``). Public names
are re-exported by :mod:`framelab.learn`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from framelab._errors import suggest
from framelab.coding import CODE_COLUMNS, HIT_COLUMNS, Coded, _codes_table

if TYPE_CHECKING:
    from framelab._learn_core import Prepared
    from framelab.learn import SupervisedCoder

__all__ = ["EXPLAIN_COLUMNS", "SUPERVISED_CODE_COLUMNS", "THRESHOLD_COLUMNS", "SupervisedCoded"]

#: Leading columns of the FrameCodes of a supervised coder (corpus metadata follow).
SUPERVISED_CODE_COLUMNS = (*CODE_COLUMNS, "probability")
#: Columns of ``SupervisedCoder.thresholds_``.
THRESHOLD_COLUMNS = (
    "frame",
    "threshold",
    "calibration",
    "n_positive",
    "cv_precision",
    "cv_recall",
    "cv_f1",
)
#: Columns of :meth:`SupervisedCoded.explain` and :meth:`SupervisedCoder.top_features`.
EXPLAIN_COLUMNS = ("unit_id", "frame", "feature", "kind", "value", "weight", "contribution")


@dataclass(repr=False)
class SupervisedCoded(Coded):
    """The result of :meth:`SupervisedCoder.code`: a :class:`~framelab.coding.Coded` without hits.

    ``codes`` follow ``SUPERVISED_CODE_COLUMNS`` (FrameCodes + ``probability``; ``count`` and
    ``present`` are 1 when ``probability >= threshold`` of the frame); ``hits`` is an empty Hits
    table; ``codebook`` is the dictionary of a hybrid coder or None; ``coder`` is the model.

    Examples
    --------
    >>> from framelab.learn import SupervisedCoder
    >>> corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(8)], "text": [
    ...     "the truce holds", "a truce was agreed", "truce talks resume", "truce lines",
    ...     "aid money runs short", "aid fatigue", "funding for aid", "aid stalls"]})
    >>> gold = pd.DataFrame({"unit_id": corpus["doc_id"], "frame": "ceasefire",
    ...                      "present": [1] * 4 + [0] * 4})
    >>> coder = SupervisedCoder(min_df=1, char_ngrams=None, cv=2).fit(corpus, gold)
    >>> coded = coder.code(pd.DataFrame({"doc_id": ["x"], "text": ["truce news"]}))
    >>> type(coded).__name__, list(coded.codes.columns[-2:]), len(coded.hits), coded.coder is coder
    ('SupervisedCoded', ['codebook', 'probability'], 0, True)
    """

    coder: SupervisedCoder | None = None

    def explain(self, unit_id: str, frame: str | None = None, top: int = 10) -> pd.DataFrame:
        """The n-grams that pushed a unit's score up most, per frame (see ``EXPLAIN_COLUMNS``).

        ``contribution = value * weight``: the unit's TF-IDF value of the feature times the
        frame's coefficient; rows sorted by frame then contribution, ``top`` per frame.
        """
        caller = "SupervisedCoded.explain"
        ids = self.units["unit_id"]
        if unit_id not in set(ids):
            raise KeyError(
                f"{caller}(): no unit {unit_id!r} in the coded corpus "
                f"(level={self.level!r}).{suggest(str(unit_id), ids[:5000])}"
            )
        row = np.flatnonzero(ids.to_numpy() == unit_id)
        return explain_rows(self.coder, self._prepared.take(row), frame, top, caller)

    def kwic(self, **kwargs) -> pd.DataFrame:
        """Not available: a supervised coder has no term hits."""
        raise TypeError(
            "SupervisedCoded.kwic(): a supervised coder finds no term hits to show in context. "
            "Use .explain(unit_id) for the n-grams behind a unit's code."
        )

    def coverage(self) -> pd.DataFrame:
        """Not available: a supervised coder has no codebook entries."""
        raise TypeError(
            "SupervisedCoded.coverage(): a supervised coder has no codebook entries; see "
            "coder.top_features() for the most weighted n-grams of each frame."
        )

    def __repr__(self) -> str:
        n_docs = self.units["doc_id"].nunique()
        model = self.codes["codebook"].iloc[0] if len(self.codes) else "?"
        return (
            f"SupervisedCoded({model}, level={self.level!r}, documents={n_docs}, "
            f"units={len(self.units)})"
        )


def coded_result(coder: SupervisedCoder, prep: Prepared, proba: np.ndarray) -> SupervisedCoded:
    """The :class:`SupervisedCoded` of ``coder``'s probabilities ``proba`` (units x frames)."""
    present = (proba >= coder.linear_.threshold).astype(np.int64)
    codes = _codes_table(prep.units, coder.frames_, present, coder.model_id_)
    codes["probability"] = proba.reshape(-1)
    if prep.meta is not None:
        codes = codes.merge(prep.meta, on="doc_id", how="left", validate="many_to_one")
    hits = pd.DataFrame({c: pd.Series(dtype=object) for c in HIT_COLUMNS})
    hits = hits.astype({"start": "int64", "end": "int64", "negated": "bool"})
    out = SupervisedCoded(
        codes=codes,
        hits=hits,
        units=prep.units,
        codebook=coder.codebook_,
        level=coder.level,
        texts=prep.doc_texts,
        coder=coder,
    )
    out._prepared = prep
    return out


def _frame_rows(coder: SupervisedCoder, frame: str | None, caller: str) -> list[int]:
    if frame is None:
        return list(range(len(coder.frames_)))
    if frame not in coder.frames_:
        raise KeyError(
            f"{caller}(): no frame {frame!r} in this model "
            f"({', '.join(coder.frames_)}).{suggest(frame, coder.frames_, 'frame')}"
        )
    return [coder.frames_.index(frame)]


def top_feature_rows(coder: SupervisedCoder, frame: str | None, n: int, caller: str):
    """:meth:`SupervisedCoder.top_features` of a fitted coder (``EXPLAIN_COLUMNS``)."""
    names, kinds = np.asarray(coder.features_.names, dtype=object), coder.features_.kinds
    rows = []
    for j in _frame_rows(coder, frame, caller):
        w = coder.linear_.coef[j]
        order = np.argsort(-w, kind="stable")[:n]
        for i in order:
            rows.append(("", coder.frames_[j], names[i], kinds[i], 1.0, w[i], w[i]))
    return pd.DataFrame(rows, columns=list(EXPLAIN_COLUMNS))


def explain_rows(coder: SupervisedCoder, prep: Prepared, frame, top: int, caller: str):
    """:meth:`SupervisedCoded.explain` of the one unit in ``prep`` (``EXPLAIN_COLUMNS``)."""
    x = coder.features_.transform(prep).tocsr()
    names, kinds = coder.features_.names, coder.features_.kinds
    uid = prep.units["unit_id"].iloc[0]
    rows = []
    for j in _frame_rows(coder, frame, caller):
        w = coder.linear_.coef[j, x.indices]
        contrib = x.data * w
        for i in np.argsort(-contrib, kind="stable")[:top]:
            f = x.indices[i]
            rows.append((uid, coder.frames_[j], names[f], kinds[f], x.data[i], w[i], contrib[i]))
    return pd.DataFrame(rows, columns=list(EXPLAIN_COLUMNS))
