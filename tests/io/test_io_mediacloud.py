"""Media Cloud story lists, with text joined from saved pages (issue 11)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from framelab.io import LoadError, detect_format, load_corpus
from framelab.io.mediacloud import read_mediacloud

DATA = Path(__file__).resolve().parents[1] / "data" / "mediacloud"


def test_load_corpus_mediacloud_joins_saved_pages():
    assert detect_format(DATA / "stories.csv") == "mediacloud"
    with pytest.warns(
        UserWarning,
        match=r"stories.csv: skipped 1 of 4 stories.*story 4: id "
        r"9004: no saved page named 9004.html/.txt",
    ):
        corpus = load_corpus(DATA / "stories.csv")
    assert corpus["doc_id"].tolist() == ["9001", "9002", "9003"]
    assert corpus["outlet"].tolist() == ["Rhine Gazette", "Kingsbridge Post", "Kingsbridge Post"]
    assert corpus["date"].tolist() == [
        pd.Timestamp("2023-11-02 08:15"),
        pd.Timestamp("2023-11-03 17:40:12"),
        pd.Timestamp("2023-11-04"),
    ]
    assert corpus["title"].tolist()[2] == "Security guarantees on the table"
    assert corpus["language"].unique().tolist() == ["en"]
    # by file name (html and txt), then by the page's canonical URL (www/https/slash ignored)
    assert corpus["text_source"].tolist() == ["9001.html", "9002.txt", "saved_guarantees_page.html"]
    assert corpus.loc[1, "text"] == (
        "Talks between the envoys resumed in Lakeside on Friday, a spokesman for the fictional "
        "mediation office said.\n\nA third round is planned for next week."
    )
    assert corpus.loc[2, "text"].startswith("Negotiators in the fictional town of Lakeside")
    assert "cookies" not in corpus.loc[0, "text"]
    # the CSV's other columns are kept
    assert corpus["media_id"].tolist() == ["501", "502", "502"]
    assert corpus["media_url"].tolist()[0] == "https://rhine-gazette.example"
    report = corpus.attrs["framelab_load_report"]
    assert [(r["status"], r["rows"]) for r in report] == [("loaded", 3), ("skipped", 0)]
    assert "text from saved pages in" in report[0]["message"]


def test_read_mediacloud_text_column():
    corpus = load_corpus(DATA / "search_export.csv")
    assert corpus["doc_id"].tolist() == ["c0ffee01", "c0ffee02"]
    assert corpus["outlet"].tolist() == ["Rhine Gazette", "La Gazette du Rhin"]
    assert corpus["language"].tolist() == ["en", "fr"]
    assert corpus["date"].tolist() == [pd.Timestamp("2023-11-06"), pd.Timestamp("2023-11-07")]
    assert corpus["text_source"].unique().tolist() == ["csv"]
    assert corpus.loc[0, "text"] == (
        "Envoys returned to Lakeside on Monday.\n\nA fourth round of talks began."
    )
    assert corpus["indexed_date"].tolist()[0] == "2023-11-06 12:00:00"


def test_read_mediacloud_without_text_or_pages(tmp_path):
    shutil.copy(DATA / "stories.csv", tmp_path / "stories.csv")
    with pytest.raises(
        LoadError,
        match=r"no text column, and no folder of saved pages was found"
        r".*stories_pages/.*text='title'",
    ):
        load_corpus(tmp_path / "stories.csv")


def test_read_mediacloud_explicit_pages_folder(tmp_path):
    shutil.copy(DATA / "stories.csv", tmp_path / "list.csv")
    pages = tmp_path / "saved"
    pages.mkdir()
    (pages / "9004.txt").write_text("Envoys left Lakeside on Sunday.", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"skipped 3 of 4 stories"):
        table = read_mediacloud(tmp_path / "list.csv", pages=pages)
    assert table["doc_id"].tolist() == ["9004"]
    assert table["text"].tolist() == ["Envoys left Lakeside on Sunday."]
    with pytest.raises(LoadError, match=r"pages='.*nowhere' is not a folder"):
        read_mediacloud(tmp_path / "list.csv", pages=tmp_path / "nowhere")


def test_plain_csv_is_not_taken_for_mediacloud(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text("id,text,outlet,date\n1,Envoys met.,Example Daily,2023-11-01\n")
    assert detect_format(path) == "csv"
    with pytest.raises(LoadError, match=r"no 'media_name' column.*format='csv'"):
        read_mediacloud(path)
