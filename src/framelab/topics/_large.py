"""Large corpora: after fitting on a stratified sample, assign the other units in batches."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from ._cache import embed_texts

__all__ = ["assign_rest"]

logger = logging.getLogger(__name__)


def assign_rest(
    model,
    embedder,
    rest: pd.DataFrame,
    config,
    *,
    cache_dir,
    fit_key,
    vectors: np.ndarray | None = None,
    progress: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Topics and probabilities of ``rest`` (units not in the fitting sample), batch by batch.

    Memory stays bounded by ``config.batch_size``: each batch is embedded (through the cache,
    keyed by the batch's texts and the fitted embedder), assigned with the fitted model's
    ``transform`` (UMAP/PCA ``transform`` then HDBSCAN ``approximate_predict``/KMeans
    ``predict``) and dropped before the next one.
    """
    from tqdm import tqdm

    n = len(rest)
    topics = np.empty(n, dtype=np.int64)
    probs = np.full(n, np.nan)
    starts = range(0, n, config.batch_size)
    bar = tqdm(
        starts, total=len(starts), desc="assigning topics", unit="batch", disable=not progress
    )
    texts = rest["text"].tolist()
    for start in bar:
        stop = min(start + config.batch_size, n)
        batch = texts[start:stop]
        if vectors is None:
            result = embed_texts(
                batch, embedder, cache_dir=cache_dir, fit=False, key_extra={"fitted_on": fit_key}
            )
            batch_vectors = result.vectors
        else:
            batch_vectors = vectors[start:stop]
        batch_topics, batch_probs = model.transform(batch, embeddings=batch_vectors.copy())
        topics[start:stop] = np.asarray(batch_topics, dtype=np.int64)
        if batch_probs is not None:
            batch_probs = np.asarray(batch_probs, dtype=np.float64)
            probs[start:stop] = batch_probs.max(axis=1) if batch_probs.ndim == 2 else batch_probs
    logger.info("assigned %d units outside the fitting sample", n)
    return topics, probs
