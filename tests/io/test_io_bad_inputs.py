"""Bad input when loading files (issue 16): each test holds the minimal reproduction."""

from __future__ import annotations

import logging
import warnings

import pandas as pd
import pytest

from framelab.corpus import parse_dates
from framelab.io import load_corpus


def _csv(path, dates):
    rows = "".join(f"{i},Text {i} of {path.stem}.,{d}\n" for i, d in enumerate(dates))
    path.write_text("id,body,published\n" + rows, encoding="utf-8")
    return path


def _load(path, **kw):
    return load_corpus(path, doc_id="id", text="body", date="published", **kw)


def _days(corpus):
    return [None if pd.isna(d) else str(d.date()) for d in corpus["date"]]


# ------------------------------------------------------------------------------------ 1. dates


def test_iso_dates_never_flipped_by_one_day_first_value_gh16(tmp_path):
    path = _csv(tmp_path / "news.csv", ["2023-11-01", "2023-11-02", "25/11/2023"])
    with pytest.warns(UserWarning, match=r"mixes date formats \(2 ISO, 1 numeric day/month\)"):
        corpus = _load(path)
    assert _days(corpus) == ["2023-11-01", "2023-11-02", "2023-11-25"]


def test_impossible_dates_become_nat_naming_file_and_rows_gh16(tmp_path):
    path = _csv(tmp_path / "news.csv", ["2023-11-01", "2023-13-01", "31/02/2023"])
    with pytest.warns(UserWarning) as record:
        corpus = _load(path)
    assert _days(corpus) == ["2023-11-01", None, None]
    message = " ".join(str(w.message) for w in record)
    assert "news.csv row 1 '2023-13-01'" in message
    assert "news.csv row 2 '31/02/2023'" in message
    assert "impossible date" in message


def test_out_of_range_dates_nat_naming_file_and_rows_gh16(tmp_path):
    path = _csv(tmp_path / "news.csv", ["2300-01-01", "2023-11-01", "0200-05-01"])
    with pytest.warns(UserWarning, match=r"2 date in .*news.csv value\(s\)") as record:
        corpus = _load(path)
    assert _days(corpus) == [None, "2023-11-01", None]
    message = str(record[0].message)
    assert "news.csv row 0 '2300-01-01'" in message
    assert "news.csv row 2 '0200-05-01'" in message
    assert "outside the years 1678-2261" in message


def test_ambiguous_dates_follow_the_unambiguous_ones_gh16(caplog):
    caplog.set_level(logging.INFO, logger="framelab.corpus")
    day_first = parse_dates(pd.Series(["25/11/2023", "03/04/2023"]))
    month_first = parse_dates(pd.Series(["11/25/2023", "03/04/2023"]))
    assert day_first.tolist() == [pd.Timestamp("2023-11-25"), pd.Timestamp("2023-04-03")]
    assert month_first.tolist() == [pd.Timestamp("2023-11-25"), pd.Timestamp("2023-03-04")]
    assert "'03/04/2023' read day-first like '25/11/2023'" in caplog.text
    assert "'03/04/2023' read month-first like '11/25/2023'" in caplog.text


def test_ambiguous_dates_without_evidence_say_the_convention_assumed_gh16():
    with pytest.warns(UserWarning, match=r"'03/04/2023' were read MONTH-first .*dayfirst=True"):
        out = parse_dates(pd.Series(["03/04/2023"]))
    assert out.tolist() == [pd.Timestamp("2023-03-04")]


def test_both_conventions_in_one_column_leave_ambiguous_values_nat_gh16():
    with pytest.warns(UserWarning, match=r"use both conventions .*1 ambiguous one\(s\) became NaT"):
        out = parse_dates(pd.Series(["25/11/2023", "11/25/2023", "03/04/2023"]))
    assert out.tolist()[:2] == [pd.Timestamp("2023-11-25")] * 2
    assert pd.isna(out.iloc[2])


def test_dayfirst_option_forces_the_convention_without_warning_gh16(tmp_path):
    path = _csv(tmp_path / "news.csv", ["03/04/2023", "05/06/23 09:30"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        day_first = _load(path, dayfirst=True)
        month_first = _load(path, dayfirst=False)
    assert day_first["date"].tolist() == [
        pd.Timestamp("2023-04-03"),
        pd.Timestamp("2023-06-05 09:30"),
    ]
    assert month_first["date"].tolist() == [
        pd.Timestamp("2023-03-04"),
        pd.Timestamp("2023-05-06 09:30"),
    ]


def test_convention_inferred_per_file_in_a_folder_gh16(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="framelab.corpus")
    _csv(tmp_path / "a.csv", ["25/11/2023", "03/04/2023"])
    _csv(tmp_path / "b.csv", ["11/25/2023", "03/04/2023"])
    corpus = load_corpus(tmp_path, text="body", date="published")
    assert _days(corpus) == ["2023-11-25", "2023-04-03", "2023-11-25", "2023-03-04"]
    assert "a.csv: 1 ambiguous numeric date(s) such as '03/04/2023' read day-first" in caplog.text
    assert "b.csv: 1 ambiguous numeric date(s) such as '03/04/2023' read month-first" in caplog.text
