"""Distinguishing language: log-odds ratios with an informative Dirichlet prior, and keyness.

Both functions count the words of groups of texts - whole documents, or only the sentences
(paragraphs) coded with a frame - and compare each group with another group or with the rest.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from framelab._errors import suggest
from framelab._table_cache import cache_table
from framelab.compare._common import _check_choice, _check_number, _infer_level
from framelab.schema import TEXT_UNIT_COLUMNS

__all__ = [
    "DISTINGUISHING_COLUMNS",
    "KEYNESS_COLUMNS",
    "TEXT_UNIT_COLUMNS",
    "distinguishing_terms",
    "keyness",
    "text_units",
]

logger = logging.getLogger(__name__)

#: Columns of :func:`distinguishing_terms`.
DISTINGUISHING_COLUMNS = (
    "group",
    "reference",
    "term",
    "count_group",
    "count_reference",
    "total_group",
    "total_reference",
    "alpha_w",
    "alpha_0",
    "delta",
    "variance",
    "z",
    "prior",
    "within_frame",
)
#: Columns of :func:`keyness`.
KEYNESS_COLUMNS = (
    "group",
    "reference",
    "term",
    "count_group",
    "count_reference",
    "chi2",
    "p_chi2",
    "G2",
    "p_G2",
    "correction",
    "within_frame",
)
_EPSILON = 1e-9  # quanteda's offset inside log() of the G2 cells
_REST = "(rest)"


# --------------------------------------------------------------------------- units


def text_units(corpus: pd.DataFrame, level: str = "sentence", *, splitter=None) -> pd.DataFrame:
    """Split a corpus into documents, paragraphs or sentences with framelab's unit ids.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A Corpus table (``doc_id``, ``text`` and metadata).
    level : {"document", "paragraph", "sentence"}, default "sentence"
        ``unit_id`` is the ``doc_id`` for documents, ``"<doc_id>-p<k>"`` for paragraph ``k``
        (0-based, :func:`framelab.text.paragraph_spans`) and ``"<doc_id>-s<k>"`` for sentence
        ``k`` of the document (0-based over the whole document,
        :func:`framelab.text.sentence_spans`, which never crosses paragraphs).
    splitter : framelab.text.SentenceSplitter, optional
        Sentence model. The default is the one ``framelab.code_frames`` uses by default
        (``SentenceSplitter.for_corpus`` on up to 2,000 texts in doc_id order), so that sentence
        numbers agree; pass the splitter you coded with otherwise.

    Returns
    -------
    pandas.DataFrame
        :data:`TEXT_UNIT_COLUMNS` - ``doc_id``, ``unit_id``, ``level``, ``position`` (k),
        ``start``/``end`` (character offsets in the document), ``text`` - then the corpus
        metadata columns (all but text, title, url, source_file). Rows are in doc_id order.

    Examples
    --------
    >>> from framelab.text import SentenceSplitter
    >>> corpus = pd.DataFrame({"doc_id": ["d1"], "text": ["Talks began. Envoys met.\\n\\nA truce held."],
    ...                        "outlet": ["A"]})
    >>> splitter = SentenceSplitter.train(corpus["text"])
    >>> text_units(corpus, "sentence", splitter=splitter)[["unit_id", "text", "outlet"]]
      unit_id           text outlet
    0   d1-s0   Talks began.      A
    1   d1-s1    Envoys met.      A
    2   d1-s2  A truce held.      A
    """
    from framelab.text import units

    return units(corpus, level, splitter=splitter, caller="text_units")


def _frame_units(codes: pd.DataFrame, frame: str, caller: str) -> tuple[set[str], str]:
    """unit_ids carrying ``frame`` in FrameCodes (``present == 1``) or Hits (not negated)."""
    if not isinstance(codes, pd.DataFrame):
        raise TypeError(
            f"{caller}(): within_frame needs codes=, a FrameCodes or Hits DataFrame; got "
            f"{type(codes).__name__}."
        )
    missing = [c for c in ("doc_id", "unit_id", "frame") if c not in codes.columns]
    is_hits = {"term", "start", "end"} <= set(codes.columns)
    if missing or not (is_hits or "present" in codes.columns):
        raise ValueError(
            f"{caller}(): codes= must be FrameCodes (doc_id, unit_id, frame, present, ...) or Hits "
            f"(doc_id, unit_id, frame, term, start, end, negated); got columns "
            f"{', '.join(map(str, codes.columns))}."
        )
    frames = pd.unique(codes["frame"].astype(str))
    if frame not in frames:
        raise ValueError(
            f"{caller}(): within_frame={frame!r} is not a frame of the codes. Frames: "
            f"{', '.join(frames)}.{suggest(frame, frames, 'within_frame')}"
        )
    rows = codes[codes["frame"].astype(str) == frame]
    if is_hits:
        if "negated" in rows:
            rows = rows[~rows["negated"].fillna(False).astype(bool)]
        if "out_of_scope" in rows:  # reported, never counted
            rows = rows[~rows["out_of_scope"].fillna(False).astype(bool)]
    else:
        rows = rows[rows["present"] == 1]
    if "level" in codes.columns and codes["level"].nunique() == 1:
        level = str(codes["level"].iloc[0])
    else:
        level = _infer_level(codes, caller)
    return set(rows["unit_id"].astype(str)), level


def _texts(corpus, group_col, within_frame, codes, units, freq, caller) -> pd.DataFrame:
    """The texts to count (``text``) with their group label (``group``)."""
    from framelab.corpus import check_corpus

    check_corpus(corpus, caller)
    if group_col not in corpus.columns:
        raise ValueError(
            f"{caller}(): group_col={group_col!r} is not a column of the corpus. Columns: "
            f"{', '.join(map(str, corpus.columns))}.{suggest(group_col, corpus.columns, 'group_col')}"
        )
    labels = corpus[group_col]
    if pd.api.types.is_datetime64_any_dtype(labels):
        if freq is None:
            raise ValueError(
                f"{caller}(): {group_col!r} holds dates; pass freq='M' (or 'W', 'Q') to compare "
                "each period with the rest."
            )
        labels = labels.dt.to_period(freq).astype(str)
    elif freq is not None:
        raise ValueError(f"{caller}(): freq is only used when group_col holds dates.")
    group_of = pd.Series(labels.to_numpy(), index=corpus["doc_id"].astype(str))
    if within_frame is None:
        if codes is not None or units is not None:
            raise ValueError(f"{caller}(): codes= and units= are used only with within_frame=.")
        texts = pd.DataFrame(
            {
                "doc_id": corpus["doc_id"].astype(str).to_numpy(),
                "text": corpus["text"].astype(str).to_numpy(),
            }
        )
    else:
        if codes is None:
            raise ValueError(
                f"{caller}(): within_frame={within_frame!r} needs codes=: sentence-level "
                "FrameCodes (code_frames(..., level='sentence')) or the Hits table."
            )
        if _is_coded(codes):  # a framelab.coding.Coded: its codes, and its units' offsets
            units = codes.units if units is None else units
            codes = codes.codes
        keep, level = _frame_units(codes, within_frame, caller)
        if units is None:
            units = text_units(corpus, level)
        texts = _unit_texts(units, corpus, keep, caller)
        if len(texts) < len(keep):
            logger.info(
                "%s(): %d coded units have no text in units", caller, len(keep) - len(texts)
            )
        if texts.empty:
            raise ValueError(
                f"{caller}(): no unit of units= carries {within_frame!r} in codes=; are they at "
                "the same level, with the same unit ids?"
            )
    texts = texts.assign(group=texts["doc_id"].map(group_of))
    return texts[texts["group"].notna()].reset_index(drop=True)


def _is_coded(obj) -> bool:
    return not isinstance(obj, pd.DataFrame) and isinstance(
        getattr(obj, "codes", None), pd.DataFrame
    )


def _unit_texts(units: pd.DataFrame, corpus: pd.DataFrame, keep: set[str], caller: str):
    """doc_id and text of the units in ``keep``; texts are sliced from the corpus by
    ``start``/``end`` when ``units`` has no ``text`` column (``Coded.units``)."""
    if not isinstance(units, pd.DataFrame):
        raise TypeError(f"{caller}(): units= must be a DataFrame, got {type(units).__name__}.")
    has_text = "text" in units.columns
    need = ["doc_id", "unit_id"] + (["text"] if has_text else ["start", "end"])
    missing = [c for c in need if c not in units.columns]
    if missing:
        raise ValueError(
            f"{caller}(): units= needs doc_id, unit_id and either text or start/end offsets; "
            f"it lacks {', '.join(missing)}."
        )
    chosen = units[units["unit_id"].astype(str).isin(keep)]
    if has_text:
        texts = chosen["text"].astype(str).to_numpy()
    else:
        body = dict(zip(corpus["doc_id"].astype(str), corpus["text"].astype(str), strict=True))
        texts = [
            body.get(str(d), "")[int(s) : int(e)]
            for d, s, e in zip(chosen["doc_id"], chosen["start"], chosen["end"], strict=True)
        ]
    return pd.DataFrame({"doc_id": chosen["doc_id"].astype(str).to_numpy(), "text": texts})


def _stop_words(corpus: pd.DataFrame, stop_words) -> frozenset[str]:
    from framelab.text import stopwords

    if stop_words is None:
        return frozenset()
    if isinstance(stop_words, str) and stop_words != "auto":
        return stopwords(stop_words)
    if isinstance(stop_words, str):
        langs = (
            sorted(set(corpus["language"].dropna().astype(str)))
            if "language" in corpus
            else ["english"]
        )
        words: set[str] = set()
        for lang in langs or ["english"]:
            try:
                words |= stopwords(lang)
            except ValueError:
                logger.info("no stopword list for language %r; its stopwords are kept", lang)
        return frozenset(words)
    return frozenset(str(w).lower() for w in stop_words)


_LETTER = re.compile(r"[^\W\d_]")


def _count(texts: Iterable[str], stop: frozenset[str]) -> Counter:
    from framelab.text import tokenize

    counts: Counter = Counter()
    for text in texts:
        counts.update(
            t
            for t in tokenize(text, lower=True, words_only=True)
            if t not in stop and _LETTER.search(t)
        )
    return counts


def _matrix(texts: pd.DataFrame, stop: frozenset[str]) -> tuple[list, list[str], np.ndarray]:
    groups = sorted(pd.unique(texts["group"]), key=str)
    counters = [_count(texts.loc[texts["group"] == g, "text"], stop) for g in groups]
    vocab = sorted(set().union(*counters))
    index = {w: i for i, w in enumerate(vocab)}
    mat = np.zeros((len(groups), len(vocab)))
    for gi, counter in enumerate(counters):
        for word, n in counter.items():
            mat[gi, index[word]] = n
    return groups, vocab, mat


def _comparisons(groups: list, a, b, caller: str) -> list[tuple[object, object]]:
    def check(value, name):
        if value not in groups:
            raise ValueError(
                f"{caller}(): {name}={value!r} is not a group. Groups: "
                f"{', '.join(map(str, groups))}.{suggest(str(value), map(str, groups), name)}"
            )

    if b is not None and a is None:
        raise ValueError(f"{caller}(): pass the target group as well as the reference.")
    if a is not None:
        check(a, "a" if caller == "distinguishing_terms" else "target")
    if b is not None:
        check(b, "b" if caller == "distinguishing_terms" else "reference")
        if a == b:
            raise ValueError(f"{caller}(): the two groups are both {a!r}.")
        return [(a, b)]
    if len(groups) < 2:
        raise ValueError(f"{caller}(): need at least two groups to compare, found {groups}.")
    return [(a, _REST)] if a is not None else [(g, _REST) for g in groups]


def _split(groups, mat, target, reference) -> tuple[np.ndarray, np.ndarray]:
    gi = groups.index(target)
    y_i = mat[gi]
    y_j = mat[groups.index(reference)] if reference != _REST else mat.sum(axis=0) - y_i
    return y_i, y_j


# --------------------------------------------------------------------------- log-odds


@cache_table("distinguishing_terms", source="corpus", versions=("scipy",))
def distinguishing_terms(
    corpus: pd.DataFrame,
    group_col: str,
    a: object = None,
    b: object = None,
    *,
    within_frame: str | None = None,
    codes: pd.DataFrame | None = None,
    units: pd.DataFrame | None = None,
    prior: str | Mapping[str, float] = "pooled",
    alpha_0: float | None = None,
    freq: str | None = None,
    stop_words: str | Iterable[str] | None = "auto",
    min_count: int = 5,
) -> pd.DataFrame:
    """Words that distinguish groups: log-odds ratio with an informative Dirichlet prior.

    A study corpus (:meth:`framelab.config.StudyConfig.load_corpus`) is counted once: the
    table is cached in ``data/processed/cache/`` (:mod:`framelab._table_cache`).

    Parameters
    ----------
    corpus : pandas.DataFrame
        Corpus table with ``doc_id``, ``text`` and ``group_col``.
    group_col : str
        Column naming the groups (``"perspective"``). A date column with ``freq`` compares
        periods (each period against the rest).
    a, b : optional
        ``a`` and ``b``: ``a`` against ``b``. ``a`` only: ``a`` against all other groups pooled.
        Neither: every group against the rest (one long table).
    within_frame : str, optional
        Count only the units coded with this frame: "how do Russian and Ukrainian outlets talk
        *about concessions*?". Needs ``codes``.
    codes : pandas.DataFrame or framelab.coding.Coded, optional
        FrameCodes (units with ``present == 1`` count) or a Hits table (units with a hit that is
        not negated count), at sentence, paragraph or document level; or the ``Coded`` result
        of ``code_frames`` (its ``codes`` and ``units`` are used).
    units : pandas.DataFrame, optional
        The units the codes refer to, joined on ``unit_id``: either with their ``text``
        (``doc_id``, ``unit_id``, ``text``, e.g. from :func:`text_units`) or with character
        offsets ``start``/``end`` into the corpus text (``Coded.units``). Default: the ``Coded``
        units, else :func:`text_units` at the codes' level (same default sentence splitter as
        ``code_frames``).
    prior : {"pooled", "corpus", "uniform"} or mapping, default "pooled"
        Background whose relative frequencies shape ``alpha_w = alpha_0 * f_w``: the pooled
        texts compared (``"pooled"``), every document of ``corpus`` (``"corpus"``, useful with
        ``within_frame``; terms it lacks fall back to their pooled count), a flat prior
        (``"uniform"``), or a mapping term -> background count (0.5 is added to every count so
        that no ``alpha_w`` is zero).
    alpha_0 : float, optional
        Prior sample size. Default: the background's total count, i.e. ``alpha_w`` equals the
        term's background count (Jurafsky et al. 2014; tidylo); for ``"uniform"``, ``0.01`` per
        vocabulary term. The value used is in the ``alpha_0`` column.
    freq : str, optional
        Period frequency when ``group_col`` holds dates (``"M"``, ``"W"``).
    stop_words : "auto", language, list or None, default "auto"
        Words left out: ``"auto"`` uses :func:`framelab.text.stopwords` for every language in
        the corpus's ``language`` column. Tokens are :func:`framelab.text.tokenize` ``(lower=True,
        words_only=True)``; tokens without a letter (numbers) are left out too.
    min_count : int, default 5
        Keep terms used at least this often in the two sides together.

    Returns
    -------
    pandas.DataFrame
        :data:`DISTINGUISHING_COLUMNS`: ``group`` (target), ``reference`` (the other group or
        ``"(rest)"``), ``term``, ``count_group`` (y_w^i), ``count_reference`` (y_w^j),
        ``total_group`` (n^i), ``total_reference`` (n^j), ``alpha_w``, ``alpha_0``, ``delta``,
        ``variance``, ``z``, ``prior``, ``within_frame``. Sorted by group, then ``z``
        (descending): positive ``z`` marks words of the target group.

    Notes
    -----
    Monroe, Colaresi & Quinn (2008), eq. 16-22::

        delta_w = log[(y_i + a_w) / (n_i + a_0 - y_i - a_w)] - log[(y_j + a_w) / (n_j + a_0 - y_j - a_w)]
        var(delta_w) ~ 1 / (y_i + a_w) + 1 / (y_j + a_w)
        z_w = delta_w / sqrt(var(delta_w))

    References
    ----------
    Monroe, B. L., Colaresi, M. P. & Quinn, K. M. (2008). Fightin' words: Lexical feature
    selection and evaluation for identifying the content of political conflict. *Political
    Analysis* 16(4), 372-403.
    Jurafsky, D., Chahuneau, V., Routledge, B. R. & Smith, N. A. (2014). Narrative framing of
    consumer sentiment in online restaurant reviews. *First Monday* 19(4).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["d1", "d2"], "side": ["A", "B"],
    ...                        "text": ["truce truce talks", "talks talks guarantees"]})
    >>> table = distinguishing_terms(corpus, "side", "A", "B", min_count=1)
    >>> table[["term", "count_group", "count_reference", "alpha_w"]]
             term  count_group  count_reference  alpha_w
    0       truce            2                0      2.0
    1       talks            1                2      3.0
    2  guarantees            0                1      1.0
    >>> round(float(table["delta"].iloc[0]), 4)  # log((2+2)/(3+6-2-2)) - log((0+2)/(3+6-0-2))
    1.0296
    """
    caller = "distinguishing_terms"
    _check_number(min_count, "min_count", caller, low=0, integer=True)
    if alpha_0 is not None:
        _check_number(alpha_0, "alpha_0", caller, low=0)
        if alpha_0 == 0:
            raise ValueError(f"{caller}(): alpha_0 must be positive, got 0.")
    if isinstance(prior, str):
        _check_choice(prior, "prior", ("pooled", "corpus", "uniform"), caller)
    elif not isinstance(prior, Mapping | pd.Series):
        raise TypeError(
            f"{caller}(): prior must be 'pooled', 'corpus', 'uniform' or a mapping "
            f"term -> count, got {type(prior).__name__}."
        )
    texts = _texts(corpus, group_col, within_frame, codes, units, freq, caller)
    stop = _stop_words(corpus, stop_words)
    groups, vocab, mat = _matrix(texts, stop)
    pooled = mat.sum(axis=0)
    if isinstance(prior, str) and prior == "pooled":
        background, prior_name = pooled, "pooled"
    elif isinstance(prior, str) and prior == "corpus":
        counts = _count(corpus["text"].astype(str), stop)
        background = np.array([counts.get(w, 0) for w in vocab], dtype=float)
        background = np.where(background > 0, background, pooled)
        prior_name = "corpus"
    elif isinstance(prior, str):
        background, prior_name = np.ones(len(vocab)), "uniform"
    else:
        background = np.array([float(prior.get(w, 0.0)) for w in vocab]) + 0.5
        prior_name = "custom"
    if alpha_0 is None:
        alpha_0 = 0.01 * len(vocab) if prior_name == "uniform" else float(background.sum())
    alpha_w = alpha_0 * background / background.sum()
    tables = []
    for target, reference in _comparisons(groups, a, b, caller):
        y_i, y_j = _split(groups, mat, target, reference)
        n_i, n_j = y_i.sum(), y_j.sum()
        delta = np.log((y_i + alpha_w) / (n_i + alpha_0 - y_i - alpha_w)) - np.log(
            (y_j + alpha_w) / (n_j + alpha_0 - y_j - alpha_w)
        )
        var = 1.0 / (y_i + alpha_w) + 1.0 / (y_j + alpha_w)
        keep = (y_i + y_j) >= min_count
        tables.append(
            pd.DataFrame(
                {
                    "group": target,
                    "reference": reference,
                    "term": np.asarray(vocab, dtype=object)[keep],
                    "count_group": y_i[keep],
                    "count_reference": y_j[keep],
                    "total_group": n_i,
                    "total_reference": n_j,
                    "alpha_w": alpha_w[keep],
                    "alpha_0": float(alpha_0),
                    "delta": delta[keep],
                    "variance": var[keep],
                    "z": delta[keep] / np.sqrt(var[keep]),
                    "prior": prior_name,
                    "within_frame": within_frame,
                }
            ).sort_values(["z", "term"], ascending=[False, True], kind="mergesort")
        )
    table = pd.concat(tables, ignore_index=True)[list(DISTINGUISHING_COLUMNS)]
    return table.astype({c: "int64" for c in DISTINGUISHING_COLUMNS[3:7]})


# --------------------------------------------------------------------------- keyness


def _yates(a, b, c, d) -> np.ndarray:
    """quanteda's Yates delta: 0.5 when |ad - bc| >= N/2 and an expected count is below 5."""
    n = a + b + c + d
    small = (
        ((a + b) * (a + c) / n < 5)
        | ((a + b) * (b + d) / n < 5)
        | ((a + c) * (c + d) / n < 5)
        | ((c + d) * (b + d) / n < 5)
    )
    return np.where((np.abs(a * d - b * c) >= n / 2) & small, 0.5, 0.0)


def _williams(a, b, c, d) -> np.ndarray:
    n = a + b + c + d
    with np.errstate(divide="ignore", invalid="ignore"):
        q = 1.0 + (n / (a + b) + n / (c + d) - 1.0) * (n / (a + c) + n / (b + d) - 1.0) / (6.0 * n)
    return np.where(a * b * c * d == 0, 1.0, q)


def _keyness_stats(a, b, n_t, n_r, correction: str) -> tuple[np.ndarray, np.ndarray]:
    """Signed chi2 and G2 of quanteda's ``textstat_keyness`` for counts a (target), b (reference)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    c, d = n_t - a, n_r - b
    n = a + b + c + d
    expected = (a + b) * (a + c) / n
    sign = np.where(a > expected, 1.0, -1.0)
    delta = _yates(a, b, c, d) if correction in ("default", "yates") else np.zeros_like(a)
    q = _williams(a, b, c, d) if correction == "williams" else np.ones_like(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = (
            n * (np.abs(a * d - b * c) - n * delta) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
        )
        chi2 = sign * chi2 / q
        up = np.where(a * d - b * c > 0, -delta, delta)
        aa, bb, cc, dd = a + up, b - up, c - up, d + up
        cells = (
            aa * np.log(aa / ((aa + bb) * (aa + cc) / n) + _EPSILON)
            + bb * np.log(bb / ((aa + bb) * (bb + dd) / n) + _EPSILON)
            + cc * np.log(cc / ((aa + cc) * (cc + dd) / n) + _EPSILON)
            + dd * np.log(dd / ((bb + dd) * (cc + dd) / n) + _EPSILON)
        )
    g2 = sign * 2.0 * cells / q
    return chi2, g2


@cache_table("keyness", source="corpus", versions=("scipy",))
def keyness(
    corpus: pd.DataFrame,
    group_col: str,
    target: object = None,
    reference: object = None,
    *,
    within_frame: str | None = None,
    codes: pd.DataFrame | None = None,
    units: pd.DataFrame | None = None,
    correction: str = "default",
    freq: str | None = None,
    stop_words: str | Iterable[str] | None = "auto",
    min_count: int = 5,
) -> pd.DataFrame:
    """Keyness of terms for a target group against a reference: signed chi2 and G2 (quanteda).

    A study corpus (:meth:`framelab.config.StudyConfig.load_corpus`) is counted once: the
    table is cached in ``data/processed/cache/`` (:mod:`framelab._table_cache`).

    Parameters
    ----------
    target, reference : optional
        As ``a``/``b`` in :func:`distinguishing_terms`: target vs reference, target vs the rest,
        or (neither) every group vs the rest.
    correction : {"default", "yates", "williams", "none"}, default "default"
        As quanteda: ``"default"`` and ``"yates"`` apply Yates's continuity correction (0.5) to
        chi2 and to the G2 cells when ``|ad - bc| >= N/2`` and some expected count is below 5;
        ``"williams"`` divides both statistics by Williams's q.
    corpus, group_col, within_frame, codes, units, freq, stop_words, min_count
        As in :func:`distinguishing_terms`.

    Returns
    -------
    pandas.DataFrame
        :data:`KEYNESS_COLUMNS`: ``group``, ``reference``, ``term``, ``count_group``,
        ``count_reference``, ``chi2`` and ``G2`` (signed: positive when the target uses the term
        more than expected), their p-values ``p_chi2``/``p_G2`` (chi-squared, 1 df),
        ``correction``, ``within_frame``. Sorted by group, then ``chi2`` descending, then term.

    Notes
    -----
    For a term with ``a`` uses in the target and ``b`` in the reference, ``c``/``d`` the other
    tokens: ``chi2 = N (|ad - bc| - N delta)^2 / ((a+b)(c+d)(a+c)(b+d))`` and
    ``G2 = 2 sum O log(O / E + 1e-9)`` over the four (Yates-adjusted) cells, as in
    ``quanteda.textstats`` (``keyness.cpp``; its help page says the default for G2 is
    Williams's correction, but the code applies Yates's, which framelab follows). One
    deviation: quanteda's C++ multiplies chi2 by Williams's q where the definition divides;
    framelab divides, so ``correction="williams"`` chi2 values differ from quanteda's (G2
    agrees).

    References
    ----------
    Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence.
    *Computational Linguistics* 19(1), 61-74.
    Benoit, K. et al. (2018). quanteda: An R package for the quantitative analysis of textual
    data. *Journal of Open Source Software* 3(30), 774.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["d1", "d2"], "side": ["A", "B"],
    ...                        "text": ["truce truce talks", "talks talks guarantees"]})
    >>> table = keyness(corpus, "side", "A", "B", min_count=1)
    >>> print(table.loc[0, "term"], table.loc[0, "chi2"])  # 6 * (|2*3 - 0*1| - 6/2)^2 / (2*4*3*3)
    truce 0.75
    """
    caller = "keyness"
    _check_choice(correction, "correction", ("default", "yates", "williams", "none"), caller)
    _check_number(min_count, "min_count", caller, low=0, integer=True)
    texts = _texts(corpus, group_col, within_frame, codes, units, freq, caller)
    groups, vocab, mat = _matrix(texts, _stop_words(corpus, stop_words))
    from scipy.stats import chi2 as chi2_dist

    tables = []
    for tgt, ref in _comparisons(groups, target, reference, caller):
        y_i, y_j = _split(groups, mat, tgt, ref)
        keep = (y_i + y_j) >= min_count
        chi2, g2 = _keyness_stats(y_i, y_j, y_i.sum(), y_j.sum(), correction)
        tables.append(
            pd.DataFrame(
                {
                    "group": tgt,
                    "reference": ref,
                    "term": np.asarray(vocab, dtype=object)[keep],
                    "count_group": y_i[keep],
                    "count_reference": y_j[keep],
                    "chi2": chi2[keep],
                    "p_chi2": chi2_dist.sf(np.abs(chi2[keep]), 1),
                    "G2": g2[keep],
                    "p_G2": chi2_dist.sf(np.abs(g2[keep]), 1),
                    "correction": correction,
                    "within_frame": within_frame,
                }
            ).sort_values(["chi2", "term"], ascending=[False, True], kind="mergesort")
        )
    table = pd.concat(tables, ignore_index=True)[list(KEYNESS_COLUMNS)]
    return table.astype({"count_group": "int64", "count_reference": "int64"})
