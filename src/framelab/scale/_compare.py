"""Prevalence and over-time tables from FrameCodes written by :func:`code_frames_dask`.

The statistics themselves are :func:`framelab.compare.prevalence` and
:func:`framelab.compare.over_time` - called, not reimplemented - so the tables are identical to
the in-memory ones. What changes is how their input is gathered: each partition is reduced on
the workers to the handful of columns the statistic needs (one row per unit and frame: the ids,
the level, the frame, the measure's columns and the grouping columns, text as categoricals; no
document text, no other metadata), and only that small table reaches the client, where the
bootstrap runs.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framelab._errors import suggest
from framelab.compare._common import _as_list

__all__ = ["over_time_dask", "prevalence_dask", "unit_table"]

logger = logging.getLogger(__name__)

_BASE = ("doc_id", "unit_id", "level", "frame")


def _measure_columns(measure: object) -> list[str]:
    if measure == "present":
        return ["present"]
    if measure == "per_1k":
        return ["count", "n_tokens"]
    if isinstance(measure, str) and measure.startswith("mean:"):
        return [measure[5:]]
    return []  # the compare function raises its own error for an unknown measure


def _codes_frame(codes: Any, caller: str):
    """The FrameCodes as a lazy Dask DataFrame, from a CodedDask, an output folder or a ddf."""
    import dask.dataframe as dd

    from framelab.scale._output import CodedDask, read_coded

    if isinstance(codes, CodedDask):
        return read_coded(codes.out, "codes")
    if isinstance(codes, (str, Path)):
        return read_coded(codes, "codes")
    if isinstance(codes, dd.DataFrame):
        return codes
    raise TypeError(
        f"{caller}(): expected the result of code_frames_dask(), its output folder or a Dask "
        f"DataFrame of FrameCodes, got {type(codes).__name__}. For a pandas FrameCodes table use "
        "framelab.compare directly."
    )


def _is_text(dtype) -> bool:
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)


def _project(part: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The needed columns of one partition; text columns as categoricals (small to send)."""
    from framelab.scale._read import default_strings

    part = default_strings(part[columns])
    text = [c for c in columns if _is_text(part[c].dtype)]
    return part.astype(dict.fromkeys(text, "category")) if text else part


def _combine(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-partition tables; categoricals are united with lexically sorted
    categories, so their order is the order of the strings themselves."""
    from pandas.api.types import union_categoricals

    columns = {}
    for col in parts[0].columns:
        series = [p[col] for p in parts]
        if isinstance(series[0].dtype, pd.CategoricalDtype):
            united = union_categoricals([s.array for s in series], sort_categories=True)
            columns[col] = pd.Series(united)
        else:
            columns[col] = pd.concat(series, ignore_index=True)
    return pd.DataFrame(columns)


def unit_table(
    codes: Any, columns: Sequence[str], *, client: Any = None, caller: str = "unit_table"
) -> pd.DataFrame:
    """The FrameCodes reduced to ``columns``, gathered from all partitions, in code order.

    Each partition is reduced on the workers - these columns only, text columns as
    categoricals - and sent to the client on its own (no worker holds more than a partition);
    each distinct doc_id, frame or outlet is stored once. Rows are ordered as :func:`framelab.code_frames` orders
    them (stable sort by ``doc_id``).

    Parameters
    ----------
    codes : CodedDask, str, Path or dask.dataframe.DataFrame
        The result of :func:`code_frames_dask`, its output folder, or FrameCodes as Dask.
    columns : list of str
        Columns to keep (``doc_id`` is always kept).
    client : distributed.Client, optional
        Cluster to reduce the partitions on; default: the active client, else this process.

    Returns
    -------
    pandas.DataFrame
        ``columns``; text columns as categoricals with sorted categories.

    Examples
    --------
    >>> import tempfile
    >>> from framelab.codebook import Codebook
    >>> from framelab.coding import code_frames
    >>> from framelab.scale import write_coded
    >>> cb = Codebook.from_dict({"name": "m", "version": "1",
    ...                          "frames": {"ceasefire": {"terms": ["truce"]}}})
    >>> corpus = pd.DataFrame({"doc_id": ["b", "a"], "text": ["No news.", "A truce."],
    ...                        "outlet": ["X", "Y"]})
    >>> folder = write_coded(code_frames(corpus, cb), tempfile.mkdtemp()).out
    >>> table = unit_table(folder, ["outlet", "present"])
    >>> table.astype({"doc_id": str, "outlet": str}).values.tolist()
    [['a', 'Y', 1], ['b', 'X', 0]]
    """
    import dask

    from framelab.scale._run import current_client

    ddf = _codes_frame(codes, caller)
    columns = list(dict.fromkeys(["doc_id", *columns]))
    available = [str(c) for c in ddf.columns]
    for col in columns:
        if col not in available:
            raise ValueError(
                f"{caller}(): {col!r} is not a column of the codes. Columns: "
                f"{', '.join(available)}.{suggest(col, available)}"
            )
    meta = _project(ddf._meta, columns)
    client = current_client(client)
    with dask.config.set({"dataframe.convert-string": False}):
        pieces = ddf.map_partitions(_project, columns, meta=meta).to_delayed()
        if client is not None:
            futures = client.compute(pieces)
            parts = client.gather(futures)
            del futures
        else:
            parts = list(dask.compute(*pieces))
    table = _combine([p for p in parts if len(p)] or [meta])
    del parts
    ids = table["doc_id"].cat.codes.to_numpy()
    if len(ids) > 1 and (ids[1:] < ids[:-1]).any():
        table = table.take(np.argsort(ids, kind="stable"))
    return table.reset_index(drop=True)


def _needed(by, measure, cluster, extra: Sequence[str] = ()) -> list[str]:
    return list(
        dict.fromkeys(
            [
                *_BASE,
                *_measure_columns(measure),
                *_as_list(by),
                *_as_list(cluster),
                *extra,
            ]
        )
    )


def _on_units(name: str, codes, args: tuple, by, measure, cluster, client, extra=(), **kwargs):
    """``framelab.compare.<name>(table, *args, ...)`` on the columns it needs, gathered from
    the partitions by :func:`unit_table` (the grouping, cluster, measure and ``extra``
    columns)."""
    from framelab import compare

    columns = _needed(by, measure, cluster, extra)
    table = unit_table(codes, columns, client=client, caller=f"{name}_dask")
    return getattr(compare, name)(table, *args, measure=measure, cluster=cluster, **kwargs)


def prevalence_dask(
    codes: Any,
    by: str | Sequence[str] | None = None,
    *,
    measure: str = "present",
    cluster: str | None = None,
    client: Any = None,
    **kwargs: Any,
) -> pd.DataFrame:
    """:func:`framelab.compare.prevalence` over FrameCodes that were coded with Dask.

    Parameters
    ----------
    codes : CodedDask, str, Path or dask.dataframe.DataFrame
        The result of :func:`code_frames_dask`, its output folder, or FrameCodes as Dask.
    by, measure, cluster, **kwargs
        As in :func:`framelab.compare.prevalence` (``ci``, ``n_boot``, ``seed``, ``frames``).
    client : distributed.Client, optional
        Cluster that reduces the partitions; default: the active client, else this process.

    Returns
    -------
    pandas.DataFrame
        Exactly the table :func:`framelab.compare.prevalence` returns for the same codes in
        memory (same columns, same values, same bootstrap draws for the same seed).

    Notes
    -----
    Memory: the workers read one partition at a time; the client holds one row per unit and
    frame with only the needed columns, text as categoricals (about 23 bytes a row: 1 million
    documents x 9 frames at document level is 0.2 GB), and the bootstrap works on
    per-document sums of it. ``compare.prevalence``'s working memory comes on top (1.9 GB peak
    for 1 million documents, ``n_boot=200``, in docs/scale.md).

    Examples
    --------
    >>> import tempfile
    >>> import dask.dataframe as dd
    >>> from framelab.scale import code_frames_dask
    >>> from framelab.codebook import Codebook
    >>> cb = Codebook.from_dict({"name": "mini", "version": "1",
    ...                          "frames": {"ceasefire": {"terms": ["truce"]}}})
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "outlet": ["X", "X", "Y", "Y"],
    ...     "text": ["A truce.", "No news.", "Truce talks.", "The truce holds."]})
    >>> result = code_frames_dask(dd.from_pandas(corpus, npartitions=2), cb,
    ...                           out=tempfile.mkdtemp())
    >>> prevalence_dask(result, by="outlet", n_boot=100)[["outlet", "frame", "estimate", "n"]]
      outlet      frame  estimate  n
    0      X  ceasefire       0.5  2
    1      Y  ceasefire       1.0  2
    """
    return _on_units("prevalence", codes, (by,), by, measure, cluster, client, **kwargs)


def over_time_dask(
    codes: Any,
    date_col: str = "date",
    freq: str = "M",
    by: str | Sequence[str] | None = None,
    *,
    measure: str = "present",
    cluster: str | None = None,
    client: Any = None,
    **kwargs: Any,
) -> pd.DataFrame:
    """:func:`framelab.compare.over_time` over FrameCodes that were coded with Dask.

    Parameters
    ----------
    codes : CodedDask, str, Path or dask.dataframe.DataFrame
        The result of :func:`code_frames_dask`, its output folder, or FrameCodes as Dask.
    date_col, freq, by, measure, cluster, **kwargs
        As in :func:`framelab.compare.over_time` (``smooth``, ``ci``, ``n_boot``, ``seed``,
        ``frames``).
    client : distributed.Client, optional
        Cluster that reduces the partitions; default: the active client, else this process.

    Returns
    -------
    pandas.DataFrame
        Exactly the table :func:`framelab.compare.over_time` returns for the same codes in
        memory.

    Examples
    --------
    >>> import tempfile
    >>> from framelab.codebook import Codebook
    >>> from framelab.coding import code_frames
    >>> from framelab.scale import write_coded
    >>> cb = Codebook.from_dict({"name": "m", "version": "1",
    ...                          "frames": {"ceasefire": {"terms": ["truce"]}}})
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c", "d"],
    ...     "text": ["A truce.", "No news.", "Truce talks.", "Quiet."],
    ...     "date": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-02-02", "2024-02-10"])})
    >>> folder = write_coded(code_frames(corpus, cb), tempfile.mkdtemp()).out
    >>> over_time_dask(folder, freq="M", n_boot=200)[["period", "frame", "estimate", "n"]]
          period      frame  estimate  n
    0 2024-01-01  ceasefire       0.5  2
    1 2024-02-01  ceasefire       0.5  2
    """
    args = (date_col, freq, by)
    return _on_units("over_time", codes, args, by, measure, cluster, client, [date_col], **kwargs)
