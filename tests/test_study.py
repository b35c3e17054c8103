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


# ---------------------------------------------------------------- measurement helpers (gh18-21)


def _filled_sheet(tmp_path, level="document"):
    """A study config whose gold is a stratified sheet of CAMPS, filled in by hand."""
    config = StudyConfig.from_dict(
        {"corpus": {"path": "data/raw/camps.csv"}, "compare": {"group": "camp", "level": "document"},
         "validation": {"gold": "data/processed/coding/filled.csv", "level": level}},
        base_dir=tmp_path,
    )  # fmt: skip
    corpus = CAMPS.assign(text=[f"Report {i}." for i in range(7)])
    sheet = study.draw_sheet(config, corpus, ["f1"], n=4)
    sheet["f1"] = [1, 0, 1, 0][: len(sheet)]
    sheet.to_csv(tmp_path / "data" / "processed" / "coding" / "filled.csv", index=False)
    return config, corpus, sheet


def test_load_gold_keeps_the_sheets_inclusion_probabilities_gh18(tmp_path):
    config, _, sheet = _filled_sheet(tmp_path)
    gold = study.load_gold(config)
    assert len(gold) == 4
    # 4 of 7 documents stratified by camp (south 3, east 2, west 2): each unit's own probability
    expected = dict(zip(sheet["unit_id"], sheet["inclusion_prob"], strict=True))
    assert gold["inclusion_prob"].tolist() == [expected[u] for u in gold["unit_id"]]
    assert gold["present"].tolist() == [
        dict(zip(sheet["unit_id"], sheet["f1"], strict=True))[u] for u in gold["unit_id"]
    ]


def test_comparison_gold_only_at_the_comparison_level_gh18(tmp_path):
    config, corpus, _ = _filled_sheet(tmp_path)
    gold = study.comparison_gold(config, corpus)
    assert len(gold) == 4 and "inclusion_prob" in gold.columns
    assert "weighted by their inclusion probabilities" in study.correction_note(config, gold).data
    mismatch = StudyConfig.from_dict(
        {"corpus": {"path": "data/raw/camps.csv"}, "compare": {"level": "document"},
         "validation": {"gold": "data/processed/coding/filled.csv", "level": "paragraph"}},
        base_dir=tmp_path,
    )  # fmt: skip
    assert study.comparison_gold(mismatch, corpus) is None
    note = study.correction_note(mismatch, None).data
    assert "`validation.level: paragraph`" in note and "`compare.level: document`" in note
    none = StudyConfig.from_dict({"validation": {"gold": None}})
    assert study.comparison_gold(none, corpus) is None
    assert "`validation.gold: null`" in study.correction_note(none, None).data


def test_comparison_gold_on_the_sample_is_30_reports_per_group_gh19():
    # 30 gold reports per group (min_gold of the corrected estimates), with inclusion_prob.
    from framelab.datasets import load_sample, load_sample_gold

    sample = StudyConfig.from_dict({"corpus": {"path": "sample"}, "seed": 4})
    corpus = load_sample()
    gold = study.comparison_gold(sample, corpus)
    import numpy as np

    rng, drawn, prob = np.random.default_rng(4), set(), {}
    for _, rows in corpus.sort_values("doc_id").groupby(study.group(sample), sort=True):
        picked = rng.choice(rows["doc_id"].to_numpy(), 30, replace=False)
        drawn |= set(picked)
        prob |= dict.fromkeys(picked, 30 / len(rows))
    assert set(gold["doc_id"]) == drawn and len(drawn) == 30 * 6
    docs = gold.drop_duplicates("doc_id").merge(corpus[["doc_id", "perspective"]], on="doc_id")
    assert docs["perspective"].value_counts().tolist() == [30] * 6
    full = load_sample_gold("document")
    expect = full[full["doc_id"].isin(drawn)].reset_index(drop=True)
    assert gold.drop(columns="inclusion_prob").equals(expect)
    assert gold["inclusion_prob"].tolist() == gold["doc_id"].map(prob).tolist()
    assert study.comparison_gold(sample, corpus).equals(gold)  # same seed, same draw
    other = StudyConfig.from_dict({"corpus": {"path": "sample"}, "seed": 5})
    assert set(study.comparison_gold(other, corpus)["doc_id"]) != drawn


def test_audited_precision_flags_frames_below_0_7_gh20():
    from framelab import load_codebook

    table = study.audited_precision(load_codebook("peace_talks"))
    audit = load_codebook("peace_talks").audit_table()
    assert table["precision"].tolist() == (audit["correct"] / audit["n"]).tolist()
    flagged = table.loc[table["advice"] != "", "frame"].tolist()
    assert flagged == audit.loc[audit["correct"] / audit["n"] < 0.7, "frame"].tolist()
    assert set(table["advice"]) <= {"", "use with a validation sample"}
    from framelab import Codebook

    plain = Codebook.from_dict({"name": "t", "version": "1", "frames": {"a": {"terms": ["x"]}}})
    assert study.audited_precision(plain) is None


def test_comparison_codes_follow_coding_method_gh19(tmp_path):
    from framelab import code_frames
    from framelab.learn import SupervisedCoder

    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(12)], "language": "en",
                           "text": ["A truce in Ukraine holds."] * 6 + ["Rain in Kyiv."] * 6})  # fmt: skip
    dictionary = StudyConfig.from_dict({}, base_dir=tmp_path)
    expected = code_frames(corpus, "peace_talks", level="document").codes
    pd.testing.assert_frame_equal(study.comparison_codes(dictionary, corpus), expected)
    supervised = StudyConfig.from_dict(
        {"coding": {"method": "supervised", "model": "models/sup"}}, base_dir=tmp_path
    )
    with pytest.raises(ConfigError, match=r"coding.model \('models/sup'\) names no saved model"):
        study.comparison_codes(supervised, corpus)
    gold = pd.DataFrame({"unit_id": corpus["doc_id"], "frame": "ceasefire",
                         "present": [1] * 6 + [0] * 6})  # fmt: skip
    coder = SupervisedCoder(min_df=1, char_ngrams=None, cv=3).fit(corpus, gold)
    coder.save(tmp_path / "models" / "sup")
    codes = study.comparison_codes(supervised, corpus)
    pd.testing.assert_frame_equal(codes, coder.code(corpus).codes)
    assert codes["codebook"].iloc[0] == coder.model_id_  # the model's codes, not the dictionary's
    para = StudyConfig.from_dict({"coding": {"method": "both", "model": "models/sup"},
                                  "compare": {"level": "paragraph"}}, base_dir=tmp_path)  # fmt: skip
    with pytest.raises(ConfigError, match="codes document units but compare.level is 'paragraph'"):
        study.comparison_codes(para, corpus)


def test_learning_sizes_and_next_sheet_leave_coded_units_out_gh19(tmp_path):
    from framelab.learn import SupervisedCoder

    gold = pd.DataFrame({"unit_id": [f"u{i}" for i in range(103)], "frame": "f"})
    assert study.learning_sizes(gold) == [20, 41, 82]  # 103 * 4 // 5 = 82
    corpus = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(20)], "language": "en",
                           "text": ["truce talks"] * 10 + ["aid money"] * 10})  # fmt: skip
    gold = pd.DataFrame({"unit_id": corpus["doc_id"], "frame": "ceasefire",
                         "present": [1] * 10 + [0] * 10})  # fmt: skip
    coder = SupervisedCoder(min_df=1, char_ngrams=None, cv=3).fit(corpus, gold)
    config = StudyConfig.from_dict({"seed": 2}, base_dir=tmp_path)
    some = gold[gold["unit_id"] < "d12"]  # 12 coded units: the 8 others are the pool
    sheet = study.next_sheet(config, corpus, coder, some, n=5)
    assert len(sheet) == 5 and not set(sheet["unit_id"]) & set(some["unit_id"])
    assert (tmp_path / "data" / "processed" / "coding" / "next.csv").is_file()
    # gold covering every unit (as the sample's): units may be drawn again
    again = study.next_sheet(config, corpus, coder, gold, n=5)
    assert len(again) == 5


def test_gold_plan_takes_the_most_any_frame_needs_and_counts_frames_out_of_reach_gh18():
    from framelab.compare import gold_needed

    ids = [f"d{i}" for i in range(400)]
    camps = ["a"] * 300 + ["b"] * 100
    codes = pd.DataFrame({"doc_id": ids * 2, "unit_id": ids * 2, "level": "document",
                          "frame": ["f"] * 400 + ["g"] * 400, "camp": camps * 2,
                          "present": [i % 2 for i in range(400)] + [i % 3 == 0 for i in range(400)]})  # fmt: skip
    codes["present"] = codes["present"].astype(int)
    gold_ids = ids[:60] + ids[300:340]
    gold = pd.DataFrame({"unit_id": gold_ids * 2, "frame": ["f"] * 100 + ["g"] * 100,
                         "present": [int(i % 2 == 0 or i % 7 == 3) for i in range(100)]
                         + [int(i % 3 == 0 or i % 11 == 2) for i in range(100)]})  # fmt: skip
    config = cfg()
    plan = study.gold_plan(config, codes, gold).set_index("camp")
    for shrink in (0.5, 0.75):
        need = gold_needed(codes, gold, by="camp", shrink=shrink).set_index(["camp", "frame"])
        for camp in ("a", "b"):
            more = need.loc[camp, "n_gold_more"]
            expected = more.max() if more.notna().all() else None
            got = plan.loc[camp, f"more for {shrink:.0%} width"]
            assert (pd.isna(got) and expected is None) or got == expected
            assert plan.loc[camp, f"out of reach at {shrink:.0%}"] == int(more.isna().sum())
        assert plan["n_gold"].tolist() == [60, 40]
    # the 100 units of b cannot halve its intervals; a's 300 can narrow them by a quarter
    assert plan.loc["b", "out of reach at 50%"] == 2 and pd.isna(
        plan.loc["b", "more for 50% width"]
    )
    assert plan.loc["a", "more for 75% width"] > 0


def test_preparation_reports_what_the_example_configs_filter_and_clean_removed():
    from pathlib import Path

    import framelab as fl

    example = Path(__file__).resolve().parents[1] / "notebooks" / "example" / "study_own.yml"
    corpus = fl.load_config(example).load_corpus()
    table = study.preparation(corpus).set_index("rule")
    # my_news.csv: ex11 is dated 2022-03-01; ex02 has "Story continues below advertisement",
    # ex09 "Sign up for our morning briefing newsletter." on lines of their own
    assert table.loc["date from 2023-10-01", "reports_removed"] == 1
    assert table.loc[
        "web: story continues below", ["lines_removed", "reports_changed"]
    ].tolist() == [1, 1]
    assert table.loc["web: newsletter prompt", ["lines_removed", "reports_changed"]].tolist() == [
        1,
        1,
    ]
    assert table["lines_removed"].sum() == 2
    assert "ex11" not in set(corpus["doc_id"]) and len(corpus) == 10
    assert not corpus["text"].str.contains("continues below|newsletter").any()
    assert corpus["language"].tolist() == ["en"] * 10  # columns.language: detect


def test_supervised_report_is_the_coders_evaluation_and_reads_back_from_the_cache_gh19(tmp_path):
    from framelab.validate import suspect_labels

    words = ["truce", "aid", "talks", "front", "rain", "vote"]
    corpus = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(40)], "language": "en",
                           "text": [f"{words[i % 6]} news {words[(i * 5) % 6]} day {i % 7}"
                                    for i in range(40)]})  # fmt: skip
    gold = pd.DataFrame({"doc_id": corpus["doc_id"], "unit_id": corpus["doc_id"],
                         "frame": "ceasefire",
                         "present": [int("truce" in t) for t in corpus["text"]]})  # fmt: skip
    config = StudyConfig.from_dict(
        {"seed": 1, "validation": {"level": "document", "n_boot": 200}}, base_dir=tmp_path
    )
    first = study.supervised_report(config, corpus, gold, folds=3)
    coder = study.supervised_coder(config)
    pd.testing.assert_frame_equal(
        first["cv"], coder.cross_validate(corpus, gold, folds=3, n_boot=200), check_dtype=False
    )
    curve = coder.learning_curve(corpus, gold, sizes=[6, 13, 26], cv=3, n_boot=200)
    pd.testing.assert_frame_equal(first["curve"], curve, check_dtype=False)
    pd.testing.assert_frame_equal(
        first["suspect"], suspect_labels(corpus, gold, coder, folds=3), check_dtype=False
    )
    assert (tmp_path / "data" / "processed" / "cache" / "supervised_report").is_dir()
    again = study.supervised_report(config, corpus, gold, folds=3)
    for name in ("cv", "curve", "suspect"):
        pd.testing.assert_frame_equal(again[name], first[name])  # read back, dtypes and all
    other = study.supervised_report(config, corpus, gold.assign(present=1 - gold["present"]), 3)
    assert not other["cv"].equals(first["cv"])  # other gold, other entry


def test_one_gold_reader_keeps_text_ids_gh19(tmp_path):
    # study_gold (supervised coder, CLI) read validation.gold with a bare read_csv ("007" -> 7)
    # and could not read a filled sheet; both now go through study.load_gold.
    from framelab.learn import study_gold

    folder = tmp_path / "data" / "processed" / "coding"
    folder.mkdir(parents=True)
    pd.DataFrame({"unit_id": ["007", "010", "011"], "frame": "f1",
                  "present": [1, 0, ""]}).to_csv(folder / "long.csv", index=False)  # fmt: skip
    config = StudyConfig.from_dict(
        {"validation": {"gold": "data/processed/coding/long.csv", "level": "document"}},
        base_dir=tmp_path,
    )
    for gold in (study.load_gold(config), study_gold(config)):
        assert gold["unit_id"].tolist() == ["007", "010", "011"]
        assert gold["present"].tolist()[:2] == [1, 0] and pd.isna(gold["present"].iloc[2])
    pd.DataFrame({"unit_id": ["007"], "frame": "f1", "present": ["yes"]}).to_csv(
        folder / "long.csv", index=False
    )
    with pytest.raises(ConfigError, match="long.csv line 2: present must be 0, 1 or blank"):
        study_gold(config)
    config, _, sheet = _filled_sheet(tmp_path / "sheet")
    pd.testing.assert_frame_equal(study_gold(config), study.load_gold(config))
    assert len(study_gold(config)) == len(sheet)
