"""Corpus loaders: one module per format family behind :func:`load_corpus`.

>>> from framelab.io import formats
>>> {"csv", "excel", "folder", "json", "factiva_xml"} <= set(formats()["format"])
True
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from framelab._errors import suggest
from framelab.corpus import CORPUS_COLUMNS, validate_corpus
from framelab.io import europresse as _europresse  # noqa: F401  (registers formats)
from framelab.io import factiva as _factiva  # noqa: F401  (registers formats)
from framelab.io import feeds as _feeds  # noqa: F401  (registers formats)
from framelab.io import folder as _folder  # noqa: F401  (registers formats)
from framelab.io import lexisnexis as _lexisnexis  # noqa: F401  (registers formats)
from framelab.io import mediacloud as _mediacloud  # noqa: F401  (registers formats)
from framelab.io import tables as _tables  # noqa: F401  (registers formats)
from framelab.io import webpages as _webpages  # noqa: F401  (registers formats)
from framelab.io._registry import FormatSpec, detect_format, formats, get_format, register_format
from framelab.io._text import LoadError, decode_bytes
from framelab.io.manifest import check_manifest, write_manifest

__all__ = [
    "FormatSpec",
    "LoadError",
    "check_manifest",
    "decode_bytes",
    "detect_format",
    "formats",
    "load_corpus",
    "register_format",
    "write_manifest",
]

logger = logging.getLogger(__name__)

_MAPPABLE = tuple(c for c in CORPUS_COLUMNS if c != "source_file")
#: common names for the Corpus columns, offered as suggestions (never applied silently)
_ALIASES = {
    "text": ("body", "content", "article", "full_text", "fulltext", "story", "story_text"),
    "doc_id": ("id", "article_id", "story_id", "stories_id", "uid"),
    "date": ("published", "publish_date", "pub_date", "publication_date", "datetime", "timestamp"),
    "outlet": ("source", "media_name", "publication", "newspaper", "publisher", "site"),
    "title": ("headline", "heading"),
    "url": ("link", "href"),
    "language": ("lang",),
}
_READER_OPTIONS = (
    "delimiter",
    "sheet",
    "filename_pattern",
    "metadata",
    "recursive",
    "allow_outside_links",
    "max_uncompressed_bytes",
)


def load_corpus(
    path: str | Path,
    format: str | None = None,
    *,
    encoding: str | None = None,
    on_bad_lines: str = "error",
    validate: bool = True,
    dayfirst: bool | None = None,
    text: str | Sequence[str] | None = None,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    filename_pattern: str | None = None,
    on_duplicate_ids: str = "error",
    **options: object,
) -> pd.DataFrame:
    """Load news documents from a file or folder into a Corpus table.

    Parameters
    ----------
    path : str or os.PathLike
        A file or a folder. Files are opened read-only; nothing under ``data/raw`` is ever written.
    format : str, optional
        One of ``framelab.io.formats()``; detected from the extension (and content, where formats
        share an extension) when omitted.
    encoding : str, optional
        Text encoding; detected when omitted (UTF-8, UTF-8 with BOM, UTF-16, cp1252, ...).
    on_bad_lines : {"error", "warn", "skip"}, default "error"
        What to do with malformed rows/lines in CSV and JSON Lines files.
    validate : bool, default True
        Return a validated Corpus (see :func:`framelab.validate_corpus`); ``False`` returns the raw
        table.
    dayfirst : bool, optional
        Numeric dates such as ``03/04/2023``: ``True`` reads them day-first, ``False``
        month-first; ``None`` (default) infers it per file from values that can only be one of
        them (``25/11/2023``) and warns which convention was used. ISO dates (``2023-11-01``)
        are never reinterpreted.
    text : str or list of str, optional
        The column holding the document body (default: a column named ``text``). A list such as
        ``["title", "desc"]`` joins those columns as separate paragraphs (a blank line between),
        skipping empty parts; a row is dropped only when every part is empty (see
        :func:`framelab.prepare.join_text`).
    columns : mapping, optional
        Target column -> your column, for any target: Corpus columns (``{"date": "Date"}``) are
        renamed, other names add a metadata column copied from yours (``{"camp": "Site"}``).
        Same as the keyword mappings below; ``columns["text"]`` may be a list.
    filename_pattern : str, optional
        Folders of text files: read metadata from file names, e.g.
        ``"{outlet}_{date}_{doc_id}.txt"``.
    on_duplicate_ids : {"error", "first", "suffix"}, default "error"
        Repeated ``doc_id`` values: raise, keep the first, or number the repeats ``id~2``, ...
        (see :func:`framelab.validate_corpus`).
    **options
        Column mapping, Corpus column = your column: ``doc_id="id"``, ``date="published"``,
        ``outlet="source"``, ``title``, ``url``, ``country``, ``language``. Reader options:
        ``delimiter`` (CSV), ``sheet`` (Excel), ``metadata`` and ``recursive`` (folders),
        ``allow_outside_links`` (folders: read files that symbolic links point to outside the
        folder; off by default), ``max_uncompressed_bytes`` (``.docx``/``.xlsx``: the most a
        workbook or document may unpack to, default 200 MB).
        ``language`` may also be a constant for every document (``language="ru"``) or
        ``"detect"``; labels are normalised (``RU``, ``ru-RU``, ``rus``, ``Russian`` -> ``ru``),
        a column named ``lang`` is used when there is no ``language`` column; ``"detect"``
        detects each document's language from its text (see
        :func:`framelab.languages.detect_language`; logged with counts). Documents left without
        a label are detected at coding time among the codebook's languages.

    Returns
    -------
    pandas.DataFrame
        The Corpus. ``attrs["framelab_load_report"]`` lists every file read (``file, format,
        status, rows, message``); ``attrs["framelab_dropped"]`` lists dropped rows.

    Raises
    ------
    LoadError
        Unreadable, empty, binary or malformed input (the message names the file and line).
    KeyError
        A mapped column, or the ``text`` column, does not exist (the message lists the columns).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "news.csv").write_text(
    ...     "id;body;published\\n1;Envoys met in Geneva.;2023-11-01\\n", encoding="utf-8")
    >>> corpus = load_corpus(folder / "news.csv", doc_id="id", text="body", date="published")
    >>> corpus[["doc_id", "text", "date"]].to_dict("records")
    [{'doc_id': '1', 'text': 'Envoys met in Geneva.', 'date': Timestamp('2023-11-01 00:00:00')}]
    """
    path = Path(path)
    mapping: dict = dict(columns or {})
    reader_opts: dict = {}
    if text is not None:
        mapping["text"] = text
    if filename_pattern is not None:
        reader_opts["filename_pattern"] = filename_pattern
    for key, value in options.items():
        if key in _MAPPABLE:
            mapping[key] = value
        elif key in _READER_OPTIONS:
            reader_opts[key] = value
        else:
            raise TypeError(
                f"load_corpus(): unknown option {key}=... . Column mappings: "
                f"{', '.join(_MAPPABLE)}; reader options: {', '.join(_READER_OPTIONS)}."
                f"{suggest(key, _MAPPABLE + _READER_OPTIONS)}"
            )
    if not path.exists():
        raise FileNotFoundError(
            f"load_corpus(): {path} does not exist (working directory: {Path.cwd().name}/). "
            "Paths are relative to the folder the notebook or command runs in."
        )
    if not path.is_dir() and not path.is_file():
        raise LoadError(
            f"load_corpus(): {path} is not a regular file (a FIFO, socket or device), so it was "
            "not opened. Point load_corpus at the export file or its folder."
        )
    fmt = format or detect_format(path)
    spec = get_format(fmt)
    raw = spec.reader(path, encoding=encoding, on_bad_lines=on_bad_lines, **reader_opts)
    report = list(raw.attrs.get("framelab_load_report", []))
    raw, language = _language_option(raw, mapping, path)
    raw = _apply_mapping(raw, mapping, path)
    if language is not None:
        raw["language"] = language
    if "source_file" not in raw.columns:
        raw["source_file"] = str(path)
    if not validate:
        raw.attrs["framelab_load_report"] = report
        return raw
    corpus = validate_corpus(
        raw, source=str(path), dayfirst=dayfirst, on_duplicate_ids=on_duplicate_ids
    )
    if language == "detect":
        _detect_languages(corpus, path)
    corpus.attrs["framelab_load_report"] = report
    loaded = sum(r["rows"] for r in report if r["status"] == "loaded")
    logger.info("load_corpus(%s): %d documents from %d file(s)", path, len(corpus), len(report))
    if loaded != len(corpus) + len(corpus.attrs.get("framelab_dropped", [])):
        logger.debug("row accounting: %d read, %d kept", loaded, len(corpus))
    return corpus


def _language_option(raw: pd.DataFrame, mapping: dict, path: Path) -> tuple[pd.DataFrame, object]:
    """``language=`` as a constant or ``"detect"`` (not a column), and the ``lang`` alias."""
    value = mapping.get("language")
    if value is None:
        if "language" not in raw.columns and "lang" in raw.columns:
            logger.info("%s: using column 'lang' as the language column", path.name)
            mapping["language"] = "lang"
        return raw, None
    if value in raw.columns:
        return raw, None
    del mapping["language"]
    if str(value).strip().lower() == "detect":
        return raw.drop(columns=["language"], errors="ignore"), "detect"
    from framelab.languages import language_code

    code = language_code(value)
    if code is None or not re.fullmatch(r"[a-z]{2}", code):
        columns = [str(c) for c in raw.columns]
        raise KeyError(
            f"load_corpus(): language={value!r} is neither a column of {path.name} nor a "
            f"language code · columns found: {', '.join(map(repr, columns))} · pass a column "
            "name, an ISO 639-1 code such as language='ru', or language='detect'."
            f"{suggest(str(value), columns, 'language')}"
        )
    if "language" in raw.columns:
        logger.info("%s: language=%r replaces the existing 'language' column", path.name, code)
    return raw.drop(columns=["language"], errors="ignore"), code


def _detect_languages(corpus: pd.DataFrame, path: Path) -> None:
    """``language="detect"``: every document's language from its text, logged with counts."""
    from framelab.languages import detect_language

    found = detect_language(corpus["text"].tolist())
    corpus["language"] = pd.Series(found, index=corpus.index, dtype="str")
    counts = corpus["language"].value_counts(dropna=False)
    logger.info(
        "load_corpus(%s): language detected for %d document(s): %s",
        path.name,
        len(corpus),
        ", ".join(f"{k} {v}" for k, v in counts.items()),
    )


def _apply_mapping(raw: pd.DataFrame, mapping: dict, path: Path) -> pd.DataFrame:
    from framelab.prepare import join_text

    columns = [str(c) for c in raw.columns]
    for target, sources in mapping.items():
        many = isinstance(sources, list | tuple)
        if many and target != "text":
            raise TypeError(
                f"load_corpus(): {target}={list(sources)!r}: only text may name several "
                "columns (joined as paragraphs); give one column name."
            )
        for source in sources if many else [sources]:
            if source not in raw.columns:
                raise KeyError(
                    f"load_corpus(): {target}={source!r} is not a column of {path.name}. "
                    f"Columns found: {', '.join(map(repr, columns))}."
                    f"{suggest(source, columns, target)}"
                )
    parts = mapping.get("text")
    if isinstance(parts, list | tuple):
        raw = raw.drop(columns=[c for c in ("text",) if c in raw.columns and c not in parts])
        raw = raw.assign(_framelab_text=join_text(raw, list(parts)))
        mapping = {**mapping, "text": "_framelab_text"}
    # metadata columns under a name of your choice: copies of the source as read
    extra = {t: raw[s] for t, s in mapping.items() if t not in _MAPPABLE}
    mapping = {t: s for t, s in mapping.items() if t in _MAPPABLE}
    # a column already named like a mapping target is replaced by the mapped one
    shadowed = [
        t
        for t, src in mapping.items()
        if t != src and t in raw.columns and t not in mapping.values()
    ]
    if shadowed:
        logger.info("%s: mapped columns replace existing %s", path.name, shadowed)
    renamed = raw.drop(columns=shadowed).rename(columns={s: t for t, s in mapping.items()})
    renamed = renamed.assign(**extra)
    if "text" not in renamed.columns:
        alias = next((a for a in _ALIASES["text"] if a in raw.columns), None)
        hint = f" Did you mean text={alias!r}?" if alias else suggest("text", columns, "text")
        raise KeyError(
            f"load_corpus(): {path.name} has no 'text' column. Columns found: "
            f"{', '.join(map(repr, columns)) or '(none)'}.{hint} "
            "Name the column holding the article body with text='...'."
        )
    for target in ("doc_id", "date", "outlet", "title"):
        if target not in renamed.columns:
            alias = next((a for a in _ALIASES[target] if a in raw.columns), None)
            if alias:
                logger.info(
                    "%s: no %r column; column %r looks like one - pass %s=%r to use it",
                    path.name,
                    target,
                    alias,
                    target,
                    alias,
                )
    return renamed
