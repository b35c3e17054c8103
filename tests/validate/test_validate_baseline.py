"""Tests of framelab.validate._baseline (moved from tests/test_validate.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from framelab._errors import NotFittedError
from framelab.datasets import FRAMES, load_sample_gold
from framelab.validate import (
    ACCURACY_COLUMNS,
    FRAME_CODES_COLUMNS,
    SupervisedBaseline,
    coding_units,
)
from framelab.validate._baseline import _prepared

from .validate_helpers import TINY_CORPUS

SEPARABLE = pd.DataFrame(
    {
        "unit_id": [f"u{i}" for i in range(8)],
        "text": [
            "the truce holds",
            "a truce was signed",
            "truce talks",
            "new truce today",
            "aid fatigue",
            "fatigue over aid",
            "aid funding gap",
            "donor fatigue grows",
        ],
    }
)


SEPARABLE_GOLD = pd.DataFrame(
    {
        "unit_id": [f"u{i}" for i in range(8)] * 2,
        "frame": ["ceasefire"] * 8 + ["support_fatigue"] * 8,
        "present": [1, 1, 1, 1, 0, 0, 0, 0] + [0, 0, 0, 0, 1, 1, 1, 1],
    }
)


def test_supervised_baseline_predict_codes_is_frame_codes():
    model = SupervisedBaseline(min_df=1)
    with pytest.raises(NotFittedError, match=r"call \.fit\(units, gold\) first"):
        model.predict_codes(TINY_CORPUS)
    model.fit(SEPARABLE, SEPARABLE_GOLD)
    assert model.frames_ == ["ceasefire", "support_fatigue"]
    codes = model.predict_codes(TINY_CORPUS, level="paragraph")
    assert list(codes.columns) == [*FRAME_CODES_COLUMNS, "outlet", "perspective"]
    assert codes["unit_id"].tolist() == [
        "d1-p0",
        "d1-p0",
        "d1-p1",
        "d1-p1",
        "d2-p0",
        "d2-p0",
        "d3-p0",
        "d3-p0",
    ]
    wide = codes.pivot(index="unit_id", columns="frame", values="present")
    assert wide.loc["d1-p0"].tolist() == [1, 0] and wide.loc["d2-p0"].tolist() == [0, 1]
    assert (codes["count"] == codes["present"]).all()
    assert codes["n_tokens"].tolist()[:2] == [4, 4]  # "A truce was agreed."
    assert codes["per_1k"].tolist()[:2] == [250.0, 0.0]
    assert codes["codebook"].str.fullmatch(r"supervised-baseline@\d+\.\d+\.\d+.*").all()
    assert (codes["level"] == "paragraph").all()


def test_supervised_baseline_cross_validate_seeded_and_identical(sample_corpus):
    gold = load_sample_gold("document")
    first = SupervisedBaseline(random_state=3).cross_validate(
        sample_corpus, gold, folds=3, n_boot=50
    )
    second = SupervisedBaseline(random_state=3).cross_validate(
        sample_corpus, gold, folds=3, n_boot=50
    )
    pd.testing.assert_frame_equal(first, second)
    assert list(first.columns) == list(ACCURACY_COLUMNS)
    assert first["frame"].tolist() == [*FRAMES, "macro", "micro"]
    support = gold.groupby("frame")["present"].sum()
    assert (
        first.set_index("frame").loc[list(FRAMES), "support"].tolist()
        == support.loc[list(FRAMES)].tolist()
    )
    assert first["f1"].iloc[-1] > 0.5  # the model learns the planted frames
    other = SupervisedBaseline(random_state=3).cross_validate(
        sample_corpus, gold, folds=3, seed=11, n_boot=50
    )
    assert not first["tp"].equals(other["tp"]) or not first["fp"].equals(other["fp"])


def test_supervised_baseline_paragraph_folds_and_errors(sample_corpus, gold_paragraphs):
    docs = sample_corpus.iloc[:60]
    units = coding_units(docs, "paragraph")
    gold = gold_paragraphs[gold_paragraphs["unit_id"].isin(units["unit_id"])]
    table = SupervisedBaseline().cross_validate(units, gold, folds=4, n_boot=20)
    assert (table["level"] == "paragraph").all()
    assert table.set_index("frame").loc["micro", "n_units"] == units["unit_id"].nunique()
    with pytest.raises(
        ValueError, match="folds must be an integer from 2 to the number of doc_id groups"
    ):
        SupervisedBaseline().cross_validate(units, gold, folds=1)
    with pytest.raises(
        ValueError,
        match=r"gold unit\(s\) are not among the units.*level="
        r"'paragraph'",
    ):
        SupervisedBaseline().fit(docs, gold)
    with pytest.raises(ValueError, match="threshold must be between 0 and 1"):
        SupervisedBaseline(threshold=1.5).fit(units, gold)


def test_supervised_baseline_group_by_text_keeps_identical_paragraphs_together(
    sample_corpus, gold_paragraphs
):
    """The sample reuses bank paragraphs across reports: grouping folds by document lets the
    model be tested on paragraphs it was trained on; grouping by text prevents that."""
    units = coding_units(sample_corpus, "paragraph")
    by_doc = SupervisedBaseline().cross_validate(units, gold_paragraphs, folds=5, n_boot=20)
    by_text = SupervisedBaseline().cross_validate(
        units, gold_paragraphs, folds=5, n_boot=20, group_by="text"
    )
    micro = lambda t: t.set_index("frame").loc["micro", "f1"]  # noqa: E731
    assert micro(by_text) < micro(by_doc) - 0.05
    with pytest.raises(KeyError, match="group_by='txt' is not a column"):
        SupervisedBaseline().cross_validate(units, gold_paragraphs, group_by="txt")


@pytest.fixture
def small_cv(sample_corpus, gold_paragraphs):
    """Paragraph units and gold of the first 20 reports (small, so each fit is quick)."""
    units = coding_units(sample_corpus.iloc[:20], "paragraph")
    gold = gold_paragraphs[gold_paragraphs["unit_id"].isin(units["unit_id"])]
    return units, gold.reset_index(drop=True)


@pytest.fixture
def count_fits(monkeypatch):
    """How many times a fold model is fitted."""
    calls = []
    fit_arrays = SupervisedBaseline._fit_arrays

    def counting(self, texts, y):
        calls.append(len(texts))
        return fit_arrays(self, texts, y)

    monkeypatch.setattr(SupervisedBaseline, "_fit_arrays", counting)
    return calls


def test_supervised_baseline_cross_validate_cache_hit_is_identical(small_cv, tmp_path, count_fits):
    units, gold = small_cv
    plain = SupervisedBaseline(random_state=5).cross_validate(units, gold, folds=3, n_boot=30)
    assert len(count_fits) == 3
    first = SupervisedBaseline(random_state=5).cross_validate(
        units, gold, folds=3, n_boot=30, cache_dir=tmp_path
    )
    again = SupervisedBaseline(random_state=5).cross_validate(
        units, gold, folds=3, n_boot=30, cache_dir=tmp_path
    )
    assert len(count_fits) == 6  # the second cached call fitted nothing
    pd.testing.assert_frame_equal(first, plain, check_exact=True)
    pd.testing.assert_frame_equal(again, plain, check_exact=True)
    files = sorted(p.name for p in (tmp_path / "supervised_cv").rglob("*") if p.is_file())
    assert files == ["accuracy.parquet", "cache.json"]  # Parquet + JSON, no pickle


@pytest.mark.parametrize(
    "change",
    [
        {"seed": 6},
        {"folds": 4},
        {"n_boot": 31},
        {"group_by": "text"},
        {"model": {"C": 0.5}},
        {"model": {"min_df": 1}},
        {"data": "gold"},
        {"data": "units"},
    ],
)
def test_supervised_baseline_cross_validate_cache_misses_on_any_change(
    small_cv, tmp_path, count_fits, change
):
    units, gold = small_cv
    kwargs = {"folds": 3, "n_boot": 30, "seed": 5, "group_by": "doc_id"}
    SupervisedBaseline().cross_validate(units, gold, **kwargs, cache_dir=tmp_path)
    model = SupervisedBaseline(**change.get("model", {}))
    kwargs.update({k: v for k, v in change.items() if k not in ("model", "data")})
    if change.get("data") == "gold":  # one label flipped
        gold = gold.assign(present=gold["present"].where(gold.index != 0, 1 - gold["present"]))
    if change.get("data") == "units":  # one text changed
        units = units.assign(text=units["text"].where(units.index != 0, "A truce was agreed."))
    n_before = len(count_fits)
    changed = model.cross_validate(units, gold, **kwargs, cache_dir=tmp_path)
    assert len(count_fits) > n_before  # recomputed, not read from the cache
    pd.testing.assert_frame_equal(changed, model.cross_validate(units, gold, **kwargs))
    assert len(list((tmp_path / "supervised_cv").iterdir())) == 2


def test_supervised_baseline_cross_validate_corrupt_cache_is_recomputed(
    small_cv, tmp_path, caplog, count_fits
):
    units, gold = small_cv
    first = SupervisedBaseline().cross_validate(units, gold, folds=3, n_boot=30, cache_dir=tmp_path)
    (entry,) = (tmp_path / "supervised_cv").iterdir()
    (entry / "accuracy.parquet").write_bytes(b"PAR1 truncated")
    with caplog.at_level("WARNING"):
        again = SupervisedBaseline().cross_validate(
            units, gold, folds=3, n_boot=30, cache_dir=tmp_path
        )
    assert "damaged accuracy.parquet" in caplog.text and len(count_fits) == 6
    pd.testing.assert_frame_equal(again, first, check_exact=True)
    caplog.clear()
    SupervisedBaseline().cross_validate(units, gold, folds=3, n_boot=30, cache_dir=tmp_path)
    assert len(count_fits) == 6 and not caplog.text  # the entry was rewritten


def test_supervised_baseline_features_are_the_coders_word_tfidf():
    # One feature code for the baseline and the supervised coder: the baseline's features are
    # the coder's word block, which is scikit-learn's TfidfVectorizer on framelab's tokens.
    from sklearn.feature_extraction.text import TfidfVectorizer

    from framelab.learn import SupervisedCoder
    from framelab.text import tokenize

    model = SupervisedBaseline(min_df=1).fit(SEPARABLE, SEPARABLE_GOLD)
    corpus = SEPARABLE.rename(columns={"unit_id": "doc_id"})
    coder = SupervisedCoder(min_df=1, char_ngrams=None, cv=2).fit(corpus, SEPARABLE_GOLD)
    reference = TfidfVectorizer(
        tokenizer=lambda t: tokenize(t, lower=True, words_only=True),
        token_pattern=None,
        lowercase=False,
        ngram_range=(1, 2),
        sublinear_tf=True,
    ).fit(SEPARABLE["text"])
    vocab = reference.get_feature_names_out().tolist()
    assert vocab[:4] == ["a", "a truce", "aid", "aid fatigue"]
    assert model.features_.word_vocab == coder.features_.word_vocab == vocab
    assert model.features_.word_idf.tolist() == coder.features_.word_idf.tolist()
    assert model.features_.word_idf.tolist() == reference.idf_.tolist()
    new = ["truce talk", "aid fatigue"]
    expected = reference.transform(new).toarray()
    got = model.features_.transform(_prepared(new))
    assert (got.toarray() == expected).all()


def test_supervised_baseline_refuses_several_coders_rows_gh19():
    # The baseline's own label pivot took the max over coders (a silent OR, as the coder's did
    # before gh19); the shared gold matrix refuses it with the consensus() fix.
    gold = pd.concat([SEPARABLE_GOLD, SEPARABLE_GOLD.iloc[[0]].assign(present=0)])
    with pytest.raises(ValueError, match=r"two rows for unit 'u0' and frame 'ceasefire'"):
        SupervisedBaseline(min_df=1).fit(SEPARABLE, gold)
