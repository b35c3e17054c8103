"""The fit cache: whole topic fits stored as bundles, keyed by everything that determines them.

Used by :func:`~framelab.topics.fit_topics` when ``fit_cache_dir`` is set (the study config
sets it, see :meth:`framelab.config.StudyConfig.topic_settings`). An entry is a topic bundle
(:func:`~framelab.topics.save_topic_bundle`: safetensors model, Parquet tables, JSON manifest)
plus the cache record of :class:`framelab._cache.ResultCache`; its key hashes the units (ids
and texts) and which of them were fitted, every setting except the cache locations, the stop
words and ``min_df`` in effect, the embedding backend, model id and parameters (and the vectors
themselves for ``precomputed``), the guidance, and the versions of framelab and of the
libraries that fit. A repeated fit - the notebook run again, or the stability fits - reads
the tables and defers loading the BERTopic model until ``fit.model`` is used.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framelab._cache import ResultCache, package_versions

from ._config import TopicConfig
from ._guide import frame_lexicons, zeroshot_topic_list
from ._units import texts_hash

if TYPE_CHECKING:
    from ._result import TopicFit

__all__ = ["STAGE", "fit_cache_entry", "read_cached_fit", "write_cached_fit"]

logger = logging.getLogger(__name__)

#: Stage name of the fit cache (entries: ``<fit_cache_dir>/<key>/``).
STAGE = "topic_fits"
_LOCATIONS = ("cache_dir", "use_cache", "fit_cache_dir")
_PACKAGES = (
    "bertopic",
    "umap-learn",
    "hdbscan",
    "scikit-learn",
    "numpy",
    "scipy",
    "pandas",
    "sentence-transformers",
    "torch",
)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fit_cache_entry(
    cfg: TopicConfig,
    units: pd.DataFrame,
    fit_mask: np.ndarray,
    *,
    stop_words: Sequence[str],
    min_df: int,
    embedder: Any,
    vectors: np.ndarray | None = None,
    seed_topics: Any = None,
    zeroshot_topics: Any = None,
) -> tuple[ResultCache, dict[str, Any]]:
    """The cache of ``cfg.fit_cache_dir`` and the ingredients of this fit.

    ``units`` are the sorted units of :func:`fit_topics`, ``fit_mask`` marks the ones fitted
    (all, unless ``fit_sample_size``), ``vectors`` are precomputed embeddings (unit order).
    """
    ingredients = {
        "units": texts_hash(
            f"{u}\x1f{t}" for u, t in zip(units["unit_id"], units["text"], strict=True)
        ),
        "fitted_units": _sha256(np.packbits(np.asarray(fit_mask, dtype=bool)).tobytes()),
        "settings": {k: v for k, v in cfg.to_dict().items() if k not in _LOCATIONS},
        "stop_words": _sha256("\n".join(sorted(stop_words)).encode()),
        "min_df": int(min_df),
        "embedder": {
            "backend": embedder.backend,
            "model_id": embedder.model_id(),
            "params": embedder.params(),
        },
        "embeddings": None
        if vectors is None
        else _sha256(np.ascontiguousarray(vectors, dtype=np.float32).tobytes()),
        "seed_topics": None if seed_topics is None else frame_lexicons(seed_topics),
        "zeroshot_topics": None
        if zeroshot_topics is None
        else list(zeroshot_topic_list(zeroshot_topics)),
        "packages": package_versions(*_PACKAGES),
    }
    return ResultCache(Path(cfg.fit_cache_dir), STAGE), ingredients


def read_cached_fit(
    cache: ResultCache, ingredients: dict[str, Any], cfg: TopicConfig
) -> TopicFit | None:
    """The cached fit (model loaded on first use), or None when there is no usable entry."""
    from ._persist import read_bundle

    folder = cache.lookup(ingredients)
    if folder is None:
        return None
    try:
        fit = read_bundle(folder, lazy_model=True)
    except (OSError, ValueError, KeyError) as err:
        logger.warning("topic fit cache entry %s is unreadable (%s); refitting", folder.name, err)
        return None
    fit.config = cfg  # same settings (they are in the key); the caller's cache locations
    fit.embedding = {**fit.embedding, "from_cache": True}
    logger.info("topic fit %s read from the fit cache %s", fit.tag, folder)
    return fit


def write_cached_fit(cache: ResultCache, ingredients: dict[str, Any], fit: TopicFit) -> None:
    """Store ``fit`` as a bundle; a failure to write is logged, the fit itself is unaffected."""
    from ._persist import save_topic_bundle

    try:
        cache.store(ingredients, lambda folder: save_topic_bundle(fit, folder))
    except (OSError, ValueError, TypeError) as err:
        logger.warning("could not store the topic fit in the fit cache (%s)", err)
