"""Topic models with BERTopic: offline embeddings, caching, guidance, tidy tables, stability.

A reproducible, explainable topic model in one call, offline::

    fit = fit_topics(corpus, {"preset": "fast", "n_topics": 12, "seed": 0})
    topics_per_group(fit, corpus, by="outlet")

Reproducibility: units are sorted by ``unit_id`` and every random part (TruncatedSVD, UMAP,
PCA, KMeans, sampling) is seeded from ``config.seed``, so the same config and corpus give
identical topics run to run on one machine. Embeddings are cached under
``data/processed/cache/embeddings`` (``.npy`` + JSON, keyed by texts, backend, model and
parameters); with ``fit_cache_dir`` (set by the study config) whole fits are cached as topic
bundles in ``data/processed/cache/topic_fits``, so a repeated fit or stability run reads its
tables back. Nothing is downloaded: the default ``tfidf-svd`` backend is offline and a
sentence-transformers model must be a local folder or already in the Hugging Face cache.

==================================== =======================================================
function                             what it does
==================================== =======================================================
:class:`TopicConfig`                 validated settings (backend, preset, seed, cache, ...)
:func:`build_topic_model`            a configured, seeded, unfitted ``BERTopic``
:func:`fit_topics`                   fit on a Corpus -> :class:`TopicFit` (cached embeddings)
:func:`document_topics`              unit -> topic, label, probability, corpus metadata
:func:`topic_codes`                  topics as a FrameCodes table (for framelab.compare)
:func:`topics_per_group`             share of each group's units per topic
:func:`topics_over_time`             share per period (and group x period) per topic
:func:`outlier_share`                outliers (topic -1) by group
:func:`outlier_sensitivity`          prevalence with / without / after reducing outliers
:func:`reduced_topics`               topics after BERTopic's ``reduce_outliers``
:func:`seed_topic_list`              seed words per frame of a codebook (guided topics)
:func:`zeroshot_topic_list`          zero-shot topic texts from frame descriptions
:func:`align_topics_frames`          topics x frames: lexicon similarity + coded share
:func:`topic_stability`              fits with k seeds: ARI, NMI, matched topic overlap
:func:`save_topic_bundle`            safetensors model + Parquet tables + JSON manifest
:func:`load_topic_bundle`            read a bundle offline (no network)
:func:`transform_agreement`          how far ``transform`` after loading matches the bundle
==================================== =======================================================

Figures for these tables are in :mod:`framelab.plots` (:mod:`framelab.plots.topics`).
"""

from framelab.topics._align import ALIGN_COLUMNS, align_topics_frames
from framelab.topics._build import build_topic_model
from framelab.topics._cache import EmbeddingCache, cache_key
from framelab.topics._config import BACKENDS, PRESETS, TopicConfig
from framelab.topics._embed import (
    PrecomputedEmbedder,
    SentenceTransformerEmbedder,
    TfidfSVDEmbedder,
)
from framelab.topics._fit import ASSIGNMENT_COLUMNS, INFO_COLUMNS, TopicFit, fit_topics
from framelab.topics._guide import frame_lexicons, seed_topic_list, zeroshot_topic_list
from framelab.topics._persist import load_topic_bundle, save_topic_bundle, transform_agreement
from framelab.topics._stability import StabilityReport, compare_topic_fits, topic_stability
from framelab.topics._tables import (
    GROUP_COLUMNS,
    OUTLIER_COLUMNS,
    SENSITIVITY_COLUMNS,
    TIME_COLUMNS,
    document_topics,
    outlier_sensitivity,
    outlier_share,
    reduced_topics,
    topic_codes,
    topics_over_time,
    topics_per_group,
)

__all__ = [
    "ALIGN_COLUMNS",
    "ASSIGNMENT_COLUMNS",
    "BACKENDS",
    "GROUP_COLUMNS",
    "INFO_COLUMNS",
    "OUTLIER_COLUMNS",
    "PRESETS",
    "SENSITIVITY_COLUMNS",
    "TIME_COLUMNS",
    "EmbeddingCache",
    "PrecomputedEmbedder",
    "SentenceTransformerEmbedder",
    "StabilityReport",
    "TfidfSVDEmbedder",
    "TopicConfig",
    "TopicFit",
    "align_topics_frames",
    "build_topic_model",
    "cache_key",
    "compare_topic_fits",
    "document_topics",
    "fit_topics",
    "frame_lexicons",
    "load_topic_bundle",
    "outlier_sensitivity",
    "outlier_share",
    "reduced_topics",
    "save_topic_bundle",
    "seed_topic_list",
    "topic_codes",
    "topic_stability",
    "topics_over_time",
    "topics_per_group",
    "transform_agreement",
    "zeroshot_topic_list",
]
