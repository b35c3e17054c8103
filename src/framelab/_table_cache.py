"""Disk cache of the deterministic per-corpus tables of a report (private, issue 22).

Notebook 04 splits 20,000 reports into half a million sentences, scores each with VADER,
counts every word per group for keyness and collocations: minutes of work that a rerun would
repeat unchanged. The functions that compute these tables (:func:`framelab.text.units`,
:func:`framelab.text.collocations`, :func:`framelab.tone`, :func:`framelab.keyness`,
:func:`framelab.distinguishing_terms`) keep their result with :func:`cached` when their input
is a *study* corpus (or a table derived from one): :meth:`framelab.config.StudyConfig.load_corpus`
tags the corpus with its cache folder (``DataFrame.attrs``, which pandas carries through
filtering and column selection), and the result is stored under
``data/processed/cache/<stage>/`` (:class:`framelab._cache.ResultCache`: Parquet + checksummed
JSON, never pickle). A table built otherwise is computed as before and nothing is written.

The key hashes every input table in full (:func:`framelab._cache.table_sha256`: columns, dtypes,
values, row order), every parameter, the versions of the libraries that compute the result, and
framelab's version and source hash; an argument that cannot be hashed (a custom splitter or
analyzer object) means no caching. A cached table reads back equal to the computed one
(``assert_frame_equal(check_exact=True)``, tested per function).
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from framelab._cache import ResultCache, package_versions, table_sha256

__all__ = ["cache_table", "cached", "fingerprint", "study_folder"]

logger = logging.getLogger(__name__)


class Unhashable(TypeError):
    """An argument has no stable fingerprint: the result is not cached."""


def study_folder(*objs: object) -> Path | None:
    """The cache root of the first study table among ``objs`` (``data/processed/cache``).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "text": ["Talks."]})
    >>> study_folder(corpus) is None
    True
    >>> corpus.attrs["framelab_coded_cache"] = "proj/data/processed/cache/coded"
    >>> study_folder(None, corpus["text"]).as_posix()
    'proj/data/processed/cache'
    """
    from framelab._coded_cache import ATTR

    for obj in objs:
        attrs = getattr(obj, "attrs", None)
        if isinstance(attrs, dict) and attrs.get(ATTR):
            return Path(attrs[ATTR]).parent
    return None


def fingerprint(value: Any) -> Any:
    """A JSON-able stand-in for ``value`` that changes whenever ``value`` does.

    Tables and series are hashed in full; plain values are kept; containers recurse. Anything
    else raises :class:`Unhashable`.

    Examples
    --------
    >>> fingerprint({"n": 2, "stop": frozenset({"b", "a"}), "top": None})
    {'n': 2, 'stop': ['a', 'b'], 'top': None}
    >>> a = fingerprint(pd.Series([1, 2], name="x"))
    >>> a == fingerprint(pd.Series([1, 2], name="x")), a == fingerprint(pd.Series([2, 1], name="x"))
    (True, False)
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, pd.DataFrame):
        return {"table": table_sha256(value), "columns": [str(c) for c in value.columns]}
    if isinstance(value, pd.Series):
        return {"series": table_sha256(value.to_frame(name=str(value.name)))}
    if isinstance(value, set | frozenset):
        return sorted(str(v) for v in value)
    if isinstance(value, list | tuple):
        return [fingerprint(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): fingerprint(v) for k, v in value.items()}
    raise Unhashable(f"cannot fingerprint a {type(value).__name__}")


def cached(
    stage: str,
    folder: Path | None,
    inputs: Mapping[str, Any],
    compute: Callable[[], pd.DataFrame],
    versions: tuple[str, ...] = (),
    attrs: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """``compute()``, or its result stored in ``<folder>/<stage>`` for the same ``inputs``.

    ``folder`` is a study's cache root (:func:`study_folder`); None computes without caching.
    ``versions`` names the packages whose versions go into the key (pandas, numpy and pyarrow
    always do). The table is stored without its ``attrs`` (they may hold objects Parquet
    cannot keep); the table returned, computed or read, gets ``attrs`` (default: none), so a
    hit and a miss return the same thing.

    Examples
    --------
    >>> import tempfile
    >>> folder, calls = Path(tempfile.mkdtemp()), []
    >>> def compute():
    ...     calls.append(1)
    ...     return pd.DataFrame({"word": ["truce"], "n": [3]})
    >>> first = cached("demo", folder, {"texts": pd.Series(["a truce"])}, compute)
    >>> again = cached("demo", folder, {"texts": pd.Series(["a truce"])}, compute)
    >>> again.equals(first), len(calls)
    (True, 1)
    """
    if folder is None:
        return compute()
    try:
        key = {
            "inputs": fingerprint(dict(inputs)),
            "versions": package_versions("pandas", "numpy", "pyarrow", *versions),
        }
    except Unhashable as why:
        logger.debug("%s: not cached (%s)", stage, why)
        return compute()
    cache = ResultCache(Path(folder) / stage, stage)
    tables = cache.load_tables(key)
    if tables is not None and "table" in tables:
        table = tables["table"]
    else:
        table = compute()
        plain = table.copy(deep=False)
        plain.attrs = {}
        cache.save_tables(key, {"table": plain})
    table.attrs = dict(attrs or {})
    return table


def cache_table(
    stage: str,
    *,
    source: str,
    versions: tuple[str, ...] = (),
    skip: tuple[str, ...] = (),
    when: Callable[[dict], bool] | None = None,
    attrs: Callable[[dict], Mapping[str, Any]] | None = None,
):
    """Decorator: the function's table is :func:`cached` when its argument ``source`` is a
    study table (:func:`study_folder`) and ``when(arguments)`` holds (default: always).

    Every argument but those in ``skip`` (e.g. ``progress``) goes into the key. ``attrs``
    gives the ``attrs`` of the returned table from the arguments (default: none).

    Examples
    --------
    >>> @cache_table("demo_counts", source="corpus")
    ... def counts(corpus, *, lower=True):
    ...     words = corpus["text"].str.lower() if lower else corpus["text"]
    ...     return words.str.split().explode().value_counts().rename_axis("word").reset_index()
    >>> counts(pd.DataFrame({"text": ["Truce talks", "truce"]}))  # not a study table: computed
        word  count
    0  truce      2
    1  talks      1
    """

    def decorate(func):
        signature = inspect.signature(func)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                return func(*args, **kwargs)  # let the function report the bad call
            bound.apply_defaults()
            params = dict(bound.arguments)
            folder = study_folder(params.get(source))
            if folder is None or (when is not None and not when(params)):
                return func(*args, **kwargs)
            inputs = {k: v for k, v in params.items() if k not in skip}
            return cached(
                stage,
                folder,
                {"function": f"{func.__module__}.{func.__qualname__}", **inputs},
                lambda: func(*args, **kwargs),
                versions,
                attrs(params) if attrs is not None else None,
            )

        return wrapper

    return decorate
