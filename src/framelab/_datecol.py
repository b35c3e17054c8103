"""Parse a column of dates value by value, deciding day-first vs month-first from the column.

Used by :func:`framelab.corpus.parse_dates`. Each value is read by its own format:

* ISO (``2023-11-01``, ``2023/11/01``, ``2023-11-01T09:30:00+03:00``) is always year-month-day and
  is never reinterpreted;
* numeric day/month dates (``25/11/2023``, ``03.04.23``, ``11/25/2023 09:30``) are day-first when
  the first number is above 12, month-first when the second is; ambiguous ones (``03/04/2023``)
  follow the column's unambiguous values, or ``dayfirst=`` when given, or month-first (pandas'
  convention) with a warning that says so;
* anything else (``1 Nov 2023``, ``Wed, 01 Nov 2023 09:30:00 +0300``) goes to pandas.

Impossible dates (``2023-13-01``, ``31/02/2023``) and dates outside what ``datetime64[ns]`` can
hold (years before 1677 or after 2262) become ``NaT``; one warning per column names the file and
the rows.
"""

from __future__ import annotations

import datetime
import re

import pandas as pd

__all__ = ["parse_date_values"]

_ISO = re.compile(
    r"^(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})"
    r"(?P<rest>(?:[T ]\d.*)?)$"
)
_NUMERIC = re.compile(
    r"^(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
    r"(?P<rest>(?:[T ,]+\d.*)?)$"
)
_WEEKDAY = re.compile(
    r"^(?:mon|tue|wed|thu|fri|sat|sun|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
    r"[a-z]*\.?,?\s+",
    re.IGNORECASE,
)
#: what datetime64[ns] can hold
_MIN, _MAX = pd.Timestamp.min, pd.Timestamp.max

ISO, NUMERIC, OTHER = "ISO", "numeric day/month", "written or other"


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # POSIX %y: 69-99 -> 1900s, 00-68 -> 2000s (fixed, not relative to today)
        year += 1900 if year >= 69 else 2000
    return year


def _ymd(year: int, month: int, day: int, rest: str) -> tuple[pd.Timestamp | None, str]:
    """A Timestamp (UTC) from parts, or ``(None, reason)``."""
    try:
        datetime.date(year, month, day)
    except ValueError:
        return None, "impossible date"
    if not (_MIN.year < year < _MAX.year):
        return None, f"outside the years {_MIN.year + 1}-{_MAX.year - 1} pandas can hold"
    rest = rest.strip(" ,").lstrip("T")
    if not rest:
        return pd.Timestamp(year, month, day, tz="UTC"), ""
    iso = f"{year:04d}-{month:02d}-{day:02d}" + (f"T{rest}" if rest else "")
    try:
        return pd.to_datetime(iso, utc=True, format="ISO8601"), ""
    except (ValueError, TypeError, OverflowError):
        try:  # times like "9:20 AM" that are not ISO
            return pd.to_datetime(f"{year:04d}-{month:02d}-{day:02d} {rest}", utc=True), ""
        except (ValueError, TypeError, OverflowError):
            return None, "unreadable time"


def _other(value: str, dayfirst: bool) -> tuple[pd.Timestamp | None, str]:
    try:
        return pd.to_datetime(value, utc=True, dayfirst=dayfirst), ""
    except pd.errors.OutOfBoundsDatetime:
        return None, f"outside the years {_MIN.year + 1}-{_MAX.year - 1} pandas can hold"
    except (ValueError, TypeError, OverflowError):
        return None, "not a date"


def parse_date_values(
    values: list[str | None], dayfirst: bool | None = None
) -> tuple[list[pd.Timestamp | None], list[str], dict]:
    """Parse strings (or ``None``) into UTC Timestamps, each by its own format.

    Parameters
    ----------
    values : list of str or None
        Stripped date strings of one column (or of one file of a column).
    dayfirst : bool, optional
        Read ambiguous numeric dates day-first (``True``) or month-first (``False``); ``None``
        decides from the values that can only be one or the other.

    Returns
    -------
    (list, list, dict)
        The Timestamps (``None`` where a value could not be parsed), the reason for each failure
        (``""`` where it parsed) and a summary: ``formats`` (format -> count), ``dayfirst`` (the
        convention used), ``evidence`` (``"day-first"``/``"month-first"`` -> first value that
        shows it), ``ambiguous`` (ambiguous numeric values), ``decided`` (how the convention was
        chosen: ``"given"``, ``"inferred"``, ``"assumed"`` or ``"conflict"``).

    Examples
    --------
    >>> stamps, why, info = parse_date_values(["2023-11-01", "25/11/2023", "03/04/2023"])
    >>> [s.strftime("%Y-%m-%d") for s in stamps]
    ['2023-11-01', '2023-11-25', '2023-04-03']
    >>> info["dayfirst"], info["decided"]
    (True, 'inferred')
    >>> parse_date_values(["2023-13-01"])[1]
    ['impossible date']
    """
    kinds: list[tuple] = []
    evidence: dict[str, str] = {}
    formats: dict[str, int] = {}
    for value in values:
        if value is None:
            kinds.append((None,))
            continue
        value = _WEEKDAY.sub("", value)
        match = _ISO.match(value)
        if match:
            formats[ISO] = formats.get(ISO, 0) + 1
            kinds.append(("iso", match))
            continue
        match = _NUMERIC.match(value)
        if match:
            formats[NUMERIC] = formats.get(NUMERIC, 0) + 1
            a, b = int(match["a"]), int(match["b"])
            if a > 12 and b <= 12:
                evidence.setdefault("day-first", value)
            elif b > 12 and a <= 12:
                evidence.setdefault("month-first", value)
            kinds.append(("numeric", match))
            continue
        formats[OTHER] = formats.get(OTHER, 0) + 1
        kinds.append(("other", value))

    if dayfirst is not None:
        decided, use = "given", bool(dayfirst)
    elif len(evidence) == 2:
        decided, use = "conflict", False
    elif evidence:
        decided, use = "inferred", "day-first" in evidence
    else:
        decided, use = "assumed", False

    stamps: list[pd.Timestamp | None] = []
    reasons: list[str] = []
    ambiguous: list[str] = []
    cache: dict[tuple, tuple] = {}
    for kind in kinds:
        key = (kind[0], None if kind[0] is None else getattr(kind[1], "string", kind[1]))
        if key in cache and kind[0] != "numeric":
            stamps.append(cache[key][0])
            reasons.append(cache[key][1])
            continue
        if kind[0] is None:
            stamp, why = None, ""
        elif kind[0] == "iso":
            m = kind[1]
            stamp, why = _ymd(int(m["year"]), int(m["month"]), int(m["day"]), m["rest"])
        elif kind[0] == "numeric":
            m = kind[1]
            a, b = int(m["a"]), int(m["b"])
            if a > 12 and b > 12:
                stamp, why = None, "impossible date"
            else:
                is_ambiguous = a <= 12 and b <= 12 and a != b
                if is_ambiguous:
                    ambiguous.append(m.string)
                if is_ambiguous and decided == "conflict":
                    stamp, why = None, "ambiguous day/month and the column has both conventions"
                else:
                    day_first = a > 12 or (use and b <= 12)
                    day, month = (a, b) if day_first else (b, a)
                    stamp, why = _ymd(_year(m["year"]), month, day, m["rest"])
        else:
            stamp, why = _other(kind[1], use)
        cache[key] = (stamp, why)
        stamps.append(stamp)
        reasons.append(why)
    info = {
        "formats": formats,
        "dayfirst": use,
        "evidence": evidence,
        "ambiguous": ambiguous,
        "decided": decided,
    }
    return stamps, reasons, info
