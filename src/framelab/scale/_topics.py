"""Topic assignment over Dask partitions with a model fitted on a sample."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framelab.schema import ASSIGNMENT_COLUMNS  # columns of assign_topics_dask
from framelab.schema import COARSE_LEVELS as _LEVELS

__all__ = ["ASSIGNMENT_COLUMNS", "assign_topics_dask"]

logger = logging.getLogger(__name__)

#: Topic bundles loaded in this process, by (folder, manifest mtime).
_BUNDLES: dict[tuple[str, int], Any] = {}


def _meta() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": pd.Series([], dtype="str"),
            "doc_id": pd.Series([], dtype="str"),
            "topic": pd.Series([], dtype="int64"),
            "probability": pd.Series([], dtype="float64"),
            "assigned_by": pd.Series([], dtype="str"),
        }
    )


def _bundle(path: str):
    """The fitted model of a saved topic bundle, loaded once per worker process."""
    folder = Path(path)
    stamp = (folder / "manifest.json").stat().st_mtime_ns
    key = (str(folder.resolve()), stamp)
    if key not in _BUNDLES:
        from framelab.topics import load_topic_bundle

        _BUNDLES[key] = load_topic_bundle(folder)
    return _BUNDLES[key]


def _probabilities(probs: Any, n: int) -> np.ndarray:
    if probs is None:
        return np.full(n, np.nan)
    probs = np.asarray(probs, dtype=np.float64)
    return probs.max(axis=1) if probs.ndim == 2 else probs


@dataclass(frozen=True)
class TopicAssigner:
    """Task of one partition: units -> ``model.transform`` in batches -> assignment rows."""

    model: Any  # a fitted model, or the path (str) of a topic bundle
    level: str
    batch_size: int

    def __call__(self, part: pd.DataFrame) -> pd.DataFrame:
        from framelab.topics._units import corpus_units

        if len(part) == 0 or part["text"].fillna("").astype(str).str.strip().eq("").all():
            return _meta()
        model = _bundle(self.model).model if isinstance(self.model, str) else self.model
        units = corpus_units(part, self.level, "assign_topics_dask")
        texts = units["text"].tolist()
        topics = np.empty(len(units), dtype=np.int64)
        probs = np.full(len(units), np.nan)
        for start in range(0, len(texts), self.batch_size):
            stop = min(start + self.batch_size, len(texts))
            got, p = model.transform(texts[start:stop])
            topics[start:stop] = np.asarray(got, dtype=np.int64)
            probs[start:stop] = _probabilities(p, stop - start)
        out = pd.DataFrame(
            {
                "unit_id": units["unit_id"].to_numpy(),
                "doc_id": units["doc_id"].to_numpy(),
                "topic": topics,
                "probability": probs,
                "assigned_by": "transform",
            }
        )
        return out.astype(_meta().dtypes.to_dict())


def assign_topics_dask(ddf, model: Any, *, level: str | None = None, batch_size: int = 2000):
    """Assign topics to every unit of a Dask corpus with an already fitted topic model.

    Fit the model on a sample that fits in memory (:func:`framelab.topics.fit_topics` with
    ``fit_sample_size``, or on a sample you draw), then transform every partition with it.
    Each partition is split into units (documents or paragraphs, numbered as in
    :func:`framelab.topics.fit_topics`) and passed to ``model.transform`` in batches.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        A Corpus (``doc_id``, ``text``), e.g. from :func:`read_corpus_dask`.
    model : TopicFit, str, Path or fitted model
        A :class:`framelab.topics.TopicFit` (its ``model`` and ``level`` are used); the folder
        of a bundle saved with :func:`framelab.topics.save_topic_bundle` (each worker loads it
        once - safetensors, no pickle - so only the path travels to the cluster); or any object
        with BERTopic's ``transform(docs) -> (topics, probabilities)``.
    level : {"document", "paragraph"}, optional
        Unit of analysis; default: the fit's level, or ``"document"`` for a bare model.
    batch_size : int, default 2000
        Units per ``transform`` call (bounds memory within a partition).

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy, one row per unit: ``unit_id``, ``doc_id``, ``topic`` (int; -1 = outlier),
        ``probability`` (float; NaN when the model gives none), ``assigned_by``
        (``"transform"``) - the columns of ``TopicFit.assignments``. Units are sorted by
        ``unit_id`` within each partition.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> class Keyword:  # any object with BERTopic's transform() works
    ...     def transform(self, docs):
    ...         return [0 if "truce" in d.lower() else 1 for d in docs], None
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c"],
    ...                        "text": ["A truce holds.", "Grain exports.", "Truce talks."]})
    >>> assign_topics_dask(dd.from_pandas(corpus, npartitions=2), Keyword()).compute()
      unit_id doc_id  topic  probability assigned_by
    0       a      a      0          NaN   transform
    1       b      b      1          NaN   transform
    0       c      c      0          NaN   transform
    """
    import dask

    caller = "assign_topics_dask"
    fit_level = None
    if isinstance(model, (str, Path)):
        folder = Path(model)
        if not (folder / "manifest.json").is_file():
            raise FileNotFoundError(
                f"{caller}(): {folder} is not a topic bundle (no manifest.json). Save one with "
                "framelab.topics.save_topic_bundle(fit, folder)."
            )
        fit_level = _bundle(str(folder)).level
        model = str(folder)
    elif hasattr(model, "model") and hasattr(model, "assignments"):  # a TopicFit
        fit_level = model.level
        model = model.model
    elif not callable(getattr(model, "transform", None)):
        raise TypeError(
            f"{caller}(): model must be a TopicFit, the folder of a saved topic bundle, or a "
            f"fitted model with transform(docs); got {type(model).__name__}."
        )
    if level is None:
        level = fit_level or "document"
    if level not in _LEVELS:
        raise ValueError(f"{caller}(): level must be 'document' or 'paragraph', got {level!r}.")
    if fit_level is not None and level != fit_level:
        raise ValueError(
            f"{caller}(): the model was fitted on {fit_level}s but level={level!r}; assign "
            f"topics to the units the model was fitted on (level={fit_level!r})."
        )
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"{caller}(): batch_size must be a whole number >= 1, got {batch_size!r}.")
    missing = [c for c in ("doc_id", "text") if c not in ddf.columns]
    if missing:
        raise ValueError(
            f"{caller}(): the corpus has no {', '.join(map(repr, missing))} column. Read it with "
            "framelab.scale.read_corpus_dask()."
        )
    with dask.config.set({"dataframe.convert-string": False}):
        return ddf.map_partitions(TopicAssigner(model, level, batch_size), meta=_meta())
