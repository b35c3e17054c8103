"""Embedding cache: ``<key>.npy`` + ``<key>.json`` (+ ``<key>.state.safetensors``), never pickle.

The key is a hash of the texts (in ``unit_id`` order), the backend, the model id and the
backend's parameters, so a second run of the same notebook loads the vectors - and the fitted
state of stateful backends such as ``tfidf-svd`` - instead of computing them.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from framelab._files import atomic_write_file, ensure_writable, file_sha256

from ._units import texts_hash

__all__ = ["EmbeddingCache", "EmbeddingResult", "cache_key", "embed_texts"]

logger = logging.getLogger(__name__)

_FORMAT = 1


def cache_key(texts_sha256: str, backend: str, model_id: str, params: dict[str, Any]) -> str:
    """Cache key: SHA-256 (first 24 hex digits) of texts hash, backend, model id and params.

    Examples
    --------
    >>> k1 = cache_key("ab" * 32, "tfidf-svd", "tfidf-svd", {"seed": 0})
    >>> k2 = cache_key("ab" * 32, "tfidf-svd", "tfidf-svd", {"seed": 1})
    >>> len(k1), k1 == k2
    (24, False)
    """
    payload = {
        "texts": texts_sha256,
        "backend": backend,
        "model_id": model_id,
        "params": params,
        "format": _FORMAT,
    }
    blob = json.dumps(payload, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:24]


class EmbeddingCache:
    """A folder of cached embeddings.

    Parameters
    ----------
    directory : str or Path
        Cache folder (created on first write; never under ``data/raw``).

    Examples
    --------
    >>> import tempfile
    >>> cache = EmbeddingCache(tempfile.mkdtemp())
    >>> cache.load("0" * 24) is None
    True
    >>> cache.save("0" * 24, np.ones((2, 3), dtype=np.float32), {"backend": "demo"})
    >>> vectors, meta, state = cache.load("0" * 24)
    >>> vectors.shape, meta["backend"], state
    ((2, 3), 'demo', {})
    """

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def _paths(self, key: str) -> tuple[Path, Path, Path]:
        base = self.directory / key
        return (
            base.with_suffix(".npy"),
            base.with_suffix(".json"),
            self.directory / f"{key}.state.safetensors",
        )

    def load(self, key: str) -> tuple[np.ndarray, dict, dict[str, np.ndarray]] | None:
        """``(vectors, metadata, state arrays)`` or None when the key is not cached (or broken).

        A broken entry - unreadable, the wrong shape, or bytes that do not match the SHA-256
        recorded when it was written - is logged as a warning and recomputed by the caller.
        """
        npy, meta_path, state_path = self._paths(key)
        if not (npy.is_file() and meta_path.is_file()):
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            vectors = np.load(npy, allow_pickle=False)
            state = {}
            if meta.get("has_state"):
                from safetensors.numpy import load_file

                state = load_file(str(state_path))
        except (OSError, ValueError) as err:
            logger.warning("embedding cache entry %s is unreadable (%s); recomputing", key, err)
            return None
        if list(vectors.shape) != meta.get("shape"):
            logger.warning("embedding cache entry %s has the wrong shape; recomputing", key)
            return None
        recorded = meta.get("sha256") or {}
        expected = {"npy": npy, **({"state": state_path} if meta.get("has_state") else {})}
        for part, path in expected.items():
            if recorded.get(part) != file_sha256(path):
                logger.warning(
                    "embedding cache entry %s: %s does not match its recorded checksum "
                    "(altered or damaged); recomputing",
                    key,
                    path.name,
                )
                return None
        return vectors, meta, state

    def save(
        self,
        key: str,
        vectors: np.ndarray,
        meta: dict[str, Any],
        state: dict[str, np.ndarray] | None = None,
    ) -> None:
        """Write an entry atomically (the JSON, written last, marks it complete)."""
        npy, meta_path, state_path = self._paths(key)
        ensure_writable(self.directory)
        atomic_write_file(npy, lambda p: _save_npy(p, vectors))
        if state:
            from safetensors.numpy import save_file

            arrays = {k: np.ascontiguousarray(v) for k, v in state.items()}
            atomic_write_file(state_path, lambda p: save_file(arrays, str(p)))
        sha = {"npy": file_sha256(npy), **({"state": file_sha256(state_path)} if state else {})}
        record = {
            **meta,
            "sha256": sha,
            "shape": list(vectors.shape),
            "dtype": str(vectors.dtype),
            "has_state": bool(state),
            "format": _FORMAT,
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }
        text = json.dumps(record, indent=1, default=str)
        atomic_write_file(meta_path, lambda p: p.write_text(text, encoding="utf-8"))


def _save_npy(path: Path, vectors: np.ndarray) -> None:
    with open(path, "wb") as fh:  # a file object: np.save would add ".npy" to a bare name
        np.save(fh, np.ascontiguousarray(vectors), allow_pickle=False)


@dataclass(eq=False)
class EmbeddingResult:
    """Vectors of the units (in ``unit_id`` order), the fitted embedder and how they were made."""

    vectors: np.ndarray
    embedder: Any
    info: dict[str, Any] = field(default_factory=dict)


def embed_texts(
    texts: Sequence[str],
    embedder,
    *,
    cache_dir: str | Path | None,
    fit: bool = True,
    key_extra: dict[str, Any] | None = None,
) -> EmbeddingResult:
    """Embed ``texts`` with ``embedder`` (fitting it first when ``fit``), through the cache.

    On a cache hit nothing is embedded: the vectors are read from disk and a stateful
    embedder gets its fitted state back from the cache entry.

    Returns
    -------
    EmbeddingResult
        ``info`` holds ``key``, ``backend``, ``model_id``, ``params``, ``from_cache`` (bool),
        ``seconds`` and ``texts_sha256``.
    """
    texts = list(texts)
    sha = texts_hash(texts)
    params = {**embedder.params(), **(key_extra or {}), "fit": fit}
    key = cache_key(sha, embedder.backend, embedder.model_id(), params)
    info = {
        "key": key,
        "backend": embedder.backend,
        "model_id": embedder.model_id(),
        "params": params,
        "texts_sha256": sha,
        "n": len(texts),
    }
    cache = EmbeddingCache(cache_dir) if cache_dir is not None else None
    start = time.perf_counter()
    if cache is not None:
        hit = cache.load(key)
        if hit is not None:
            vectors, meta, state = hit
            if fit and meta.get("state_meta") is not None:
                embedder.set_state(state, meta["state_meta"])
            logger.info("embeddings for %d texts read from cache %s", len(texts), key)
            return EmbeddingResult(
                vectors,
                embedder,
                {**info, "from_cache": True, "seconds": time.perf_counter() - start},
            )
    vectors = np.asarray(
        embedder.fit_embed(texts) if fit else embedder.embed(texts), dtype=np.float32
    )
    if vectors.shape[0] != len(texts):
        raise ValueError(
            f"embed_texts(): the {embedder.backend} backend returned {vectors.shape[0]} vectors "
            f"for {len(texts)} texts."
        )
    seconds = time.perf_counter() - start
    if cache is not None:
        arrays, state_meta = embedder.get_state() if fit else ({}, None)
        cache.save(
            key,
            vectors,
            {k: v for k, v in info.items()}
            | {"state_meta": state_meta if arrays else None, "seconds": seconds},
            arrays or None,
        )
    return EmbeddingResult(vectors, embedder, {**info, "from_cache": False, "seconds": seconds})
