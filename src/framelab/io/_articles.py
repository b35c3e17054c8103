"""Helpers shared by the news-database readers (LexisNexis, Factiva, Europresse, feeds, ...).

- :func:`build_table` turns parsed articles into the raw table a reader returns, with a per-file
  load report and ONE warning per file listing the articles that were skipped and why;
- :func:`html_paragraphs` turns an HTML element into paragraphs (``<p>``, blocks and double
  ``<br>`` split paragraphs; a single ``<br>`` is a line break; scripts and styles are ignored);
- :func:`safe_xml_root` parses XML with defusedxml, rejecting entity declarations (XML bombs,
  external entities) with a clear :class:`LoadError`;
- small normalisers: :func:`language_code`, :func:`word_count`, :func:`clean_line`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from framelab.io._text import LoadError, tell_skipped
from framelab.languages import language_code

__all__ = [
    "build_table",
    "parse_articles",
    "check_bad_lines",
    "clean_line",
    "head_text",
    "html_paragraphs",
    "language_code",
    "plain_paragraphs",
    "safe_xml_root",
    "word_count",
]

logger = logging.getLogger(__name__)

_BAD_LINES = ("error", "warn", "skip")


def check_bad_lines(on_bad_lines: str) -> None:
    if on_bad_lines not in _BAD_LINES:
        raise ValueError(
            f"load_corpus(): on_bad_lines must be one of {', '.join(map(repr, _BAD_LINES))}, "
            f"got {on_bad_lines!r}."
        )


def parse_articles(items, parse) -> tuple[list[dict], list[tuple[int, str]]]:
    """Apply ``parse(item) -> (record or None, why)`` to each article, numbered from 1.

    Returns the records (each with its ``position``) and the skipped ``(position, why)`` pairs
    that :func:`build_table` reports.
    """
    records, skipped = [], []
    for position, item in enumerate(items, start=1):
        record, why = parse(item)
        if record is None:
            skipped.append((position, why))
        else:
            record["position"] = position
            records.append(record)
    return records, skipped


def build_table(
    records: Sequence[dict],
    columns: Sequence[str],
    *,
    path: Path,
    fmt: str,
    skipped: Sequence[tuple[int, str]] = (),
    message: str = "",
    on_bad_lines: str = "error",
    unit: str = "article",
    int_columns: Iterable[str] = ("length",),
) -> pd.DataFrame:
    """Assemble parsed articles into a raw table with a load report.

    Parameters
    ----------
    records : sequence of dict
        One dict per article that was read.
    columns : sequence of str
        The reader's fixed columns, in order; they are always present (missing values are
        ``None`` or ``NaN``). Keys of ``records`` not listed come after them, in order of
        appearance. ``int_columns`` become nullable ``Int64``.
    path, fmt : Path, str
        The file and format name, for the report and messages.
    skipped : sequence of (int, str)
        ``(position, reason)`` for each article that could not be read (1-based position).
    on_bad_lines : {"error", "warn", "skip"}
        Skipped articles always produce ONE warning for the file, except with ``"skip"``, where
        they are only logged; they are always listed in the load report.

    Raises
    ------
    LoadError
        If no article could be read (the message lists why, for the first articles).
    """
    check_bad_lines(on_bad_lines)
    total = len(records) + len(skipped)
    if not records:
        detail = "; ".join(f"{unit} {pos}: {why}" for pos, why in skipped[:5])
        raise LoadError(
            f"{path}: no {unit} could be read as {fmt}"
            + (f" ({len(skipped)} malformed: {detail})" if skipped else " (none found)")
            + f". Check that the file is a complete {fmt} export, or pass format=... to read it "
            "as another format (framelab.io.formats() lists them)."
        )
    extras: list[str] = []
    for rec in records:
        for key in rec:
            if key not in columns and key not in extras:
                extras.append(key)
    table = pd.DataFrame.from_records(
        [{c: rec.get(c) for c in (*columns, *extras)} for rec in records],
        columns=[*columns, *extras],
    )
    for col in int_columns:
        if col in table.columns:
            table[col] = pd.array(
                [None if pd.isna(v) else int(v) for v in table[col]], dtype="Int64"
            )
    report = [
        {
            "file": str(path),
            "format": fmt,
            "status": "loaded",
            "rows": len(records),
            "message": message,
        }
    ]
    if skipped:
        plural = unit[:-1] + "ies" if unit.endswith("y") else unit + "s"
        listed = "; ".join(f"{unit} {pos}: {why}" for pos, why in skipped[:5])
        more = f" (and {len(skipped) - 5} more)" if len(skipped) > 5 else ""
        note = (
            f"{path}: skipped {len(skipped)} of {total} {plural} that could not be read - "
            f"{listed}{more}. The other {len(records)} loaded; the skipped {plural} are listed "
            "in corpus.attrs['framelab_load_report']."
        )
        count = f"{len(skipped)} {unit if len(skipped) == 1 else plural} skipped"
        report[0]["message"] = "; ".join(m for m in (message, count) if m)
        report.extend(
            {
                "file": str(path),
                "format": fmt,
                "status": "skipped",
                "rows": 0,
                "message": f"{unit} {pos}: {why}",
            }
            for pos, why in skipped
        )
        tell_skipped(note, on_bad_lines, logger)
    table.attrs["framelab_load_report"] = report
    return table


# ---------------------------------------------------------------------------------------- text

_SPACES = re.compile(r"[^\S\n]+")


def clean_line(text: str | None) -> str:
    """Collapse all whitespace (line breaks too) into single spaces and strip.

    Examples
    --------
    >>> clean_line("  Title\\n  on two\\xa0lines ")
    'Title on two lines'
    """
    if not text:
        return ""
    return " ".join(text.split())


def plain_paragraphs(text: str | None) -> list[str]:
    """Split plain text into paragraphs at blank lines or indented line starts.

    Lines inside a paragraph are joined with spaces (exports wrap lines at ~80 characters).

    Examples
    --------
    >>> plain_paragraphs("First line\\nwrapped.\\n    Second paragraph\\nhere.\\n\\nThird.")
    ['First line wrapped.', 'Second paragraph here.', 'Third.']
    """
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    parts = re.split(r"\n[^\S\n]*\n\s*|\n(?=[ \t]{2,}\S)", text)
    return [p for p in (clean_line(part) for part in parts) if p]


def word_count(text: str | None) -> int | None:
    """The number in a length field such as ``"2,968 words"`` or ``"143 mots"``.

    Examples
    --------
    >>> word_count("2,968 words"), word_count("143 mots"), word_count("n/a")
    (2968, 143, None)
    """
    if not text:
        return None
    match = re.search(r"\d[\d,.\u202f\xa0 ]*", str(text))
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(0))
    return int(digits) if digits else None


def head_text(head: bytes) -> str:
    """The first bytes of a file as text good enough for sniffing (BOMs and UTF-16 handled)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    if head[:4096].count(0) > 100:  # BOM-less UTF-16
        odd = head[1::2].count(0) > head[0::2].count(0)
        return head.decode("utf-16-le" if odd else "utf-16-be", errors="ignore")
    return head.decode("utf-8", errors="ignore")


# ---------------------------------------------------------------------------------------- HTML

_BLOCKS = frozenset(
    "address article aside blockquote body dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table "
    "tbody thead tfoot tr ul center".split()
)
_SKIP = frozenset("script style noscript template head title iframe object svg button".split())


def html_paragraphs(node) -> list[str]:
    """Paragraphs of an HTML element (a BeautifulSoup ``Tag``).

    Examples
    --------
    >>> from bs4 import BeautifulSoup
    >>> soup = BeautifulSoup("<div>Envoys <b>met</b>.<br><br>Talks<br>resume.<p>Later.</p>"
    ...                      "<style>p {}</style></div>", "html.parser")
    >>> html_paragraphs(soup.div)
    ['Envoys met.', 'Talks\\nresume.', 'Later.']
    """
    pieces: list[str] = []
    _walk(node, pieces)
    text = "".join(pieces)
    out = []
    for para in re.split(r"\n[^\S\n]*\n\s*", text):
        lines = [" ".join(line.split()) for line in para.split("\n")]
        para = "\n".join(line for line in lines if line)
        if para:
            out.append(para)
    return out


def _walk(node, pieces: list[str]) -> None:
    from bs4 import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

    for child in node.children:
        if isinstance(child, Comment | Declaration | Doctype | ProcessingInstruction):
            continue
        if isinstance(child, NavigableString):
            if type(child).__name__ in ("Stylesheet", "Script", "TemplateString"):
                continue
            pieces.append(re.sub(r"\s+", " ", str(child)))
            continue
        if not isinstance(child, Tag):  # pragma: no cover - bs4 only yields these two kinds
            continue
        name = (child.name or "").lower()
        if name in _SKIP:
            continue
        if name == "br":
            pieces.append("\n")
        elif name == "tr":
            cells = [
                " ".join(html_paragraphs(td)).replace("\n", " ")
                for td in child.find_all(["td", "th"], recursive=False)
            ]
            if cells:
                pieces.append("\n" + " | ".join(cells) + "\n")
            else:
                _walk(child, pieces)
        elif name in _BLOCKS:
            pieces.append("\n\n")
            _walk(child, pieces)
            pieces.append("\n\n")
        else:
            _walk(child, pieces)


def parse_html(markup: str):
    """Parse HTML with BeautifulSoup and lxml (no network, no entity expansion)."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(markup, "lxml")


# ----------------------------------------------------------------------------------------- XML


def safe_xml_root(data: bytes, path: Path, what: str = "XML"):
    """Parse XML safely with defusedxml and return the root element.

    Entity declarations are refused before anything is expanded, so a "billion laughs" bomb or an
    external entity (which could read local files) fails at once.

    Raises
    ------
    LoadError
        For entity declarations, external references or XML that is not well formed; the message
        names the file and the line.
    """
    import defusedxml
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden as exc:
        raise LoadError(
            f"{path}: refused to parse {what}: the file declares the XML entity {exc.name!r} "
            "(an entity declaration can expand into an 'XML bomb' of gigabytes or read local "
            "files). News exports and feeds never need one; if you trust the file, remove its "
            "<!DOCTYPE ...> block and load it again."
        ) from None
    except defusedxml.DTDForbidden:  # pragma: no cover - forbid_dtd is False
        raise LoadError(f"{path}: refused to parse {what}: it contains a DTD.") from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.NotSupportedError) as exc:
        raise LoadError(
            f"{path}: refused to parse {what}: it refers to an external resource ({exc}). "
            "Remove the <!DOCTYPE ...> block and load it again."
        ) from None
    except ParseError as exc:
        line, col = getattr(exc, "position", (None, None))
        reason = re.sub(r":\s*line \d+, column \d+$", "", str(exc))
        error = XMLSyntaxError(
            f"{path}, line {line} column {col}: {what} is not well-formed XML ({reason}). The "
            "export may be truncated; export it again or fix the file at that line."
        )
        error.reason, error.line, error.column = reason, line, col
        raise error from None


class XMLSyntaxError(LoadError):
    """XML that is not well formed (as opposed to XML refused for safety)."""

    reason: str = ""
    line: int | None = None
    column: int | None = None


def local_name(tag: str) -> str:
    """Tag without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def snake_case(name: str) -> str:
    """``accessionNo`` -> ``accession_no``; ``LOAD-DATE`` -> ``load_date``."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip())
    return re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()
