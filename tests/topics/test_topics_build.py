"""build_topic_model: explicit seeded sub-models; reproducibility guarantees of both presets.

What is guaranteed (and tested here): on one machine, the same config and the same corpus give
identical topic assignments, words and probabilities run to run, whatever the corpus' row order,
for the ``fast`` preset (PCA + KMeans) and for the seeded ``default`` preset (UMAP with
``init="pca"`` and ``random_state`` + deterministic HDBSCAN). Across machines, floating-point
differences (BLAS, numba) may still move borderline documents.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

from framelab.topics import build_topic_model, fit_topics
from framelab.topics._embed import TfidfSVDEmbedder
from framelab.topics._units import TopicAnalyzer


def test_build_default_preset_is_seeded_umap_and_hdbscan():
    model = build_topic_model({"seed": 7, "min_topic_size": 12, "umap_neighbors": 9})
    umap, clusterer = model.umap_model, model.hdbscan_model
    assert type(umap).__name__ == "UMAP" and type(clusterer).__name__ == "HDBSCAN"
    assert (umap.random_state, umap.init, umap.n_jobs, umap.n_neighbors, umap.metric) == (
        7,
        "pca",
        1,
        9,
        "cosine",
    )
    assert (clusterer.min_cluster_size, clusterer.prediction_data) == (12, True)
    # the embedding model is always framelab's, so BERTopic never picks or downloads one
    assert type(model.embedding_model).__name__ == "FramelabBackend"
    assert isinstance(model.embedding_model.embedder, TfidfSVDEmbedder)
    assert model.embedding_model.embedder.seed == 7
    # no ASCII-only preprocessing (BERTopic strips non-ASCII when language="english")
    assert model.language is None
    assert isinstance(model.vectorizer_model.analyzer, TopicAnalyzer)
    assert model.vectorizer_model.analyzer.ngram_range == (1, 2)
    assert model.ctfidf_model.reduce_frequent_words is True
    stop = model.vectorizer_model.analyzer.stop_words
    assert {"the", "said"} <= stop and "и" not in stop  # English + reporting verbs by default


def test_build_fast_preset_is_seeded_pca_and_kmeans():
    model = build_topic_model({"preset": "fast", "seed": 3, "n_topics": 6, "umap_components": 4})
    assert (
        type(model.umap_model).__name__,
        model.umap_model.random_state,
        model.umap_model.n_components,
    ) == ("PCA", 3, 4)
    assert (
        type(model.hdbscan_model).__name__,
        model.hdbscan_model.random_state,
        model.hdbscan_model.n_clusters,
    ) == ("KMeans", 3, 6)


def test_build_refuses_a_silent_fallback_when_umap_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "umap", None)
    with pytest.raises(ImportError, match=r"needs umap-learn.*preset='fast'.*silently"):
        build_topic_model()


def test_build_refuses_zero_shot_without_a_language_model_and_guidance_without_embedder():
    with pytest.raises(ValueError, match="zero-shot topics .* needs a language model"):
        build_topic_model({"preset": "fast"}, zeroshot_topic_list=["truce"])
    from framelab.topics import PrecomputedEmbedder

    with pytest.raises(ValueError, match="backend='precomputed' cannot do"):
        build_topic_model(
            {"preset": "fast"}, embedder=PrecomputedEmbedder(), seed_topic_list=[["truce"]]
        )


def test_fast_preset_same_seed_identical_topics_whatever_the_row_order(
    sample_corpus, sample_fast_fit, cache_dir
):
    shuffled = sample_corpus.sample(frac=1.0, random_state=1)
    again = fit_topics(shuffled, {"preset": "fast", "n_topics": 8, "cache_dir": cache_dir})
    assert again.embedding["from_cache"] is True  # same units in the same (sorted) order
    assert again.assignments.equals(sample_fast_fit.assignments)
    assert again.words.equals(sample_fast_fit.words)
    assert again.info.equals(sample_fast_fit.info)
    assert again.tag == sample_fast_fit.tag


def test_fast_preset_without_cache_recomputes_identical_embeddings_and_topics(sample_corpus):
    part = sample_corpus.iloc[:150]
    config = {"preset": "fast", "n_topics": 5, "use_cache": False}
    a, b = fit_topics(part, config), fit_topics(part, config)
    assert a.assignments.equals(b.assignments) and a.words.equals(b.words)
    assert np.array_equal(a.model.topic_embeddings_, b.model.topic_embeddings_)


@pytest.fixture(scope="module")
def default_fits(sample_corpus, cache_dir):
    config = {"preset": "default", "min_topic_size": 5, "cache_dir": cache_dir}
    return fit_topics(sample_corpus, config), fit_topics(sample_corpus, config)


def test_default_preset_seeded_umap_hdbscan_is_reproducible(default_fits):
    a, b = default_fits
    assert a.assignments.equals(b.assignments)  # topics and HDBSCAN probabilities
    assert a.words.equals(b.words)
    n_topics = int((a.info["topic"] >= 0).sum())
    assert n_topics >= 5 and -1 in a.topic_ids  # a real clustering, with outliers
    probs = a.assignments["probability"]
    assert probs.between(0, 1).all() and (probs[a.assignments["topic"] == -1] == 0).all()


def test_reduce_outliers_moves_only_outliers(default_fits, sample_corpus):
    from framelab.topics import outlier_sensitivity, reduced_topics

    fit = default_fits[0]
    before = fit.assignments["topic"].to_numpy()
    after = reduced_topics(fit, sample_corpus)
    kept = before != -1
    assert np.array_equal(after[kept], before[kept])
    assert (after[~kept] >= 0).all()
    table = outlier_sensitivity(fit, sample_corpus, by="perspective")
    reduced = table[table["variant"] == "reduced"]
    assert (reduced.loc[reduced["topic"] == -1, "n_assigned"] == 0).all()
    # shares sum to 1 per group in every variant
    sums = table.groupby(["variant", "group"])["share"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0)
    # dropping outliers shrinks each group's denominator by its outliers
    keep = table[(table["variant"] == "with_outliers") & (table["topic"] == -1)]
    drop = table[table["variant"] == "without_outliers"].groupby("group")["n_units"].first()
    for _, row in keep.iterrows():
        assert drop[row["group"]] == row["n_units"] - row["n_assigned"]
