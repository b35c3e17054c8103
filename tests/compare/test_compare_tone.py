"""Tests of framelab.compare._tone (moved from tests/test_compare.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from framelab.compare import (
    TONE_COLUMNS,
    mean_by,
    tone,
    vader_nltk_root,
)

from .compare_helpers import make_codes


def test_tone_known_vader_scores():
    # one lexicon word of valence v scores v / sqrt(v^2 + 15): good 1.9, bad -2.5
    units = pd.DataFrame(
        {"doc_id": ["a", "b"], "text": ["good", "bad"], "outlet": "X", "url": "https://x.example"}
    )
    table = tone(units)
    assert list(table.columns) == [*TONE_COLUMNS, "outlet"]
    assert table["tone"].tolist() == pytest.approx(
        [1.9 / math.sqrt(1.9**2 + 15), -2.5 / math.sqrt(2.5**2 + 15)], abs=1e-4
    )
    assert table["unit_id"].tolist() == ["a", "b"]
    assert table[["negative", "neutral", "positive"]].values.tolist() == [[0, 0, 1], [1, 0, 0]]


def test_tone_nltk_engine_works_with_empty_nltk_data(tmp_path, monkeypatch):
    import nltk
    import nltk.data

    from framelab import _tone

    empty = tmp_path / "nltk_data"
    empty.mkdir(mode=0o700)
    monkeypatch.setenv("NLTK_DATA", str(empty))
    monkeypatch.setattr(nltk.data, "path", [str(empty)])
    monkeypatch.setattr(nltk.data, "_resource_cache", {})
    _tone._analyzer.cache_clear()
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    with pytest.raises(LookupError):  # no nltk_data anywhere: NLTK's default load fails
        SentimentIntensityAnalyzer()
    sentences = [
        "The talks were a great success.",
        "Shelling killed three civilians.",
        "Envoys met in Geneva.",
    ]
    units = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": sentences})
    cache = tmp_path / "cache" / "nltk"
    by_nltk = tone(units, engine="nltk", cache_dir=cache)
    assert (cache / "sentiment" / "vader_lexicon" / "vader_lexicon.txt").is_file()
    assert nltk.data.path == [str(empty)]  # the root was registered only while loading
    np.testing.assert_allclose(by_nltk["tone"], tone(units)["tone"], atol=1e-4)
    assert by_nltk["tone"].iloc[0] > 0.5 > -0.5 > by_nltk["tone"].iloc[1]
    _tone._analyzer.cache_clear()


def test_tone_leaves_no_process_wide_state_gh17(tmp_path, monkeypatch):
    import atexit
    import shutil
    import tempfile

    import nltk.data

    from framelab import _tone

    monkeypatch.setattr(nltk.data, "path", [])
    monkeypatch.setattr(nltk.data, "_resource_cache", {})
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # temporary folders go here
    registered = []
    monkeypatch.setattr(atexit, "register", lambda *a, **k: registered.append(a))
    _tone._analyzer.cache_clear()
    units = pd.DataFrame({"doc_id": ["a", "b"], "text": ["good", "bad"]})
    scores = tone(units, engine="nltk")["tone"].tolist()
    assert scores == pytest.approx(
        [1.9 / math.sqrt(1.9**2 + 15), -2.5 / math.sqrt(2.5**2 + 15)], abs=1e-4
    )
    assert nltk.data.path == []
    assert [a for a in registered if a[0] is shutil.rmtree] == []  # no folder left for exit
    assert list(tmp_path.iterdir()) == []  # the temporary lexicon root is gone
    _tone._analyzer.cache_clear()


def test_tone_is_one_function_at_every_import_path_gh17():
    import framelab
    from framelab import _tone
    from framelab.compare import _tone as old

    assert framelab.tone is tone is _tone.tone is old.tone
    assert old.TONE_COLUMNS is _tone.TONE_COLUMNS is TONE_COLUMNS


def test_vader_nltk_root_refuses_unsafe_folders(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.raises(PermissionError, match=r"writable by group or others"):
        vader_nltk_root(shared)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PermissionError, match=r"refusing to write data/raw/nltk"):
        vader_nltk_root("data/raw/nltk")


def test_tone_by_frame_and_group_with_mean_by():
    units = pd.DataFrame(
        {"doc_id": ["d00", "d01", "d02", "d03"], "text": ["good", "bad", "good", "fine talks"]}
    )
    codes = make_codes([1, 1, 1, 1], frame="support_fatigue", outlet=["A", "A", "B", "B"])
    table = mean_by(tone(units), "tone", by="outlet", codes=codes, n_boot=100)
    got = table.set_index("outlet")["estimate"]
    assert got["A"] == pytest.approx((0.4404 - 0.5423) / 2, abs=1e-4)
    assert got["B"] == pytest.approx((0.4404 + tone(units.iloc[[3]])["tone"].item()) / 2)
