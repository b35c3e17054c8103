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
import logging
import re
import warnings

import pandas as pd

__all__ = ["parse_date_column", "parse_date_values"]

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


def _isna(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _present(value: object) -> bool:
    return value is not None and not _isna(value)


def parse_date_column(
    values: pd.Series,
    *,
    what: str,
    dayfirst: bool | None,
    files: pd.Series | None,
    log: logging.Logger,
) -> pd.Series:
    """The work of :func:`framelab.corpus.parse_dates` (documented there).

    ``log`` is the logger the inferred conventions go to (``framelab.corpus``'s, so logging set
    up for that module keeps applying); the one warning names ``parse_dates()`` and points at its
    caller.

    Examples
    --------
    >>> import logging
    >>> out = parse_date_column(pd.Series(["25/11/2023", "03/04/2023"]), what="date",
    ...                         dayfirst=None, files=None, log=logging.getLogger("demo"))
    >>> [str(d.date()) for d in out]
    ['2023-11-25', '2023-04-03']
    """

    if pd.api.types.is_datetime64_any_dtype(values):
        out = values
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_convert("UTC").dt.tz_localize(None)
        return out.astype("datetime64[ns]")
    text = [str(v).strip() or None if _present(v) else None for v in values]
    if files is None:
        groups = {None: list(range(len(text)))}
    else:
        groups = {}
        for i, f in enumerate(files.tolist()):
            groups.setdefault(None if _isna(f) else str(f), []).append(i)
    # a file without evidence of its own (one text file = one date) follows the whole column
    column = parse_date_values(text, dayfirst)[2] if len(groups) > 1 else None
    fallback = column["dayfirst"] if column and column["decided"] == "inferred" else None
    stamps: list = [None] * len(text)
    bad: dict[str, list[str]] = {}  # reason -> "file row N 'value'"
    notes: list[str] = []
    assumed: list[tuple[str | None, list[str]]] = []
    formats: dict[str, int] = {}
    for file, rows in groups.items():
        group_values = [text[i] for i in rows]
        got, reasons, info = parse_date_values(group_values, dayfirst)
        evidence = info["evidence"]
        if info["decided"] == "assumed" and info["ambiguous"] and fallback is not None:
            got, reasons, info = parse_date_values(group_values, fallback)
            info["decided"], evidence = "inferred", column["evidence"]
        where = f" of {file}" if file is not None and len(groups) > 1 else ""
        for pos, (i, stamp, why) in enumerate(zip(rows, got, reasons, strict=True)):
            stamps[i] = stamp
            if why:
                row = f"{file} row {pos}" if file is not None else f"row {pos}"
                bad.setdefault(why, []).append(f"{row} {text[i]!r}")
        for kind, n in info["formats"].items():
            formats[kind] = formats.get(kind, 0) + n
        amb = info["ambiguous"]
        if amb and info["decided"] == "assumed":
            assumed.append((file, amb))
        elif amb and info["decided"] == "inferred":
            kind = "day-first" if info["dayfirst"] else "month-first"
            log.info(
                "%s%s: %d ambiguous numeric date(s) such as %r read %s like %r",
                what,
                where,
                len(amb),
                amb[0],
                kind,
                evidence[kind],
            )
        elif amb and info["decided"] == "conflict":
            notes.append(
                f"the numeric dates{where} use both conventions ({evidence['day-first']!r} is "
                f"day-first, {evidence['month-first']!r} month-first), so {len(amb)} ambiguous "
                "one(s) became NaT; pass dayfirst=True or dayfirst=False"
            )
    if assumed:
        n_amb = sum(len(a) for _, a in assumed)
        files_ = [f for f, _ in assumed if f is not None]
        where = ""
        if files_ and len(groups) > 1:
            where = f" of {', '.join(files_[:3])}{' ...' if len(files_) > 3 else ''}"
        notes.append(
            f"{n_amb} ambiguous numeric date(s){where} such as {assumed[0][1][0]!r} were read "
            "MONTH-first (no value shows the convention); pass dayfirst=True if they are "
            "day-first"
        )
    if NUMERIC in formats and len(formats) > 1:
        counts = ", ".join(f"{n} {k}" for k, n in formats.items())
        notes.append(
            f"the column mixes date formats ({counts}); each value was read by its own format "
            "and ISO dates as year-month-day"
        )
    n_bad = sum(len(v) for v in bad.values())
    if n_bad:
        first = list(dict.fromkeys(text[i] for i, s in enumerate(stamps) if s is None and text[i]))
        detail = "; ".join(
            f"{why}: {', '.join(items[:5])}{' ...' if len(items) > 5 else ''}"
            for why, items in bad.items()
        )
        notes.insert(
            0,
            f"{n_bad} {what} value(s) could not be parsed and became NaT; first: "
            f"{', '.join(repr(v) for v in first[:5])} ({detail}). Fix them in the source file "
            "or pass the column through pandas.to_datetime(..., format=...) yourself",
        )
    if notes:
        warnings.warn(
            f"parse_dates(): {what}: " + ". ".join(notes) + ".", UserWarning, stacklevel=3
        )
    out = pd.Series(
        pd.DatetimeIndex([pd.NaT if s is None else s for s in stamps], tz="UTC"),
        index=values.index,
    )
    return out.dt.tz_localize(None).astype("datetime64[ns]")
