"""Tests of framelab.compare._terms (moved from tests/test_compare.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from framelab.compare import (
    DISTINGUISHING_COLUMNS,
    KEYNESS_COLUMNS,
    distinguishing_terms,
    keyness,
    prevalence,
    text_units,
)
from framelab.text import SentenceSplitter, stopwords

TOY = pd.DataFrame(
    {
        "doc_id": ["d1", "d2", "d3", "d4"],
        "side": ["A", "A", "B", "C"],
        "date": pd.to_datetime(["2023-09-01", "2023-09-02", "2023-10-01", "2023-10-02"]),
        "text": ["truce truce talks", "truce aid", "talks talks guarantees", "aid aid talks"],
    }
)


def _log_odds(y_i, y_j, n_i, n_j, a_w, a_0):
    delta = math.log((y_i + a_w) / (n_i + a_0 - y_i - a_w)) - math.log(
        (y_j + a_w) / (n_j + a_0 - y_j - a_w)
    )
    var = 1 / (y_i + a_w) + 1 / (y_j + a_w)
    return delta, var, delta / math.sqrt(var)


def test_distinguishing_terms_matches_the_formula_by_hand():
    table = distinguishing_terms(TOY, "side", "A", "B", min_count=1)
    assert list(table.columns) == list(DISTINGUISHING_COLUMNS)
    # pooled counts over all 4 documents: truce 3, talks 4, aid 3, guarantees 1; total 11
    row = table.set_index("term").loc["truce"]
    delta, var, z = _log_odds(3, 0, 5, 3, 3.0, 11.0)
    assert (
        row["count_group"],
        row["count_reference"],
        row["total_group"],
        row["total_reference"],
    ) == (3, 0, 5, 3)
    assert (row["alpha_w"], row["alpha_0"]) == (3.0, 11.0)
    assert (row["delta"], row["variance"], row["z"]) == pytest.approx((delta, var, z))
    assert (row["prior"], row["group"], row["reference"]) == ("pooled", "A", "B")
    assert table["z"].is_monotonic_decreasing


def test_distinguishing_terms_one_vs_rest_and_alpha_0():
    table = distinguishing_terms(TOY, "side", min_count=1, alpha_0=5.5)
    assert table[["group", "reference"]].drop_duplicates().values.tolist() == [
        ["A", "(rest)"],
        ["B", "(rest)"],
        ["C", "(rest)"],
    ]
    row = table[(table["group"] == "C") & (table["term"] == "aid")].iloc[0]
    delta, _, z = _log_odds(2, 1, 3, 8, 5.5 * 3 / 11, 5.5)
    assert (row["delta"], row["z"]) == pytest.approx((delta, z))
    assert table["alpha_0"].unique().tolist() == [5.5]
    uniform = distinguishing_terms(TOY, "side", "A", prior="uniform", min_count=1)
    assert uniform["alpha_w"].unique().tolist() == pytest.approx([0.01])  # 0.01 per term


def test_distinguishing_terms_by_period():
    table = distinguishing_terms(TOY, "date", freq="M", min_count=1)
    assert table["group"].unique().tolist() == ["2023-09", "2023-10"]
    with pytest.raises(ValueError, match=r"holds dates; pass freq='M'"):
        distinguishing_terms(TOY, "date")


def test_distinguishing_terms_errors():
    with pytest.raises(
        ValueError,
        match=r"group_col='sde' is not a column.*Did you mean "
        r"group_col='side'\?",
    ):
        distinguishing_terms(TOY, "sde")
    with pytest.raises(ValueError, match=r"'D' is not a group"):
        distinguishing_terms(TOY, "side", "D")
    with pytest.raises(ValueError, match=r"within_frame='talks' needs codes="):
        distinguishing_terms(TOY, "side", within_frame="talks")
    with pytest.raises(ValueError, match=r"prior must be one of"):
        distinguishing_terms(TOY, "side", prior="flat")


SENTENCES = pd.DataFrame(
    {
        "doc_id": ["r1", "u1"],
        "side": ["russia", "ukraine"],
        "text": [
            "Kiev must accept new realities. The weather was mild.",
            "Kyiv will never trade land. The weather was mild.",
        ],
    }
)


def _sentence_codes() -> pd.DataFrame:
    # the coding engine's sentence ids: "<doc_id>-s<k>"; only the first sentences are coded
    ids = ["r1-s0", "r1-s1", "u1-s0", "u1-s1"]
    return pd.DataFrame(
        {
            "doc_id": ["r1", "r1", "u1", "u1"],
            "unit_id": ids,
            "level": "sentence",
            "frame": "concessions",
            "count": [1, 0, 1, 0],
            "n_tokens": 5,
            "per_1k": 0.0,
            "present": [1, 0, 1, 0],
            "codebook": "test@1",
        }
    )


def test_text_units_sentence_ids():
    splitter = SentenceSplitter.train(SENTENCES["text"])
    units = text_units(SENTENCES, "sentence", splitter=splitter)
    assert units["unit_id"].tolist() == ["r1-s0", "r1-s1", "u1-s0", "u1-s1"]
    assert units.loc[2, "text"] == "Kyiv will never trade land."
    assert (
        units.loc[2, "text"]
        == SENTENCES.loc[1, "text"][units.loc[2, "start"] : units.loc[2, "end"]]
    )
    assert list(units.columns) == [
        "doc_id",
        "unit_id",
        "level",
        "position",
        "start",
        "end",
        "text",
        "side",
    ]
    paras = text_units(pd.DataFrame({"doc_id": ["d"], "text": ["One.\n\nTwo."]}), "paragraph")
    assert paras["unit_id"].tolist() == ["d-p0", "d-p1"]


def test_distinguishing_terms_within_frame_counts_only_coded_sentences():
    splitter = SentenceSplitter.train(SENTENCES["text"])
    units = text_units(SENTENCES, "sentence", splitter=splitter)
    table = distinguishing_terms(
        SENTENCES,
        "side",
        "ukraine",
        "russia",
        within_frame="concessions",
        codes=_sentence_codes(),
        units=units,
        min_count=1,
    )
    coded_words = {
        "kiev",
        "must",
        "accept",
        "new",
        "realities",
        "kyiv",
        "will",
        "never",
        "trade",
        "land",
    }
    assert set(table["term"]) == coded_words - stopwords("english")  # no "weather", "mild"
    assert table["within_frame"].unique().tolist() == ["concessions"]
    z = table.set_index("term")["z"]
    assert z["kyiv"] > 0 > z["kiev"]


def test_distinguishing_terms_within_frame_from_hits_and_offsets():
    hits = pd.DataFrame(
        {
            "doc_id": ["r1", "u1", "u1"],
            "unit_id": ["r1-s0", "u1-s0", "u1-s1"],
            "frame": "concessions",
            "term": ["realities", "land", "weather"],
            "start": [22, 21, 33],
            "end": [31, 25, 40],
            "negated": [False, False, True],
        }
    )  # the negated hit does not count
    offsets = pd.DataFrame(
        {
            "doc_id": ["r1", "r1", "u1", "u1"],
            "unit_id": ["r1-s0", "r1-s1", "u1-s0", "u1-s1"],
            "start": [0, 32, 0, 28],
            "end": [31, 53, 27, 49],
        }
    )
    table = distinguishing_terms(
        SENTENCES,
        "side",
        "ukraine",
        within_frame="concessions",
        codes=hits,
        units=offsets,
        min_count=1,
    )
    assert "weather" not in set(table["term"])
    assert {"kiev", "kyiv", "land"} <= set(table["term"])


def test_keyness_chi2_matches_scipy_and_quanteda_yates_rule():
    from scipy.stats import chi2_contingency

    # term counts (target, reference) with totals 100 and 200 tokens
    text_t = " ".join(["rare"] * 2 + ["common"] * 30 + ["filler"] * 68)
    text_r = " ".join(["rare"] * 10 + ["common"] * 20 + ["filler"] * 170)
    corpus = pd.DataFrame({"doc_id": ["t", "r"], "side": ["T", "R"], "text": [text_t, text_r]})
    table = keyness(corpus, "side", "T", "R", min_count=1, stop_words=None).set_index("term")
    # "rare": an expected count is below 5 -> Yates, as scipy's corrected statistic
    rare = chi2_contingency([[2, 10], [98, 190]], correction=True)[0]
    assert table.loc["rare", "chi2"] == pytest.approx(-rare)  # used less than expected
    # "common": every expected count >= 5 -> quanteda applies no correction
    common = chi2_contingency([[30, 20], [70, 180]], correction=False)[0]
    assert table.loc["common", "chi2"] == pytest.approx(common)
    assert table.loc["common", "p_chi2"] == pytest.approx(
        chi2_contingency([[30, 20], [70, 180]], correction=False)[1]
    )
    none = keyness(corpus, "side", "T", "R", min_count=1, stop_words=None, correction="none")
    assert none.set_index("term").loc["rare", "chi2"] == pytest.approx(
        -chi2_contingency([[2, 10], [98, 190]], correction=False)[0]
    )


def test_keyness_g2_by_hand_and_williams():
    text_t = " ".join(["common"] * 30 + ["filler"] * 70)
    text_r = " ".join(["common"] * 20 + ["filler"] * 180)
    corpus = pd.DataFrame({"doc_id": ["t", "r"], "side": ["T", "R"], "text": [text_t, text_r]})
    table = keyness(corpus, "side", "T", min_count=1, stop_words=None).set_index("term")
    assert list(keyness(corpus, "side", "T", min_count=1, stop_words=None).columns) == list(
        KEYNESS_COLUMNS
    )
    cells = np.array([30, 20, 70, 180], dtype=float)
    expected = np.array([50 * 100, 50 * 200, 250 * 100, 250 * 200], dtype=float) / 300
    g2 = 2 * np.sum(cells * np.log(cells / expected))  # 2 sum O ln(O / E)
    assert table.loc["common", "G2"] == pytest.approx(g2, rel=1e-7)
    assert table.loc["filler", "G2"] == pytest.approx(-g2, rel=1e-7)
    assert table.loc["common", "reference"] == "(rest)"
    q = 1 + (300 / 50 + 300 / 250 - 1) * (300 / 100 + 300 / 200 - 1) / (6 * 300)
    williams = keyness(corpus, "side", "T", min_count=1, stop_words=None, correction="williams")
    assert williams.set_index("term").loc["common", "G2"] == pytest.approx(g2 / q, rel=1e-7)


def test_text_units_match_the_coding_engine_sentences(sample_corpus):
    coding = pytest.importorskip("framelab.coding")
    if not hasattr(coding, "code_frames"):
        pytest.skip("framelab.coding.code_frames is not available")
    from framelab.codebook import Codebook

    corpus = sample_corpus.head(12)
    splitter = SentenceSplitter.train(corpus["text"])
    cb = Codebook.from_dict(
        {"name": "mini", "version": "1", "frames": {"ceasefire": {"terms": ["truce", "ceasefire"]}}}
    )
    coded = coding.code_frames(corpus, cb, level="sentence", splitter=splitter)
    units = text_units(corpus, "sentence", splitter=splitter)
    mine = units[["doc_id", "unit_id", "start", "end"]].reset_index(drop=True)
    theirs = coded.units[["doc_id", "unit_id", "start", "end"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, theirs, check_dtype=False)


def test_distinguishing_terms_within_frame_of_a_coded_result():
    coding = pytest.importorskip("framelab.coding")
    if not hasattr(coding, "code_frames"):
        pytest.skip("framelab.coding.code_frames is not available")
    from framelab.codebook import Codebook

    cb = Codebook.from_dict(
        {
            "name": "mini",
            "version": "1",
            "frames": {"concessions": {"terms": ["realities", "land"]}},
        }
    )
    splitter = SentenceSplitter.train(SENTENCES["text"])
    coded = coding.code_frames(SENTENCES, cb, level="sentence", splitter=splitter)
    table = distinguishing_terms(
        SENTENCES, "side", "ukraine", within_frame="concessions", codes=coded, min_count=1
    )
    assert "weather" not in set(table["term"])  # the Coded units' offsets select the sentences
    assert {"kiev", "kyiv", "land", "realities"} <= set(table["term"])
    shares = prevalence(coded, "side", cluster="unit_id", n_boot=20)  # resample sentences
    assert shares["n"].tolist() == [2, 2] and shares["estimate"].tolist() == [0.5, 0.5]
