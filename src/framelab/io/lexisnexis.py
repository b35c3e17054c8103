"""LexisNexis and Nexis Uni exports: classic plain text, classic HTML and Nexis Uni Word (.docx).

All three give one row per article with the same fields:

========================  ====================================================================
column                    content
========================  ====================================================================
``doc_id``                HTML only: the id tm.plugin.lexisnexis (R) gives the article, so that
                          ids match corpora built in R (see :func:`read_lexisnexis_html`)
``text``                  the body, paragraphs joined with a blank line
``title``                 the headline
``outlet``                the publication (``The Times (London)``)
``date``                  publication date (ISO string; with the time when the export gives one)
``byline``                ``BYLINE`` / ``AUTEUR``
``section``               ``SECTION`` / ``RUBRIQUE``
``length``                number of words (``LENGTH: 584 words``), nullable integer
``language``              ISO 639-1 code (``ENGLISH`` -> ``en``)
``edition``               lines of the date block after the date (``Late Edition - Final``)
``copyright``             the copyright notice (missing when the export has none)
``load_date``             ``LOAD-DATE`` (ISO string)
``publication_type``      ``PUBLICATION-TYPE``
``subject``               ``SUBJECT`` / ``SUJET`` index terms
``position``              the article's position in the file (1-based)
========================  ====================================================================

Any other field (``GRAPHIC``, ``JOURNAL-CODE``, ``CORRECTION``...) becomes a column named after it
in snake case (``journal_code``); French labels are translated (``LOCALISATION-GEO`` ->
``geographic``). Cover pages (``Download Request: ...``) are not articles and are ignored.

An article that cannot be read (no ``N of M DOCUMENTS`` header, no text, no date line) is skipped
with ONE warning per file naming the file, the article's position and the reason; the others load,
and the skipped ones are listed in ``attrs["framelab_load_report"]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from framelab.io._articles import (
    build_table,
    check_bad_lines,
    clean_line,
    head_text,
    html_paragraphs,
    language_code,
    parse_articles,
    parse_html,
    word_count,
)
from framelab.io._dates import find_date, parse_date
from framelab.io._registry import FormatSpec, register_format
from framelab.io._text import LoadError, read_text_file
from framelab.io._zipguard import check_zip_sizes

__all__ = ["read_lexisnexis_docx", "read_lexisnexis_html", "read_lexisnexis_text"]

COLUMNS = (
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
    "load_date",
    "publication_type",
    "subject",
    "position",
)

_DOC_COUNT = re.compile(
    r"^\s*(\d+)\s+(?:of|de|sur|von|di|van)\s+(\d+)\s+(?:DOCUMENTS?|DOKUMENTE?)\s*$", re.I | re.M
)
_COPYRIGHT = re.compile(r"^\s*(?:copyright\b|©|\(c\)\s*\d)", re.I)
#: label as printed (upper case) -> column; French labels map to the English column
_FIELDS = {
    "BYLINE": "byline",
    "AUTEUR": "byline",
    "AUTHOR": "byline",
    "SECTION": "section",
    "RUBRIQUE": "section",
    "LENGTH": "length",
    "LONGUEUR": "length",
    "LANGUAGE": "language",
    "LANGUE": "language",
    "LOAD-DATE": "load_date",
    "DATE-CHARGEMENT": "load_date",
    "PUBLICATION-TYPE": "publication_type",
    "TYPE-PUBLICATION": "publication_type",
    "SUBJECT": "subject",
    "SUJET": "subject",
    "GEOGRAPHIC": "geographic",
    "LOCALISATION-GEO": "geographic",
    "GEO-LOCALIZATION": "geographic",
    "COMPANY": "company",
    "SOCIETE": "company",
    "ORGANIZATION": "organization",
    "ORGANISATION": "organization",
    "PERSON": "person",
    "PERSONNE": "person",
    "INSERT": "insert",
    "ENCART": "insert",
    "STOCK-SYMBOL": "ticker",
    "SYMBOLE-BOURSIER": "ticker",
    "TICKER": "ticker",
    "INDUSTRY": "industry",
    "SECTEUR-ACTIVITE": "industry",
    "ACTIVITY-SECTOR": "industry",
    "JOURNAL-CODE": "journal_code",
    "JOURNAL CODE": "journal_code",
    "DATELINE": "dateline",
    "HIGHLIGHT": "highlight",
    "GRAPHIC": "graphic",
    "SERIES": "series",
    "CORRECTION": "correction",
    "CORRECTION-DATE": "correction_date",
    "NOTES": "notes_field",
    "DOCUMENT-TYPE": "document_type",
    "DISTRIBUTION": "distribution",
    "URL": "url",
    "CITY": "city",
    "STATE": "state",
    "COUNTRY": "country_field",
    "PAYS": "country_field",
    "CLASSIFICATION": "classification",
    "EDITION": "edition_field",
    "TYPE": "type",
}
#: fields that come before the body; a paragraph ahead of the first of them is the headline
_HEAD_FIELDS = {"byline", "section", "length", "insert", "dateline", "highlight", "series"}
_WEEKDAY_START = re.compile(
    r"^[\s,;]*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|lundi|mardi|mercredi|jeudi|vendredi|"
    r"samedi|dimanche)?[\s,;]*",
    re.I,
)
_LABEL = re.compile(r"^\s*([A-Z][A-Z0-9]*(?:[- ][A-Z0-9]+)*)\s?:[\s\xa0]*(.*)\Z", re.S)


def _field_column(label: str) -> str:
    label = label.strip().upper()
    if label in _FIELDS:
        return _FIELDS[label]
    return re.sub(r"[^0-9a-z]+", "_", label.lower()).strip("_")


def _is_known_label(label: str) -> bool:
    label = label.strip().upper()
    return label in _FIELDS or ("-" in label and len(label) <= 30)


@dataclass
class _Block:
    """A paragraph-level unit of an article, whatever the export format."""

    kind: str  # "center" | "field" | "heading" | "text"
    text: str = ""
    label: str = ""
    value: str = ""
    raw: str = ""  # for centred blocks of the HTML export: the raw text (used by the R-style id)
    extra: list[str] = field(default_factory=list)


def _field_value(record: dict, column: str, value: str) -> None:
    value = value.strip()
    if column == "length":
        record["length"] = word_count(value)
    elif column == "language":
        record["language"] = language_code(value)
    elif column == "load_date":
        record["load_date"] = parse_date(value) or clean_line(value)
    elif column in record and record[column]:
        record[column] = f"{record[column]}\n\n{value}"
    else:
        record[column] = value


def _assemble(blocks: list[_Block]) -> tuple[dict | None, str]:
    """Build one article from its blocks; ``(None, reason)`` when it cannot be read."""
    if not blocks:
        return None, "the article is empty"
    count_at = next(
        (
            i
            for i, b in enumerate(blocks)
            if b.kind in ("center", "text") and _DOC_COUNT.match(b.text)
        ),
        None,
    )
    if count_at is None:
        sample = clean_line(" ".join(b.text or b.value for b in blocks))[:80]
        return None, f"no 'N of M DOCUMENTS' header (it reads: {sample!r})"
    rest = blocks[count_at + 1 :]
    header: list[_Block] = []
    while rest and rest[0].kind == "center":
        header.append(rest.pop(0))
    if not header:
        return None, "no outlet and date lines after the 'N of M DOCUMENTS' header"
    record: dict = {"outlet": clean_line(header[0].text), "_raw_outlet": header[0].raw}
    editions: list[str] = []
    for block in header[1:]:
        found = find_date(block.text) if record.get("date") is None else None
        if found:
            record["date"] = found[0]
            after = _WEEKDAY_START.sub("", block.text[found[2] :])
            editions.extend(clean_line(part) for part in after.split("\n"))
        else:
            editions.append(clean_line(block.text))
    if record.get("date") is None:
        return None, f"no date line in the header (outlet {record['outlet']!r})"
    record["edition"] = "; ".join(e.strip(",; ") for e in editions if e.strip(",; ")) or None

    # trailing centred blocks: copyright notice, or other notes
    end = len(rest)
    while end and rest[end - 1].kind == "center":
        end -= 1
    trailer, rest = rest[end:], rest[:end]
    for block in trailer:
        text = clean_line(block.text)
        key = "copyright" if _COPYRIGHT.match(text) and "copyright" not in record else "notes"
        record[key] = f"{record[key]}; {text}" if record.get(key) else text

    # headline: a heading block, or the text before the first head field
    title_at = next((i for i, b in enumerate(rest) if b.kind == "heading"), None)
    if title_at is None:
        first_field = next((i for i, b in enumerate(rest) if b.kind == "field"), None)
        if (
            first_field
            and rest[0].kind == "text"
            and _field_column(rest[first_field].label) in _HEAD_FIELDS
        ):
            title_at = 0
    if title_at is not None:
        record["title"] = " ".join(
            clean_line(line) for line in rest[title_at].text.split("\n") if line.strip()
        )
        rest = rest[:title_at] + rest[title_at + 1 :]

    body: list[str] = []
    pending: str | None = None  # a field printed with its value in the next paragraph
    for block in rest:
        if block.kind == "field":
            column = _field_column(block.label)
            value = "\n\n".join([block.value, *block.extra]).strip()
            if value:
                _field_value(record, column, value)
                pending = None
            else:  # after the body, an empty field takes the next paragraph as its value
                pending = column if body else None
        elif pending is not None:
            _field_value(record, pending, block.text)
            pending = None
        else:
            body.append(block.text)
    text = "\n\n".join(p for p in body if p.strip())
    if not text.strip():
        return None, f"no text (outlet {record['outlet']!r}, date {record['date']})"
    record["text"] = text
    return record, ""


def _finish(
    articles: list[list[_Block]],
    path: Path,
    fmt: str,
    message: str,
    on_bad_lines: str,
    make_id: bool = False,
) -> pd.DataFrame:
    records, skipped = [], []
    for position, blocks in enumerate(articles, start=1):
        record, why = _assemble(blocks)
        if record is None:
            skipped.append((position, why))
            continue
        raw_outlet = record.pop("_raw_outlet", "")
        record["position"] = position
        if make_id:
            record["doc_id"] = _r_style_id(raw_outlet, record.get("date"), position)
        records.append(record)
    columns = (("doc_id",) if make_id else ()) + COLUMNS
    return build_table(
        records,
        columns,
        path=path,
        fmt=fmt,
        skipped=skipped,
        message=message,
        on_bad_lines=on_bad_lines,
    )


def _r_style_id(raw_outlet: str, date: str | None, position: int) -> str:
    prefix = re.sub(r"[^0-9A-Za-z]", "", raw_outlet[:10])
    return f"{prefix}{(date or '')[:10].replace('-', '')}{position}"


# ------------------------------------------------------------------------------------ plain text


def read_lexisnexis_text(
    path: str | Path, *, encoding: str | None = None, on_bad_lines: str = "error", **_: object
) -> pd.DataFrame:
    """Read a classic LexisNexis plain-text export (``N of M DOCUMENTS`` blocks).

    Parameters
    ----------
    path : str or os.PathLike
        The ``.txt`` export; opened read-only.
    encoding : str, optional
        Detected when omitted (UTF-8 with or without BOM, UTF-16, cp1252...).
    on_bad_lines : {"error", "warn", "skip"}, default "error"
        Malformed articles are skipped with one warning for the file (``"skip"``: logged only).

    Returns
    -------
    pandas.DataFrame
        One row per article with the columns listed in :mod:`framelab.io.lexisnexis` (no
        ``doc_id``: the Corpus hashes text, outlet and date).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "export.txt"
    >>> _ = path.write_text(
    ...     "                 1 of 1 DOCUMENT\\n\\n            Example Daily\\n\\n"
    ...     "          March 3, 2023 Friday\\n\\nEnvoys meet\\n\\nLENGTH: 4 words\\n\\n"
    ...     "Envoys met in Lakeside.\\n\\nLANGUAGE: ENGLISH\\n", encoding="utf-8")
    >>> table = read_lexisnexis_text(path)
    >>> table[["title", "outlet", "date", "length", "language", "text"]].to_dict("records")[0]
    {'title': 'Envoys meet', 'outlet': 'Example Daily', 'date': '2023-03-03', 'length': 4, \
'language': 'en', 'text': 'Envoys met in Lakeside.'}
    """
    check_bad_lines(on_bad_lines)
    path = Path(path)
    text, enc = read_text_file(path, encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    starts = [m.start() for m in _DOC_COUNT.finditer(text)]
    if not starts:
        raise LoadError(
            f"{path}: no 'N of M DOCUMENTS' line found, so this is not a LexisNexis text export. "
            "Pass format='text' to read it as one plain-text document."
        )
    articles = []
    for i, start in enumerate(starts):
        chunk = text[start : starts[i + 1] if i + 1 < len(starts) else len(text)]
        articles.append(_text_blocks(chunk))
    return _finish(articles, path, "lexisnexis_text", f"encoding {enc}", on_bad_lines)


def _text_blocks(chunk: str) -> list[_Block]:
    blocks: list[_Block] = []
    for para in re.split(r"\n[^\S\n]*\n", chunk):
        lines = [ln.rstrip() for ln in para.split("\n") if ln.strip()]
        if not lines:
            continue
        indents = [len(ln) - len(ln.lstrip()) for ln in lines]
        if min(indents) >= 4:
            blocks.append(_Block("center", "\n".join(ln.strip() for ln in lines)))
            continue
        joined = " ".join(ln.strip() for ln in lines)
        match = _LABEL.match(lines[0].strip())
        if match and _is_known_label(match.group(1)):
            value = " ".join([match.group(2).strip(), *(ln.strip() for ln in lines[1:])])
            blocks.append(_Block("field", joined, label=match.group(1), value=value.strip()))
        else:
            blocks.append(_Block("text", joined))
    return blocks


# ------------------------------------------------------------------------------------------ HTML

_DOCFULL = re.compile(r"<DOCFULL>\s*-->", re.I)
_DOCFULL_END = re.compile(r"<!--[^>]*?</DOCFULL>", re.I)
_CSS_RULE = re.compile(r"\.([\w-]+)\s*\{([^}]*)\}")


def read_lexisnexis_html(
    path: str | Path, *, encoding: str | None = None, on_bad_lines: str = "error", **_: object
) -> pd.DataFrame:
    """Read a classic LexisNexis HTML export (articles between ``<DOCFULL>`` markers).

    Parameters
    ----------
    path : str or os.PathLike
        The ``.html`` export; opened read-only.
    encoding : str, optional
        Detected when omitted.
    on_bad_lines : {"error", "warn", "skip"}, default "error"
        Malformed articles (e.g. "We are sorry but there is an error in this document") are
        skipped with one warning for the file (``"skip"``: logged only).

    Returns
    -------
    pandas.DataFrame
        One row per article: ``doc_id`` then the columns listed in :mod:`framelab.io.lexisnexis`.
        ``doc_id`` is built as tm.plugin.lexisnexis builds it, so ids match corpora made in R:
        the first ten characters of the outlet block as the HTML holds it (inline markup such as a
        ``<style>`` block included), reduced to letters and digits, then the date as ``YYYYMMDD``
        and the article's position in the file (``SomeNewspa199112191``). These ids are unique
        within one export; two exports with the same outlet, date and position clash, and loading
        them together raises an error naming the ids.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "export.html"
    >>> _ = path.write_text(
    ...     '<html><style>.c0 { text-align: center; }</style><body>'
    ...     '<!-- <DOC NUMBER=1><DOCFULL> --><div class="c0"><p>1 of 1 DOCUMENTS</p>'
    ...     '</div><div class="c0"><p>Example Daily</p></div><div class="c0"><p>March 3, 2023'
    ...     '</p></div><div><p>LENGTH: 4 words</p></div><div><p>Envoys met in Lakeside.</p>'
    ...     '</div><!-- </DOCFULL></DOC> --></body></html>', encoding="utf-8")
    >>> read_lexisnexis_html(path)[["doc_id", "outlet", "date", "text"]].to_dict("records")
    [{'doc_id': 'ExampleDa202303031', 'outlet': 'Example Daily', 'date': '2023-03-03', \
'text': 'Envoys met in Lakeside.'}]
    """
    check_bad_lines(on_bad_lines)
    path = Path(path)
    markup, enc = read_text_file(path, encoding)
    css = _css_classes(markup)
    starts = list(_DOCFULL.finditer(markup))
    chunks: list[str] = []
    if starts:
        for i, start in enumerate(starts):
            stop = starts[i + 1].start() if i + 1 < len(starts) else len(markup)
            chunk = markup[start.end() : stop]
            end = _DOCFULL_END.search(chunk)
            chunks.append(chunk[: end.start()] if end else chunk)
    else:  # exports without the XML comments: split the block sequence at the headers
        chunks = [markup]
    articles: list[list[_Block]] = []
    for chunk in chunks:
        blocks = _html_blocks(parse_html(chunk), css)
        if starts:
            articles.append(blocks)
            continue
        current: list[_Block] | None = None
        for block in blocks:
            if block.kind == "center" and _DOC_COUNT.match(block.text):
                current = []
                articles.append(current)
            if current is not None:
                current.append(block)
    if not articles:
        raise LoadError(
            f"{path}: no LexisNexis article found (no <DOCFULL> markers and no 'N of M DOCUMENTS' "
            "lines). Pass format='webpage' to read the file as a saved web page."
        )
    return _finish(articles, path, "lexisnexis_html", f"encoding {enc}", on_bad_lines, make_id=True)


def _css_classes(markup: str) -> dict[str, str]:
    styles = re.findall(r"<style[^>]*>(.*?)</style>", markup[:200000], re.S | re.I)
    return {name: body.lower() for css in styles for name, body in _CSS_RULE.findall(css)}


def _classes(tag, css: dict[str, str]) -> str:
    return " ".join(css.get(c, "") for c in (tag.get("class") or []))


def _is_centered(tag, css: dict[str, str]) -> bool:
    style = (_classes(tag, css) + " " + (tag.get("style") or "")).lower()
    return (
        "text-align: center" in style
        or "text-align:center" in style
        or ((tag.get("align") or "").lower() == "center")
    )


def _is_heading(p, css: dict[str, str]) -> bool:
    for span in p.find_all("span"):
        style = _classes(span, css)
        size = re.search(r"font-size:\s*(\d+(?:\.\d+)?)pt", style)
        if size and float(size.group(1)) >= 12 and "bold" in style:
            return True
    return False


def _raw_text(tag) -> str:
    from bs4 import Comment, NavigableString

    return "".join(
        str(s)
        for s in tag.descendants
        if isinstance(s, NavigableString) and not isinstance(s, Comment)
    )


def _html_blocks(soup, css: dict[str, str]) -> list[_Block]:
    root = soup.body or soup
    blocks: list[_Block] = []
    for tag in root.find_all(["div", "table", "p"], recursive=False):
        if tag.name == "table":
            rows = html_paragraphs(tag)
            if rows:
                blocks.append(_Block("text", "\n".join(rows)))
            continue
        paras = tag.find_all("p") if tag.name == "div" else [tag]
        if not paras:
            text = "\n".join(html_paragraphs(tag))
            if text:
                blocks.append(_Block("text", text))
            continue
        texts = ["\n".join(html_paragraphs(p)) for p in paras]
        if not any(texts):
            continue
        first = next(i for i, t in enumerate(texts) if t)
        if _is_centered(tag, css) or all(_is_centered(p, css) for p in paras if p.get_text()):
            blocks.append(_Block("center", "\n".join(t for t in texts if t), raw=_raw_text(tag)))
            continue
        match = _LABEL.match(texts[first])
        label_span = paras[first].find(["span", "b", "strong"])
        bold_label = (
            label_span is not None
            and match is not None
            and ("bold" in _classes(label_span, css) or label_span.name in ("b", "strong"))
            and clean_line(label_span.get_text()).rstrip(":").strip() == match.group(1).strip()
        )
        if match and (bold_label or _is_known_label(match.group(1))):
            blocks.append(
                _Block(
                    "field",
                    texts[first],
                    label=match.group(1),
                    value=clean_line(match.group(2)),
                    extra=[t for t in texts[first + 1 :] if t],
                )
            )
        elif _is_heading(paras[first], css):
            blocks.append(_Block("heading", texts[first]))
            blocks.extend(_Block("text", t) for t in texts[first + 1 :] if t)
        else:
            blocks.extend(_Block("text", t) for t in texts if t)
    return blocks


# ------------------------------------------------------------------------------------------ DOCX

_DOCX_END = re.compile(r"^\s*End of Document\s*$", re.I)
_DOCX_LABEL = re.compile(r"^\s*([A-Z][A-Za-z-]*(?: [A-Z][A-Za-z-]*)?):[\s\xa0]*(.*)\Z", re.S)


def read_lexisnexis_docx(
    path: str | Path,
    *,
    on_bad_lines: str = "error",
    max_uncompressed_bytes: int | None = None,
    **_: object,
) -> pd.DataFrame:
    """Read a Nexis Uni Word export (``.docx``, articles ending with "End of Document").

    The cover page (``Documents (10)`` and the list of titles) is skipped. Each article starts
    with centred lines (headline, outlet, date and time), then ``Section:``, ``Length:``,
    ``Byline:``... fields, the ``Body`` and, after it, ``Classification`` fields (``Language:``,
    ``Load-Date:``, ``Subject:``...).

    Parameters
    ----------
    path : str or os.PathLike
        The ``.docx`` file; opened read-only.
    on_bad_lines : {"error", "warn", "skip"}, default "error"
        Malformed articles are skipped with one warning for the file (``"skip"``: logged only).
    max_uncompressed_bytes : int, optional
        Most bytes the ``.docx`` (a zip archive) may unpack to, checked before parsing; default
        200 MB (see :func:`framelab.io._zipguard.check_zip_sizes`).

    Returns
    -------
    pandas.DataFrame
        One row per article with the columns listed in :mod:`framelab.io.lexisnexis` (no
        ``doc_id``; the ``date`` has the time the export gives, e.g. ``2019-07-01T09:20:00+00:00``).
    """
    check_bad_lines(on_bad_lines)
    path = Path(path)
    check_zip_sizes(path, max_uncompressed_bytes=max_uncompressed_bytes, what="Word file")
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise ImportError(
            "Reading .docx exports needs python-docx: pip install python-docx"
        ) from exc
    try:
        document = docx.Document(str(path))
    except PackageNotFoundError as exc:
        raise LoadError(f"{path}: not a readable Word (.docx) file ({exc}).") from None
    except Exception as exc:  # zipfile.BadZipFile, KeyError and lxml errors for corrupt files
        raise LoadError(f"{path}: not a readable Word (.docx) file ({exc}).") from None
    paragraphs = []
    for p in document.paragraphs:
        runs = [r for r in p.runs if r.text.strip()]
        paragraphs.append(
            {
                "text": p.text.replace("\xa0", " ").strip(),
                "center": p.alignment is not None and int(p.alignment) == 1,
                "bold_start": bool(runs) and bool(runs[0].bold),
                "first_run": runs[0].text.strip() if runs else "",
            }
        )
    if not any(_DOCX_END.match(p["text"]) for p in paragraphs):
        raise LoadError(
            f"{path}: no 'End of Document' line found, so this is not a Nexis Uni Word export."
        )
    articles, current = [], []
    for para in paragraphs:
        if _DOCX_END.match(para["text"]):
            articles.append(current)
            current = []
        else:
            current.append(para)
    if any(p["text"] for p in current):  # a last article without its end line
        articles.append(current)
    records, skipped = parse_articles(articles, _docx_article)
    return build_table(
        records,
        COLUMNS,
        path=path,
        fmt="lexisnexis_docx",
        skipped=skipped,
        on_bad_lines=on_bad_lines,
    )


def _docx_article(paras: list[dict]) -> tuple[dict | None, str]:
    paras = [p for p in paras if p["text"]]
    # the article starts at the first run of centred lines holding a date (skips the cover page)
    start = None
    for i in range(len(paras)):
        centred = []
        for q in paras[i : i + 6]:
            if not q["center"]:
                break
            centred.append(q)
        if len(centred) >= 2 and any(find_date(q["text"]) for q in centred[1:]):
            start = i
            break
    if start is None:
        sample = clean_line(" ".join(p["text"] for p in paras))[:80]
        return None, f"no centred headline, outlet and date lines (it reads: {sample!r})"
    header = []
    i = start
    while i < len(paras) and paras[i]["center"]:
        header.append(paras[i]["text"])
        i += 1
    date_at = next(k for k in range(1, len(header)) if find_date(header[k]))
    record: dict = {
        "title": clean_line(" ".join(header[: max(date_at - 1, 1)])),
        "outlet": clean_line(header[date_at - 1]) if date_at >= 2 else None,
        "date": find_date(header[date_at])[0],
        "edition": "; ".join(clean_line(h) for h in header[date_at + 1 :]) or None,
    }
    body: list[str] = []
    zone = "head"
    for p in paras[i:]:
        text = p["text"]
        if zone == "head" and text == "Body" and p["bold_start"]:
            zone = "body"
            continue
        if text == "Classification" and p["bold_start"]:
            zone = "tail"
            continue
        match = _DOCX_LABEL.match(text)
        is_field = bool(match) and p["bold_start"] and p["first_run"].rstrip(":") == match.group(1)
        if is_field and zone == "body" and not _is_known_label(match.group(1)):
            is_field = False
        if is_field:
            _field_value(record, _field_column(match.group(1)), match.group(2))
        elif zone == "head":
            key = "copyright" if _COPYRIGHT.match(text) else "notes"
            record[key] = (
                f"{record[key]}; {clean_line(text)}" if record.get(key) else clean_line(text)
            )
        elif zone == "body":
            body.append(text)
        else:
            record["notes"] = f"{record['notes']}; {text}" if record.get("notes") else text
    if not body:
        return None, f"no text (outlet {record['outlet']!r}, date {record['date']})"
    record["text"] = "\n\n".join(body)
    return record, ""


# -------------------------------------------------------------------------------------- sniffing


def _sniff_text(path: Path, head: bytes) -> bool:
    return bool(_DOC_COUNT.search(head_text(head)))


def _sniff_html(path: Path, head: bytes) -> bool:
    text = head_text(head)
    return bool(re.search(r"<DOCFULL>", text, re.I)) or (
        bool(re.search(r"<html", text, re.I))
        and bool(_DOC_COUNT.search(re.sub(r"<[^>]+>", "\n", text)))
    )


register_format(
    FormatSpec(
        "lexisnexis_text",
        read_lexisnexis_text,
        (".txt",),
        sniff=_sniff_text,
        priority=10,
        description="LexisNexis plain-text export ('N of M DOCUMENTS')",
    )
)
register_format(
    FormatSpec(
        "lexisnexis_html",
        read_lexisnexis_html,
        (".html", ".htm"),
        sniff=_sniff_html,
        priority=10,
        description="LexisNexis HTML export",
    )
)
register_format(
    FormatSpec(
        "lexisnexis_docx",
        read_lexisnexis_docx,
        (".docx",),
        description="Nexis Uni Word export ('End of Document')",
    )
)
