"""Issue 22: a report's per-corpus tables (units, tone, keyness, collocations, distinguishing
terms) are computed once per study corpus and read back identical."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pandas as pd
import pytest

import framelab as fl
import framelab.text as text_module
from framelab import _tone, study
from framelab._coded_cache import ATTR
from framelab._table_cache import cached, fingerprint
from framelab.compare import _terms, text_units
from framelab.config import StudyConfig
from framelab.text import collocations


@pytest.fixture(scope="module")
def texts(tmp_path_factory):
    cfg = StudyConfig.from_dict(
        {"corpus": {"path": "sample"}}, base_dir=tmp_path_factory.mktemp("s")
    )
    return study.restrict(cfg, study.main_language(cfg.load_corpus()))


def _plain(table):
    out = table.copy()
    out.attrs = {}
    return out


def _stages(texts):
    folder = Path(texts.attrs[ATTR]).parent  # data/processed/cache of the study
    return sorted(p.name for p in folder.iterdir() if p.name != "coded")


def _equal(a, b):
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert list(a.dtypes.astype(str)) == list(b.dtypes.astype(str))


def test_sentence_units_and_tone_are_cached_and_identical_gh22(texts):
    fresh = text_units(_plain(texts), "sentence")
    first = text_units(texts, "sentence")
    _equal(first, fresh)
    assert fresh.attrs == {} and first.attrs == {ATTR: texts.attrs[ATTR]}
    with mock.patch.object(text_module, "_units_and_rows", side_effect=AssertionError("split")):
        again = text_units(texts, "sentence")
    _equal(again, fresh)
    assert again.attrs == first.attrs
    assert len(fresh) > 2 * len(texts)  # real sentences
    tones_fresh = fl.tone(_plain(fresh))
    tones = fl.tone(first)
    _equal(tones, tones_fresh)
    with mock.patch.object(_tone, "_analyzer", side_effect=AssertionError("scored again")):
        tones_again = fl.tone(again)
    _equal(tones_again, tones_fresh)
    assert tones_again.attrs == first.attrs
    assert {"units", "tone"} <= set(_stages(texts))


def test_keyness_distinguishing_terms_collocations_cached_and_identical_gh22(texts):
    group = "perspective"
    key_fresh = fl.keyness(_plain(texts), group, "russia_state")
    codes = fl.code_frames(_plain(texts), "peace_talks", level="sentence")
    args = dict(within_frame="concessions", codes=codes.codes, units=codes.units)
    dist_fresh = fl.distinguishing_terms(_plain(texts), group, "russia_state", "ukraine", **args)
    coll_fresh = collocations(_plain(texts)["text"], n=2, min_freq=5, top=15)
    first = (
        fl.keyness(texts, group, "russia_state"),
        fl.distinguishing_terms(texts, group, "russia_state", "ukraine", **args),
        collocations(texts["text"], n=2, min_freq=5, top=15),
    )
    with (
        mock.patch.object(_terms, "_matrix", side_effect=AssertionError("counted again")),
        mock.patch.object(text_module, "tokenize", side_effect=AssertionError("tokenized")),
    ):
        again = (
            fl.keyness(texts, group, "russia_state"),
            fl.distinguishing_terms(texts, group, "russia_state", "ukraine", **args),
            collocations(texts["text"], n=2, min_freq=5, top=15),
        )
    for got in (first, again):
        for table, want in zip(got, (key_fresh, dist_fresh, coll_fresh), strict=True):
            _equal(table, want)
            assert table.attrs == {}
    assert len(key_fresh) > 10 and len(coll_fresh) == 15
    # other arguments or other texts are other entries, computed afresh
    _equal(fl.keyness(texts, group, "ukraine"), fl.keyness(_plain(texts), group, "ukraine"))
    edited = texts.copy()
    edited.iloc[0, edited.columns.get_loc("text")] = "Ceasefire ceasefire ceasefire truce."
    _equal(
        fl.keyness(edited, group, "russia_state"), fl.keyness(_plain(edited), group, "russia_state")
    )
    assert fl.keyness(edited, group, "russia_state").equals(key_fresh) is False


def test_custom_splitter_and_plain_tables_are_not_cached_gh22(tmp_path):
    from framelab.text import SentenceSplitter

    cfg = StudyConfig.from_dict({"corpus": {"path": "sample"}}, base_dir=tmp_path)
    corpus = cfg.load_corpus().head(20)
    splitter = SentenceSplitter.train(corpus["text"])
    text_units(corpus, "sentence", splitter=splitter)
    fl.keyness(_plain(corpus), "perspective")
    assert not (tmp_path / "data" / "processed" / "cache").exists()


def test_fingerprint_and_cached_by_hand_gh22(tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return pd.DataFrame({"term": ["truce"], "n": [2]})

    a = cached("demo", tmp_path, {"texts": pd.Series(["a truce", "truce"])}, compute)
    b = cached("demo", tmp_path, {"texts": pd.Series(["a truce", "truce"])}, compute)
    c = cached("demo", tmp_path, {"texts": pd.Series(["truce", "a truce"])}, compute)
    _equal(a, b)
    _equal(a, c)
    assert len(calls) == 2  # the reordered texts are another key
    assert cached("demo", None, {}, compute) is not None and len(calls) == 3
    with pytest.raises(TypeError, match="cannot fingerprint"):
        fingerprint(object())
    assert cached("demo", tmp_path, {"splitter": object()}, compute) is not None
    assert len(calls) == 4 and len(list((tmp_path / "demo").iterdir())) == 2
