"""The shared date parser of the export readers (framelab.io._dates)."""

from __future__ import annotations

import pandas as pd
import pytest

from framelab.corpus import parse_dates
from framelab.io._dates import find_date, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Monday, January 2, 2012", "2012-01-02"),
        ("lundi 2 janvier 2012", "2012-01-02"),
        ("January 11, 2010 Monday", "2010-01-11"),
        ("December 19, 1991, Sunday, An Edition", "1991-12-19"),
        ("12 April 2013 Tuesday", "2013-04-12"),
        ("29 décembre 2011", "2011-12-29"),
        ("29 decembre 2011", "2011-12-29"),
        ("1er février 2023", "2023-02-01"),
        ("3 août 2021", "2021-08-03"),
        ("Dec. 3, 2020", "2020-12-03"),
        ("5 sept. 2019", "2019-09-05"),
        ("Friday, 5. July 2019 09:31:00 CEST", "2019-07-05T09:31:00+02:00"),
        ("July 1, 2019 Monday 9:20 AM GMT", "2019-07-01T09:20:00+00:00"),
        ("July 1, 2019 Monday 12:05 AM GMT", "2019-07-01T00:05:00+00:00"),
        ("July 1, 2019 3:15 PM EST", "2019-07-01T15:15:00-05:00"),
        ("3 mars 2021 à 14h30", "2021-03-03T14:30:00"),
        ("29 décembre 2011 15:32", "2011-12-29T15:32:00"),
        ("2012-01-09T01:35:58Z", "2012-01-09T01:35:58+00:00"),
        ("Wed, 01 Nov 2023 09:30:00 +0300", "2023-11-01T09:30:00+03:00"),
        ("1987-02-26", "1987-02-26"),
    ],
)
def test_parse_date_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "no date here",
        "31 février 2020",
        "Pg. B22",
        "Section 5; Part 2; Page 16",
        "May the talks resume",
    ],
)
def test_parse_date_none(text):
    assert parse_date(text) is None


def test_find_date_positions():
    text = "Politique, jeudi 5 octobre 2013, p. 03"
    iso, start, end = find_date(text)
    assert (iso, text[start:end]) == ("2013-10-05", "5 octobre 2013")


def test_iso_output_becomes_corpus_datetimes():
    values = [
        parse_date(t)
        for t in (
            "lundi 2 janvier 2012",
            "July 1, 2019 Monday 9:20 AM GMT",
            "2012-01-09T01:35:58Z",
            "29 décembre 2011 15:32",
        )
    ]
    out = parse_dates(pd.Series(values))
    assert out.tolist() == [
        pd.Timestamp("2012-01-02"),
        pd.Timestamp("2019-07-01 09:20"),
        pd.Timestamp("2012-01-09 01:35:58"),
        pd.Timestamp("2011-12-29 15:32"),
    ]
    assert out.dtype == "datetime64[ns]"
