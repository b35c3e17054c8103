"""Frame codebooks: YAML <-> validated, immutable objects; LIWC-style ``.dic`` dictionaries.

The YAML format is documented in ``docs/codebook_format.md``. Shipped codebooks:
``peace_talks`` (the nine frames of the Russia-Ukraine peace-talk question) and ``policy_frames``
(the 15 dimensions of the Policy Frames Codebook, Boydstun et al. 2014).

References
----------
Entman, R. M. (1993). Framing: Toward clarification of a fractured paradigm. *Journal of
Communication* 43(4), 51-58.
Boydstun, A. E., Card, D., Gross, J. H., Resnik, P., & Smith, N. A. (2014). Tracking the development
of media frames within and across policy issues. APSA 2014 Annual Meeting Paper.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd
import yaml

from framelab import _codebook_rules as _rules
from framelab._codebook_parse import (
    ALL_LANGUAGES,
    CodebookWarning,
    _Locator,
    freeze_regex,
)
from framelab._codebook_rules import Scope, without_context, without_scope
from framelab._dic import read_dic_spec
from framelab._errors import CodebookError, suggest
from framelab._regex_check import check_regex, regex_error  # noqa: F401  (check_regex re-exported)

__all__ = [
    "Codebook",
    "CodebookError",
    "CodebookWarning",
    "Frame",
    "Negation",
    "list_codebooks",
    "load_codebook",
    "read_dic",
    "with_negation",
    "without_context",
    "without_scope",
]

NEGATION_POLICIES = ("drop", "keep", "separate")
_LIST_KEYS = ("terms", "phrases", "exclude", "ambiguous", "context")
_NEG_KEYS = ("cues", "window", "policy", "blockers")
DEFAULT_NEGATION_CUES = {
    "en": (
        "no",
        "not",
        "never",
        "without",
        "neither",
        "nor",
        "none",
        "nobody",
        "nothing",
        "don't",
        "doesn't",
        "didn't",
        "won't",
        "wouldn't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "can't",
        "cannot",
        "couldn't",
        "ruled out",
        "rule out",
        "rules out",
        "rejected",
        "rejects",
        "denied",
        "denies",
        "refused",
        "refuses",
        "dismissed",
        "no sign of",
        "far from",
    ),
}


def _frozen_lists(mapping: Mapping[str, Any]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({k: tuple(v) for k, v in mapping.items()})


@dataclass(frozen=True)
class Frame:
    """One frame of a codebook.

    ``terms``, ``phrases``, ``exclude``, ``ambiguous`` and ``context`` map a language code to
    patterns. ``regex`` holds the regexes that apply to every language and
    ``regex_by_language`` those of one language (language -> patterns); :meth:`regex_for` gives
    the ones a document in a language is matched with. ``Frame(regex={"ru": [...]})`` (a mapping,
    as in YAML, ``"*"`` = every language) is split into the two. ``ambiguous`` entries (terms or
    phrases) count only when one of the frame's ``context`` cues occurs in the same paragraph.
    See ``docs/codebook_format.md`` for the pattern syntax.

    Examples
    --------
    >>> cb = Codebook.from_dict({"name": "m", "version": "1", "frames": {
    ...     "ceasefire": {"label": "Ceasefire", "terms": ["truce*"], "phrases": ["halt the fighting"]}}})
    >>> frame = cb.frames["ceasefire"]
    >>> frame.id, frame.label, list(frame.terms["en"]), list(frame.phrases["en"])
    ('ceasefire', 'Ceasefire', ['truce*'], ['halt the fighting'])
    """

    id: str
    label: str
    description: str = ""
    parent: str | None = None
    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    phrases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    regex: tuple[str, ...] = ()
    exclude: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exclude_window: int = 8
    ambiguous: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    context: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    examples: tuple[str, ...] = ()
    #: own scope cues per language (None = the codebook's; {} = not scoped)
    scope: Mapping[str, tuple[str, ...]] | None = None
    #: own scope level per language (``"*"``: every language; None or a language not listed:
    #: the codebook's ``scope.level``); see :func:`framelab._codebook_rules.frame_scope_level`
    scope_level: Mapping[str, str] | None = None
    #: own rival cues per language (``without``; None = the codebook's; {} = none)
    scope_without: Mapping[str, tuple[str, ...]] | None = None
    #: audited precision on a development corpus, language -> block (docs/codebook_format.md)
    audit: Mapping[str, Mapping[str, Any]] | None = None
    #: regexes of one language each (language -> patterns); ``regex`` = every language
    regex_by_language: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self):
        for name in _LIST_KEYS:
            object.__setattr__(self, name, _frozen_lists(getattr(self, name)))
        if self.scope is not None:
            object.__setattr__(self, "scope", _frozen_lists(self.scope))
        if self.scope_level is not None:
            object.__setattr__(self, "scope_level", MappingProxyType(dict(self.scope_level)))
        if self.scope_without is not None:
            object.__setattr__(self, "scope_without", _frozen_lists(self.scope_without))
        freeze_regex(self)
        object.__setattr__(self, "examples", tuple(self.examples))

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages with at least one term, phrase, ambiguous entry or regex of their own."""
        maps = (self.terms, self.phrases, self.ambiguous, self.regex_by_language)
        return tuple(sorted({lang for m in maps for lang, v in m.items() if v}))

    def regex_for(self, language: str) -> tuple[str, ...]:
        """The regexes a document in ``language`` is matched with: those for every language,
        then that language's own, in file order.

        Examples
        --------
        >>> frame = Frame("stalemate", "Stalemate", regex={"*": ["dead ?lock"],
        ...     "ru": ["замороз[а-я]* конфликт"]})
        >>> frame.regex_for("ru"), frame.regex_for("en")
        (('dead ?lock', 'замороз[а-я]* конфликт'), ('dead ?lock',))
        """
        return (*self.regex, *self.regex_by_language.get(language, ()))

    def n_entries(self, language: str | None = None) -> int:
        """Number of terms + phrases + ambiguous entries + regexes, in one language (counting
        the regexes that apply to it: every language's and its own) or in all."""
        maps = (self.terms, self.phrases, self.ambiguous, self.regex_by_language)
        langs = [language] if language else list({lg for m in maps for lg in m})
        return sum(len(m.get(lg, ())) for lg in langs for m in maps) + len(self.regex)

    def to_dict(self, default_language: str) -> dict:
        out: dict[str, Any] = {"label": self.label}
        if self.description:
            out["description"] = self.description
        if self.parent:
            out["parent"] = self.parent
        for name in _LIST_KEYS:
            value = getattr(self, name)
            if not value:
                continue
            if set(value) == {default_language}:
                out[name] = list(value[default_language])
            else:
                out[name] = {lang: list(v) for lang, v in value.items()}
        if self.regex_by_language:  # a mapping; "*" only for a frame with both kinds
            every = {ALL_LANGUAGES: list(self.regex)} if self.regex else {}
            out["regex"] = every | {lg: list(v) for lg, v in self.regex_by_language.items()}
        elif self.regex:
            out["regex"] = list(self.regex)  # the list form: every language
        if self.exclude_window != 8:
            out["exclude_window"] = self.exclude_window
        if self.examples:
            out["examples"] = list(self.examples)
        if (self.scope, self.scope_level, self.scope_without) != (None, None, None):
            out["scope"] = _rules.frame_scope_to_dict(self)
        if self.audit:
            out["audit"] = _rules.audit_to_dict(self.audit, default_language)
        return out


@dataclass(frozen=True)
class Negation:
    """Negation handling: cue words/phrases per language, a window of tokens and a policy.

    Examples
    --------
    >>> neg = Negation(cues={"en": ["no", "not"]}, window=3, policy="drop")
    >>> neg.cues["en"], neg.window, neg.policy
    (('no', 'not'), 3, 'drop')
    """

    cues: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_NEGATION_CUES))
    window: int = 4
    policy: str = "keep"
    #: phrases that cancel a cue they contain ("no alternative to"); `...` = a gap of 0-3 tokens
    blockers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "cues", _frozen_lists(self.cues))
        object.__setattr__(self, "blockers", _frozen_lists(self.blockers))


@dataclass(frozen=True)
class Codebook:
    """A validated, immutable frame codebook.

    Build one with :meth:`from_yaml`, :meth:`from_file`, :meth:`from_dict` or
    :func:`load_codebook` (shipped names). Its :attr:`id` (``name@version``) is written into every
    coded row.

    Examples
    --------
    >>> cb = Codebook.from_dict({"name": "mini", "version": "1", "frames": {
    ...     "ceasefire": {"label": "Ceasefire", "terms": ["truce", "ceasefire"]},
    ...     "talks": {"label": "Talks", "terms": ["negotiat*"], "phrases": ["peace talks"]}}})
    >>> cb.id, cb.frame_ids
    ('mini@1', ('ceasefire', 'talks'))
    >>> cb.summary()[["frame", "terms", "phrases"]]
           frame  terms  phrases
    0  ceasefire      2        0
    1      talks      1        1
    """

    name: str
    version: str
    frames: Mapping[str, Frame]
    description: str = ""
    language: str = "en"
    negation: Negation = field(default_factory=Negation)
    source: str | None = None
    presence: Mapping | None = (
        None  # presence rules block (framelab._presence), applied by code_frames
    )
    scope: Scope = field(default_factory=Scope)

    def __post_init__(self):
        object.__setattr__(self, "frames", MappingProxyType(dict(self.frames)))

    @property
    def id(self) -> str:
        """``name@version``."""
        return f"{self.name}@{self.version}"

    @property
    def frame_ids(self) -> tuple[str, ...]:
        return tuple(self.frames)

    def __repr__(self) -> str:
        return f"Codebook({self.id!r}, frames={list(self.frames)})"

    # ----------------------------------------------------------------- constructors
    @classmethod
    def from_dict(cls, data: Mapping, *, source: str | None = None) -> Codebook:
        """Build and validate a codebook from a mapping shaped like the YAML format."""
        from framelab._codebook_build import build

        return build(data, _Locator(source, None), base_dir=None)

    @classmethod
    def from_yaml(cls, path: str | Path) -> Codebook:
        """Read a YAML codebook (``extends:`` is resolved)."""
        from framelab._codebook_build import read_yaml

        return read_yaml(Path(path), chain=())

    @classmethod
    def from_file(cls, path: str | Path) -> Codebook:
        """Read a codebook, choosing the reader from the extension: ``.yml``/``.yaml`` or
        LIWC-style ``.dic``."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix in (".yml", ".yaml"):
            return cls.from_yaml(path)
        if suffix == ".dic":
            return read_dic(path)
        raise CodebookError(
            f"Codebook.from_file(): cannot read {path.name}: unknown extension {suffix!r}. "
            "Supported: .yml, .yaml (framelab codebook), .dic (LIWC-style dictionary)."
        )

    # ----------------------------------------------------------------- output
    def to_dict(self) -> dict:
        """The codebook as plain data in the YAML layout (inheritance already applied)."""
        out: dict[str, Any] = {"name": self.name, "version": self.version}
        if self.description:
            out["description"] = self.description
        out["language"] = self.language
        out["negation"] = {
            "cues": {k: list(v) for k, v in self.negation.cues.items()},
            "window": self.negation.window,
            "policy": self.negation.policy,
        }
        if self.presence:
            out["presence"] = dict(self.presence)
        _rules.rules_to_dict(self, out)
        out["frames"] = {fid: f.to_dict(self.language) for fid, f in self.frames.items()}
        return out

    def to_yaml(self, path: str | Path) -> Path:
        """Write the codebook as YAML (text, diffable; inheritance is flattened)."""
        from framelab.io.manifest import ensure_writable

        path = ensure_writable(path)
        text = yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=100)
        path.write_text(text, encoding="utf-8")
        return path

    def audit_table(self) -> pd.DataFrame:
        """Audited precision per frame and language.

        Returns
        -------
        pandas.DataFrame
            Columns ``frame, language, n, correct, precision, ci_low, ci_high, corpus, date``:
            one row per frame and audited language (the codebook's language first, then the
            others alphabetically); frames without an ``audit`` block are left out. A flat
            ``audit:`` block is the codebook's own language.

        Examples
        --------
        >>> cb = Codebook.from_dict({"name": "m", "version": "1", "frames": {"talks": {
        ...     "terms": {"en": ["talks"], "ru": ["переговоры"]},
        ...     "audit": {"en": {"n": 30, "correct": 27}, "ru": {"n": 15, "correct": 14}}}}})
        >>> cb.audit_table()[["frame", "language", "n", "correct", "precision"]].round(3)
           frame language   n  correct  precision
        0  talks       en  30       27      0.900
        1  talks       ru  15       14      0.933
        """
        return _rules.audit_table(self)

    def summary(self) -> pd.DataFrame:
        """One row per frame: ``frame, label, parent, terms, phrases, ambiguous, regex, exclude,
        languages``."""
        rows = [
            {
                "frame": fid,
                "label": f.label,
                "parent": f.parent or "",
                "terms": sum(len(v) for v in f.terms.values()),
                "phrases": sum(len(v) for v in f.phrases.values()),
                "ambiguous": sum(len(v) for v in f.ambiguous.values()),
                "regex": len(f.regex) + sum(len(v) for v in f.regex_by_language.values()),
                "exclude": sum(len(v) for v in f.exclude.values()),
                "languages": ", ".join(f.languages),
            }
            for fid, f in self.frames.items()
        ]
        return pd.DataFrame(
            rows,
            columns=[
                "frame",
                "label",
                "parent",
                "terms",
                "phrases",
                "ambiguous",
                "regex",
                "exclude",
                "languages",
            ],
        )

    def entries(self) -> pd.DataFrame:
        """Every pattern: ``frame, language, kind, pattern``; kind is term, phrase, ambiguous,
        regex, exclude or context; language is ``*`` for a regex of every language.

        Examples
        --------
        >>> cb = Codebook.from_dict({"name": "m", "version": "1", "frames": {"stalemate": {
        ...     "terms": ["stalemate"], "regex": {"*": ["dead ?lock"], "ru": ["тупик"]}}}})
        >>> cb.entries()
               frame language   kind     pattern
        0  stalemate       en   term   stalemate
        1  stalemate        *  regex  dead ?lock
        2  stalemate       ru  regex       тупик
        """
        rows = []
        for fid, f in self.frames.items():
            kinds = (
                ("term", f.terms),
                ("phrase", f.phrases),
                ("ambiguous", f.ambiguous),
                ("exclude", f.exclude),
                ("context", f.context),
            )
            for kind, mapping in kinds:
                for lang, pats in mapping.items():
                    rows += [
                        {"frame": fid, "language": lang, "kind": kind, "pattern": p} for p in pats
                    ]
            regexes = {ALL_LANGUAGES: f.regex, **f.regex_by_language}
            rows += [
                {"frame": fid, "language": lang, "kind": "regex", "pattern": r}
                for lang, pats in regexes.items()
                for r in pats
            ]
        return pd.DataFrame(rows, columns=["frame", "language", "kind", "pattern"])


# ===================================================================== shipped codebooks


def list_codebooks() -> list[str]:
    """Names of the codebooks shipped with framelab.

    Examples
    --------
    >>> list_codebooks()
    ['peace_talks', 'policy_frames']
    """
    folder = resources.files("framelab") / "codebooks"
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".yml"))


def _shipped_path(name: str) -> Path:
    return Path(str(resources.files("framelab") / "codebooks" / f"{name}.yml"))


def read_dic(path: str | Path, *, version: str = "dic", language: str = "en") -> Codebook:
    """Read a LIWC-style ``.dic`` dictionary as a Codebook.

    The file starts with a block between two ``%`` lines mapping category numbers to names, then
    one line per entry: the word (``*`` glob allowed; spaces make it a phrase) followed by the
    numbers of its categories, separated by tabs or spaces. The file is parsed by
    :func:`framelab._dic.read_dic_spec` into the mapping :meth:`Codebook.from_dict` takes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "mini.dic"
    >>> _ = p.write_text("%\\n1\\tpeace\\n2\\twar\\n%\\ntruce*\\t1\\ntalks\\t1\\nshell*\\t2\\n")
    >>> cb = read_dic(p)
    >>> cb.id, {f: list(cb.frames[f].terms["en"]) for f in cb.frame_ids}
    ('mini@dic', {'peace': ['truce*', 'talks'], 'war': ['shell*']})
    """
    spec = read_dic_spec(path, version=version, language=language)
    return Codebook.from_dict(spec, source=str(path))


def load_codebook(name_or_path: str | Path | Codebook) -> Codebook:
    """A shipped codebook by name (``"peace_talks"``), or a codebook file by path.

    Examples
    --------
    >>> load_codebook("peace_talks").frame_ids[:3]
    ('ceasefire', 'negotiations', 'concessions')
    """
    if isinstance(name_or_path, Codebook):
        return name_or_path
    text = str(name_or_path)
    if text in list_codebooks():
        return Codebook.from_yaml(_shipped_path(text))
    path = Path(text)
    if path.exists():
        return Codebook.from_file(path)
    raise FileNotFoundError(
        f"load_codebook(): {text!r} is neither a shipped codebook ({', '.join(list_codebooks())}) "
        f"nor an existing file.{suggest(text, list_codebooks())}"
    )


def with_negation(codebook: Codebook, **changes: Any) -> Codebook:
    """A copy of ``codebook`` with changed negation settings (``policy=``, ``window=``, ``cues=``).

    Examples
    --------
    >>> cb = with_negation(load_codebook("peace_talks"), policy="drop")
    >>> cb.negation.policy
    'drop'
    """
    unknown = set(changes) - set(_NEG_KEYS)
    if unknown:
        raise TypeError(
            f"with_negation(): unknown setting(s) {sorted(unknown)}; use {', '.join(_NEG_KEYS)}."
        )
    if "policy" in changes and changes["policy"] not in NEGATION_POLICIES:
        raise ValueError(
            f"with_negation(): policy must be one of {', '.join(NEGATION_POLICIES)}, "
            f"got {changes['policy']!r}."
        )
    for key in ("cues", "blockers"):
        if isinstance(changes.get(key), list | tuple):
            changes[key] = {codebook.language: list(changes[key])}
    return replace(codebook, negation=replace(codebook.negation, **changes))
