"""Disk cache of coding results: a report codes its corpus once (issue 22, private).

:func:`framelab.code_frames` keeps its tables (FrameCodes, Hits, units, languages) in a
:class:`framelab._cache.ResultCache` entry when it is given a cache folder - explicitly
(``cache_dir=``) or through the corpus: :meth:`framelab.config.StudyConfig.load_corpus` tags the
corpus it returns with the study's ``data/processed/cache/coded`` folder (``DataFrame.attrs``),
so every notebook of a report that codes that corpus with the same codebook and level reads
the tables the first one wrote, and so do reruns.

The key holds everything the result depends on: a SHA-256 of the whole corpus table (text,
ids, metadata, row order), of the codebook's content (:meth:`Codebook.to_dict`, so an edited
entry misses), the level, the versions of the libraries that take part (pandas, pyarrow,
NLTK's Punkt for sentences, the lemmatizer, the language identifier) and framelab's version and
source hash (added by ``ResultCache``). A custom sentence splitter is not hashable, so coding
with one is never cached. The warnings coding logged are stored with the tables and logged again
on a hit.

The languages detected for documents without a language label (:func:`detected_languages`) are
kept in the same folder, under ``languages/``: they depend on the texts and the codebook's
languages only, not on the level or the entries, so the notebooks that code one unlabelled
corpus at several levels, or with edited codebooks, detect its languages once (on a 20,000
document corpus detection takes ~10 s per coding).
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import pandas as pd

from framelab._cache import ResultCache, package_versions, table_sha256

__all__ = [
    "ATTR",
    "codebook_sha256",
    "coded_ingredients",
    "detected_languages",
    "load_coded",
    "save_coded",
    "texts_sha256",
]

logger = logging.getLogger(__name__)

#: key of ``DataFrame.attrs`` naming the folder a corpus's coding results are cached in
ATTR = "framelab_coded_cache"
STAGE = "coded"
_WARNINGS = "warnings.json"
_TABLES = ("codes", "hits", "units", "languages")


def codebook_sha256(codebook) -> str:
    """SHA-256 of a codebook's content (its YAML layout as canonical JSON).

    Examples
    --------
    >>> from framelab.codebook import Codebook
    >>> a = Codebook.from_dict({"name": "m", "version": "1", "frames": {"x": {"terms": ["a"]}}})
    >>> b = Codebook.from_dict({"name": "m", "version": "1", "frames": {"x": {"terms": ["b"]}}})
    >>> codebook_sha256(a) == codebook_sha256(a), codebook_sha256(a) == codebook_sha256(b)
    (True, False)
    """
    blob = json.dumps(codebook.to_dict(), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def coded_ingredients(corpus: pd.DataFrame, codebook, level: str) -> dict:
    """Everything a coding result depends on (framelab's own version is added by the cache)."""
    return {
        "corpus": table_sha256(corpus),
        "codebook": codebook_sha256(codebook),
        "level": level,
        "versions": package_versions(
            "pandas",
            "numpy",
            "pyarrow",
            "nltk",
            "pymorphy3",
            "pymorphy3-dicts-ru",  # the dictionaries decide which words a lemma: entry matches
            "pymorphy3-dicts-uk",
            "py3langid",
        ),
    }


def cache_folder(cache_dir: str | Path | bool | None, corpus: pd.DataFrame) -> Path | None:
    """The folder to cache in: ``cache_dir``, else the corpus's tag, else None (no caching;
    ``cache_dir=False`` never caches)."""
    if cache_dir is False:
        return None
    if cache_dir is None:
        cache_dir = corpus.attrs.get(ATTR)
    return None if cache_dir is None else Path(cache_dir)


def load_coded(folder: Path, ingredients: dict) -> tuple[dict[str, pd.DataFrame], list] | None:
    """The cached tables and logged warnings of a matching entry, or None."""
    cache = ResultCache(folder, STAGE)
    entry = cache.lookup(ingredients)
    if entry is None:
        return None
    try:
        tables = {name: pd.read_parquet(entry / f"{name}.parquet") for name in _TABLES}
        notes = json.loads((entry / _WARNINGS).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        logger.warning("coded cache entry %s is unreadable (%s); recoding", entry.name, err)
        return None
    logger.info("code_frames(): read the coded tables from the cache (%s)", entry.name)
    return tables, notes


def save_coded(folder: Path, ingredients: dict, coded, notes: list[str]) -> Path:
    """Store a :class:`framelab.coding.Coded` result's tables and its warnings."""
    languages = coded.languages.rename("language").reset_index()

    def write(tmp: Path) -> None:
        for name, table in (
            ("codes", coded.codes),
            ("hits", coded.hits),
            ("units", coded.units),
            ("languages", languages),
        ):
            table.to_parquet(tmp / f"{name}.parquet", index=True)
        (tmp / _WARNINGS).write_text(json.dumps(notes, ensure_ascii=False), encoding="utf-8")

    return ResultCache(folder, STAGE).store(ingredients, write)


def texts_sha256(texts) -> str:
    """SHA-256 of a sequence of texts (order matters; ``None`` differs from ``""``).

    Examples
    --------
    >>> same = texts_sha256(["a", "b"]) == texts_sha256(["a", "b"])
    >>> joined = texts_sha256(["ab"]) == texts_sha256(["a", "b"])
    >>> same, joined
    (True, False)
    """
    digest = hashlib.sha256()
    for text in texts:
        blob = b"\x00" if text is None else str(text).encode("utf-8", "surrogatepass")
        digest.update(len(blob).to_bytes(8, "little"))
        digest.update(blob)
    return digest.hexdigest()


def detected_languages(
    texts: list, languages: list[str], folder: str | Path | None
) -> list[str | None]:
    """:func:`framelab.languages.detect_language` of ``texts`` among ``languages``, cached in
    ``<folder>/languages`` (a Parquet column keyed by the texts, the candidate languages and the
    detector's version); without a ``folder`` nothing is cached.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> texts = ["Ceasefire talks resume", "Переговоры о мире", "2024"]
    >>> detected_languages(texts, ["en", "ru"], folder)
    ['en', 'ru', None]
    >>> [p.name for p in (folder / "languages").iterdir()] != []
    True
    >>> detected_languages(texts, ["en", "ru"], folder)
    ['en', 'ru', None]
    """
    from framelab.languages import detect_language

    if folder is None:
        return detect_language(texts, languages)
    ingredients = {
        "texts": texts_sha256(texts),
        "n_texts": len(texts),
        "languages": sorted(languages),
        "detector": "py3langid, first 2000 characters",
        "versions": package_versions("py3langid"),
    }
    cache = ResultCache(Path(folder) / "languages", "languages")
    tables = cache.load_tables(ingredients)
    if tables is not None and len(tables.get("detected", ())) == len(texts):
        column = tables["detected"]["language"].tolist()
        return [v if isinstance(v, str) else None for v in column]
    found = detect_language(texts, languages)
    table = pd.DataFrame({"language": pd.Series(found, dtype=object)})
    cache.save_tables(ingredients, {"detected": table})
    return found


class WarningLog(logging.Handler):
    """Collects the messages of the WARNING records of one logger while coding."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
