"""Tidy topic tables joined to the corpus: per document, per group, over time, as FrameCodes.

Every table has fixed columns, explicit denominators (``n_units``: the group's units, so
``share = n_assigned / n_units``) and a stable sort order - BERTopic's own per-class code
iterates a set, so its row order depends on the hash seed; these tables never do.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from framelab._errors import suggest
from framelab.corpus import check_corpus
from framelab.schema import CODE_COLUMNS as FRAMECODES_COLUMNS  # noqa: F401  (old name)
from framelab.schema import TEXT_COLUMNS, frame_codes_table
from framelab.text import tokenize

from ._result import TopicFit
from ._units import corpus_units

__all__ = [
    "GROUP_COLUMNS",
    "OUTLIER_COLUMNS",
    "SENSITIVITY_COLUMNS",
    "TIME_COLUMNS",
    "document_topics",
    "outlier_sensitivity",
    "outlier_share",
    "reduced_topics",
    "topic_codes",
    "topics_over_time",
    "topics_per_group",
]

logger = logging.getLogger(__name__)

#: Columns of :func:`topics_per_group`.
GROUP_COLUMNS = ("group", "topic", "label", "n_assigned", "n_units", "share")
#: Columns of :func:`topics_over_time`.
TIME_COLUMNS = ("period", "group", "topic", "label", "n_assigned", "n_units", "share")
#: Columns of :func:`outlier_share`.
OUTLIER_COLUMNS = ("group", "n_outliers", "n_units", "share")
#: Columns of :func:`outlier_sensitivity`.
SENSITIVITY_COLUMNS = ("variant", "group", "topic", "label", "n_assigned", "n_units", "share")
_OUTLIER_MODES = ("keep", "drop", "reduce")
_PERIODS = ("D", "W", "M", "Q", "Y")


def _check_fit(fit: object, caller: str) -> None:
    if not isinstance(fit, TopicFit):
        raise TypeError(
            f"{caller}(): expected a TopicFit from framelab.topics.fit_topics() or "
            f"load_topic_bundle(), got {type(fit).__name__}."
        )


def _metadata(corpus: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in corpus.columns if c not in TEXT_COLUMNS]
    meta = corpus[cols].copy()
    meta["doc_id"] = meta["doc_id"].astype(str)
    return meta


def _check_column(corpus: pd.DataFrame, column: str, param: str, caller: str) -> None:
    if column not in corpus.columns:
        raise ValueError(
            f"{caller}(): {param}={column!r} is not a corpus column."
            f"{suggest(column, corpus.columns, param)} Columns: "
            f"{', '.join(map(str, corpus.columns))}."
        )


def _assignments(
    fit: TopicFit, corpus: pd.DataFrame, outliers: str, caller: str, strategy: str = "c-tf-idf"
) -> pd.DataFrame:
    """The fit's assignments (+ corpus metadata) under an outlier policy."""
    _check_fit(fit, caller)
    check_corpus(corpus, caller, ("doc_id",))
    if outliers not in _OUTLIER_MODES:
        raise ValueError(
            f"{caller}(): outliers must be 'keep', 'drop' or 'reduce', got {outliers!r}."
            f"{suggest(str(outliers), _OUTLIER_MODES, 'outliers')}"
        )
    table = fit.assignments.copy()
    known = set(corpus["doc_id"].astype(str))
    missing = sorted(set(table["doc_id"]) - known)
    if missing:
        raise ValueError(
            f"{caller}(): {len(missing)} document(s) of the topic model are not in the corpus, "
            f"e.g. {missing[0]!r}. Pass the corpus the model was fitted on."
        )
    if outliers == "drop":
        table = table[table["topic"] != -1]
    elif outliers == "reduce":
        table["topic"] = reduced_topics(fit, corpus, strategy=strategy)
    meta = _metadata(corpus)
    return table.merge(meta, on="doc_id", how="left", validate="many_to_one")


def reduced_topics(
    fit: TopicFit, corpus: pd.DataFrame, *, strategy: str = "c-tf-idf", threshold: float = 0.0
) -> np.ndarray:
    """Topics after BERTopic's ``reduce_outliers`` (``c-tf-idf`` or ``embeddings`` strategy).

    Outlier units are moved to the topic whose c-TF-IDF vector (or embedding) is most similar;
    other units keep their topic. Without outliers the topics come back unchanged.

    Examples
    --------
    >>> from framelab.topics import fit_topics
    >>> from framelab.topics._toy import toy_corpus
    >>> toy = toy_corpus()
    >>> fit = fit_topics(toy, {"preset": "fast", "n_topics": 3, "use_cache": False})
    >>> reduced_topics(fit, toy).tolist() == fit.assignments["topic"].tolist()  # no outliers
    True
    """
    topics = fit.assignments["topic"].to_numpy().copy()
    if not (topics == -1).any():
        return topics
    if strategy not in ("c-tf-idf", "embeddings"):
        raise ValueError(
            f"reduced_topics(): strategy must be 'c-tf-idf' or 'embeddings', got {strategy!r}."
        )
    units = corpus_units(corpus, fit.level, "reduced_topics").set_index("unit_id")
    texts = units.loc[fit.assignments["unit_id"], "text"].tolist()
    new = fit.model.reduce_outliers(texts, topics.tolist(), strategy=strategy, threshold=threshold)
    return np.asarray(new, dtype=np.int64)


def _labels(fit: TopicFit) -> dict[int, str]:
    return dict(zip(fit.info["topic"].astype(int), fit.info["label"], strict=True))


def _shares(
    table: pd.DataFrame, keys: list[str], topics: Sequence[int], labels: dict[int, str]
) -> pd.DataFrame:
    """Complete (keys x topic) grid of counts and shares."""
    n_units = table.groupby(keys, sort=True, dropna=False).size().rename("n_units")
    counts = table.groupby([*keys, "topic"], sort=True, dropna=False).size()
    grid = pd.MultiIndex.from_tuples(
        [(*(k if isinstance(k, tuple) else (k,)), t) for k in n_units.index for t in topics],
        names=[*keys, "topic"],
    )
    out = counts.reindex(grid, fill_value=0).rename("n_assigned").reset_index()
    out = out.merge(n_units.reset_index(), on=keys, how="left")
    out["share"] = out["n_assigned"] / out["n_units"]
    out["label"] = out["topic"].map(labels)
    return out.astype(
        {"topic": "int64", "n_assigned": "int64", "n_units": "int64", "share": "float64"}
    )


def document_topics(fit: TopicFit, corpus: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: its topic, label and probability, with the corpus metadata.

    Returns
    -------
    pandas.DataFrame
        ``unit_id, doc_id, topic, label, probability, assigned_by``, then the corpus metadata
        columns (all except ``text, title, url, source_file``); sorted by ``unit_id``.

    Examples
    --------
    >>> from framelab.topics._toy import toy_corpus
    >>> from framelab.topics import fit_topics
    >>> toy = toy_corpus()
    >>> fit = fit_topics(toy, {"preset": "fast", "n_topics": 3, "use_cache": False})
    >>> document_topics(fit, toy)[["doc_id", "topic", "label", "outlet"]].head(2)
      doc_id  topic                                  label   outlet
    0    d01      0  0: grain exports, black sea, corridor  Daily A
    1    d02      0  0: grain exports, black sea, corridor  Daily B
    """
    table = _assignments(fit, corpus, "keep", "document_topics")
    table.insert(3, "label", table["topic"].map(_labels(fit)))
    return table.reset_index(drop=True)


def topic_codes(
    fit: TopicFit, corpus: pd.DataFrame, *, outliers: str = "keep", strategy: str = "c-tf-idf"
) -> pd.DataFrame:
    """Topic assignments as a FrameCodes table, so framelab.compare works on topics unchanged.

    One row per unit x topic (zeros included); ``frame`` is ``"topic_<id>"``, ``count`` and
    ``present`` are 1 for the unit's topic and 0 otherwise, ``n_tokens`` counts word tokens,
    ``per_1k = 1000 * count / n_tokens`` and ``codebook`` is the fit's tag (``topics@<hash>``).

    Parameters
    ----------
    outliers : {"keep", "drop", "reduce"}, default "keep"
        ``keep``: topic -1 is a frame (``topic_-1``) like any other. ``drop``: outlier units
        are left out. ``reduce``: outliers are reassigned with :func:`reduced_topics` (the
        ``topic_-1`` rows stay, counting the units that could not be reassigned).
    strategy : {"c-tf-idf", "embeddings"}
        Outlier reduction strategy (``outliers="reduce"`` only).

    Returns
    -------
    pandas.DataFrame
        ``doc_id, unit_id, level, frame, count, n_tokens, per_1k, present, codebook`` then the
        corpus metadata columns; sorted by ``unit_id`` then topic id.

    Examples
    --------
    >>> from framelab.topics._toy import toy_corpus
    >>> from framelab.topics import fit_topics
    >>> toy = toy_corpus()
    >>> fit = fit_topics(toy, {"preset": "fast", "n_topics": 3, "use_cache": False})
    >>> codes = topic_codes(fit, toy)
    >>> codes[["unit_id", "frame", "count", "n_tokens", "present"]].head(3)
      unit_id    frame  count  n_tokens  present
    0     d01  topic_0      1        11        1
    1     d01  topic_1      0        11        0
    2     d01  topic_2      0        11        0
    >>> codes.groupby("unit_id")["present"].sum().eq(1).all()
    np.True_
    """
    table = _assignments(fit, corpus, outliers, "topic_codes", strategy)
    topics = [t for t in fit.topic_ids if outliers != "drop" or t != -1]
    units = corpus_units(
        corpus[corpus["doc_id"].astype(str).isin(set(table["doc_id"]))], fit.level, "topic_codes"
    ).set_index("unit_id")
    n_tokens = units["text"].map(lambda t: len(tokenize(t, words_only=True)))
    table["n_tokens"] = table["unit_id"].map(n_tokens).astype("int64")
    topic_arr = np.asarray(topics, dtype=np.int64)
    present = (table["topic"].to_numpy()[:, None] == topic_arr[None, :]).astype("int64")
    meta_cols = [
        c
        for c in table.columns
        if c not in ("unit_id", "doc_id", "topic", "probability", "assigned_by", "n_tokens")
    ]
    out = frame_codes_table(
        table.assign(level=fit.level),
        [f"topic_{t}" for t in topics],
        present,
        codebook=fit.tag,
        metadata=table[meta_cols],
    )
    return out.reset_index(drop=True)


def topics_per_group(
    fit: TopicFit,
    corpus: pd.DataFrame,
    by: str = "outlet",
    *,
    outliers: str = "keep",
    strategy: str = "c-tf-idf",
) -> pd.DataFrame:
    """Share of each group's units in each topic (zeros included; shares sum to 1 per group).

    Parameters
    ----------
    by : str, default "outlet"
        Corpus column to group by (``outlet``, ``country``, ``perspective`` ...).
    outliers : {"keep", "drop", "reduce"}
        See :func:`topic_codes`; with ``drop`` the denominators exclude outlier units.

    Returns
    -------
    pandas.DataFrame
        ``group, topic, label, n_assigned, n_units, share``, sorted by group then topic.

    See Also
    --------
    framelab.compare.prevalence : ``prevalence(topic_codes(fit, corpus), by=by)`` gives the
        same shares (``estimate``) and denominators (``n``) with bootstrap CIs - the route to
        use for inference. This table differs only where ``by`` is missing: it keeps those
        units as a group of their own, while ``prevalence`` leaves them out with a warning.

    Examples
    --------
    >>> from framelab.topics._toy import toy_corpus
    >>> from framelab.topics import fit_topics
    >>> toy = toy_corpus()
    >>> fit = fit_topics(toy, {"preset": "fast", "n_topics": 3, "use_cache": False})
    >>> table = topics_per_group(fit, toy, by="outlet")
    >>> table.drop(columns="label").head(3)
         group  topic  n_assigned  n_units     share
    0  Daily A      0           4       12  0.333333
    1  Daily A      1           4       12  0.333333
    2  Daily A      2           4       12  0.333333
    """
    _check_column(corpus, by, "by", "topics_per_group")
    table = _assignments(fit, corpus, outliers, "topics_per_group", strategy)
    table["group"] = table[by]
    topics = [t for t in fit.topic_ids if outliers != "drop" or t != -1]
    out = _shares(table, ["group"], topics, _labels(fit))
    return out[list(GROUP_COLUMNS)].reset_index(drop=True)


def topics_over_time(
    fit: TopicFit,
    corpus: pd.DataFrame,
    freq: str = "M",
    *,
    by: str | None = None,
    outliers: str = "keep",
    strategy: str = "c-tf-idf",
    date: str = "date",
) -> pd.DataFrame:
    """Share of each period's (and group's) units in each topic: the joint group x time table.

    Parameters
    ----------
    freq : {"D", "W", "M", "Q", "Y"}, default "M"
        Period length (pandas period aliases; weeks start on Monday).
    by : str, optional
        Also split by this corpus column (group x time); ``group`` is ``"all"`` otherwise.
    outliers : {"keep", "drop", "reduce"}
        See :func:`topic_codes`.
    date : str, default "date"
        Date column of the corpus. Units without a date are left out (logged).

    Returns
    -------
    pandas.DataFrame
        ``period`` (Timestamp: start of the period), ``group``, ``topic``, ``label``,
        ``n_assigned``, ``n_units``, ``share``; one row per observed (period, group) and topic,
        sorted by period, group, topic. Shares sum to 1 within each (period, group).

    See Also
    --------
    framelab.compare.over_time : ``over_time(topic_codes(fit, corpus), freq=freq, by=by)``
        gives the same shares and denominators with bootstrap CIs (rows sorted by group first).

    Examples
    --------
    >>> from framelab.topics._toy import toy_corpus
    >>> from framelab.topics import fit_topics
    >>> toy = toy_corpus()
    >>> fit = fit_topics(toy, {"preset": "fast", "n_topics": 3, "use_cache": False})
    >>> table = topics_over_time(fit, toy, freq="M")
    >>> table[["period", "group", "topic", "n_assigned", "n_units", "share"]].head(3)
          period group  topic  n_assigned  n_units     share
    0 2024-01-01   all      0           4       12  0.333333
    1 2024-01-01   all      1           4       12  0.333333
    2 2024-01-01   all      2           4       12  0.333333
    """
    if freq not in _PERIODS:
        raise ValueError(
            f"topics_over_time(): freq must be one of {', '.join(_PERIODS)} (day, week, month, "
            f"quarter, year), got {freq!r}.{suggest(str(freq), _PERIODS, 'freq')}"
        )
    _check_column(corpus, date, "date", "topics_over_time")
    if by is not None:
        _check_column(corpus, by, "by", "topics_over_time")
    table = _assignments(fit, corpus, outliers, "topics_over_time", strategy)
    dates = pd.to_datetime(table[date])
    undated = int(dates.isna().sum())
    if undated:
        logger.info("topics_over_time(): %d units without a date left out", undated)
    table = table[dates.notna()].copy()
    table["period"] = dates[dates.notna()].dt.to_period(freq).dt.start_time.astype("datetime64[ns]")
    table["group"] = table[by] if by is not None else "all"
    topics = [t for t in fit.topic_ids if outliers != "drop" or t != -1]
    out = _shares(table, ["period", "group"], topics, _labels(fit))
    return out[list(TIME_COLUMNS)].reset_index(drop=True)


def outlier_share(fit: TopicFit, corpus: pd.DataFrame, by: str = "outlet") -> pd.DataFrame:
    """How many of each group's units are outliers (topic -1): reported, not hidden.

    Returns
    -------
    pandas.DataFrame
        ``group, n_outliers, n_units, share``, sorted by group.

    Examples
    --------
    >>> from framelab.topics._toy import toy_corpus
    >>> from framelab.topics import fit_topics
    >>> toy = toy_corpus()
    >>> fit = fit_topics(toy, {"preset": "fast", "n_topics": 3, "use_cache": False})
    >>> outlier_share(fit, toy)  # KMeans assigns every unit
         group  n_outliers  n_units  share
    0  Daily A           0       12    0.0
    1  Daily B           0       12    0.0
    """
    _check_column(corpus, by, "by", "outlier_share")
    table = _assignments(fit, corpus, "keep", "outlier_share")
    table["group"] = table[by]
    table["outlier"] = (table["topic"] == -1).astype("int64")
    out = (
        table.groupby("group", sort=True, dropna=False)
        .agg(n_outliers=("outlier", "sum"), n_units=("outlier", "size"))
        .reset_index()
    )
    out["share"] = out["n_outliers"] / out["n_units"]
    return out.astype({"n_outliers": "int64", "n_units": "int64", "share": "float64"})[
        list(OUTLIER_COLUMNS)
    ]


def outlier_sensitivity(
    fit: TopicFit, corpus: pd.DataFrame, by: str = "outlet", *, strategy: str = "c-tf-idf"
) -> pd.DataFrame:
    """Topic prevalence by group three ways: with outliers, without them, and after reducing.

    ``with_outliers``: denominators are all units, topic -1 is a row. ``without_outliers``:
    outlier units dropped from numerators and denominators. ``reduced``: outliers reassigned
    by :func:`reduced_topics`. If conclusions change between the variants, say so.

    Returns
    -------
    pandas.DataFrame
        ``variant, group, topic, label, n_assigned, n_units, share``.

    Examples
    --------
    >>> from framelab.topics._toy import toy_corpus
    >>> from framelab.topics import fit_topics
    >>> toy = toy_corpus()
    >>> fit = fit_topics(toy, {"preset": "fast", "n_topics": 3, "use_cache": False})
    >>> table = outlier_sensitivity(fit, toy)
    >>> table.groupby("variant", sort=False)["share"].sum().round(6).to_dict()
    {'with_outliers': 2.0, 'without_outliers': 2.0, 'reduced': 2.0}
    """
    parts = []
    for variant, mode in (
        ("with_outliers", "keep"),
        ("without_outliers", "drop"),
        ("reduced", "reduce"),
    ):
        part = topics_per_group(fit, corpus, by, outliers=mode, strategy=strategy)
        part.insert(0, "variant", variant)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)[list(SENSITIVITY_COLUMNS)]
