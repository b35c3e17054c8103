"""Europresse HTML loader: current <article> layout and the older table layout (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from framelab.io import LoadError, detect_format, load_corpus
from framelab.io.europresse import read_europresse

DATA = Path(__file__).resolve().parents[1] / "data" / "europresse"


def values(series: pd.Series) -> list:
    """The column as a list with missing values (None or NaN) as None."""
    return [None if pd.isna(v) else v for v in series]


def test_read_europresse_article_layout_synthetic():
    with pytest.warns(
        UserWarning,
        match=r"skipped 1 of 3 articles.*article 3: no text "
        r"\(title 'Envoys leave Lakeside'\)",
    ):
        table = read_europresse(DATA / "europresse_synthetic.html")
    assert table["doc_id"].tolist() == ["20120102GR0001", "20120102KP0002"]
    assert table["outlet"].tolist() == ["La Gazette du Rhin", "Kingsbridge Post"]
    assert values(table["issue"]) == [None, "no. 4512"]
    # "lundi 2 janvier 2012" and "Monday, January 2, 2012"
    assert table["date"].tolist() == ["2012-01-02", "2012-01-02"]
    assert values(table["section"]) == ["Monde", "World"]
    assert values(table["page"]) == ["7", "A4"]
    assert table["title"].tolist() == [
        "Les émissaires se retrouvent à Lacville",
        "Envoys agree to meet in Lakeside",
    ]
    assert values(table["byline"]) == ["Léa Imaginaire", "Ada Fictional"]
    assert table.loc[0, "subtitle"] == "NÉGOCIATIONS"
    assert table.loc[0, "rubric"] == "DIPLOMATIE"
    assert table.loc[0, "notes"] == "Illustration(s): Une carte de la région imaginaire."
    assert table.loc[0, "copyright"] == "© 2012 La Gazette du Rhin. Tous droits réservés."
    assert table.loc[0, "text"] == (
        "Les émissaires des deux camps se sont retrouvés lundi à Lacville, une ville "
        "imaginaire.\n\nAucune déclaration commune n’a été publiée."
    )


def test_read_europresse_table_layout_synthetic():
    table = read_europresse(DATA / "europresse_synthetic_table.html")
    assert table["doc_id"].tolist() == ["20120105GR0004", "20120106RG0005"]
    assert table["date"].tolist() == ["2012-01-05", "2012-01-06"]
    assert values(table["section"]) == ["Monde", None]
    assert values(table["page"]) == ["3", None]
    assert values(table["subtitle"]) == ["NÉGOCIATIONS", None]
    assert values(table["byline"]) == ["Léa Imaginaire", None]
    assert table["copyright"].tolist() == [
        "© 2012 La Gazette du Rhin. Tous droits réservés.",
        "© 2012 Rhine Gazette.",
    ]
    # bold runs are joined into the paragraph; the certificate is not text
    assert table.loc[0, "text"] == (
        "Les émissaires se sont retrouvés une deuxième fois. La rencontre a duré trois heures."
        "\n\nAucun calendrier n’a été fixé."
    )
    assert "certificat" not in " ".join(table["text"]).lower()
    assert table.attrs["framelab_load_report"][0]["message"] == "encoding utf-8, table layout"


def test_read_europresse_without_articles(tmp_path):
    path = tmp_path / "europresse.html"
    path.write_text("<html><body>Europresse: session expired</body></html>", encoding="utf-8")
    assert detect_format(path) == "webpage"  # nothing Europresse-specific in the markup
    with pytest.raises(LoadError, match=r"no Europresse article found.*format='webpage'"):
        load_corpus(path, format="europresse")


def test_europresse_sample_table_layout(shared_fixtures):
    corpus = load_corpus(shared_fixtures / "exports/europresse/europresse_test1.html")
    assert corpus["doc_id"].tolist() == [
        "20121004PO2040056000",
        "20100903HU175071",
        "20111003MAG156190",
    ]
    assert corpus["outlet"].tolist() == ["l'Humanité", "Mag", "Magazine 1"]
    assert corpus["date"].tolist() == [
        pd.Timestamp("2013-10-05"),
        pd.Timestamp("2012-10-03"),
        pd.Timestamp("2012-10-04"),
    ]
    assert corpus["title"].tolist() == [
        "A heading: some text",
        "Another heading with colored text inside",
        "Heading",
    ]
    assert corpus["byline"].tolist()[1:] == ["Second Author", "Author Name"]
    assert corpus["section"].tolist()[::2] == ["Politique", "Éditorial"]
    assert corpus.loc[2, "page"] == "03"
    assert corpus.loc[2, "subtitle"] == "Subtitle"
    assert corpus.loc[0, "text"] == (
        "Some text, and a few accentuated characters: éèêù. Continuation. More text, a "
        "sentence.\n\nTest."
    )
    assert corpus.loc[1, "copyright"] == "© 2010 Newspaper. Tous droits réservés."


def test_europresse_sample_article_layout(shared_fixtures):
    corpus = load_corpus(shared_fixtures / "exports/europresse/europresse_test2.html")
    assert len(corpus) == 4
    assert corpus["outlet"].unique().tolist() == ["Newspaper"]
    assert corpus["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2006-03-14",
        "2006-03-14",
        "2006-03-13",
        "2006-03-13",
    ]
    assert corpus["section"].tolist() == [
        "Communication",
        "Politique",
        "Economie",
        "Dernière heure",
    ]
    assert corpus["page"].tolist() == ["16", "12", "MDE6", "32"]
    assert corpus["title"].tolist() == ["Title", "Title", "A heading", "Title"]
    assert corpus["byline"].tolist()[:2] == ["Author", "Ariane Chemin"]
    assert corpus["doc_id"].tolist()[0] == "20060315LM0q1503_1256056"
    assert corpus["text"].tolist() == [
        "Some text: a mark.",
        "Some text.",
        "A paragraph.",
        "Text.\n\nText.",
    ]
    assert corpus["notes"].tolist()[2:] == ["Note(s): A note", "Note(s): (14 mars 1956.)"]
