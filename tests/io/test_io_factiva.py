"""Factiva loaders: HTML and XML exports (issue 11)."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from framelab.io import LoadError, detect_format, load_corpus
from framelab.io.factiva import read_factiva_html, read_factiva_xml

DATA = Path(__file__).resolve().parents[1] / "data" / "factiva"


def test_read_factiva_html_synthetic():
    with pytest.warns(
        UserWarning,
        match=r"factiva_synthetic.html: skipped 1 of 3 articles.*"
        r"article 3: no text \(no LP or TD",
    ):
        table = read_factiva_html(DATA / "factiva_synthetic.html")
    assert table["doc_id"].tolist() == ["KGBPST0020120102e8120000a", "GAZRHN0020120202e8220000b"]
    assert table["title"].tolist() == [
        "Envoys agree to meet in Lakeside",
        "Les émissaires se retrouvent à Lacville",
    ]
    assert table["outlet"].tolist() == ["Kingsbridge Post", "La Gazette du Rhin"]
    assert table["date"].tolist() == ["2012-01-02T09:20:00", "2012-02-02"]  # PD + ET; février
    assert table["language"].tolist() == ["en", "fr"]
    assert table["length"].tolist() == [1204, 41]
    assert table.loc[0, "byline"] == "By Ada Fictional"
    assert table.loc[0, "section"] == "World"
    assert table.loc[0, "page"] == "4"
    assert table.loc[0, "subject"] == "International Relations; Political/General News"
    assert table.loc[0, "region"] == "Lakeside; Europe"
    assert table.loc[0, "publisher"] == "Kingsbridge Media Group"
    assert table.loc[0, "text"] == (
        "Envoys from both sides agreed on Monday to meet in the fictional town of Lakeside, "
        "officials said.\n\nThe talks will focus on a ceasefire framework.\n\n"
        "No date has been set."
    )


def test_read_factiva_xml_synthetic():
    with pytest.warns(UserWarning, match=r"article 2: no text \(no leadParagraph"):
        table = read_factiva_xml(DATA / "factiva_synthetic.xml")
    assert table["doc_id"].tolist() == ["KGBPST0020120102e8120000a", "GAZRHN0020120202e8220000b"]
    assert table["position"].tolist() == [1, 3]
    assert table["title"].tolist()[0] == "Envoys agree to meet in Lakeside"  # <hlt> flattened
    assert table["date"].tolist() == ["2012-01-02T09:20:00+00:00", "2012-02-02"]
    assert table["language"].tolist() == ["en", "fr"]
    assert table["byline"].tolist()[0] == "By Ada Fictional"
    assert table["region"].tolist()[0] == "Lakeside; Europe"
    assert table["page"].tolist()[0] == "4"
    # a lead paragraph without <paragraph> children: indented lines start paragraphs
    assert table.loc[1, "text"] == (
        "Les émissaires des deux camps se sont retrouvés à Lacville, selon des responsables."
        "\n\nAucune déclaration commune n’a été publiée."
    )


def test_load_corpus_factiva_xml_dates_are_datetimes():
    with pytest.warns(UserWarning, match="article 2"):
        corpus = load_corpus(DATA / "factiva_synthetic.xml")
    assert corpus["date"].tolist() == [pd.Timestamp("2012-01-02 09:20"), pd.Timestamp("2012-02-02")]
    assert corpus["doc_id"].is_unique


def test_read_factiva_xml_refuses_entities_quickly(tmp_path):
    path = tmp_path / "bomb.xml"
    lol = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE PPSResponse [<!ENTITY l0 "lol">{lol}]>'
        "<PPSResponse><ppsarticle><article><headline>&l9;</headline></article></ppsarticle>"
        "</PPSResponse>",
        encoding="utf-8",
    )
    assert detect_format(path) == "factiva_xml"
    start = time.perf_counter()
    with pytest.raises(LoadError, match=r"refused to parse the Factiva XML export.*entity 'l0'"):
        load_corpus(path)
    assert time.perf_counter() - start < 2


def test_read_factiva_xml_truncated_file(tmp_path):
    path = tmp_path / "cut.xml"
    path.write_text("<PPSResponse><ppsarticle><article><headline>Env", encoding="utf-8")
    with pytest.raises(LoadError, match=r"cut.xml, line 1 column \d+: .*not well-formed XML"):
        read_factiva_xml(path)


def test_read_factiva_html_without_articles(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>Factiva</title></head><body>Login</body></html>")
    with pytest.raises(LoadError, match=r'no <div class="article"> block found'):
        read_factiva_html(path)


# --------------------------------------------------------------------------- genuine samples


def test_factiva_html_sample(shared_fixtures):
    corpus = load_corpus(shared_fixtures / "exports/factiva/factiva_test.html")
    assert corpus["doc_id"].tolist() == ["TESTFR0020111229e7ct0001r", "TESTFR0020111229e7ct0015j"]
    assert corpus["title"].tolist() == ["Test 1", "Test 2"]
    assert corpus["outlet"].tolist() == ["Test newspaper", "Ouest France"]
    # "29 décembre 2011" with ET 15:32 for the first
    assert corpus["date"].tolist() == [pd.Timestamp("2011-12-29 15:32"), pd.Timestamp("2011-12-29")]
    assert corpus["language"].tolist() == ["fr", "fr"]
    assert corpus["length"].tolist() == [295, 65]
    assert corpus["copyright"].tolist() == ["(c) Test company.", "Test Company 2011."]
    assert corpus["section"].tolist()[1] == "Infolocale"
    assert corpus["edition"].tolist()[1] == "something"
    assert corpus.loc[0, "subject"].split("; ")[:2] == [
        "National/Presidential Elections",
        "Domestic Politics",
    ]
    assert corpus.loc[0, "text"] == (
        "First head paragraph, with a few non-ASCII characters: à la française.\n\n"
        "Second head paragraph.\n\nThird paragraph.\n\nFourth and last paragraph."
    )


def test_factiva_xml_sample(shared_fixtures):
    corpus = load_corpus(shared_fixtures / "exports/factiva/factiva_test.xml")
    assert corpus["doc_id"].tolist() == [
        "TEST0000020120109e51700030",
        "TEST0000020120109e51700031",
        "TEST0000020120109e51700032",
    ]
    assert corpus["title"].tolist() == [
        "TEST - first test article",
        "TEST - second article de test",
        "TEST - third test article",
    ]
    assert corpus["outlet"].unique().tolist() == ["My Newspaper"]
    assert corpus["date"].tolist() == [
        pd.Timestamp("2012-01-09 01:35:58"),
        pd.Timestamp("2012-01-06 01:05:06"),
        pd.Timestamp("2012-05-06 01:07:06"),
    ]
    assert corpus["language"].tolist() == ["en", "fr", "en"]
    assert corpus["length"].tolist() == [942, 780, 531]
    assert corpus["notes"].tolist()[:2] == ["A NOTE", "UNE AUTRE NOTE"]
    assert corpus.loc[1, "text"] == (
        "Voici le chapeau du premier article de test.\n\n"
        "Voici le corps du second article de test. Et un mot accentué."
    )


def test_factiva_reuters_sample(shared_fixtures):
    corpus = load_corpus(shared_fixtures / "exports/factiva/reut21578-factiva.xml")
    assert len(corpus) == 19
    assert corpus["outlet"].unique().tolist() == ["Reuters-21578"]
    assert corpus["title"].tolist()[:2] == [
        "DIAMOND SHAMROCK (DIA) CUTS CRUDE PRICES",
        "OPEC MAY HAVE TO MEET TO FIRM PRICES - ANALYSTS",
    ]
    assert corpus["date"].min() == pd.Timestamp("1987-02-26")
    assert corpus["date"].max() == pd.Timestamp("1987-03-02")
    first = corpus.loc[0, "text"].split("\n\n")
    assert first[0] == (
        "Diamond Shamrock Corp said that effective today it had cut its contract prices for "
        "crude oil by 1.50 dlrs a barrel."
    )
    assert len(first) == 4
    # the export announces 20 articles and holds 19: said in the load report
    assert "declares 20 articles and holds 19" in corpus.attrs["framelab_load_report"][0]["message"]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("factiva_test.html", "factiva_html"),
        ("factiva_test.xml", "factiva_xml"),
        ("reut21578-factiva.xml", "factiva_xml"),
    ],
)
def test_detect_format_factiva_samples(shared_fixtures, name, fmt):
    assert detect_format(shared_fixtures / "exports/factiva" / name) == fmt
