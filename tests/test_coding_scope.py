"""Sentence-level scope, per frame and per language (issue 21).

The expected hits are worked out by hand from the sentence definition in
``docs/codebook_format.md``: a sentence starts at the document start, at a token with a line
break in the whitespace before it, and at the token after ``. ! ? … ;``; a hit is in scope when
a scope cue of its frame starts in the hit's sentence. The texts are written for the tests.
"""

from __future__ import annotations

from dataclasses import replace
from unittest import mock

import pandas as pd
import pytest

from framelab import _tokens, coding
from framelab._codebook_rules import frame_scope_level
from framelab._coded_cache import codebook_sha256
from framelab.codebook import Codebook, CodebookError
from framelab.coding import code_frames

#: hand-made documents; the comments give the ceasefire hits' out_of_scope at sentence level
TEXTS = [
    "Kyiv wants a ceasefire. Chisinau signed a ceasefire.",  # False (cue in it), True
    "Ukraine held talks\nMoldova: a ceasefire",  # True: the cue is on the line before
    "A ceasefire, Kyiv said; a ceasefire in Moldova.",  # False (cue after it), True (after ;)
    "Kyiv\n\nA ceasefire",  # True: another paragraph
]
SENTENCE = [False, True, True, False, True, True]
PARAGRAPH = [False, False, False, False, False, True]
DOCUMENT = [False] * 6


def _corpus(*texts, **cols):
    return pd.DataFrame(
        {"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts), **cols}
    )


def _book(level="sentence", frame_scope=None) -> Codebook:
    frame = {"terms": {"en": ["ceasefire"], "ru": ["перемири*"]}}
    if frame_scope is not None:
        frame["scope"] = frame_scope
    return Codebook.from_dict(
        {
            "name": "s",
            "version": "1",
            "scope": {
                "cues": {"en": ["Ukrain*", "Kyiv"], "ru": ["Украин*", "Киев*"]},
                "level": level,
            },
            "frames": {"cf": frame},
        }
    )


def _flags(coded) -> list[bool]:
    return coded.hits["out_of_scope"].tolist()


# ------------------------------------------------------------------------ the rule


@pytest.mark.parametrize(
    ("level", "expected"),
    [("sentence", SENTENCE), ("paragraph", PARAGRAPH), ("document", DOCUMENT)],
)
def test_sentence_scope_needs_the_cue_in_the_hits_sentence_gh21(level, expected):
    coded = code_frames(_corpus(*TEXTS), _book(level))
    assert coded.hits[["doc_id", "start", "end"]].values.tolist() == [
        ["d0", 13, 22],
        ["d0", 42, 51],
        ["d1", 30, 39],
        ["d2", 2, 11],
        ["d2", 26, 35],
        ["d3", 8, 17],
    ]
    assert _flags(coded) == expected
    # the codes count only the in-scope hits
    counts = coded.to_wide().set_index("unit_id")["cf"].tolist()
    assert counts == [
        sum(not f for f, d in zip(expected, [0, 0, 1, 2, 2, 3], strict=True) if d == k)
        for k in range(4)
    ]


def test_sentence_scope_on_the_russian_news_of_another_country_gh21():
    # the case of issue 21: the document names Ukraine, the hit's sentence is Moldova's own
    text = (
        "Украина и Россия обменялись пленными. Молдавия объявила перемирие в Приднестровье.\n"
        "Киев предложил перемирие."
    )
    coded = code_frames(_corpus(text, language=["ru"]), _book())
    hits = coded.hits
    assert [text[s:e] for s, e in zip(hits["start"], hits["end"], strict=True)] == [
        "перемирие",
        "перемирие",
    ]
    assert _flags(coded) == [True, False]
    assert _flags(code_frames(_corpus(text, language=["ru"]), _book("document"))) == [False, False]


def test_per_language_level_ru_sentence_en_document_in_one_codebook_gh21():
    cb = _book("document", frame_scope={"level": {"ru": "sentence"}})
    frame = cb.frames["cf"]
    assert frame.scope is None and dict(frame.scope_level) == {"ru": "sentence"}
    assert frame_scope_level(cb, frame, "ru") == "sentence"
    assert frame_scope_level(cb, frame, "en") == "document"
    assert frame_scope_level(cb, frame, "uk") == "document"
    corpus = _corpus(
        "Kyiv wants peace. Chisinau signed a ceasefire.",
        "Киев хочет мира. Кишинёв подписал перемирие.",
        "Перемирие, заявил Киев.",
        language=["en", "ru", "ru"],
    )
    coded = code_frames(corpus, cb)
    assert coded.hits[["doc_id", "out_of_scope"]].values.tolist() == [
        ["d0", False],  # en: document level, Kyiv is in the document
        ["d1", True],  # ru: sentence level, Киев is in the sentence before
        ["d2", False],  # ru: the cue after the hit in its sentence
    ]


def test_block_form_without_cues_uses_the_codebooks_cues_at_the_frames_level_gh21():
    cb = _book("document", frame_scope={"level": "sentence"})
    assert cb.frames["cf"].scope is None and dict(cb.frames["cf"].scope_level) == {"*": "sentence"}
    assert _flags(code_frames(_corpus(*TEXTS), cb)) == SENTENCE
    own = _book("document", frame_scope={"cues": ["Moldov*"], "level": "sentence"})
    assert dict(own.frames["cf"].scope) == {"en": ("Moldov*",)}
    coded = code_frames(_corpus("Moldova wants a ceasefire. Kyiv signed a ceasefire."), own)
    assert _flags(coded) == [False, True]
    # a per-language mapping of cues stays one, even with a code close to a block key
    by_lang = _book("document", frame_scope={"cu": ["Kyiv"], "en": ["Moldov*"]})
    assert dict(by_lang.frames["cf"].scope) == {"cu": ("Kyiv",), "en": ("Moldov*",)}
    assert by_lang.frames["cf"].scope_level is None
    # the short form keeps meaning "cues, the codebook's level"
    short = _book("sentence", frame_scope=["Moldov*"])
    assert short.frames["cf"].scope_level is None
    coded = code_frames(_corpus("Moldova wants a ceasefire. Kyiv signed a ceasefire."), short)
    assert _flags(coded) == [False, True]
    # a frame at paragraph level next to one at sentence level sharing the codebook's cues
    mixed = Codebook.from_dict(
        {
            "name": "m",
            "version": "1",
            "scope": {"cues": ["Kyiv"], "level": "sentence"},
            "frames": {
                "cf": {"terms": ["ceasefire"]},
                "tr": {"terms": ["truce"], "scope": {"level": "paragraph"}},
            },
        }
    )
    coded = code_frames(_corpus("Kyiv spoke. A ceasefire, a truce."), mixed)
    assert coded.hits[["frame", "out_of_scope"]].values.tolist() == [["cf", True], ["tr", False]]


# ------------------------------------------------------------------------ reading and writing


PARENT = """\
name: parent
version: '1'
scope: {cues: [Kyiv], level: document}
frames:
  cf:
    terms: [ceasefire]
    scope: {level: {en: sentence}}
  tr:
    terms: [truce]
    scope: {cues: [Gaza], level: paragraph}
"""

CHILD = """\
name: child
version: '1'
extends: parent.yml
frames:
  cf:
    add: {terms: [armistice]}
  tr:
    scope: [Gaza]
"""


def test_extends_inherits_a_frames_level_and_round_trips_gh21(tmp_path):
    (tmp_path / "parent.yml").write_text(PARENT, encoding="utf-8")
    (tmp_path / "child.yml").write_text(CHILD, encoding="utf-8")
    parent = Codebook.from_yaml(tmp_path / "parent.yml")
    child = Codebook.from_yaml(tmp_path / "child.yml")
    assert dict(child.frames["cf"].scope_level) == {"en": "sentence"}  # inherited with add:
    assert child.frames["cf"].scope is None
    assert child.frames["tr"].scope_level is None  # its own scope: replaces cues and level
    assert dict(child.frames["tr"].scope) == {"en": ("Gaza",)}
    assert parent.to_dict()["frames"]["cf"]["scope"] == {"level": {"en": "sentence"}}
    assert parent.to_dict()["frames"]["tr"]["scope"] == {
        "cues": {"en": ["Gaza"]},
        "level": "paragraph",
    }
    assert child.to_dict()["frames"]["tr"]["scope"] == {"en": ["Gaza"]}  # the short form
    for book in (parent, child):
        again = Codebook.from_dict(book.to_dict())
        assert again.frames == book.frames and again.scope == book.scope
        written = Codebook.from_yaml(book.to_yaml(tmp_path / f"{book.name}-out.yml"))
        assert written.frames == book.frames and written.scope == book.scope
    # a codebook-wide level without codebook cues survives the round trip too
    levelled = Codebook.from_dict(
        {
            "name": "l",
            "version": "1",
            "scope": {"level": "sentence"},
            "frames": {"cf": {"terms": ["ceasefire"], "scope": ["Kyiv"]}},
        }
    )
    again = Codebook.from_dict(levelled.to_dict())
    assert again.scope.level == "sentence" and again.frames == levelled.frames


def _yaml(tmp_path, scope: str, top: str = "document"):
    path = tmp_path / "bad.yml"
    path.write_text(
        "name: s\n"  # line 1
        "version: '1'\n"
        f"scope: {{cues: [Kyiv], level: {top}}}\n"  # line 3
        "frames:\n"
        "  cf:\n"
        "    terms: [ceasefire]\n"
        f"    scope:\n{scope}",  # line 7; the block from line 8
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("scope", "top", "message"),
    [
        (
            "      levle: sentence\n",
            "document",
            r"line 8, .*frames\.cf\.scope\.levle: unknown key 'levle'\. Did you mean 'level'\?"
            r" Allowed keys: cues, level, without\.",
        ),
        (
            "      cue: [Moldova]\n",
            "document",
            r"line 8, .*frames\.cf\.scope\.cue: unknown key 'cue'\. Did you mean 'cues'\?",
        ),
        (
            "      cues: [Moldova]\n      ru: [Молдав*]\n",
            "document",
            r"line 9, .*frames\.cf\.scope\.ru: unknown key 'ru'\. Allowed keys: cues, level, without\.",
        ),
        (
            "      level: sentense\n",
            "document",
            r"line 8, .*frames\.cf\.scope\.level: level must be one of document, paragraph, "
            r"sentence, got 'sentense'\. Did you mean 'sentence'\?",
        ),
        (
            "      level: {ru: sentense}\n",
            "document",
            r"line 8, .*frames\.cf\.scope\.level\.ru: level must be one of .* got 'sentense'\. "
            r"Did you mean 'sentence'\?",
        ),
        (
            "      level: {ua: sentence}\n",
            "document",
            r"line 8, .*frames\.cf\.scope\.level\.ua: 'ua' is not a language code.*"
            r"Did you mean 'uk'\?",
        ),
        (
            "      level: [sentence]\n",
            "document",
            r"line 8, .*frames\.cf\.scope\.level: expected a level \(document, paragraph, "
            r"sentence\) or a mapping by language such as \{ru: sentence\}; got list\.",
        ),
        (
            "      cues: Moldova\n",
            "document",
            r"line 8, .*frames\.cf\.scope\.cues: expected a list of patterns, got the single "
            r"string 'Moldova'",
        ),
        (
            "      level: sentence\n",
            "sentense",
            r"line 3, .*scope\.level: level must be one of document, paragraph, sentence, got "
            r"'sentense'\. Did you mean 'sentence'\?",
        ),
    ],
)
def test_scope_blocks_are_validated_with_file_line_and_suggestion_gh21(
    tmp_path, scope, top, message
):
    path = _yaml(tmp_path, scope, top)
    with pytest.raises(CodebookError, match=message) as err:
        Codebook.from_yaml(path)
    assert str(path) in str(err.value)


# ------------------------------------------------------------------------ Dask, cache, recode


def test_dask_equals_pandas_for_a_sentence_level_codebook_gh21(tmp_path):
    import dask.dataframe as dd

    from framelab.scale import code_frames_dask

    corpus = _corpus(*TEXTS)
    cb = _book("sentence")
    memory = code_frames(corpus, cb)
    assert _flags(memory) == SENTENCE
    result = code_frames_dask(dd.from_pandas(corpus, npartitions=2), cb, out=tmp_path)
    for table in ("codes", "hits", "units"):
        pd.testing.assert_frame_equal(
            result.to_pandas(table), getattr(memory, table), check_exact=True
        )


def test_a_level_change_misses_the_coded_table_cache_gh21(tmp_path):
    corpus = _corpus(*TEXTS)
    document, sentence = _book("document"), _book("sentence")
    frame_level = _book("document", frame_scope={"level": "sentence"})
    keys = {codebook_sha256(cb) for cb in (document, sentence, frame_level)}
    assert len(keys) == 3
    assert _flags(code_frames(corpus, document, cache_dir=tmp_path)) == DOCUMENT
    got = code_frames(corpus, sentence, cache_dir=tmp_path)
    own = code_frames(corpus, frame_level, cache_dir=tmp_path)
    assert _flags(got) == SENTENCE and _flags(own) == SENTENCE
    entries = [p for p in tmp_path.iterdir() if p.name != "languages"]  # (detected languages)
    assert len(entries) == 3
    with mock.patch.object(coding, "_code", side_effect=AssertionError("coded again")):
        assert _flags(code_frames(corpus, sentence, cache_dir=tmp_path)) == SENTENCE


def test_recode_notices_a_level_change_gh21():
    corpus = _corpus(*TEXTS)
    coded = code_frames(corpus, _book("document"))
    # the codebook's level: every frame is matched again
    again = coded.recode(_book("sentence"))
    assert _flags(again) == SENTENCE
    pd.testing.assert_frame_equal(again.hits, code_frames(corpus, _book("sentence")).hits)
    # one frame's own level: that frame is matched again, the other frame's hits are kept
    two = replace(
        _book("document"),
        frames={
            "cf": _book("document").frames["cf"],
            "tr": replace(_book("document").frames["cf"], id="tr", terms={"en": ("truce",)}),
        },
    )
    coded = code_frames(_corpus(*TEXTS, "A truce. Kyiv"), two)
    edited = replace(
        two, frames={**two.frames, "cf": replace(two.frames["cf"], scope_level={"*": "sentence"})}
    )
    matched = []
    real = _tokens.match_hits

    def spy(tok, codebook, *args, **kwargs):
        matched.append(tuple(codebook.frames))
        return real(tok, codebook, *args, **kwargs)

    with mock.patch.object(_tokens, "match_hits", side_effect=spy):
        again = coded.recode(edited)
    assert matched == [("cf",)]
    assert again.hits[["frame", "out_of_scope"]].values.tolist() == [
        *[["cf", f] for f in SENTENCE],
        ["tr", False],
    ]
    pd.testing.assert_frame_equal(
        again.hits, code_frames(_corpus(*TEXTS, "A truce. Kyiv"), edited).hits
    )
