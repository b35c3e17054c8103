"""LexisNexis / Nexis Uni loaders: plain text, HTML and Word exports (issue 11)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from framelab.io import LoadError, detect_format, load_corpus
from framelab.io.lexisnexis import (
    read_lexisnexis_docx,
    read_lexisnexis_html,
    read_lexisnexis_text,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "lexisnexis"
TXT_VARIANTS = ("utf8", "cp1252", "utf8bom")


def _load(path, **kwargs):
    """load_corpus() expecting exactly one warning that names the file."""
    with pytest.warns(UserWarning) as record:
        corpus = load_corpus(path, **kwargs)
    messages = [str(w.message) for w in record]
    assert len(messages) == 1, messages
    assert Path(path).name in messages[0]
    return corpus, messages[0]


# ----------------------------------------------------------------------------- synthetic text


def test_read_lexisnexis_text_synthetic_fields():
    with pytest.warns(UserWarning, match=r"article 3: no text"):
        table = read_lexisnexis_text(DATA / "nexis_synthetic_utf8.txt")
    assert table["title"].tolist() == [
        'Envoys agree to meet in Lakeside; talks "preliminary"',
        "Les émissaires se retrouvent à Lacville",
    ]
    assert table["outlet"].tolist() == ["Kingsbridge Post", "La Gazette du Rhin"]
    assert table["date"].tolist() == ["2012-01-02", "2012-01-02"]  # "lundi 2 janvier 2012"
    assert table["byline"].tolist() == ["Ada Fictional", "Léa Imaginaire"]
    assert table["section"].tolist() == ["WORLD; Pg. 4", "MONDE; Pg. 7"]
    assert table["length"].tolist() == [1058, 41]
    assert table["language"].tolist() == ["en", "fr"]
    assert table["load_date"].tolist() == ["2012-01-03", "2012-01-03"]
    assert table.loc[0, "edition"] == "Late Edition"
    assert table.loc[0, "copyright"] == "Copyright 2012 Kingsbridge Post Ltd All Rights Reserved"
    assert table.loc[0, "graphic"] == (
        "A map of the fictional Lakeside region (Source: Kingsbridge Post)"
    )
    assert table["position"].tolist() == [1, 2]
    # paragraphs kept, wrapped lines joined
    assert table.loc[0, "text"] == (
        "Envoys from both sides agreed on Monday to meet in the fictional town of Lakeside, "
        'officials said.\n\nThe talks, described as "preliminary", will focus on a ceasefire '
        "framework and on the exchange of prisoners."
    )
    assert table.loc[1, "text"].endswith(
        "Aucune déclaration commune n’a été publiée à l’issue de la rencontre."
    )


def test_load_corpus_lexisnexis_text_report_lists_skipped_article():
    corpus, message = _load(DATA / "nexis_synthetic_utf8.txt")
    assert "skipped 1 of 3 articles" in message and "article 3: no text" in message
    assert "Rhine Gazette" in message
    report = corpus.attrs["framelab_load_report"]
    assert [(r["status"], r["rows"]) for r in report] == [("loaded", 2), ("skipped", 0)]
    assert report[1]["message"].startswith("article 3: no text")
    assert corpus["date"].tolist() == [pd.Timestamp("2012-01-02")] * 2
    assert corpus["date"].dtype == "datetime64[ns]"


@pytest.mark.parametrize("variant", ["cp1252", "utf8bom"])
def test_lexisnexis_text_encodings_load_identically(variant):
    raw = (DATA / "nexis_synthetic_utf8.txt").read_text(encoding="utf-8")
    expected_bytes = raw.encode("cp1252" if variant == "cp1252" else "utf-8-sig")
    assert (DATA / f"nexis_synthetic_{variant}.txt").read_bytes() == expected_bytes
    reference, _ = _load(DATA / "nexis_synthetic_utf8.txt")
    other, _ = _load(DATA / f"nexis_synthetic_{variant}.txt")
    pd.testing.assert_frame_equal(
        reference.drop(columns="source_file"), other.drop(columns="source_file")
    )
    encodings = {"cp1252": "encoding cp1252", "utf8bom": "encoding utf-8-sig"}
    assert other.attrs["framelab_load_report"][0]["message"].startswith(encodings[variant])


def test_lexisnexis_text_skip_option_logs_instead_of_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = read_lexisnexis_text(DATA / "nexis_synthetic_utf8.txt", on_bad_lines="skip")
    assert len(table) == 2
    assert table.attrs["framelab_load_report"][1]["status"] == "skipped"


def test_lexisnexis_text_without_header_is_not_detected(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Envoys met in Lakeside.\n", encoding="utf-8")
    assert detect_format(path) == "text"
    with pytest.raises(LoadError, match=r"no 'N of M DOCUMENTS' line found.*format='text'"):
        read_lexisnexis_text(path)


def test_lexisnexis_text_every_article_malformed_raises(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_text("                1 of 1 DOCUMENTS\n\nLENGTH: 3 words\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"no article could be read.*article 1: no outlet"):
        read_lexisnexis_text(path)


def test_lexisnexis_text_bad_on_bad_lines_value():
    with pytest.raises(ValueError, match=r"on_bad_lines must be one of"):
        read_lexisnexis_text(DATA / "nexis_synthetic_utf8.txt", on_bad_lines="ignore")


# ----------------------------------------------------------------------------- synthetic HTML


def test_read_lexisnexis_html_synthetic():
    with pytest.warns(UserWarning, match=r"article 3: no 'N of M DOCUMENTS' header.*We are sorry"):
        table = read_lexisnexis_html(DATA / "nexis_synthetic.html")
    assert table["doc_id"].tolist() == ["Kingsbridg201201021", "LaGazette201201022"]
    assert table["title"].tolist() == [
        "Envoys agree to meet in Lakeside",
        "Les émissaires se retrouvent à Lacville",
    ]
    assert table["byline"].tolist() == ["By ADA FICTIONAL", "Léa Imaginaire"]
    assert table["length"].tolist() == [312, 41]
    assert table["language"].tolist() == ["en", "fr"]
    assert table["subject"].tolist()[1] == "NÉGOCIATIONS (90%); CESSEZ-LE-FEU (85%)"
    assert table.loc[0, "edition"] == "Late Edition"
    assert table.loc[1, "copyright"] == "Copyright 2012 La Gazette du Rhin Tous droits réservés"
    # the highlighted search term and the line break inside a paragraph are plain text
    assert table.loc[0, "text"] == (
        "Envoys from both sides agreed on Monday to meet in the fictional town of Lakeside, "
        "officials said.\n\nThe talks will focus on a ceasefire framework."
    )


# ------------------------------------------------------------------------------ synthetic DOCX


def test_read_lexisnexis_docx_synthetic():
    with pytest.warns(UserWarning, match=r"article 3: no centred headline, outlet and date"):
        table = read_lexisnexis_docx(DATA / "nexis_uni_synthetic.docx")
    assert table["title"].tolist() == [
        "Envoys agree to meet in Lakeside",
        "Les émissaires se retrouvent à Lacville",
    ]
    assert table["outlet"].tolist() == ["Kingsbridge Post", "La Gazette du Rhin"]
    assert table["date"].tolist() == ["2012-01-02T09:20:00+00:00", "2012-01-02"]
    assert table["section"].tolist()[0] == "WORLD; Version:2"
    assert table["length"].tolist() == [58, 41]
    assert table["language"].tolist() == ["en", "fr"]
    assert table["load_date"].tolist() == ["2012-01-03", "2012-01-03"]
    assert table.loc[0, "subject"] == "NEGOTIATIONS (90%); CEASEFIRE (85%)"
    assert table.loc[0, "copyright"] == "Copyright 2012 Kingsbridge Post Ltd All Rights Reserved"
    assert table.loc[1, "text"] == (
        "Les émissaires des deux camps se sont retrouvés lundi à Lacville.\n\n"
        "Aucune déclaration commune n’a été publiée."
    )


def test_read_lexisnexis_docx_not_a_word_file(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_bytes(b"not a zip")
    with pytest.raises(LoadError, match=r"not a readable Word \(.docx\) file"):
        read_lexisnexis_docx(path)


# --------------------------------------------------------------------------- genuine samples


def test_nexis_text_sample_ten_articles(shared_fixtures):
    corpus = load_corpus(shared_fixtures / "exports/lexisnexis/nexis_sample.TXT")
    assert len(corpus) == 10
    assert corpus["outlet"].tolist() == [
        "Guardian.com",
        "Guardian",
        "The Sun (England)",
        "The Times (London)",
        "The Times (London)",
        "The Times (London)",
        "Guardian",
        "MAIL ON SUNDAY (London)",
        "Sunday Mirror",
        "DAILY MAIL (London)",
    ]
    assert [d.strftime("%Y-%m-%d") for d in corpus["date"]] == [
        "2010-01-11",
        "2010-01-11",
        "2010-01-11",
        "2010-01-11",
        "2010-01-11",
        "2010-01-11",
        "2010-01-08",
        "2010-01-10",
        "2010-01-10",
        "2010-01-09",
    ]
    assert corpus["title"].tolist()[6:] == [
        "ranch noble ash voice declaration",
        "PRISONER OF HIS OWN CABINET",
        "R (programming language) on Wikipedia",
        "Wikipedia",
    ]
    assert corpus["byline"].tolist()[:3] == ["Andrew Sparrow", "Simon Tisdall", "TREVOR Kavanagh"]
    assert corpus["length"].tolist() == [355, 927, 677, 453, 918, 471, 607, 698, 446, 2968]
    assert corpus["edition"].tolist()[2] == "Edition 1; Scotland"
    assert corpus["journal_code"].tolist()[2:4] == ["SUN", "TIM"]
    assert corpus["copyright"].isna().tolist() == [False] * 9 + [True]
    assert corpus.loc[0, "text"].startswith("Lorem ipsum dolor sit amet, consectetur adipiscing")
    assert corpus.loc[0, "text"].count("\n\n") == 4  # five paragraphs
    assert corpus["language"].unique().tolist() == ["en"]


def test_lexisnexis_html_malformed_sample_keeps_one_article(shared_fixtures):
    path = shared_fixtures / "exports/lexisnexis/lexisnexis_test_copyright_error.html"
    corpus, message = _load(path)
    assert corpus["doc_id"].tolist() == ["resize201812311"]
    assert corpus["copyright"].isna().all()
    assert "article 2: no 'N of M DOCUMENTS' header" in message
    assert "We are sorry but there is an error in this document" in message
    row = corpus.iloc[0]
    assert row["outlet"] == "The Daily Planet"
    assert row["date"] == pd.Timestamp("2018-12-31")
    assert row["section"] == "Pg. B22"
    assert row["length"] == 44
    assert row["edition"] == "City Final Edition"
    assert row["distribution"] == "Every Zone"
    # the table that is the article's body is kept row by row
    assert row["text"].split("\n")[:2] == [
        "Rank | Bank | City | Branches | Deposits (billions) | Market share | Local employees",
        "1 | Megabank One | London | 444 | 44.4 | 44.4 | 4,444",
    ]
    statuses = [r["status"] for r in corpus.attrs["framelab_load_report"]]
    assert statuses == ["loaded", "skipped"]


def test_lexisnexis_html_english_sample(shared_fixtures):
    corpus = load_corpus(shared_fixtures / "exports/lexisnexis/lexisnexis_test_en.html")
    assert corpus["doc_id"].tolist() == ["SomeNewsp199112191", "SomeNewsp199301282"]
    assert corpus["title"].tolist() == ["Heading One", "First part; Second part"]
    assert corpus["date"].tolist() == [pd.Timestamp("1991-12-19"), pd.Timestamp("1993-01-28")]
    assert corpus["edition"].tolist() == ["An Edition", "Late Edition - Final; Correction Appended"]
    assert corpus["byline"].tolist()[0] == "By PAPER AUTHOR"
    assert corpus["copyright"].tolist() == [
        "Copyright 1991 My Company",
        "Copyright 1990 My Company",
    ]
    assert corpus.loc[1, "correction"] == "Some correction."
    assert corpus.loc[0, "text"] == (
        'Some text.\n\nSome more text.\n\n"Quotation" said somebody. More text, a highlight and '
        "end of paper."
    )


def test_lexisnexis_html_french_sample(shared_fixtures):
    corpus = load_corpus(shared_fixtures / "exports/lexisnexis/lexisnexis_test_fr.html")
    assert corpus["title"].tolist() == [
        "Title of first article",
        "Another title, with accents: éà",
        '" A quoted title "',
    ]
    assert corpus["outlet"].unique().tolist() == ["My newpaper"]
    assert corpus["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2013-04-12",
        "2013-10-14",
        "2013-03-10",
    ]
    assert corpus["section"].tolist() == [  # RUBRIQUE
        "INTERNATIONAL; Pg. 35",
        "ECONOMIE - ENTREPRISES; Pg. 6",
        "INTERNATIONAL; Pg. 3",
    ]
    assert corpus["length"].tolist() == [143, 70, 359]  # LONGUEUR: 143 mots
    assert corpus["byline"].tolist()[1] == "Author 2"  # AUTEUR
    assert corpus["insert"].tolist()[1] == "Introduction to article"  # ENCART
    assert corpus["load_date"].tolist() == ["2013-03-13", "2013-09-13", "2013-04-03"]
    assert corpus.loc[0, "text"] == (
        "First paragraph. Some accentuated characters: éùàê.\n\n"
        "Second paragraph. Including spurious line breaks to remove."
    )


def test_nexis_uni_docx_sample(shared_fixtures):
    corpus = load_corpus(shared_fixtures / "exports/lexisnexis/nexis_uni_sample.DOCX")
    assert len(corpus) == 10
    assert corpus["outlet"].unique().tolist() == ["The Guardian(London)"]
    assert corpus["date"].tolist()[:3] == [
        pd.Timestamp("2019-07-01 09:20"),
        pd.Timestamp("2019-07-02 09:33"),
        pd.Timestamp("2019-07-04 13:04"),
    ]
    assert corpus["title"].tolist()[8:] == [
        "R (programming language) on Wikipedia",
        "What is Wikipedia",
    ]
    assert corpus["byline"].tolist()[:2] == [
        "Mattha Busby (now), Andrew Sparrow (earlier)",
        "Andrew Sparrow",
    ]
    assert corpus["length"].tolist() == [355, 571, 641, 663, 17366, 967, 412, 838, 446, 1163]
    assert corpus["section"].tolist()[7] == "SPORT; Version:3"
    assert corpus["copyright"].isna().tolist() == [True] + [False] * 9
    assert corpus.loc[6, "journal_code"] == "WEBGNS"
    assert corpus.loc[6, "language"] == "en"
    assert corpus.loc[0, "text"].count("\n\n") == 4


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("nexis_sample.TXT", "lexisnexis_text"),
        ("nexis_uni_sample.DOCX", "lexisnexis_docx"),
        ("lexisnexis_test_en.html", "lexisnexis_html"),
        ("lexisnexis_test_fr.html", "lexisnexis_html"),
        ("lexisnexis_test_copyright_error.html", "lexisnexis_html"),
    ],
)
def test_detect_format_lexisnexis_samples(shared_fixtures, name, fmt):
    assert detect_format(shared_fixtures / "exports/lexisnexis" / name) == fmt


def test_lexisnexis_text_utf16_export(tmp_path):
    raw = (DATA / "nexis_synthetic_utf8.txt").read_text(encoding="utf-8")
    path = tmp_path / "export.txt"
    path.write_bytes(raw.replace("\n", "\r\n").encode("utf-16"))
    assert detect_format(path) == "lexisnexis_text"
    reference, _ = _load(DATA / "nexis_synthetic_utf8.txt")
    other, _ = _load(path)
    pd.testing.assert_frame_equal(
        reference.drop(columns="source_file"), other.drop(columns="source_file")
    )


def test_lexisnexis_html_without_docfull_markers(tmp_path):
    markup = (DATA / "nexis_synthetic.html").read_text(encoding="utf-8")
    markup = markup[: markup.index('<A NAME="DOC_ID_0_2">')] + "</BODY></HTML>"
    stripped = re.sub(r"<!-- Hide XML section.*?-->", "", markup, flags=re.S)
    assert "DOCFULL" not in stripped
    path = tmp_path / "export.html"
    path.write_text(stripped, encoding="utf-8")
    assert detect_format(path) == "lexisnexis_html"
    table = read_lexisnexis_html(path)
    assert table["doc_id"].tolist() == ["Kingsbridg201201021", "LaGazette201201022"]
    assert table["copyright"].tolist() == [
        "Copyright 2012 Kingsbridge Post Ltd All Rights Reserved",
        "Copyright 2012 La Gazette du Rhin Tous droits réservés",
    ]
    assert table["text"].str.count("\n\n").tolist() == [1, 1]


def test_read_lexisnexis_docx_plain_word_document(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Minutes of the fictional Lakeside meeting.")
    document.save(tmp_path / "minutes.docx")
    assert detect_format(tmp_path / "minutes.docx") == "lexisnexis_docx"
    with pytest.raises(LoadError, match=r"no 'End of Document' line found.*not a Nexis Uni"):
        load_corpus(tmp_path / "minutes.docx")
