"""Notebook helpers: every analysis choice the notebooks make, resolved from the config and data.

The shipped notebooks name no column, group value, frame, reference level or date of the bundled
sample. What they need is resolved here, from the study config first and from the data when the
config leaves a choice open (``null``):

- the groups and the reference group (``compare.groups``, ``compare.reference``; default: the
  largest group), the pairs to contrast (``compare.pairs``; default: every pair, reference first);
- the frames to plot (``compare.frames`` / ``time.frames``; default: the ``compare.n_frames``
  most prevalent frames in the data);
- the regression formula (reference level and ``compare.covariates``);
- titles, captions and labels: the group column's name, "weekly"/"monthly" from ``time.freq``,
  a corpus description ("475 reports from 10 outlets, 2023-09-01 to 2024-03-29"), group sizes;
- where derived files go (``data/processed`` next to the config) and the gold codes, if any;
- prose that describes the bundled sample's findings, shown only when the corpus is the sample.

Config keys that an older config lacks fall back to the defaults above.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

__all__ = [
    "check_data",
    "describe",
    "draw_sheet",
    "formula",
    "frames",
    "freq_word",
    "group",
    "group_values",
    "is_sample",
    "label",
    "level",
    "load_gold",
    "main_language",
    "narrative",
    "pairs",
    "preparation",
    "processed_dir",
    "reference",
    "restrict",
    "time_frames",
    "with_n",
]

logger = logging.getLogger(__name__)

_FREQ_WORDS = {
    "D": "daily",
    "W": "weekly",
    "M": "monthly",
    "MS": "monthly",
    "ME": "monthly",
    "Q": "quarterly",
    "QS": "quarterly",
    "Y": "yearly",
    "A": "yearly",
    "YS": "yearly",
}


def _setting(section: object, name: str, default=None):
    """A config value, or ``default`` when the config has no such key (or it is null/empty)."""
    value = getattr(section, name, None)
    return default if value is None or (isinstance(value, Sequence) and not value) else value


def is_sample(cfg) -> bool:
    """True when the study runs on the bundled synthetic sample (``corpus.path: sample``).

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> is_sample(StudyConfig.from_dict({"corpus": {"path": "sample"}}))
    True
    >>> is_sample(StudyConfig.from_dict({"corpus": {"path": "data/raw/news.csv"}}))
    False
    """
    return str(cfg.corpus.path) == "sample"


def group(cfg) -> str:
    """The column the comparisons group by (``compare.group``).

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> group(StudyConfig.from_dict({"compare": {"group": "camp"}}))
    'camp'
    """
    return cfg.compare.group


def label(name: str) -> str:
    """A column name as shown in titles and axis labels (underscores become spaces).

    Examples
    --------
    >>> label("media_camp")
    'media camp'
    """
    return str(name).replace("_", " ")


def _check_column(table: pd.DataFrame, column: str, caller: str) -> None:
    from framelab._errors import suggest
    from framelab.config import ConfigError

    if column not in table.columns:
        raise ConfigError(
            f"{caller}: compare.group {column!r} is not a column of the data · columns found: "
            f"{', '.join(map(repr, table.columns))} · set compare.group to one of them."
            + suggest(column, [str(c) for c in table.columns])
        )


def check_data(cfg, corpus: pd.DataFrame, codebook=None) -> str:
    """Check every column, group value (and frame, with ``codebook``) the config names against
    the data, before any analysis; return a one-line confirmation.

    Calls :meth:`framelab.config.StudyConfig.check_data`, which raises a
    :class:`~framelab.config.ConfigError` naming the config file, line, key and closest names.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> cfg = StudyConfig.from_dict({"compare": {"group": "kamp"}})
    >>> check_data(cfg, pd.DataFrame({"camp": ["a"], "date": [None]}))
    Traceback (most recent call last):
    ...
    framelab.config.ConfigError: <config>: compare.group: 'kamp' is not a column of the corpus. Did you mean 'camp'? Columns: camp, date.
    """
    cfg.check_data(corpus, codebook)
    return "Every column and group value the config names is in the data."


def group_values(cfg, table: pd.DataFrame) -> list:
    """The groups to compare: ``compare.groups`` if set, else every value, largest group first.

    ``table`` is the corpus (or any table with the group column, one row per document).

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> cfg = StudyConfig.from_dict({"compare": {"group": "camp"}})
    >>> group_values(cfg, pd.DataFrame({"camp": ["b", "a", "b", "c", "a", "b"]}))
    ['b', 'a', 'c']
    """
    col = group(cfg)
    _check_column(table, col, "group_values()")
    configured = _setting(cfg.compare, "groups")
    if configured:
        return list(configured)
    sizes = table[col].dropna().value_counts(sort=False)
    # largest first; ties in the order of the values, so the choice never depends on row order
    order = sorted(sizes.index, key=lambda v: (-sizes[v], str(v)))
    return list(order)


def restrict(cfg, table: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``table`` in the groups of ``compare.groups`` (all rows when it is empty).

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> cfg = StudyConfig.from_dict({"compare": {"group": "camp", "groups": ["a", "c"]}})
    >>> restrict(cfg, pd.DataFrame({"camp": ["a", "b", "c"]}))["camp"].tolist()
    ['a', 'c']
    """
    configured = _setting(cfg.compare, "groups")
    if not configured:
        return table
    _check_column(table, group(cfg), "restrict()")
    return table[table[group(cfg)].isin(list(configured))]


def level(cfg) -> str:
    """The coding level of the comparisons: ``compare.level`` if the config has it, else
    ``"document"``.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> level(StudyConfig.from_dict({}))
    'document'
    """
    return _setting(cfg.compare, "level", "document")


def reference(cfg, table: pd.DataFrame):
    """The reference group: ``compare.reference`` if set, else the largest group.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> cfg = StudyConfig.from_dict({"compare": {"group": "camp"}})
    >>> reference(cfg, pd.DataFrame({"camp": ["b", "a", "b"]}))
    'b'
    """
    configured = _setting(cfg.compare, "reference")
    return configured if configured is not None else group_values(cfg, table)[0]


def pairs(cfg, table: pd.DataFrame) -> list[tuple]:
    """Pairs of groups to contrast: ``compare.pairs`` if set, else every pair of groups.

    Pairs with the reference group come first (reference as the first member), then the others
    in group order (largest first).

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> cfg = StudyConfig.from_dict({"compare": {"group": "camp"}})
    >>> pairs(cfg, pd.DataFrame({"camp": ["b", "a", "b", "c", "a", "b"]}))
    [('b', 'a'), ('b', 'c'), ('a', 'c')]
    """
    configured = _setting(cfg.compare, "pairs")
    if configured:
        return [tuple(p) for p in configured]
    values = group_values(cfg, table)
    ref = reference(cfg, table)
    values = [ref] + [v for v in values if v != ref]
    return list(itertools.combinations(values, 2))


def frames(cfg, codes: pd.DataFrame, n: int | None = None) -> list[str]:
    """Frames to show: ``compare.frames`` if set, else the ``n`` most prevalent in ``codes``.

    ``n`` defaults to ``compare.n_frames`` (3). Prevalence is the share of units in which a
    frame is present; ties are broken by frame id.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> codes = pd.DataFrame({"frame": ["x", "y", "z"] * 2, "present": [1, 0, 1, 1, 0, 0]})
    >>> frames(StudyConfig.from_dict({}), codes, n=2)
    ['x', 'z']
    """
    configured = _setting(cfg.compare, "frames")
    if configured:
        return list(configured)
    n = n or _setting(cfg.compare, "n_frames", 3)
    share = codes.groupby("frame")["present"].mean()
    ranked = sorted(share.index, key=lambda f: (-share[f], str(f)))
    return [str(f) for f in ranked[:n]]


def time_frames(cfg, codes: pd.DataFrame) -> list[str]:
    """Frames for the over-time figures: ``time.frames`` if set, else the two most prevalent.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> codes = pd.DataFrame({"frame": ["x", "y", "z"] * 2, "present": [1, 0, 1, 1, 0, 0]})
    >>> time_frames(StudyConfig.from_dict({}), codes)
    ['x', 'z']
    """
    configured = _setting(cfg.time, "frames")
    return list(configured) if configured else frames(cfg, codes, n=2)


def _term(name: str) -> str:
    return name if name.isidentifier() else f'Q("{name}")'


def formula(cfg, table: pd.DataFrame) -> str:
    """Right-hand side of the regressions: the group against the reference, log length and
    ``compare.covariates``.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> cfg = StudyConfig.from_dict({"compare": {"group": "camp"}})
    >>> formula(cfg, pd.DataFrame({"camp": ["b", "a", "b"]}))
    "~ C(camp, Treatment('b')) + log_tokens"
    """
    terms = [f"C({_term(group(cfg))}, Treatment({reference(cfg, table)!r}))", "log_tokens"]
    terms += [str(c) for c in _setting(cfg.compare, "covariates", [])]  # formula terms as given
    return "~ " + " + ".join(terms)


def freq_word(cfg) -> str:
    """The word for ``time.freq`` in titles: "weekly", "monthly", ...

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> freq_word(StudyConfig.from_dict({"time": {"freq": "M"}}))
    'monthly'
    """
    freq = str(cfg.time.freq)
    return _FREQ_WORDS.get(freq.upper().split("-")[0], f"per {freq}")


def describe(corpus: pd.DataFrame, cfg=None) -> str:
    """One sentence on the corpus: reports, outlets, date range (and the groups when ``cfg``).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "Y", "X"],
    ...                        "date": pd.to_datetime(["2024-01-05", "2024-03-01", None])})
    >>> describe(corpus)
    '3 reports from 2 outlets, 2024-01-05 to 2024-03-01.'
    """
    parts = [f"{len(corpus):,} report{'s' * (len(corpus) != 1)}"]
    if "outlet" in corpus.columns:
        k = corpus["outlet"].nunique()
        parts.append(f"from {k} outlet{'s' * (k != 1)}")
    text = " ".join(parts)
    if "date" in corpus.columns and corpus["date"].notna().any():
        dates = pd.to_datetime(corpus["date"]).dropna()
        text += f", {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
    if cfg is not None and group(cfg) in corpus.columns:
        k = corpus[group(cfg)].nunique()
        text += f", in {k} {label(group(cfg))} group{'s' * (k != 1)}"
    return text + "."


def with_n(table: pd.DataFrame, cfg, corpus: pd.DataFrame) -> pd.DataFrame:
    """``table`` with each group value labelled with its number of documents, for legends.

    The group column is the config's, or ``group`` in the topic tables.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> cfg = StudyConfig.from_dict({"compare": {"group": "camp"}})
    >>> corpus = pd.DataFrame({"camp": ["a", "b", "a"]})
    >>> with_n(pd.DataFrame({"camp": ["a", "b"], "estimate": [0.5, 0.2]}), cfg, corpus)["camp"].tolist()
    ['a (n=2)', 'b (n=1)']
    """
    col = group(cfg)
    sizes = corpus[col].value_counts()
    # topic tables name the group column "group"
    shown = col if col in table.columns else "group"
    out = table.copy()
    out[shown] = [f"{v} (n={sizes.get(v, 0):,})" for v in out[shown]]
    return out


def main_language(corpus: pd.DataFrame) -> pd.DataFrame:
    """The reports in the corpus's most frequent language (all of them without a language column).

    Word-level comparisons need one language; ties go to the alphabetically first code.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": list("abc"), "language": ["de", "en", "en"]})
    >>> main_language(corpus)["doc_id"].tolist()
    ['b', 'c']
    """
    if "language" not in corpus.columns or corpus["language"].isna().all():
        return corpus
    counts = corpus["language"].value_counts()
    top = sorted(counts.index, key=lambda v: (-counts[v], str(v)))[0]
    return corpus[corpus["language"] == top]


def preparation(corpus: pd.DataFrame) -> pd.DataFrame | None:
    """What ``corpus.filter`` and ``corpus.clean`` removed, one row per rule; None without them.

    Reads the reports :meth:`~framelab.config.StudyConfig.load_corpus` leaves in
    ``corpus.attrs`` (``framelab_filter_report``, ``framelab_clean_report``).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"]})
    >>> corpus.attrs["framelab_filter_report"] = [{"filter": "date from 2023-10-01", "removed": 2}]
    >>> corpus.attrs["framelab_clean_report"] = [
    ...     {"pattern": "web: click here", "lines_removed": 3, "documents": 2}]
    >>> preparation(corpus).values.tolist()
    [['filter', 'date from 2023-10-01', 2, 0, 0], ['clean', 'web: click here', 0, 3, 2]]
    >>> preparation(pd.DataFrame({"doc_id": ["a"]})) is None
    True
    """
    rows = [
        {"step": "filter", "rule": r["filter"], "reports_removed": r["removed"]}
        for r in corpus.attrs.get("framelab_filter_report", [])
    ]
    rows += [
        {
            "step": "clean",
            "rule": r["pattern"],
            "lines_removed": r["lines_removed"],
            "reports_changed": r["documents"],
        }  # fmt: skip
        for r in corpus.attrs.get("framelab_clean_report", [])
    ]
    if not rows:
        return None
    cols = ["step", "rule", "reports_removed", "lines_removed", "reports_changed"]
    return pd.DataFrame(rows, columns=cols).fillna(0).astype({c: "int64" for c in cols[2:]})


def processed_dir(cfg) -> Path:
    """``data/processed`` next to the config: where the notebooks write derived files.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> processed_dir(StudyConfig.from_dict({}, base_dir="proj")).as_posix()
    'proj/data/processed'
    """
    return cfg.resolve("data/processed")


def load_gold(cfg, level: str | None = None) -> pd.DataFrame | None:
    """Gold codes from ``validation.gold``: ``None`` when null, the sample's labels for
    ``"sample"``, else the file (relative to the config): a long CSV with ``unit_id, frame,
    present`` (and optionally ``doc_id``, ``inclusion_prob``), or filled coding sheet(s) read
    with :func:`framelab.validate.read_codings` (first coder), in the long form ``doc_id,
    unit_id, frame, present``. Ids are always read as text (``"007"`` stays ``"007"``). The one
    reader of ``validation.gold`` (the supervised coder's :func:`framelab.learn.study_gold` too).

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> load_gold(StudyConfig.from_dict({"validation": {"gold": None}})) is None
    True
    """
    from framelab._gold import read_gold

    return read_gold(cfg, level)


def draw_sheet(cfg, corpus: pd.DataFrame, codebook, n: int = 100) -> pd.DataFrame:
    """Draw the blind coding sheet to code next, into ``data/processed/coding/sheet``.

    :func:`framelab.validate.coding_sheet` at ``validation.level`` (paragraph or document),
    stratified by the group column, seeded with the study seed, at most ``n`` units (fewer when
    the corpus has fewer). Returns the sheet as written (``.csv`` and ``.xlsx`` next to the config).

    Examples
    --------
    >>> import tempfile
    >>> from framelab.config import StudyConfig
    >>> cfg = StudyConfig.from_dict({"compare": {"group": "camp"}}, base_dir=tempfile.mkdtemp())
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "text": ["One.", "Two."], "camp": ["x", "y"]})
    >>> sheet = draw_sheet(cfg, corpus, ["f1"])
    >>> len(sheet), sorted(p.name for p in (processed_dir(cfg) / "coding").iterdir())
    (2, ['sheet.csv', 'sheet.xlsx'])
    """
    from framelab.validate import coding_sheet, coding_units

    level = (
        cfg.validation.level if cfg.validation.level in ("document", "paragraph") else "paragraph"
    )
    n = min(n, len(coding_units(corpus, level)))
    strata = group(cfg) if group(cfg) in corpus.columns else None
    return coding_sheet(
        corpus,
        codebook,
        n=n,
        level=level,
        stratify_by=strata,
        seed=cfg.seed,
        out=processed_dir(cfg) / "coding" / "sheet",
    )


# --------------------------------------------------------------------------- narrative

_SAMPLE_TEXT = {
    "intro": (
        "**This is the bundled synthetic sample corpus**: {described} The outlets are fictional "
        "and the differences between groups were planted (`data/sample/ANSWER_KEY.md`); nothing "
        "in it is real reporting."
    ),
    "near-duplicates": (
        "In the sample these clusters are exactly the planted wire stories (column "
        "`wire_story`): each cluster holds the copies of one planted story, a check that the "
        "detector finds what it should and nothing else: {wire}."
    ),
    "validation": (
        "The gold labels are the sample's (paragraph and document level), with a **simulated** "
        "second coder for about 150 paragraphs (`data/sample/README.md`)."
    ),
}
_NEUTRAL_TEXT = {
    "intro": "**Corpus.** {described}",
    "near-duplicates": (
        "Read a few clusters before deciding: syndicated copy, press releases and updated "
        "versions of one report all show up here."
    ),
    "validation": (
        "Gold codes: `{gold}` (`validation.gold` in the config). Agreement between coders needs "
        "two coders' sheets of the same units (`validate.agreement`)."
    ),
}
_NO_GOLD = (
    "**No gold codes yet** (`validation.gold: null`), so this notebook shows no agreement or "
    "accuracy figures. The blind coding sheet to code next was written to "
    "`data/processed/coding/sheet.csv` and `sheet.xlsx` (next to the config): {n} units, drawn "
    "at random within each group, the dictionary's output hidden. Have one or two people code "
    "it (1 = the frame is present, 0 = absent; the `codebook` tab describes the frames), save "
    "the filled sheet (e.g. `data/processed/coding/coder1.xlsx`), set `validation.gold` to that "
    "path and run this notebook again."
)


def narrative(key: str, cfg, corpus: pd.DataFrame | None = None, **tables):
    """Markdown for a notebook: the sample's own remarks on the sample, neutral text otherwise.

    Parameters
    ----------
    key : {"intro", "near-duplicates", "validation", "no-gold"}
        Which remark (``"no-gold"``: what to do with the sheet of :func:`draw_sheet`).
    cfg : StudyConfig
    corpus : pandas.DataFrame, optional
        Used for the corpus description (``{described}``).
    **tables
        ``clusters`` (from :func:`framelab.find_near_duplicates`) for ``"near-duplicates"``,
        ``sheet`` (from :func:`draw_sheet`) for ``"no-gold"``.

    Returns
    -------
    IPython.display.Markdown

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "outlet": ["X"]})
    >>> narrative("intro", StudyConfig.from_dict({"corpus": {"path": "news.csv"}}), corpus).data
    '**Corpus.** 1 report from 1 outlet.'
    """
    from IPython.display import Markdown

    if key == "no-gold":
        return Markdown(_NO_GOLD.format(n=len(tables["sheet"])))
    texts = _SAMPLE_TEXT if is_sample(cfg) else _NEUTRAL_TEXT
    if key not in texts:
        raise KeyError(f"narrative(): unknown key {key!r} · known: {', '.join(sorted(texts))}.")
    values = {
        "described": describe(corpus, cfg) if corpus is not None else "",
        "gold": cfg.validation.gold,
        "wire": "",
    }
    if key == "near-duplicates" and is_sample(cfg):
        clusters = tables["clusters"].merge(corpus[["doc_id", "wire_story"]], on="doc_id")
        per = clusters.groupby("cluster")["wire_story"].unique()
        values["wire"] = "; ".join(f"cluster {c}: {', '.join(map(str, w))}" for c, w in per.items())
    return Markdown(texts[key].format(**values))


# The measurement helpers (audits, corrected estimates, the supervised coder's evaluation) live in
# framelab._study_measure to keep this module short; the notebooks call them as study.<name>.
_MEASURE = frozenset(
    {
        "audit_path",
        "audited_precision",
        "comparison_codes",
        "comparison_gold",
        "correction_note",
        "gold_plan",
        "learning_sizes",
        "next_sheet",
        "supervised_coder",
        "supervised_report",
    }
)
__all__ += sorted(_MEASURE)


def __getattr__(name: str):
    if name in _MEASURE:
        from framelab import _study_measure

        return getattr(_study_measure, name)
    raise AttributeError(f"module 'framelab.study' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _MEASURE)
