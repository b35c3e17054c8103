"""Saved web pages of news articles: main text without boilerplate, via trafilatura.

A page saved from a browser (``.html``) becomes one document; a folder of pages (read with
``load_corpus(folder)``) becomes one document per page. Navigation, cookie banners, "most read"
boxes and footers are removed by trafilatura; the title, date and site name come from the page's
metadata (``<title>``, Open Graph and ``article:published_time`` tags, JSON-LD, ...). Nothing is
fetched from the network.

=============  ===============================================================================
column         content
=============  ===============================================================================
``text``       main text, paragraphs joined with a blank line (the headline is not repeated)
``title``      headline
``outlet``     site name (``og:site_name``), else the host name of the page's URL
``date``       publication date found in the page (ISO ``YYYY-MM-DD``)
``url``        canonical URL of the page, when the page states it
``byline``     author
``language``   from ``<html lang>`` (``en-GB`` -> ``en``)
``description``  the page's description (``og:description``)
``section``    categories, ``; ``-separated
=============  ===============================================================================
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from framelab.io._articles import clean_line, language_code
from framelab.io._registry import FormatSpec, register_format
from framelab.io._text import LoadError, read_text_file

__all__ = ["extract_article", "read_webpage"]

COLUMNS = ("text", "title", "outlet", "date", "url", "byline", "language", "description", "section")


def extract_article(html: str, *, url: str | None = None, min_words: int = 10) -> dict | None:
    """Extract the main text and metadata of one article page.

    Parameters
    ----------
    html : str
        The page's HTML.
    url : str, optional
        The page's address, when known (helps with relative links and the site name).
    min_words : int, default 10
        Fewer words than this (menus, "Home | World | Sport") is not an article.

    Returns
    -------
    dict or None
        ``text, title, outlet, date, url, byline, language, description, section``; ``None``
        when no main text of at least ``min_words`` words could be found.

    Examples
    --------
    >>> page = ('<html lang="en-GB"><head><title>Envoys meet | Example Daily</title>'
    ...         '<meta property="og:site_name" content="Example Daily">'
    ...         '<meta property="article:published_time" content="2023-03-03T09:00:00Z">'
    ...         '</head><body><nav>Home | World | Sport</nav><article><h1>Envoys meet</h1>'
    ...         '<p>Envoys from both sides met in the fictional town of Lakeside on Friday.</p>'
    ...         '<p>The talks lasted four hours and ended without a joint statement.</p>'
    ...         '</article><footer>Contact | Privacy</footer></body></html>')
    >>> art = extract_article(page)
    >>> art["title"], art["outlet"], art["date"], art["language"]
    ('Envoys meet', 'Example Daily', '2023-03-03', 'en')
    >>> print(art["text"])
    Envoys from both sides met in the fictional town of Lakeside on Friday.
    <BLANKLINE>
    The talks lasted four hours and ended without a joint statement.
    """
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
    )
    if doc is None:
        return None
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    title = clean_line(meta.get("title")) or None
    lines = [clean_line(line) for line in (meta.get("text") or "").split("\n")]
    lines = [line for line in lines if line]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    if sum(len(line.split()) for line in lines) < min_words:
        return None
    lang = re.search(
        r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", html[:5000], re.I
    )
    language = (
        language_code(lang.group(1))
        if lang
        else (language_code(meta["language"]) if meta.get("language") else None)
    )
    categories = meta.get("categories") or []
    return {
        "text": "\n\n".join(lines),
        "title": title,
        "outlet": clean_line(meta.get("sitename")) or meta.get("hostname") or None,
        "date": meta.get("date") or None,
        "url": meta.get("url") or url or None,
        "byline": clean_line(meta.get("author")) or None,
        "language": language,
        "description": clean_line(meta.get("description")) or None,
        "section": "; ".join(c for c in categories if c) or None,
    }


def read_webpage(
    path: str | Path,
    *,
    encoding: str | None = None,
    url: str | None = None,
    min_words: int = 10,
    **_: object,
) -> pd.DataFrame:
    """Read one saved article page (``.html``) as one document.

    Parameters
    ----------
    path : str or os.PathLike
        The saved page; opened read-only.
    encoding : str, optional
        Detected when omitted.
    url : str, optional
        The page's address, when known.
    min_words : int, default 10
        Minimum length of the main text (see :func:`extract_article`).

    Returns
    -------
    pandas.DataFrame
        One row with the columns listed in :mod:`framelab.io.webpages`.

    Raises
    ------
    LoadError
        If no main text can be found (an index page, a login wall, an empty page).
    """
    path = Path(path)
    html, enc = read_text_file(path, encoding)
    article = extract_article(html, url=url, min_words=min_words)
    if article is None:
        raise LoadError(
            f"{path}: no article text found in the page (it may be an index page, a login or "
            "cookie wall, or a page whose text is loaded by JavaScript). Save the page again with "
            "the article visible, or copy its text into a .txt file."
        )
    table = pd.DataFrame([article], columns=list(COLUMNS))
    table.attrs["framelab_load_report"] = [
        {
            "file": str(path),
            "format": "webpage",
            "status": "loaded",
            "rows": 1,
            "message": f"encoding {enc}",
        }
    ]
    return table


register_format(
    FormatSpec(
        "webpage",
        read_webpage,
        (".html", ".htm", ".xhtml"),
        description="saved article web page (main text via trafilatura)",
    )
)
