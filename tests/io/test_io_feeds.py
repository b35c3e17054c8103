"""RSS/Atom feeds via feedparser, with XML bombs refused by defusedxml (issue 11)."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from framelab.io import LoadError, detect_format, load_corpus
from framelab.io.feeds import read_feed

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"


def values(series: pd.Series) -> list:
    """The column as a list with missing values (None or NaN) as None."""
    return [None if pd.isna(v) else v for v in series]


def test_read_feed_rss_items_become_documents():
    with pytest.warns(
        UserWarning,
        match=r"news_synthetic.rss: skipped 1 of 3 items.*item 2: "
        r"no text \(no content or description; title 'Envoys",
    ):
        table = read_feed(DATA / "news_synthetic.rss")
    assert table["doc_id"].tolist() == [
        "kgb-2012-0001",
        "https://kingsbridge-post.example/world/2012/01/06/talks-resume",
    ]
    assert table["title"].tolist() == [
        "Envoys agree to meet in Lakeside",
        "Talks resume & continue",
    ]
    assert table["outlet"].unique().tolist() == ["Kingsbridge Post - World"]
    # +0100 converted to UTC
    assert table["date"].tolist() == ["2012-01-02T08:20:00+00:00", "2012-01-06T07:45:00+00:00"]
    assert values(table["byline"]) == ["Ada Fictional", None]
    assert values(table["section"]) == ["World; Diplomacy", None]
    assert table["language"].unique().tolist() == ["en"]
    # full content wins over the description, which is kept as summary; scripts are dropped
    assert table.loc[0, "text"] == (
        "Envoys from both sides agreed on Monday to meet in the fictional town of Lakeside."
        "\n\nThe talks will focus on a ceasefire framework."
    )
    assert table.loc[0, "summary"] == "Envoys agreed to meet in Lakeside."
    assert table.loc[1, "text"] == "Talks resumed on Friday.\n\nA second round is planned."
    assert table["position"].tolist() == [1, 3]


def test_read_feed_atom():
    corpus = load_corpus(DATA / "news_synthetic.atom")
    assert corpus["outlet"].unique().tolist() == ["La Gazette du Rhin"]
    assert corpus["date"].tolist() == [
        pd.Timestamp("2012-01-02 17:05"),
        pd.Timestamp("2012-01-05 10:00"),
    ]
    assert corpus["language"].unique().tolist() == ["fr"]
    assert corpus["byline"].tolist()[0] == "Léa Imaginaire"
    assert corpus["url"].tolist()[0] == "https://gazette-du-rhin.example/monde/emissaires"
    assert corpus.loc[0, "text"] == (
        "Les émissaires se sont retrouvés lundi à Lacville.\n\n"
        "Aucune déclaration commune n’a été publiée."
    )
    assert corpus.loc[1, "text"] == "Les émissaires se sont revus jeudi."


def test_xml_bomb_is_refused_quickly():
    path = DATA / "billion_laughs.xml"
    assert detect_format(path) == "feed"
    start = time.perf_counter()
    with pytest.raises(
        LoadError,
        match=r"billion_laughs.xml: refused to parse the feed: the "
        r"file declares the XML entity 'lol'.*XML bomb",
    ):
        load_corpus(path)
    assert time.perf_counter() - start < 2.0


def test_external_entity_is_refused():
    start = time.perf_counter()
    with pytest.raises(LoadError, match=r"declares the XML entity 'secret'.*read local files"):
        read_feed(DATA / "external_entity.rss")
    assert time.perf_counter() - start < 2.0


def test_not_well_formed_feed_is_read_leniently():
    table = read_feed(DATA / "broken_synthetic.rss")
    assert table["title"].tolist() == ["Talks & more talks"]
    assert table["text"].tolist() == ["Envoys talked in Lakeside."]
    message = table.attrs["framelab_load_report"][0]["message"]
    assert message.startswith("not well-formed XML (") and "line 3" in message


def test_not_well_formed_feed_with_dtd_is_refused(tmp_path):
    path = tmp_path / "odd.rss"
    path.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE rss [ <!ELEMENT rss ANY> ]>'
        b"<rss><channel><item><title>A & B</title></item></channel></rss>"
    )
    with pytest.raises(LoadError, match=r"not well-formed XML .*internal DTD"):
        read_feed(path)


def test_xml_that_is_not_a_feed(tmp_path):
    path = tmp_path / "data.xml"
    path.write_text("<records><record>1</record></records>", encoding="utf-8")
    with pytest.raises(LoadError, match=r"cannot tell the format of .*data.xml"):
        detect_format(path)
    with pytest.raises(LoadError, match=r"no <item> or <entry> found"):
        read_feed(path)


def test_empty_feed_file(tmp_path):
    path = tmp_path / "empty.rss"
    path.write_bytes(b"  \n")
    with pytest.raises(LoadError, match=r"empty.rss: the file is empty"):
        read_feed(path)
