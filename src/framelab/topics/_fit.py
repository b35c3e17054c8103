"""Fit a topic model on a Corpus: :func:`fit_topics` -> :class:`TopicFit`."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
from ._result import (  # re-exported: TopicFit and its columns live in _result.py
    ASSIGNMENT_COLUMNS,
    INFO_COLUMNS,
    REPRESENTATIVE_COLUMNS,
    WORD_COLUMNS,
    DeferredModel,
    TopicFit,
)
from ._units import (
    auto_min_df,
    corpus_languages,
    corpus_units,
    texts_hash,
    topic_stopwords,
)

__all__ = ["ASSIGNMENT_COLUMNS", "INFO_COLUMNS", "DeferredModel", "TopicFit", "fit_topics"]

logger = logging.getLogger(__name__)

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
    prep = _prepare(corpus, config, embeddings)
    cfg = prep.config

    # ---- the fit cache: a repeated fit is read back instead of computed
    fit_cache = ingredients = None
    if cfg.use_cache and cfg.fit_cache_dir is not None:
        fit_cache, ingredients = fit_cache_entry(
            cfg,
            prep.units,
            prep.fit_mask,
            stop_words=prep.stop_words,
            min_df=prep.min_df,
            embedder=prep.embedder,
            vectors=prep.all_vectors,
            seed_topics=seed_topics,
            zeroshot_topics=zeroshot_topics,
        )
        cached = read_cached_fit(fit_cache, ingredients, cfg)
        if cached is not None:
            total = time.perf_counter() - t_start
            cached.timings = {"prepare": total, "embed": 0.0, "fit": 0.0, "assign": 0.0}
            cached.timings["total"] = total
            return cached

    with _SharedTokens() as tokens:  # tokenized fit texts, shared by the passes below
        vocabulary = _topic_vocabulary(
            prep.fit_texts, prep.stop_words, cfg, prep.min_df, tokens.memo
        )
        t_prepared = time.perf_counter()
        embedded = _embed(prep, tokens)
        t_embedded = time.perf_counter()
        fitted = _fit(prep, embedded, vocabulary, tokens, seed_topics, zeroshot_topics)
    t_fitted = time.perf_counter()
    topics, probs = _assign(prep, embedded, fitted, progress)
    t_assigned = time.perf_counter()
    timings = {
        "prepare": t_prepared - t_start,
        "embed": t_embedded - t_prepared,
        "fit": t_fitted - t_embedded,
        "assign": t_assigned - t_fitted,
    }
    fit = _assemble(prep, embedded, fitted, topics, probs, timings, t_start)
    logger.info("fitted %r in %.1f s", fit, fit.timings["total"])
    if fit_cache is not None:
        write_cached_fit(fit_cache, ingredients, fit)
    return fit


# --------------------------------------------------------------------------- the steps


@dataclass
class _Prepared:
    """What the prepare step found: units, the fitting sample, stopwords, the embedder."""

    config: TopicConfig
    units: pd.DataFrame
    fit_mask: np.ndarray
    fit_units: pd.DataFrame
    stop_words: set
    min_df: int
    embedder: Any
    all_vectors: np.ndarray | None  # precomputed vectors of every unit, in unit_id order

    @property
    def fit_texts(self) -> list[str]:
        return self.fit_units["text"].tolist()


@dataclass
class _Embedded:
    vectors: np.ndarray  # of the fitting sample
    embedder: Any  # the embedder that made them (read back from the cache, maybe)
    info: dict[str, Any]


@dataclass
class _Fitted:
    model: Any
    topics: np.ndarray  # of the fitting sample
    probs: np.ndarray
    guidance: dict[str, Any]
    zeroshot_ids: list[str]


class _SharedTokens:
    """The tokenized fit texts, shared by the vocabulary, the embedder and the model's vectorizer
    during one fit; emptied, and detached from every object it was lent to, on exit (also after
    an error), so no state outlives :func:`fit_topics`."""

    def __init__(self) -> None:
        self.memo: dict = {}
        self._borrowers: list[Any] = []

    def lend(self, obj: Any, read_only: bool = False) -> Any:
        """Give ``obj`` (an embedder or an analyzer) the memo; returns what was given."""
        self._borrowers.append(obj)
        obj.memo = MappingProxyType(self.memo) if read_only else self.memo
        return obj.memo

    def detach_on_exit(self, obj: Any) -> None:
        """Set ``obj.memo`` to None on exit (an object given the memo by someone else)."""
        self._borrowers.append(obj)

    def __enter__(self) -> _SharedTokens:
        return self

    def __exit__(self, *exc: object) -> None:
        self.memo.clear()
        for obj in self._borrowers:
            obj.memo = None


def _prepare(corpus: pd.DataFrame, config: Any, embeddings: Any) -> _Prepared:
    """Units sorted by unit_id, the fitting sample, stopwords, min_df and the embedder."""
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
    min_df = cfg.min_df if cfg.min_df != "auto" else auto_min_df(len(fit_units))
    embedder = make_embedder(cfg, stop_words=sorted(stop_words), min_df=min_df)
    all_vectors = None
    if cfg.backend == "precomputed":
        all_vectors = _align_embeddings(embeddings, units, corpus)
    return _Prepared(cfg, units, fit_mask, fit_units, stop_words, min_df, embedder, all_vectors)


def _embed(prep: _Prepared, tokens: _SharedTokens) -> _Embedded:
    """Vectors of the fitting sample: precomputed, or from the backend through the cache."""
    cfg = prep.config
    if prep.all_vectors is not None:
        vectors = prep.all_vectors[prep.fit_mask]
        info: dict[str, Any] = {
            "backend": "precomputed",
            "model_id": "precomputed",
            "key": None,
            "from_cache": False,
            "seconds": 0.0,
        }
        embedder = prep.embedder
        tokens.lend(embedder)
    else:
        tokens.lend(prep.embedder)
        cache_dir = cfg.cache_dir if cfg.use_cache else None
        result = embed_texts(prep.fit_texts, prep.embedder, cache_dir=cache_dir)
        vectors, embedder = result.vectors, result.embedder
        if embedder is not prep.embedder:
            tokens.lend(embedder)
        info = {k: result.info[k] for k in ("backend", "model_id", "key", "from_cache", "seconds")}
    info["dim"] = int(vectors.shape[1])
    return _Embedded(vectors, embedder, info)


def _fit(
    prep: _Prepared,
    embedded: _Embedded,
    vocabulary: list[str],
    tokens: _SharedTokens,
    seed_topics: Any,
    zeroshot_topics: Any,
) -> _Fitted:
    """Guidance, the BERTopic model, and its fit on the sample."""
    guidance: dict[str, Any] = {}
    seeds = zs_ids = zs_texts = None
    if seed_topics is not None:
        seeds = seed_topic_list(seed_topics, vocabulary=vocabulary)
        guidance["seed_words"] = seeds
    if zeroshot_topics is not None:
        zs_ids, zs_texts = zeroshot_topic_list(zeroshot_topics)
        guidance["zeroshot_frames"], guidance["zeroshot_texts"] = zs_ids, zs_texts

    model = build_topic_model(
        prep.config,
        embedder=embedded.embedder,
        n_units=len(prep.fit_units),
        stop_words=sorted(prep.stop_words),
        vocabulary=vocabulary,
        seed_topic_list=seeds,
        zeroshot_topic_list=zs_texts,
        memo=MappingProxyType(tokens.memo),
    )
    tokens.detach_on_exit(model.vectorizer_model.analyzer)
    topics, probs = model.fit_transform(prep.fit_texts, embeddings=embedded.vectors.copy())
    topics = np.asarray(topics, dtype=np.int64)
    probs = _probabilities(probs, len(prep.fit_units))
    return _Fitted(model, topics, probs, guidance, zs_ids or [])


def _assign(
    prep: _Prepared, embedded: _Embedded, fitted: _Fitted, progress: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Topic and probability of every unit: the sample's from the fit, the rest transformed."""
    cfg, units, fit_mask = prep.config, prep.units, prep.fit_mask
    topics = np.zeros(len(units), dtype=np.int64)
    probs = np.full(len(units), np.nan)
    topics[fit_mask], probs[fit_mask] = fitted.topics, fitted.probs
    if not fit_mask.all():
        from ._large import assign_rest

        rest_topics, rest_probs = assign_rest(
            fitted.model,
            embedded.embedder,
            units[~fit_mask],
            cfg,
            cache_dir=cfg.cache_dir if cfg.use_cache else None,
            fit_key=embedded.info["key"],
            vectors=None if cfg.backend != "precomputed" else prep.all_vectors[~fit_mask],
            progress=progress,
        )
        topics[~fit_mask], probs[~fit_mask] = rest_topics, rest_probs
    return topics, probs


def _assemble(
    prep: _Prepared,
    embedded: _Embedded,
    fitted: _Fitted,
    topics: np.ndarray,
    probs: np.ndarray,
    timings: dict[str, float],
    t_start: float,
) -> TopicFit:
    """The tidy tables, the corpus hash and the tag, in a TopicFit."""
    cfg, units, model = prep.config, prep.units, fitted.model
    assignments = pd.DataFrame(
        {
            "unit_id": units["unit_id"].to_numpy(),
            "doc_id": units["doc_id"].to_numpy(),
            "topic": topics,
            "probability": probs,
            "assigned_by": np.where(prep.fit_mask, "fit", "transform"),
        }
    )
    info, words = _tables_from_model(model, topics, fitted.zeroshot_ids)
    representatives = _representatives(model, prep.fit_units, fitted.topics, embedded.vectors)
    corpus_sha = texts_hash(
        f"{u}\x1f{t}" for u, t in zip(units["unit_id"], units["text"], strict=True)
    )
    blob = json.dumps(
        {
            "config": cfg.fingerprint(),
            "corpus": corpus_sha,
            "guidance": fitted.guidance,
            "model_id": embedded.info["model_id"],
        },
        sort_keys=True,
    ).encode()
    tag = "topics@" + hashlib.sha256(blob).hexdigest()[:12]
    return TopicFit(
        model=model,
        config=cfg,
        assignments=assignments,
        info=info,
        words=words,
        representatives=representatives,
        embedding=embedded.info,
        corpus_sha256=corpus_sha,
        tag=tag,
        guidance=fitted.guidance,
        timings={**timings, "total": time.perf_counter() - t_start},
        embedder=embedded.embedder,
    )
