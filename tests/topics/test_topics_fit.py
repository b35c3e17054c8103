"""fit_topics: tidy results, guidance, precomputed vectors, paragraphs, large corpora, cache."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelab.topics import ASSIGNMENT_COLUMNS, INFO_COLUMNS, TfidfSVDEmbedder, fit_topics
from framelab.topics._fit import WORD_COLUMNS

FAST3 = {"preset": "fast", "n_topics": 3, "use_cache": False}


@pytest.fixture(scope="module")
def toy_fit(toy):
    return fit_topics(toy, FAST3)


def test_fit_topics_recovers_the_three_toy_themes(toy, toy_fit):
    assert list(toy_fit.assignments.columns) == list(ASSIGNMENT_COLUMNS)
    assert list(toy_fit.info.columns) == list(INFO_COLUMNS)
    assert list(toy_fit.words.columns) == list(WORD_COLUMNS)
    themes = toy.set_index("doc_id")["theme"]
    joined = toy_fit.assignments.assign(theme=toy_fit.assignments["doc_id"].map(themes))
    # each topic holds exactly one theme, and each theme one topic
    assert joined.groupby("topic")["theme"].nunique().eq(1).all()
    assert joined.groupby("theme")["topic"].nunique().eq(1).all()
    assert toy_fit.info["size"].tolist() == [8, 8, 8]
    np.testing.assert_allclose(toy_fit.info["share"], 1 / 3)
    assert toy_fit.assignments["assigned_by"].eq("fit").all()
    assert toy_fit.assignments["probability"].isna().all()  # KMeans gives no probabilities


def test_fit_topics_words_and_labels_are_ranked_and_stable(toy_fit):
    for _, words in toy_fit.words.groupby("topic"):
        assert words["rank"].tolist() == list(range(1, len(words) + 1))
        key = list(zip(-words["weight"], words["word"], strict=True))
        assert key == sorted(key)  # weight descending, ties by word
    grain = toy_fit.info.loc[toy_fit.info["top_words"].str.contains("grain"), "label"]
    assert grain.item().split(": ")[1] == "grain exports, black sea, corridor"


def test_fit_topics_representatives_come_from_their_topic(toy_fit):
    reps = toy_fit.representatives
    assert reps.groupby("topic")["rank"].apply(list).tolist() == [[1, 2, 3]] * 3
    topic_of = toy_fit.assignments.set_index("unit_id")["topic"]
    assert (reps["unit_id"].map(topic_of) == reps["topic"]).all()
    assert reps.groupby("topic")["similarity"].apply(lambda s: s.is_monotonic_decreasing).all()


def test_fit_topics_tag_tracks_config_and_corpus(toy, toy_fit):
    assert toy_fit.tag.startswith("topics@") and len(toy_fit.tag) == 19
    assert fit_topics(toy, FAST3).tag == toy_fit.tag
    assert fit_topics(toy, {**FAST3, "seed": 1}).tag != toy_fit.tag
    changed = toy.assign(text=toy["text"].where(toy["doc_id"] != "d01", "Grain grain."))
    assert fit_topics(changed, FAST3).tag != toy_fit.tag
    assert "3 topics, 0 outliers" in repr(toy_fit)
    with pytest.raises(KeyError, match=r"no topic 7; topics are \[0, 1, 2\]"):
        toy_fit.label_of(7)


def test_fit_topics_guided_topics_contain_their_seed_words(sample_corpus, cache_dir):
    seeds = {
        "ceasefire": ["ceasefire", "truce", "armistice"],
        "security_guarantees": ["guarantees", "nato", "security guarantees"],
        "eu_accession": ["accession", "membership", "candidate"],
    }
    config = {"preset": "fast", "n_topics": 15, "cache_dir": cache_dir}
    guided = fit_topics(sample_corpus, config, seed_topics=seeds)
    plain = fit_topics(sample_corpus, config)
    assert guided.guidance["seed_words"] == list(seeds.values())

    def topics_with(fit, words):
        return set(fit.words.loc[fit.words["word"].isin(words), "topic"])

    for words in seeds.values():
        assert topics_with(guided, words), words  # some topic carries the seed words
        assert not topics_with(plain, words)  # which the unguided model does not show


def test_fit_topics_precomputed_embeddings_array_and_frame(toy):
    theme_vec = {"grain": [1.0, 0, 0], "ceasefire": [0, 1.0, 0], "sanctions": [0, 0, 1.0]}
    noise = np.random.default_rng(0).normal(scale=0.01, size=(24, 3))
    vectors = np.array([theme_vec[t] for t in toy["theme"]]) + noise
    reversed_toy = toy.iloc[::-1].reset_index(drop=True)  # array rows follow corpus rows
    fit = fit_topics(
        reversed_toy,
        {**FAST3, "backend": "precomputed", "umap_components": 2},
        embeddings=vectors[::-1],
    )
    themes = toy.set_index("doc_id")["theme"]
    grouped = fit.assignments.assign(theme=fit.assignments["doc_id"].map(themes))
    assert grouped.groupby("topic")["theme"].nunique().eq(1).all()
    assert fit.embedding["backend"] == "precomputed" and fit.embedding["dim"] == 3
    frame = pd.DataFrame(vectors, index=toy["doc_id"])
    by_frame = fit_topics(
        toy, {**FAST3, "backend": "precomputed", "umap_components": 2}, embeddings=frame
    )
    assert by_frame.assignments.equals(fit.assignments)


def test_fit_topics_precomputed_errors(toy):
    cfg = {**FAST3, "backend": "precomputed"}
    with pytest.raises(ValueError, match="pass embeddings= exactly when backend='precomputed'"):
        fit_topics(toy, cfg)
    with pytest.raises(ValueError, match="pass embeddings= exactly when"):
        fit_topics(toy, FAST3, embeddings=np.zeros((24, 3)))
    with pytest.raises(ValueError, match="got 5 embedding rows for 24 units"):
        fit_topics(toy, cfg, embeddings=np.zeros((5, 3)))
    with pytest.raises(ValueError, match="no row for 1 unit"):
        fit_topics(toy, cfg, embeddings=pd.DataFrame(np.zeros((23, 3)), index=toy["doc_id"][:23]))


def test_fit_topics_paragraph_level_units(toy):
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "text": ["\n\n".join(toy["text"][i::3].tolist()[:8]) for i in range(3)],
        }
    )
    fit = fit_topics(docs, {**FAST3, "level": "paragraph"})
    assert fit.level == "paragraph"
    assert fit.assignments["unit_id"].tolist()[:3] == ["a-p0", "a-p1", "a-p2"]
    assert len(fit.assignments) == 24
    assert (fit.assignments["unit_id"].str.split("-p").str[0] == fit.assignments["doc_id"]).all()


def test_fit_topics_second_run_computes_no_embeddings(toy, tmp_path, monkeypatch):
    config = {**FAST3, "use_cache": True, "cache_dir": str(tmp_path)}
    first = fit_topics(toy, config)

    def boom(self, texts):
        raise AssertionError("embeddings were computed on a cache hit")

    monkeypatch.setattr(TfidfSVDEmbedder, "fit_embed", boom)
    monkeypatch.setattr(TfidfSVDEmbedder, "embed", boom)
    second = fit_topics(toy, config)
    assert (first.embedding["from_cache"], second.embedding["from_cache"]) == (False, True)
    assert second.assignments.equals(first.assignments)
    assert second.words.equals(first.words)


def test_fit_topics_large_corpus_fits_a_stratified_sample(sample_corpus, tmp_path, monkeypatch):
    corpus = sample_corpus.iloc[:240]
    config = {
        "preset": "fast",
        "n_topics": 5,
        "fit_sample_size": 100,
        "batch_size": 50,
        "stratify_by": "outlet",
        "cache_dir": str(tmp_path),
    }
    fit = fit_topics(corpus, config, progress=False)
    counts = fit.assignments["assigned_by"].value_counts().to_dict()
    assert counts == {"transform": 140, "fit": 100}
    per_outlet = corpus.set_index("doc_id")["outlet"]
    in_fit = fit.assignments[fit.assignments["assigned_by"] == "fit"]["doc_id"].map(per_outlet)
    quota = corpus["outlet"].value_counts() * 100 / len(corpus)
    got = in_fit.value_counts().reindex(quota.index, fill_value=0)
    # proportional allocation: every stratum gets floor or ceil of its quota
    assert ((got == np.floor(quota)) | (got == np.ceil(quota))).all() and got.sum() == 100
    assert fit.info["size"].sum() == 240
    assert fit.assignments["topic"].between(0, 4).all()

    # a rerun reads every batch from the cache and gives the same assignments
    def boom(self, texts):
        raise AssertionError("embeddings were computed on a cache hit")

    monkeypatch.setattr(TfidfSVDEmbedder, "fit_embed", boom)
    monkeypatch.setattr(TfidfSVDEmbedder, "embed", boom)
    again = fit_topics(corpus, config, progress=False)
    assert again.assignments.equals(fit.assignments)


def test_fit_topics_rejects_an_unknown_stratification_column(sample_corpus):
    with pytest.raises(
        ValueError,
        match=r"stratify_by='outlett' is not a corpus column\. "
        r"Did you mean stratify_by='outlet'\?",
    ):
        fit_topics(sample_corpus, {**FAST3, "fit_sample_size": 100, "stratify_by": "outlett"})


def test_fit_topics_leaves_no_shared_token_memo_gh17(toy, toy_fit, monkeypatch):
    from framelab.topics import _fit

    # the tokenized texts shared during a fit are detached from every object afterwards
    assert toy_fit.embedder.memo is None
    assert toy_fit.model.vectorizer_model.analyzer.memo is None
    made = []
    real = _fit.make_embedder

    def recording(*args, **kwargs):
        made.append(real(*args, **kwargs))
        return made[-1]

    def failing(*args, **kwargs):
        raise RuntimeError("embedding failed")

    monkeypatch.setattr(_fit, "make_embedder", recording)
    monkeypatch.setattr(_fit, "embed_texts", failing)
    with pytest.raises(RuntimeError, match="embedding failed"):
        fit_topics(toy, FAST3)
    assert made[0].memo is None  # also when a step fails
