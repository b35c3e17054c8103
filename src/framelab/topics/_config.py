"""TopicConfig: every setting of a topic model in one validated, immutable value object."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from framelab._errors import suggest
from framelab.schema import COARSE_LEVELS as LEVELS

__all__ = ["BACKENDS", "PRESETS", "TopicConfig"]

#: Embedding backends: offline TF-IDF + SVD, a local sentence-transformers model, or your own
#: vectors passed to :func:`~framelab.topics.fit_topics` as ``embeddings=``.
BACKENDS = ("tfidf-svd", "sentence-transformers", "precomputed")
#: ``default``: UMAP + HDBSCAN (seeded, outliers possible); ``fast``: PCA + KMeans (no outliers).
PRESETS = ("default", "fast")
#: Reporting verbs dropped from topic words by default (they top every news topic otherwise).
NEWS_STOPWORDS = ("said", "says", "say", "told", "according")


@dataclass(frozen=True)
class TopicConfig:
    """Settings of a topic model; validated when built, never changed afterwards.

    Build one from a plain dict (e.g. the ``topics:`` section of a study YAML) with
    :meth:`from_dict`; unknown keys are refused with a "did you mean" hint. Change a copy with
    :meth:`replace`.

    Parameters
    ----------
    backend : {"tfidf-svd", "sentence-transformers", "precomputed"}, default "tfidf-svd"
        How documents become vectors. ``tfidf-svd`` runs offline (TF-IDF -> TruncatedSVD);
        ``sentence-transformers`` needs ``model_path``; ``precomputed`` takes ``embeddings=``.
    model_path : str, optional
        sentence-transformers model: a local folder, or a model name already in the local
        Hugging Face cache. Nothing is downloaded unless ``allow_download`` is True.
    allow_download : bool, default False
        Allow sentence-transformers to fetch ``model_path`` from the hub.
    preset : {"default", "fast"}, default "default"
        ``default`` = UMAP + HDBSCAN (outlier topic -1 possible), ``fast`` = PCA + KMeans
        with ``n_topics`` clusters (fully deterministic, no outliers, no numba compilation).
    seed : int, default 0
        The study seed; feeds TruncatedSVD, UMAP, PCA, KMeans and the stratified sample.
    n_topics : int, default 10
        Number of KMeans clusters (``fast`` preset only).
    min_topic_size : int, default 10
        HDBSCAN ``min_cluster_size`` (``default`` preset only).
    level : {"document", "paragraph"}, default "document"
        Unit of analysis: whole documents, or paragraphs (``unit_id`` = ``<doc_id>-p<k>``).
    svd_components : int, default 100
        Dimensions of the ``tfidf-svd`` embeddings (capped by the vocabulary size).
    umap_neighbors, umap_components : int, default 15, 5
        UMAP ``n_neighbors`` and ``n_components``; ``umap_components`` is also the PCA size
        of the ``fast`` preset.
    top_n_words : int, default 10
        Words kept per topic.
    ngram_range : tuple of int, default (1, 2)
        n-grams of the topic representation.
    min_df : int or "auto", default "auto"
        Minimum number of units a word must occur in to enter the topic vocabulary. ``auto``:
        1 below 100 units, else ``max(2, ceil(n_units / 1000))``.
    stopword_languages : "auto" or tuple of str, default "auto"
        Stopword lists to apply (:func:`framelab.text.stopwords`); ``auto`` = the languages
        of the corpus' ``language`` column (English when absent).
    extra_stopwords : tuple of str, default NEWS_STOPWORDS
        More words to drop from the topic representation: by default the reporting verbs
        that top every news topic otherwise (``said, says, say, told, according``); pass
        ``()`` to keep them.
    reduce_frequent_words : bool, default True
        BERTopic's c-TF-IDF option that down-weights words frequent in every topic.
    zeroshot_min_similarity : float, default 0.7
        Cosine similarity a document needs to join a zero-shot topic.
    cache_dir : str, default "data/processed/cache/embeddings"
        Where embeddings are cached (``.npy`` + ``.json``).
    use_cache : bool, default True
        Read and write the embedding cache (and the fit cache, when ``fit_cache_dir`` is set).
    fit_cache_dir : str, optional
        Where whole fits are cached, as topic bundles (:func:`save_topic_bundle`: safetensors
        model, Parquet tables) keyed by the units, these settings, the guidance and the library
        versions. A repeated fit then reads the tables instead of refitting, and the BERTopic
        model is only loaded when ``fit.model`` is first used; like any loaded bundle, its
        ``transform`` assigns new texts by cosine similarity (no UMAP/HDBSCAN). ``None`` (the
        default) caches no fits; :meth:`framelab.config.StudyConfig.topic_settings` sets
        ``data/processed/cache/topic_fits`` next to the study config.
    embed_batch_size : int, default 32
        Batch size of sentence-transformers encoding.
    fit_sample_size : int, optional
        Large corpora: fit on a stratified sample of this many units, then assign the rest in
        batches (bounded memory). ``None`` fits on everything.
    stratify_by : str, default "outlet"
        Corpus column the fitting sample is stratified by (proportional allocation);
        ``""`` draws a simple random sample.
    batch_size : int, default 2000
        Units per batch when assigning the rest of a large corpus.

    Examples
    --------
    >>> cfg = TopicConfig.from_dict({"preset": "fast", "n_topics": 4, "seed": 7})
    >>> cfg.preset, cfg.n_topics, cfg.seed, cfg.backend
    ('fast', 4, 7, 'tfidf-svd')
    >>> TopicConfig.from_dict({"n_topic": 4})
    Traceback (most recent call last):
    ...
    ValueError: TopicConfig(): unknown setting 'n_topic'. Did you mean 'n_topics'? Known settings: backend, model_path, allow_download, preset, seed, n_topics, min_topic_size, level, svd_components, umap_neighbors, umap_components, top_n_words, ngram_range, min_df, stopword_languages, extra_stopwords, reduce_frequent_words, zeroshot_min_similarity, cache_dir, use_cache, fit_cache_dir, embed_batch_size, fit_sample_size, stratify_by, batch_size.
    """

    backend: str = "tfidf-svd"
    model_path: str | None = None
    allow_download: bool = False
    preset: str = "default"
    seed: int = 0
    n_topics: int = 10
    min_topic_size: int = 10
    level: str = "document"
    svd_components: int = 100
    umap_neighbors: int = 15
    umap_components: int = 5
    top_n_words: int = 10
    ngram_range: tuple[int, int] = (1, 2)
    min_df: int | str = "auto"
    stopword_languages: str | tuple[str, ...] = "auto"
    extra_stopwords: tuple[str, ...] = NEWS_STOPWORDS
    reduce_frequent_words: bool = True
    zeroshot_min_similarity: float = 0.7
    cache_dir: str = "data/processed/cache/embeddings"
    use_cache: bool = True
    fit_cache_dir: str | None = None
    embed_batch_size: int = 32
    fit_sample_size: int | None = None
    stratify_by: str = "outlet"
    batch_size: int = 2000

    def __post_init__(self):
        # normalise sequences coming from YAML/JSON lists
        for name in ("ngram_range", "extra_stopwords"):
            value = getattr(self, name)
            if isinstance(value, list):
                object.__setattr__(self, name, tuple(value))
        if isinstance(self.stopword_languages, list):
            object.__setattr__(self, "stopword_languages", tuple(self.stopword_languages))
        self._validate()

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None = None, **overrides: Any) -> TopicConfig:
        """Build a config from a mapping (plus keyword overrides); unknown keys are refused."""
        data = {**(dict(data) if data else {}), **overrides}
        known = cls.keys()
        for key in data:
            if key not in known:
                raise ValueError(
                    f"TopicConfig(): unknown setting {key!r}.{suggest(key, known)} "
                    f"Known settings: {', '.join(known)}."
                )
        return cls(**data)

    @classmethod
    def coerce(cls, config: TopicConfig | Mapping[str, Any] | None, caller: str) -> TopicConfig:
        """Accept a TopicConfig, a mapping or None (the defaults)."""
        if config is None:
            return cls()
        if isinstance(config, TopicConfig):
            return config
        if isinstance(config, Mapping):
            return cls.from_dict(config)
        raise TypeError(
            f"{caller}(): config must be a TopicConfig or a dict of settings, got "
            f"{type(config).__name__}. Example: {{'preset': 'fast', 'n_topics': 8}}."
        )

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """The setting names, in declaration order."""
        return tuple(f.name for f in dataclasses.fields(cls))

    def replace(self, **changes: Any) -> TopicConfig:
        """A copy with some settings changed (validated again)."""
        return TopicConfig.from_dict(self.to_dict(), **changes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready settings (tuples become lists)."""
        out = {}
        for key in self.keys():
            value = getattr(self, key)
            out[key] = list(value) if isinstance(value, tuple) else value
        return out

    def fingerprint(
        self, *, exclude: tuple[str, ...] = ("cache_dir", "use_cache", "fit_cache_dir")
    ) -> str:
        """Short hash of the settings that change results (cache location excluded)."""
        payload = {k: v for k, v in self.to_dict().items() if k not in exclude}
        blob = json.dumps(payload, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:12]

    # ----------------------------------------------------------------- validation
    def _validate(self) -> None:
        def fail(name: str, what: str, hint: str = "") -> None:
            value = getattr(self, name)
            raise ValueError(f"TopicConfig(): {name} must be {what}, got {value!r}.{hint}")

        def choice(name: str, options: tuple[str, ...]) -> None:
            value = getattr(self, name)
            if value not in options:
                fail(
                    name,
                    "one of " + ", ".join(repr(o) for o in options),
                    suggest(str(value), options, name),
                )

        def integer(name: str, minimum: int) -> None:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                fail(name, f"an integer >= {minimum}")

        def boolean(name: str) -> None:
            if not isinstance(getattr(self, name), bool):
                fail(name, "True or False")

        choice("backend", BACKENDS)
        choice("preset", PRESETS)
        choice("level", LEVELS)
        for name, minimum in (
            ("seed", 0),
            ("n_topics", 2),
            ("min_topic_size", 2),
            ("svd_components", 2),
            ("umap_neighbors", 2),
            ("umap_components", 1),
            ("top_n_words", 1),
            ("embed_batch_size", 1),
            ("batch_size", 1),
        ):
            integer(name, minimum)
        for name in ("allow_download", "reduce_frequent_words", "use_cache"):
            boolean(name)
        if self.backend == "sentence-transformers" and not self.model_path:
            raise ValueError(
                "TopicConfig(): backend='sentence-transformers' needs model_path: a local model "
                "folder or the name of a model in your Hugging Face cache. Use "
                "backend='tfidf-svd' to run without a model."
            )
        ngram = self.ngram_range
        if (
            not isinstance(ngram, tuple)
            or len(ngram) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in ngram)
            or not 1 <= ngram[0] <= ngram[1] <= 3
        ):
            fail("ngram_range", "a pair (low, high) with 1 <= low <= high <= 3")
        if self.min_df != "auto":
            integer("min_df", 1)
        langs = self.stopword_languages
        if langs != "auto" and (
            not isinstance(langs, tuple) or not all(isinstance(x, str) for x in langs)
        ):
            fail("stopword_languages", "'auto' or a list of language codes")
        if not all(isinstance(w, str) for w in self.extra_stopwords):
            fail("extra_stopwords", "a list of words")
        sim = self.zeroshot_min_similarity
        if isinstance(sim, bool) or not isinstance(sim, (int, float)) or not -1 <= sim <= 1:
            fail("zeroshot_min_similarity", "a number between -1 and 1")
        if self.fit_sample_size is not None:
            integer("fit_sample_size", 10)
        if not isinstance(self.cache_dir, str) or not self.cache_dir:
            fail("cache_dir", "a folder path (str)")
        if self.fit_cache_dir is not None and (
            not isinstance(self.fit_cache_dir, str) or not self.fit_cache_dir
        ):
            fail("fit_cache_dir", "a folder path (str) or None")
        if not isinstance(self.stratify_by, str):
            fail("stratify_by", "a column name")
