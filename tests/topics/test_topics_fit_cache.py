"""The fit cache: a repeated fit reads identical tables from a bundle instead of refitting."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from framelab.topics import TopicFit, fit_topics, topic_stability
from framelab.topics import _fit as fit_module

TABLES = ("assignments", "info", "words", "representatives")


def _config(tmp_path, **extra):
    return {
        "preset": "fast",
        "n_topics": 3,
        "cache_dir": str(tmp_path / "embeddings"),
        "fit_cache_dir": str(tmp_path / "topic_fits"),
        **extra,
    }


@pytest.fixture
def count_fits(monkeypatch):
    """How many BERTopic models are built (one per fit that is not read from the cache)."""
    calls = []
    build = fit_module.build_topic_model

    def counting(*args, **kwargs):
        calls.append(1)
        return build(*args, **kwargs)

    monkeypatch.setattr(fit_module, "build_topic_model", counting)
    return calls


def _entries(tmp_path):
    return sorted(p.name for p in (tmp_path / "topic_fits").iterdir())


def test_fit_cache_hit_gives_identical_tables(toy, tmp_path, count_fits):
    plain = fit_topics(toy, {"preset": "fast", "n_topics": 3, "use_cache": False})
    first = fit_topics(toy, _config(tmp_path))
    again = fit_topics(toy, _config(tmp_path))
    assert len(count_fits) == 2  # the third call fitted nothing
    assert first.source == "fit" and again.source == str(
        tmp_path / "topic_fits" / _entries(tmp_path)[0]
    )
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(plain, name), check_exact=True)
        pd.testing.assert_frame_equal(getattr(first, name), getattr(plain, name), check_exact=True)
    assert again.tag == plain.tag and again.corpus_sha256 == plain.corpus_sha256
    assert again.config == first.config and again.embedding["from_cache"] is True
    assert again.timings["fit"] == 0.0
    # the model is read from the bundle on first use and has the fitted topic embeddings
    assert type(again.__dict__["_model"]).__name__ == "DeferredModel"
    assert np.array_equal(again.model.topic_embeddings_, plain.model.topic_embeddings_)
    assert type(again.__dict__["_model"]).__name__ == "BERTopic"


def test_fit_cache_stores_a_bundle_without_pickle(toy, tmp_path):
    fit_topics(toy, _config(tmp_path))
    (entry,) = (tmp_path / "topic_fits").iterdir()
    files = sorted(p.relative_to(entry).as_posix() for p in entry.rglob("*") if p.is_file())
    assert files == [
        "assignments.parquet",
        "cache.json",
        "embedder/embedder.json",
        "embedder/state.safetensors",
        "manifest.json",
        "model/config.json",
        "model/ctfidf.safetensors",
        "model/ctfidf_config.json",
        "model/topic_embeddings.safetensors",
        "model/topics.json",
        "representatives.parquet",
        "topic_info.parquet",
        "topic_words.parquet",
    ]
    ingredients = json.loads((entry / "cache.json").read_text())["ingredients"]
    assert ingredients["settings"]["seed"] == 0 and "fit_cache_dir" not in ingredients["settings"]
    assert set(ingredients["packages"]) >= {"bertopic", "scikit-learn", "numpy"}


@pytest.mark.parametrize(
    "change",
    [
        {"seed": 1},
        {"n_topics": 4},
        {"top_n_words": 5},
        {"svd_components": 10},
        {"text": "Grain exports through the Black Sea stopped as ships stayed in Odesa."},
        {"seed_topics": {"grain": ["grain", "wheat"]}},
    ],
)
def test_fit_cache_misses_when_an_ingredient_changes(toy, tmp_path, count_fits, change):
    change = dict(change)
    corpus, guidance = toy, {}
    if "text" in change:
        corpus = toy.assign(text=toy["text"].where(toy.index != 0, change.pop("text")))
    if "seed_topics" in change:
        guidance = {"seed_topics": change.pop("seed_topics")}
    fit_topics(toy, _config(tmp_path))
    changed = fit_topics(corpus, _config(tmp_path, **change), **guidance)
    assert len(count_fits) == 2 and changed.source == "fit"
    assert len(_entries(tmp_path)) == 2
    fresh = fit_topics(corpus, {**_config(tmp_path, **change), "use_cache": False}, **guidance)
    pd.testing.assert_frame_equal(changed.assignments, fresh.assignments)


def test_fit_cache_ignores_the_cache_locations(toy, tmp_path, count_fits):
    fit_topics(toy, _config(tmp_path))
    moved = fit_topics(toy, _config(tmp_path, cache_dir=str(tmp_path / "other-embeddings")))
    assert len(count_fits) == 1 and moved.config.cache_dir == str(tmp_path / "other-embeddings")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda e: (e / "topic_info.parquet").write_bytes(b"PAR1"), "damaged topic_info.parquet"),
        (lambda e: (e / "model" / "topic_embeddings.safetensors").unlink(), "lacks model/"),
        (lambda e: (e / "cache.json").unlink(), "has no cache.json"),
    ],
)
def test_fit_cache_corrupt_entry_is_refitted(toy, tmp_path, caplog, count_fits, damage, message):
    first = fit_topics(toy, _config(tmp_path))
    (entry,) = (tmp_path / "topic_fits").iterdir()
    damage(entry)
    with caplog.at_level(logging.WARNING):
        again = fit_topics(toy, _config(tmp_path))
    assert message in caplog.text and "recomputing" in caplog.text
    assert len(count_fits) == 2 and again.source == "fit"
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(first, name), check_exact=True)
    assert fit_topics(toy, _config(tmp_path)).source == str(entry)  # rewritten, usable again


def test_fit_cache_off_without_fit_cache_dir_or_with_use_cache_false(toy, tmp_path, count_fits):
    fit_topics(toy, _config(tmp_path, fit_cache_dir=None))
    fit_topics(toy, _config(tmp_path, use_cache=False))
    fit_topics(toy, _config(tmp_path, use_cache=False))
    assert len(count_fits) == 3 and not (tmp_path / "topic_fits").exists()


def test_topic_stability_reads_cached_fits_and_gives_identical_tables(toy, tmp_path, count_fits):
    plain = topic_stability(toy, {"preset": "fast", "n_topics": 3, "use_cache": False}, seeds=3)
    first = topic_stability(toy, _config(tmp_path), seeds=3)
    again = topic_stability(toy, _config(tmp_path), seeds=3)
    assert len(count_fits) == 6  # 3 uncached + 3 filling the cache; none for the last call
    assert len(_entries(tmp_path)) == 3
    for report in (first, again):
        pd.testing.assert_frame_equal(report.pairs, plain.pairs, check_exact=True)
        pd.testing.assert_frame_equal(report.topics, plain.topics, check_exact=True)


def test_fit_cache_hit_does_not_import_bertopic(toy, tmp_path):
    """Reading a cached fit (and using its tables) never imports BERTopic (~7 s)."""
    fit_topics(toy, _config(tmp_path))
    code = textwrap.dedent(f"""
        import sys
        from framelab.topics import fit_topics, topics_per_group
        from framelab.topics._toy import toy_corpus
        fit = fit_topics(toy_corpus(), {_config(tmp_path)!r})
        topics_per_group(fit, toy_corpus(), by="outlet")
        print(fit.source != "fit", "bertopic" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]


def test_topic_fit_model_is_still_a_required_field():
    with pytest.raises(TypeError, match="model"):
        TopicFit()
