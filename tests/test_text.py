"""Tests for framelab.text: tokens, paragraphs, sentences, stopwords, stems, collocations."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import framelab.text as text_module
from framelab.text import (
    SentenceSplitter,
    collocations,
    merge_multiword,
    normalize_token,
    paragraph_spans,
    sentence_spans,
    stem,
    stopwords,
    token_spans,
    tokenize,
)


def test_tokenize_news_cases():
    text = "The U.S. and Kyiv’s allies back a cease-fire; 1,000 troops (3.5%) don't move."
    assert tokenize(text) == [
        "The",
        "U.S.",
        "and",
        "Kyiv",
        "’s",
        "allies",
        "back",
        "a",
        "cease-fire",
        ";",
        "1,000",
        "troops",
        "(",
        "3.5%",
        ")",
        "don't",
        "move",
        ".",
    ]


def test_token_spans_offsets_round_trip():
    text = "Kyiv’s envoy: «Перемир'я» — now?"
    for tok, start, end in token_spans(text):
        assert text[start:end] == tok
    assert [t for t, _, _ in token_spans(text)] == [
        "Kyiv",
        "’s",
        "envoy",
        ":",
        "«",
        "Перемир'я",
        "»",
        "—",
        "now",
        "?",
    ]


def test_tokenize_words_only_lower_and_cyrillic():
    assert tokenize("Переговоры в Киеве, 2024!", lower=True, words_only=True) == [
        "переговоры",
        "в",
        "киеве",
        "2024",
    ]
    assert tokenize("F-16s arrive in the 1990s", words_only=True) == [
        "F-16s",
        "arrive",
        "in",
        "the",
        "1990s",
    ]


def test_tokenize_rejects_lists():
    with pytest.raises(TypeError, match="one string"):
        tokenize(["a", "b"])


def test_normalize_token_variants_match():
    assert {normalize_token(t) for t in ["cease-fire", "Cease‑fire", "ceasefire"]} == {"ceasefire"}
    assert normalize_token("Kyiv’s") == "kyiv's"


def test_paragraph_spans_ignore_blank_runs():
    text = "\n\nOne.\n\n\n  Two.\n \nThree."
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["One.", "Two.", "Three."]


def test_sentence_splitter_trained_is_deterministic_and_handles_abbreviations():
    texts = [
        "Mr. Smith met Gen. Jones in Washington. The U.S. envoy said talks would resume. "
        "Officials in Kyiv agreed."
    ] * 30
    a = SentenceSplitter.train(texts)
    text_module._TRAINED.clear()  # train again rather than reuse what was learned
    b = SentenceSplitter.train(texts)
    sample = "Gen. Jones met the U.S. envoy on Monday. Talks resume in Nov. next year. Kyiv agreed."
    assert a.split(sample) == b.split(sample)
    assert a.split(sample)[0] == "Gen. Jones met the U.S. envoy on Monday."
    assert a.source == "trained:30 texts"


def test_sentence_splitter_train_reuses_what_it_learned_from_the_same_texts(monkeypatch):
    from nltk.tokenize import punkt

    trained = []
    trainer_class = punkt.PunktTrainer

    class CountingTrainer(trainer_class):
        def finalize_training(self, *args, **kwargs):
            trained.append(1)
            return super().finalize_training(*args, **kwargs)

    monkeypatch.setattr(punkt, "PunktTrainer", CountingTrainer)
    monkeypatch.setattr(text_module, "_TRAINED", {})
    texts = ["Envoys met on Monday. Dr. Lee spoke. A truce held."] * 12
    sample = "Dr. Lee met envoys. A truce held."
    first = SentenceSplitter.train(texts)
    second = SentenceSplitter.train(list(texts))
    assert len(trained) == 1 and second.split(sample) == first.split(sample)
    assert second.split(sample) == ["Dr. Lee met envoys.", "A truce held."]
    SentenceSplitter.train([*texts, "One more report."])  # other texts: trained anew
    SentenceSplitter.train(texts, abbreviations=["approx."])  # other abbreviations too
    assert len(trained) == 3


def test_sentence_spans_stay_inside_paragraphs():
    text = "Talks began\n\nwithout a truce. Envoys met."
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["Talks began", "without a truce.", "Envoys met."]


def test_stopwords_offline_fallbacks():
    en, ru, uk = stopwords("english"), stopwords("ru"), stopwords("uk")
    assert {"the", "and", "of"} <= en
    assert {"и", "не", "что"} <= ru
    assert {"і", "не", "що"} <= uk
    with pytest.raises(ValueError, match="no stopword list"):
        stopwords("klingon")


def test_stem_snowball_and_unsupported_language():
    assert stem(["negotiations", "negotiating", "guarantees"]) == ["negoti", "negoti", "guarante"]
    assert stem(["перемирие", "перемирия"], "ru") == ["перемир", "перемир"]
    with pytest.raises(ValueError, match="no Snowball stemmer for 'uk'.*glob"):
        stem(["перемир'я"], "uk")


def test_merge_multiword():
    assert merge_multiword(
        ["new", "territorial", "realities", "now"], ["new territorial realities"]
    ) == ["new_territorial_realities", "now"]


def test_collocations_scores_and_schema():
    docs = [
        "security guarantees for Ukraine",
        "security guarantees matter",
        "firm security guarantees",
        "security council vote",
        "guarantees of security",
    ]
    table = collocations(docs, min_freq=2, top=None)
    assert list(table.columns) == ["ngram", "freq", "pmi", "likelihood_ratio"]
    row = table[table["ngram"] == "security guarantees"].iloc[0]
    assert row["freq"] == 3
    # PMI by hand: N bigram-window words = 17 tokens; f(sec)=5, f(guar)=4, f(sec guar)=3
    import math

    n = sum(len(d.split()) for d in docs)
    assert row["pmi"] == pytest.approx(math.log2(3 * n / (5 * 4)))
    with pytest.raises(ValueError, match="n must be 2 or 3"):
        collocations(docs, n=4)
    with pytest.raises(TypeError, match="single string"):
        collocations("security guarantees")


def test_trigram_collocations():
    docs = [
        "new territorial realities emerged",
        "accept new territorial realities",
        "so-called new territorial realities",
    ]
    table = collocations(docs, n=3, min_freq=3, top=None)
    assert table["ngram"].tolist() == ["new territorial realities"]


def test_text_layer_works_with_empty_nltk_data(tmp_path):
    """No nltk_data at all: sentences, tokens, stopwords, stems and collocations still work."""
    code = textwrap.dedent(
        """
        import nltk
        from framelab.text import SentenceSplitter, collocations, stem, stopwords, tokenize
        try:
            nltk.data.find("tokenizers/punkt_tab/english/")
            raise SystemExit("punkt unexpectedly found")
        except LookupError:
            pass
        s = SentenceSplitter.for_corpus(["Talks began. Envoys met in Geneva. A truce held."] * 5)
        assert s.source.startswith("trained"), s.source
        assert len(s.split("Talks began. Envoys met.")) == 2
        assert "the" in stopwords("english")
        assert stem(["talks"]) == ["talk"]
        assert tokenize("Kyiv's truce") == ["Kyiv", "'s", "truce"]
        assert len(collocations(["peace talks now"] * 3, min_freq=2)) == 1
        print("ok")
        """
    )
    env = {**os.environ, "NLTK_DATA": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


# --------------------------------------------------------------------------- units (issue 17)


def test_blank_text_gives_one_unit_at_every_stage_gh17():
    """A document without text keeps one unit (<doc>-p0 / <doc>-s0) in every unit table."""
    import pandas as pd

    from framelab.codebook import Codebook
    from framelab.coding import code_frames
    from framelab.compare import text_units
    from framelab.text import units
    from framelab.topics._units import corpus_units
    from framelab.validate import coding_units

    corpus = pd.DataFrame(
        {"doc_id": ["a", "b", "c"], "text": ["A truce.\n\nTalks resumed.", "  \n ", ""]}
    )
    cb = Codebook.from_dict({"name": "m", "version": "1", "frames": {"t": {"terms": ["truce"]}}})
    want = {
        "document": ["a", "b", "c"],
        "paragraph": ["a-p0", "a-p1", "b-p0", "c-p0"],
        "sentence": ["a-s0", "a-s1", "b-s0", "c-s0"],
    }
    for level, ids in want.items():
        assert units(corpus, level)["unit_id"].tolist() == ids, level
        assert text_units(corpus, level)["unit_id"].tolist() == ids, level
        assert code_frames(corpus, cb, level=level).units["unit_id"].tolist() == ids, level
        if level != "sentence":  # validation and topics work on documents and paragraphs
            assert coding_units(corpus, level)["unit_id"].tolist() == ids, level
            assert corpus_units(corpus, level, "fit_topics")["unit_id"].tolist() == ids, level
    blank = units(corpus, "paragraph").set_index("unit_id").loc[["b-p0", "c-p0"]]
    assert blank[["start", "end", "text"]].values.tolist() == [[0, 4, "  \n "], [0, 0, ""]]


def test_unit_spans_is_the_one_splitter_gh17():
    from framelab import _engine
    from framelab.text import unit_spans

    assert _engine._units is unit_spans
    text = "Talks began. Envoys met.\n\nA truce held."
    assert [text[s:e] for s, e in unit_spans(text, "paragraph")] == [
        "Talks began. Envoys met.",
        "A truce held.",
    ]
    assert unit_spans(text, "document") == [(0, len(text))]


def test_units_rejects_an_unknown_level():
    import pandas as pd

    from framelab.text import units

    with pytest.raises(
        ValueError, match=r"units\(\): level must be one of .* Did you mean level='paragraph'"
    ):
        units(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}), "paragraphs")


# ------------------------------------------------------------ tokenize, faster (issue 22)


def _tokenize_reference(text, lower=False, words_only=False):
    """tokenize() as written before issue 22: match objects, then a check of every character."""
    from framelab.text import _POSSESSIVE, token_spans

    toks = [t for t, _, _ in token_spans(text)]
    if words_only:
        toks = [t for t in toks if any(ch.isalnum() for ch in t) and not _POSSESSIVE.fullmatch(t)]
    return [t.lower() for t in toks] if lower else toks


def test_alnum_pattern_is_str_isalnum_for_every_character_gh22():
    from framelab.text import _ALNUM

    wrong = [c for c in range(0x110000) if bool(_ALNUM.match(chr(c))) != chr(c).isalnum()]
    assert wrong == []


_PIECES = ["Kyiv", "’s", "'S", "`s", "U.S.", "cease-fire", "don't", "перемир'я", "_", "__x",
           "_-_", "x_y", "2,000", "40%", "²", "½", "٣", "$", "—", "...", " ", "\n", "-", "'",
           "Ⅻ", "ǅ", "İ", "ß", "a‐b", "e.g.", "NATO's"]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=4), max_size=30))
@settings(max_examples=400, deadline=None)
def test_tokenize_equals_the_reference_gh22(parts):
    text = "".join(parts)
    for lower in (False, True):
        for words_only in (False, True):
            got = tokenize(text, lower=lower, words_only=words_only)
            assert got == _tokenize_reference(text, lower=lower, words_only=words_only)


def test_tokenize_words_only_by_hand_gh22():
    text = "Kyiv’s _ __x _-_ x_y 2,000 ½ $ NATO's cease-fire U.S. '"
    assert tokenize(text, words_only=True) == [
        "Kyiv", "__x", "x_y", "2,000", "½", "NATO", "cease-fire", "U.S."
    ]  # fmt: skip


def _collocations_reference(texts, min_freq):
    """collocations(texts, n=2) as written before issue 22: NLTK's from_documents."""
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    from framelab.text import stopwords

    sw = stopwords("english")
    finder = BigramCollocationFinder.from_documents(
        [_tokenize_reference(t, lower=True, words_only=True) for t in texts]
    )
    finder.apply_freq_filter(min_freq)
    finder.apply_ngram_filter(lambda *ws: ws[0] in sw or ws[-1] in sw)
    pmi = dict(finder.score_ngrams(BigramAssocMeasures.pmi))
    llr = dict(finder.score_ngrams(BigramAssocMeasures.likelihood_ratio))
    rows = [(" ".join(g), int(finder.ngram_fd[g]), float(pmi[g]), float(llr[g])) for g in pmi]
    table = pd.DataFrame(rows, columns=["ngram", "freq", "pmi", "likelihood_ratio"])
    table = table.sort_values(["likelihood_ratio", "ngram"], ascending=[False, True],
                              kind="mergesort")  # fmt: skip
    return table.reset_index(drop=True)


@pytest.mark.parametrize("min_freq", [1, 5])
def test_bigram_collocations_equal_nltk_from_documents_gh22(sample_corpus, min_freq):
    texts = sample_corpus["text"].tolist() + ["", "Truce.", "truce talks truce talks"]
    got = collocations(texts, n=2, min_freq=min_freq, top=None)
    want = _collocations_reference(texts, min_freq)
    assert len(want) > 20
    pd.testing.assert_frame_equal(got, want, check_exact=True)
