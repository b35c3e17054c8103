"""Presence rules (issue 18, item 2): min_count / min_units applied by hand, and a tuner that
never chooses a rule on the fold it scores."""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd
import pytest

from framelab import Codebook, code_frames
from framelab._presence import PresenceRule, apply_presence, parse_presence
from framelab.validate import TUNE_COLUMNS, tune_presence

BOOK = Codebook.from_dict(
    {"name": "t", "version": "1", "frames": {"ceasefire": {"terms": ["truce"]},
                                             "escalation": {"terms": ["strike*"]}}}
)  # fmt: skip


def test_apply_presence_min_count_and_min_units_by_hand_gh18():
    corpus = pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3"],
            "text": [
                "A truce. Then a truce again. Strikes.",  # 2 truce hits, one paragraph
                "A truce.\n\nStrikes.\n\nAnother truce.",  # 2 truce hits in two paragraphs
                "Strikes, strikes and strikes.\n\nA truce.",  # 3 strikes, 1 truce
            ],
        }
    )
    coded = code_frames(corpus, BOOK)

    def present(rules):
        codes = apply_presence(coded, rules).codes
        return codes.pivot(index="doc_id", columns="frame", values="present").to_dict("list")

    assert present(None) == {"ceasefire": [1, 1, 1], "escalation": [1, 1, 1]}
    assert present(PresenceRule(min_count=2)) == {"ceasefire": [1, 1, 0], "escalation": [0, 0, 1]}
    assert present({"min_units": 2}) == {"ceasefire": [0, 1, 0], "escalation": [0, 0, 0]}
    assert present({"frames": {"escalation": {"min_count": 3}}}) == {
        "ceasefire": [1, 1, 1], "escalation": [0, 0, 1]}  # fmt: skip
    assert apply_presence(coded, {"min_count": 2}).codes["count"].equals(coded.codes["count"])
    paragraphs = code_frames(corpus, BOOK, level="paragraph")
    with pytest.raises(ValueError, match="min_units counts paragraphs"):
        apply_presence(paragraphs, {"min_units": 2})


def test_parse_presence_errors_name_the_key_gh18():
    with pytest.raises(ValueError, match="Did you mean 'min_count'"):
        parse_presence({"min_cuont": 2}, ["a"])
    with pytest.raises(ValueError, match="presence.frames: 'ceasfire' is not a frame.*'ceasefire'"):
        parse_presence({"frames": {"ceasfire": {"min_count": 2}}}, ["ceasefire"])
    with pytest.raises(ValueError, match="presence: min_count must be an integer >= 1, got 0"):
        parse_presence({"min_count": 0}, ["a"])


def _corpus_and_gold(seed=5, n=60):
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, 5, n)
    texts = ["\n\n".join(["truce"] * int(c)) if rng.random() < 0.5 else " ".join(["truce"] * int(c))
             for c in counts]  # fmt: skip
    ids = [f"d{i:03d}" for i in range(n)]
    corpus = pd.DataFrame({"doc_id": ids, "text": texts})
    truth = (rng.random(n) < np.array([0.1, 0.45, 0.7, 0.9])[counts - 1]).astype(int)
    gold = pd.DataFrame({"unit_id": ids, "frame": "ceasefire", "present": truth})
    return code_frames(corpus, BOOK), gold


def test_tune_presence_never_scores_on_the_fold_that_chose_gh18():
    coded, gold = _corpus_and_gold()
    table = tune_presence(coded, gold, cv=5, seed=3, n_boot=200)
    assert tuple(table.columns) == TUNE_COLUMNS
    row = table.iloc[0]
    # recompute the documented procedure independently
    gold = gold.sort_values("unit_id")
    hits = coded.hits[coded.hits["frame"] == "ceasefire"]
    count = hits.groupby("unit_id").size().reindex(gold["unit_id"], fill_value=0).to_numpy()
    texts = coded.texts.reindex(gold["unit_id"]).to_numpy()
    paras = np.array([t.count("\n\n") + 1 if "\n\n" in t else 1 for t in texts])
    y = gold["present"].to_numpy()
    rules = [(c, u) for c in (1, 2, 3, 4) for u in (1, 2, 3)]

    def f1(pred, truth):
        tp, fp, fn = (pred & truth).sum(), (pred & ~truth).sum(), (~pred & truth).sum()
        return 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else -1

    def predict(rule, idx):
        return (count[idx] >= rule[0]) & (paras[idx] >= rule[1])

    n = len(y)
    folds = np.empty(n, dtype=int)
    rng = np.random.default_rng([3, zlib.crc32(b"ceasefire")])
    folds[rng.permutation(n)] = np.arange(n) % 5
    truth = y.astype(bool)
    held, chosen = np.zeros(n, dtype=bool), []
    for k in range(5):
        train, test = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
        best = max(rules, key=lambda r: (f1(predict(r, train), truth[train]), -rules.index(r)))
        chosen.append(best)
        held[test] = predict(best, test)
    final = max(rules, key=lambda r: (f1(predict(r, np.arange(n)), truth), -rules.index(r)))
    assert row["fold_rules"] == "; ".join(f"{c}/{u}" for c, u in chosen)
    assert (row["min_count"], row["min_units"]) == final
    assert row["f1"] == pytest.approx(f1(held, truth), abs=1e-12)
    # the design is leak-sensitive: some fold's own choice differs from the all-data choice, so
    # choosing on all units (a leak) would report a different fold_rules and held-out F1
    assert any(c != final for c in chosen)
    assert row["f1_low"] <= row["f1"] <= row["f1_high"]
    assert row["f1_default"] == pytest.approx(f1(np.ones(n, dtype=bool), truth))


def test_tune_presence_same_seed_same_table_gh18():
    coded, gold = _corpus_and_gold()
    one = tune_presence(coded, gold, seed=1, n_boot=100)
    pd.testing.assert_frame_equal(one, tune_presence(coded, gold, seed=1, n_boot=100))
    with pytest.raises(ValueError, match="not in the codes"):
        tune_presence(coded, gold.assign(unit_id="zz"), n_boot=100)


def test_codebook_and_config_presence_block_apply_in_code_frames_gh18(tmp_path):
    from framelab.codebook import CodebookError
    from framelab.config import ConfigError, StudyConfig

    data = {"name": "t", "version": "1", "presence": {"frames": {"ceasefire": {"min_count": 2}}},
            "frames": {"ceasefire": {"terms": ["truce"]}, "escalation": {"terms": ["strike*"]}}}  # fmt: skip
    book = Codebook.from_dict(data)
    corpus = pd.DataFrame({"doc_id": ["d1", "d2"], "text": ["truce strikes", "truce truce"]})
    codes = code_frames(corpus, book).codes
    assert codes["present"].tolist() == [0, 1, 1, 0]  # d1: one truce < 2; d2: two
    assert Codebook.from_dict(book.to_dict()).presence == book.presence  # round trip
    # paragraph codes ignore min_units from the codebook (one codebook serves every level)
    book2 = Codebook.from_dict({**data, "presence": {"min_units": 2}})
    assert code_frames(corpus, book2, level="paragraph").codes["present"].tolist() == [1, 1, 1, 0]
    with pytest.raises(CodebookError, match="presence.*'ceasfire' is not a frame"):
        Codebook.from_dict({**data, "presence": {"frames": {"ceasfire": {"min_count": 2}}}})
    (tmp_path / "book.yml").write_text(__import__("yaml").safe_dump(data), encoding="utf-8")
    cfg = StudyConfig.from_dict(
        {"codebook": "book.yml", "coding": {"presence": {"min_count": 2}}}, base_dir=tmp_path
    )
    assert cfg.load_codebook().presence == {"min_count": 2}
    assert code_frames(corpus, cfg.load_codebook()).codes["present"].tolist() == [0, 0, 1, 0]
    bad = StudyConfig.from_dict(
        {"codebook": "book.yml", "coding": {"presence": {"min_cont": 2}}}, base_dir=tmp_path
    )
    with pytest.raises(ConfigError, match="coding.presence: unknown key 'min_cont'"):
        bad.load_codebook()


def test_tune_presence_refuses_several_coders_rows_gh19():
    # two coders' rows for one unit would sit in different folds (leakage): refused like
    # corrected prevalence does, pointing to consensus()
    coded, gold = _corpus_and_gold()
    twice = pd.concat([gold, gold.iloc[:1].assign(present=1 - gold["present"].iloc[0])])
    unit, frame = gold["unit_id"].iloc[0], gold["frame"].iloc[0]
    with pytest.raises(ValueError, match=rf"tune_presence\(\): gold has two rows for unit "
                       rf"'{unit}' and frame '{frame}'.*consensus\(\)"):  # fmt: skip
        tune_presence(coded, twice, n_boot=100)
