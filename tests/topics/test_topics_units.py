"""Units, the topic analyzer (framelab tokens + stopwords), hashes, min_df scaling."""

from __future__ import annotations

import pandas as pd
import pytest

from framelab.topics._units import (
    TopicAnalyzer,
    auto_min_df,
    corpus_units,
    texts_hash,
    topic_stopwords,
)


def test_corpus_units_sorts_documents_by_id():
    corpus = pd.DataFrame({"doc_id": ["b", "c", "a"], "text": ["B", "C", "A"]})
    units = corpus_units(corpus, "document", "t")
    assert units.values.tolist() == [["a", "a", "A"], ["b", "b", "B"], ["c", "c", "C"]]


def test_corpus_units_numbers_paragraphs_in_text_order():
    text = "\n\n".join(f"P{k}." for k in range(12))
    units = corpus_units(pd.DataFrame({"doc_id": ["d"], "text": [text]}), "paragraph", "t")
    # p10 and p11 come after p9 (numeric, not string, order)
    assert units["unit_id"].tolist()[-3:] == ["d-p9", "d-p10", "d-p11"]
    assert units["text"].tolist()[10] == "P10."


def test_corpus_units_rejects_duplicate_ids_and_strings():
    with pytest.raises(
        ValueError, match=r"t\(\): doc_id must be unique, but 1 id repeats \('a'; rows 0, 1\)"
    ):
        corpus_units(pd.DataFrame({"doc_id": ["a", "a"], "text": ["x", "y"]}), "document", "t")
    with pytest.raises(TypeError, match="single string"):
        corpus_units("some text", "document", "t")


def test_topic_analyzer_bigrams_never_cross_stopwords_punctuation_or_numbers():
    analyzer = TopicAnalyzer({"the", "of", "in"}, ngram_range=(1, 2))
    grams = analyzer("Black Sea grain. Exports of grain in 2024 rose; Kyiv’s grain-deal holds")
    assert grams == [
        "black",
        "sea",
        "grain",
        "exports",
        "grain",
        "rose",
        "kyiv",
        "grain-deal",
        "holds",
        "black sea",
        "sea grain",
        "grain-deal holds",
    ]


def test_topic_analyzer_keeps_cyrillic_and_memo_is_consulted():
    memo: dict = {}
    analyzer = TopicAnalyzer(topic_stopwords(["uk"]), ngram_range=(1, 1), memo=memo)
    assert analyzer("Перемир'я та переговори") == ["перемир'я", "переговори"]
    memo["x"] = [["cached"]]
    assert analyzer("x") == ["cached"]


def test_auto_min_df_scales_with_corpus_size():
    assert [auto_min_df(n) for n in (10, 99, 100, 2000, 2001, 20000)] == [1, 1, 2, 2, 3, 20]


def test_texts_hash_depends_on_order_and_content():
    assert texts_hash(["a", "b"]) != texts_hash(["b", "a"])
    assert texts_hash(["ab"]) != texts_hash(["a", "b"])  # separator between texts
    assert texts_hash(["a", "b"]) == texts_hash(iter(["a", "b"]))
