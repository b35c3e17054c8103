"""Tone per unit with VADER, offline, so that tone can be compared by frame and by group.

Text layer: :func:`tone` scores units of text (a Corpus, or units from
:func:`framelab.compare.text_units`); ``framelab.compare.tone`` is the same function.

The lexicon is the one shipped inside the ``vaderSentiment`` package; nothing is downloaded.
Two engines score it:

``"vader"`` (default)
    ``vaderSentiment``'s own ``SentimentIntensityAnalyzer`` (Hutto's reference implementation,
    version 3.3.2), which reads the lexicon from its package folder. NLTK is not involved.
``"nltk"``
    NLTK's port (``nltk.sentiment.vader``). NLTK 3.10 only opens resources under its data
    roots (``nltk.data.path``) and refuses roots that other accounts can write to, so the
    lexicon is copied into a folder NLTK expects, ``<root>/sentiment/vader_lexicon/
    vader_lexicon.txt``, under a root private to the user (mode 0700; by default a temporary
    folder removed as soon as the lexicon is loaded, or ``cache_dir`` such as
    ``data/processed/cache/nltk``); the root is on ``nltk.data.path`` only while NLTK loads the
    lexicon, so :func:`tone` leaves no process-wide state behind (no entry in
    ``nltk.data.path``, no folder left for exit). The two engines agree on ordinary sentences;
    they differ on some constructions that vaderSentiment 3.3 handles differently (emoji, a
    few idioms).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from framelab._errors import suggest
from framelab._table_cache import cache_table
from framelab._unit_ids import infer_level
from framelab.schema import TEXT_COLUMNS

__all__ = ["TONE_COLUMNS", "tone", "vader_nltk_root"]

logger = logging.getLogger(__name__)

#: Columns of :func:`tone` (the unit's metadata columns follow).
TONE_COLUMNS = ("doc_id", "unit_id", "level", "tone", "negative", "neutral", "positive")
_NLTK_RESOURCE = "sentiment/vader_lexicon/vader_lexicon.txt"
_DROP = (*TEXT_COLUMNS, "position", "start", "end")  # never copied as metadata
_NLTK_PATH_LOCK = threading.Lock()


def _lexicon_source() -> Path:
    import vaderSentiment

    return Path(vaderSentiment.__file__).resolve().parent / "vader_lexicon.txt"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def vader_nltk_root(cache_dir: str | Path | None = None) -> Path:
    """Stage vaderSentiment's lexicon where NLTK looks for it and register the folder.

    This registers the root on ``nltk.data.path`` for the rest of the process (for code that
    loads the lexicon through NLTK itself); :func:`tone` does not call it and leaves
    ``nltk.data.path`` unchanged.

    Parameters
    ----------
    cache_dir : str or Path, optional
        Root to use (created with mode 0700 when missing; an existing root must not be writable
        by group or others, since NLTK refuses such roots). Default: a private temporary folder
        (not removed: the caller asked for a registered root).

    Returns
    -------
    pathlib.Path
        The root, now on ``nltk.data.path``; the lexicon is at
        ``<root>/sentiment/vader_lexicon/vader_lexicon.txt``.

    Examples
    --------
    >>> import nltk
    >>> root = vader_nltk_root()
    >>> (root / "sentiment" / "vader_lexicon" / "vader_lexicon.txt").is_file()
    True
    >>> str(root) in nltk.data.path
    True
    >>> nltk.data.path.remove(str(root))  # undo, for the other doctests
    """
    import nltk

    if cache_dir is None:
        root = Path(tempfile.mkdtemp(prefix="framelab-nltk-"))
    else:
        root = _private_root(cache_dir)
    _stage(root)
    with _NLTK_PATH_LOCK:
        if str(root) not in [str(p) for p in nltk.data.path]:
            nltk.data.path.append(str(root))
    return root


def _private_root(cache_dir: str | Path) -> Path:
    from framelab._files import ensure_writable

    root = ensure_writable(Path(cache_dir)).resolve()
    if not root.exists():
        root.mkdir(mode=0o700, parents=True)
    if os.name == "posix" and root.stat().st_mode & 0o022:
        raise PermissionError(
            f"vader_nltk_root(): {root} is writable by group or others, and NLTK 3.10 refuses "
            f"such data roots. Run `chmod go-w {root}` or pass another cache_dir."
        )
    return root


def _stage(root: Path) -> None:
    """Copy the lexicon to ``<root>/sentiment/vader_lexicon/vader_lexicon.txt`` (if changed)."""
    source = _lexicon_source()
    target = root / _NLTK_RESOURCE
    if not target.is_file() or _digest(target) != _digest(source):
        for folder in (root / "sentiment", root / "sentiment" / "vader_lexicon"):
            folder.mkdir(mode=0o700, exist_ok=True)
            folder.chmod(0o700)
        shutil.copyfile(source, target)
        target.chmod(0o600)
        logger.info("staged the VADER lexicon for NLTK at %s", target)


@contextlib.contextmanager
def _scoped_root(cache_dir: str | Path | None) -> Iterator[Path]:
    """A root holding the lexicon, on ``nltk.data.path`` only inside the ``with`` block; a
    temporary root (no ``cache_dir``) is deleted on exit."""
    import nltk

    with contextlib.ExitStack() as stack:
        if cache_dir is None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="framelab-nltk-")))
        else:
            root = _private_root(cache_dir)
        _stage(root)
        with _NLTK_PATH_LOCK:
            added = str(root) not in [str(p) for p in nltk.data.path]
            if added:
                nltk.data.path.append(str(root))
            try:
                yield root
            finally:
                if added and str(root) in nltk.data.path:
                    nltk.data.path.remove(str(root))


@functools.lru_cache(maxsize=4)
def _analyzer(engine: str, cache_dir: str | None):
    if engine == "vader":
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        return SentimentIntensityAnalyzer()
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    with _scoped_root(cache_dir):  # the lexicon is read into memory here
        return SentimentIntensityAnalyzer(lexicon_file=_NLTK_RESOURCE)


@cache_table(
    "tone",
    source="units",
    versions=("vaderSentiment", "nltk"),
    skip=("progress", "cache_dir"),
    attrs=lambda p: p["units"].attrs,
)
def tone(
    units: pd.DataFrame,
    *,
    text_col: str = "text",
    engine: str = "vader",
    cache_dir: str | Path | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """VADER tone of each unit: compound score in [-1, 1] plus the neg/neu/pos proportions.

    Parameters
    ----------
    units : pandas.DataFrame
        A Corpus (one unit per document) or units from :func:`framelab.compare.text_units`
        (``doc_id``, ``unit_id``, ``text``). VADER was built for sentences: long documents
        saturate towards -1 or 1, so score sentences and average them with
        :func:`framelab.compare.mean_by`.
    text_col : str, default "text"
        Column with the text.
    engine : {"vader", "nltk"}, default "vader"
        Scorer (see the module notes); both use the lexicon shipped in ``vaderSentiment``.
    cache_dir : str or Path, optional
        Data root for the ``"nltk"`` engine (see :func:`vader_nltk_root`).
    progress : bool, default False
        Show a progress bar.

    Returns
    -------
    pandas.DataFrame
        :data:`TONE_COLUMNS` - ``doc_id``, ``unit_id`` (the ``doc_id`` for a Corpus), ``level``,
        ``tone`` (VADER compound), ``negative``, ``neutral``, ``positive`` - then the units'
        metadata columns (all but text, title, url, source_file and offsets), so the table
        works with :func:`framelab.compare.mean_by` and can be joined to FrameCodes on
        ``unit_id``.
        Units of a study corpus (:func:`framelab.compare.text_units` of it) are scored once:
        the table is cached in ``data/processed/cache/tone`` (:mod:`framelab._table_cache`).

    References
    ----------
    Hutto, C. J. & Gilbert, E. (2014). VADER: A parsimonious rule-based model for sentiment
    analysis of social media text. *Proceedings of ICWSM-14*.

    Examples
    --------
    >>> units = pd.DataFrame({"doc_id": ["d1", "d2"], "text": ["The talks went well.",
    ...                                                         "The talks failed."]})
    >>> tone(units)[["unit_id", "level", "tone"]]
      unit_id     level    tone
    0      d1  document  0.2732
    1      d2  document -0.5106
    """
    from tqdm import tqdm

    caller = "tone"
    if engine not in ("vader", "nltk"):
        raise ValueError(
            f"{caller}(): engine must be one of 'vader', 'nltk', got {engine!r}."
            f"{suggest(str(engine), ('vader', 'nltk'), 'engine')}"
        )
    if not isinstance(units, pd.DataFrame):
        raise TypeError(f"{caller}(): expected a DataFrame of units, got {type(units).__name__}.")
    missing = [c for c in ("doc_id", text_col) if c not in units.columns]
    if missing:
        raise ValueError(
            f"{caller}(): the units have no {', '.join(map(repr, missing))} column. Pass a Corpus "
            "or the output of framelab.compare.text_units()."
        )
    table = units.copy()
    if "unit_id" not in table:
        table["unit_id"] = table["doc_id"]
    if "level" not in table:
        table["level"] = infer_level(table, caller) if len(table) else "document"
    analyzer = _analyzer(engine, None if cache_dir is None else str(cache_dir))
    scores = [
        analyzer.polarity_scores(str(text))
        for text in tqdm(table[text_col].fillna(""), disable=not progress, desc="tone", unit="unit")
    ]
    table["tone"] = [s["compound"] for s in scores]
    table["negative"] = [s["neg"] for s in scores]
    table["neutral"] = [s["neu"] for s in scores]
    table["positive"] = [s["pos"] for s in scores]
    meta = [c for c in table.columns if c not in TONE_COLUMNS and c not in _DROP and c != text_col]
    return table[[*TONE_COLUMNS, *meta]].reset_index(drop=True)
