"""The study config: one YAML file (``study.yml``) holding every knob of a study.

A student adapts an analysis by copying ``study.yml`` and editing it; the notebooks read it and
nothing else. Unknown keys are errors that name the file, line and column and suggest the closest
key. Paths in the config are relative to the config file's folder.

Example (all keys shown with their defaults unless marked *required*)::

    study:
      name: peace_talks_sample          # used in report titles and file names
      title: Framing of the peace-talk question (synthetic sample)
    seed: 20231101                      # the one seed for every random component
    corpus:
      path: sample                      # "sample" (bundled synthetic corpus) or a file/folder
      format: null                      # detected when null
      columns: {}                       # Corpus column -> your column, e.g. {text: body}
      options: {}                       # reader options: delimiter, sheet, filename_pattern...
      drop_near_duplicates: false
      near_duplicate_threshold: 0.7
    codebook: peace_talks               # shipped name or path to a YAML/.dic codebook
    coding:
      level: paragraph                  # document | paragraph | sentence
      negation_policy: null             # drop | keep | separate; null = the codebook's
    compare:
      group: perspective                # the main grouping column
      groups: []                        # restrict/order its values (empty = all)
      cluster: outlet                   # bootstrap clusters (null = resample documents)
      n_boot: 2000
      ci: 0.95
      correction: holm                  # holm | fdr_bh
    time:
      column: date
      freq: W                           # W (weeks) | M (months)
      events: []                        # [{date: 2023-11-02, label: "..."}]
      window_days: 42                   # before/after window around the first event
    topics: {}                          # passed to framelab.topics (backend, preset, ...)
    validation:
      gold: sample                      # "sample", a path to a gold CSV, or null
      level: paragraph
      n_boot: 1000
    output:
      dir: reports
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from framelab._errors import suggest
from framelab._yaml import Locator

__all__ = ["ConfigError", "StudyConfig", "load_config"]


class ConfigError(ValueError):
    """An invalid study config; the message names the file, line and column and the fix."""


@dataclass(frozen=True)
class StudySection:
    name: str = "study"
    title: str = "A framelab study"


@dataclass(frozen=True)
class CorpusSection:
    path: str = "sample"
    format: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    drop_near_duplicates: bool = False
    near_duplicate_threshold: float = 0.7


@dataclass(frozen=True)
class CodingSection:
    level: str = "paragraph"
    negation_policy: str | None = None
    method: str = "dictionary"
    model: str | None = None


@dataclass(frozen=True)
class CompareSection:
    group: str = "perspective"
    groups: tuple[str, ...] = ()
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
    framelab.config.ConfigError: <config>: coding.levl: unknown key 'levl'. Did you mean 'level'? Allowed keys: level, negation_policy, method, model.
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
        values["topics"] = dict(topics)
        for name, klass in _SECTIONS.items():
            values[name] = _section(name, klass, data.get(name), loc)
        return cls(**values, base_dir=Path(base_dir), source=source)

    # ------------------------------------------------------------------ helpers for notebooks
    def resolve(self, path: str | Path) -> Path:
        """A path from the config, relative to the config file's folder."""
        p = Path(path)
        return p if p.is_absolute() else self.base_dir / p

    def load_corpus(self):
        """The study's corpus as a validated Corpus table (sample or your files)."""
        from framelab.corpus import drop_near_duplicates
        from framelab.datasets import load_sample
        from framelab.io import load_corpus

        c = self.corpus
        if c.path == "sample":
            corpus = load_sample()
        else:
            corpus = load_corpus(
                self.resolve(c.path), c.format, **dict(c.options), **dict(c.columns)
            )
        if c.drop_near_duplicates:
            corpus = drop_near_duplicates(corpus, threshold=c.near_duplicate_threshold)
        return corpus

    def load_codebook(self):
        """The study's codebook (negation policy applied)."""
        from framelab.codebook import list_codebooks, load_codebook, with_negation

        ref = self.codebook if self.codebook in list_codebooks() else self.resolve(self.codebook)
        cb = load_codebook(ref)
        if self.coding.negation_policy is not None:
            cb = with_negation(cb, policy=self.coding.negation_policy)
        return cb

    def cache_dir(self) -> Path:
        """The study's cache folder, ``data/processed/cache`` next to the config.

        Expensive, deterministic stages keep their results there, keyed by their inputs
        (embeddings, topic fits, the supervised baseline's cross-validation); deleting it only
        costs time.
        """
        return self.resolve("data/processed/cache")

    def topic_settings(self) -> dict:
        """The ``topics`` section for :func:`framelab.topics.fit_topics`, with the study seed
        and the caches resolved next to the config: embeddings in
        ``data/processed/cache/embeddings``, whole fits in ``data/processed/cache/topic_fits``
        (set ``fit_cache_dir: null`` in the section to refit every time)."""
        settings = {"seed": self.seed, **dict(self.topics)}
        cache = settings.get("cache_dir", "data/processed/cache/embeddings")
        settings["cache_dir"] = str(self.resolve(cache))
        fits = settings.get("fit_cache_dir", "data/processed/cache/topic_fits")
        settings["fit_cache_dir"] = None if fits is None else str(self.resolve(fits))
        return settings

    def output_dir(self) -> Path:
        return self.resolve(self.output.dir)


def _check_keys(obj: Mapping, allowed, loc: Locator, path: tuple) -> None:
    for key in obj:
        if key not in allowed:
            raise loc.error(
                (*path, key),
                f"unknown key {key!r}.{suggest(str(key), allowed)} "
                f"Allowed keys: {', '.join(allowed)}.",
                ConfigError,
            )


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
        if key == "events":
            value = _events(value, loc, where)
        elif key == "groups":
            if not isinstance(value, list):
                raise loc.error(where, "expected a list of group values.", ConfigError)
            value = tuple(str(v) for v in value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise loc.error(where, f"expected true or false, got {value!r}.", ConfigError)
        elif isinstance(default, int) and key != "ci":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise loc.error(where, f"expected a whole number >= 1, got {value!r}.", ConfigError)
        elif key in ("ci", "near_duplicate_threshold"):
            if not isinstance(value, int | float) or not 0 < value < 1 + (key != "ci"):
                raise loc.error(
                    where, f"expected a number between 0 and 1, got {value!r}.", ConfigError
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
    return StudyConfig.from_dict(
        data, base_dir=path.parent, source=str(path), _loc=Locator(str(path), root)
    )
