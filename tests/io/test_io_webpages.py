"""Saved article web pages via trafilatura (issue 11)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from framelab.io import LoadError, detect_format, load_corpus
from framelab.io.webpages import extract_article, read_webpage

DATA = Path(__file__).resolve().parents[1] / "data" / "webpages"


def test_read_webpage_main_text_without_boilerplate():
    table = read_webpage(DATA / "rhine_gazette_article.html")
    row = table.iloc[0]
    assert row["title"] == "Envoys meet in Lakeside"
    assert row["outlet"] == "Rhine Gazette"
    assert row["date"] == "2023-11-02"
    assert row["url"] == "https://rhine-gazette.example/2023/11/02/envoys-meet"
    assert row["byline"] == "Mara Testwriter"
    assert row["language"] == "en"
    assert row["description"] == "Envoys from both sides met in the fictional town of Lakeside."
    paragraphs = row["text"].split("\n\n")
    assert paragraphs[0].startswith("Envoys from both sides met on Thursday")
    assert paragraphs[-1].startswith("A ceasefire was not on the agenda")
    for boilerplate in ("cookies", "Most read", "Privacy", "Local team wins"):
        assert boilerplate not in row["text"]


def test_load_corpus_webpage_is_detected_and_dated():
    assert detect_format(DATA / "rhine_gazette_article.html") == "webpage"
    corpus = load_corpus(DATA / "rhine_gazette_article.html")
    assert corpus["date"].tolist() == [pd.Timestamp("2023-11-02")]
    assert corpus["outlet"].tolist() == ["Rhine Gazette"]


def test_read_webpage_without_article_text():
    with pytest.raises(LoadError, match=r"empty_index_page.html: no article text found"):
        read_webpage(DATA / "empty_index_page.html")


def test_folder_of_pages_reports_the_page_without_text(tmp_path):
    for name in ("rhine_gazette_article.html", "empty_index_page.html"):
        shutil.copy(DATA / name, tmp_path / name)
    with pytest.warns(
        UserWarning,
        match=r"1 of 2 file\(s\) could not be loaded.*"
        r"empty_index_page.html: .*no article text",
    ):
        corpus = load_corpus(tmp_path)
    assert corpus["title"].tolist() == ["Envoys meet in Lakeside"]
    statuses = sorted(r["status"] for r in corpus.attrs["framelab_load_report"])
    assert statuses == ["failed", "loaded"]


def test_extract_article_returns_none_for_empty_page():
    assert extract_article("<html><body><nav>Home</nav></body></html>") is None
