"""Codebooks as guidance: lexicons, seed lists, zero-shot texts, lexicon matching."""

from __future__ import annotations

import pytest

from framelab.topics import frame_lexicons, seed_topic_list, zeroshot_topic_list
from framelab.topics._guide import lexicon_matcher


class _Frame:
    def __init__(self, label, description, terms, phrases):
        self.label, self.description, self.terms, self.phrases = label, description, terms, phrases


class _Codebook:
    frames = {
        "ceasefire": _Frame(
            "Ceasefire",
            "Halting hostilities.",
            {"en": ("truce", "ceasefir*"), "ru": ("перемири*",)},
            {"en": ("freeze the front line",)},
        ),
        "talks": _Frame("Negotiations", "", ("negotiat*",), ()),
    }


def test_frame_lexicons_reads_codebook_objects_per_language():
    lex = frame_lexicons(_Codebook())
    assert lex["ceasefire"] == {
        "terms": ["truce", "ceasefir*"],
        "phrases": ["freeze the front line"],
        "label": "Ceasefire",
        "description": "Halting hostilities.",
    }
    assert frame_lexicons(_Codebook(), language="ru")["ceasefire"]["terms"] == ["перемири*"]
    assert lex["talks"]["terms"] == ["negotiat*"]


def test_frame_lexicons_rejects_other_objects():
    with pytest.raises(TypeError, match=r"expected a Codebook .* or a dict"):
        frame_lexicons(["truce"])


def test_seed_topic_list_expands_globs_against_the_vocabulary():
    vocab = ["ceasefire", "ceasefires", "truce", "negotiation", "freeze", "front line"]
    seeds = seed_topic_list(_Codebook(), vocabulary=vocab)
    assert seeds == [["truce", "ceasefire", "ceasefires", "freeze the front line"], ["negotiation"]]
    # without a vocabulary a glob is cut to its stem
    assert seed_topic_list({"talks": ["negotiat*"]}) == [["negotiat"]]
    # frames whose list ends up empty are dropped
    assert seed_topic_list({"a": ["zz*"], "b": ["x"]}, vocabulary=["y"]) == [["x"]]


def test_zeroshot_topic_list_uses_label_and_description():
    ids, texts = zeroshot_topic_list(_Codebook())
    assert ids == ["ceasefire", "talks"]
    assert texts == ["Ceasefire: Halting hostilities.", "Negotiations: negotiat*"]


def test_lexicon_matcher_terms_globs_phrases_and_closed_up_forms():
    match = lexicon_matcher(
        {
            "terms": ["truce", "negotiat*", "cease-fire"],
            "phrases": ["back channel", "security guarantee*"],
        }
    )
    assert [
        match(w)
        for w in (
            "truce",
            "negotiations",
            "ceasefire",
            "backchannel",
            "security guarantees",
            "back channel",
            "fresh truce",
            "security",
            "channel",
        )
    ] == [True, True, True, True, True, True, True, False, False]


def test_shipped_codebook_works_as_guidance():
    codebook_mod = pytest.importorskip("framelab.codebook")
    cb = codebook_mod.load_codebook("peace_talks")
    lex = frame_lexicons(cb)
    assert set(lex) == set(cb.frame_ids)
    assert all(isinstance(t, str) for e in lex.values() for t in e["terms"])
    ids, texts = zeroshot_topic_list(cb)
    assert ids == list(cb.frame_ids) and all(
        t.startswith(cb.frames[i].label) for i, t in zip(ids, texts, strict=True)
    )
