"""Media Cloud story lists (CSV), with article text joined from saved pages when it is absent.

Media Cloud exports list stories (legacy: ``stories_id, publish_date, title, url, language,
ap_syndicated, themes, media_id, media_name, media_url``; current: ``id, indexed_date, language,
media_name, media_url, publish_date, title, url``) but usually not their text. The text is taken
from, in order:

1. a text column of the CSV (``text``, ``story_text`` or ``full_text``), when there is one;
2. a folder of saved pages: ``pages=`` given to :func:`read_mediacloud`, or, with
   ``load_corpus(path)``, a folder beside the CSV named ``<csv name>_pages`` (``stories.csv`` ->
   ``stories_pages/``). A page matches a story when its file name is the story id
   (``123456.html``, ``123456.txt``) or, failing that, when the page's canonical URL is the
   story's URL. HTML pages are reduced to their main text by trafilatura.

Stories for which no text is found are skipped with ONE warning for the file and listed in the
load report.

=================  ===========================================================================
column             content
=================  ===========================================================================
``doc_id``         ``stories_id`` (legacy) or ``id``
``text``           story text (paragraphs kept)
``title``          story title
``outlet``         ``media_name``
``date``           ``publish_date`` (ISO string)
``url``            story URL
``language``       ``language``
``media_url``      the outlet's home page
``text_source``    where the text came from: ``csv`` or the saved page's file name
=================  ===========================================================================

Other columns of the CSV (``media_id``, ``indexed_date``, ``ap_syndicated``, ``themes``...) are
kept after these.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from framelab.io._articles import build_table, check_bad_lines, head_text, language_code
from framelab.io._dates import parse_date
from framelab.io._registry import FormatSpec, register_format
from framelab.io._text import LoadError, read_text_file

__all__ = ["read_mediacloud"]

COLUMNS = (
    "doc_id",
    "text",
    "title",
    "outlet",
    "date",
    "url",
    "language",
    "media_url",
    "text_source",
)
_RENAME = {"stories_id": "doc_id", "media_name": "outlet", "publish_date": "date"}
_BODY_COLUMNS = ("text", "story_text", "full_text")
_PAGE_SUFFIXES = (".html", ".htm", ".txt")


def read_mediacloud(
    path: str | Path,
    *,
    pages: str | Path | None = None,
    encoding: str | None = None,
    on_bad_lines: str = "error",
    delimiter: str | None = None,
    **_: object,
) -> pd.DataFrame:
    """Read a Media Cloud story list (CSV) and, when it has no text, join text from saved pages.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV export; opened read-only.
    pages : str or os.PathLike, optional
        Folder of saved story pages (``<story id>.html`` / ``.txt``, or any name when the page
        states its canonical URL). Defaults to ``<csv name>_pages`` beside the CSV when it exists.
    encoding : str, optional
        Detected when omitted.
    on_bad_lines : {"error", "warn", "skip"}, default "error"
        Malformed CSV rows raise (``"error"``) or are skipped (see :func:`framelab.io.load_corpus`);
        stories without text are always skipped with one warning (``"skip"``: logged only).
    delimiter : str, optional
        Field separator; sniffed when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per story with text, with the columns listed in :mod:`framelab.io.mediacloud`.

    Raises
    ------
    LoadError
        The CSV has no text column and no pages folder was given or found; or no story has text.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "stories.csv").write_text(
    ...     "stories_id,publish_date,title,url,language,media_id,media_name,media_url\\n"
    ...     "101,2023-03-03 09:30:00,Envoys meet,https://example.org/a,en,7,Example Daily,"
    ...     "https://example.org\\n", encoding="utf-8")
    >>> (folder / "stories_pages").mkdir()
    >>> _ = (folder / "stories_pages" / "101.txt").write_text("Envoys met.\\n\\nTalks go on.")
    >>> row = read_mediacloud(folder / "stories.csv").iloc[0]
    >>> row[["doc_id", "outlet", "date", "text", "text_source"]].to_dict()
    {'doc_id': '101', 'outlet': 'Example Daily', 'date': '2023-03-03T09:30:00', \
'text': 'Envoys met.\\n\\nTalks go on.', 'text_source': '101.txt'}
    """
    from framelab.io.tables import read_csv

    check_bad_lines(on_bad_lines)
    path = Path(path)
    raw = read_csv(
        path, delimiter=delimiter, encoding=encoding, on_bad_lines=on_bad_lines, fmt="mediacloud"
    )
    csv_report = raw.attrs.get("framelab_load_report", [{}])[0]
    if "media_name" not in raw.columns:
        raise LoadError(
            f"{path}: no 'media_name' column, so this is not a Media Cloud story list. Columns "
            f"found: {', '.join(map(repr, raw.columns))}. Pass format='csv' to read it as a CSV."
        )
    table = raw.rename(columns=_RENAME)
    if "doc_id" not in table.columns and "id" in table.columns:
        table = table.rename(columns={"id": "doc_id"})
    if "date" in table.columns:
        table["date"] = [
            None if pd.isna(v) else (parse_date(str(v)) or str(v)) for v in table["date"]
        ]
    if "language" in table.columns:
        table["language"] = [
            None if pd.isna(v) else language_code(str(v)) for v in table["language"]
        ]
    text_col = next((c for c in _BODY_COLUMNS if c in table.columns), None)
    records = table.to_dict("records")
    message = csv_report.get("message", "")
    if text_col is not None:
        for rec in records:
            value = rec.pop(text_col)
            rec["text"] = None if pd.isna(value) else str(value)
            rec["text_source"] = "csv"
        folder = None
    else:
        folder = Path(pages) if pages is not None else _default_pages(path)
        if folder is None:
            raise LoadError(
                f"{path}: this Media Cloud story list has no text column, and no folder of saved "
                f"pages was found. Save the stories' pages in {path.stem}_pages/ beside the CSV "
                "(named <stories_id>.html or .txt), or call "
                "framelab.io.mediacloud.read_mediacloud(path, pages='folder'). To analyse the "
                "headlines only, use load_corpus(path, format='csv', text='title')."
            )
        if not folder.is_dir():
            raise LoadError(f"read_mediacloud(): pages={str(folder)!r} is not a folder.")
        _join_pages(records, folder)
        message = f"{message}; text from saved pages in {folder}"
    kept, skipped = [], []
    for position, rec in enumerate(records, start=1):
        text = rec.get("text")
        if text is None or not str(text).strip():
            why = rec.pop("_why", None) or "no text"
            skipped.append((position, f"id {rec.get('doc_id')}: {why}"))
            continue
        rec.pop("_why", None)
        kept.append({k: (None if _missing(v) else v) for k, v in rec.items()})
    return build_table(
        kept,
        COLUMNS,
        path=path,
        fmt="mediacloud",
        skipped=skipped,
        message=message.strip("; "),
        on_bad_lines=on_bad_lines,
        unit="story",
        int_columns=(),
    )


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _default_pages(path: Path) -> Path | None:
    candidate = path.with_name(f"{path.stem}_pages")
    return candidate if candidate.is_dir() else None


def _norm_url(url: object) -> str:
    if _missing(url) or not url:
        return ""
    url = str(url).strip().split("#", 1)[0].lower()
    return re.sub(r"^[a-z]+://(?:www\.)?", "", url).rstrip("/")


def _read_page(file: Path) -> dict | None:
    from framelab.io.webpages import extract_article

    try:
        text, _ = read_text_file(file)
    except LoadError:
        return None
    if file.suffix.lower() == ".txt":
        paras = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
        return {"text": "\n\n".join(paras)} if paras else None
    return extract_article(text)


def _join_pages(records: list[dict], folder: Path) -> None:
    files = sorted(
        f
        for f in folder.iterdir()
        if f.is_file() and not f.name.startswith(".") and f.suffix.lower() in _PAGE_SUFFIXES
    )
    by_stem: dict[str, Path] = {}
    for file in files:
        by_stem.setdefault(file.stem, file)
    cache: dict[Path, dict | None] = {}

    def page(file: Path) -> dict | None:
        if file not in cache:
            cache[file] = _read_page(file)
        return cache[file]

    used: set[Path] = set()
    unmatched = []
    for rec in records:
        file = by_stem.get(str(rec.get("doc_id")))
        if file is None:
            unmatched.append(rec)
            continue
        used.add(file)
        _fill(rec, file, page(file))
    if not unmatched:
        return
    by_url: dict[str, Path] = {}
    for file in files:
        if file in used or file.suffix.lower() == ".txt":
            continue
        info = page(file)
        if info and info.get("url"):
            by_url.setdefault(_norm_url(info["url"]), file)
    for rec in unmatched:
        file = by_url.get(_norm_url(rec.get("url")))
        if file is None:
            rec["_why"] = f"no saved page named {rec.get('doc_id')}.html/.txt or with its URL"
            continue
        _fill(rec, file, page(file))


def _fill(rec: dict, file: Path, info: dict | None) -> None:
    if info is None or not info.get("text"):
        rec["_why"] = f"the saved page {file.name} has no article text"
        return
    rec["text"] = info["text"]
    rec["text_source"] = file.name
    for key in ("title", "date", "outlet"):
        if _missing(rec.get(key)) and info.get(key):
            rec[key] = info[key]


def _sniff(path: Path, head: bytes) -> bool:
    first = head_text(head).lstrip("\ufeff").split("\n", 1)[0].lower()
    names = {n.strip().strip('"') for n in re.split(r"[,;\t|]", first)}
    return "media_name" in names and ("stories_id" in names or {"publish_date", "url"} <= names)


register_format(
    FormatSpec(
        "mediacloud",
        read_mediacloud,
        (".csv",),
        sniff=_sniff,
        priority=30,
        description="Media Cloud story list (text joined from saved pages)",
    )
)
