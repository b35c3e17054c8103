"""RSS and Atom feeds (saved to a file): one document per item, read with feedparser.

The XML is first parsed with defusedxml, so a feed that declares entities (a "billion laughs"
XML bomb, or an external entity that would read local files) is refused at once with a
:class:`~framelab.io.LoadError`. Nothing is fetched from the network: the file is read from disk
and handed to feedparser as bytes.

=============  ===============================================================================
column         content
=============  ===============================================================================
``doc_id``     the item's ``guid``/``id`` (its link when it has none)
``text``       the item's content, or its description/summary, as plain text (paragraphs kept)
``title``      item title
``outlet``     the feed's title
``date``       published (or updated) time, ISO 8601 in UTC
``url``        item link
``byline``     author
``section``    categories/tags, ``; ``-separated
``language``   ISO 639-1 code from the feed's language (``en-us`` -> ``en``)
``summary``    the description as plain text when the item also has full content
``position``   the item's position in the feed (1-based)
=============  ===============================================================================

Items without any text (no content, no description) are skipped with ONE warning per file.
"""

from __future__ import annotations

import io
import logging
import re
import time
from pathlib import Path

import pandas as pd

from framelab.io._articles import (
    XMLSyntaxError,
    build_table,
    check_bad_lines,
    clean_line,
    head_text,
    html_paragraphs,
    language_code,
    parse_articles,
    parse_html,
    safe_xml_root,
)
from framelab.io._registry import FormatSpec, register_format
from framelab.io._text import LoadError, read_bytes

__all__ = ["read_feed"]

logger = logging.getLogger(__name__)

COLUMNS = (
    "doc_id",
    "text",
    "title",
    "outlet",
    "date",
    "url",
    "byline",
    "section",
    "language",
    "summary",
    "position",
)


def read_feed(path: str | Path, *, on_bad_lines: str = "error", **_: object) -> pd.DataFrame:
    """Read a saved RSS (0.9x, 1.0, 2.0) or Atom feed; each item becomes a document.

    Parameters
    ----------
    path : str or os.PathLike
        The feed file (``.xml``, ``.rss``, ``.atom``, ``.rdf``); opened read-only.
    on_bad_lines : {"error", "warn", "skip"}, default "error"
        Items without text are skipped with one warning for the file (``"skip"``: logged only).

    Returns
    -------
    pandas.DataFrame
        One row per item with the columns listed in :mod:`framelab.io.feeds`.

    Raises
    ------
    LoadError
        The file declares XML entities (XML bomb, external entity), is not a feed, or has no item.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "feed.rss"
    >>> _ = path.write_text(
    ...     '<rss version="2.0"><channel><title>Example Daily</title><language>en-gb</language>'
    ...     '<item><title>Envoys meet</title><link>https://example.org/1</link>'
    ...     '<guid>ex-1</guid><pubDate>Fri, 03 Mar 2023 09:30:00 +0100</pubDate>'
    ...     '<description>&lt;p&gt;Envoys met.&lt;/p&gt;&lt;p&gt;Talks go on.&lt;/p&gt;'
    ...     '</description></item></channel></rss>', encoding="utf-8")
    >>> read_feed(path)[["doc_id", "outlet", "date", "language", "text"]].to_dict("records")
    [{'doc_id': 'ex-1', 'outlet': 'Example Daily', 'date': '2023-03-03T08:30:00+00:00', \
'language': 'en', 'text': 'Envoys met.\\n\\nTalks go on.'}]
    """
    check_bad_lines(on_bad_lines)
    path = Path(path)
    data = read_bytes(path)
    if not data.strip():
        raise LoadError(f"{path}: the file is empty. Check that the download finished.")
    message = _check_xml(data, path)

    import feedparser

    # bytes in a stream: feedparser never treats them as a URL or a file name to open
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)
    feed = parsed.get("feed", {})
    if not parsed.entries:
        why = parsed.get("bozo_exception")
        raise LoadError(
            f"{path}: no <item> or <entry> found, so this is not an RSS/Atom feed"
            + (f" ({why})" if why else "")
            + "."
        )
    outlet = clean_line(feed.get("title")) or None
    language = language_code(feed.get("language")) if feed.get("language") else None
    records, skipped = parse_articles(parsed.entries, lambda item: _entry(item, outlet, language))
    return build_table(
        records,
        COLUMNS,
        path=path,
        fmt="feed",
        skipped=skipped,
        unit="item",
        message=message or f"{parsed.get('version') or 'feed'}",
        on_bad_lines=on_bad_lines,
    )


def _check_xml(data: bytes, path: Path) -> str:
    """Refuse entity declarations before feedparser sees the bytes; note lenient parsing."""
    try:
        safe_xml_root(data, path, "the feed")
    except XMLSyntaxError as exc:
        # not well-formed: feedparser's lenient parser can often still read it, but only when no
        # DTD could declare entities for it to expand
        if re.search(rb"<!ENTITY|<!DOCTYPE[^>]*\[", data, re.I):
            raise LoadError(
                f"{path}: refused to parse the feed: it is not well-formed XML ({exc.reason}, line "
                f"{exc.line}) and has an internal DTD, which could declare entities. Remove the "
                "<!DOCTYPE ...> block."
            ) from None
        note = f"not well-formed XML ({exc.reason}, line {exc.line}), read leniently"
        logger.info("%s: %s", path, note)
        return note
    return ""


def _html_text(value: str | None) -> str:
    if not value:
        return ""
    if "<" not in value and "&" not in value:
        return "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", value) if p.strip())
    return "\n\n".join(html_paragraphs(parse_html(value)))


def _entry(entry, outlet: str | None, language: str | None) -> tuple[dict | None, str]:
    contents = entry.get("content") or []
    content = "\n\n".join(t for t in (_html_text(c.get("value")) for c in contents) if t)
    summary = _html_text(entry.get("summary"))
    text = content or summary
    title = clean_line(entry.get("title")) or None
    if not text:
        return None, f"no text (no content or description; title {title!r})"
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    date = (
        time.strftime("%Y-%m-%dT%H:%M:%S+00:00", stamp)
        if stamp
        else (entry.get("published") or entry.get("updated"))
    )
    tags = [clean_line(t.get("term")) for t in entry.get("tags") or [] if t.get("term")]
    item_language = (entry.get("content") or [{}])[0].get("language") if contents else None
    return {
        "doc_id": entry.get("id") or entry.get("link") or None,
        "text": text,
        "title": title,
        "outlet": outlet,
        "date": date,
        "url": entry.get("link") or None,
        "byline": clean_line(entry.get("author")) or None,
        "section": "; ".join(tags) or None,
        "language": language_code(item_language) if item_language else language,
        "summary": summary if content and summary and summary != content else None,
    }, ""


def _sniff(path: Path, head: bytes) -> bool:
    if path.suffix.lower() in (".rss", ".atom", ".rdf"):
        return True
    text = head_text(head)
    return bool(
        re.search(r"<rss[\s>]", text)
        or re.search(r"<feed[^>]*http://www\.w3\.org/2005/Atom", text)
        or ("<rdf:RDF" in text and "purl.org/rss" in text)
    )


register_format(
    FormatSpec(
        "feed",
        read_feed,
        (".xml", ".rss", ".atom", ".rdf"),
        sniff=_sniff,
        priority=20,
        description="RSS or Atom feed (items become documents)",
    )
)
