"""Embedding backends and the embedding cache (no network, no models downloaded)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from framelab._errors import NotFittedError
from framelab.topics import EmbeddingCache, TfidfSVDEmbedder
from framelab.topics._cache import cache_key, embed_texts
from framelab.topics._embed import resolve_sentence_model
from framelab.topics._units import TopicAnalyzer

TEXTS = [
    "Envoys met in Geneva to discuss a ceasefire.",
    "A truce on the front line held overnight.",
    "Grain exports through the Black Sea resumed.",
    "Insurers raised premiums for grain ships.",
    "New sanctions targeted Russian oil exports.",
    "The oil price cap was tightened again.",
    "Talks on a ceasefire and truce stalled.",
]


def test_tfidf_svd_matches_the_scikit_learn_pipeline():
    """Reference: sklearn TfidfVectorizer(sublinear_tf) -> TruncatedSVD(seed) -> L2 rows."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import normalize

    stop = {"the", "a", "on", "to", "in", "for", "and", "of"}
    emb = TfidfSVDEmbedder(n_components=4, seed=3, stop_words=stop)
    ours = emb.fit_embed(TEXTS)
    pipe = make_pipeline(
        TfidfVectorizer(analyzer=TopicAnalyzer(stop, (1, 1)), sublinear_tf=True),
        TruncatedSVD(n_components=4, random_state=3),
    )
    reference = normalize(pipe.fit_transform(TEXTS))
    np.testing.assert_allclose(ours, reference, atol=1e-6)
    # embedding the same texts after fitting gives the same vectors
    np.testing.assert_allclose(emb.embed(TEXTS), ours, atol=1e-6)


def test_tfidf_svd_same_seed_same_vectors_and_state_round_trip():
    a = TfidfSVDEmbedder(n_components=3, seed=0).fit_embed(TEXTS)
    emb = TfidfSVDEmbedder(n_components=3, seed=0)
    b = emb.fit_embed(TEXTS)
    assert np.array_equal(a, b)
    arrays, meta = emb.get_state()
    json.dumps(meta)  # the state's metadata is plain JSON
    restored = TfidfSVDEmbedder(n_components=3, seed=0).set_state(arrays, meta)
    assert np.array_equal(restored.embed(TEXTS), emb.embed(TEXTS))


def test_tfidf_svd_seed_matters_so_it_is_always_set():
    """An unseeded (or differently seeded) randomized SVD gives other vectors - and topics."""
    from framelab.datasets import load_sample

    texts = load_sample().sort_values("doc_id")["text"].tolist()[:60]
    a = TfidfSVDEmbedder(n_components=20, seed=0).fit_embed(texts)
    b = TfidfSVDEmbedder(n_components=20, seed=1).fit_embed(texts)
    assert np.abs(a - b).max() > 0.1  # the truncated subspace itself moves
    assert np.array_equal(a, TfidfSVDEmbedder(n_components=20, seed=0).fit_embed(texts))


def test_tfidf_svd_caps_components_and_handles_empty_texts():
    emb = TfidfSVDEmbedder(n_components=100, seed=0)
    vectors = emb.fit_embed(TEXTS)
    assert vectors.shape == (7, 6)  # min(n_docs, n_terms) - 1
    assert np.array_equal(emb.embed(["", "zzz unknown"]), np.zeros((2, 6), dtype=np.float32))


def test_tfidf_svd_errors():
    with pytest.raises(NotFittedError, match=r"call \.fit\(texts\) first"):
        TfidfSVDEmbedder().embed(TEXTS)
    with pytest.raises(ValueError, match="no terms left"):
        TfidfSVDEmbedder(stop_words={"the"}).fit(["the", "the the"])
    emb = TfidfSVDEmbedder(n_components=2).fit(TEXTS)
    with pytest.raises(TypeError, match="one string"):
        emb.embed("Envoys met")


def test_cache_key_changes_with_every_input():
    base = cache_key("a" * 64, "tfidf-svd", "tfidf-svd", {"seed": 0})
    assert base != cache_key("b" * 64, "tfidf-svd", "tfidf-svd", {"seed": 0})
    assert base != cache_key("a" * 64, "sentence-transformers", "tfidf-svd", {"seed": 0})
    assert base != cache_key("a" * 64, "tfidf-svd", "m@1", {"seed": 0})
    assert base != cache_key("a" * 64, "tfidf-svd", "tfidf-svd", {"seed": 1})
    assert base == cache_key("a" * 64, "tfidf-svd", "tfidf-svd", {"seed": 0})


def test_cache_hit_computes_nothing_and_restores_the_fitted_state(tmp_path, monkeypatch):
    first = embed_texts(TEXTS, TfidfSVDEmbedder(n_components=3), cache_dir=tmp_path)
    assert first.info["from_cache"] is False
    files = sorted(p.name for p in tmp_path.iterdir())
    key = first.info["key"]
    assert files == [f"{key}.json", f"{key}.npy", f"{key}.state.safetensors"]

    def boom(self, texts):
        raise AssertionError("the backend was called on a cache hit")

    monkeypatch.setattr(TfidfSVDEmbedder, "fit_embed", boom)
    monkeypatch.setattr(TfidfSVDEmbedder, "embed", boom)
    fresh = TfidfSVDEmbedder(n_components=3)
    second = embed_texts(TEXTS, fresh, cache_dir=tmp_path)
    assert second.info["from_cache"] is True and second.info["key"] == key
    assert np.array_equal(second.vectors, first.vectors)
    assert fresh.vocabulary_ == first.embedder.vocabulary_  # fitted state restored
    assert np.array_equal(fresh.components_, first.embedder.components_)


def test_cache_miss_when_texts_or_params_change(tmp_path):
    a = embed_texts(TEXTS, TfidfSVDEmbedder(n_components=3), cache_dir=tmp_path)
    b = embed_texts(TEXTS[::-1], TfidfSVDEmbedder(n_components=3), cache_dir=tmp_path)
    c = embed_texts(TEXTS, TfidfSVDEmbedder(n_components=3, seed=1), cache_dir=tmp_path)
    assert len({a.info["key"], b.info["key"], c.info["key"]}) == 3
    assert not b.info["from_cache"] and not c.info["from_cache"]


def test_broken_cache_entry_is_recomputed(tmp_path):
    first = embed_texts(TEXTS, TfidfSVDEmbedder(n_components=3), cache_dir=tmp_path)
    (tmp_path / f"{first.info['key']}.npy").write_bytes(b"not an array")
    again = embed_texts(TEXTS, TfidfSVDEmbedder(n_components=3), cache_dir=tmp_path)
    assert again.info["from_cache"] is False
    assert np.array_equal(again.vectors, first.vectors)


def test_cache_refuses_to_write_raw_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cache = EmbeddingCache("data/raw/cache")
    with pytest.raises(PermissionError, match="never written by framelab"):
        cache.save("k" * 24, np.zeros((1, 2), dtype=np.float32), {})


def test_resolve_sentence_model_never_downloads(tmp_path, no_network):
    with pytest.raises(FileNotFoundError, match="downloads are off"):
        resolve_sentence_model("surely-not-a-cached-model-name")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="holds no sentence-transformers model"):
        resolve_sentence_model(str(tmp_path / "empty"))
