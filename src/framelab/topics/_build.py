"""The BERTopic factory: explicit, seeded sub-models; no downloads; no silent algorithm swaps."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ._config import TopicConfig
from ._embed import (
    PrecomputedEmbedder,
    SentenceTransformerEmbedder,
    TfidfSVDEmbedder,
    as_bertopic_backend,
)
from ._imports import import_bertopic, import_umap
from ._units import TopicAnalyzer, auto_min_df, topic_stopwords

__all__ = ["build_topic_model", "make_embedder", "make_vectorizer"]

logger = logging.getLogger(__name__)


def _require(module: str, preset: str, caller: str) -> None:
    try:
        import_umap() if module == "umap" else __import__(module)
    except ImportError as err:
        pkg = {"umap": "umap-learn", "hdbscan": "hdbscan"}[module]
        raise ImportError(
            f"{caller}(): the {preset!r} preset needs {pkg}, which cannot be imported ({err}). "
            f"Install it (pip install {pkg}) or use preset='fast' (PCA + KMeans). framelab does "
            "not let BERTopic fall back to another algorithm silently."
        ) from err


def make_embedder(config: TopicConfig, *, stop_words: Sequence[str] = (), min_df: int = 1):
    """The (unfitted) embedding backend named by ``config.backend``."""
    if config.backend == "tfidf-svd":
        return TfidfSVDEmbedder(
            n_components=config.svd_components,
            seed=config.seed,
            min_df=min_df,
            stop_words=stop_words,
        )
    if config.backend == "sentence-transformers":
        return SentenceTransformerEmbedder(
            config.model_path,
            allow_download=config.allow_download,
            batch_size=config.embed_batch_size,
        )
    return PrecomputedEmbedder()


def make_vectorizer(
    stop_words: Sequence[str],
    ngram_range: tuple[int, int],
    vocabulary: Sequence[str] | None = None,
    memo=None,
):
    """CountVectorizer over framelab tokens (see :class:`TopicAnalyzer`), optionally fixed vocab."""
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        analyzer=TopicAnalyzer(stop_words, ngram_range=ngram_range, memo=memo),
        vocabulary=list(vocabulary) if vocabulary is not None else None,
    )


def build_topic_model(
    config: TopicConfig | dict | None = None,
    *,
    embedder: Any = None,
    n_units: int | None = None,
    stop_words: Sequence[str] | None = None,
    vocabulary: Sequence[str] | None = None,
    seed_topic_list: list[list[str]] | None = None,
    zeroshot_topic_list: list[str] | None = None,
    memo=None,
):
    """A configured, unfitted ``BERTopic`` whose every part is explicit and seeded.

    Parameters
    ----------
    config : TopicConfig or dict, optional
        Settings (see :class:`TopicConfig`); defaults when omitted.
    embedder : framelab embedder, optional
        Embedding backend (fitted or not); built from ``config`` when omitted. It is always
        passed to BERTopic, so BERTopic never tries to download a model.
    n_units : int, optional
        Corpus size, used to scale ``min_df`` when ``config.min_df == "auto"``.
    stop_words : sequence of str, optional
        Stopwords of the topic vocabulary; default: framelab's lists for
        ``config.stopword_languages`` (English for ``"auto"``) plus ``config.extra_stopwords``.
    vocabulary : sequence of str, optional
        Fixed topic vocabulary (``fit_topics`` computes it with ``min_df`` counted over
        documents; BERTopic's own ``min_df`` would count topics).
    seed_topic_list : list of list of str, optional
        Guided topic modelling (see :func:`seed_topic_list`).
    zeroshot_topic_list : list of str, optional
        Zero-shot topics (see :func:`zeroshot_topic_list`).
    memo : mapping, optional
        Tokenized texts shared by :func:`fit_topics` (internal; leave it out).

    Returns
    -------
    bertopic.BERTopic
        ``default`` preset: ``UMAP(n_neighbors, n_components, min_dist=0, metric="cosine",
        init="pca", random_state=seed, n_jobs=1)`` + ``HDBSCAN(min_cluster_size=min_topic_size,
        prediction_data=True)``. ``fast`` preset: ``PCA(umap_components, random_state=seed)``
        + ``KMeans(n_topics, n_init=10, random_state=seed)``.

    Notes
    -----
    UMAP's default spectral initialisation falls back to a random layout on disconnected
    neighbour graphs, which breaks reproducibility; ``init="pca"`` does not. A seeded UMAP runs
    single-threaded (``n_jobs=1``). HDBSCAN is deterministic. With a fixed input order (framelab
    sorts units by ``unit_id``), the same config therefore gives identical topics run to run on
    one machine; across machines, floating-point differences in BLAS/numba can still move
    borderline documents.

    UMAP compiles its numba kernels on first use in each process (about 10 s here, ~30 s for
    more than 4,096 units, where nearest-neighbour descent is used). pynndescent already keeps
    its compiled kernels in numba's on-disk cache (``cache=True``; set ``NUMBA_CACHE_DIR`` when
    site-packages is read-only); UMAP's own layout kernels are not cacheable, so the cost
    recurs per process: use the ``fast`` preset in notebooks that must run quickly and read
    published results from a saved bundle.

    Examples
    --------
    >>> model = build_topic_model({"preset": "fast", "n_topics": 3, "seed": 1})
    >>> type(model.umap_model).__name__, type(model.hdbscan_model).__name__
    ('PCA', 'KMeans')
    >>> model.hdbscan_model.n_clusters, model.hdbscan_model.random_state
    (3, 1)
    """
    config = TopicConfig.coerce(config, "build_topic_model")
    bertopic = import_bertopic()
    BERTopic = bertopic.BERTopic
    ClassTfidfTransformer = bertopic.vectorizers.ClassTfidfTransformer

    if config.preset == "default":
        _require("umap", "default", "build_topic_model")
        _require("hdbscan", "default", "build_topic_model")
        from hdbscan import HDBSCAN
        from umap import UMAP

        reducer = UMAP(
            n_neighbors=config.umap_neighbors,
            n_components=config.umap_components,
            min_dist=0.0,
            metric="cosine",
            init="pca",
            random_state=config.seed,
            transform_seed=config.seed,
            n_jobs=1,
            low_memory=True,
        )
        clusterer = HDBSCAN(
            min_cluster_size=config.min_topic_size,
            metric="euclidean",
            cluster_selection_method="eom",
            prediction_data=True,
        )
    else:
        from sklearn.cluster import KMeans
        from sklearn.decomposition import PCA

        reducer = PCA(n_components=config.umap_components, random_state=config.seed)
        clusterer = KMeans(n_clusters=config.n_topics, n_init=10, random_state=config.seed)

    if stop_words is None:
        langs = config.stopword_languages
        stop_words = sorted(
            topic_stopwords(("en",) if langs == "auto" else langs, config.extra_stopwords)
        )
    if embedder is None:
        min_df = config.min_df if config.min_df != "auto" else auto_min_df(n_units or 0)
        embedder = make_embedder(config, stop_words=stop_words, min_df=min_df)
    if zeroshot_topic_list and embedder.backend != "sentence-transformers":
        raise ValueError(
            "build_topic_model(): zero-shot topics compare frame descriptions with documents in "
            f"the embedding space, which needs a language model; backend={embedder.backend!r} "
            "cannot embed descriptions meaningfully. Use backend='sentence-transformers' with a "
            "local model, or guided topics (seed words) instead."
        )
    if (seed_topic_list or zeroshot_topic_list) and embedder.backend == "precomputed":
        raise ValueError(
            "build_topic_model(): guided and zero-shot topics must embed seed words or "
            "descriptions, which backend='precomputed' cannot do. Use backend='tfidf-svd' or "
            "'sentence-transformers'."
        )
    return BERTopic(
        embedding_model=as_bertopic_backend(embedder),
        umap_model=reducer,
        hdbscan_model=clusterer,
        vectorizer_model=make_vectorizer(stop_words, config.ngram_range, vocabulary, memo),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=config.reduce_frequent_words),
        top_n_words=config.top_n_words,
        min_topic_size=config.min_topic_size,
        seed_topic_list=seed_topic_list or None,
        zeroshot_topic_list=zeroshot_topic_list or None,
        zeroshot_min_similarity=config.zeroshot_min_similarity,
        calculate_probabilities=False,
        verbose=False,
    )
