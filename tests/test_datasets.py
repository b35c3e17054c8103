"""Tests for the bundled synthetic sample corpus and its builder (issue: sample corpus)."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from framelab.cli import sample_builder
from framelab.corpus import validate_corpus
from framelab.datasets import FRAMES, load_sample, load_sample_gold, sample_dir

sb = sample_builder()  # tools/sample_build.py
REPO = Path(__file__).resolve().parents[1]
BANK = REPO / "data" / "sample" / "bank"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_rebuild_is_byte_identical(tmp_path):
    written = sb.build_sample(BANK, tmp_path)
    assert [p.name for p in written] == [
        "corpus.csv",
        "gold_paragraphs.csv",
        "gold_documents.csv",
        "coder2_paragraphs.csv",
        "ANSWER_KEY.md",
    ]
    for path in written:
        assert _sha(path) == _sha(REPO / "data" / "sample" / path.name), path.name


def test_bank_paragraphs_are_distinct_and_well_formed():
    paragraphs, headlines = sb.read_bank(BANK)
    assert len(paragraphs) >= 400
    texts = [p.text for p in paragraphs]
    assert len(set(texts)) == len(texts)
    words = [len(t.split()) for t in texts]
    assert min(words) >= 40 and max(words) <= 120
    tags = {t for p in paragraphs for t in p.tags}
    assert tags == {"negation", "other_sense", "implicit", "quoted_other_side", "variant_spelling"}
    assert {p.language for p in paragraphs} == {"en", "ru", "uk"}
    assert len({h["id"] for h in headlines}) == len(headlines)


def test_sizes_dates_and_validation(sample_corpus):
    assert len(sample_corpus) >= 400
    assert sample_corpus["outlet"].nunique() >= 8
    assert sample_corpus["perspective"].nunique() >= 5
    assert sample_corpus["date"].min() >= pd.Timestamp(sb.START)
    assert sample_corpus["date"].max() <= pd.Timestamp(sb.END)
    paragraphs = sample_corpus["text"].str.count("\n\n") + 1
    assert paragraphs.between(3, 8).all()
    assert sample_corpus["title"].notna().all()
    again = validate_corpus(sample_corpus)
    pd.testing.assert_frame_equal(again, sample_corpus, check_like=False)


def test_sample_says_it_is_synthetic():
    readme = (sample_dir() / "README.md").read_text(encoding="utf-8")
    key = (sample_dir() / "ANSWER_KEY.md").read_text(encoding="utf-8")
    assert "synthetic" in readme.lower() and "fictional" in readme.lower()
    assert "synthetic" in key.lower()
    assert all(".example/" in u for u in load_sample()["url"])


def test_gold_tables_are_consistent(sample_corpus):
    docs = load_sample_gold("document")
    paras = load_sample_gold("paragraph")
    assert set(docs["doc_id"]) == set(sample_corpus["doc_id"])
    assert list(docs.columns[:4]) == ["doc_id", "unit_id", "frame", "present"]
    union = paras.groupby(["doc_id", "frame"])["present"].max().rename("from_paragraphs")
    merged = docs.set_index(["doc_id", "frame"]).join(union)
    assert (merged["present"] == merged["from_paragraphs"]).all()
    n_paras = paras.groupby("doc_id")["paragraph"].nunique()
    expected = sample_corpus.set_index("doc_id")["text"].str.count("\n\n") + 1
    assert (n_paras.sort_index() == expected.sort_index()).all()
    coder2 = load_sample_gold("paragraph", coder=2)
    assert coder2["unit_id"].nunique() == sb.CODER2_N
    assert set(coder2["unit_id"]) <= set(paras["unit_id"])
    with pytest.raises(ValueError, match="codes paragraphs only"):
        load_sample_gold("document", coder=2)


def _shares(by: list[str], where=None) -> pd.DataFrame:
    corpus = load_sample()
    gold = load_sample_gold("document").merge(
        corpus[["doc_id", "perspective", "date"]], on="doc_id"
    )
    if where is not None:
        gold = gold[where(gold)]
    if not by:
        return gold.groupby("frame")["present"].mean().to_frame().T
    return gold.groupby([*by, "frame"])["present"].mean().unstack("frame")


def test_every_frame_appears_in_every_perspective_group():
    shares = _shares(["perspective"])
    assert (shares[list(FRAMES)] > 0).all().all()


# Tolerance: realised gold shares are binomial draws; with ~50-110 reports per group the
# standard error of a share is at most 0.07, so each planted difference of >= 0.25 must show
# up as a realised difference of at least half its size.
@pytest.mark.parametrize(
    ("frame", "high", "low"),
    [
        ("concessions", "russia_state", "us"),
        ("concessions", "russia_state", "uk_eu"),
        ("support_fatigue", "russia_state", "uk_eu"),
        ("security_guarantees", "ukraine", "us"),
        ("security_guarantees", "ukraine", "russia_state"),
        ("eu_accession", "uk_eu", "us"),
        ("negotiations", "china_state", "ukraine"),
    ],
)
def test_planted_group_differences_visible_in_gold(frame, high, low):
    shares = _shares(["perspective"])
    i = FRAMES.index(frame)
    planted = sb.PROPENSITY[high][i] - sb.PROPENSITY[low][i]
    assert planted >= 0.25
    assert shares.loc[high, frame] - shares.loc[low, frame] >= planted / 2


def test_planted_us_fatigue_trend_and_event():
    us = _shares(["perspective"], where=lambda g: g["perspective"] == "us")
    before = _shares(
        ["perspective"],
        where=lambda g: (g["perspective"] == "us") & (g["date"] < pd.Timestamp(sb.FATIGUE_BREAK)),
    )
    after = _shares(
        ["perspective"],
        where=lambda g: (g["perspective"] == "us") & (g["date"] >= pd.Timestamp(sb.FATIGUE_BREAK)),
    )
    planted = sb.US_FATIGUE_AFTER - sb.PROPENSITY["us"][FRAMES.index("support_fatigue")]
    assert after["support_fatigue"].item() - before["support_fatigue"].item() >= planted / 2
    assert len(us) == 1
    start = pd.Timestamp(sb.EVENT_DATE)
    end = start + pd.Timedelta(days=sb.EVENT_WINDOW_DAYS)
    inside = _shares([], where=lambda g: (g["date"] >= start) & (g["date"] < end))
    outside = _shares([], where=lambda g: (g["date"] < start) | (g["date"] >= end))
    assert inside["civil_military"].item() - outside["civil_military"].item() >= 0.15


@pytest.mark.parametrize(("a", "b", "frame"), sb.NULLS)
def test_planted_nulls_are_equal_in_the_generator_and_close_in_gold(a, b, frame):
    i = FRAMES.index(frame)
    assert sb.PROPENSITY[a][i] == sb.PROPENSITY[b][i]
    shares = _shares(["perspective"])
    assert abs(shares.loc[a, frame] - shares.loc[b, frame]) < 0.12


def test_wire_stories_planted_as_documented(sample_corpus):
    wire = sample_corpus.dropna(subset=["wire_story"])
    planted = {sid: set(names) for sid, _, names in sb.WIRE_STORIES}
    got = wire.groupby("wire_story")["outlet"].agg(set).to_dict()
    assert got == planted
    for sid, day, _ in sb.WIRE_STORIES:
        dates = wire.loc[wire["wire_story"] == sid, "date"]
        assert ((dates - pd.Timestamp(day)) <= pd.Timedelta(days=1)).all()


def test_answer_key_lists_every_planted_parameter():
    key = (sample_dir() / "ANSWER_KEY.md").read_text(encoding="utf-8")
    assert str(sb.FATIGUE_BREAK) in key and str(sb.EVENT_DATE) in key
    for sid, day, _ in sb.WIRE_STORIES:
        assert f"| {sid} | {day} |" in key
    for a, b, frame in sb.NULLS:
        assert f"`{a}` vs `{b}` on `{frame}`" in key
    assert isinstance(sb.EVENT_DATE, dt.date)


def test_load_sample_from_an_installed_wheel(tmp_path):
    """The wheel carries the sample (one copy in the repo, included at build time)."""
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        check=True,
        timeout=300,
    )
    wheel = next(out.glob("framelab-*.whl"))
    with zipfile.ZipFile(wheel) as whl:  # the maintainer's sample builder is not shipped (gh17)
        assert [n for n in whl.namelist() if "sample_build" in n] == []
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    code = "import framelab.datasets as d; c = d.load_sample(); print(len(c), d.sample_dir().name)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        check=True,
        timeout=120,
    )
    assert result.stdout.split() == [str(len(load_sample())), "_sample"]
    code = "import framelab.cli as c; c.sample_builder()"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        timeout=120,
    )
    assert "Run the command from a framelab checkout" in result.stderr
