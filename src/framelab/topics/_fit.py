"""Fit a topic model on a Corpus: :func:`fit_topics` -> :class:`TopicFit`."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from framelab._errors import suggest

from ._build import build_topic_model, make_embedder, make_vectorizer
from ._cache import embed_texts
from ._config import TopicConfig
from ._fit_cache import fit_cache_entry, read_cached_fit, write_cached_fit
from ._guide import seed_topic_list, zeroshot_topic_list
from ._units import (
    auto_min_df,
    corpus_languages,
    corpus_units,
    texts_hash,
    topic_stopwords,
)

__all__ = ["ASSIGNMENT_COLUMNS", "INFO_COLUMNS", "DeferredModel", "TopicFit", "fit_topics"]

logger = logging.getLogger(__name__)

#: Columns of :attr:`TopicFit.assignments`.
ASSIGNMENT_COLUMNS = ("unit_id", "doc_id", "topic", "probability", "assigned_by")
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


# --------------------------------------------------------------------------- helpers


def _stratified_sample(units: pd.DataFrame, strata: pd.Series, n: int, seed: int) -> np.ndarray:
    """Boolean mask of a proportional stratified sample of ``n`` units (largest remainder)."""
    rng = np.random.default_rng(seed)
    groups = strata.fillna("<missing>").astype(str).to_numpy()
    labels, counts = np.unique(groups, return_counts=True)
    quota = counts / counts.sum() * n
    alloc = np.floor(quota).astype(int)
    order = np.lexsort((labels, -(quota - alloc)))  # largest remainders first, ties by label
    alloc[order[: n - alloc.sum()]] += 1
    mask = np.zeros(len(units), dtype=bool)
    for label, k in zip(labels, alloc, strict=True):
        idx = np.flatnonzero(groups == label)
        if k >= len(idx):
            mask[idx] = True
        elif k > 0:
            mask[np.sort(rng.choice(idx, size=k, replace=False))] = True
    return mask


def _align_embeddings(embeddings: Any, units: pd.DataFrame, corpus: pd.DataFrame) -> np.ndarray:
    """Precomputed vectors in ``unit_id`` order."""
    if isinstance(embeddings, pd.DataFrame):
        missing = [u for u in units["unit_id"] if u not in embeddings.index]
        if missing:
            raise ValueError(
                f"fit_topics(): embeddings has no row for {len(missing)} unit(s), e.g. "
                f"{missing[0]!r}. Index the DataFrame by unit_id (doc_id for documents)."
            )
        return embeddings.loc[units["unit_id"]].to_numpy(dtype=np.float32)
    array = np.asarray(embeddings, dtype=np.float32)
    if array.ndim != 2:
        raise ValueError(f"fit_topics(): embeddings must be 2-D, got shape {array.shape}.")
    if len(units) != len(corpus) or array.shape[0] != len(corpus):
        raise ValueError(
            f"fit_topics(): got {array.shape[0]} embedding rows for {len(units)} units. An array "
            "must have one row per corpus row (document level); for paragraphs pass a "
            "DataFrame indexed by unit_id."
        )
    position = pd.Series(np.arange(len(corpus)), index=corpus["doc_id"].astype(str).to_numpy())
    return array[position.loc[units["doc_id"]].to_numpy()]


def _topic_vocabulary(
    texts: Sequence[str], stop_words, config: TopicConfig, min_df: int, memo: dict
):
    vec = make_vectorizer(stop_words, config.ngram_range, memo=memo)
    vec.set_params(min_df=min_df)
    try:
        vec.fit(texts)
    except ValueError:
        raise ValueError(
            f"fit_topics(): no words left for the topic representation after removing "
            f"stopwords and words in fewer than min_df={min_df} units. Lower min_df in the "
            "config, or check that the texts are not empty."
        ) from None
    return [str(w) for w in vec.get_feature_names_out()]


def label_words(words: Sequence[tuple[str, float]], k: int = 3, ratio: float = 0.8) -> list[str]:
    """Up to ``k`` label words from ranked ``(word, weight)`` pairs, preferring n-grams.

    A unigram is replaced by the highest ranked n-gram that contains it when that n-gram's
    weight is at least ``ratio`` times the unigram's ("sea" -> "black sea"); words already
    covered by a chosen n-gram are skipped.

    Examples
    --------
    >>> label_words([("grain", 0.7), ("sea", 0.7), ("black", 0.6), ("black sea", 0.6),
    ...              ("exports", 0.5), ("grain stalled", 0.2)])
    ['grain', 'black sea', 'exports']
    """
    ngrams = [(w, s) for w, s in words if " " in w]
    chosen: list[str] = []
    covered: set[str] = set()
    for word, weight in words:
        if " " not in word:
            if word in covered:
                continue
            word = next((g for g, s in ngrams if word in g.split() and s >= ratio * weight), word)
        if word in chosen:
            continue
        chosen.append(word)
        covered.update(word.split())
        if len(chosen) == k:
            break
    return chosen


def _zeroshot_map(model) -> dict[int, int]:
    """Final topic id -> index of its zero-shot topic.

    BERTopic records this when zero-shot and clustered topics are combined; when *every*
    document matched a zero-shot topic it records nothing, and the ids were renumbered by size:
    then the topic mapper's original ids are the zero-shot indices.
    """
    recorded = dict(getattr(model, "_topic_id_to_zeroshot_topic_idx", {}) or {})
    if recorded:
        return {int(k): int(v) for k, v in recorded.items()}
    if type(model.hdbscan_model).__name__ == "BaseCluster":
        return {
            int(cur): int(orig)
            for orig, cur in model.topic_mapper_.get_mappings(original_topics=True).items()
        }
    return {}


def _tables_from_model(
    model, topics: np.ndarray, zeroshot_ids: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    topic_ids = sorted(int(t) for t in model.topic_representations_)
    rows = []
    for t in topic_ids:
        pairs = [(str(w), float(s)) for w, s in (model.get_topic(t) or []) if str(w)]
        pairs.sort(key=lambda p: (-p[1], p[0]))
        rows.extend((t, rank, w, s) for rank, (w, s) in enumerate(pairs, start=1))
    words = pd.DataFrame(rows, columns=list(WORD_COLUMNS)).astype(
        {"topic": "int64", "rank": "int64", "weight": "float64"}
    )
    sizes = pd.Series(topics).value_counts()
    zs_map = _zeroshot_map(model) if zeroshot_ids else {}
    info_rows = []
    for t in topic_ids:
        tw = words[words["topic"] == t]
        top = tw["word"].tolist()
        pairs = list(zip(top, tw["weight"], strict=True))
        label = f"{t}: outliers" if t == -1 else f"{t}: " + ", ".join(label_words(pairs))
        guided = zeroshot_ids[zs_map[t]] if t in zs_map and zs_map[t] < len(zeroshot_ids) else ""
        size = int(sizes.get(t, 0))
        info_rows.append((t, label, size, size / len(topics), ", ".join(top), guided))
    info = pd.DataFrame(info_rows, columns=list(INFO_COLUMNS)).astype(
        {"topic": "int64", "size": "int64", "share": "float64"}
    )
    return info, words


def _representatives(
    model, units: pd.DataFrame, topics: np.ndarray, vectors: np.ndarray, n: int = 3
) -> pd.DataFrame:
    """Up to ``n`` units per topic closest (cosine) to the topic's embedding."""
    from sklearn.preprocessing import normalize

    outliers = 1 if -1 in model.topic_representations_ else 0
    centres = normalize(np.asarray(model.topic_embeddings_, dtype=np.float64))
    unit_vectors = normalize(np.asarray(vectors, dtype=np.float64))
    rows = []
    ids = units["unit_id"].to_numpy()
    doc_ids = units["doc_id"].to_numpy()
    for t in sorted(set(int(x) for x in topics)):
        idx = np.flatnonzero(topics == t)
        sims = np.round(unit_vectors[idx] @ centres[t + outliers], 12)  # ties -> by unit_id
        order = np.lexsort((ids[idx], -sims))[:n]
        for rank, j in enumerate(order, start=1):
            rows.append((t, rank, ids[idx[j]], doc_ids[idx[j]], float(sims[j])))
    return pd.DataFrame(rows, columns=list(REPRESENTATIVE_COLUMNS)).astype(
        {"topic": "int64", "rank": "int64", "similarity": "float64"}
    )


def _probabilities(probs: Any, n: int) -> np.ndarray:
    if probs is None:
        return np.full(n, np.nan)
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim == 2:  # full distributions: keep the assigned topic's value
        probs = probs.max(axis=1)
    return probs


# --------------------------------------------------------------------------- fit


def fit_topics(
    corpus: pd.DataFrame,
    config: TopicConfig | Mapping[str, Any] | None = None,
    *,
    seed_topics: Any = None,
    zeroshot_topics: Any = None,
    embeddings: Any = None,
    progress: bool = True,
) -> TopicFit:
    """Fit a reproducible BERTopic model on a Corpus.

    Units (documents or paragraphs) are sorted by ``unit_id`` first, so the result does not
    depend on row order; every random component is seeded from ``config.seed``; embeddings
    come from the configured backend through the on-disk cache.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A Corpus table (``doc_id``, ``text``, metadata).
    config : TopicConfig or dict, optional
        Settings (:class:`TopicConfig`).
    seed_topics : Codebook or dict, optional
        Guided topics: seed words per frame (see :func:`seed_topic_list`; globs are expanded
        against the corpus vocabulary).
    zeroshot_topics : Codebook or dict, optional
        Zero-shot topics from frame labels + descriptions (sentence-transformers only).
    embeddings : array or DataFrame, optional
        Your own vectors (``backend="precomputed"``): an array with one row per corpus row, or
        a DataFrame indexed by ``unit_id``.
    progress : bool, default True
        Progress bar while assigning the rest of a large corpus (``fit_sample_size``).

    Returns
    -------
    TopicFit

    Examples
    --------
    >>> from framelab.topics._toy import toy_corpus
    >>> fit = fit_topics(toy_corpus(), {"preset": "fast", "n_topics": 3, "use_cache": False})
    >>> fit.info[["topic", "label", "size"]]
       topic                                  label  size
    0      0  0: grain exports, black sea, corridor     8
    1      1              1: ceasefire, line, truce     8
    2      2   2: price cap, russian oil, sanctions     8
    >>> fit.assignments.head(3)
      unit_id doc_id  topic  probability assigned_by
    0     d01    d01      0          NaN         fit
    1     d02    d02      0          NaN         fit
    2     d03    d03      0          NaN         fit
    """
    t_start = time.perf_counter()
    cfg = TopicConfig.coerce(config, "fit_topics")
    units = corpus_units(corpus, cfg.level, "fit_topics")
    if (embeddings is None) != (cfg.backend != "precomputed"):
        raise ValueError(
            "fit_topics(): pass embeddings= exactly when backend='precomputed' (got backend="
            f"{cfg.backend!r} and embeddings={'given' if embeddings is not None else 'None'})."
        )
    langs = cfg.stopword_languages
    langs = corpus_languages(corpus) if langs == "auto" else langs
    stop_words = topic_stopwords(langs, cfg.extra_stopwords)

    fit_mask = np.ones(len(units), dtype=bool)
    if cfg.fit_sample_size is not None and len(units) > cfg.fit_sample_size:
        if cfg.stratify_by and cfg.stratify_by not in corpus.columns:
            raise ValueError(
                f"fit_topics(): stratify_by={cfg.stratify_by!r} is not a corpus column."
                f"{suggest(cfg.stratify_by, corpus.columns, 'stratify_by')} Columns: "
                f"{', '.join(map(str, corpus.columns))}."
            )
        strata = (
            units["doc_id"].map(corpus.set_index(corpus["doc_id"].astype(str))[cfg.stratify_by])
            if cfg.stratify_by
            else pd.Series("all", index=units.index)
        )
        fit_mask = _stratified_sample(units, strata, cfg.fit_sample_size, cfg.seed)
    fit_units = units[fit_mask].reset_index(drop=True)
    fit_texts = fit_units["text"].tolist()
    min_df = cfg.min_df if cfg.min_df != "auto" else auto_min_df(len(fit_units))
    embedder = make_embedder(cfg, stop_words=sorted(stop_words), min_df=min_df)
    all_vectors = None
    if cfg.backend == "precomputed":
        all_vectors = _align_embeddings(embeddings, units, corpus)

    # ---- the fit cache: a repeated fit is read back instead of computed
    fit_cache = None
    if cfg.use_cache and cfg.fit_cache_dir is not None:
        fit_cache, ingredients = fit_cache_entry(
            cfg,
            units,
            fit_mask,
            stop_words=stop_words,
            min_df=min_df,
            embedder=embedder,
            vectors=all_vectors,
            seed_topics=seed_topics,
            zeroshot_topics=zeroshot_topics,
        )
        cached = read_cached_fit(fit_cache, ingredients, cfg)
        if cached is not None:
            total = time.perf_counter() - t_start
            cached.timings = {"prepare": total, "embed": 0.0, "fit": 0.0, "assign": 0.0}
            cached.timings["total"] = total
            return cached

    memo: dict = {}  # tokenized fit texts, shared by the passes below; emptied at the end
    vocabulary = _topic_vocabulary(fit_texts, stop_words, cfg, min_df, memo)
    t_prepared = time.perf_counter()

    # ---- embeddings (cached)
    embedder.memo = memo
    cache_dir = cfg.cache_dir if cfg.use_cache else None
    if all_vectors is not None:
        vectors = all_vectors[fit_mask]
        emb_info = {
            "backend": "precomputed",
            "model_id": "precomputed",
            "key": None,
            "from_cache": False,
            "seconds": 0.0,
        }
    else:
        result = embed_texts(fit_texts, embedder, cache_dir=cache_dir)
        vectors, embedder = result.vectors, result.embedder
        emb_info = {
            k: result.info[k] for k in ("backend", "model_id", "key", "from_cache", "seconds")
        }
    emb_info["dim"] = int(vectors.shape[1])
    t_embedded = time.perf_counter()

    # ---- guidance
    guidance: dict[str, Any] = {}
    seeds = zs_ids = zs_texts = None
    if seed_topics is not None:
        seeds = seed_topic_list(seed_topics, vocabulary=vocabulary)
        guidance["seed_words"] = seeds
    if zeroshot_topics is not None:
        zs_ids, zs_texts = zeroshot_topic_list(zeroshot_topics)
        guidance["zeroshot_frames"], guidance["zeroshot_texts"] = zs_ids, zs_texts

    model = build_topic_model(
        cfg,
        embedder=embedder,
        n_units=len(fit_units),
        stop_words=sorted(stop_words),
        vocabulary=vocabulary,
        seed_topic_list=seeds,
        zeroshot_topic_list=zs_texts,
        memo=MappingProxyType(memo),
    )
    try:
        fit_topics_, fit_probs = model.fit_transform(fit_texts, embeddings=vectors.copy())
    finally:
        memo.clear()
        embedder.memo = None
        model.vectorizer_model.analyzer.memo = None
    fit_topics_ = np.asarray(fit_topics_, dtype=np.int64)
    fit_probs = _probabilities(fit_probs, len(fit_units))
    t_fitted = time.perf_counter()

    topics = np.zeros(len(units), dtype=np.int64)
    probs = np.full(len(units), np.nan)
    topics[fit_mask], probs[fit_mask] = fit_topics_, fit_probs
    if not fit_mask.all():
        from ._large import assign_rest

        rest_topics, rest_probs = assign_rest(
            model,
            embedder,
            units[~fit_mask],
            cfg,
            cache_dir=cache_dir,
            fit_key=emb_info["key"],
            vectors=None if cfg.backend != "precomputed" else all_vectors[~fit_mask],
            progress=progress,
        )
        topics[~fit_mask], probs[~fit_mask] = rest_topics, rest_probs
    t_assigned = time.perf_counter()

    assignments = pd.DataFrame(
        {
            "unit_id": units["unit_id"].to_numpy(),
            "doc_id": units["doc_id"].to_numpy(),
            "topic": topics,
            "probability": probs,
            "assigned_by": np.where(fit_mask, "fit", "transform"),
        }
    )
    info, words = _tables_from_model(model, topics, zs_ids or [])
    representatives = _representatives(model, fit_units, fit_topics_, vectors)
    corpus_sha = texts_hash(
        f"{u}\x1f{t}" for u, t in zip(units["unit_id"], units["text"], strict=True)
    )
    blob = json.dumps(
        {
            "config": cfg.fingerprint(),
            "corpus": corpus_sha,
            "guidance": guidance,
            "model_id": emb_info["model_id"],
        },
        sort_keys=True,
    ).encode()
    tag = "topics@" + hashlib.sha256(blob).hexdigest()[:12]
    timings = {
        "prepare": t_prepared - t_start,
        "embed": t_embedded - t_prepared,
        "fit": t_fitted - t_embedded,
        "assign": t_assigned - t_fitted,
        "total": time.perf_counter() - t_start,
    }
    fit = TopicFit(
        model=model,
        config=cfg,
        assignments=assignments,
        info=info,
        words=words,
        representatives=representatives,
        embedding=emb_info,
        corpus_sha256=corpus_sha,
        tag=tag,
        guidance=guidance,
        timings=timings,
        embedder=embedder,
    )
    logger.info("fitted %r in %.1f s", fit, timings["total"])
    if fit_cache is not None:
        write_cached_fit(fit_cache, ingredients, fit)
    return fit
