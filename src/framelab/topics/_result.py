"""The result of a topic fit: :class:`TopicFit`, its lazily loaded model, its table columns.

Kept apart from :mod:`framelab.topics._fit` so that the fit cache and the bundles
(``_fit_cache.py``, ``_persist.py``), which build and read TopicFits, do not import the fitting
code (no import cycle).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from framelab.schema import ASSIGNMENT_COLUMNS  # columns of TopicFit.assignments

from ._config import TopicConfig

__all__ = [
    "ASSIGNMENT_COLUMNS",
    "INFO_COLUMNS",
    "REPRESENTATIVE_COLUMNS",
    "WORD_COLUMNS",
    "DeferredModel",
    "TopicFit",
]

logger = logging.getLogger(__name__)

#: Columns of :attr:`TopicFit.info`.
INFO_COLUMNS = ("topic", "label", "size", "share", "top_words", "guided_by")
WORD_COLUMNS = ("topic", "rank", "word", "weight")
REPRESENTATIVE_COLUMNS = ("topic", "rank", "unit_id", "doc_id", "similarity")


class DeferredModel:
    """A model that is read from disk when first needed (see :attr:`TopicFit.model`).

    Parameters
    ----------
    load : callable
        Called without arguments; returns the model.
    where : str
        Where the model is read from (shown by ``repr``).
    """

    def __init__(self, load: Callable[[], Any], where: str):
        self.load = load
        self.where = where

    def __repr__(self) -> str:
        return f"DeferredModel({self.where!r})"


class _ModelSlot:
    """Descriptor behind ``TopicFit.model``: loads a :class:`DeferredModel` on first access."""

    def __set_name__(self, owner, name: str) -> None:
        self.attr = f"_{name}"

    def __get__(self, obj, objtype=None):
        if obj is None:  # class access: no default, so ``model`` stays a required field
            raise AttributeError(self.attr)
        try:
            value = obj.__dict__[self.attr]
        except KeyError:
            raise AttributeError(self.attr[1:]) from None
        if isinstance(value, DeferredModel):
            logger.info("loading the topic model from %s", value.where)
            value = value.load()
            obj.__dict__[self.attr] = value
        return value

    def __set__(self, obj, value) -> None:
        obj.__dict__[self.attr] = value


@dataclass(eq=False)
class TopicFit:
    """A fitted topic model and its tidy results (also what :func:`load_topic_bundle` returns).

    Attributes
    ----------
    model : bertopic.BERTopic
        The fitted model (after loading a bundle: the safetensors model, without UMAP/HDBSCAN).
        A fit read from the fit cache (``fit_cache_dir``) loads it from its bundle the first
        time ``model`` is used, so that its tables can be used without importing BERTopic.
    config : TopicConfig
        The settings used.
    assignments : pandas.DataFrame
        One row per unit, sorted by ``unit_id``: ``unit_id``, ``doc_id``, ``topic`` (int; -1 =
        outlier), ``probability`` (float: HDBSCAN membership strength for the ``default``
        preset, cosine similarity for zero-shot topics and transform after load, NaN where the
        clusterer gives none, e.g. KMeans), ``assigned_by`` (``"fit"`` or ``"transform"`` for
        units of a large corpus assigned after fitting on a sample).
    info : pandas.DataFrame
        One row per topic, sorted by ``topic``: ``topic``, ``label`` (``"<id>: w1, w2, w3"``;
        ``"-1: outliers"``; see :func:`label_words`), ``size`` (units), ``share`` (of all units), ``top_words``
        (comma-separated), ``guided_by`` (frame id of a zero-shot topic, else ``""``).
    words : pandas.DataFrame
        ``topic, rank, word, weight`` - the c-TF-IDF representation (rank 1 = highest weight).
    representatives : pandas.DataFrame
        ``topic, rank, unit_id, doc_id, similarity`` - up to 3 units per topic (of the fitting
        sample) whose embedding is closest (cosine) to the topic's embedding.
    embedding : dict
        ``backend``, ``model_id``, ``key`` (cache key), ``from_cache``, ``dim``, ``seconds``.
    corpus_sha256 : str
        Hash of the modelled units (ids and texts).
    tag : str
        ``"topics@<hash>"``, written into the ``codebook`` column of :func:`topic_codes`.
    guidance : dict
        Seed words and zero-shot topics used (frame ids and words/texts).
    timings : dict
        Seconds spent preparing (units, vocabulary), embedding (or reading the cache), fitting,
        assigning the rest of a large corpus, and in total (a fit read from the fit cache:
        0.0 for the steps it skipped).
    source : str
        ``"fit"``, or the folder the fit was read from (a bundle, or an entry of the fit cache).

    Examples
    --------
    >>> from framelab.topics import fit_topics
    >>> from framelab.topics._toy import toy_corpus
    >>> toy = toy_corpus()
    >>> fit = fit_topics(toy, {"preset": "fast", "n_topics": 3, "use_cache": False})
    >>> fit.level, fit.topic_ids, fit.label_of(1)
    ('document', [0, 1, 2], '1: ceasefire, line, truce')
    >>> fit.tag.startswith("topics@"), list(fit.timings)
    (True, ['prepare', 'embed', 'fit', 'assign', 'total'])
    """

    model: Any = _ModelSlot()
    config: TopicConfig
    assignments: pd.DataFrame
    info: pd.DataFrame
    words: pd.DataFrame
    representatives: pd.DataFrame
    embedding: dict[str, Any]
    corpus_sha256: str
    tag: str
    guidance: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    embedder: Any = None
    source: str = "fit"

    @property
    def level(self) -> str:
        """Unit of analysis: ``"document"`` or ``"paragraph"``."""
        return self.config.level

    @property
    def topic_ids(self) -> list[int]:
        """Topic ids in ascending order (``-1`` first when there are outliers)."""
        return [int(t) for t in self.info["topic"]]

    def label_of(self, topic: int) -> str:
        """The label of one topic; ``KeyError`` listing the valid ids otherwise."""
        match = self.info.loc[self.info["topic"] == topic, "label"]
        if match.empty:
            raise KeyError(f"TopicFit.label_of(): no topic {topic!r}; topics are {self.topic_ids}.")
        return str(match.iloc[0])

    def __repr__(self) -> str:
        n_topics = int((self.info["topic"] >= 0).sum())
        outliers = int(self.info.loc[self.info["topic"] == -1, "size"].sum())
        return (
            f"TopicFit({self.tag}, {len(self.assignments)} {self.level}s, {n_topics} topics, "
            f"{outliers} outliers, preset={self.config.preset!r}, "
            f"backend={self.embedding.get('backend')!r})"
        )
