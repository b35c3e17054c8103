"""Europresse HTML exports (both the current ``<article>`` layout and the older table layout).

One row per article:

=============  ===============================================================================
column         content
=============  ===============================================================================
``doc_id``     the Europresse document number without ``news·`` and the dots
               (``news·20060314·LM·0q1403_1255263`` -> ``20060314LM0q1403_1255263``)
``text``       the body, paragraphs joined with a blank line
``title``      headline (``titreArticleVisu``)
``outlet``     publication name (an issue number such as ``, no. 5968`` is moved to ``issue``)
``date``       publication date (French or English, weekday allowed), ISO string
``byline``     author line
``section``    the section before the date in the header (``Politique``)
``page``       page (``p. 12`` -> ``12``)
``subtitle``   kicker or subtitle printed above the headline
``rubric``     sub-heading printed under the date (current layout)
``copyright``  ``© 2006 ... Tous droits réservés.``
``notes``      illustrations and notes printed after the text
``issue``      issue number from the publication name
``position``   the article's position in the file (1-based)
=============  ===============================================================================

An article without text is skipped with ONE warning per file naming its position.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from framelab.io._articles import (
    build_table,
    check_bad_lines,
    clean_line,
    head_text,
    html_paragraphs,
    parse_html,
)
from framelab.io._dates import find_date
from framelab.io._registry import FormatSpec, register_format
from framelab.io._text import LoadError, read_text_file

__all__ = ["read_europresse"]

COLUMNS = (
    "doc_id",
    "text",
    "title",
    "outlet",
    "date",
    "byline",
    "section",
    "page",
    "subtitle",
    "rubric",
    "copyright",
    "notes",
    "issue",
    "position",
)

_DOC_NUMBER = re.compile(
    r"(?:Num[ée]ro de document|Document number|Document No\.?)\s*:\s*(\S+)", re.I
)
_COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)|copyright\b)", re.I)
_TITLE_MARK = "\x00TITLE\x00"
_WEEKDAY = re.compile(
    r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)\b",
    re.I,
)


def read_europresse(
    path: str | Path, *, encoding: str | None = None, on_bad_lines: str = "error", **_: object
) -> pd.DataFrame:
    """Read a Europresse HTML export.

    Parameters
    ----------
    path : str or os.PathLike
        The ``.html`` export; opened read-only.
    encoding : str, optional
        Detected when omitted (the declared ``charset`` is often wrong, so it is not trusted).
    on_bad_lines : {"error", "warn", "skip"}, default "error"
        Articles without text are skipped with one warning for the file (``"skip"``: logged only).

    Returns
    -------
    pandas.DataFrame
        One row per article with the columns listed in :mod:`framelab.io.europresse`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "europresse.html"
    >>> _ = path.write_text(
    ...     '<html><body><article><header><span class="DocPublicationName">Le Quotidien'
    ...     '</span><span class="DocHeader">Monde, mardi 14 mars 2023, p. 4</span>'
    ...     '<div class="titreArticle"><p class="titreArticleVisu">Les émissaires se '
    ...     'rencontrent</p></div></header><section><p>Ils se sont vus à Lacville.</p>'
    ...     '</section><footer><small>© 2023 Le Quotidien.</small><p>Numéro de document : '
    ...     'news·20230314·LQ·001</p></footer></article></body></html>', encoding="utf-8")
    >>> row = read_europresse(path).iloc[0]
    >>> row[["doc_id", "outlet", "date", "section", "page", "title", "text"]].to_dict()
    {'doc_id': '20230314LQ001', 'outlet': 'Le Quotidien', 'date': '2023-03-14', \
'section': 'Monde', 'page': '4', 'title': 'Les émissaires se rencontrent', \
'text': 'Ils se sont vus à Lacville.'}
    """
    check_bad_lines(on_bad_lines)
    path = Path(path)
    markup, enc = read_text_file(path, encoding)
    soup = parse_html(markup)
    articles = [
        a
        for a in soup.find_all("article")
        if a.find(class_="DocPublicationName") or a.find(class_=re.compile("titreArticle"))
    ]
    layout = "article"
    if not articles:
        layout = "table"
        articles = []
        for span in soup.find_all("span", class_="DocPublicationName"):
            cell = span.find_parent("td")
            if cell is not None and cell not in articles:
                articles.append(cell)
    if not articles:
        raise LoadError(
            f"{path}: no Europresse article found (no <article> and no 'DocPublicationName' "
            "blocks). Pass format='webpage' to read the file as a saved web page."
        )
    records, skipped = [], []
    for position, node in enumerate(articles, start=1):
        record, why = (_article_layout if layout == "article" else _table_layout)(node)
        if record is None:
            skipped.append((position, why))
        else:
            record["position"] = position
            records.append(record)
    return build_table(
        records,
        COLUMNS,
        path=path,
        fmt="europresse",
        skipped=skipped,
        message=f"encoding {enc}, {layout} layout",
        on_bad_lines=on_bad_lines,
    )


def _outlet(record: dict, node) -> None:
    span = node.find(class_="DocPublicationName")
    if span is None:
        return
    name = clean_line(span.get_text(" "))
    match = re.search(r",\s*(no\.?\s*.*)$", name, re.I)
    if match:
        record["issue"] = match.group(1)
        name = name[: match.start()]
    record["outlet"] = name or None


def _header(record: dict, text: str) -> None:
    """``"Politique, jeudi 5 octobre 2013, p. 03"`` -> section, date and page."""
    text = clean_line(text)
    found = find_date(text)
    if found is None:
        if text:
            record["section"] = text.strip(", ")
        return
    record["date"] = found[0]
    before = _WEEKDAY.sub("", text[: found[1]]).strip(" ,")
    if before:
        record["section"] = before
    page = re.search(r"\bp(?:age|\.)\s*([\w-]+)", text[found[2] :], re.I)
    if page:
        record["page"] = page.group(1)


def _doc_id(text: str) -> str | None:
    match = _DOC_NUMBER.search(text)
    if not match:
        return None
    number = re.sub(r"^news·", "", match.group(1))
    return number.replace("·", "") or None


def _article_layout(article) -> tuple[dict | None, str]:
    record: dict = {}
    _outlet(record, article)
    _header(record, " ".join(s.get_text(" ") for s in article.find_all(class_="DocHeader")))
    header = article.find("header") or article
    title_box = article.find(class_="titreArticle")
    title = article.find(class_=re.compile(r"^titreArticleVisu"))
    if title is not None:
        record["title"] = clean_line(title.get_text(" "))
    if title_box is not None:
        kickers = [
            clean_line(p.get_text(" "))
            for p in title_box.find_all("p")
            if p is not title and clean_line(p.get_text(" "))
        ]
        if kickers:
            record["subtitle"] = "; ".join(kickers)
    authors = article.find(class_="docAuthors")
    if authors is None and title_box is not None:
        authors = title_box.find_next_sibling("div")
    if authors is not None and authors.find_parent("header") is header:
        record["byline"] = clean_line(authors.get_text(" ")) or None
    for div in header.find_all("div", recursive=False):
        if div is title_box or div is authors or div.find(class_=re.compile("^Doc")):
            continue
        text = clean_line(div.get_text(" "))
        if text:
            record["rubric"] = f"{record['rubric']}; {text}" if record.get("rubric") else text
    section = article.find("section")
    paragraphs = html_paragraphs(section) if section is not None else []
    aside = article.find("aside")
    if aside is not None:
        notes = []
        for div in aside.find_all("div", recursive=False):
            parts = html_paragraphs(div)
            if len(parts) > 1:
                notes.append(f"{parts[0].rstrip(' :')}: {' '.join(parts[1:])}")
        if notes:
            record["notes"] = "; ".join(notes)
    footer = article.find("footer")
    if footer is not None:
        small = footer.find("small")
        if small is not None and clean_line(small.get_text(" ")):
            record["copyright"] = clean_line(small.get_text(" "))
        record["doc_id"] = _doc_id(footer.get_text(" "))
    if not paragraphs:
        return None, f"no text (title {record.get('title')!r})"
    record["text"] = "\n\n".join(paragraphs)
    return record, ""


def _table_layout(cell) -> tuple[dict | None, str]:
    record: dict = {}
    _outlet(record, cell)
    headers = cell.find_all("span", class_="DocHeader")
    _header(record, " ".join(s.get_text(" ") for s in headers))
    record["doc_id"] = _doc_id(cell.get_text(" "))
    for table in cell.find_all("table"):
        table.decompose()
    for span in [cell.find(class_="DocPublicationName"), *headers]:
        if span is not None:
            span.decompose()
    title = cell.find(class_=re.compile(r"^[Tt]itreArticleVisu"))
    if title is not None:
        record["title"] = clean_line(title.get_text(" "))
        marker = cell.new_tag("p")
        marker.string = _TITLE_MARK
        title.replace_with(marker)
    paragraphs = html_paragraphs(cell)
    at = next((i for i, p in enumerate(paragraphs) if _TITLE_MARK in p), -1)
    before = [ln for p in paragraphs[: max(at, 0)] for ln in p.split("\n") if ln.strip()]
    if before:
        record["subtitle"] = "; ".join(before)
    after = paragraphs[at + 1 :]
    if after and _looks_like_author(after[0]):
        record["byline"] = after.pop(0)
    body = []
    for para in after:
        if _DOC_NUMBER.search(para):
            break
        if _COPYRIGHT.match(para) and len(para) < 200:
            record["copyright"] = para
            continue
        body.append(para)
    if not body:
        return None, f"no text (title {record.get('title')!r})"
    record["text"] = "\n\n".join(body)
    return record, ""


def _looks_like_author(text: str) -> bool:
    return len(text.split()) <= 8 and "\n" not in text and not re.search(r"[.!?:;»\"]$", text)


def _sniff(path: Path, head: bytes) -> bool:
    text = head_text(head)
    return "DocPublicationName" in text or "cedrom-sni.com/schema" in text


register_format(
    FormatSpec(
        "europresse",
        read_europresse,
        (".html", ".htm"),
        sniff=_sniff,
        priority=10,
        description="Europresse HTML export",
    )
)
