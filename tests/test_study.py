"""framelab.study: the notebooks' choices resolved from the config first, then from the data."""

from __future__ import annotations

import pandas as pd
import pytest

from framelab import study
from framelab.config import ConfigError, StudyConfig

CAMPS = pd.DataFrame(
    {
        "doc_id": [f"d{i}" for i in range(7)],
        "outlet": ["A", "A", "B", "C", "C", "C", "D"],
        "camp": ["west", "west", "east", "south", "south", "south", "east"],
        "date": pd.to_datetime(
            [
                "2024-01-03",
                "2024-02-01",
                None,
                "2024-02-10",
                "2024-03-31",
                "2024-01-20",
                "2024-03-01",
            ]
        ),
    }
)


def cfg(**compare) -> StudyConfig:
    return StudyConfig.from_dict({"corpus": {"path": "data/raw/camps.csv"},
                                  "compare": {"group": "camp", **compare}})  # fmt: skip


def test_defaults_come_from_the_data_largest_group_first():
    # sizes: south 3, east 2, west 2 (tie: alphabetical)
    assert study.group_values(cfg(), CAMPS) == ["south", "east", "west"]
    assert study.reference(cfg(), CAMPS) == "south"
    assert study.pairs(cfg(), CAMPS) == [("south", "east"), ("south", "west"), ("east", "west")]
    assert study.formula(cfg(), CAMPS) == "~ C(camp, Treatment('south')) + log_tokens"


def test_the_config_wins_over_the_data():
    chosen = cfg(reference="west", pairs=[["east", "west"]], groups=["west", "east"],
                 covariates=["outlet", "C(language)"])  # fmt: skip
    assert study.reference(chosen, CAMPS) == "west"
    assert study.pairs(chosen, CAMPS) == [("east", "west")]
    assert study.group_values(chosen, CAMPS) == ["west", "east"]
    assert study.restrict(chosen, CAMPS)["doc_id"].tolist() == ["d0", "d1", "d2", "d6"]
    assert study.formula(chosen, CAMPS) == (
        "~ C(camp, Treatment('west')) + log_tokens + outlet + C(language)"
    )


def test_frames_most_prevalent_unless_configured():
    codes = pd.DataFrame({"frame": ["a", "b", "c", "d"] * 3,
                          "present": [1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0]})  # fmt: skip
    # shares: a 1/3, b 3/3, c 1/3, d 2/3
    assert study.frames(cfg(), codes) == ["b", "d", "a"]
    assert study.frames(cfg(n_frames=1), codes) == ["b"]
    assert study.time_frames(cfg(), codes) == ["b", "d"]
    assert study.frames(cfg(frames=["c"]), codes) == ["c"]
    timed = StudyConfig.from_dict({"time": {"frames": ["a", "c"]}})
    assert study.time_frames(timed, codes) == ["a", "c"]


def test_labels_titles_and_description():
    assert study.describe(CAMPS, cfg()) == (
        "7 reports from 4 outlets, 2024-01-03 to 2024-03-31, in 3 camp groups."
    )
    assert study.freq_word(StudyConfig.from_dict({"time": {"freq": "W"}})) == "weekly"
    assert study.freq_word(StudyConfig.from_dict({"time": {"freq": "M"}})) == "monthly"
    shares = pd.DataFrame({"camp": ["east", "south"], "estimate": [0.1, 0.2]})
    assert study.with_n(shares, cfg(), CAMPS)["camp"].tolist() == ["east (n=2)", "south (n=3)"]
    topic_table = pd.DataFrame({"group": ["west"], "topic": [0], "share": [0.5]})
    assert study.with_n(topic_table, cfg(), CAMPS)["group"].tolist() == ["west (n=2)"]


def test_unknown_group_column_names_the_key_and_the_closest_column():
    with pytest.raises(ConfigError, match=r"compare.group 'kamp' .* Did you mean 'camp'\?"):
        study.group_values(StudyConfig.from_dict({"compare": {"group": "kamp"}}), CAMPS)


def test_narrative_is_neutral_unless_the_corpus_is_the_sample():
    text = study.narrative("intro", cfg(), CAMPS).data
    assert (
        text == "**Corpus.** 7 reports from 4 outlets, 2024-01-03 to 2024-03-31, in 3 camp groups."
    )
    sample = StudyConfig.from_dict({"corpus": {"path": "sample"}, "compare": {"group": "camp"}})
    assert "synthetic" in study.narrative("intro", sample, CAMPS).data
    assert "synthetic" not in study.narrative("near-duplicates", cfg(), CAMPS).data
    with pytest.raises(KeyError, match="unknown key 'outro'"):
        study.narrative("outro", cfg(), CAMPS)


def test_draw_sheet_and_gold_stay_next_to_the_config(tmp_path):
    config = StudyConfig.from_dict(
        {"compare": {"group": "camp"}, "validation": {"gold": None, "level": "document"}},
        base_dir=tmp_path,
    )
    corpus = CAMPS.assign(text=[f"Report {i}." for i in range(7)])
    assert study.load_gold(config) is None
    sheet = study.draw_sheet(config, corpus, ["f1", "f2"], n=100)  # fewer units: all 7
    assert sorted(sheet["doc_id"]) == sorted(CAMPS["doc_id"])
    assert (tmp_path / "data" / "processed" / "coding" / "sheet.csv").is_file()
    note = study.narrative("no-gold", config, corpus, sheet=sheet).data
    assert "7 units" in note and "validation.gold" in note
