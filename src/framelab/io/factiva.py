"""Factiva exports: the HTML article view (``HD``, ``PD``, ``SN``... tables) and the XML export.

Both give one row per article:

===============  ==========================================================================
column           content
===============  ==========================================================================
``doc_id``       the Factiva accession number (``AN``), e.g. ``TESTFR0020111229e7ct0001r``
``text``         lead paragraph(s) then body (``LP`` + ``TD``), paragraphs joined with a blank line
``title``        headline (``HD``)
``outlet``       source name (``SN``)
``date``         publication date (``PD``, with the time ``ET`` when given), ISO string
``byline``       ``BY``
``section``      ``SE``
``length``       word count (``WC``), nullable integer
``language``     ISO 639-1 code (``LA``)
``edition``      ``ED``
``copyright``    ``CY``
``publisher``    ``PUB``
``source_code``  ``SC``
``subject``      subject names (``NS``), ``; ``-separated, codes removed
``region``       region names (``RE``), ``; ``-separated
``company``      ``CO``
``industry``     ``IN``
``page``         ``PG``
``position``     the article's position in the file (1-based)
===============  ==========================================================================

Other HTML codes (``RF``, ``IPC``, ``NGC``...) and other XML fields become columns named after them
in snake case. An article with no text is skipped with ONE warning per file naming its position.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pandas as pd

from framelab.io._articles import (
    build_table,
    check_bad_lines,
    clean_line,
    head_text,
    html_paragraphs,
    language_code,
    local_name,
    parse_articles,
    parse_html,
    plain_paragraphs,
    safe_xml_root,
    snake_case,
    word_count,
)
from framelab.io._dates import parse_date
from framelab.io._registry import FormatSpec, register_format
from framelab.io._text import LoadError, read_bytes, read_text_file

__all__ = ["read_factiva_html", "read_factiva_xml"]

logger = logging.getLogger(__name__)

COLUMNS = (
    "doc_id",
    "text",
    "title",
    "outlet",
    "date",
    "byline",
    "section",
    "length",
    "language",
    "edition",
    "copyright",
    "publisher",
    "source_code",
    "subject",
    "region",
    "company",
    "industry",
    "page",
    "position",
)

_HTML_CODES = {
    "AN": "doc_id",
    "HD": "title",
    "SN": "outlet",
    "BY": "byline",
    "SE": "section",
    "WC": "length",
    "LA": "language",
    "ED": "edition",
    "CY": "copyright",
    "PUB": "publisher",
    "SC": "source_code",
    "NS": "subject",
    "RE": "region",
    "CO": "company",
    "IN": "industry",
    "PG": "page",
    "CR": "credit",
}
_CODED_LISTS = ("subject", "region", "company", "industry")


def _coded_names(value: str) -> str:
    """``"gpol : Domestic Politics | gcat : Political"`` -> ``"Domestic Politics; Political"``."""
    items = [re.sub(r"^\s*[\w.-]+\s+:\s+", "", item).strip() for item in value.split("|")]
    return "; ".join(i for i in items if i)


def read_factiva_html(
    path: str | Path, *, encoding: str | None = None, on_bad_lines: str = "error", **_: object
) -> pd.DataFrame:
    """Read a Factiva HTML export (``<div class="article">`` blocks of code/value rows).

    Parameters
    ----------
    path : str or os.PathLike
        The ``.html`` export saved from Factiva; opened read-only.
    encoding : str, optional
        Detected when omitted.
    on_bad_lines : {"error", "warn", "skip"}, default "error"
        Articles without text are skipped with one warning for the file (``"skip"``: logged only).

    Returns
    -------
    pandas.DataFrame
        One row per article with the columns listed in :mod:`framelab.io.factiva`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "factiva.html"
    >>> _ = path.write_text(
    ...     '<html><head><title>Factiva</title></head><body><div class="article enArticle">'
    ...     '<table><tr><td><b>HD</b></td><td>Envoys meet</td></tr>'
    ...     '<tr><td><b>PD</b></td><td>3 March 2023</td></tr>'
    ...     '<tr><td><b>SN</b></td><td>Example Daily</td></tr>'
    ...     '<tr><td><b>TD</b></td><td><p class="articleParagraph">Envoys met.</p></td></tr>'
    ...     '<tr><td><b>AN</b></td><td>Document EXD0000020230303ej33000a1</td></tr>'
    ...     '</table></div></body></html>', encoding="utf-8")
    >>> read_factiva_html(path)[["doc_id", "title", "outlet", "date", "language", "text"]
    ...     ].to_dict("records")
    [{'doc_id': 'EXD0000020230303ej33000a1', 'title': 'Envoys meet', 'outlet': 'Example Daily', \
'date': '2023-03-03', 'language': 'en', 'text': 'Envoys met.'}]
    """
    check_bad_lines(on_bad_lines)
    path = Path(path)
    markup, enc = read_text_file(path, encoding)
    soup = parse_html(markup)
    articles = soup.find_all("div", class_="article")
    if not articles:
        raise LoadError(
            f'{path}: no <div class="article"> block found, so this is not a Factiva HTML '
            "export. Pass format='webpage' to read it as a saved web page."
        )
    records, skipped = parse_articles(articles, _html_article)
    return build_table(
        records,
        COLUMNS,
        path=path,
        fmt="factiva_html",
        skipped=skipped,
        message=f"encoding {enc}",
        on_bad_lines=on_bad_lines,
    )


def _html_article(div) -> tuple[dict | None, str]:
    record: dict = {}
    paragraphs: list[str] = []
    date = time = None
    table = div.find("table")
    rows = table.find_all("tr", recursive=False) if table is not None else []
    if not rows and table is not None:
        rows = table.find_all("tr")
    for tr in rows:
        cells = tr.find_all("td", recursive=False)
        if len(cells) < 2:
            continue
        code = re.sub(r"[^A-Z]", "", cells[0].get_text())
        value_cell = cells[1]
        if code in ("LP", "TD"):
            paras = value_cell.find_all("p")
            texts = (
                ["\n".join(html_paragraphs(p)) for p in paras]
                if paras
                else html_paragraphs(value_cell)
            )
            paragraphs.extend(t for t in texts if t.strip())
            continue
        value = clean_line(" ".join(html_paragraphs(value_cell)))
        if not code or not value:
            continue
        if code == "PD":
            date = value
        elif code == "ET":
            time = value
        elif code in _HTML_CODES:
            column = _HTML_CODES[code]
            if column == "doc_id":
                value = re.sub(r"^Document\s+", "", value)
            elif column == "length":
                value = word_count(value)
            elif column == "language":
                value = language_code(value)
            elif column in _CODED_LISTS:
                value = _coded_names(value)
            record[column] = value
        else:
            record[code.lower()] = value
    if "language" not in record:
        match = re.match(r"([a-z]{2})Article$", " ".join(div.get("class") or []).split()[-1])
        if match:
            record["language"] = match.group(1)
    if date:
        record["date"] = parse_date(f"{date} {time}" if time else date) or date
    if not paragraphs:
        return None, f"no text (no LP or TD paragraphs; headline {record.get('title')!r})"
    record["text"] = "\n\n".join(paragraphs)
    return record, ""


# ------------------------------------------------------------------------------------------- XML

_XML_FIELDS = {
    "accessionNo": "doc_id",
    "sourceName": "outlet",
    "sourceCode": "source_code",
    "publisherName": "publisher",
    "baseLanguage": "language",
    "copyright": "copyright",
    "wordCount": "length",
    "byline": "byline",
    "author": "byline",
    "sectionName": "section",
    "section": "section",
    "edition": "edition",
    "pages": "page",
    "page": "page",
}
_XML_LISTS = {
    "region": "region",
    "newsSubject": "subject",
    "company": "company",
    "industry": "industry",
}
_XML_SKIP = {
    "headline",
    "leadParagraph",
    "tailParagraphs",
    "publicationDate",
    "publicationTime",
    "logo",
    "descField",
}


def read_factiva_xml(path: str | Path, *, on_bad_lines: str = "error", **_: object) -> pd.DataFrame:
    """Read a Factiva XML export (``<ppsarticle><article>...`` elements).

    The XML is parsed with defusedxml: a file declaring entities (an "XML bomb") is refused.

    Parameters
    ----------
    path : str or os.PathLike
        The ``.xml`` export; opened read-only.
    on_bad_lines : {"error", "warn", "skip"}, default "error"
        Articles without text are skipped with one warning for the file (``"skip"``: logged only).

    Returns
    -------
    pandas.DataFrame
        One row per article with the columns listed in :mod:`framelab.io.factiva`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "factiva.xml"
    >>> _ = path.write_text(
    ...     '<PPSResponse><ppsarticle><article><accessionNo>EXD01</accessionNo>'
    ...     '<headline><paragraph>Envoys meet</paragraph></headline><tailParagraphs>'
    ...     '<paragraph>Envoys met.</paragraph><paragraph>Talks go on.</paragraph>'
    ...     '</tailParagraphs><publicationDate><date>2023-03-03</date></publicationDate>'
    ...     '<sourceName>Example Daily</sourceName></article></ppsarticle></PPSResponse>',
    ...     encoding="utf-8")
    >>> read_factiva_xml(path)[["doc_id", "title", "outlet", "date", "text"]].to_dict("records")
    [{'doc_id': 'EXD01', 'title': 'Envoys meet', 'outlet': 'Example Daily', \
'date': '2023-03-03', 'text': 'Envoys met.\\n\\nTalks go on.'}]
    """
    check_bad_lines(on_bad_lines)
    path = Path(path)
    data = read_bytes(path)
    if not data.strip():
        raise LoadError(f"{path}: the file is empty. Check that the export finished writing.")
    root = safe_xml_root(data, path, "the Factiva XML export")
    articles = [el for el in root.iter() if local_name(el.tag) == "article"]
    if not articles:
        raise LoadError(
            f"{path}: no <article> element found, so this is not a Factiva XML export "
            f"(root element <{local_name(root.tag)}>)."
        )
    records, skipped = parse_articles(articles, _xml_article)
    message = ""
    declared = [
        el.get("count") for el in root.iter() if local_name(el.tag) == "ppsarticleResultSet"
    ]
    if declared and declared[0] and declared[0].isdigit() and int(declared[0]) != len(articles):
        message = (
            f"the export declares {declared[0]} articles and holds {len(articles)} "
            "(a truncated download?)"
        )
        logger.info("%s: %s", path, message)
    return build_table(
        records,
        COLUMNS,
        path=path,
        fmt="factiva_xml",
        skipped=skipped,
        message=message,
        on_bad_lines=on_bad_lines,
    )


def _xml_paragraphs(element) -> list[str]:
    paras = [el for el in element if local_name(el.tag) == "paragraph"]
    if paras:
        return [t for t in (clean_line("".join(p.itertext())) for p in paras) if t]
    return plain_paragraphs("".join(element.itertext()))


def _xml_article(article) -> tuple[dict | None, str]:
    record: dict = {}
    paragraphs: list[str] = []
    lists: dict[str, list[str]] = {}
    for child in article:
        name = local_name(child.tag)
        if name == "headline":
            record["title"] = " ".join(_xml_paragraphs(child)) or None
        elif name in ("leadParagraph", "tailParagraphs"):
            paragraphs.extend(_xml_paragraphs(child))
        elif name == "publicationDate":
            parts = {local_name(el.tag): (el.text or "").strip() for el in child}
            value = parts.get("dateTime") or parts.get("date") or (child.text or "").strip()
            if value:
                record["date"] = parse_date(value) or value
        elif name in _XML_LISTS:
            label = next((el for el in child if local_name(el.tag) == "name"), None)
            text = clean_line(label.text if label is not None else child.text)
            if text:
                lists.setdefault(_XML_LISTS[name], []).append(text)
        elif name in _XML_SKIP:
            continue
        else:
            value = clean_line(" ".join(child.itertext()))
            if not value:
                continue
            column = _XML_FIELDS.get(name, snake_case(name))
            if column == "length":
                value = word_count(value)
            elif column == "language":
                value = language_code(value)
            record[column] = value
    for column, names in lists.items():
        record[column] = "; ".join(names)
    if not paragraphs:
        return (
            None,
            f"no text (no leadParagraph or tailParagraphs; headline {record.get('title')!r})",
        )
    record["text"] = "\n\n".join(paragraphs)
    return record, ""


# -------------------------------------------------------------------------------------- sniffing


def _sniff_html(path: Path, head: bytes) -> bool:
    text = head_text(head)
    return "<title>factiva" in text.lower() or bool(
        re.search(r'class="article [a-z]{2}Article"', text)
    )


def _sniff_xml(path: Path, head: bytes) -> bool:
    text = head_text(head)
    return "<PPSResponse" in text or "<ppsarticle" in text or "factiva.com/pps" in text


register_format(
    FormatSpec(
        "factiva_html",
        read_factiva_html,
        (".html", ".htm"),
        sniff=_sniff_html,
        priority=10,
        description="Factiva HTML export",
    )
)
register_format(
    FormatSpec(
        "factiva_xml",
        read_factiva_xml,
        (".xml",),
        sniff=_sniff_xml,
        priority=10,
        description="Factiva XML export",
    )
)
