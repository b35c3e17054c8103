"""Ambiguous entries that contain one of their frame's own context cues (issue 21 follow-up).

A context cue inside the hit satisfies the context rule, so such an entry always counts: the
codebook warns at load time and names the frame, language, entry and cue.
"""

from __future__ import annotations

import textwrap
import warnings
from pathlib import Path

import pandas as pd
import pytest

import framelab
from framelab.codebook import Codebook, CodebookWarning, load_codebook

#: the codebooks shipped with the package, by name
SHIPPED = sorted(p.stem for p in (Path(framelab.__file__).parent / "codebooks").glob("*.yml"))


def _frames(frames: dict) -> Codebook:
    return Codebook.from_dict({"name": "t", "version": "1", "frames": frames})


def _self_cue_warnings(frames: dict) -> list[str]:
    """Messages of the self-cue warnings raised while building a codebook of ``frames``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _frames(frames)
    return [
        str(w.message)
        for w in caught
        if w.category is CodebookWarning and "always count" in str(w.message)
    ]


def test_self_cued_entry_warns_with_file_frame_language_entry_cue_gh21(tmp_path):
    path = tmp_path / "mine.yml"
    path.write_text(
        textwrap.dedent(
            """\
            name: t
            version: "1"
            frames:
              stalemate:
                ambiguous: {en: ["lack of troops", "war of attrition"]}
                context: {en: [troops, stalemate]}
            """
        ),
        encoding="utf-8",
    )
    with pytest.warns(CodebookWarning) as record:
        load_codebook(path)
    [message] = [str(w.message) for w in record if "always count" in str(w.message)]
    assert "mine.yml" in message
    assert "frame 'stalemate' (en)" in message
    assert "'lack of troops' (cue 'troops')" in message
    assert "war of attrition" not in message  # no cue inside it: it needs context
    assert "List them as phrases/terms, or drop the cue from `context`" in message


def test_glob_cue_covers_glob_entry_gh21():
    [message] = _self_cue_warnings(
        {
            "support_fatigue": {
                "ambiguous": {"ru": ["финансировани* Украины", "пакет* помощи"]},
                "context": {"ru": ["финансировани*", "бюджет*"]},
            }
        }
    )
    assert "frame 'support_fatigue' (ru)" in message
    assert "'финансировани* Украины' (cue 'финансировани*')" in message
    assert "пакет* помощи" not in message


def test_gapped_entry_warns_gh21():
    [message] = _self_cue_warnings(
        {
            "eu_accession": {
                "ambiguous": {"uk": ["вступ* ~3 ЄС", "рамков* документ*"]},
                "context": {"uk": ["ЄС", "Євросоюз*"]},
            }
        }
    )
    assert "frame 'eu_accession' (uk)" in message
    assert "'вступ* ~3 ЄС' (cue 'ЄС')" in message
    assert "рамков*" not in message


def test_multi_word_cue_inside_longer_entry_gh21():
    [message] = _self_cue_warnings(
        {
            "negotiations": {
                "ambiguous": {"en": ["stalled peace talks", "peace in talks"]},
                "context": {"en": ["peace talks"]},
            }
        }
    )
    # the cue's words must be contiguous in the entry: "peace in talks" does not contain it
    assert "'stalled peace talks' (cue 'peace talks')" in message
    assert "peace in talks" not in message


def test_cue_of_only_some_forms_does_not_warn_gh21():
    # "финансирования" matches one form of "финансировани*" only, and "lack" is not every
    # word "lack*" matches ("lacking"): those entries need context
    [message] = _self_cue_warnings(
        {
            "support_fatigue": {
                "ambiguous": {"ru": ["финансировани*", "требовани* России"], "en": ["lack* of"]},
                "context": {"ru": ["финансирования", "требовани*"], "en": ["lack"]},
            }
        }
    )
    assert "frame 'support_fatigue' (ru)" in message
    assert "'требовани* России' (cue 'требовани*')" in message
    assert "'финансировани*'" not in message


def test_cues_of_another_frame_or_language_do_not_warn_gh21():
    messages = _self_cue_warnings(
        {
            "a": {
                "ambiguous": {"en": ["lack of troops", "peace deal"], "ru": ["нехватк* войск"]},
                "context": {"en": ["peace"], "ru": ["troops", "мир"]},
            },
            "b": {
                "ambiguous": {"en": ["war"], "ru": ["мир"]},
                "context": {"en": ["troops"], "ru": ["войск"]},
            },
        }
    )
    assert messages == [m for m in messages if "frame 'a' (en)" in m]
    [message] = messages
    assert "'peace deal' (cue 'peace')" in message
    assert "lack of troops" not in message


def test_hyphen_and_case_are_normalised_gh21():
    [message] = _self_cue_warnings(
        {
            "ceasefire": {
                "ambiguous": {"en": ["Cease-Fire violations", "truce"]},
                "context": {"en": ["cease-fire"]},
            }
        }
    )
    assert "'Cease-Fire violations' (cue 'cease-fire')" in message


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_codebooks_have_no_self_cued_ambiguous_entries_gh21(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error", CodebookWarning)
        load_codebook(name)


@pytest.mark.parametrize(
    ("lang", "entry", "cue", "text"),
    [
        ("en", "lack of troops", "troops", "There is a lack of troops at the factory."),
        ("ru", "финансировани* Украины", "финансировани*", "Обсудили финансирование Украины."),
        ("uk", "вступ* ~3 ЄС", "ЄС", "Йдеться про вступ країни до ЄС."),
        ("en", "stalled peace talks", "peace talks", "Stalled peace talks at the club."),
    ],
)
def test_self_cued_entry_counts_without_any_other_cue_gh21(lang, entry, cue, text):
    """The warning is true: alone in a one-paragraph text with no other cue, the entry counts
    as ambiguous exactly as it does as a phrase (the cue inside it is the context)."""
    from framelab.coding import code_frames

    corpus = pd.DataFrame({"doc_id": ["d0"], "text": [text], "language": [lang]})
    hits = []
    for kind in ("ambiguous", "phrases"):
        # the ambiguous form warns that it always counts; the phrase form that its cues are
        # unused
        said = "always count" if kind == "ambiguous" else "have no effect"
        with pytest.warns(CodebookWarning, match=said):
            cb = _frames({"f": {kind: {lang: [entry]}, "context": {lang: [cue, "zzz"]}}})
        coded = code_frames(corpus, cb, progress=False, cache_dir=False)
        hits.append(coded.hits[["frame", "doc_id", "start", "end", "term"]].to_dict("records"))
    assert hits[0] == hits[1]
    assert len(hits[0]) == 1 and hits[0][0]["term"] == entry
