"""TopicConfig: defaults, validation, "did you mean", round trips."""

from __future__ import annotations

import pytest

from framelab.topics import TopicConfig


def test_topic_config_defaults_are_offline_and_seeded():
    cfg = TopicConfig()
    assert (cfg.backend, cfg.preset, cfg.seed, cfg.allow_download) == (
        "tfidf-svd",
        "default",
        0,
        False,
    )
    assert cfg.cache_dir == "data/processed/cache/embeddings"
    assert cfg.ngram_range == (1, 2) and cfg.min_df == "auto"


def test_topic_config_unknown_key_suggests_the_closest():
    with pytest.raises(ValueError, match=r"unknown setting 'seeed'\. Did you mean 'seed'\?"):
        TopicConfig.from_dict({"seeed": 3})


def test_topic_config_bad_choice_suggests_the_closest():
    with pytest.raises(
        ValueError,
        match=r"preset must be one of 'default', 'fast', got 'fats'\. "
        r"Did you mean preset='fast'\?",
    ):
        TopicConfig(preset="fats")
    with pytest.raises(ValueError, match=r"Did you mean backend='tfidf-svd'\?"):
        TopicConfig(backend="tfidf_svd")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"seed": -1}, r"seed must be an integer >= 0, got -1"),
        ({"n_topics": 1}, r"n_topics must be an integer >= 2"),
        ({"n_topics": True}, r"n_topics must be an integer >= 2, got True"),
        ({"ngram_range": (2, 1)}, r"ngram_range must be a pair"),
        ({"min_df": 0}, r"min_df must be an integer >= 1"),
        ({"use_cache": "yes"}, r"use_cache must be True or False"),
        ({"zeroshot_min_similarity": 2}, r"between -1 and 1"),
        ({"backend": "sentence-transformers"}, r"needs model_path"),
        ({"fit_sample_size": 5}, r"fit_sample_size must be an integer >= 10"),
        ({"fit_cache_dir": ""}, r"fit_cache_dir must be a folder path \(str\) or None"),
        ({"fit_cache_dir": 3}, r"fit_cache_dir must be a folder path \(str\) or None"),
    ],
)
def test_topic_config_rejects_invalid_values(settings, message):
    with pytest.raises(ValueError, match=message):
        TopicConfig.from_dict(settings)


def test_topic_config_lists_from_yaml_become_tuples_and_round_trip():
    cfg = TopicConfig.from_dict(
        {"ngram_range": [1, 3], "extra_stopwords": ["said"], "stopword_languages": ["en", "ru"]}
    )
    assert cfg.ngram_range == (1, 3) and cfg.extra_stopwords == ("said",)
    assert cfg.stopword_languages == ("en", "ru")
    assert TopicConfig.from_dict(cfg.to_dict()) == cfg


def test_topic_config_replace_validates_and_keeps_the_rest():
    cfg = TopicConfig(preset="fast", n_topics=4)
    other = cfg.replace(seed=9)
    assert (other.seed, other.preset, other.n_topics) == (9, "fast", 4)
    with pytest.raises(ValueError, match="n_topics must be"):
        cfg.replace(n_topics=0)


def test_topic_config_fingerprint_ignores_the_cache_location():
    a = TopicConfig(cache_dir="x")
    b = TopicConfig(cache_dir="y", use_cache=False, fit_cache_dir="fits")
    assert a.fingerprint() == b.fingerprint()
    assert a.fit_cache_dir is None  # fits are only cached when asked (the study config does)
    assert a.fingerprint() != a.replace(seed=1).fingerprint()


def test_topic_config_coerce_rejects_other_types():
    with pytest.raises(TypeError, match="config must be a TopicConfig or a dict"):
        TopicConfig.coerce(["fast"], "fit_topics")
    assert TopicConfig.coerce(None, "x") == TopicConfig()
