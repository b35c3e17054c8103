"""Study bundles: the model as safetensors, results as Parquet, a JSON manifest. No pickle.

Layout of a bundle folder::

    manifest.json              config, seed, embedding backend + model id, corpus hash,
                               package versions, file hashes, transform-after-load agreement
    model/                     BERTopic.save(serialization="safetensors", save_ctfidf=True)
    embedder/                  fitted tfidf-svd state (state.safetensors + embedder.json)
    assignments.parquet        unit_id, doc_id, topic, probability, assigned_by
    topic_info.parquet         topic, label, size, share, top_words, guided_by
    topic_words.parquet        topic, rank, word, weight
    representatives.parquet    topic, rank, unit_id, doc_id, similarity, text

Published numbers are read from the Parquet tables. BERTopic's safetensors format drops UMAP
and HDBSCAN/KMeans, so ``transform`` after loading assigns by cosine similarity to the topic
embeddings and may differ from the stored assignments: :func:`transform_agreement` measures by
how much.
"""

from __future__ import annotations

import datetime
import json
import logging
import platform
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framelab._cache import package_versions
from framelab._files import ensure_writable, folder_sha256

from ._build import make_vectorizer
from ._config import TopicConfig
from ._embed import (
    PrecomputedEmbedder,
    SentenceTransformerEmbedder,
    TfidfSVDEmbedder,
    as_bertopic_backend,
)
from ._result import DeferredModel, TopicFit
from ._units import corpus_units

__all__ = ["load_topic_bundle", "read_bundle", "save_topic_bundle", "transform_agreement"]

logger = logging.getLogger(__name__)

_FORMAT = "framelab-topic-bundle"
_VERSION = 1
_PACKAGES = (
    "framelab",
    "bertopic",
    "umap-learn",
    "hdbscan",
    "scikit-learn",
    "numpy",
    "pandas",
    "scipy",
    "pyarrow",
    "safetensors",
    "sentence-transformers",
    "transformers",
    "torch",
    "numba",
)
_TABLES = {
    "assignments": "assignments.parquet",
    "info": "topic_info.parquet",
    "words": "topic_words.parquet",
    "representatives": "representatives.parquet",
}
_UNSAFE_SUFFIXES = (".bin", ".pkl", ".pickle", ".joblib", ".pt", ".pth")
AGREEMENT_COLUMNS = (
    "n_units",
    "n_agree",
    "agreement",
    "n_assigned",
    "agreement_assigned",
    "method",
)


def _versions() -> dict[str, str]:
    return {"python": platform.python_version(), **package_versions(*_PACKAGES)}


def _write_manifest(folder: Path, manifest: dict) -> None:
    (folder / "manifest.json").write_text(
        json.dumps(manifest, indent=1, default=str), encoding="utf-8"
    )


def _stop_words(fit: TopicFit) -> list[str]:
    return sorted(fit.model.vectorizer_model.analyzer.stop_words)


def save_topic_bundle(
    fit: TopicFit, path: str | Path, *, corpus: pd.DataFrame | None = None, overwrite: bool = False
) -> Path:
    """Write ``fit`` as a study bundle (see the module docstring for the layout).

    Parameters
    ----------
    fit : TopicFit
        A fit from :func:`fit_topics`.
    path : str or Path
        Bundle folder (created; never under ``data/raw``).
    corpus : pandas.DataFrame, optional
        The corpus the model was fitted on. When given, representative texts are stored and
        the transform-after-load agreement is measured and written into the manifest.
    overwrite : bool, default False
        Replace an existing bundle (only a folder holding a framelab bundle manifest).

    Returns
    -------
    Path
        The bundle folder.

    Examples
    --------
    >>> import tempfile
    >>> from framelab.topics._toy import toy_corpus
    >>> from framelab.topics import fit_topics
    >>> toy = toy_corpus()
    >>> fit = fit_topics(toy, {"preset": "fast", "n_topics": 3, "use_cache": False})
    >>> folder = save_topic_bundle(fit, Path(tempfile.mkdtemp()) / "bundle", corpus=toy)
    >>> sorted(p.name for p in folder.iterdir())  # doctest: +NORMALIZE_WHITESPACE
    ['assignments.parquet', 'embedder', 'manifest.json', 'model', 'representatives.parquet',
     'topic_info.parquet', 'topic_words.parquet']
    >>> json.loads((folder / "manifest.json").read_text())["transform_agreement"]["agreement"]
    1.0
    """
    if not isinstance(fit, TopicFit):
        raise TypeError(f"save_topic_bundle(): expected a TopicFit, got {type(fit).__name__}.")
    folder = ensure_writable(Path(path))
    if folder.exists() and any(folder.iterdir()):
        manifest = folder / "manifest.json"
        is_bundle = manifest.is_file() and json.loads(manifest.read_text()).get("format") == _FORMAT
        if not (overwrite and is_bundle):
            raise FileExistsError(
                f"save_topic_bundle(): {str(folder)!r} exists and is not empty. Pass "
                "overwrite=True to replace a bundle, or choose a new folder"
                + ("." if is_bundle else " (it does not hold a framelab topic bundle).")
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)

    fit.model.save(
        str(folder / "model"),
        serialization="safetensors",
        save_ctfidf=True,
        save_embedding_model=True,
    )
    arrays, meta = fit.embedder.get_state() if fit.embedder is not None else ({}, {})
    (folder / "embedder").mkdir()
    if arrays:
        from safetensors.numpy import save_file

        save_file(
            {k: np.ascontiguousarray(v) for k, v in arrays.items()},
            str(folder / "embedder" / "state.safetensors"),
        )
    (folder / "embedder" / "embedder.json").write_text(
        json.dumps({"backend": fit.embedding.get("backend"), **meta}, indent=1, default=str),
        encoding="utf-8",
    )

    reps = fit.representatives.copy()
    reps["text"] = ""
    if corpus is not None:
        units = corpus_units(corpus, fit.level, "save_topic_bundle").set_index("unit_id")
        reps["text"] = reps["unit_id"].map(units["text"]).fillna("").astype(str)
    tables = {
        "assignments": fit.assignments,
        "info": fit.info,
        "words": fit.words,
        "representatives": reps,
    }
    for name, filename in _TABLES.items():
        tables[name].to_parquet(folder / filename, index=False)

    files = folder_sha256(folder)
    manifest = {
        "format": _FORMAT,
        "version": _VERSION,
        "tag": fit.tag,
        "level": fit.level,
        "config": fit.config.to_dict(),
        "seed": fit.config.seed,
        "embedding": {k: fit.embedding.get(k) for k in ("backend", "model_id", "key", "dim")},
        "corpus_sha256": fit.corpus_sha256,
        "n_units": len(fit.assignments),
        "guidance": fit.guidance,
        "stop_words": _stop_words(fit),
        "packages": _versions(),
        "files": files,
        "transform_agreement": None,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    _write_manifest(folder, manifest)
    if corpus is not None:
        loaded = load_topic_bundle(folder, embedder=fit.embedder)
        row = transform_agreement(loaded, corpus).iloc[0].to_dict()
        manifest["transform_agreement"] = {
            k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()
        }
        _write_manifest(folder, manifest)
    logger.info("saved topic bundle %s to %s", fit.tag, folder)
    return folder


def _embedder_from_bundle(folder: Path, config: TopicConfig):
    meta = json.loads((folder / "embedder" / "embedder.json").read_text(encoding="utf-8"))
    backend = meta.get("backend", config.backend)
    if backend == "tfidf-svd":
        from safetensors.numpy import load_file

        params = meta.get("params", {})
        emb = TfidfSVDEmbedder(
            n_components=params.get("n_components", config.svd_components),
            seed=params.get("seed", config.seed),
            min_df=params.get("min_df", 1),
        )
        return emb.set_state(load_file(str(folder / "embedder" / "state.safetensors")), meta)
    if backend == "sentence-transformers":
        try:
            return SentenceTransformerEmbedder(
                meta.get("model") or config.model_path, allow_download=False
            )
        except FileNotFoundError as err:
            raise FileNotFoundError(
                f"load_topic_bundle(): the bundle's sentence-transformers model is not on this "
                f"machine ({err}). Pass embedder=SentenceTransformerEmbedder('<local folder>')."
            ) from None
    return PrecomputedEmbedder()


def _read_manifest(path: Path) -> dict:
    """The bundle manifest, checked: valid JSON, a framelab bundle, the keys loading needs."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:  # JSONDecodeError, UnicodeDecodeError
        raise ValueError(
            f"load_topic_bundle(): {str(path)!r} is not valid JSON ({err}); the bundle is "
            "damaged. Save it again with save_topic_bundle()."
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT:
        raise ValueError(
            f"load_topic_bundle(): {str(path)!r} is not a framelab topic bundle manifest."
        )
    for key in ("files", "config"):
        if not isinstance(manifest.get(key), dict):
            raise ValueError(
                f"load_topic_bundle(): {str(path)!r} lacks the key {key!r} (or it is not a "
                "mapping); the bundle is damaged or not written by save_topic_bundle(). Save "
                "it again."
            )
    return manifest


def _verify_files(folder: Path, manifest_path: Path, files: dict) -> None:
    """Every file the manifest lists exists and has its recorded SHA-256."""
    from framelab._files import file_sha256

    for rel, sha in sorted(files.items()):
        path = folder / rel
        if not path.is_file():
            raise ValueError(
                f"load_topic_bundle(): {str(path)!r} is listed in {str(manifest_path)!r} but is "
                "missing; the bundle is incomplete. Copy the whole folder again or re-save it."
            )
        if file_sha256(path) != sha:
            raise ValueError(
                f"load_topic_bundle(): {str(path)!r} does not match the SHA-256 recorded in "
                f"{str(manifest_path)!r}: it was edited, truncated or damaged after saving. "
                "Restore the bundle from its source or save it again with save_topic_bundle()."
            )


def load_topic_bundle(path: str | Path, *, embedder: Any = None) -> TopicFit:
    """Read a bundle written by :func:`save_topic_bundle`, without touching the network.

    The embedding model is always passed to ``BERTopic.load`` (the bundle never names a hub
    model), so loading works offline; the tables come from Parquet, not from ``transform``.
    Every file is checked against the SHA-256 in ``manifest.json`` first: an edited, truncated
    or missing file, or a damaged manifest, raises a ValueError naming it.

    Parameters
    ----------
    path : str or Path
        Bundle folder.
    embedder : framelab embedder, optional
        Embedding backend to attach (default: rebuilt from the bundle - the saved tfidf-svd
        state, or the local sentence-transformers model named in the manifest).

    Returns
    -------
    TopicFit
        With ``source`` set to the bundle path. Its ``model`` has no UMAP/HDBSCAN: its
        ``transform`` uses cosine similarity to the topic embeddings.

    Examples
    --------
    >>> import tempfile
    >>> from framelab.topics._toy import toy_corpus
    >>> from framelab.topics import fit_topics
    >>> toy = toy_corpus()
    >>> fit = fit_topics(toy, {"preset": "fast", "n_topics": 3, "use_cache": False})
    >>> folder = save_topic_bundle(fit, Path(tempfile.mkdtemp()) / "bundle")
    >>> loaded = load_topic_bundle(folder)
    >>> loaded.tag == fit.tag, loaded.assignments.equals(fit.assignments)
    (True, True)
    """
    return read_bundle(Path(path), embedder=embedder)


def read_bundle(folder: Path, *, embedder: Any = None, lazy_model: bool = False) -> TopicFit:
    """:func:`load_topic_bundle`; with ``lazy_model`` the BERTopic model (and BERTopic itself)
    is only loaded when ``fit.model`` is first used (the fit cache reads bundles this way)."""
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise FileNotFoundError(
            f"load_topic_bundle(): {str(folder)!r} holds no manifest.json; pass a folder written "
            "by framelab.topics.save_topic_bundle()."
        )
    manifest = _read_manifest(manifest_path)
    model_dir = folder / "model"
    unsafe = [p.name for p in model_dir.rglob("*") if p.suffix in _UNSAFE_SUFFIXES]
    if unsafe or not (model_dir / "topic_embeddings.safetensors").is_file():
        raise ValueError(
            f"load_topic_bundle(): {str(model_dir)!r} must hold a safetensors BERTopic model and "
            f"no pickled/torch files (found: {', '.join(unsafe) or 'no safetensors'}). framelab "
            "never loads pickles; re-save the model with serialization='safetensors'."
        )
    bert_config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    if bert_config.get("embedding_model"):
        raise ValueError(
            f"load_topic_bundle(): the model's config.json names the embedding model "
            f"{bert_config['embedding_model']!r}, which BERTopic.load would fetch from the hub. "
            "framelab bundles never do; remove that key or re-save with save_topic_bundle()."
        )
    _verify_files(folder, manifest_path, manifest["files"])
    config = TopicConfig.from_dict(manifest["config"])
    if embedder is None:
        embedder = _embedder_from_bundle(folder, config)

    def load_model():
        from ._imports import import_bertopic

        BERTopic = import_bertopic().BERTopic
        model = BERTopic.load(str(model_dir), embedding_model=as_bertopic_backend(embedder))
        ctfidf_cfg = json.loads((model_dir / "ctfidf_config.json").read_text(encoding="utf-8"))
        vocab = ctfidf_cfg["vectorizer_model"]["vocab"]
        ordered = sorted(vocab, key=vocab.get)
        model.vectorizer_model = make_vectorizer(
            manifest.get("stop_words", []), config.ngram_range, vocabulary=ordered
        )
        model.vectorizer_model.fit([])  # fixed vocabulary: sets vocabulary_, learns nothing
        return model

    tables = {name: pd.read_parquet(folder / filename) for name, filename in _TABLES.items()}
    reps = tables["representatives"].drop(columns="text")
    fit = TopicFit(
        model=DeferredModel(load_model, str(model_dir)) if lazy_model else load_model(),
        config=config,
        assignments=tables["assignments"],
        info=tables["info"],
        words=tables["words"],
        representatives=reps,
        embedding={**manifest["embedding"], "from_cache": False, "seconds": 0.0},
        corpus_sha256=manifest["corpus_sha256"],
        tag=manifest["tag"],
        guidance=manifest.get("guidance", {}),
        embedder=embedder,
        source=str(folder),
    )
    return fit


def transform_agreement(fit: TopicFit, corpus: pd.DataFrame) -> pd.DataFrame:
    """Share of units whose topic from ``fit.model.transform`` equals the stored assignment.

    For a loaded bundle, ``transform`` uses cosine similarity to the topic embeddings (UMAP and
    the clusterer are not saved); for an in-memory fit, the full pipeline.

    Returns
    -------
    pandas.DataFrame
        One row: ``n_units``, ``n_agree``, ``agreement`` (share), ``n_assigned`` (units not
        stored as outliers), ``agreement_assigned`` (share among them) and ``method``.

    Examples
    --------
    >>> from framelab.topics._toy import toy_corpus
    >>> from framelab.topics import fit_topics
    >>> toy = toy_corpus()
    >>> fit = fit_topics(toy, {"preset": "fast", "n_topics": 3, "use_cache": False})
    >>> transform_agreement(fit, toy)[["n_units", "agreement", "method"]]
       n_units  agreement                     method
    0       24        1.0  transform (full pipeline)
    """
    if not isinstance(fit, TopicFit):
        raise TypeError(f"transform_agreement(): expected a TopicFit, got {type(fit).__name__}.")
    units = corpus_units(corpus, fit.level, "transform_agreement").set_index("unit_id")
    missing = sorted(set(fit.assignments["unit_id"]) - set(units.index))
    if missing:
        raise ValueError(
            f"transform_agreement(): {len(missing)} unit(s) of the model are not in the corpus, "
            f"e.g. {missing[0]!r}. Pass the corpus the model was fitted on."
        )
    texts = units.loc[fit.assignments["unit_id"], "text"].tolist()
    predicted, _ = fit.model.transform(texts)
    predicted = np.asarray(predicted, dtype=np.int64)
    stored = fit.assignments["topic"].to_numpy()
    agree = predicted == stored
    assigned = stored != -1
    method = (
        "transform (cosine to topic embeddings, after load)"
        if fit.source != "fit"
        else "transform (full pipeline)"
    )
    return pd.DataFrame(
        [
            {
                "n_units": int(len(stored)),
                "n_agree": int(agree.sum()),
                "agreement": float(agree.mean()),
                "n_assigned": int(assigned.sum()),
                "agreement_assigned": float(agree[assigned].mean())
                if assigned.any()
                else float("nan"),
                "method": method,
            }
        ],
        columns=list(AGREEMENT_COLUMNS),
    )
