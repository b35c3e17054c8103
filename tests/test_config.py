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
        ("compare:\n  ci: 95\n", r"compare.ci: expected a number between 0 and 1"),
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
        compare: {group: outlet}
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


# ---------------------------------------------------------------- analysis keys (issue 15)
def test_analysis_keys_default_to_choosing_from_the_data(tmp_path):
    cfg = load_config(_write(tmp_path, "validation: {gold: null}\n"))
    cmp = cfg.compare
    assert (cmp.reference, cmp.pairs, cmp.frames, cmp.n_frames) == (None, None, None, 3)
    assert (cmp.covariates, cmp.level, cfg.time.frames) == ((), "document", None)
    assert cfg.validation.gold is None
    c = cfg.corpus
    assert (c.recode, c.filter, c.on_duplicate_ids, c.clean) == ({}, {}, "error", ())


def test_analysis_keys_are_read(tmp_path):
    cfg = load_config(
        _write(
            tmp_path,
            """\
        compare:
          group: camp
          groups: [western, russian]
          reference: western
          pairs: [[western, russian], [western, ukrainian]]
          frames: [ceasefire, stalemate]
          n_frames: 5
          covariates: [outlet, "C(language)"]
          level: paragraph
        time: {frames: [stalemate], freq: M}
        corpus:
          columns: {text: [title, desc], perspective: camp, date: Date}
          recode: {country: {from: outlet, map: {rt.com: RU, kyivindependent.com: UA}}}
          filter:
            date: {from: 2022-02-24, to: "2023-12-31"}
            keep: {country: [RU, UA]}
            drop: {outlet: [spam.example]}
          on_duplicate_ids: suffix
          clean: [web, "^Photo: .*$"]
        topics: {stopwords: [video, photo]}
        """,
        )
    )
    cmp = cfg.compare
    assert cmp.groups == ("western", "russian") and cmp.reference == "western"
    assert cmp.pairs == (("western", "russian"), ("western", "ukrainian"))
    assert cmp.frames == ("ceasefire", "stalemate") and cmp.n_frames == 5
    assert cmp.covariates == ("outlet", "C(language)") and cmp.level == "paragraph"
    assert cfg.time.frames == ("stalemate",)
    c = cfg.corpus
    assert c.columns == {"text": ("title", "desc"), "perspective": "camp", "date": "Date"}
    assert c.recode == {
        "country": {
            "from": "outlet",
            "map": {"rt.com": "RU", "kyivindependent.com": "UA"},
            "other": None,
        }
    }
    assert c.filter == {
        "date": {"from": dt.date(2022, 2, 24), "to": dt.date(2023, 12, 31)},
        "keep": {"country": ("RU", "UA")},
        "drop": {"outlet": ("spam.example",)},
    }
    assert c.on_duplicate_ids == "suffix" and c.clean == ("web", "^Photo: .*$")
    assert cfg.topics["stopwords"] == ("video", "photo")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "compare:\n  pairs: [[a, a]]\n",
            r"line 2, column 11: compare.pairs.0: each pair must be a list of two different",
        ),
        (
            "compare:\n  level: doc\n",
            r"compare.level: must be one of document, paragraph, sentence, got 'doc'",
        ),
        (
            "corpus:\n  on_duplicate_ids: sufix\n",
            r"line 2, column 3: corpus.on_duplicate_ids: must be one of error, first, suffix, "
            r"got 'sufix'. Did you mean 'suffix'\?",
        ),
        (
            "corpus:\n  columns: {outlet: [a, b]}\n",
            r"corpus.columns.outlet: expected a column name.*only text may be a list",
        ),
        (
            "corpus:\n  recode: {country: {map: {a: b}}}\n",
            r"corpus.recode.country: needs 'from'",
        ),
        (
            "corpus:\n  recode: {country: {from: outlet, map: {a: b}, othr: x}}\n",
            r"corpus.recode.country.othr: unknown key 'othr'. Did you mean 'other'\?",
        ),
        (
            "corpus:\n  filter: {date: {from: 2023-02-01, to: 2023-01-01}}\n",
            r"corpus.filter.date: 'from' 2023-02-01 is after 'to' 2023-01-01",
        ),
        (
            "corpus:\n  filter: {kep: {a: [b]}}\n",
            r"corpus.filter.kep: unknown key 'kep'. Did you mean 'keep'\?",
        ),
        (
            "corpus:\n  clean: [webb]\n",
            r"line 2, column 11: corpus.clean.0: 'webb' is not a preset \(web\). Did you mean "
            r"'web'\?",
        ),
        ("corpus:\n  clean: ['(\\w+\\s?)*$']\n", r"corpus.clean.0: regex .*backtrack"),
        ("compare:\n  covariates: outlet\n", r"compare.covariates: expected a list of names"),
        ("topics:\n  stopwords: 3\n", r"topics.stopwords: expected a list of words or the path"),
    ],
)
def test_invalid_analysis_keys_point_to_the_line(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_config(_write(tmp_path, text))


def _data():
    import pandas as pd

    return pd.DataFrame(
        {
            "doc_id": ["1", "2", "3"],
            "text": ["a", "b", "c"],
            "outlet": ["rt.com", "bbc.co.uk", "kyivindependent.com"],
            "date": ["2023-01-01"] * 3,
            "country": [None, None, None],
            "camp": ["russian", "western", "ukrainian"],
        }
    )


_CHECKED = """\
compare:
  group: camp
  cluster: null
  groups: []
  reference: null
  pairs: null
  covariates: []
  frames: null
time:
  column: date
  frames: null
corpus:
  recode: {}
  filter: {}
"""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "  reference: null",
            "  reference: westren",
            r"study.yml, line 5, column 3: compare.reference: 'westren' is not a value of camp. "
            r"Did you mean 'western'\? Values: russian, ukrainian, western.",
        ),
        (
            "  group: camp",
            "  group: cmap",
            r"line 2, column 3: compare.group: 'cmap' is not a column of the corpus. Did you mean "
            r"'camp'\? Columns: doc_id, text, outlet, date, country, camp.",
        ),
        (
            "  group: camp",
            "  group: country",
            r"line 2, column 3: compare.group: column 'country' has no values \(all missing\)",
        ),
        (
            "  groups: []",
            "  groups: [western, rusian]",
            r"line 4, column 21: compare.groups.1: 'rusian' is not a value of camp. "
            r"Did you mean 'russian'\?",
        ),
        (
            "  pairs: null",
            "  pairs: [[western, russian], [western, ukranian]]",
            r"line 6, column 31: compare.pairs.1: 'ukranian' is not a value of camp. "
            r"Did you mean 'ukrainian'\?",
        ),
        (
            "  cluster: null",
            "  cluster: outlets",
            r"line 3, column 3: compare.cluster: 'outlets' is not a column.*Did you mean 'outlet'",
        ),
        (
            "  covariates: []",
            "  covariates: [\"C(outlt, Treatment('rt.com'))\"]",
            r"line 7, column 16: compare.covariates.0: 'outlt' is not a column.*'outlet'",
        ),
        (
            "  column: date",
            "  column: Date",
            r"line 10, column 3: time.column: 'Date' is not a column.*Did you mean 'date'\?",
        ),
        (
            "  recode: {}",
            "  recode: {region: {from: outlett, map: {a: b}}}",
            r"line 13, column 21: corpus.recode.region.from: 'outlett' is not a column.*'outlet'",
        ),
        (
            "  filter: {}",
            "  filter: {keep: {camps: [western]}}",
            r"line 14, column 19: corpus.filter.keep.camps: 'camps' is not a column.*'camp'",
        ),
        (
            "  frames: null\ntime:",
            "  frames: [ceasefire, stalemat]\ntime:",
            r"line 8, column 23: compare.frames.1: 'stalemat' is not a frame of the codebook. "
            r"Did you mean 'stalemate'\?",
        ),
        (
            "  frames: null\ncorpus:",
            "  frames: [ceasfire]\ncorpus:",
            r"line 11, column 12: time.frames.0: 'ceasfire' is not a frame.*'ceasefire'",
        ),
    ],
)
def test_check_data_names_line_and_closest_name_gh15(tmp_path, old, new, message):
    assert old in _CHECKED
    cfg = load_config(_write(tmp_path, _CHECKED.replace(old, new, 1)))
    with pytest.raises(ConfigError, match=message):
        cfg.check_data(_data())


def test_check_data_accepts_matching_keys(tmp_path):
    text = (
        _CHECKED.replace("  reference: null", "  reference: western")
        .replace("  pairs: null", "  pairs: [[western, russian]]")
        .replace("  covariates: []", '  covariates: ["C(outlet)", country]')
        .replace("  frames: null\ntime:", "  frames: [ceasefire]\ntime:")
    )
    cfg = load_config(_write(tmp_path, text))
    assert cfg.check_data(_data()) is None


def test_compare_ci_reaches_the_intervals():
    import pandas as pd

    import framelab as fl

    codes = pd.DataFrame(
        {
            "doc_id": list("abcdefgh"),
            "unit_id": list("abcdefgh"),
            "level": "document",
            "frame": "ceasefire",
            "present": [1, 0, 1, 1, 0, 0, 1, 0],
            "camp": ["x"] * 8,
        }
    )
    wide = StudyConfig.from_dict({"compare": {"ci": 0.95, "n_boot": 400, "cluster": None}})
    narrow = StudyConfig.from_dict({"compare": {"ci": 0.5, "n_boot": 400, "cluster": None}})
    a = fl.prevalence(codes, "camp", **wide.compare_options())
    b = fl.prevalence(codes, "camp", **narrow.compare_options())
    assert a["ci_level"].tolist() == [0.95] and b["ci_level"].tolist() == [0.5]
    assert (b["ci_high"] - b["ci_low"]).iloc[0] < (a["ci_high"] - a["ci_low"]).iloc[0]


def test_topic_stopwords_reach_the_vectorizer_from_a_list_or_a_file(tmp_path):
    from framelab.topics import TopicConfig

    listed = load_config(_write(tmp_path, "topics: {stopwords: [video, photo]}\n"))
    settings = listed.topic_settings()
    assert "stopwords" not in settings
    assert settings["extra_stopwords"] == [
        "said",
        "says",
        "say",
        "told",
        "according",
        "video",
        "photo",
    ]
    assert TopicConfig.from_dict(settings).extra_stopwords[-2:] == ("video", "photo")
    # the words reach the list the topic vectorizer is built with (topics/_build.py)
    from framelab.topics._units import topic_stopwords

    built = topic_stopwords(("en",), TopicConfig.from_dict(settings).extra_stopwords)
    assert {"video", "photo", "said", "the"} <= built
    (tmp_path / "words.txt").write_text("# scraped site chrome\nvideo\n\n News \n", "utf-8")
    filed = load_config(
        _write(tmp_path, "topics:\n  extra_stopwords: [said]\n  stopwords: words.txt\n")
    )
    assert filed.topic_settings()["extra_stopwords"] == ["said", "video", "News"]
    missing = load_config(_write(tmp_path, "topics:\n  stopwords: nowhere.txt\n"))
    with pytest.raises(ConfigError, match=r"line 2, column 3: topics.stopwords: stopword file"):
        missing.topic_settings()


def test_readme_corpus_preparation_example_is_a_valid_config(tmp_path):
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Corpus preparation in the config", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    cfg = load_config(_write(tmp_path, block))
    assert cfg.corpus.columns["text"] == ("title", "desc")
    assert cfg.corpus.recode["camp"]["from"] == "country"
    assert cfg.corpus.on_duplicate_ids == "suffix" and cfg.compare.reference == "western"
    bad = load_config(_write(tmp_path, block.replace("reference: western", "reference: westren")))
    import pandas as pd

    data = pd.DataFrame(
        {
            "camp": ["western", "russian"],
            "date": [None, None],
            "outlet": ["a", "b"],
            "country": ["US", "RU"],
        }
    )
    # the message quoted in the README, line and all
    quoted = re.search(r"\(`(study.yml, line \d+, column \d+: .*?)`\)", section, re.S).group(1)
    with pytest.raises(ConfigError) as info:
        bad.check_data(data)
    assert " ".join(quoted.split()) in str(info.value)


def test_yaml_booleans_keep_their_text_in_group_values_and_maps(tmp_path):
    # YAML 1.1 reads NO (Norway), yes, off as booleans: 'False' would be a silently wrong value
    cfg = load_config(
        _write(
            tmp_path,
            """\
        corpus:
          recode: {country: {from: outlet, map: {nrk.no: NO, yle.fi: FI, vg.no: NO}, other: off}}
          filter: {keep: {country: [NO, FI]}}
        compare:
          group: country
          groups: [NO, FI]
          reference: NO
          pairs: [[NO, FI]]
        """,
        )
    )
    assert cfg.corpus.recode["country"]["map"] == {"nrk.no": "NO", "yle.fi": "FI", "vg.no": "NO"}
    assert cfg.corpus.recode["country"]["other"] == "off"
    assert cfg.corpus.filter["keep"] == {"country": ("NO", "FI")}
    assert cfg.compare.groups == ("NO", "FI") and cfg.compare.reference == "NO"
    assert cfg.compare.pairs == (("NO", "FI"),)
