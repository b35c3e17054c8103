"""Every table's columns, in one place: units of analysis, Hits, FrameCodes, topic assignments.

The stages import their column constants from here (and re-export them under their old names),
so a column list is written once. :func:`frame_codes_table` is the one builder of FrameCodes
tables: dictionary coding, the supervised baseline and topic codes all return its output, so
every comparison, correction, plot and the Dask path accept them unchanged.

Examples
--------
>>> CODE_COLUMNS[:4], LEVELS, COARSE_LEVELS
(('doc_id', 'unit_id', 'level', 'frame'), ('document', 'paragraph', 'sentence'), ('document', 'paragraph'))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "ASSIGNMENT_COLUMNS",
    "CODE_COLUMNS",
    "COARSE_LEVELS",
    "HIT_COLUMNS",
    "LEARNING_CURVE_COLUMNS",
    "LEVELS",
    "TEXT_COLUMNS",
    "TEXT_UNIT_COLUMNS",
    "UNIT_COLUMNS",
    "frame_codes_table",
    "metadata_columns",
]

#: Units of analysis, coarse to fine: a document, its paragraphs (blank-line separated), its
#: sentences.
LEVELS = ("document", "paragraph", "sentence")
#: The levels at which topic models and validation (coding sheets, gold labels) work: a
#: sentence is too short for either.
COARSE_LEVELS = ("document", "paragraph")

#: Corpus columns holding text or links, never copied into unit or code tables as metadata.
TEXT_COLUMNS = ("text", "title", "url", "source_file")

#: Hits: one row per matched term occurrence (``coding.Coded.hits``).
HIT_COLUMNS = ("doc_id", "unit_id", "frame", "term", "start", "end", "negated", "out_of_scope")
#: FrameCodes: one row per unit x frame (the corpus metadata columns follow).
CODE_COLUMNS = (
    "doc_id",
    "unit_id",
    "level",
    "frame",
    "count",
    "n_tokens",
    "per_1k",
    "present",
    "codebook",
)
#: Coding units (``coding.Coded.units``): character offsets and word tokens per unit.
UNIT_COLUMNS = ("doc_id", "unit_id", "level", "start", "end", "n_tokens")
#: Text units (:func:`framelab.compare.text_units`): the unit's text and its position k.
TEXT_UNIT_COLUMNS = ("doc_id", "unit_id", "level", "position", "start", "end", "text")
#: Learning curves of the supervised coder (:func:`framelab.learn.learning_curve`).
LEARNING_CURVE_COLUMNS = (
    "n_gold",
    "frame",
    "precision",
    "recall",
    "f1",
    "f1_low",
    "f1_high",
    "n_units",
    "codebook",
)
#: Topic assignments (``TopicFit.assignments``, and the Dask path's assignments).
ASSIGNMENT_COLUMNS = ("unit_id", "doc_id", "topic", "probability", "assigned_by")


def metadata_columns(table: pd.DataFrame, *, exclude: Sequence[str] = ()) -> list[str]:
    """The metadata columns of a Corpus or unit table, in their order: every column except
    :data:`TEXT_COLUMNS` and ``exclude`` (typically the table's own id and measure columns).

    Examples
    --------
    >>> import pandas as pd
    >>> corpus = pd.DataFrame(columns=["doc_id", "text", "outlet", "title", "date", "url"])
    >>> metadata_columns(corpus), metadata_columns(corpus, exclude=["doc_id"])
    (['doc_id', 'outlet', 'date'], ['outlet', 'date'])
    """
    skip = set(TEXT_COLUMNS) | set(exclude)
    return [c for c in table.columns if c not in skip]


def frame_codes_table(
    units: pd.DataFrame,
    frames: Sequence[str],
    counts: Any,
    *,
    codebook: str,
    metadata: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The FrameCodes table of ``units`` x ``frames``: the one builder every producer uses.

    Parameters
    ----------
    units : pandas.DataFrame
        One row per unit, in output order: ``doc_id``, ``unit_id``, ``level``, ``n_tokens``.
    frames : list of str
        Frame ids, in output order (within each unit).
    counts : array-like of int, shape (n_units, n_frames)
        Matches (or 0/1 codes) of each frame in each unit.
    codebook : str
        Written into the ``codebook`` column (``name@version``, ``topics@<hash>`` ...).
    metadata : pandas.DataFrame, optional
        Columns to append, one row per unit aligned with ``units`` (each value repeated for
        every frame).

    Returns
    -------
    pandas.DataFrame
        :data:`CODE_COLUMNS` - ``count`` (int64), ``n_tokens`` (int64), ``per_1k = 1000 *
        count / n_tokens`` (0.0 for a unit without tokens), ``present = count > 0`` (int64);
        ``doc_id, unit_id, level, frame, codebook`` as strings - then the metadata columns.
        One row per unit x frame, unit-major.

    Examples
    --------
    >>> import pandas as pd
    >>> units = pd.DataFrame({"doc_id": ["d1", "d2"], "unit_id": ["d1", "d2"],
    ...                       "level": "document", "n_tokens": [4, 0]})
    >>> frame_codes_table(units, ["truce", "aid"], [[2, 0], [0, 0]], codebook="m@1")
      doc_id unit_id     level  frame  count  n_tokens  per_1k  present codebook
    0     d1      d1  document  truce      2         4   500.0        1      m@1
    1     d1      d1  document    aid      0         4     0.0        0      m@1
    2     d2      d2  document  truce      0         0     0.0        0      m@1
    3     d2      d2  document    aid      0         0     0.0        0      m@1
    """
    import numpy as np
    import pandas as pd

    n, k = len(units), len(frames)
    counts = np.asarray(counts, dtype=np.int64).reshape(n, k)
    n_tok = np.asarray(units["n_tokens"].to_numpy(), dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_1k = np.where(n_tok[:, None] > 0, counts * 1000.0 / n_tok[:, None], 0.0)
    # string columns are taken from (Arrow) string arrays: no Python object per row
    each_unit = np.repeat(np.arange(n), k)
    text = {
        col: pd.array(units[col].array.take(each_unit), dtype="str")
        for col in ("doc_id", "unit_id", "level")
    }
    text["frame"] = pd.array(list(frames), dtype="str").take(np.tile(np.arange(k), n))
    text["codebook"] = pd.array([codebook], dtype="str").take(np.zeros(n * k, dtype=np.int64))
    table = pd.DataFrame(
        {
            "doc_id": text["doc_id"],
            "unit_id": text["unit_id"],
            "level": text["level"],
            "frame": text["frame"],
            "count": counts.ravel(),
            "n_tokens": np.repeat(n_tok, k),
            "per_1k": per_1k.ravel().astype("float64"),
            "present": (counts.ravel() > 0).astype(np.int64),
            "codebook": text["codebook"],
        }
    )
    if metadata is not None:
        for col in metadata.columns:
            table[col] = np.repeat(metadata[col].to_numpy(), k)
    return table
