"""Regexes by language in codebooks (issue 21): YAML forms, extends, the Frame model, and how
coding, coverage, the cache key and recode treat them."""

from __future__ import annotations

import logging
import textwrap
from dataclasses import replace
from unittest import mock

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelab import _engine
from framelab._coded_cache import codebook_sha256
from framelab.codebook import Codebook, CodebookError, Frame
from framelab.coding import code_frames, codebook_coverage

FREEZE_EN = r"\bfreez(?:e|es|ing)\s+(?:\w+\s+){0,3}?front[\s-]?lines?\b"
FREEZE_RU = r"\bзамороз\w*\s+(?:\w+\s+){0,3}?(?:конфликт\w*|лини\w+\s+фронта)"
STALEMATE = r"\bstalemate\b"
EN = "Kyiv refused to freeze the front lines. A stalemate."
RU = "Москва предлагает заморозить конфликт. Это stalemate, пишут аналитики."
RU_CAPS = "ЗАМОРОЗКА КОНФЛИКТА обсуждается. Заморозить линии фронта нельзя."


def _write(tmp_path, text, name="cb.yml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _book(regex, **frame):
    spec = {"terms": {"en": ["deadlock"], "ru": ["тупик"]}, "regex": regex, **frame}
    return Codebook.from_dict({"name": "rx", "version": "1", "frames": {"stalemate": spec}})


def _corpus(texts, langs):
    ids = [f"d{i}" for i in range(len(texts))]
    return pd.DataFrame({"doc_id": ids, "text": texts, "language": langs})


def _hits(coded):
    return [(h.doc_id, h.frame, h.term, h.start, h.end) for h in coded.hits.itertuples()]


# ----------------------------------------------------------------------------- YAML forms


def test_regex_list_applies_to_every_language_gh21():
    frame = _book([STALEMATE]).frames["stalemate"]
    assert frame.regex == (STALEMATE,)
    assert dict(frame.regex_by_language) == {}
    assert frame.regex_for("ru") == frame.regex_for("en") == (STALEMATE,)


def test_regex_mapping_is_per_language_in_file_order_gh21():
    frame = _book({"*": [STALEMATE], "en": [FREEZE_EN], "ru": [FREEZE_RU, r"\bтупик\w*"]}).frames[
        "stalemate"
    ]
    assert frame.regex == (STALEMATE,)
    assert frame.regex_for("en") == (STALEMATE, FREEZE_EN)
    assert frame.regex_for("ru") == (STALEMATE, FREEZE_RU, r"\bтупик\w*")
    assert frame.regex_for("uk") == (STALEMATE,)
    assert frame.languages == ("en", "ru")


def test_regex_mapping_read_from_yaml_gh21(tmp_path):
    path = _write(
        tmp_path,
        r"""
        name: m
        version: '1'
        frames:
          stalemate:
            regex:
              en: ['\bfreez(?:e|es|ing)\s+(?:\w+\s+){0,3}?front[\s-]?lines?\b']
              ru: ['\bзамороз\w*\s+(?:\w+\s+){0,3}?(?:конфликт\w*|лини\w+\s+фронта)']
        """,
    )
    frame = Codebook.from_yaml(path).frames["stalemate"]
    assert frame.regex == ()
    assert dict(frame.regex_by_language) == {"en": (FREEZE_EN,), "ru": (FREEZE_RU,)}


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("RU", "Did you mean 'ru'?"),
        ("Russian", "Did you mean 'ru'?"),
        ("ru-RU", "Did you mean 'ru'?"),
        ("r1", ""),
    ],
)
def test_regex_language_key_checked_with_file_line_and_fix_gh21(tmp_path, key, hint):
    path = _write(
        tmp_path,
        f"""\
        name: m
        version: '1'
        frames:
          stalemate:
            terms: [stalemate]
            regex:
              en: ['\\bdeadlock']
              {key}: ['\\bтупик']
        """,
        name="mine.yml",
    )
    with pytest.raises(CodebookError) as err:
        Codebook.from_yaml(path)
    where, message = str(err.value).split(": ", 1)
    assert where == f"{tmp_path / 'mine.yml'}, line 8, column 7"
    assert message == (
        f"frames.stalemate.regex.{key}: {key!r} is not a language code: the keys of a regex "
        "mapping (or '*' for every language) are ISO 639-1 codes such as en, ru, uk."
        + (f" {hint}" if hint else "")
    )


def test_term_list_language_key_checked_like_regex_keys_gh21(tmp_path):
    # a term list under "RU" used to load and then never match: documents are labelled "ru"
    path = _write(
        tmp_path,
        """\
        name: m
        version: '1'
        frames:
          talks:
            terms: {en: [talks], RU: [переговор*]}
        """,
        name="mine.yml",
    )
    with pytest.raises(
        CodebookError,
        match=r"mine\.yml, line 5, column \d+: frames\.talks\.terms\.RU: 'RU' is not a language "
        r"code: .* ISO 639-1 codes such as en, ru, uk\. Did you mean 'ru'\?",
    ):
        Codebook.from_yaml(path)


@pytest.mark.parametrize(("value", "hint"), [("RU", "ru"), ("ru-RU", "ru"), ("ua", "uk")])
def test_codebook_language_is_checked_like_list_keys_gh21(tmp_path, value, hint):
    # `language: RU` filed the flat lists under "RU": they loaded and never matched a document
    # labelled "ru" (a silent zero)
    path = _write(
        tmp_path,
        f"""\
        name: m
        version: '1'
        language: {value}
        frames:
          talks:
            terms: [переговор*]
        """,
        name="mine.yml",
    )
    with pytest.raises(
        CodebookError,
        match=rf"mine\.yml, line 3, column \d+: language: '{value}' is not a language code: .* "
        rf"ISO 639-1 codes such as en, ru, uk\. Did you mean '{hint}'\?",
    ):
        Codebook.from_yaml(path)
    text = path.read_text().replace(f"language: {value}", f"language: {hint}")
    ok = Codebook.from_yaml(_write(tmp_path, text))
    assert (ok.language, dict(ok.frames["talks"].terms)) == (hint, {hint: ("переговор*",)})


def test_unquoted_no_language_key_is_explained_gh21(tmp_path):
    # YAML 1.1 reads an unquoted `no:` key (Norwegian) as the boolean false
    path = _write(
        tmp_path,
        """\
        name: m
        version: '1'
        frames:
          talks:
            terms: {en: [talks], no: [forhandling*]}
        """,
        name="mine.yml",
    )
    with pytest.raises(
        CodebookError,
        match=r"mine\.yml, line 5, column \d+: frames\.talks\.terms\.False: False is not a "
        r"language code: YAML reads an unquoted no, yes, on or off as false\. Quote the key "
        r"\('no': \[\.\.\.\] for Norwegian\)\.",
    ):
        Codebook.from_yaml(path)
    quoted = Codebook.from_yaml(_write(tmp_path, path.read_text().replace(" no:", " 'no':")))
    assert dict(quoted.frames["talks"].terms) == {"en": ("talks",), "no": ("forhandling*",)}


def test_bad_pattern_under_a_language_key_names_file_line_and_key_gh21(tmp_path):
    path = _write(
        tmp_path,
        """\
        name: m
        version: '1'
        frames:
          stalemate:
            terms: [stalemate]
            regex:
              ru: ['\\bтупик', '(\\w+\\s?)+$']
        """,
        name="mine.yml",
    )
    with pytest.raises(
        CodebookError,
        match=r"mine\.yml, line 7, column \d+: frames\.stalemate\.regex\.ru\.1: regex .* rejected: "
        r"nested quantifier.* Rewrite it",
    ):
        Codebook.from_yaml(path)


def test_regex_value_of_the_wrong_type_is_refused_gh21():
    with pytest.raises(CodebookError, match=r"regex\.ru: expected a list of regexes, got int"):
        _book({"ru": 3})


def test_character_class_regex_is_checked_instead_of_crashing_gh21():
    # a range such as [а-я] made the backtracking check raise TypeError ('ß'.upper() == 'SS')
    frame = _book({"ru": [r"\bзамороз[а-яё]*\s+конфликт[а-я]*"]}).frames["stalemate"]
    assert frame.regex_for("ru") == (r"\bзамороз[а-яё]*\s+конфликт[а-я]*",)
    with pytest.raises(CodebookError, match="chained repeats"):
        _book({"ru": [r"[а-я]*[а-я]*[а-я]*x$"]})


# ----------------------------------------------------------------------------- extends


PARENT = r"""
name: parent
version: '1'
frames:
  stalemate:
    terms: [stalemate]
    regex: ['\bdeadlock\w*']
  freeze:
    terms: [freeze]
    regex:
      en: ['\bfrozen\s+conflict']
      ru: ['\bзамороженн\w+\s+конфликт']
"""


def _child(tmp_path, body):
    _write(tmp_path, PARENT, name="parent.yml")
    head = "name: child\nversion: '1'\nextends: parent.yml\nframes:\n"
    return _write(tmp_path, head + textwrap.indent(textwrap.dedent(body), "  "), name="child.yml")


def test_extends_add_both_forms_gh21(tmp_path):
    path = _child(
        tmp_path,
        r"""
          stalemate:
            add: {regex: {ru: ['\bтупик\w*']}}
          freeze:
            add: {regex: ['\bcold\s+peace', '\bfrozen\s+conflict']}
        """,
    )
    cb = Codebook.from_yaml(path)
    st, fr = cb.frames["stalemate"], cb.frames["freeze"]
    assert st.regex == (r"\bdeadlock\w*",) and dict(st.regex_by_language) == {
        "ru": (r"\bтупик\w*",)
    }
    # a pattern added for every language leaves the language's own list (it already applies)
    assert fr.regex == (r"\bcold\s+peace", r"\bfrozen\s+conflict")
    assert dict(fr.regex_by_language) == {"ru": (r"\bзамороженн\w+\s+конфликт",)}
    assert fr.regex_for("en") == (r"\bcold\s+peace", r"\bfrozen\s+conflict")


def test_extends_remove_per_language_and_as_list_gh21(tmp_path):
    path = _child(
        tmp_path,
        r"""
          stalemate:
            remove: {regex: ['\bdeadlock\w*']}
          freeze:
            remove: {regex: {ru: ['\bзамороженн\w+\s+конфликт']}}
        """,
    )
    cb = Codebook.from_yaml(path)
    assert cb.frames["stalemate"].regex_for("en") == ()
    assert cb.frames["freeze"].regex_for("ru") == ()
    assert cb.frames["freeze"].regex_for("en") == (r"\bfrozen\s+conflict",)


@pytest.mark.parametrize(
    ("child", "message"),
    [
        # removing a per-language regex as if it applied to every language used to do nothing
        (
            "freeze:\n  remove: {regex: ['\\bfrozen\\s+conflict']}\n",
            r"child\.yml, line 6, .*frames\.freeze\.remove\.regex: cannot remove "
            r"\['\\\\bfrozen\\\\s\+conflict'\]: not among the parent's regexes for every "
            r"language\. It is a regex of en: remove it under regex: \{en: \[\.\.\.\]\}\.",
        ),
        (
            "stalemate:\n  remove: {regex: {ru: ['\\bdeadlock\\w*']}}\n",
            r"remove\.regex\.ru: cannot remove .*: not among the parent's regexes for language "
            r"'ru'\. It is a regex of every language: remove it as a list, regex: \[\.\.\.\]\.",
        ),
        (
            "freeze:\n  remove: {regex: {uk: ['\\bx']}}\n",
            r"frames\.freeze\.remove\.regex\.uk: cannot remove \['\\\\bx'\]: not among the "
            r"parent's regexes for language 'uk'\. Check the spelling",
        ),
    ],
)
def test_extends_remove_of_a_regex_the_parent_lacks_is_an_error_gh21(tmp_path, child, message):
    with pytest.raises(CodebookError, match=message):
        Codebook.from_yaml(_child(tmp_path, child))


# ----------------------------------------------------------------------------- data model


def test_frame_built_in_python_keeps_the_tuple_form_gh21():
    frame = Frame("f", "F", regex=(STALEMATE,))
    assert frame.regex == (STALEMATE,) and frame.regex_for("ru") == (STALEMATE,)
    both = Frame("f", "F", regex={"*": [STALEMATE], "ru": [FREEZE_RU]})
    assert both == Frame("f", "F", regex=[STALEMATE], regex_by_language={"ru": [FREEZE_RU]})
    assert both == Frame("f", "F", regex_by_language={"*": STALEMATE, "ru": FREEZE_RU})
    assert both.regex_by_language["ru"] == (FREEZE_RU,)  # a string is one pattern
    with pytest.raises(CodebookError, match=r"Frame\(\): frame 'f': regex .* rejected"):
        Frame("f", "F", regex_by_language={"ru": [r"(\w+\s?)+$"]})


def test_to_dict_round_trip_keeps_the_list_form_gh21(tmp_path):
    plain = _book([STALEMATE])
    assert plain.to_dict()["frames"]["stalemate"]["regex"] == [STALEMATE]
    text = plain.to_yaml(tmp_path / "plain.yml").read_text(encoding="utf-8")
    assert "  regex:\n    - \\bstalemate\\b\n" in text  # exactly as before issue 21
    by_lang = _book({"ru": [FREEZE_RU]})
    assert by_lang.to_dict()["frames"]["stalemate"]["regex"] == {"ru": [FREEZE_RU]}
    both = _book({"*": [STALEMATE], "en": [FREEZE_EN], "ru": [FREEZE_RU]})
    assert both.to_dict()["frames"]["stalemate"]["regex"] == {
        "*": [STALEMATE],
        "en": [FREEZE_EN],
        "ru": [FREEZE_RU],
    }
    for cb in (plain, by_lang, both):
        assert Codebook.from_yaml(cb.to_yaml(tmp_path / "rt.yml")) == replace(
            cb, source=str(tmp_path / "rt.yml")
        )


_PATTERNS = [STALEMATE, FREEZE_EN, FREEZE_RU, r"\bтупик\w*", r"\bcold\s+peace"]
_regex_values = st.one_of(
    st.lists(st.sampled_from(_PATTERNS), min_size=1, max_size=3, unique=True),
    st.dictionaries(
        st.sampled_from(["*", "en", "ru", "uk"]),
        st.lists(st.sampled_from(_PATTERNS), min_size=1, max_size=3, unique=True),
        min_size=1,
    ),
)


@settings(max_examples=60, deadline=None)
@given(regex=_regex_values)
def test_regex_forms_survive_a_yaml_round_trip_gh21(tmp_path_factory, regex):
    cb = _book(regex)
    again = Codebook.from_yaml(cb.to_yaml(tmp_path_factory.mktemp("rt") / "cb.yml"))
    assert again.frames == cb.frames
    # what each language is matched with, worked out from the drawn value
    every = regex if isinstance(regex, list) else regex.get("*", [])
    for lang in ("en", "ru", "uk", "de"):
        own = [] if isinstance(regex, list) else regex.get(lang, [])
        want = (*every, *[p for p in own if p not in every])
        assert again.frames["stalemate"].regex_for(lang) == want
    written = cb.to_dict()["frames"]["stalemate"]["regex"]
    # a list exactly when no language has a regex of its own (beyond those of every language)
    own_any = isinstance(regex, dict) and any(
        p not in every for lang, pats in regex.items() if lang != "*" for p in pats
    )
    assert isinstance(written, list) != own_any


def test_n_entries_counts_the_regexes_of_the_language_gh21():
    frame = _book({"*": [STALEMATE], "en": [FREEZE_EN], "ru": [FREEZE_RU, r"\bтупик\w*"]}).frames[
        "stalemate"
    ]
    # terms: 1 en + 1 ru; regexes: 1 every language, 1 en, 2 ru
    assert frame.n_entries("en") == 1 + 1 + 1
    assert frame.n_entries("ru") == 1 + 1 + 2
    assert frame.n_entries("uk") == 1
    assert frame.n_entries() == 2 + 1 + 1 + 2


def test_summary_and_entries_tables_name_the_regex_language_gh21():
    cb = _book({"*": [STALEMATE], "ru": [FREEZE_RU]})
    assert cb.summary().loc[0, "regex"] == 2
    rows = cb.entries().query("kind == 'regex'")[["language", "pattern"]]
    assert rows.values.tolist() == [["*", STALEMATE], ["ru", FREEZE_RU]]


def test_missing_entries_warning_ignores_other_languages_regexes_gh21(caplog):
    cb = Codebook.from_dict(
        {
            "name": "m",
            "version": "1",
            "frames": {
                "freeze": {"regex": {"en": [FREEZE_EN]}},
                "freeze_ru": {"regex": {"ru": [FREEZE_RU]}},
                "anywhere": {"regex": [STALEMATE]},
            },
        }
    )
    with caplog.at_level(logging.WARNING, logger="framelab.coding"):
        code_frames(_corpus([RU], ["ru"]), cb)
    # an English regex does not make a frame look coded in Russian; a regex of every language
    # in a frame with nothing else does
    assert "has no 'ru' entries for frame(s) freeze; documents" in caplog.text


# ----------------------------------------------------------------------------- coding


def test_ru_regex_fires_on_ru_text_and_never_on_en_text_gh21():
    cb = _book({"en": [FREEZE_EN], "ru": [FREEZE_RU]})
    # the same Russian text labelled en and ru, an English text labelled en and ru
    coded = code_frames(_corpus([RU, RU, EN, EN], ["ru", "en", "en", "ru"]), cb)
    rx = coded.hits[coded.hits["term"].isin([FREEZE_EN, FREEZE_RU])]
    assert [(h.doc_id, h.term, h.start, h.end) for h in rx.itertuples()] == [
        ("d0", FREEZE_RU, 18, 37),  # "заморозить конфликт"
        ("d2", FREEZE_EN, 16, 38),  # "freeze the front lines"
    ]


def test_cyrillic_prefix_optimisation_gives_the_same_hits_gh21():
    assert _engine._regex_prefixes(FREEZE_RU) == ("замороз",)
    assert _engine._regex_prefixes(r"\b(?:Тупик|безвыход\w+)") == ("тупик", "безвыход")
    cb = _book({"ru": [FREEZE_RU, r"\b(?:Тупик|безвыход\w+)\s+\w+"]})
    corpus = _corpus([RU_CAPS, RU, "Безвыходная ситуация и ТУПИК ПЕРЕГОВОРОВ."], ["ru"] * 3)
    fast = code_frames(corpus, cb)
    with mock.patch.object(_engine, "_regex_prefixes", lambda _pattern: None):
        slow = code_frames(corpus, cb)
    assert _hits(fast) == _hits(slow)
    assert [(d, t[:10], s, e) for d, _f, t, s, e in _hits(fast)] == [
        ("d0", "\\bзамороз\\", 0, 19),  # "ЗАМОРОЗКА КОНФЛИКТА"
        ("d0", "\\bзамороз\\", 33, 56),  # "Заморозить линии фронта"
        ("d1", "\\bзамороз\\", 18, 37),  # "заморозить конфликт"
        ("d2", "\\b(?:Тупик", 0, 20),  # "Безвыходная ситуация"
        ("d2", "\\b(?:Тупик", 23, 40),  # "ТУПИК ПЕРЕГОВОРОВ"
    ]


def test_coverage_joins_regex_hits_on_language_gh21():
    cb = _book({"*": [STALEMATE], "en": [FREEZE_EN], "ru": [FREEZE_RU]})
    coded = code_frames(_corpus([EN, RU, RU], ["en", "ru", "ru"]), cb)
    cov = codebook_coverage(coded).query("kind == 'regex'")
    got = {(r.language, r.pattern): (r.hits, r.documents) for r in cov.itertuples()}
    assert got == {("*", STALEMATE): (3, 3), ("en", FREEZE_EN): (1, 1), ("ru", FREEZE_RU): (2, 2)}


def test_cache_key_changes_when_only_a_ru_regex_changes_gh21():
    a = _book({"en": [FREEZE_EN], "ru": [FREEZE_RU]})
    b = _book({"en": [FREEZE_EN], "ru": [FREEZE_RU + r"\b"]})
    same = _book({"en": [FREEZE_EN], "ru": [FREEZE_RU]})
    assert codebook_sha256(a) != codebook_sha256(b)
    assert codebook_sha256(a) == codebook_sha256(same)


def test_recode_after_adding_a_ru_regex_equals_a_fresh_coding_gh21():
    cb = Codebook.from_dict(
        {
            "name": "m",
            "version": "1",
            "frames": {
                "talks": {"terms": {"en": ["talks"], "ru": ["переговор*"]}},
                "freeze": {"terms": {"en": ["freeze"], "ru": ["тупик"]}, "regex": [STALEMATE]},
            },
        }
    )
    corpus = _corpus([EN, RU, RU_CAPS], ["en", "ru", "ru"])
    first = code_frames(corpus, cb)
    frame = cb.frames["freeze"]
    edited = replace(
        cb, frames={**cb.frames, "freeze": replace(frame, regex_by_language={"ru": [FREEZE_RU]})}
    )
    again = first.recode(edited)
    fresh = code_frames(corpus, edited)
    pd.testing.assert_frame_equal(again.hits, fresh.hits)
    pd.testing.assert_frame_equal(again.codes, fresh.codes)
    assert (fresh.hits["term"] == FREEZE_RU).sum() == 3  # d1 once, d2 twice


def test_dask_path_applies_regexes_by_language_and_reruns_on_a_ru_edit_gh21(tmp_path):
    dd = pytest.importorskip("dask.dataframe")
    from framelab.scale import code_frames_dask

    corpus = _corpus([EN, RU, RU_CAPS, EN, RU], ["en", "ru", "ru", "en", "ru"])
    plain = _book({"en": [FREEZE_EN]})
    edited = _book({"en": [FREEZE_EN], "ru": [FREEZE_RU]})
    for cb in (plain, edited):  # same folder: an edit of a ru regex must not reuse partitions
        result = code_frames_dask(dd.from_pandas(corpus, npartitions=2), cb, out=tmp_path)
        memory = code_frames(corpus, cb)
        for table in ("codes", "hits"):
            pd.testing.assert_frame_equal(
                result.to_pandas(table), getattr(memory, table), check_exact=True
            )
    assert (result.to_pandas("hits")["term"] == FREEZE_RU).sum() == 4  # d1, d2 twice, d4
