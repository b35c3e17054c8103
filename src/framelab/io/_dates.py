"""Dates as news databases print them, in English and French, turned into ISO strings.

Exports write dates for people: ``January 11, 2010 Monday``, ``Monday, January 2, 2012``,
``lundi 2 janvier 2012``, ``29 décembre 2011``, ``5. July 2019``, ``July 1, 2019 Monday 9:20 AM
GMT``. :func:`parse_date` finds the first such date in a string and returns it as ISO 8601
(``2012-01-02``, or ``2019-07-01T09:20:00+00:00`` when a time is given), which
:func:`framelab.corpus.parse_dates` turns into the Corpus ``datetime64`` column.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MONTHS", "find_date", "parse_date"]

#: month names and abbreviations (lower case, accents removed) -> month number
MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("january", "jan", "janvier", "janv"),
        ("february", "feb", "fevrier", "fevr", "fev"),
        ("march", "mar", "mars"),
        ("april", "apr", "avril", "avr"),
        ("may", "mai"),
        ("june", "jun", "juin"),
        ("july", "jul", "juillet", "juil"),
        ("august", "aug", "aout"),
        ("september", "sep", "sept", "septembre"),
        ("october", "oct", "octobre"),
        ("november", "nov", "novembre"),
        ("december", "dec", "decembre"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number

_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
)
#: UTC offsets of the zone names that appear in exports
_ZONES = {
    "gmt": "+00:00",
    "utc": "+00:00",
    "z": "+00:00",
    "bst": "+01:00",
    "cet": "+01:00",
    "cest": "+02:00",
    "met": "+01:00",
    "mest": "+02:00",
    "est": "-05:00",
    "edt": "-04:00",
    "cst": "-06:00",
    "cdt": "-05:00",
    "mst": "-07:00",
    "mdt": "-06:00",
    "pst": "-08:00",
    "pdt": "-07:00",
}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er)?\.?"
_YEAR = r"(?P<year>(?:1[6-9]|2\d)\d\d)"
_TIME = (
    r"(?:,?\s*(?:(?:" + _WEEKDAYS + r")\.?,?\s*)?(?:at\s+|a\s+)?"
    r"(?P<hour>[0-2]?\d)[:h](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?"
    r"(?:\s*(?P<ampm>[ap]\.?m\.?))?"
    r"(?:\s*(?P<zone>[+-]\d\d:?\d\d|[a-z]{1,4}\b))?)?"
)
_PATTERNS = [
    re.compile(
        r"(?<!\d)(?P<year>\d{4})-(?P<month>[01]\d)-(?P<day>[0-3]\d)"
        r"(?:[T ](?P<hour>[0-2]\d):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d)(?:\.\d+)?)?"
        r"\s*(?P<zone>Z|[+-]\d\d:?\d\d)?)?(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<![\w])" + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR + r"(?!\d)" + _TIME, re.IGNORECASE
    ),
    re.compile(
        r"(?<![\w])" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"(?!\d)" + _TIME, re.IGNORECASE
    ),
]


def _fold(text: str) -> str:
    """Lower case without accents, same length as the input (so match positions carry over)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base.lower() if len(base.lower()) == 1 else ch)
    return "".join(out)


def find_date(text: str | None) -> tuple[str, int, int] | None:
    """Find the first date in ``text``.

    Parameters
    ----------
    text : str or None
        Any string, e.g. a LexisNexis date line ``"December 19, 1991, Sunday, Late Edition"``.

    Returns
    -------
    (str, int, int) or None
        The ISO date (with the time when one follows the date), and the start and end of the match
        in ``text``; ``None`` when no date is found.

    Examples
    --------
    >>> find_date("Politique, jeudi 5 octobre 2013, p. 03")
    ('2013-10-05', 17, 31)
    >>> find_date("no date here") is None
    True
    """
    if not text:
        return None
    folded = _fold(text)
    best = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            iso = _to_iso(match)
            if iso is not None:
                if best is None or match.start() < best[1]:
                    best = (iso, match.start(), match.end())
                break
    return best


def parse_date(text: str | None) -> str | None:
    """Parse an English or French date (weekday and time optional) into an ISO 8601 string.

    Parameters
    ----------
    text : str or None
        A date as an export prints it.

    Returns
    -------
    str or None
        ``YYYY-MM-DD``, or ``YYYY-MM-DDTHH:MM:SS[+HH:MM]`` when a time (and zone) is given;
        ``None`` when the text holds no date.

    Examples
    --------
    >>> parse_date("Monday, January 2, 2012")
    '2012-01-02'
    >>> parse_date("lundi 2 janvier 2012")
    '2012-01-02'
    >>> parse_date("1er février 2023")
    '2023-02-01'
    >>> parse_date("January 11, 2010 Monday")
    '2010-01-11'
    >>> parse_date("July 1, 2019 Monday 9:20 AM GMT")
    '2019-07-01T09:20:00+00:00'
    >>> parse_date("Friday, 5. July 2019 09:31:00 CEST")
    '2019-07-05T09:31:00+02:00'
    >>> parse_date("2012-01-09T01:35:58Z")
    '2012-01-09T01:35:58+00:00'
    >>> parse_date("31 février 2020") is None
    True
    """
    found = find_date(text)
    return found[0] if found else None


def _to_iso(match: re.Match) -> str | None:
    parts = match.groupdict()
    month = parts["month"]
    month_number = int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))
    if month_number is None:
        return None
    year, day = int(parts["year"]), int(parts["day"])
    try:
        import datetime

        datetime.date(year, month_number, day)
    except ValueError:
        return None
    iso = f"{year:04d}-{month_number:02d}-{day:02d}"
    if parts.get("hour") is None:
        return iso
    hour, minute = int(parts["hour"]), int(parts["minute"])
    second = int(parts["second"] or 0)
    ampm = (parts.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23:
        return iso
    iso += f"T{hour:02d}:{minute:02d}:{second:02d}"
    zone = (parts.get("zone") or "").lower()
    if zone in _ZONES:
        iso += _ZONES[zone]
    elif re.fullmatch(r"[+-]\d\d:?\d\d", zone):
        iso += zone[:3] + ":" + zone[-2:]
    return iso
