"""Tests for framelab.config: the study config."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from framelab.config import ConfigError, StudyConfig, load_config

REPO = Path(__file__).resolve().parents[1]


def _write(tmp_path, text):
    path = tmp_path / "study.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_repository_study_yml_is_valid_and_complete():
    cfg = load_config(REPO / "study.yml")
    assert cfg.seed == 20231101
    assert cfg.corpus.path == "sample" and cfg.codebook == "peace_talks"
    assert cfg.coding.level == "paragraph"
    assert cfg.time.events[0].date == dt.date(2023, 11, 2)
    assert cfg.topics["preset"] == "fast"
    assert cfg.output_dir() == REPO / "reports"


def test_defaults_when_sections_are_missing(tmp_path):
    cfg = load_config(_write(tmp_path, "seed: 3\n"))
    assert cfg == StudyConfig(seed=3)
    assert cfg.compare.n_boot == 2000 and cfg.time.freq == "W"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "seed: 1\ncompare:\n  nboot: 10\n",
            r"line 3, column 3: compare.nboot: unknown key 'nboot'. Did you mean 'n_boot'\?",
        ),
        ("sed: 1\n", r"line 1, column 1: sed: unknown key 'sed'. Did you mean 'seed'\?"),
        (
            "coding:\n  level: paragraphs\n",
            r"line 2, column 3: coding.level: must be one of document, paragraph, sentence, got "
            r"'paragraphs'. Did you mean 'paragraph'\?",
        ),
        ("seed: -1\n", r"seed must be a whole number >= 0"),
        (
            "time:\n  events:\n    - {date: '2023-13-01', label: x}\n",
            r"events.0: date .* not YYYY-MM-DD",
        ),
        (
            "time:\n  events:\n    - {date: 2023-13-01, label: x}\n",
            r"month must be in 1..12.*dates",
        ),
        ("compare:\n  ci: 95\n", r"compare.ci: expected a number between 0.5 and 0.999"),
        ("corpus: sample\n", r"expected a mapping of corpus settings"),
    ],
)
def test_invalid_configs_point_to_the_line(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_config(_write(tmp_path, text))


def test_paths_resolve_relative_to_the_config(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "news.csv").write_text(
        "id;body;published;source\n1;Envoys met in Geneva to discuss a truce.;2023-11-01;A\n",
        encoding="utf-8",
    )
    (tmp_path / "cb.yml").write_text(
        "name: mine\nversion: '1'\nframes:\n  ceasefire: {terms: [truce]}\n", encoding="utf-8"
    )
    cfg = load_config(
        _write(
            tmp_path,
            """\
        corpus:
          path: data/news.csv
          columns: {doc_id: id, text: body, date: published, outlet: source}
        codebook: cb.yml
        coding: {negation_policy: drop}
        """,
        )
    )
    corpus = cfg.load_corpus()
    assert corpus["doc_id"].tolist() == ["1"] and corpus["outlet"].tolist() == ["A"]
    codebook = cfg.load_codebook()
    assert codebook.id == "mine@1" and codebook.negation.policy == "drop"


def test_cache_folders_resolve_next_to_the_config(tmp_path):
    cfg = load_config(_write(tmp_path, "topics: {preset: fast}\n"))
    assert cfg.cache_dir() == tmp_path / "data" / "processed" / "cache"
    settings = cfg.topic_settings()
    assert settings["cache_dir"] == str(tmp_path / "data/processed/cache/embeddings")
    assert settings["fit_cache_dir"] == str(tmp_path / "data/processed/cache/topic_fits")
    assert settings["preset"] == "fast" and settings["seed"] == 0
    off = load_config(_write(tmp_path, "topics: {fit_cache_dir: null, cache_dir: emb}\n"))
    assert off.topic_settings()["fit_cache_dir"] is None
    assert off.topic_settings()["cache_dir"] == str(tmp_path / "emb")


def test_missing_file():
    with pytest.raises(FileNotFoundError, match="Copy study.yml"):
        load_config("nowhere/study.yml")
