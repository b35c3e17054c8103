"""The study config: one YAML file (``study.yml``) holding every knob of a study.

A student adapts an analysis by copying ``study.yml`` and editing it; the notebooks read it and
nothing else. Unknown keys are errors that name the file, line and column and suggest the closest
key. Paths in the config are relative to the config file's folder. Every key that names a
column, a group value or a frame is checked against the data by
:meth:`StudyConfig.check_data` (called by :meth:`StudyConfig.load_corpus`), with the file, line
and the closest existing names.

Example (all keys shown with their defaults unless marked *required*)::

    study:
      name: peace_talks_sample          # used in report titles and file names
      title: Framing of the peace-talk question (synthetic sample)
    seed: 20231101                      # the one seed for every random component
    corpus:
      path: sample                      # "sample" (bundled synthetic corpus) or a file/folder
      format: null                      # detected when null
      columns: {}                       # target column -> your column, e.g. {text: body}; a
                                        # non-Corpus target adds a metadata column
                                        # ({perspective: camp}); text may be a list of columns
                                        # joined as paragraphs ({text: [title, desc]})
      options: {}                       # reader options: delimiter, sheet, filename_pattern...
      recode: {}                        # new columns from a mapping of an existing one:
                                        # {country: {from: outlet, map: {rt.com: RU}, other: null}}
      filter: {}                        # {date: {from: 2022-02-24, to: 2023-12-31},
                                        #  keep: {country: [RU, UA]}, drop: {outlet: [x]}}
      on_duplicate_ids: error           # error | first (keep the first) | suffix (id, id~2, ...)
      clean: []                         # boilerplate lines to remove: presets (web) and
                                        # anchored regexes, e.g. [web, "^Photo: .*$"]
      drop_near_duplicates: false
      near_duplicate_threshold: 0.7     # in (0, 1]
    codebook: peace_talks               # shipped name or path to a YAML/.dic codebook
    coding:
      level: paragraph                  # document | paragraph | sentence
      negation_policy: null             # drop | keep | separate; null = the codebook's
      presence: {}                      # presence rules, e.g. {min_count: 2}; {} = the codebook's
    compare:
      group: perspective                # the main grouping column
      groups: []                        # restrict/order its values (empty = all)
      reference: null                   # reference group value (null = the largest group)
      pairs: null                       # [[a, b], ...] group pairs to compare (null = all pairs)
      frames: null                      # frame ids to show (null = the n_frames most prevalent)
      n_frames: 3                       # how many frames when chosen from the data
      covariates: []                    # extra regression terms, e.g. [outlet, "C(language)"]
      level: document                   # coding level of the comparisons
      cluster: outlet                   # bootstrap clusters (null = resample documents)
      n_boot: 2000                      # >= 200
      ci: 0.95                          # confidence level of every interval (0.5 to 0.999)
      correction: holm                  # holm | fdr_bh
    time:
      column: date
      freq: W                           # W (weeks) | M (months)
      frames: null                      # frame ids to plot over time (null = most prevalent)
      events: []                        # [{date: 2023-11-02, label: "..."}]
      window_days: 42                   # before/after window around the first event
    topics: {}                          # passed to framelab.topics (backend, preset, ...);
                                        # stopwords: a list of extra words, or a text file
                                        # (one word a line, relative to the config)
    validation:
      gold: sample                      # "sample", a path to a gold CSV, or null = no gold
                                        # yet: draw the next coding sheet to code by hand
      level: paragraph
      n_boot: 1000                      # >= 200
    output:
      dir: reports
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from framelab._config_keys import SPECIAL as _SPECIAL
from framelab._config_keys import check_keys as _check_keys
from framelab._config_keys import names as _names
from framelab._config_keys import term_names as _term_names
from framelab._errors import ConfigError, suggest
from framelab._yaml import Locator, check_duplicate_keys

__all__ = ["ConfigError", "StudyConfig", "load_config"]


@dataclass(frozen=True)
class StudySection:
    name: str = "study"
    title: str = "A framelab study"


@dataclass(frozen=True)
class CorpusSection:
    path: str = "sample"
    format: str | None = None
    columns: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    recode: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    filter: Mapping[str, Any] = field(default_factory=dict)
    on_duplicate_ids: str = "error"
    clean: tuple[str, ...] = ()
    drop_near_duplicates: bool = False
    near_duplicate_threshold: float = 0.7


@dataclass(frozen=True)
class CodingSection:
    level: str = "paragraph"
    negation_policy: str | None = None
    presence: Mapping[str, Any] = field(default_factory=dict)
    method: str = "dictionary"
    model: str | None = None


@dataclass(frozen=True)
class CompareSection:
    group: str = "perspective"
    groups: tuple[str, ...] = ()
    reference: str | None = None
    pairs: tuple[tuple[str, str], ...] | None = None
    frames: tuple[str, ...] | None = None
    n_frames: int = 3
    covariates: tuple[str, ...] = ()
    level: str = "document"
    cluster: str | None = "outlet"
    n_boot: int = 2000
    ci: float = 0.95
    correction: str = "holm"


@dataclass(frozen=True)
class Event:
    date: dt.date
    label: str


@dataclass(frozen=True)
class TimeSection:
    column: str = "date"
    freq: str = "W"
    frames: tuple[str, ...] | None = None
    events: tuple[Event, ...] = ()
    window_days: int = 42


@dataclass(frozen=True)
class ValidationSection:
    gold: str | None = "sample"
    level: str = "paragraph"
    n_boot: int = 1000


@dataclass(frozen=True)
class OutputSection:
    dir: str = "reports"


_SECTIONS = {
    "study": StudySection,
    "corpus": CorpusSection,
    "coding": CodingSection,
    "compare": CompareSection,
    "time": TimeSection,
    "validation": ValidationSection,
    "output": OutputSection,
}
_CHOICES = {
    ("coding", "level"): ("document", "paragraph", "sentence"),
    ("coding", "negation_policy"): ("drop", "keep", "separate", None),
    ("compare", "level"): ("document", "paragraph", "sentence"),
    ("corpus", "on_duplicate_ids"): ("error", "first", "suffix"),
    ("coding", "method"): ("dictionary", "supervised", "both"),
    ("compare", "correction"): ("holm", "fdr_bh"),
    ("time", "freq"): ("W", "M"),
    ("validation", "level"): ("document", "paragraph"),
}


@dataclass(frozen=True)
class StudyConfig:
    """A validated study config (see the module docstring for every key).

    Examples
    --------
    >>> cfg = StudyConfig.from_dict({"seed": 7, "coding": {"level": "document"}})
    >>> cfg.seed, cfg.coding.level, cfg.corpus.path
    (7, 'document', 'sample')
    >>> StudyConfig.from_dict({"coding": {"levl": "document"}})
    Traceback (most recent call last):
    ...
    framelab.config.ConfigError: <config>: coding.levl: unknown key 'levl'. Did you mean 'level'? Allowed keys: level, negation_policy, presence, method, model.
    """

    seed: int = 0
    study: StudySection = field(default_factory=StudySection)
    corpus: CorpusSection = field(default_factory=CorpusSection)
    codebook: str = "peace_talks"
    coding: CodingSection = field(default_factory=CodingSection)
    compare: CompareSection = field(default_factory=CompareSection)
    time: TimeSection = field(default_factory=TimeSection)
    topics: Mapping[str, Any] = field(default_factory=dict)
    validation: ValidationSection = field(default_factory=ValidationSection)
    output: OutputSection = field(default_factory=OutputSection)
    base_dir: Path = field(default=Path("."), compare=False)
    source: str | None = field(default=None, compare=False)
    locator: Locator | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_dict(
        cls,
        data: Mapping,
        *,
        base_dir: str | Path = ".",
        source: str | None = None,
        _loc: Locator | None = None,
    ) -> StudyConfig:
        loc = _loc or Locator(source or "<config>", None)
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise loc.error((), "a study config must be a mapping of sections.", ConfigError)
        top = ("seed", "codebook", "topics", *_SECTIONS)
        _check_keys(data, top, loc, ())
        values: dict[str, Any] = {}
        seed = data.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise loc.error(
                ("seed",), f"seed must be a whole number >= 0, got {seed!r}.", ConfigError
            )
        values["seed"] = seed
        codebook = data.get("codebook", "peace_talks")
        if not isinstance(codebook, str) or not codebook:
            raise loc.error(
                ("codebook",), "codebook must be a shipped codebook name or a path.", ConfigError
            )
        values["codebook"] = codebook
        topics = data.get("topics") or {}
        if not isinstance(topics, Mapping):
            raise loc.error(
                ("topics",), "topics must be a mapping of topic-model settings.", ConfigError
            )
        _topic_keys(topics, loc)
        values["topics"] = dict(topics)
        if "stopwords" in topics:
            words = topics["stopwords"]
            if isinstance(words, list):
                values["topics"]["stopwords"] = _names(words, loc, ("topics", "stopwords"), "words")
            elif not isinstance(words, str) or not words:
                raise loc.error(
                    ("topics", "stopwords"),
                    f"expected a list of words or the path of a text file (one word a line), "
                    f"got {words!r}.",
                    ConfigError,
                )
        for name, klass in _SECTIONS.items():
            values[name] = _section(name, klass, data.get(name), loc)
        return cls(**values, base_dir=Path(base_dir), source=source, locator=loc)

    # ------------------------------------------------------------------ helpers for notebooks
    def resolve(self, path: str | Path) -> Path:
        """A path from the config, relative to the config file's folder."""
        p = Path(path)
        return p if p.is_absolute() else self.base_dir / p

    def load_corpus(self):
        """The study's corpus, prepared as the ``corpus`` section says, checked against the config.

        Steps: read the sample or your files (``columns`` mapped, a list of ``text`` columns
        joined as paragraphs, repeated ids handled by ``on_duplicate_ids``, ``options`` passed
        to the reader), then ``recode``, ``filter`` and ``clean``
        (:func:`framelab.prepare.prepare_corpus`), near duplicates dropped when asked, and
        finally :meth:`check_data`.
        """
        from framelab.corpus import CORPUS_COLUMNS, drop_near_duplicates
        from framelab.datasets import load_sample
        from framelab.io import load_corpus
        from framelab.prepare import prepare_corpus

        c = self.corpus
        if c.path == "sample":
            corpus = load_sample()
            extra = {t: s for t, s in c.columns.items() if t not in CORPUS_COLUMNS}
            self._check_columns(corpus, {("corpus", "columns", t): s for t, s in extra.items()})
            corpus = corpus.assign(**{t: corpus[s] for t, s in extra.items()})
        else:
            path = self.resolve(c.path)
            if not path.exists():
                loc = self._locator()
                raise FileNotFoundError(
                    f"{loc.where('corpus', 'path')}: corpus.path: {path} does not exist. Paths "
                    f"in the config are relative to the config file's folder ({self.base_dir}), "
                    "not to the folder the notebook or command runs in. Fix corpus.path, or "
                    "give an absolute path."
                )
            corpus = load_corpus(
                self.resolve(c.path),
                c.format,
                columns=dict(c.columns),
                on_duplicate_ids=c.on_duplicate_ids,
                **dict(c.options),
            )
        self._check_preparation(corpus)
        corpus = prepare_corpus(corpus, recode=c.recode, filter=c.filter, clean=c.clean)
        if c.drop_near_duplicates:
            corpus = drop_near_duplicates(corpus, threshold=c.near_duplicate_threshold)
        self.check_data(corpus)
        from framelab._coded_cache import ATTR

        # code_frames() caches its tables here, so a report codes this corpus once (issue 22)
        corpus.attrs[ATTR] = str(self.cache_dir() / "coded")
        return corpus

    def _check_columns(self, corpus, named: dict, also: tuple = ()) -> None:
        """Each ``{key path: column}`` must be a column of ``corpus`` (or in ``also``)."""
        loc = self.locator or Locator(self.source or "<config>", None)
        columns = [str(col) for col in corpus.columns]
        for path, name in named.items():
            if name not in columns and name not in also:
                raise loc.error(
                    path,
                    f"{name!r} is not a column of the corpus.{suggest(name, columns)} "
                    f"Columns: {', '.join(columns)}.",
                    ConfigError,
                )

    def _check_preparation(self, corpus) -> None:
        """The columns named by ``corpus.recode`` and ``corpus.filter`` (filters may name a
        recoded column)."""
        c = self.corpus
        named = {("corpus", "recode", k, "from"): spec["from"] for k, spec in c.recode.items()}
        self._check_columns(corpus, named)
        named = {
            ("corpus", "filter", kind, col): col
            for kind in ("keep", "drop")
            for col in c.filter.get(kind, {})
        }
        if "date" in c.filter:
            named[("corpus", "filter", "date")] = "date"
        self._check_columns(corpus, named, also=tuple(c.recode))

    def compare_options(self) -> dict[str, Any]:
        """The interval settings every comparison takes, from ``compare`` and ``seed``.

        Pass them on so that ``compare.ci`` (and ``n_boot``, ``cluster``, the seed) reach
        :func:`framelab.prevalence`, :func:`framelab.difference`, :func:`framelab.pairwise`,
        :func:`framelab.over_time` and :func:`framelab.before_after`.

        Examples
        --------
        >>> cfg = StudyConfig.from_dict({"seed": 5, "compare": {"ci": 0.9, "n_boot": 200}})
        >>> cfg.compare_options()
        {'ci': 0.9, 'n_boot': 200, 'seed': 5, 'cluster': 'outlet'}
        """
        cmp = self.compare
        return {"ci": cmp.ci, "n_boot": cmp.n_boot, "seed": self.seed, "cluster": cmp.cluster}

    def check_data(self, corpus, codebook=None) -> None:
        """Check every key that names a column, a group value or a frame against the data.

        Checked: ``corpus.recode`` ``from`` columns, ``corpus.filter`` columns, ``time.column``,
        ``compare.group`` (it must also hold values), ``compare.cluster``, the columns of
        ``compare.covariates``, the group values in ``compare.groups``, ``compare.reference``
        and ``compare.pairs``, and ``compare.frames`` / ``time.frames`` against the codebook.

        Parameters
        ----------
        corpus : pandas.DataFrame
            The corpus as :meth:`load_corpus` prepares it.
        codebook : Codebook, optional
            Checked against the frame keys; the study's codebook is loaded when needed.

        Raises
        ------
        ConfigError
            The first key that does not match the data, with the config file and line and the
            closest existing name.

        Examples
        --------
        >>> import pandas as pd
        >>> cfg = StudyConfig.from_dict({"compare": {"group": "camp", "reference": "westren",
        ...                                          "cluster": None}})
        >>> data = pd.DataFrame({"camp": ["western", "russian"], "date": ["2023-01-01"] * 2})
        >>> cfg.check_data(data)
        Traceback (most recent call last):
        ...
        framelab.config.ConfigError: <config>: compare.reference: 'westren' is not a value of camp. Did you mean 'western'? Values: russian, western.
        """
        loc = self.locator or Locator(self.source or "<config>", None)
        self._check_preparation(corpus)

        def column(path: tuple, name: str) -> None:
            self._check_columns(corpus, {path: name})

        cmp = self.compare
        column(("time", "column"), self.time.column)
        column(("compare", "group"), cmp.group)
        if not corpus[cmp.group].notna().any():
            raise loc.error(
                ("compare", "group"),
                f"column {cmp.group!r} has no values (all missing). Map it from your data "
                "(corpus.columns or corpus.recode) or name another column.",
                ConfigError,
            )
        if cmp.cluster is not None:
            column(("compare", "cluster"), cmp.cluster)
        for i, term in enumerate(cmp.covariates):
            for name in _term_names(term):
                column(("compare", "covariates", i), name)
        present = sorted({str(v) for v in corpus[cmp.group].dropna().unique()})

        def value(path: tuple, v: str) -> None:
            if v not in present:
                shown = ", ".join(present[:20]) + (", ..." if len(present) > 20 else "")
                raise loc.error(
                    path,
                    f"{v!r} is not a value of {cmp.group}.{suggest(v, present)} Values: {shown}.",
                    ConfigError,
                )

        for i, v in enumerate(cmp.groups):
            value(("compare", "groups", i), v)
        if cmp.reference is not None:
            value(("compare", "reference"), cmp.reference)
        for i, pair in enumerate(cmp.pairs or ()):
            for v in pair:
                value(("compare", "pairs", i), v)
        if cmp.frames is None and self.time.frames is None:
            return
        ids = list((codebook or self.load_codebook()).frame_ids)
        for section, frames in (("compare", cmp.frames), ("time", self.time.frames)):
            for i, frame in enumerate(frames or ()):
                if frame not in ids:
                    raise loc.error(
                        (section, "frames", i),
                        f"{frame!r} is not a frame of the codebook.{suggest(frame, ids)} "
                        f"Frames: {', '.join(ids)}.",
                        ConfigError,
                    )

    def load_codebook(self):
        """The study's codebook (negation policy applied)."""
        from framelab.codebook import list_codebooks, load_codebook, with_negation

        ref = self.codebook if self.codebook in list_codebooks() else self.resolve(self.codebook)
        cb = load_codebook(ref)
        if self.coding.negation_policy is not None:
            cb = with_negation(cb, policy=self.coding.negation_policy)
        if self.coding.presence:
            from dataclasses import replace

            from framelab._presence import parse_presence

            try:
                parse_presence(self.coding.presence, cb.frames, where="coding.presence")
            except ValueError as exc:
                raise ConfigError(f"{self.source or '<config>'}: {exc}") from None
            cb = replace(cb, presence=dict(self.coding.presence))
        return cb

    def cache_dir(self) -> Path:
        """The study's cache folder, ``data/processed/cache`` next to the config.

        Expensive, deterministic stages keep their results there, keyed by their inputs
        (coded tables, embeddings, topic fits, the supervised baseline's cross-validation);
        deleting it only costs time.
        """
        return self.resolve("data/processed/cache")

    def topic_settings(self) -> dict:
        """The ``topics`` section for :func:`framelab.topics.fit_topics`, with the study seed
        and the caches resolved next to the config: embeddings in
        ``data/processed/cache/embeddings``, whole fits in ``data/processed/cache/topic_fits``
        (set ``fit_cache_dir: null`` in the section to refit every time). ``stopwords`` (a
        list, or a text file with one word a line, ``#`` comments) are added to the topic
        vectorizer's ``extra_stopwords``."""
        from framelab.topics._config import NEWS_STOPWORDS

        settings = {"seed": self.seed, **dict(self.topics)}
        words = settings.pop("stopwords", None)
        if isinstance(words, str):
            path = self.resolve(words)
            if not path.is_file():
                loc = self.locator or Locator(self.source or "<config>", None)
                raise loc.error(
                    ("topics", "stopwords"),
                    f"stopword file {words!r} does not exist (paths are relative to the "
                    "config's folder). Give a text file with one word a line, or a list.",
                    ConfigError,
                )
            lines = path.read_text(encoding="utf-8-sig").splitlines()
            words = [w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#")]
        if words:
            base = tuple(settings.get("extra_stopwords", NEWS_STOPWORDS))
            settings["extra_stopwords"] = [*base, *(w for w in words if w not in base)]
        cache = settings.get("cache_dir", "data/processed/cache/embeddings")
        settings["cache_dir"] = str(self.resolve(cache))
        fits = settings.get("fit_cache_dir", "data/processed/cache/topic_fits")
        settings["fit_cache_dir"] = None if fits is None else str(self.resolve(fits))
        return settings

    def raw_dirs(self) -> tuple[Path, ...]:
        """The study's raw-data folders, never written: ``data/raw`` next to the config and
        the folder ``corpus.path`` points at (the path itself when it is a folder), unless that
        is the config's own folder or above it. Pass them to
        :func:`framelab._files.ensure_writable` as ``raw_dir``."""
        base = Path(os.path.abspath(self.base_dir))
        out = [base / "data" / "raw"]
        if self.corpus.path != "sample":
            corpus = Path(os.path.abspath(self.resolve(self.corpus.path)))
            folder = corpus if corpus.is_dir() else corpus.parent
            if folder != base and folder not in base.parents and folder not in out:
                out.append(folder)
        return tuple(out)

    def _locator(self) -> Locator:
        """File, line and column of config keys (read again from ``source`` for messages)."""
        root = None
        if self.source and Path(self.source).is_file():
            try:
                root = yaml.compose(
                    Path(self.source).read_text(encoding="utf-8"), Loader=yaml.SafeLoader
                )
            except yaml.YAMLError:  # pragma: no cover - the file changed since it was loaded
                root = None
        return Locator(self.source or "<config>", root)

    def output_dir(self) -> Path:
        return self.resolve(self.output.dir)


#: smallest accepted whole numbers (others: 1); a percentile interval from fewer bootstrap
#: replicates is too noisy to report
_MINIMUM = {"n_boot": 200}
_WHY = {
    "n_boot": " Fewer bootstrap replicates give unstable percentile intervals; use 1000 or more "
    "for reported results (200 for a quick look)."
}


def _topic_keys(topics: Mapping, loc: Locator) -> None:
    """Unknown ``topics:`` settings are refused at load, with file and line."""
    from framelab.topics._config import TopicConfig

    # ``stopwords`` is the config's own key (a list or a file), turned into extra_stopwords
    _check_keys(topics, (*TopicConfig.keys(), "stopwords"), loc, ("topics",))


def _section(name: str, klass, spec: Any, loc: Locator):
    if spec is None:
        return klass()
    if not isinstance(spec, Mapping):
        raise loc.error(
            (name,),
            f"expected a mapping of {name} settings, got {type(spec).__name__}.",
            ConfigError,
        )
    names = [f.name for f in fields(klass)]
    _check_keys(spec, names, loc, (name,))
    values = {}
    defaults = klass()
    for key, value in spec.items():
        default = getattr(defaults, key)
        where = (name, key)
        choices = _CHOICES.get(where)
        if choices is not None and value not in choices:
            shown = ", ".join("null" if c is None else str(c) for c in choices)
            raise loc.error(
                where,
                f"must be one of {shown}, got {value!r}."
                f"{suggest(str(value), [c for c in choices if c])}",
                ConfigError,
            )
        special = _SPECIAL.get(where)
        if special is not None:
            value = special(value, loc, where)
        elif key == "events":
            value = _events(value, loc, where)
        elif key == "groups":
            if not isinstance(value, list):
                raise loc.error(where, "expected a list of group values.", ConfigError)
            value = _names(value, loc, where, "group values")
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise loc.error(where, f"expected true or false, got {value!r}.", ConfigError)
        elif isinstance(default, int) and key != "ci":
            low = _MINIMUM.get(key, 1)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise loc.error(
                    where,
                    f"expected a whole number >= {low}, got {value!r}.{_WHY.get(key, '')}",
                    ConfigError,
                )
        elif key == "ci":
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not (0.5 <= value <= 0.999)
            ):
                raise loc.error(
                    where,
                    f"expected a number between 0.5 and 0.999 (a confidence level such as "
                    f"0.95), got {value!r}.",
                    ConfigError,
                )
        elif key == "near_duplicate_threshold":
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
                raise loc.error(
                    where,
                    f"expected a number in (0, 1] (the Jaccard similarity above which two "
                    f"documents are near-duplicates, e.g. 0.7), got {value!r}.",
                    ConfigError,
                )
        elif isinstance(default, Mapping):
            if not isinstance(value, Mapping):
                raise loc.error(where, "expected a mapping.", ConfigError)
            value = dict(value)
        elif value is not None and not isinstance(value, str):
            value = str(value)
        values[key] = value
    return klass(**values)


def _events(value: Any, loc: Locator, where: tuple) -> tuple[Event, ...]:
    if not isinstance(value, list):
        raise loc.error(
            where, "expected a list like [{date: 2023-11-02, label: ...}].", ConfigError
        )
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping) or set(item) != {"date", "label"}:
            raise loc.error(
                (*where, i), "each event needs exactly 'date' and 'label'.", ConfigError
            )
        day = item["date"]
        if isinstance(day, str):
            try:
                day = dt.date.fromisoformat(day)
            except ValueError:
                raise loc.error(
                    (*where, i), f"date {day!r} is not YYYY-MM-DD.", ConfigError
                ) from None
        if not isinstance(day, dt.date):
            raise loc.error((*where, i), f"date {day!r} is not YYYY-MM-DD.", ConfigError)
        out.append(Event(date=day, label=str(item["label"])))
    return tuple(out)


def load_config(path: str | Path) -> StudyConfig:
    """Read and validate a study config YAML file.

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    ConfigError
        Invalid YAML or an invalid setting (file, line and column in the message).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "study.yml"
    >>> _ = path.write_text("seed: 7\\ncoding:\\n  level: document\\n")
    >>> cfg = load_config(path)
    >>> cfg.seed, cfg.coding.level
    (7, 'document')
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"load_config(): {path} does not exist. Copy study.yml from the "
            "repository root and edit it."
        )
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(
            f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})."
        ) from None
    except ValueError as exc:  # e.g. an impossible date such as 2023-13-01
        raise ConfigError(
            f"{path}: not valid YAML ({exc}). Check the dates (YYYY-MM-DD)."
        ) from None
    check_duplicate_keys(root, str(path), ConfigError)
    return StudyConfig.from_dict(
        data, base_dir=path.parent, source=str(path), _loc=Locator(str(path), root)
    )
