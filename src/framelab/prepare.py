"""Corpus preparation: the steps between reading files and analysing them.

Scraped and downloaded corpora rarely arrive in the shape a study needs. These functions do the
usual preparation without pandas code of your own, and each one reports what it changed (a
logged message, a warning where rows or values are lost, and a record in ``corpus.attrs``), so
nothing disappears silently. The study config names the same steps (``corpus.columns.text`` as
a list, ``corpus.recode``, ``corpus.filter``, ``corpus.clean``), and
:meth:`framelab.config.StudyConfig.load_corpus` applies them in that order.

======================= ====================================================================
function                what it does
======================= ====================================================================
:func:`join_text`       several text columns (title, lede, body) as one text, in paragraphs
:func:`recode`          a new column from a mapping of an existing one (outlet -> country)
:func:`filter_corpus`   keep a date range; keep or drop rows by column values
:func:`clean_text`      remove boilerplate lines (share buttons, "read more", ...) by regex
:func:`prepare_corpus`  recode, filter and clean in one call, as the study config does
======================= ====================================================================

Records: ``attrs["framelab_dropped"]`` gains one ``{"doc_id", "reason"}`` dict per removed
row; ``attrs["framelab_filter_report"]`` lists ``{"filter", "removed"}`` per filter and
``attrs["framelab_clean_report"]`` lists ``{"pattern", "lines_removed", "documents"}`` per
pattern.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import warnings
from collections.abc import Mapping, Sequence

import pandas as pd

from framelab._errors import suggest

__all__ = [
    "CLEAN_FRAGMENTS",
    "CLEAN_PRESETS",
    "clean_text",
    "filter_corpus",
    "join_text",
    "prepare_corpus",
    "recode",
]

logger = logging.getLogger(__name__)

_SOCIAL = (
    r"(?:facebook|twitter|x|whatsapp|telegram|linkedin|e-?mail|reddit|vk|pinterest|messenger"
    r"|print|copy (?:the )?(?:link|url))"
)

#: shipped boilerplate patterns; each matches a *whole* line (case-insensitive)
CLEAN_PRESETS: dict[str, dict[str, str]] = {
    "web": {
        "share buttons": (
            rf"(?i)(?:share(?: this)?(?: article| story| page| post)?(?: on| via)?:? ?)?"
            rf"{_SOCIAL}(?:[ ,|/\u00b7\u2022]{{1,5}}{_SOCIAL}){{0,10}}"
            r"|share(?: this)?(?: article| story| page| post)?:?"
        ),
        "story continues below": (
            r"(?i)(?:the )?(?:story|article|text) continues below(?: (?:this )?advertisement)?\.?"
        ),
        "newsletter prompt": (
            r"(?i)(?:sign up|subscribe|register|join)\b.{0,80}"
            r"\b(?:newsletters?|inbox|e-?mails?|updates|alerts|briefing)\b.{0,80}"
            r"|(?:get|receive) (?:our|the) .{0,40}newsletter.{0,80}"
        ),
        "poll widget": (
            r"(?i)(?:take (?:our|the) poll|cast your vote|vote now|view (?:poll )?results"
            r"|show results|loading poll\.*|\d+ votes?)"
        ),
        "click here": r"(?i)(?:please )?click (?:here|the link|on the link|to)\b.{0,120}",
        "read more": (
            r"(?i)(?:read more|read also|also read|related(?: articles?| stories| coverage)?"
            r"|more on this(?: story)?|see also)(?: ?[:\u00bb\u203a>|-] ?.{0,150})?"
        ),
        "follow us": r"(?i)follow us on .{0,80}",
        "cookie notice": (
            r"(?i)(?:we use cookies|this (?:site|website) uses cookies"
            r"|by (?:continuing|using) (?:to browse|to use )?(?:this|our) (?:site|website))"
            r".{0,250}|(?:accept|allow|manage|reject) (?:all )?cookies\.?"
            r"|cookie (?:settings|policy|preferences)\.?"
        ),
        "advertisement": (
            r"(?i)(?:advertisement|advertising|ad|sponsored(?: content)?"
            r"|scroll to continue(?: with content)?|skip (?:the )?ad)\.?"
        ),
    },
}

#: shipped boilerplate FRAGMENTS at the start or end of a line (issue 20): menu crumbs and
#: link labels that sites glue to a headline or a lede ("... (18.01.22 18:23) « War in Ukraine |
#: Censor.NET", "... View news."). Each is anchored at a line edge (``\A`` or ``\Z``) and cut
#: from the line; the rest of the line stays. A preset name applies both tables.
CLEAN_FRAGMENTS: dict[str, dict[str, str]] = {
    "web": {
        "menu crumb (line end)": (
            r"[ \t]*(?:\(\d{1,2}\.\d{1,2}\.\d{2,4},? \d{1,2}:\d{2}\)[ \t]*)?"
            r"\u00ab[^\u00ab\u00bb|\n]{1,60}\|[^\u00ab\u00bb|\n]{1,40}\Z"
        ),
        "view link (line end)": (
            r"(?:\A|[ \t]+)View (?i:(?:photo |video )?"
            r"(?:news|article|story|photos?|gallery|video))\.?\Z"
        ),
        "time stamp (line start)": r"\A\d{1,2}\.\d{1,2}\.\d{2,4},? \d{1,2}:\d{2} ?[-\u2013\u2014] ?",
    },
}


# --------------------------------------------------------------------------- text columns
def join_text(table: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """Several text columns joined into one text, each part its own paragraph.

    Parts are joined with a blank line between them (a paragraph break for
    ``coding.level: paragraph``); missing or whitespace-only parts are skipped, so a row is
    empty only when every part is.

    Parameters
    ----------
    table : pandas.DataFrame
        The raw table.
    columns : sequence of str
        The columns to join, in order (e.g. ``["title", "desc"]``).

    Returns
    -------
    pandas.Series
        One string per row (``""`` when every part is empty), same index as ``table``.

    Raises
    ------
    KeyError
        A column does not exist (the message lists the columns and the closest name).

    Examples
    --------
    >>> raw = pd.DataFrame({"title": ["Talks resume", None, " "],
    ...                     "desc": ["Envoys met.", "Only a lede.", None]})
    >>> join_text(raw, ["title", "desc"]).tolist()
    ['Talks resume\\n\\nEnvoys met.', 'Only a lede.', '']
    """
    cols = [str(c) for c in table.columns]
    for col in columns:
        if col not in table.columns:
            raise KeyError(
                f"join_text(): {col!r} is not a column. Columns found: "
                f"{', '.join(map(repr, cols))}.{suggest(col, cols)}"
            )

    def part(value: object) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        return str(value).strip()

    parts = [table[c].map(part) for c in columns]
    joined = ["\n\n".join(p for p in row if p) for row in zip(*parts, strict=True)] if parts else []
    return pd.Series(joined, index=table.index, dtype=object)


# --------------------------------------------------------------------------- recode
def recode(
    corpus: pd.DataFrame,
    column: str,
    *,
    source: str,
    mapping: Mapping[object, object],
    other: object = None,
) -> pd.DataFrame:
    """A new (or replaced) column from a mapping of an existing one, e.g. outlet -> country.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The corpus; not modified.
    column : str
        The column to write (``country``, ``camp``, ...).
    source : str
        The column whose values are mapped (values are compared as text).
    mapping : mapping
        Old value -> new value.
    other : optional
        The value for non-missing values not in ``mapping``; ``None`` makes them missing.
        Unmapped values are listed in one warning with their counts.

    Returns
    -------
    pandas.DataFrame
        A copy with ``column`` set.

    Raises
    ------
    KeyError
        ``source`` is not a column.

    Examples
    --------
    >>> corpus = pd.DataFrame({"outlet": ["rt.com", "bbc.co.uk", "rt.com"]})
    >>> recode(corpus, "country", source="outlet", mapping={"rt.com": "RU", "bbc.co.uk": "GB"})
    ...       # doctest: +NORMALIZE_WHITESPACE
          outlet country
    0     rt.com      RU
    1  bbc.co.uk      GB
    2     rt.com      RU
    """
    if source not in corpus.columns:
        cols = [str(c) for c in corpus.columns]
        raise KeyError(
            f"recode(): source={source!r} is not a column. Columns found: "
            f"{', '.join(map(repr, cols))}.{suggest(source, cols, 'source')}"
        )
    table = {str(k): v for k, v in mapping.items()}
    values = corpus[source]
    present = values.notna()
    text = values[present].map(str)
    unmapped = text[~text.isin(list(table))]
    out = corpus.copy()
    result = pd.Series(None, index=corpus.index, dtype=object)
    result[present] = text.map(lambda v: table.get(v, other))
    if not unmapped.empty:
        counts = unmapped.value_counts()
        shown = ", ".join(f"{v!r} ({n:,})" for v, n in counts.head(20).items())
        warnings.warn(
            f"recode(): {len(counts)} value(s) of {source} are not in the map for {column} "
            f"({len(unmapped):,} rows) and became {other!r}: {shown}"
            f"{', ...' if len(counts) > 20 else ''}. Add them to the map, or set other=.",
            UserWarning,
            stacklevel=2,
        )
    out[column] = result
    if column in ("outlet", "title", "url", "country", "language", "source_file"):
        out[column] = out[column].astype("str").where(out[column].notna())
    logger.info(
        "recode(): %s from %s, %d of %d rows mapped",
        column,
        source,
        len(text) - len(unmapped),
        len(corpus),
    )
    return out


_recode = recode  # prepare_corpus's ``recode`` argument shadows the function


# --------------------------------------------------------------------------- filters
def _day(value: object, name: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        return pd.Timestamp(value.isoformat() if isinstance(value, dt.date) else value)
    except (ValueError, TypeError):
        raise ValueError(
            f"filter_corpus(): {name}={value!r} is not a date; give YYYY-MM-DD."
        ) from None


def _drop(out: pd.DataFrame, remove: pd.Series, reason: str, dropped: list, report: list):
    n = int(remove.sum())
    report.append({"filter": reason, "removed": n})
    logger.info("filter_corpus(): %s removed %d of %d rows", reason, n, len(out))
    for doc in out.loc[remove, "doc_id"] if "doc_id" in out.columns else []:
        dropped.append({"doc_id": str(doc), "reason": f"filter: {reason}"})
    return out.loc[~remove]


def filter_corpus(
    corpus: pd.DataFrame,
    *,
    date_from: object = None,
    date_to: object = None,
    keep: Mapping[str, Sequence[object]] | None = None,
    drop: Mapping[str, Sequence[object]] | None = None,
    date_col: str = "date",
) -> pd.DataFrame:
    """Keep a date range and keep or drop rows by column values; report what each removed.

    Parameters
    ----------
    corpus : pandas.DataFrame
        The corpus; not modified.
    date_from, date_to : str or date, optional
        First and last day kept (both inclusive). Rows without a date are removed by a date
        filter.
    keep : mapping, optional
        Column -> values: only rows whose value is listed are kept (values compared as text).
    drop : mapping, optional
        Column -> values: rows whose value is listed are removed.
    date_col : str, default "date"

    Returns
    -------
    pandas.DataFrame
        The kept rows. ``attrs["framelab_filter_report"]`` lists ``{"filter", "removed"}`` per
        filter, in the order applied (date, keep, drop); removed rows are added to
        ``attrs["framelab_dropped"]``. A listed value that matches no row gives a warning.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": list("abcd"), "outlet": ["A", "B", "A", "C"],
    ...     "date": pd.to_datetime(["2022-02-23", "2022-03-01", "2023-12-31", "2024-01-01"])})
    >>> kept = filter_corpus(corpus, date_from="2022-02-24", date_to="2023-12-31",
    ...                      drop={"outlet": ["B"]})
    >>> kept["doc_id"].tolist()
    ['c']
    >>> kept.attrs["framelab_filter_report"]
    [{'filter': 'date from 2022-02-24 to 2023-12-31', 'removed': 2}, {'filter': "drop outlet in ['B']", 'removed': 1}]
    """
    out = corpus
    dropped = list(corpus.attrs.get("framelab_dropped", []))
    report: list[dict] = []
    start, end = _day(date_from, "date_from"), _day(date_to, "date_to")
    if start is not None or end is not None:
        if date_col not in out.columns:
            raise KeyError(f"filter_corpus(): no {date_col!r} column to filter dates on.")
        dates = pd.to_datetime(out[date_col])
        inside = dates.notna()
        if start is not None:
            inside &= dates >= start
        if end is not None:
            inside &= dates < end + pd.Timedelta(days=1)
        span = " ".join(
            f"{word} {day.date()}" for word, day in (("from", start), ("to", end)) if day
        )
        out = _drop(out, ~inside, f"date {span}", dropped, report)
    for kind, spec in (("keep", keep), ("drop", drop)):
        for col, values in (spec or {}).items():
            if col not in out.columns:
                cols = [str(c) for c in out.columns]
                raise KeyError(
                    f"filter_corpus(): {kind}: {col!r} is not a column. Columns found: "
                    f"{', '.join(map(repr, cols))}.{suggest(col, cols)}"
                )
            wanted = [str(v) for v in values]
            text = out[col].map(lambda v: None if pd.isna(v) else str(v))
            have = sorted(set(text.dropna()))
            for v in wanted:
                if v not in have:
                    warnings.warn(
                        f"filter_corpus(): {kind}: {v!r} is not a value of {col} (no row "
                        f"matches).{suggest(v, have)}",
                        UserWarning,
                        stacklevel=2,
                    )
            hit = text.isin(wanted)
            out = _drop(
                out, ~hit if kind == "keep" else hit, f"{kind} {col} in {wanted}", dropped, report
            )
    out = out.reset_index(drop=True)
    out.attrs = dict(corpus.attrs)
    out.attrs["framelab_dropped"] = dropped
    out.attrs["framelab_filter_report"] = report
    return out


# --------------------------------------------------------------------------- boilerplate
def _patterns(patterns: Sequence[str]) -> list[tuple[str, re.Pattern]]:
    from framelab._regex_check import check_regex

    out = []
    for pattern in patterns:
        if pattern in CLEAN_PRESETS:
            out += [
                (f"{pattern}: {name}", re.compile(rx))
                for name, rx in CLEAN_PRESETS[pattern].items()
            ]
            continue
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ValueError(
                f"clean_text(): {pattern!r} is neither a preset ({', '.join(CLEAN_PRESETS)}) "
                f"nor a valid regex ({exc}).{suggest(pattern, CLEAN_PRESETS)}"
            ) from None
        problem = check_regex(pattern)
        if problem:
            raise ValueError(f"clean_text(): regex {pattern!r}: {problem}. Simplify it.")
        out.append((pattern, compiled))
    return out


def _cut_fragments(line: str, fragments, removed: dict[str, int], hit: set[str]) -> str:
    """``line`` without the boilerplate fragments at its ends (counted per pattern)."""
    for name, rx in fragments:
        cut = rx.sub("", line, count=1)
        if cut != line:
            removed[name] += 1
            hit.add(name)
            line = cut
    return line


def clean_text(corpus: pd.DataFrame, patterns: Sequence[str]) -> pd.DataFrame:
    """Remove boilerplate lines: each line of ``text`` that a pattern matches *as a whole*.

    A line is removed only when the whole line (spaces at its ends ignored) matches, so a
    sentence that merely contains "click" or "share" stays. A preset also cuts boilerplate
    *fragments* glued to the start or end of a line (:data:`CLEAN_FRAGMENTS`: menu crumbs such
    as "« War in Ukraine | Censor.NET", "View news.", a leading "18.01.22 18:23 - " stamp);
    the rest of the line stays, and a line left empty is dropped. Documents left empty are
    dropped and recorded.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A Corpus (a ``text`` column with lines separated by newlines); not modified.
    patterns : sequence of str
        Preset names (``"web"``: share buttons, "story continues below", newsletter and
        sign-up prompts, poll widgets, "click here...", "read more", "follow us", cookie
        notices, "advertisement") and regexes such as ``"^Photo: .*$"``. Regexes are checked
        for catastrophic backtracking.

    Returns
    -------
    pandas.DataFrame
        The cleaned corpus. ``attrs["framelab_clean_report"]`` lists ``{"pattern",
        "lines_removed", "documents"}`` for every pattern (presets one row per entry; for a
        fragment entry, ``lines_removed`` counts the lines it was cut from).

    Raises
    ------
    ValueError
        An invalid or unsafe regex.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "text": [
    ...     "Envoys met in Geneva.\\n\\nShare on Facebook\\nClick here to read more\\n\\n"
    ...     "Click the map to zoom in on the front line.\\nPhoto: Reuters"]})
    >>> out = clean_text(corpus, ["web", "^Photo: .*$"])
    >>> print(out["text"][0])
    Envoys met in Geneva.
    <BLANKLINE>
    Click the map to zoom in on the front line.
    >>> [(r["pattern"], r["lines_removed"]) for r in out.attrs["framelab_clean_report"]
    ...  if r["lines_removed"]]
    [('web: share buttons', 1), ('web: click here', 1), ('^Photo: .*$', 1)]
    """
    compiled = _patterns(patterns)
    fragments = [
        (f"{pattern}: {name}", re.compile(rx))
        for pattern in dict.fromkeys(patterns)
        for name, rx in CLEAN_FRAGMENTS.get(pattern, {}).items()
    ]
    removed = {name: 0 for name, _ in compiled + fragments}
    docs = {name: 0 for name, _ in compiled + fragments}
    texts = []
    for text in corpus["text"]:
        if not isinstance(text, str):
            texts.append(text)
            continue
        kept, hit = [], set()
        for line in text.split("\n"):
            stripped = line.strip()
            name = next((n for n, rx in compiled if stripped and rx.fullmatch(stripped)), None)
            if name is None:
                line = _cut_fragments(line, fragments, removed, hit)
                if line.strip() or not stripped:
                    kept.append(line)
            else:
                removed[name] += 1
                hit.add(name)
        for name in hit:
            docs[name] += 1
        texts.append(re.sub(r"\n\s*\n(?:\s*\n)*", "\n\n", "\n".join(kept)).strip())
    out = corpus.copy()
    out.attrs = dict(corpus.attrs)
    out["text"] = texts
    report = [
        {"pattern": name, "lines_removed": removed[name], "documents": docs[name]}
        for name, _ in compiled + fragments
    ]
    for row in report:
        logger.info(
            "clean_text(): %(pattern)s removed %(lines_removed)d line(s) "
            "in %(documents)d document(s)",
            row,
        )
    empty = out["text"].map(lambda t: isinstance(t, str) and not t)
    if empty.any():
        dropped = list(out.attrs.get("framelab_dropped", []))
        for doc in out.loc[empty, "doc_id"] if "doc_id" in out.columns else []:
            dropped.append({"doc_id": str(doc), "reason": "empty after clean"})
        warnings.warn(
            f"clean_text(): {int(empty.sum())} document(s) held only boilerplate and were "
            "dropped; they are listed in corpus.attrs['framelab_dropped'].",
            UserWarning,
            stacklevel=2,
        )
        out = out.loc[~empty].reset_index(drop=True)
        out.attrs["framelab_dropped"] = dropped
    out.attrs["framelab_clean_report"] = report
    return out


# --------------------------------------------------------------------------- all steps
def prepare_corpus(
    corpus: pd.DataFrame,
    *,
    recode: Mapping[str, Mapping[str, object]] | None = None,
    filter: Mapping[str, object] | None = None,
    clean: Sequence[str] = (),
    date_col: str = "date",
) -> pd.DataFrame:
    """Recode, filter and clean a corpus, as the study config's ``corpus`` section does.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A Corpus.
    recode : mapping, optional
        New column -> ``{"from": column, "map": {...}, "other": None}`` (see :func:`recode`).
    filter : mapping, optional
        ``{"date": {"from": ..., "to": ...}, "keep": {col: [...]}, "drop": {col: [...]}}``
        (see :func:`filter_corpus`); filters may use recoded columns.
    clean : sequence of str
        Presets and regexes (see :func:`clean_text`).
    date_col : str, default "date"

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": list("abc"), "text": ["Talks.\\nAdvertisement", "Truce.", "Shelling."],
    ...     "outlet": ["rt.com", "bbc.co.uk", "kyivindependent.com"],
    ...     "date": pd.to_datetime(["2022-03-01"] * 3)})
    >>> out = prepare_corpus(corpus,
    ...     recode={"country": {"from": "outlet", "map": {"rt.com": "RU",
    ...             "bbc.co.uk": "GB", "kyivindependent.com": "UA"}}},
    ...     filter={"keep": {"country": ["RU", "UA"]}}, clean=["web"])
    >>> out[["doc_id", "text", "country"]].to_dict("records")
    [{'doc_id': 'a', 'text': 'Talks.', 'country': 'RU'}, {'doc_id': 'c', 'text': 'Shelling.', 'country': 'UA'}]
    """
    out = corpus
    for column, spec in (recode or {}).items():
        out = _recode(
            out, column, source=spec["from"], mapping=spec["map"], other=spec.get("other")
        )
    spec = filter or {}
    if spec:
        span = spec.get("date") or {}
        out = filter_corpus(
            out,
            date_from=span.get("from"),
            date_to=span.get("to"),
            keep=spec.get("keep"),
            drop=spec.get("drop"),
            date_col=date_col,
        )
    if clean:
        out = clean_text(out, clean)
    return out.reset_index(drop=True)
