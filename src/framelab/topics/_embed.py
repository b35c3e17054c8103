"""Embedding backends: offline TF-IDF + SVD, local sentence-transformers, precomputed vectors.

Every backend has the same small interface (``fit``, ``embed``, ``model_id``, ``params``,
``get_state``/``set_state``) and is handed to BERTopic through :func:`as_bertopic_backend`, so
BERTopic never picks (or downloads) an embedding model by itself.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from framelab.text import TOKEN_PATTERN

from ._units import TopicAnalyzer

__all__ = [
    "Embedder",
    "PrecomputedEmbedder",
    "SentenceTransformerEmbedder",
    "TfidfSVDEmbedder",
    "as_bertopic_backend",
    "resolve_sentence_model",
]

logger = logging.getLogger(__name__)


class Embedder(Protocol):
    """What framelab needs from an embedding backend."""

    backend: str

    def fit(self, texts: Sequence[str]) -> Embedder: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...

    def fit_embed(self, texts: Sequence[str]) -> np.ndarray: ...

    def model_id(self) -> str: ...

    def params(self) -> dict[str, Any]: ...

    def get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]: ...

    def set_state(self, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> Embedder: ...


def _l2_rows(matrix):
    from sklearn.preprocessing import normalize

    return normalize(matrix, norm="l2", axis=1, copy=False)


class TfidfSVDEmbedder:
    """Offline document vectors: TF-IDF (framelab tokens, stopwords removed) -> TruncatedSVD.

    The TF-IDF uses sublinear term frequency and smoothed idf with L2-normalised rows (as
    scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``); the SVD is seeded; the resulting
    vectors are L2-normalised so cosine and Euclidean geometry agree. The fitted state
    (vocabulary, idf, SVD components) is plain arrays, saved as safetensors - never pickled.

    Parameters
    ----------
    n_components : int, default 100
        SVD dimensions (capped at ``min(n_units, n_terms) - 1``).
    seed : int, default 0
        ``random_state`` of the randomized SVD. Leaving it unseeded changes the topics between
        runs even when UMAP is seeded.
    min_df : int, default 1
        Minimum document frequency of a term.
    stop_words : iterable of str
        Words to drop (lower case).

    Examples
    --------
    >>> texts = ["truce talks in Geneva", "ceasefire talks resume", "grain exports by sea",
    ...          "sea shipping and grain", "truce holds"]
    >>> emb = TfidfSVDEmbedder(n_components=2, seed=0).fit(texts)
    >>> vectors = emb.embed(texts)
    >>> vectors.shape, vectors.dtype.name
    ((5, 2), 'float32')
    >>> bool(np.allclose(np.linalg.norm(vectors, axis=1), 1.0))
    True
    """

    backend = "tfidf-svd"

    def __init__(
        self,
        n_components: int = 100,
        seed: int = 0,
        min_df: int = 1,
        stop_words: Sequence[str] = (),
    ):
        self.n_components = n_components
        self.seed = seed
        self.min_df = min_df
        self.stop_words = tuple(sorted(set(stop_words)))

    def model_id(self) -> str:
        return "tfidf-svd"

    def params(self) -> dict[str, Any]:
        sw = hashlib.sha256("\n".join(self.stop_words).encode()).hexdigest()[:12]
        tok = hashlib.sha256(TOKEN_PATTERN.encode()).hexdigest()[:12]
        return {
            "n_components": self.n_components,
            "seed": self.seed,
            "min_df": self.min_df,
            "stop_words": sw,
            "tokenizer": tok,
            "sublinear_tf": True,
            "normalized": True,
        }

    def _analyzer(self, *, memo: bool = False) -> TopicAnalyzer:
        # only fitting uses the shared memo of fit_topics; new texts are never memorised
        shared = getattr(self, "memo", None) if memo else None
        return TopicAnalyzer(self.stop_words, ngram_range=(1, 1), memo=shared)

    def fit(self, texts: Sequence[str]) -> TfidfSVDEmbedder:
        """Learn the vocabulary, idf weights and SVD components from ``texts``."""
        self.fit_embed(texts)
        return self

    def fit_embed(self, texts: Sequence[str]) -> np.ndarray:
        """:meth:`fit`, and return the vectors of ``texts`` (one tokenizing pass)."""
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = list(texts)
        vec = TfidfVectorizer(
            analyzer=self._analyzer(memo=True), min_df=self.min_df, sublinear_tf=True
        )
        try:
            tfidf = vec.fit_transform(texts)
        except ValueError as err:  # empty vocabulary
            raise ValueError(
                f"TfidfSVDEmbedder.fit(): no terms left after removing stopwords and terms in "
                f"fewer than min_df={self.min_df} documents ({err}). The documents may be empty "
                "or contain only stopwords; lower min_df or check the texts."
            ) from None
        k = max(1, min(self.n_components, tfidf.shape[0] - 1, tfidf.shape[1] - 1))
        svd = TruncatedSVD(n_components=k, random_state=self.seed, algorithm="randomized")
        svd.fit(tfidf)
        self.vocabulary_ = [str(t) for t in vec.get_feature_names_out()]
        self.idf_ = np.asarray(vec.idf_, dtype=np.float64)
        self.components_ = np.asarray(svd.components_, dtype=np.float64)
        self._counter = None
        return _l2_rows(np.asarray(tfidf @ self.components_.T)).astype(np.float32)

    def _check_fitted(self) -> None:
        if not hasattr(self, "components_"):
            from framelab._errors import NotFittedError

            raise NotFittedError(
                "TfidfSVDEmbedder.embed(): the embedder is not fitted; call .fit(texts) first "
                "(framelab.topics.fit_topics does this for you)."
            )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts`` (float32, rows of unit length; all-zero for empty texts)."""
        from scipy import sparse
        from sklearn.feature_extraction.text import CountVectorizer

        self._check_fitted()
        if isinstance(texts, str):
            raise TypeError("TfidfSVDEmbedder.embed(): expected a list of texts, got one string.")
        if getattr(self, "_counter", None) is None:
            self._counter = CountVectorizer(analyzer=self._analyzer(), vocabulary=self.vocabulary_)
        counts = self._counter.transform(list(texts)).astype(np.float64)
        counts.data = np.log(counts.data) + 1.0
        tfidf = _l2_rows(counts @ sparse.diags(self.idf_))
        vectors = np.asarray(tfidf @ self.components_.T)
        return _l2_rows(vectors).astype(np.float32)

    def get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        self._check_fitted()
        return (
            {"idf": self.idf_, "components": self.components_},
            {
                "vocabulary": self.vocabulary_,
                "params": self.params(),
                "stop_words": list(self.stop_words),
            },
        )

    def set_state(self, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> TfidfSVDEmbedder:
        self.idf_ = np.asarray(arrays["idf"], dtype=np.float64)
        self.components_ = np.asarray(arrays["components"], dtype=np.float64)
        self.vocabulary_ = list(meta["vocabulary"])
        if "stop_words" in meta:
            self.stop_words = tuple(meta["stop_words"])
        self._counter = None
        return self

    def __repr__(self) -> str:
        return f"TfidfSVDEmbedder(n_components={self.n_components}, seed={self.seed})"


# --------------------------------------------------------------------------- sentence-transformers

_BIG = 8 << 20  # files above 8 MiB are fingerprinted by size + first and last MiB


def _file_fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    size = path.stat().st_size
    digest.update(str(size).encode())
    with open(path, "rb") as fh:
        if size <= _BIG:
            digest.update(fh.read())
        else:
            digest.update(fh.read(1 << 20))
            fh.seek(size - (1 << 20))
            digest.update(fh.read())
    return digest.hexdigest()


def _folder_fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = file.relative_to(folder).as_posix()
        if rel.startswith(".") or "/." in rel or rel.endswith("README.md"):
            continue
        digest.update(rel.encode())
        digest.update(_file_fingerprint(file).encode())
    return digest.hexdigest()[:12]


def resolve_sentence_model(
    model: str, *, allow_download: bool = False, caller: str = "fit_topics"
) -> tuple[str, str]:
    """Find a sentence-transformers model on this machine: ``(path_or_name, model_id)``.

    A local folder is used as is; a model name is looked up in the local Hugging Face cache
    (also as ``sentence-transformers/<name>``). The id is ``<name>@<fingerprint>`` (a hash of
    the model files), so the embedding cache notices a changed model. Without
    ``allow_download``, a model that is not on disk raises ``FileNotFoundError`` - nothing is
    fetched.

    Examples
    --------
    >>> resolve_sentence_model("no-such-model-xyz")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileNotFoundError: fit_topics(): sentence-transformers model 'no-such-model-xyz' is neither a folder nor in the local Hugging Face cache...
    """
    path = Path(model).expanduser()
    if path.is_dir():
        if not ((path / "modules.json").is_file() or (path / "config.json").is_file()):
            raise FileNotFoundError(
                f"{caller}(): {str(path)!r} is a folder but holds no sentence-transformers model "
                "(no modules.json or config.json). Point model_path at the model's folder."
            )
        return str(path), f"{path.name}@{_folder_fingerprint(path)}"
    names = [model] if "/" in model else [model, f"sentence-transformers/{model}"]
    try:
        from huggingface_hub import snapshot_download

        for name in names:
            try:
                local = Path(snapshot_download(repo_id=name, local_files_only=True))
            except Exception:
                continue
            return str(local), f"{name}@{_folder_fingerprint(local)}"
    except ImportError:  # pragma: no cover - huggingface_hub ships with sentence-transformers
        pass
    if allow_download:
        logger.warning(
            "sentence-transformers model %r is not on disk; downloading it (allow_download=True)",
            model,
        )
        return model, f"{model}@hub"
    raise FileNotFoundError(
        f"{caller}(): sentence-transformers model {model!r} is neither a folder nor in the local "
        "Hugging Face cache, and downloads are off. Download it once in a separate, explicit "
        "step (e.g. SentenceTransformer(name).save('models/<name>')) and set model_path to that "
        "folder, or set allow_download=True, or use backend='tfidf-svd' (offline)."
    )


class SentenceTransformerEmbedder:
    """Document vectors from a local sentence-transformers model (loaded lazily, on first use).

    Parameters
    ----------
    model : str
        Local folder, or the name of a model in the local Hugging Face cache.
    allow_download : bool, default False
        Allow fetching ``model`` from the hub when it is not on disk.
    batch_size : int, default 32
        Encoding batch size.
    normalize : bool, default True
        L2-normalise the vectors.
    progress : bool, default False
        Show sentence-transformers' progress bar while encoding.

    Notes
    -----
    Resolving the model only hashes its files; the network is never touched unless
    ``allow_download=True``, and the model is only loaded when texts must be embedded (a cache
    hit never loads it).

    Examples
    --------
    Construction only resolves the model folder and fingerprints its files (here a stand-in
    folder; nothing is loaded until :meth:`embed` is called):

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "tiny-model"
    >>> folder.mkdir()
    >>> _ = (folder / "config.json").write_text("{}", encoding="utf-8")
    >>> emb = SentenceTransformerEmbedder(str(folder), batch_size=8)
    >>> emb.backend, emb.model_id().startswith("tiny-model@"), emb.params()
    ('sentence-transformers', True, {'normalize': True})
    >>> SentenceTransformerEmbedder("no-such-model-xyz")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileNotFoundError: fit_topics(): sentence-transformers model 'no-such-model-xyz' is neither...
    """

    backend = "sentence-transformers"

    def __init__(
        self,
        model: str,
        *,
        allow_download: bool = False,
        batch_size: int = 32,
        normalize: bool = True,
        progress: bool = False,
        device: str = "cpu",
    ):
        self.model = model
        self.allow_download = allow_download
        self.batch_size = batch_size
        self.normalize = normalize
        self.progress = progress
        self.device = device
        self._where, self._id = resolve_sentence_model(model, allow_download=allow_download)
        self._model = None

    def model_id(self) -> str:
        return self._id

    def params(self) -> dict[str, Any]:
        return {"normalize": self.normalize}

    def fit(self, texts: Sequence[str]) -> SentenceTransformerEmbedder:
        """Nothing to learn: the model is pretrained."""
        return self

    def fit_embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed(texts)

    def _load(self):
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            local = Path(self._where).is_dir()
            self._model = SentenceTransformer(
                self._where, device=self.device, local_files_only=local
            )
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("SentenceTransformerEmbedder.embed(): expected a list of texts.")
        vectors = self._load().encode(
            list(texts),
            batch_size=self.batch_size,
            show_progress_bar=self.progress,
            convert_to_numpy=True,
            normalize_embeddings=self.normalize,
        )
        return np.asarray(vectors, dtype=np.float32)

    def get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        return {}, {"model": self.model, "model_id": self._id}

    def set_state(self, arrays, meta) -> SentenceTransformerEmbedder:
        return self

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbedder({self._id!r})"


class PrecomputedEmbedder:
    """Stand-in for vectors computed elsewhere: it cannot embed new text.

    Seed words, zero-shot descriptions and ``transform`` need an embedding model; with
    precomputed vectors they raise a clear error instead of BERTopic silently skipping them.

    Examples
    --------
    >>> emb = PrecomputedEmbedder()
    >>> emb.backend, emb.model_id(), emb.fit(["a text"]) is emb
    ('precomputed', 'precomputed', True)
    >>> emb.embed(["new text"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: ...
    """

    backend = "precomputed"

    def __init__(self, model_id: str = "precomputed"):
        self._id = model_id

    def model_id(self) -> str:
        return self._id

    def params(self) -> dict[str, Any]:
        return {}

    def fit(self, texts: Sequence[str]) -> PrecomputedEmbedder:
        return self

    def fit_embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed(texts)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        raise ValueError(
            "PrecomputedEmbedder.embed(): backend='precomputed' cannot embed new text (seed "
            "words, zero-shot descriptions, transform of new documents). Use backend="
            "'tfidf-svd' or 'sentence-transformers', or pass vectors for every document."
        )

    def get_state(self):
        return {}, {"model_id": self._id}

    def set_state(self, arrays, meta) -> PrecomputedEmbedder:
        return self

    def __repr__(self) -> str:
        return f"PrecomputedEmbedder({self._id!r})"


@functools.lru_cache(maxsize=1)
def _backend_class():
    from ._imports import import_bertopic

    BaseEmbedder = import_bertopic().backend.BaseEmbedder

    class FramelabBackend(BaseEmbedder):
        """BERTopic's view of a framelab embedder."""

        def __init__(self, embedder):
            super().__init__()
            self.embedder = embedder

        def embed(self, documents, verbose=False):
            return self.embedder.embed(list(documents))

    return FramelabBackend


def as_bertopic_backend(embedder: Embedder):
    """Wrap a framelab embedder as a ``bertopic.backend.BaseEmbedder``."""
    return _backend_class()(embedder)
