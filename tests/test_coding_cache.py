"""Issue 22: a report codes its corpus once (disk cache of code_frames' tables)."""

from __future__ import annotations

import logging
import warnings
from dataclasses import replace
from unittest import mock

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framelab import _tokens, coding
from framelab._coded_cache import ATTR
from framelab.codebook import load_codebook
from framelab.coding import code_frames
from framelab.config import StudyConfig
from framelab.datasets import load_sample
from test_coding import ENTRIES, REGEXES, _corpus, codebooks, texts


@pytest.fixture(scope="module")
def sample():
    corpus = load_sample()
    # 40 English and Russian reports, shuffled so code_frames must sort them
    return corpus.iloc[::12].sample(frac=1.0, random_state=3)


@pytest.fixture(scope="module")
def book():
    return load_codebook("peace_talks")


def _same(a, b) -> None:
    for name in ("codes", "hits", "units"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    pd.testing.assert_series_equal(a.texts, b.texts)
    pd.testing.assert_series_equal(a.languages, b.languages)
    assert a.level == b.level and a.codebook == b.codebook


def _entries(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("level", ["document", "paragraph"])
def test_cached_coding_is_identical_and_skips_coding_gh22(sample, book, tmp_path, level):
    fresh = code_frames(sample, book, level=level)
    first = code_frames(sample, book, level=level, cache_dir=tmp_path)
    _same(first, fresh)
    assert len(_entries(tmp_path)) == 1
    with mock.patch.object(coding, "_code", side_effect=AssertionError("coded again")):
        again = code_frames(sample, book, level=level, cache_dir=tmp_path)
    _same(again, fresh)
    assert again.hits["term"].tolist() == fresh.hits["term"].tolist()
    assert len(again.hits) > 50  # the sample has real hits to cache


def test_edited_codebook_or_corpus_or_level_misses_the_cache_gh22(sample, book, tmp_path):
    code_frames(sample, book, cache_dir=tmp_path)
    frame = next(iter(book.frames))
    terms = dict(book.frames[frame].terms)
    terms["en"] = terms["en"][1:]  # one entry removed
    edited = replace(book, frames={**book.frames, frame: replace(book.frames[frame], terms=terms)})
    got = code_frames(sample, edited, cache_dir=tmp_path)
    _same(got, code_frames(sample, edited))
    assert len(_entries(tmp_path)) == 2
    changed = sample.copy()
    changed.iloc[0, changed.columns.get_loc("text")] += " A truce, a truce."
    got = code_frames(changed, book, cache_dir=tmp_path)
    _same(got, code_frames(changed, book))
    assert len(_entries(tmp_path)) == 3
    code_frames(sample, book, level="sentence", cache_dir=tmp_path)
    code_frames(sample.assign(outlet="x"), book, cache_dir=tmp_path)  # metadata is in the codes
    assert len(_entries(tmp_path)) == 5


def test_another_morphological_dictionary_misses_the_cache_gh22(sample, book, tmp_path):
    # a lemma: entry matches the words the installed dictionary lists: a cached table coded
    # with another dictionary version must not be reused
    from framelab import _coded_cache

    code_frames(sample, book, cache_dir=tmp_path)
    real = _coded_cache.package_versions

    def other_dicts(*names):
        got = real(*names)
        assert "pymorphy3-dicts-ru" in got and "pymorphy3-dicts-uk" in got
        return {**got, "pymorphy3-dicts-ru": "0.0-other"}

    with mock.patch.object(_coded_cache, "package_versions", other_dicts):
        code_frames(sample, book, cache_dir=tmp_path)
    assert len(_entries(tmp_path)) == 2


def test_a_custom_splitter_is_never_cached_gh22(sample, book, tmp_path):
    from framelab.text import SentenceSplitter

    splitter = SentenceSplitter.for_corpus(sample["text"].tolist())
    code_frames(sample, book, level="sentence", splitter=splitter, cache_dir=tmp_path)
    assert _entries(tmp_path) == []


def test_cache_hit_logs_the_coding_warnings_again_gh22(book, tmp_path, caplog):
    corpus = pd.DataFrame(
        {"doc_id": ["a", "b"], "text": ["Переговоры о перемирии.", "Talks on a truce."]}
    )
    corpus["language"] = ["xx", "en"]
    with caplog.at_level(logging.WARNING, logger="framelab.coding"):
        code_frames(corpus, book, cache_dir=tmp_path)
    first = [r.getMessage() for r in caplog.records if r.name == "framelab.coding"]
    assert first  # an unknown language label is reported
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="framelab.coding"):
        with mock.patch.object(coding, "_code", side_effect=AssertionError("coded again")):
            code_frames(corpus, book, cache_dir=tmp_path)
    assert [r.getMessage() for r in caplog.records if r.name == "framelab.coding"] == first


def test_study_corpus_is_coded_once_per_report_gh22(tmp_path):
    cfg = StudyConfig.from_dict({"corpus": {"path": "sample"}}, base_dir=tmp_path)
    corpus = cfg.load_corpus()
    assert corpus.attrs[ATTR] == str(tmp_path / "data" / "processed" / "cache" / "coded")
    book = cfg.load_codebook()
    subset = corpus[corpus["language"] == "uk"]  # a notebook's restriction keeps the tag
    plain = subset.copy()
    plain.attrs = {}
    fresh = code_frames(plain, book)
    assert not (tmp_path / "data" / "processed").exists()  # an untagged corpus is not cached
    first = code_frames(subset, book)
    folder = tmp_path / "data" / "processed" / "cache" / "coded"
    assert len(_entries(folder)) == 1
    with mock.patch.object(coding, "_code", side_effect=AssertionError("coded again")):
        second = code_frames(subset, book)
    _same(second, first)
    _same(first, fresh)


def test_damaged_cache_entry_is_recoded_gh22(sample, book, tmp_path, caplog):
    fresh = code_frames(sample, book, cache_dir=tmp_path)
    (entry,) = tmp_path.iterdir()
    (entry / "hits.parquet").write_bytes(b"not parquet")
    with caplog.at_level(logging.WARNING):
        again = code_frames(sample, book, cache_dir=tmp_path)
    assert any("checksum mismatch" in r.getMessage() for r in caplog.records)
    _same(again, fresh)


def test_detected_languages_are_cached_across_levels_and_codebooks_gh22(sample, book, tmp_path):
    # a corpus without language labels: coding detects them (py3langid) among the codebook's
    # languages; the second coding, at another level and with an edited codebook, reads them
    from framelab import languages

    unlabelled = sample.drop(columns="language")
    fresh = {lv: code_frames(unlabelled, book, level=lv) for lv in ("paragraph", "document")}
    real, calls = languages.detect_language, []

    def spy(texts, langs=None, **kwargs):
        texts = list(texts)
        calls.append((len(texts), tuple(langs)))
        return real(texts, langs, **kwargs)

    with mock.patch.object(languages, "detect_language", side_effect=spy):
        first = code_frames(unlabelled, book, level="paragraph", cache_dir=tmp_path)
        assert (len(unlabelled), ("en", "ru", "uk")) in calls
        calls.clear()
        second = code_frames(unlabelled, book, level="document", cache_dir=tmp_path)
        edited = code_frames(
            unlabelled, _edited(book, list(book.frames)[0], drop=1), cache_dir=tmp_path
        )
    assert (len(unlabelled), ("en", "ru", "uk")) not in calls  # only the ru/uk check ran
    _same(first, fresh["paragraph"])
    _same(second, fresh["document"])
    _same(edited, code_frames(unlabelled, _edited(book, list(book.frames)[0], drop=1)))
    assert set(first.languages) == {"en", "ru", "uk"}
    assert _entries(tmp_path / "languages") and len(_entries(tmp_path / "languages")) == 1


def test_detected_languages_cache_is_keyed_by_the_texts_gh22(tmp_path):
    from framelab._coded_cache import detected_languages

    texts = ["Ceasefire talks resume in Geneva", "Переговоры о перемирии продолжаются"]
    assert detected_languages(texts, ["en", "ru"], tmp_path) == ["en", "ru"]
    swapped = texts[::-1]
    assert detected_languages(swapped, ["en", "ru"], tmp_path) == ["ru", "en"]
    assert detected_languages(texts[:1], ["en", "ru"], tmp_path) == ["en"]
    assert len(_entries(tmp_path / "languages")) == 3
    assert detected_languages(["12:30", *texts], ["en", "ru"], None) == [None, "en", "ru"]


# ------------------------------------------------------------------ recode (issue 22, item 2)


def _edited(book, frame, lang="en", add=None, drop=0):
    terms = dict(book.frames[frame].terms)
    terms[lang] = tuple(terms.get(lang, ()))[drop:] + ((add,) if add else ())
    return replace(book, frames={**book.frames, frame: replace(book.frames[frame], terms=terms)})


@pytest.mark.parametrize("level", ["document", "paragraph", "sentence"])
def test_recode_after_one_entry_edit_equals_fresh_coding_gh22(sample, book, level):
    coded = code_frames(sample, book, level=level)
    frame = list(book.frames)[1]
    edited = _edited(book, frame, add="talks")  # a common word: many new hits
    matched = []
    real = _tokens.match_hits

    def spy(tok, codebook, *args, **kwargs):
        matched.append(tuple(codebook.frames))
        return real(tok, codebook, *args, **kwargs)

    with (
        mock.patch.object(_tokens, "tokenize_corpus", side_effect=AssertionError("tokenized")),
        mock.patch.object(_tokens, "match_hits", side_effect=spy),
    ):
        again = coded.recode(edited)
    assert matched == [(frame,)]  # only the edited frame is matched again
    fresh = code_frames(sample, edited, level=level)
    _same(again, fresh)
    added = again.hits[again.hits["term"] == "talks"]
    assert len(added) > 0 and set(added["frame"]) == {frame}
    # and back: the recode of the recode is the first result
    _same(again.recode(book), coded)


def test_recode_with_changed_negation_matches_every_frame_gh22(sample, book):
    coded = code_frames(sample, book)
    wider = replace(book, negation=replace(book.negation, window=book.negation.window + 3))
    _same(coded.recode(wider), code_frames(sample, wider))
    unchanged = coded.recode(book)
    _same(unchanged, coded)


def test_recode_of_a_cached_result_tokenizes_once_gh22(sample, book, tmp_path):
    code_frames(sample, book, cache_dir=tmp_path)
    cached = code_frames(sample, book, cache_dir=tmp_path)
    edited = _edited(book, list(book.frames)[0], drop=1)
    _same(cached.recode(edited), code_frames(sample, edited))


def test_recode_needs_a_code_frames_result_gh22(book):
    coded = code_frames(pd.DataFrame({"doc_id": ["a"], "text": ["A truce."]}), book)
    orphan = coding.Coded(coded.codes, coded.hits, coded.units, book, "document", coded.texts)
    with pytest.raises(ValueError, match=r"Coded.recode\(\): .* code_frames"):
        orphan.recode(book)


@st.composite
def _edit_pairs(draw):
    first = draw(codebooks())
    other = draw(codebooks())
    frames = {
        fid: (other.frames[fid] if fid in other.frames and draw(st.booleans()) else fr)
        for fid, fr in first.frames.items()
    }
    for fid in list(frames):  # entries added to / removed from a frame, nothing else
        if fid in first.frames and frames[fid] is first.frames[fid] and draw(st.booleans()):
            fr = frames[fid]
            kind = draw(st.sampled_from(["terms", "phrases", "ambiguous"]))
            own = list(getattr(fr, kind).get("en", ()))
            entry = draw(st.sampled_from(ENTRIES))
            own = [e for e in own if e != entry] if entry in own else [*own, entry]
            frames[fid] = replace(fr, **{kind: {"en": tuple(own)}})
            if draw(st.booleans()):
                frames[fid] = replace(frames[fid], regex=fr.regex[1:] or tuple(REGEXES[:1]))
            if draw(st.booleans()):  # a Russian regex added or removed (issue 21)
                ru = list(fr.regex_by_language.get("ru", ()))
                rx = draw(st.sampled_from(REGEXES))
                ru = [r for r in ru if r != rx] if rx in ru else [*ru, rx]
                frames[fid] = replace(
                    frames[fid], regex_by_language={**fr.regex_by_language, "ru": tuple(ru)}
                )
    if draw(st.booleans()):  # a new frame
        frames["new"] = replace(next(iter(other.frames.values())), id="new")
    if len(frames) > 1 and draw(st.booleans()):  # a frame removed
        frames.pop(next(iter(frames)))
    second = replace(first, frames=frames)
    if draw(st.integers(0, 4)) == 0:  # the shared settings changed too
        second = replace(second, negation=other.negation, scope=other.scope)
    return first, second


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    docs=st.lists(st.tuples(texts(), st.sampled_from(["en", "ru"])), min_size=1, max_size=4),
    pair=_edit_pairs(),
)
def test_recode_equals_fresh_coding_property_gh22(docs, pair):
    first, second = pair
    corpus = _corpus(*[t for t, _ in docs], language=[lg for _, lg in docs])
    for level in ("document", "paragraph"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an entry in two frames
            got = code_frames(corpus, first, level=level).recode(second)
        want = code_frames(corpus, second, level=level)
        pd.testing.assert_frame_equal(got.hits, want.hits)
        pd.testing.assert_frame_equal(got.codes, want.codes)
        pd.testing.assert_frame_equal(got.units, want.units)


def test_dask_partitions_of_a_study_corpus_are_not_cached_twice_gh22(tmp_path, book):
    dd = pytest.importorskip("dask.dataframe")
    from framelab.scale import code_frames_dask, load_coded

    cfg = StudyConfig.from_dict({"corpus": {"path": "sample"}}, base_dir=tmp_path)
    corpus = cfg.load_corpus().iloc[:30]
    code_frames_dask(dd.from_pandas(corpus, npartitions=2), book, out=tmp_path / "out")
    assert not (tmp_path / "data" / "processed" / "cache" / "coded").exists()
    plain = corpus.copy()
    plain.attrs = {}
    pd.testing.assert_frame_equal(
        load_coded(tmp_path / "out", "hits").reset_index(drop=True),
        code_frames(plain, book).hits,
        check_dtype=False,
    )


def test_coding_a_cached_corpus_again_with_an_edit_recodes_gh22(sample, book, tmp_path):
    """Notebook 02 codes the study corpus, then again without context rules: no tokenizing."""
    from framelab.codebook import without_context

    first = code_frames(sample, book, cache_dir=tmp_path)
    plain = without_context(book)
    with mock.patch.object(_tokens, "tokenize_corpus", side_effect=AssertionError("tokenized")):
        again = code_frames(sample, plain, cache_dir=tmp_path)
    _same(again, code_frames(sample, plain))
    assert len(_entries(tmp_path)) == 2
    assert not again.hits.equals(first.hits)  # the context rule mattered in the sample


def test_kwic_of_a_word_in_a_study_corpus_is_not_cached_gh22(sample, tmp_path):
    corpus = sample.copy()
    corpus.attrs[ATTR] = str(tmp_path)
    got = coding.kwic(corpus, term="truce", window=2)
    assert len(got) > 0 and set(got["match"].str.lower()) == {"truce"}
    assert _entries(tmp_path) == []
