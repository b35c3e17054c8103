"""Tests of framelab.compare._time (moved from tests/test_compare.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from framelab.compare import (
    DIFFERENCE_COLUMNS,
    PREVALENCE_COLUMNS,
    before_after,
    over_time,
)

from .compare_helpers import _p, make_codes, truth


def _dated(present, dates, **meta):
    codes = make_codes(present, **meta)
    codes["date"] = pd.to_datetime(dates)
    return codes


def test_over_time_months_with_an_empty_month():
    codes = _dated(
        [1, 0, 1, 1, 0], ["2023-09-03", "2023-09-20", "2023-11-02", "2023-11-30", "2023-11-15"]
    )
    table = over_time(codes, freq="M", n_boot=200)
    assert list(table.columns) == ["period", *PREVALENCE_COLUMNS, "freq", "window"]
    assert table["period"].dtype == "datetime64[ns]"
    assert table["period"].dt.strftime("%Y-%m").tolist() == ["2023-09", "2023-10", "2023-11"]
    assert table["n"].tolist() == [2, 0, 3]
    assert table["estimate"].iloc[[0, 2]].tolist() == pytest.approx([0.5, 2 / 3])
    assert math.isnan(table["estimate"].iloc[1])


def test_over_time_smoothing_pools_neighbouring_periods():
    codes = _dated(
        [1, 1, 0, 0, 0, 1, 0, 1],
        [
            "2023-09-05",
            "2023-09-06",
            "2023-10-01",
            "2023-10-02",
            "2023-10-03",
            "2023-11-01",
            "2023-11-02",
            "2023-12-01",
        ],
        outlet="A",
    )
    table = over_time(codes, freq="M", by="outlet", smooth=3, n_boot=200)
    # Sep: Sep+Oct = 2/5; Oct: Sep..Nov = 3/7; Nov: Oct..Dec = 2/6; Dec: Nov+Dec = 2/3
    assert table["estimate"].tolist() == pytest.approx([2 / 5, 3 / 7, 2 / 6, 2 / 3])
    assert table["n"].tolist() == [5, 7, 6, 3]
    assert table["window"].unique().tolist() == [3]
    assert list(table.columns[:2]) == ["outlet", "period"]


def test_over_time_weeks_start_on_monday_and_bad_freq():
    codes = _dated([1, 0], ["2023-11-01", "2023-11-09"])  # a Wednesday, the next Thursday
    table = over_time(codes, freq="W", n_boot=50)
    assert table["period"].dt.strftime("%Y-%m-%d").tolist() == ["2023-10-30", "2023-11-06"]
    with pytest.raises(ValueError, match=r"freq='fortnight' is not a pandas period frequency"):
        over_time(codes, freq="fortnight", n_boot=50)
    with pytest.raises(TypeError, match=r"'outlet' must hold dates"):
        over_time(codes.assign(outlet="A"), date_col="outlet", n_boot=50)


def test_before_after_windows_and_groups():
    codes = _dated(
        [0, 1, 1, 1, 1, 0, 1, 1, 0],
        [
            "2023-10-20",
            "2023-10-30",
            "2023-11-02",
            "2023-11-05",  # A
            "2023-10-25",
            "2023-10-28",
            "2023-11-03",
            "2023-11-04",
            "2024-02-01",
        ],  # B (the last one is outside both windows)
        outlet=["A"] * 4 + ["B"] * 5,
    )
    table = before_after(codes, "2023-11-02", window=14, by="outlet", n_boot=200, n_perm=200)
    assert list(table.columns) == ["outlet", *DIFFERENCE_COLUMNS]
    assert table[["outlet", "group_a", "group_b"]].values.tolist() == [
        ["A", "after", "before"],
        ["B", "after", "before"],
    ]
    assert table["estimate_a"].tolist() == [1.0, 1.0]
    assert table["estimate_b"].tolist() == [0.5, 0.5]
    assert table[["n_a", "n_b"]].values.tolist() == [[2, 2], [2, 2]]
    same = before_after(
        codes,
        pd.Timestamp("2023-11-02"),
        window=pd.Timedelta(days=14),
        by="outlet",
        n_boot=200,
        n_perm=200,
    )
    pd.testing.assert_frame_equal(table, same)
    with pytest.raises(ValueError, match=r"has no unit before"):
        before_after(codes, "2023-11-02", window=3, by="outlet", n_boot=20, n_perm=200)
    with pytest.warns(UserWarning, match=r"fewer than 2 values of 'doc_id'"):
        one = before_after(codes, "2023-11-02", window=5, by="outlet", n_boot=20, n_perm=200)
    assert one["ci_low"].isna().all()  # B has one document before: no interval


def test_sample_us_support_fatigue_rises_after_the_break(codes):
    us = codes[codes["perspective"] == "us"]
    days = (truth.FATIGUE_BREAK - truth.START).days
    table = before_after(
        us,
        truth.FATIGUE_BREAK.isoformat(),
        window=days,
        frames=["support_fatigue"],
        n_boot=500,
        seed=0,
    )
    row = table.iloc[0]
    assert truth.US_FATIGUE_AFTER > _p("us", "support_fatigue")
    assert row["ci_low"] > 0  # 1. support fatigue rises in US outlets


def test_sample_event_raises_civil_military_and_stalemate(codes):
    table = before_after(
        codes,
        pd.Timestamp(truth.EVENT_DATE),
        window=truth.EVENT_WINDOW_DAYS,
        frames=["civil_military", "stalemate"],
        n_boot=500,
        seed=0,
    )
    assert truth.EVENT_CIVIL_MILITARY > 0.1 and truth.EVENT_STALEMATE_BOOST > 0
    assert (table["ci_low"] > 0).all(), table  # 6. the event


def test_sample_over_time_shows_the_event_month(codes):
    table = over_time(codes, freq="M", frames=["civil_military"], n_boot=300)
    event_month = pd.Timestamp(truth.EVENT_DATE).to_period("M").start_time
    peak = table.loc[table["estimate"].idxmax(), "period"]
    assert peak in (event_month, event_month + pd.offsets.MonthBegin(1))
