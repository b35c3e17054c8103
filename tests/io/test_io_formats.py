"""Format detection across the export readers, mixed folders and the formats documentation."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from framelab.io import detect_format, formats, load_corpus

DATA = Path(__file__).resolve().parents[1] / "data"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "formats.md"


@pytest.mark.parametrize(
    ("relpath", "fmt"),
    [
        ("lexisnexis/nexis_synthetic_utf8.txt", "lexisnexis_text"),
        ("lexisnexis/nexis_synthetic_cp1252.txt", "lexisnexis_text"),
        ("lexisnexis/nexis_synthetic_utf8bom.txt", "lexisnexis_text"),
        ("lexisnexis/nexis_synthetic.html", "lexisnexis_html"),
        ("lexisnexis/nexis_uni_synthetic.docx", "lexisnexis_docx"),
        ("factiva/factiva_synthetic.html", "factiva_html"),
        ("factiva/factiva_synthetic.xml", "factiva_xml"),
        ("europresse/europresse_synthetic.html", "europresse"),
        ("europresse/europresse_synthetic_table.html", "europresse"),
        ("mediacloud/stories.csv", "mediacloud"),
        ("mediacloud/search_export.csv", "mediacloud"),
        ("feeds/news_synthetic.rss", "feed"),
        ("feeds/news_synthetic.atom", "feed"),
        ("feeds/billion_laughs.xml", "feed"),
        ("webpages/rhine_gazette_article.html", "webpage"),
    ],
)
def test_detect_format_fixtures(relpath, fmt):
    assert detect_format(DATA / relpath) == fmt


def test_detect_format_does_not_read_whole_file(tmp_path):
    # a feed whose <rss> tag comes after 64 KiB of comment is not sniffed; .rss still is a feed
    path = tmp_path / "late.xml"
    path.write_text("<!--" + "x" * 70000 + "--><rss version='2.0'><channel/></rss>")
    from framelab.io import LoadError

    with pytest.raises(LoadError, match="cannot tell the format"):
        detect_format(path)
    assert detect_format(path.rename(tmp_path / "late.rss")) == "feed"


def test_folder_of_mixed_exports(tmp_path):
    shutil.copy(DATA / "factiva/factiva_synthetic.xml", tmp_path / "a_factiva.xml")
    shutil.copy(DATA / "europresse/europresse_synthetic_table.html", tmp_path / "b_europresse.html")
    shutil.copy(DATA / "feeds/news_synthetic.atom", tmp_path / "c_feed.atom")
    with pytest.warns(UserWarning, match=r"a_factiva.xml: skipped 1 of 3 articles"):
        corpus = load_corpus(tmp_path)
    assert len(corpus) == 2 + 2 + 2
    assert corpus["outlet"].tolist() == [
        "Kingsbridge Post",
        "La Gazette du Rhin",
        "La Gazette du Rhin",
        "Rhine Gazette",
        "La Gazette du Rhin",
        "La Gazette du Rhin",
    ]
    assert corpus["date"].notna().all()
    assert corpus["source_file"].map(lambda p: Path(p).name).tolist() == [
        "a_factiva.xml",
        "a_factiva.xml",
        "b_europresse.html",
        "b_europresse.html",
        "c_feed.atom",
        "c_feed.atom",
    ]
    formats_read = [r["format"] for r in corpus.attrs["framelab_load_report"]]
    assert formats_read == ["factiva_xml", "factiva_xml", "europresse", "feed"]


def test_formats_doc_lists_every_registered_format():
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Supported formats", 1)[1]
    documented = re.findall(r"^\| `([a-z_]+)` \|", section, re.M)
    assert sorted(documented) == sorted(formats()["format"])


def test_news_page_mentioning_the_databases_is_a_webpage(tmp_path):
    path = tmp_path / "story.html"
    path.write_text(
        '<html><head><title>Archive tools</title></head><body><div class="article-body">'
        "<p>Researchers search Factiva, Europresse and LexisNexis archives; one export said "
        "1 of 3 DOCUMENTS at the top of every article, which made the fictional study easy to "
        "repeat.</p></div></body></html>",
        encoding="utf-8",
    )
    assert detect_format(path) == "webpage"
