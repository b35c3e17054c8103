"""Tests of validate.next_to_code and validate.suspect_labels (issue 19)."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from framelab.codebook import Codebook
from framelab.coding import code_frames
from framelab.learn import SupervisedCoder
from framelab.validate import (
    DESIGN_COLUMNS,
    SUSPECT_COLUMNS,
    accuracy,
    next_to_code,
    suspect_labels,
)

#: Two rare frames, each shown by three of its fifteen invented words.
SIGNALS = {f"f{j}": [f"sig{j}x{i}" for i in range(15)] for j in range(2)}
FILLER = [f"fill{i}" for i in range(400)]
KW = {"min_df": 1, "char_ngrams": None, "cv": 3}


def synthetic(n: int, seed: int, prefix: str, share: float = 0.05, n_signal: int = 15):
    """``(corpus, gold)``: a frame present with probability ``share`` shows three of the first
    ``n_signal`` words of its signal list among 25 filler words."""
    rng = np.random.default_rng(seed)
    texts, rows = [], []
    for i in range(n):
        words = list(rng.choice(FILLER, size=25))
        doc_id = f"{prefix}{i:05d}"
        for frame, signal in SIGNALS.items():
            present = int(rng.random() < share)
            if present:
                for term in rng.choice(signal[:n_signal], size=3, replace=n_signal < 3):
                    words.insert(int(rng.integers(0, len(words))), str(term))
            rows.append((doc_id, frame, present))
        texts.append(" ".join(words))
    corpus = pd.DataFrame({"doc_id": [f"{prefix}{i:05d}" for i in range(n)], "text": texts})
    return corpus, pd.DataFrame(rows, columns=["unit_id", "frame", "present"])


@pytest.fixture(scope="module")
def pool():
    return synthetic(2000, 0, "p")


def test_uncertainty_beats_random_at_150_units(pool, tmp_path, caplog):
    """150 units picked by uncertainty (30 random, then 3 rounds of 40 with a 30% random share)
    give a higher mean macro F1 over 5 seeds than 150 random units."""
    caplog.set_level(logging.ERROR)
    corpus, gold = pool
    test, test_gold = synthetic(600, 1, "t")

    def f1(chosen, seed):
        coder = SupervisedCoder(seed=seed, **KW).fit(corpus, gold[gold["unit_id"].isin(chosen)])
        table = accuracy(coder.code(test).codes, test_gold, n_boot=10)
        return table.set_index("frame").loc["macro", "f1"]

    active, passive = [], []
    for seed in range(5):
        ids = list(np.random.default_rng(seed).choice(corpus["doc_id"], 150, replace=False))
        passive.append(f1(ids, seed))
        chosen = ids[:30]
        for r in range(3):
            coder = SupervisedCoder(seed=seed, **KW).fit(corpus, gold[gold["unit_id"].isin(chosen)])
            sheet = next_to_code(
                corpus, coder, n=40, exclude=chosen, seed=10 * seed + r, out=tmp_path / f"s{r}"
            )
            chosen += sheet["unit_id"].tolist()
        assert len(set(chosen)) == 150
        active.append(f1(chosen, seed))
    assert np.mean(active) > np.mean(passive) + 0.1


@pytest.fixture(scope="module")
def small():
    corpus, gold = synthetic(300, 2, "d", share=0.3)
    coder = SupervisedCoder(**KW).fit(corpus.iloc[:100], gold[gold["unit_id"] < "d00100"])
    return corpus, gold, coder


def test_next_to_code_records_the_random_share(small, tmp_path):
    corpus, gold, coder = small
    done = gold[gold["unit_id"] < "d00100"]
    sheet = next_to_code(corpus, coder, n=20, exclude=done, seed=3, out=tmp_path / "next")
    assert list(sheet.columns) == [
        "unit_id",
        "doc_id",
        "order",
        "text",
        "f0",
        "f1",
        "notes",
        *DESIGN_COLUMNS,
    ]
    assert sheet["order"].tolist() == list(range(1, 21))
    assert not set(sheet["unit_id"]) & set(done["unit_id"])
    rand = sheet[sheet["drawn_at_random"]]
    assert len(rand) == 6  # round(0.3 * 20)
    assert (rand["inclusion_prob"] == 6 / 200).all() and (rand["strategy"] == "random").all()
    assert sheet.loc[~sheet["drawn_at_random"], "inclusion_prob"].isna().all()
    # the coders' files stay blind: no design columns, no scores
    written = pd.read_csv(tmp_path / "next.csv", encoding="utf-8-sig")
    assert list(written.columns) == ["unit_id", "doc_id", "order", "text", "f0", "f1", "notes"]
    design = pd.read_csv(tmp_path / "next-design.csv")
    assert design["unit_id"].tolist() == sheet["unit_id"].tolist()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "next-design.csv",
        "next.csv",
        "next.xlsx",
    ]


def test_uncertainty_takes_the_closest_units_frame_by_frame(small, tmp_path):
    corpus, gold, coder = small
    sheet = next_to_code(corpus, coder, n=10, random_share=0, seed=0, out=tmp_path / "u")
    assert sheet["target_frame"].value_counts().to_dict() == {"f0": 5, "f1": 5}
    proba = coder.predict_proba(corpus)
    thr = dict(zip(coder.frames_, coder.linear_.threshold, strict=True))
    proba["dist"] = (proba["probability"] - proba["frame"].map(thr)).abs()
    # by hand: round robin f0, f1, f0, ... each taking its closest unit not yet taken
    taken: list[str] = []
    for _ in range(5):
        for frame in ("f0", "f1"):
            rows = proba[(proba["frame"] == frame) & ~proba["unit_id"].isin(taken)]
            taken.append(rows.sort_values("dist", kind="mergesort")["unit_id"].iloc[0])
    assert set(sheet["unit_id"]) == set(taken)
    np.testing.assert_allclose(
        sheet.set_index("unit_id").loc[taken, "score"].to_numpy(),
        [
            proba.set_index(["unit_id", "frame"])["dist"][(u, f)]
            for u, f in zip(taken, ["f0", "f1"] * 5, strict=True)
        ],
    )


def test_disagreement_picks_units_the_dictionary_codes_differently(small, tmp_path):
    corpus, gold, coder = small
    book = Codebook.from_dict(
        {
            "name": "half",
            "version": "1",
            "frames": {"f0": {"terms": ["sig0x0", "sig0x1"]}, "f1": {"terms": ["fill1"]}},
        }
    )
    sheet = next_to_code(
        corpus, coder, n=12, strategy="disagreement", codebook=book, seed=0, out=tmp_path / "d"
    )
    dic = code_frames(corpus, book).codes.set_index(["unit_id", "frame"])["present"]
    sup = coder.code(corpus).codes.set_index(["unit_id", "frame"])["present"]
    targeted = sheet[~sheet["drawn_at_random"]]
    assert len(targeted) == 8
    for uid, frame in zip(targeted["unit_id"], targeted["target_frame"], strict=True):
        assert dic[(uid, frame)] != sup[(uid, frame)]


def test_random_strategy_is_a_simple_random_sample(small, tmp_path):
    corpus, _, coder = small
    sheet = next_to_code(corpus, coder, n=30, strategy="random", seed=1, out=tmp_path / "r")
    assert sheet["drawn_at_random"].all()
    assert (sheet["inclusion_prob"] == 30 / 300).all()


def test_next_to_code_errors(small, tmp_path):
    corpus, _, coder = small
    with pytest.raises(ValueError, match="Did you mean strategy='uncertainty'"):
        next_to_code(corpus, coder, strategy="uncertainly", out=tmp_path / "x")
    with pytest.raises(ValueError, match="n=301 is more than the 300 document units"):
        next_to_code(corpus, coder, n=301, out=tmp_path / "x")
    with pytest.raises(ValueError, match="needs the dictionary: pass codebook="):
        next_to_code(corpus, coder, strategy="disagreement", out=tmp_path / "x")


def test_suspect_labels_flags_flipped_labels_and_never_relabels():
    corpus, gold = synthetic(150, 4, "d", share=0.3, n_signal=2)
    flipped = gold.copy()
    rows = [3, 40, 101, 202, 250]
    flipped.loc[rows, "present"] = 1 - flipped.loc[rows, "present"]
    before = flipped.copy()
    table = suspect_labels(corpus, flipped, SupervisedCoder(**KW), folds=5)
    pd.testing.assert_frame_equal(flipped, before)
    assert tuple(table.columns) == SUSPECT_COLUMNS
    pairs = set(zip(table["unit_id"], table["frame"], strict=True))
    wanted = set(zip(gold.loc[rows, "unit_id"], gold.loc[rows, "frame"], strict=True))
    assert wanted <= pairs
    top = set(zip(table["unit_id"].head(5), table["frame"].head(5), strict=True))
    assert top == wanted
    assert (table["margin"] >= 0).all() and table["self_confidence"].is_monotonic_increasing
    np.testing.assert_allclose(
        table["margin"],
        np.where(
            table["gold"] == 1,
            table["threshold"] - table["probability"],
            table["probability"] - table["threshold"],
        ),
    )
    sc = np.where(table["gold"] == 1, table["probability"], 1 - table["probability"])
    np.testing.assert_allclose(table["self_confidence"], sc)


def test_suspect_labels_refuses_gold_of_other_frames(small):
    corpus, gold, coder = small
    other = gold.replace({"frame": {"f1": "g1"}})
    with pytest.raises(ValueError, match="but this model .* was trained on f0, f1"):
        suspect_labels(corpus, other, coder)
