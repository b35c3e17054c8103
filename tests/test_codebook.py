"""Tests for framelab.codebook: YAML loading, validation messages, inheritance, .dic, shipped."""

from __future__ import annotations

import textwrap
import time
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelab.codebook import (
    Codebook,
    CodebookError,
    CodebookWarning,
    check_regex,
    list_codebooks,
    load_codebook,
    read_dic,
)
from framelab.datasets import FRAMES

DATA = Path(__file__).parent / "data" / "codebooks"


def _write(tmp_path, text, name="cb.yml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_from_yaml_reads_frames_languages_and_negation(tmp_path):
    path = _write(
        tmp_path,
        """\
        name: mini
        version: 2
        negation: {cues: [no, "ruled out"], window: 3, policy: drop}
        frames:
          ceasefire:
            label: Ceasefire
            terms: [truce, armistic*]
            phrases: {en: ["cease fire"], ru: ["прекращени* огня"]}
            exclude: [football]
            examples: ["A truce held."]
        """,
    )
    cb = Codebook.from_yaml(path)
    frame = cb.frames["ceasefire"]
    assert cb.id == "mini@2"
    assert frame.terms == {"en": ("truce", "armistic*")}
    assert frame.phrases == {"en": ("cease fire",), "ru": ("прекращени* огня",)}
    assert frame.languages == ("en", "ru")
    assert (cb.negation.window, cb.negation.policy) == (3, "drop")
    assert cb.negation.cues == {"en": ("no", "ruled out")}


def test_unknown_key_names_file_line_column_and_suggests(tmp_path):
    path = _write(
        tmp_path,
        """\
        name: mini
        version: "1"
        frames:
          ceasefire:
            label: Ceasefire
            term: [truce]
        """,
    )
    with pytest.raises(
        CodebookError,
        match=r"cb.yml, line 6, column 5: frames.ceasefire.term: "
        r"unknown key 'term'. Did you mean 'terms'\?",
    ):
        Codebook.from_yaml(path)


def test_unknown_top_level_key(tmp_path):
    path = _write(tmp_path, "name: m\nversion: '1'\nframe:\n  a: {terms: [x]}\n")
    with pytest.raises(
        CodebookError,
        match=r"line 3, column 1: frame: unknown key 'frame'. "
        r"Did you mean 'frames'\?",
    ):
        Codebook.from_yaml(path)


def test_yaml_syntax_error_has_line(tmp_path):
    path = _write(tmp_path, "name: m\nversion: '1'\nframes:\n  a: {terms: [x]\n")
    with pytest.raises(CodebookError, match=r"cb.yml, line \d+, column \d+: not valid YAML"):
        Codebook.from_yaml(path)


def test_empty_frame_rejected(tmp_path):
    path = _write(tmp_path, "name: m\nversion: '1'\nframes:\n  a:\n    label: A\n    terms: []\n")
    with pytest.raises(CodebookError, match=r"line 4, column 3: frames.a: frame 'a' is empty"):
        Codebook.from_yaml(path)


def test_yaml_booleans_and_numbers_in_pattern_lists_keep_their_text(tmp_path):
    path = _write(
        tmp_path,
        "name: m\nversion: '1'\nnegation: {cues: [no, off, not]}\n"
        "frames:\n  a:\n    terms: [yes, 1990s, 2024]\n",
    )
    cb = Codebook.from_yaml(path)
    assert cb.negation.cues == {"en": ("no", "off", "not")}
    assert cb.frames["a"].terms == {"en": ("yes", "1990s", "2024")}
    with pytest.raises(CodebookError, match="patterns must be non-empty strings; got \\[False\\]"):
        Codebook.from_dict({"name": "m", "version": "1", "frames": {"a": {"terms": [False]}}})


def test_single_string_instead_of_list(tmp_path):
    path = _write(tmp_path, "name: m\nversion: '1'\nframes:\n  a:\n    terms: truce\n")
    with pytest.raises(CodebookError, match=r"line 5.*single string 'truce'.*\['truce'\]"):
        Codebook.from_yaml(path)


def test_bad_globs_and_policy(tmp_path):
    with pytest.raises(CodebookError, match=r"'\*' may only end a word"):
        Codebook.from_dict({"name": "m", "version": "1", "frames": {"a": {"terms": ["ne*go"]}}})
    with pytest.raises(
        CodebookError,
        match=r"policy must be one of drop, keep, separate, got "
        r"'dorp'. Did you mean 'drop'\?",
    ):
        Codebook.from_dict(
            {
                "name": "m",
                "version": "1",
                "negation": {"policy": "dorp"},
                "frames": {"a": {"terms": ["x"]}},
            }
        )


def test_duplicate_terms_across_frames_warn(tmp_path):
    with pytest.warns(
        CodebookWarning,
        match=r"1 pattern\(s\) appear in more than one frame: "
        r"'Truce' \(a, b\)",
    ):
        Codebook.from_dict(
            {
                "name": "m",
                "version": "1",
                "frames": {"a": {"terms": ["truce"]}, "b": {"terms": ["Truce", "talks"]}},
            }
        )


@pytest.mark.parametrize(
    "rx", [r"(\w+\s?)+$", r"(a+)+b", r"(?:a|aa)+$", r"(?:ab|aba)*c", r"(?:(?:ab)*c)*"]
)
def test_catastrophic_regex_rejected_with_reason(rx):
    assert check_regex(rx) is not None
    with pytest.raises(
        CodebookError,
        match="rejected: (nested quantifier|overlapping alternation|ambiguous repetition)",
    ):
        Codebook.from_dict({"name": "m", "version": "1", "frames": {"a": {"regex": [rx]}}})


@pytest.mark.parametrize(
    "rx",
    [
        r"\bfreez\w*\s+(?:the\s+)?front",
        r"\b(?:rift|feud)s?\s+between",
        r"(?:ab|abc)*d",
        r"(?:ab|a\w)*c",
        r"\bviolat\w*\s+(?:\w+\s+){0,2}?airspace\b",
        r"\d{4}",
    ],
)
def test_safe_regex_accepted(rx):
    assert check_regex(rx) is None


def test_rejected_regexes_really_backtrack():
    """The rule is not arbitrary: the first rejected pattern is slow on near-matches."""
    import re

    start = time.perf_counter()
    re.match(r"(\w+\s?)+$", "a" * 22 + "!")
    assert time.perf_counter() - start > 0.01


def test_extends_add_remove_and_new_frames():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cb = Codebook.from_yaml(DATA / "student_extends.yml")
    base = load_codebook("peace_talks")
    assert cb.id == "my_study@0.1"
    assert "civil_military" not in cb.frames and "humanitarian" in cb.frames
    assert list(cb.frames)[:2] == ["ceasefire", "negotiations"]
    cf = cb.frames["ceasefire"]
    assert "standstill" in cf.terms["en"] and "truce*" not in cf.terms["en"]
    assert set(cf.terms["en"]) == (set(base.frames["ceasefire"].terms["en"]) - {"truce*"}) | {
        "standstill"
    }
    assert "встреч* на высшем уровне" in cb.frames["negotiations"].phrases["ru"]
    # "talks" is ambiguous in peace_talks; adding it as a term moves it (it now counts anywhere)
    assert "talks" in base.frames["negotiations"].ambiguous["en"]
    assert "talks" in cb.frames["negotiations"].terms["en"]
    assert "talks" not in cb.frames["negotiations"].ambiguous["en"]
    # untouched fields are inherited
    assert cf.description == base.frames["ceasefire"].description
    assert cb.negation == base.negation


def test_extends_errors(tmp_path):
    path = _write(
        tmp_path, "name: s\nversion: '1'\nextends: peace_talks\nremove_frames: [civil_militray]\n"
    )
    with pytest.raises(
        CodebookError,
        match=r"line 4.*no frame 'civil_militray'.*Did you mean "
        r"'civil_military'",
    ):
        Codebook.from_yaml(path)
    path = _write(
        tmp_path,
        "name: s\nversion: '1'\nextends: peace_talks\nframes:\n  ceasefire:\n"
        "    remove: {terms: [nonexistent]}\n",
        name="b.yml",
    )
    with pytest.raises(CodebookError, match=r"cannot remove \['nonexistent'\]"):
        Codebook.from_yaml(path)
    path = _write(tmp_path, "name: s\nversion: '1'\nextends: nowhere.yml\n", name="c.yml")
    with pytest.raises(CodebookError, match=r"extends: cannot find 'nowhere.yml'"):
        Codebook.from_yaml(path)


def test_ambiguous_entries_validation_extends_and_round_trip(tmp_path):
    path = _write(
        tmp_path,
        """\
        name: mini
        version: "1"
        frames:
          negotiations:
            terms: [envoy]
            ambiguous: [negotiat*]
        """,
    )
    with pytest.raises(
        CodebookError,
        match=r"cb.yml, line 6, column 5: frames.negotiations.ambiguous: frame 'negotiations' "
        r"has ambiguous entries for language 'en' but no context cues",
    ):
        Codebook.from_yaml(path)
    both = {"terms": ["envoy", "negotiat*"], "ambiguous": ["negotiat*"], "context": ["war"]}
    with pytest.raises(CodebookError, match=r"\['negotiat\*'\] listed both as ambiguous"):
        Codebook.from_dict({"name": "m", "version": "1", "frames": {"n": both}})
    with pytest.warns(CodebookWarning, match="context cues for en but no ambiguous entries"):
        Codebook.from_dict(
            {"name": "m", "version": "1", "frames": {"n": {"terms": ["x"], "context": ["war"]}}}
        )
    # a frame with only ambiguous entries is not empty; per-language lists work
    only = {"ambiguous": {"en": ["talks"], "ru": ["переговор*"]}, "context": {"en": ["war"]}}
    with pytest.raises(CodebookError, match="for language 'ru' but no context cues"):
        Codebook.from_dict({"name": "m", "version": "1", "frames": {"n": only}})
    only["context"]["ru"] = ["войн*"]
    cb = Codebook.from_dict({"name": "m", "version": "1", "frames": {"n": only}})
    assert cb.frames["n"].languages == ("en", "ru") and cb.frames["n"].n_entries() == 2
    again = Codebook.from_yaml(cb.to_yaml(tmp_path / "rt.yml"))
    assert again.frames == cb.frames
    # a study codebook can add ambiguous entries and context cues to a shipped frame
    child = Codebook.from_dict(
        {
            "name": "child",
            "version": "1",
            "extends": "peace_talks",
            "frames": {"negotiations": {"add": {"ambiguous": ["summit*"], "context": ["truce"]}}},
        }
    )
    parent = load_codebook("peace_talks").frames["negotiations"]
    assert child.frames["negotiations"].ambiguous["en"] == (*parent.ambiguous["en"], "summit*")
    assert child.frames["negotiations"].context["en"][-1] == "truce"


def test_extends_cycle_detected(tmp_path):
    _write(tmp_path, "name: a\nversion: '1'\nextends: b.yml\n", name="a.yml")
    _write(tmp_path, "name: b\nversion: '1'\nextends: a.yml\n", name="b.yml")
    with pytest.raises(CodebookError, match="forms a cycle"):
        Codebook.from_yaml(tmp_path / "a.yml")


def test_read_dic():
    with pytest.warns(CodebookWarning, match="'peace'"):
        cb = read_dic(DATA / "example.dic")
    assert cb.frame_ids == ("ceasefire", "negotiations", "escalation")
    assert cb.frames["negotiations"].phrases == {"en": ("peace talks",)}
    assert cb.frames["escalation"].terms["en"][:2] == ("escalat*", "nuclear")
    with pytest.warns(CodebookWarning):
        assert Codebook.from_file(DATA / "example.dic").id == "example@dic"


def test_read_dic_errors(tmp_path):
    bad = tmp_path / "bad.dic"
    bad.write_text("%\n1\tpeace\n%\ntruce\t7\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"bad.dic, line 4: entry 'truce' refers to unknown"):
        read_dic(bad)
    with pytest.raises(CodebookError, match=r"unknown extension '.txt'.*\.dic"):
        Codebook.from_file(tmp_path / "x.txt")


entry = st.text(alphabet="abcdefghij", min_size=2, max_size=8)


@settings(max_examples=50, deadline=None)
@given(
    frames=st.dictionaries(
        st.sampled_from(["a", "b", "c_d"]),
        st.lists(entry, min_size=1, max_size=4, unique=True),
        min_size=1,
    ),
    policy=st.sampled_from(["drop", "keep", "separate"]),
    window=st.integers(0, 9),
)
def test_yaml_round_trip(tmp_path_factory, frames, policy, window):
    spec = {
        "name": "rt",
        "version": "3",
        "negation": {"policy": policy, "window": window},
        "frames": {
            fid: {"terms": terms, "phrases": [f"{terms[0]} x"], "examples": ["An example."]}
            for fid, terms in frames.items()
        },
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CodebookWarning)
        cb = Codebook.from_dict(spec)
        path = cb.to_yaml(tmp_path_factory.mktemp("rt") / "cb.yml")
        again = Codebook.from_yaml(path)
    assert again.to_dict() == cb.to_dict()
    assert again.frames == cb.frames and again.negation == cb.negation


def test_shipped_codebooks_validate_and_meet_the_content_rules():
    assert list_codebooks() == ["peace_talks", "policy_frames"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        peace = load_codebook("peace_talks")
    assert peace.frame_ids == FRAMES
    for frame in peace.frames.values():
        n_en = len(frame.terms.get("en", ())) + len(frame.phrases.get("en", ()))
        assert n_en >= 15, frame.id
        assert len(frame.examples) == 3, frame.id
        assert frame.exclude.get("en"), frame.id
        assert len(frame.description) > 200, frame.id
    multilingual = [f for f in peace.frames.values() if {"ru", "uk"} <= set(f.languages)]
    assert len(multilingual) >= 4
    policy = load_codebook("policy_frames")
    assert len(policy.frames) == 15
    parents = {f.parent for f in peace.frames.values()}
    assert parents <= set(policy.frames)


def test_shipped_examples_are_coded_with_their_frame():
    """Every example sentence of the shipped codebooks triggers its own frame (scope off:
    an example sentence stands without the document that would name the war's subject)."""
    import pandas as pd

    from framelab.codebook import without_scope
    from framelab.coding import code_frames

    for name in list_codebooks():
        cb = without_scope(load_codebook(name))
        rows = [
            (f"{fid}-{k}", fid, ex)
            for fid, f in cb.frames.items()
            for k, ex in enumerate(f.examples)
        ]
        corpus = pd.DataFrame(
            {"doc_id": [r[0] for r in rows], "text": [r[2] for r in rows], "language": "en"}
        )
        codes = code_frames(corpus, cb).codes
        own = codes[codes["doc_id"].str.rsplit("-", n=1).str[0] == codes["frame"]]
        missed = own.loc[own["present"] == 0, "doc_id"].tolist()
        assert missed == [], f"{name}: {missed}"


def test_summary_and_entries_tables():
    cb = load_codebook("peace_talks")
    summary = cb.summary()
    assert list(summary.columns) == [
        "frame",
        "label",
        "parent",
        "terms",
        "phrases",
        "ambiguous",
        "regex",
        "exclude",
        "languages",
    ]
    assert summary["frame"].tolist() == list(FRAMES)
    entries = cb.entries()
    assert set(entries["kind"]) == {"term", "phrase", "ambiguous", "regex", "exclude", "context"}
    assert (entries.groupby("frame").size() > 0).all()
