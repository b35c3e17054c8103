"""The Corpus table: schema, validation, stable ids and near-duplicate detection.

A *Corpus* is a tidy :class:`pandas.DataFrame` with one row per document and these columns, in this
order, followed by any other metadata columns exactly as they came:

=============== ========================================================================
column          meaning
=============== ========================================================================
``doc_id``      unique string id: the given id, or a short hash of text + outlet + date
``text``        the document body, Unicode NFC, HTML entities decoded, paragraphs kept
``outlet``      publishing outlet (missing values allowed)
``date``        publication time, ``datetime64[ns]`` in UTC with the zone dropped
``title``       headline
``url``         address of the story
``country``     country (or perspective group) of the outlet
``language``    ISO 639-1 code of the text (``en``, ``ru``, ``uk``...)
``source_file`` file the row was read from
=============== ========================================================================

Every function that changes the rows records what it removed in ``corpus.attrs["framelab_dropped"]``
(a list of ``{"doc_id", "reason"}`` dicts) so that nothing is lost silently.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import unicodedata
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from framelab._datecol import _isna, parse_date_column
from framelab._errors import suggest

__all__ = [
    "CORPUS_COLUMNS",
    "check_corpus",
    "corpus_summary",
    "drop_near_duplicates",
    "find_near_duplicates",
    "make_doc_id",
    "normalize_text",
    "parse_dates",
    "validate_corpus",
]

logger = logging.getLogger(__name__)

CORPUS_COLUMNS = (
    "doc_id",
    "text",
    "outlet",
    "date",
    "title",
    "url",
    "country",
    "language",
    "source_file",
)
_STRING_COLUMNS = ("outlet", "title", "url", "country", "language", "source_file")

_SPACES = re.compile(r"[^\S\n]+")  # whitespace except newlines
_MANY_NEWLINES = re.compile(r"\n\s*\n\s*(?:\n\s*)*")
_ONE_NEWLINE = re.compile(r" *\n *")
_OTHER_SPACE = re.compile(r"[^\S\n ]")  # whitespace other than a plain space or a line end


def normalize_text(text: str) -> str:
    """Normalise a document body without losing its paragraph structure.

    HTML entities are decoded, the text is put in Unicode NFC, non-breaking and other spaces
    become plain spaces, line ends become ``\\n``, runs of blank lines become one blank line
    (a paragraph break) and the ends are stripped.

    Parameters
    ----------
    text : str
        Raw document text.

    Returns
    -------
    str
        The normalised text.

    Examples
    --------
    >>> normalize_text("Talks&nbsp;resume  in\\r\\n\\r\\n\\r\\nGeneva. ")
    'Talks resume in\\n\\nGeneva.'
    """
    text = html.unescape(text)
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # the substitutions change nothing in a text whose only spaces are single plain spaces,
    # or that has no line end: skip them there (3x faster on news text, same result)
    if "  " in text or _OTHER_SPACE.search(text):
        text = _SPACES.sub(" ", text)
    if "\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
        text = _ONE_NEWLINE.sub("\n", text)
    return text.strip()


def make_doc_id(text: str, outlet: object = "", date: object = "") -> str:
    """Return a stable 12-character id from normalised text, outlet and date.

    The same document read from a CSV today or from Parquet next year gets the same id.

    Examples
    --------
    >>> make_doc_id("Talks resume.", "Example Daily", "2023-11-01")
    'e4f31efcebf2'
    >>> make_doc_id("Talks  resume. ", "Example Daily", "2023-11-01")  # same after normalising
    'e4f31efcebf2'
    """
    outlet = "" if _isna(outlet) else str(outlet)
    date = "" if _isna(date) else str(date)
    key = "\x1f".join((normalize_text(text), outlet, date))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def parse_dates(
    values: pd.Series,
    *,
    what: str = "date",
    dayfirst: bool | None = None,
    files: pd.Series | None = None,
) -> pd.Series:
    """Parse dates of mixed formats and time zones into one ``datetime64[ns]`` UTC series.

    ISO dates, ``01 November 2023``, ``Nov 1, 2023``, ``2023-11-01T09:30:00+03:00`` and
    ``Wednesday, 1 November 2023`` may all appear in one column; each value is read by its own
    format, and an ISO date (``2023-11-01``) is always year-month-day. Zone-aware values are
    converted to UTC; naive values are taken as UTC.

    Numeric dates such as ``03/04/2023`` are ambiguous. Values that can only be day-first
    (``25/11/2023``) or only month-first (``11/25/2023``) are read that way; the ambiguous ones
    follow the unambiguous ones of the same column (of the same file when ``files`` is given; a
    file with no evidence of its own follows the whole column), or ``dayfirst`` when it is given. Without evidence they are read month-first (pandas'
    convention) and the warning says so; when the column holds both conventions they become
    ``NaT``.

    Values that cannot be parsed, impossible dates (``2023-13-01``, ``31/02/2023``) and dates
    outside the years 1678-2261 (``2300-01-01``) become ``NaT``. ONE warning per call names
    them (file and 0-based row within the file), the convention assumed for ambiguous values
    when nothing in the column showed it, and the count of each format when numeric dates are
    mixed with other formats. A convention inferred from the values is logged (INFO).

    Parameters
    ----------
    values : pandas.Series
        The dates (strings, datetimes or missing values).
    what : str, default "date"
        What to call the column in the warning, e.g. ``"date in news.csv"``.
    dayfirst : bool, optional
        ``True``/``False`` forces day-first/month-first for ambiguous numeric dates;
        ``None`` (default) infers it.
    files : pandas.Series, optional
        The file each value came from (aligned with ``values``): the convention is inferred per
        file and the warning names files and rows within them.

    Returns
    -------
    pandas.Series
        ``datetime64[ns]``, same index as ``values``.

    Examples
    --------
    >>> s = pd.Series(["2023-11-01", "2 Nov 2023", "2023-11-03T23:30:00-02:00", "soon"])
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     out = parse_dates(s)
    >>> [str(d) for d in out]
    ['2023-11-01 00:00:00', '2023-11-02 00:00:00', '2023-11-04 01:30:00', 'NaT']
    >>> "soon" in str(w[0].message)
    True
    >>> [str(d.date()) for d in parse_dates(pd.Series(["25/11/2023", "03/04/2023"]))]
    ['2023-11-25', '2023-04-03']
    """
    return parse_date_column(values, what=what, dayfirst=dayfirst, files=files, log=logger)


def validate_corpus(
    df: pd.DataFrame,
    *,
    source: str | None = None,
    parse_date: bool = True,
    dayfirst: bool | None = None,
    on_duplicate_ids: str = "error",
) -> pd.DataFrame:
    """Check and normalise a table into the Corpus schema.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per document. Must have a ``text`` column; ``doc_id``, ``outlet``, ``date``,
        ``title``, ``url``, ``country``, ``language`` and ``source_file`` are used when present and
        added empty when absent. Other columns are kept unchanged after the standard ones.
    source : str, optional
        Name used in messages (usually the file the table came from).
    parse_date : bool, default True
        Parse the ``date`` column (see :func:`parse_dates`).
    dayfirst : bool, optional
        Read ambiguous numeric dates (``03/04/2023``) day-first (``True``) or month-first
        (``False``); ``None`` infers it per file from the values that can only be one of them.
    on_duplicate_ids : {"error", "first", "suffix"}, default "error"
        What to do when ``doc_id`` values repeat: raise, keep the first row of each id (the
        others are dropped and recorded), or keep every row and number the repeats
        ``id``, ``id~2``, ``id~3`` ... in row order.

    Returns
    -------
    pandas.DataFrame
        A new Corpus table; the input is not modified. ``attrs["framelab_dropped"]`` lists the rows
        that were dropped and why (empty texts).

    Raises
    ------
    TypeError
        If ``df`` is not a DataFrame.
    KeyError
        If there is no ``text`` column (the message lists the columns found and the closest one).
    ValueError
        If ``doc_id`` values repeat and ``on_duplicate_ids="error"`` (the message lists them).

    Examples
    --------
    >>> raw = pd.DataFrame({"body": ["Talks resume.", "  "], "outlet": ["A", "B"]})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     corpus = validate_corpus(raw.rename(columns={"body": "text"}))
    >>> corpus[["doc_id", "text", "outlet"]].to_dict("records")
    [{'doc_id': 'c1a5593acb86', 'text': 'Talks resume.', 'outlet': 'A'}]
    >>> corpus.attrs["framelab_dropped"]
    [{'doc_id': None, 'row': 1, 'reason': 'empty text', 'outlet': 'B'}]
    >>> twice = pd.DataFrame({"doc_id": ["7", "7", "8"], "text": ["a", "b", "c"]})
    >>> validate_corpus(twice, on_duplicate_ids="suffix")["doc_id"].tolist()
    ['7', '7~2', '8']
    """
    where = f" in {source}" if source else ""
    if on_duplicate_ids not in _ON_DUPLICATE_IDS:
        raise ValueError(
            f"validate_corpus(): on_duplicate_ids must be one of "
            f"{', '.join(map(repr, _ON_DUPLICATE_IDS))}, got {on_duplicate_ids!r}."
            f"{suggest(str(on_duplicate_ids), _ON_DUPLICATE_IDS)}"
        )
    if not isinstance(df, pd.DataFrame):
        raise TypeError(
            f"validate_corpus(): expected a pandas DataFrame, got {type(df).__name__}. "
            "Load files with framelab.load_corpus(path) first."
        )
    if "text" not in df.columns:
        cols = [str(c) for c in df.columns]
        raise KeyError(
            f"validate_corpus(): no 'text' column{where}. Columns found: "
            f"{', '.join(repr(c) for c in cols) or '(none)'}.{suggest('text', cols, 'text')}"
            " Map your column with load_corpus(path, text='your_column')."
        )
    out = df.copy()
    out.attrs = {}
    dropped: list[dict] = list(df.attrs.get("framelab_dropped", []))

    text = out["text"]
    is_str = text.map(lambda v: isinstance(v, str))
    if not is_str.all():
        non_null = text.notna() & ~is_str
        out.loc[non_null, "text"] = text[non_null].astype(str)
    out["text"] = out["text"].map(lambda v: normalize_text(v) if isinstance(v, str) else "")

    for col in _STRING_COLUMNS:
        if col not in out.columns:
            out[col] = pd.Series(np.nan, index=out.index, dtype="str")
        else:
            out[col] = _as_str(out[col])
    out["language"] = _language_codes(out["language"])

    if parse_date:
        if "date" in out.columns:
            files = out["source_file"] if "source_file" in out.columns else None
            out["date"] = parse_dates(
                out["date"], what=f"date{where}", dayfirst=dayfirst, files=files
            )
        else:
            out["date"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    elif "date" not in out.columns:
        out["date"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")

    has_ids = "doc_id" in out.columns and out["doc_id"].notna().all()
    if "doc_id" in out.columns and not has_ids and out["doc_id"].notna().any():
        missing = int(out["doc_id"].isna().sum())
        logger.info("%d rows%s have no doc_id; generating hashes for them", missing, where)

    empty = out["text"].str.len() == 0
    if empty.any():
        ids = out.loc[empty, "doc_id"].tolist() if "doc_id" in out.columns else [None] * empty.sum()
        rows = np.flatnonzero(empty.to_numpy()).tolist()
        outlets = out.loc[empty, "outlet"].tolist()
        for row, doc, outlet in zip(rows, ids, outlets, strict=True):
            dropped.append(
                {
                    "doc_id": None if _isna(doc) else str(doc),
                    "row": row,
                    "reason": "empty text",
                    "outlet": None if _isna(outlet) else str(outlet),
                }
            )
        shown = [str(i) for i in ids if not _isna(i)][:5] or [f"row {r}" for r in rows[:5]]
        warnings.warn(
            f"validate_corpus(): dropped {int(empty.sum())} document(s) with empty or "
            f"whitespace-only text{where}; {_per_outlet(out, empty)}; first: "
            f"{', '.join(shown)}. They are listed in corpus.attrs['framelab_dropped'].",
            UserWarning,
            stacklevel=2,
        )
        out = out.loc[~empty]

    if "doc_id" in out.columns:
        given = out["doc_id"]
        missing = given.isna()
        # ids are generated (a hash of the normalised text) only for the rows that lack one
        generated = _generated_ids(out[missing]).reindex(out.index) if missing.any() else given
        ids = given.where(~missing, generated)
        out["doc_id"] = _as_str(ids)
    else:
        out["doc_id"] = _generated_ids(out)

    dup = out["doc_id"].duplicated(keep=False)
    if dup.any() and on_duplicate_ids == "first":
        repeat = out["doc_id"].duplicated(keep="first")
        rows = np.flatnonzero(repeat.to_numpy()).tolist()
        for row, doc in zip(rows, out.loc[repeat, "doc_id"], strict=True):
            dropped.append({"doc_id": str(doc), "row": row, "reason": "duplicate doc_id"})
        warnings.warn(
            f"validate_corpus(): dropped {len(rows)} row(s) whose doc_id repeats an earlier "
            f"row{where} (on_duplicate_ids='first'); first: "
            f"{', '.join(out.loc[repeat, 'doc_id'].head(5))}.",
            UserWarning,
            stacklevel=2,
        )
        out = out.loc[~repeat]
    elif dup.any() and on_duplicate_ids == "suffix":
        out["doc_id"] = _suffixed(out["doc_id"])
        logger.info(
            "validate_corpus(): %d repeated doc_id value(s)%s numbered id~2, id~3, ...",
            int(out["doc_id"].str.contains("~", regex=False).sum()),
            where,
        )
    elif dup.any():
        dups = list(dict.fromkeys(out.loc[dup, "doc_id"].tolist()))
        options = (
            "Pass on_duplicate_ids='first' to keep the first row of each id or "
            "on_duplicate_ids='suffix' to keep all rows as id, id~2, ... (in a study config: "
            "corpus.on_duplicate_ids: first | suffix)."
        )
        hint = (
            " Ids were generated from text + outlet + date, so these rows are exact "
            f"duplicates. {options}"
            if "doc_id" not in df.columns
            else f" {options} Or map another, unique id column (doc_id=...)."
        )
        raise ValueError(
            f"validate_corpus(): {len(dups)} duplicate doc_id value(s){where}: "
            f"{', '.join(map(repr, dups[:10]))}{' ...' if len(dups) > 10 else ''}.{hint}"
        )

    extras = [c for c in out.columns if c not in CORPUS_COLUMNS]
    out = out[list(CORPUS_COLUMNS) + extras].reset_index(drop=True)
    out.attrs["framelab_dropped"] = dropped
    return out


_ON_DUPLICATE_IDS = ("error", "first", "suffix")


def _per_outlet(out: pd.DataFrame, mask: pd.Series) -> str:
    """``by outlet: A 2 of 2, B 1 of 5`` for the rows in ``mask`` (largest first)."""
    outlet = out["outlet"].fillna("(no outlet)")
    hit = outlet[mask].value_counts()
    total = outlet.value_counts()
    parts = [f"{name} {n:,} of {total[name]:,}" for name, n in hit.items()]
    return "by outlet: " + ", ".join(parts[:20]) + (", ..." if len(parts) > 20 else "")


def _suffixed(ids: pd.Series) -> pd.Series:
    """Repeated ids numbered in row order: ``a, a, a`` -> ``a, a~2, a~3`` (never clashing)."""
    taken = set(ids)
    seen: dict[str, int] = {}
    out = []
    for doc in ids:
        if doc not in seen:
            seen[doc] = 1
            out.append(doc)
            continue
        n = seen[doc] + 1
        while f"{doc}~{n}" in taken:
            n += 1
        seen[doc] = n
        taken.add(f"{doc}~{n}")
        out.append(f"{doc}~{n}")
    return pd.Series(out, index=ids.index, dtype="str")


def _as_str(series: pd.Series) -> pd.Series:
    """Values as strings, missing values kept missing (numbers like 17.0 lose the ``.0``)."""

    def conv(v):
        if _isna(v):
            return np.nan
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    return series.map(conv).astype("str")


def _language_codes(series: pd.Series) -> pd.Series:
    """Language labels as ISO 639-1 codes (``RU``, ``ru-RU``, ``rus``, ``Russian`` -> ``ru``);
    missing and empty labels stay missing."""
    from framelab.languages import language_code

    codes = {v: language_code(v) for v in series.dropna().unique()}
    return series.map(codes).astype("str")


def _generated_ids(df: pd.DataFrame) -> pd.Series:
    dates = df["date"].map(lambda d: "" if pd.isna(d) else pd.Timestamp(d).isoformat())
    return pd.Series(
        [make_doc_id(t, o, d) for t, o, d in zip(df["text"], df["outlet"], dates, strict=True)],
        index=df.index,
        dtype="str",
    )


def check_corpus(corpus: object, caller: str, columns: Iterable[str] = ("doc_id", "text")) -> None:
    """Raise a clear error unless ``corpus`` is a DataFrame with the given Corpus columns.

    Every public function that takes a Corpus calls this first.

    Examples
    --------
    >>> check_corpus(pd.DataFrame({"text": ["x"]}), "code_frames")
    Traceback (most recent call last):
    ...
    ValueError: code_frames(): the corpus has no 'doc_id' column. Pass a Corpus table made by framelab.load_corpus() or framelab.validate_corpus().
    """
    if isinstance(corpus, str):
        raise TypeError(
            f"{caller}(): got a single string where a Corpus table was expected. "
            "Wrap documents in a table: validate_corpus(pd.DataFrame({'text': [...]}))."
        )
    if not isinstance(corpus, pd.DataFrame):
        raise TypeError(
            f"{caller}(): expected a Corpus DataFrame, got {type(corpus).__name__}. "
            "Load one with framelab.load_corpus(path)."
        )
    missing = [c for c in columns if c not in corpus.columns]
    if missing:
        raise ValueError(
            f"{caller}(): the corpus has no {', '.join(repr(c) for c in missing)} column"
            f"{'s' if len(missing) > 1 else ''}. Pass a Corpus table made by "
            "framelab.load_corpus() or framelab.validate_corpus()."
        )
    if "doc_id" in columns:
        repeated = corpus["doc_id"].duplicated(keep=False)
        if repeated.any():
            ids = pd.unique(corpus.loc[repeated, "doc_id"].astype(str))
            rows = [i for i, r in enumerate(repeated.to_numpy()) if r][:6]
            raise ValueError(
                f"{caller}(): doc_id must be unique, but {len(ids)} id"
                f"{' repeats' if len(ids) == 1 else 's repeat'} "
                f"({', '.join(map(repr, ids[:5]))}{', ...' if len(ids) > 5 else ''}; rows "
                f"{', '.join(map(str, rows))}{', ...' if repeated.sum() > 6 else ''}). "
                "Give each document its own id, or run framelab.validate_corpus(corpus, "
                "on_duplicate_ids='first' | 'suffix') to drop or renumber the repeats."
            )


# --------------------------------------------------------------------------- near duplicates


def find_near_duplicates(
    corpus: pd.DataFrame,
    *,
    threshold: float = 0.7,
    shingle_size: int = 5,
    num_perm: int = 128,
    seed: int = 0,
    cache_dir: str | Path | bool | None = None,
) -> pd.DataFrame:
    """Find clusters of near-duplicate documents (e.g. syndicated wire copy).

    Documents are sets of word ``shingle_size``-grams; MinHash signatures and locality-sensitive
    hashing (``datasketch``) propose candidate pairs, and a pair is kept when its estimated
    Jaccard similarity is at least ``threshold``. Clusters are the connected components of the
    kept pairs.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A Corpus table.
    threshold : float, default 0.7
        Minimum estimated Jaccard similarity of shingle sets. Lightly edited wire copies score
        about 0.6-0.9; unrelated reports on the same event score below 0.2.
    shingle_size : int, default 5
        Words per shingle.
    num_perm : int, default 128
        MinHash permutations (more = more precise estimates, slower).
    seed : int, default 0
        Seed of the MinHash permutations.
    cache_dir : str or Path, optional
        Keep the result on disk there (Parquet + a checksummed JSON record) and reuse it while
        the corpus's ``doc_id``, ``text``, ``outlet`` and ``date``, the parameters and framelab
        are unchanged. By default a study corpus
        (:meth:`framelab.config.StudyConfig.load_corpus`) is cached in
        ``data/processed/cache/near_duplicates``; another corpus is not. ``False``: never cache.

    Returns
    -------
    pandas.DataFrame
        One row per document that has at least one near duplicate, columns ``cluster`` (int,
        numbered from 0 in order of each cluster's earliest document), ``doc_id``, ``outlet``,
        ``date``, ``cluster_size`` and ``similarity`` (estimated Jaccard similarity to the
        cluster's earliest document, 1.0 for that document). Sorted by cluster, date, doc_id.

    References
    ----------
    Broder, A. Z. (1997). On the resemblance and containment of documents. *Compression and
    Complexity of Sequences*, 21-29.

    Examples
    --------
    >>> docs = pd.DataFrame({
    ...     "doc_id": ["a", "b", "c"],
    ...     "text": ["Envoys met in Geneva on Monday to discuss a framework for talks on a truce.",
    ...              "Envoys met in Geneva on Monday to discuss a framework for talks on a truce!",
    ...              "Artillery duels continued along the southern front overnight."],
    ...     "date": ["2023-11-01", "2023-11-02", "2023-11-01"]})
    >>> find_near_duplicates(validate_corpus(docs))[["cluster", "doc_id", "similarity"]]
       cluster doc_id  similarity
    0        0      a         1.0
    1        0      b         1.0
    """
    check_corpus(corpus, "find_near_duplicates")
    if not 0 < threshold <= 1:
        raise ValueError(f"find_near_duplicates(): threshold must be in (0, 1], got {threshold!r}.")
    from framelab import _near_dup

    folder = _near_dup.cache_folder(cache_dir, corpus)
    if folder is None:
        return _near_duplicates(corpus, threshold, shingle_size, num_perm, seed)
    key = _near_dup.ingredients(
        corpus, threshold=threshold, shingle_size=shingle_size, num_perm=num_perm, seed=seed
    )
    cached = _near_dup.load(folder, key)
    if cached is not None:
        return cached
    table = _near_duplicates(corpus, threshold, shingle_size, num_perm, seed)
    _near_dup.save(folder, key, table)
    return table


def _near_duplicates(
    corpus: pd.DataFrame, threshold: float, shingle_size: int, num_perm: int, seed: int
) -> pd.DataFrame:
    """:func:`find_near_duplicates` without the cache."""
    from datasketch import MinHashLSH

    from framelab._near_dup import CLUSTER_COLUMNS
    from framelab._near_dup import signatures as minhashes

    ids = corpus["doc_id"].tolist()
    signatures = minhashes(corpus["text"], shingle_size, num_perm, seed)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for doc_id, mh in zip(ids, signatures, strict=True):
        lsh.insert(doc_id, mh)

    parent = list(range(len(ids)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    position = {d: i for i, d in enumerate(ids)}
    for i, mh in enumerate(signatures):
        for other in lsh.query(mh):
            j = position[other]
            if j != i and mh.jaccard(signatures[j]) >= threshold:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)

    roots = np.array([find(i) for i in range(len(ids))])
    sizes = pd.Series(roots).value_counts()
    members = np.flatnonzero(sizes.reindex(roots).to_numpy() > 1)
    columns = CLUSTER_COLUMNS
    if len(members) == 0:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=t)
                for c, t in zip(
                    columns,
                    ["int64", "str", "str", "datetime64[ns]", "int64", "float64"],
                    strict=True,
                )
            }
        )
    table = corpus.iloc[members][["doc_id", "outlet", "date"]].copy()
    table["_root"] = roots[members]
    table["_pos"] = members
    table = table.sort_values(["date", "doc_id"], na_position="last", kind="mergesort")
    first = table.groupby("_root", sort=False)["_pos"].first()
    order = {root: k for k, root in enumerate(first.index)}
    table["cluster"] = table["_root"].map(order).astype("int64")
    table["cluster_size"] = table["_root"].map(sizes).astype("int64")
    table["similarity"] = [
        float(signatures[pos].jaccard(signatures[first[root]]))
        for pos, root in zip(table["_pos"], table["_root"], strict=True)
    ]
    table = table.sort_values(["cluster", "date", "doc_id"], kind="mergesort")
    return table[columns].reset_index(drop=True)


def drop_near_duplicates(
    corpus: pd.DataFrame,
    *,
    keep: str = "earliest",
    threshold: float = 0.7,
    **kwargs,
) -> pd.DataFrame:
    """Keep one document per near-duplicate cluster.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A Corpus table.
    keep : {"earliest", "latest"}, default "earliest"
        Which copy to keep; ties are broken by ``doc_id``.
    threshold, **kwargs
        Passed to :func:`find_near_duplicates`.

    Returns
    -------
    pandas.DataFrame
        The corpus without the other copies. Each dropped document is recorded in
        ``attrs["framelab_dropped"]`` with the id of the copy that was kept.

    Examples
    --------
    >>> docs = pd.DataFrame({
    ...     "doc_id": ["a", "b"],
    ...     "text": ["Envoys met in Geneva on Monday to discuss a framework for talks."] * 2,
    ...     "date": ["2023-11-02", "2023-11-01"]})
    >>> drop_near_duplicates(validate_corpus(docs))["doc_id"].tolist()
    ['b']
    """
    if keep not in ("earliest", "latest"):
        raise ValueError(
            f"drop_near_duplicates(): keep must be 'earliest' or 'latest', got {keep!r}."
        )
    clusters = find_near_duplicates(corpus, threshold=threshold, **kwargs)
    dropped = list(corpus.attrs.get("framelab_dropped", []))
    if clusters.empty:
        out = corpus.copy()
        out.attrs["framelab_dropped"] = dropped
        return out
    ascending = keep == "earliest"
    ordered = clusters.sort_values(
        ["cluster", "date", "doc_id"], ascending=[True, ascending, True], kind="mergesort"
    )
    kept = ordered.groupby("cluster")["doc_id"].first()
    for cluster, doc_id in zip(ordered["cluster"], ordered["doc_id"], strict=True):
        if doc_id != kept[cluster]:
            dropped.append({"doc_id": doc_id, "reason": f"near duplicate of {kept[cluster]}"})
    remove = set(ordered["doc_id"]) - set(kept)
    out = corpus[~corpus["doc_id"].isin(remove)].reset_index(drop=True)
    out.attrs["framelab_dropped"] = dropped
    logger.info("drop_near_duplicates: removed %d of %d documents", len(remove), len(corpus))
    return out


def corpus_summary(corpus: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Tables that describe a corpus: overall figures, documents per outlet and per month.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``overview`` (``item, value``; ``languages`` reads "none given" when the corpus has no
        language labels), ``outlets`` (``outlet, country, documents, first, last,
        median_words``) and ``months`` (``month, documents``).

    Examples
    --------
    >>> from framelab import load_sample
    >>> from framelab.corpus import corpus_summary
    >>> tables = corpus_summary(load_sample())
    >>> list(tables)
    ['overview', 'outlets', 'months']
    """
    check_corpus(corpus, "corpus_summary", ("doc_id", "text", "outlet", "date", "country"))
    words = corpus["text"].str.split().str.len()
    languages = {str(v).strip() for v in corpus["language"].dropna()} - {""}
    overview = pd.DataFrame(
        [
            ("documents", len(corpus)),
            ("outlets", corpus["outlet"].nunique()),
            ("countries", corpus["country"].nunique()),
            ("languages", ", ".join(sorted(languages)) or "none given"),
            (
                "first date",
                str(corpus["date"].min().date()) if corpus["date"].notna().any() else "",
            ),
            ("last date", str(corpus["date"].max().date()) if corpus["date"].notna().any() else ""),
            ("words (total)", int(words.sum())),
            ("words per document (median)", int(words.median()) if len(words) else 0),
            ("documents without a date", int(corpus["date"].isna().sum())),
        ],
        columns=["item", "value"],
    )
    overview["value"] = overview["value"].astype(str)
    grouped = corpus.assign(_words=words).groupby(["outlet", "country"], dropna=False)
    outlets = grouped.agg(
        documents=("doc_id", "size"),
        first=("date", "min"),
        last=("date", "max"),
        median_words=("_words", "median"),
    ).reset_index()
    outlets = outlets.sort_values(
        ["documents", "outlet"], ascending=[False, True], kind="mergesort"
    ).reset_index(drop=True)
    months = (
        corpus.dropna(subset=["date"])
        .assign(month=lambda d: d["date"].dt.to_period("M").astype(str))
        .groupby("month")
        .size()
        .rename("documents")
        .reset_index()
    )
    return {"overview": overview, "outlets": outlets, "months": months}
