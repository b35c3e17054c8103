"""Language labels, detection and the ru/uk silent-zero cases of issue 21."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from framelab.codebook import Codebook
from framelab.coding import code_frames, codebook_coverage
from framelab.io import load_corpus
from framelab.languages import detect_language, language_code

RU = "Стороны договорились о перемирии. Переговоры продолжатся в Стамбуле."
UK = "Сторони домовилися про перемир'я. Переговори триватимуть у Стамбулі."
EN = "The sides agreed a truce. Talks will continue in Istanbul."


def _cb(**frames):
    default = {
        "ceasefire": {
            "terms": {"en": ["truce"], "ru": ["перемири*"], "uk": ["перемир'я"]},
            "regex": [r"\bcease[- ]?fire\b"],
        },
        "talks": {"terms": {"en": ["talks"], "ru": ["переговор*"], "uk": ["переговор*"]}},
    }
    return Codebook.from_dict({"name": "lang", "version": "1", "frames": frames or default})


def _corpus(texts, **cols):
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts, **cols})


def _counts(coded):
    return coded.codes.set_index(["doc_id", "frame"])["count"].to_dict()


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("RU", "ru"),
        ("ru-RU", "ru"),
        ("rus", "ru"),
        ("Russian", "ru"),
        ("русский", "ru"),
        ("UKR", "uk"),
        ("uk_UA", "uk"),
        ("ua", "uk"),
        ("Українська", "uk"),
        ("eng", "en"),
        ("en-GB", "en"),
        ("", None),
        ("  ", None),
    ],
)
def test_language_labels_are_normalised_gh21(value, code):
    assert language_code(value) == code


def test_detection_restricted_to_study_languages_gh21():
    assert detect_language([RU, UK, EN, "12:00"], ["en", "ru", "uk"]) == ["ru", "uk", "en", None]
    with pytest.raises(ValueError, match=r"does not know language\(s\) \['xx'\]"):
        detect_language([RU], ["ru", "xx"])


@pytest.mark.parametrize("label", ["RU", "ru-RU", "rus", "Russian", None, ""])
def test_russian_document_mislabelled_or_unlabelled_is_coded_gh21(label):
    # every spelling, a missing label and an empty one: the Russian lists are used
    coded = code_frames(_corpus([RU], language=[label]), _cb())
    assert _counts(coded) == {("d0", "ceasefire"): 1, ("d0", "talks"): 1}
    assert coded.languages.tolist() == ["ru"]


def test_lang_column_is_used_by_code_frames_gh21():
    coded = code_frames(_corpus([RU, UK], lang=["RU", "ukr"]), _cb())
    assert coded.languages.tolist() == ["ru", "uk"]


def test_string_dtype_missing_labels_are_detected_gh21():
    corpus = _corpus([RU, EN], language=pd.array([pd.NA, "EN"], dtype="string"))
    assert code_frames(corpus, _cb()).languages.tolist() == ["ru", "en"]


def test_russian_document_without_language_column_is_detected_gh21(caplog):
    with caplog.at_level("WARNING", logger="framelab.coding"):
        coded = code_frames(_corpus([RU, UK, EN]), _cb())
    assert coded.languages.tolist() == ["ru", "uk", "en"]
    assert set(_counts(coded).values()) == {1}
    assert "3 document(s) had no language label; detected among en, ru, uk: en 1, ru 1, uk 1." in (
        caplog.text
    )


def test_cyrillic_document_labelled_en_warns_with_counts_gh21(caplog):
    with caplog.at_level("WARNING", logger="framelab.coding"):
        coded = code_frames(_corpus([RU, RU, EN], language=["en", "en", "en"]), _cb())
    assert coded.hits["doc_id"].tolist() == ["d2", "d2"]  # the label is respected ...
    # ... but not silently
    assert "2 document(s) written in Cyrillic are coded with the 'en' term lists" in caplog.text


def test_ukrainian_document_labelled_ru_warns_gh21(caplog):
    with caplog.at_level("WARNING", logger="framelab.coding"):
        code_frames(_corpus([UK, RU], language=["ru", "ru"]), _cb())
    assert "1 document(s) labelled 'ru' read as 'uk' (detected)" in caplog.text


def test_missing_entries_warning_ignores_english_regexes_gh21(caplog):
    # frame ceasefire has a regex (language-independent) but no Russian entries: it used to
    # count as having 'ru' entries, so the warning named only the other frame
    cb = _cb(
        ceasefire={"terms": ["truce"], "regex": [r"\bcease[- ]?fire\b"]},
        talks={"terms": ["talks"]},
        other={"terms": {"en": ["envoy"], "ru": ["посланник"]}},
    )
    with caplog.at_level("WARNING", logger="framelab.coding"):
        code_frames(_corpus([RU], language=["ru"]), cb)
    assert re.search(r"no 'ru' entries for frame\(s\) ceasefire, talks;", caplog.text)


def test_coverage_counts_hits_in_the_document_language_gh21():
    # "переговор*" is spelled the same in the ru and uk lists: a Russian corpus fires only ru
    coded = code_frames(_corpus([RU], language=["ru"]), _cb())
    cov = codebook_coverage(coded)
    talks = cov[cov["frame"] == "talks"].set_index("language")["hits"].to_dict()
    assert talks == {"en": 0, "ru": 1, "uk": 0}


def test_load_corpus_language_constant_detect_and_lang_column_gh21(tmp_path):
    path = tmp_path / "news.csv"
    pd.DataFrame({"id": ["1", "2"], "body": [RU, UK], "lang": ["RU", "ukr"]}).to_csv(
        path, index=False
    )
    picked = load_corpus(path, doc_id="id", text="body")
    assert picked["language"].tolist() == ["ru", "uk"]
    constant = load_corpus(path, doc_id="id", text="body", language="Russian")
    assert constant["language"].tolist() == ["ru", "ru"]
    detected = load_corpus(path, doc_id="id", text="body", language="detect")
    assert detected["language"].tolist() == ["ru", "uk"]
    with pytest.raises(KeyError, match=r"language='langg' is neither a column.*'lang'"):
        load_corpus(path, doc_id="id", text="body", language="langg")


@pytest.mark.parametrize("apostrophe", ["'", "\u2019", "\u02bc", "\u2018", "`", "\u00b4"])
def test_ukrainian_apostrophes_are_one_token_gh21(apostrophe):
    from framelab.text import normalize_token, token_spans

    word = f"м{apostrophe}ясорубка"
    text = f"Бахмутська {word} триває."
    assert [t for t, _, _ in token_spans(text)] == ["Бахмутська", word, "триває", "."]
    assert normalize_token(word) == "м'ясорубка"
    cb = _cb(grind={"terms": {"uk": ["м'ясорубк*", "мʼясорубка"]}})
    coded = code_frames(_corpus([text], language=["uk"]), cb)
    assert coded.hits[["term", "start", "end"]].values.tolist() == [["м'ясорубк*", 11, 21]]


def test_phrase_gaps_allow_up_to_k_tokens_gh21():
    cb = _cb(nato={"phrases": {"uk": ["вступ* ~2 НАТО"], "en": ["join* ~2 NATO"]}})
    texts = [
        "вступ України до НАТО",  # 2 tokens between
        "вступ до НАТО",  # 1
        "вступ України і Грузії до НАТО",  # 4: too far
        "вступ України. НАТО",  # a sentence end in the gap
        "Ukraine joins NATO",  # 0
        "join the alliance, not NATO",  # 3
    ]
    coded = code_frames(_corpus(texts, language=["uk"] * 4 + ["en"] * 2), cb)
    assert coded.hits[["doc_id", "start", "end"]].values.tolist() == [
        ["d0", 0, 21],
        ["d1", 0, 13],
        ["d4", 8, 18],
    ]


@pytest.mark.parametrize("bad", ["~2 НАТО", "вступ ~2", "вступ ~0 НАТО", "вступ ~x НАТО"])
def test_phrase_gap_syntax_errors_gh21(bad):
    from framelab.codebook import CodebookError

    with pytest.raises(CodebookError, match="a gap '~k'"):
        _cb(nato={"phrases": [bad]})


def test_context_rule_uses_a_token_window_without_paragraph_breaks_gh21(caplog):
    cb = _cb(talks={"ambiguous": {"ru": ["переговор*"]}, "context": {"ru": ["Кремль"]}})
    filler = " ".join(["слово"] * 45)
    far = f"Кремль заявил. {filler} Переговоры о зарплатах."  # cue 48 tokens before the hit
    near = f"{filler} Кремль: переговоры идут."  # cue 2 tokens before
    split = f"Кремль заявил.\n\n{filler} Переговоры о зарплатах."  # another paragraph
    with caplog.at_level("WARNING", logger="framelab.coding"):
        coded = code_frames(_corpus([far, near, split], language=["ru"] * 3), cb)
    assert coded.hits["doc_id"].tolist() == ["d1"]
    assert "2 of 3 document(s) have no paragraph breaks" in caplog.text
    assert "within 40 tokens" in caplog.text


def test_lemma_entries_match_inflections_and_block_senses_gh21():
    cb = _cb(
        concessions={
            "terms": {"ru": ["lemma:уступить", "lemma:генерал"], "uk": ["lemma:поступитися"]},
            "exclude": {"ru": ["lemma:генеральный"]},
            "exclude_window": 0,
        }
    )
    texts = [
        "Киев не уступит. Москва уступила? Генерал молчал, генерального директора сменили.",
        "Україна не поступиться територіями; Київ поступився б лише під тиском.",
        "Уступка и уступчивость.",  # other lemmas: no hit
    ]
    coded = code_frames(_corpus(texts, language=["ru", "uk", "ru"]), cb)
    got = [(h.doc_id, texts[int(h.doc_id[1])][h.start : h.end]) for h in coded.hits.itertuples()]
    assert got == [
        ("d0", "уступит"),
        ("d0", "уступила"),
        ("d0", "Генерал"),
        ("d1", "поступиться"),
        ("d1", "поступився"),
    ]


def test_lemma_entries_errors_gh21():
    from framelab.codebook import CodebookError

    with pytest.raises(CodebookError, match="a 'lemma:' entry is one word"):
        _cb(c={"phrases": {"ru": ["lemma:уступить территории"]}})
    with pytest.raises(CodebookError, match="'lemma:' entries work for ru, uk only"):
        code_frames(_corpus([EN], language=["en"]), _cb(c={"terms": ["lemma:concede"]}))
