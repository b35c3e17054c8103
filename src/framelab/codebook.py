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

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd
import yaml

from framelab import _codebook_rules as _rules
from framelab import _codebook_tables as _tables
from framelab._codebook_parse import (
    ALL_LANGUAGES,
    CodebookWarning,
    _check_ambiguous,
    _Locator,
    _pattern_list,
    _warn_duplicates,
    change_regex,
    freeze_regex,
    language_key,
    regex_spec,
)
from framelab._codebook_rules import Scope, without_context, without_scope
from framelab._dic import read_dic_spec
from framelab._errors import CodebookError, suggest
from framelab._presence import parse_presence
from framelab._regex_check import check_regex, regex_error  # noqa: F401  (check_regex re-exported)
from framelab._yaml import as_int as _as_int
from framelab._yaml import check_duplicate_keys
from framelab._yaml import check_keys as _check_keys

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
_TOP_KEYS = (
    "name",
    "version",
    "description",
    "language",
    "extends",
    "negation",
    "presence",
    "frames",
    "remove_frames",
    "scope",
)
_FRAME_KEYS = (
    "label",
    "description",
    "parent",
    "terms",
    "phrases",
    "regex",
    "exclude",
    "exclude_window",
    "ambiguous",
    "context",
    "examples",
    "add",
    "remove",
    "scope",
    "audit",
)
_LIST_KEYS = ("terms", "phrases", "exclude", "ambiguous", "context")
#: lists a pattern leaves when an ``add`` block puts it into another one
_MOVES = {"terms": ("ambiguous",), "phrases": ("ambiguous",), "ambiguous": ("terms", "phrases")}
_NEG_KEYS = ("cues", "window", "policy", "blockers")
_FRAME_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
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
        return _build(data, _Locator(source, None), base_dir=None)

    @classmethod
    def from_yaml(cls, path: str | Path) -> Codebook:
        """Read a YAML codebook (``extends:`` is resolved)."""
        return _read_yaml(Path(path), chain=())

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
        languages`` (see :func:`framelab._codebook_tables.summary_table`)."""
        return _tables.summary_table(self)

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
        return _tables.entries_table(self)


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


# ===================================================================== YAML reading & validation


def _read_yaml(path: Path, chain: tuple[str, ...]) -> Codebook:
    if not path.exists():
        raise FileNotFoundError(f"Codebook.from_yaml(): {path} does not exist.")
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CodebookError(
            f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)}). Check indentation "
            "and quote patterns that contain ':' or start with '*'."
        ) from None
    check_duplicate_keys(root, str(path), CodebookError)
    key = str(path.resolve())
    if key in chain:
        raise CodebookError(f"{path}: 'extends' forms a cycle: {' -> '.join(chain + (key,))}.")
    return _build(data, _Locator(str(path), root), base_dir=path.parent, chain=chain + (key,))


def _frame_from(
    fid: str, spec: Mapping, lang: str, loc: _Locator, path: tuple, base: Frame | None
) -> Frame:
    _check_keys(spec, _FRAME_KEYS, loc, path)
    if ("add" in spec or "remove" in spec) and base is None:
        raise loc.error(
            (*path, "add" if "add" in spec else "remove"),
            f"frame {fid!r} does not exist in the parent codebook, so it cannot be "
            "changed with add/remove; define it fully instead.",
        )
    values: dict[str, Any] = {}
    if base is not None:
        values = {
            "label": base.label,
            "description": base.description,
            "parent": base.parent,
            "terms": {k: list(v) for k, v in base.terms.items()},
            "phrases": {k: list(v) for k, v in base.phrases.items()},
            "regex": {ALL_LANGUAGES: list(base.regex)}
            | {k: list(v) for k, v in base.regex_by_language.items()},
            "exclude": {k: list(v) for k, v in base.exclude.items()},
            "exclude_window": base.exclude_window,
            "ambiguous": {k: list(v) for k, v in base.ambiguous.items()},
            "context": {k: list(v) for k, v in base.context.items()},
            "examples": list(base.examples),
            "scope": base.scope,
            "scope_without": base.scope_without,
            "scope_level": base.scope_level,  # (an audit is not inherited by a changed frame)
        }
    for key in ("label", "description", "parent"):
        if key in spec:
            if spec[key] is not None and not isinstance(spec[key], str):
                raise loc.error((*path, key), f"expected text, got {type(spec[key]).__name__}.")
            values[key] = (spec[key] or "").strip() if key != "parent" else spec[key]
    for key in _LIST_KEYS:
        if key in spec:
            values[key] = _pattern_list(spec[key], lang, loc, (*path, key))
    if "regex" in spec:  # a list (every language) or a mapping language -> list
        values["regex"] = regex_spec(spec["regex"], loc, (*path, "regex"))
    if "exclude_window" in spec:
        values["exclude_window"] = _as_int(spec["exclude_window"], loc, (*path, "exclude_window"))
    if "examples" in spec:
        ex = spec["examples"] or []
        if not isinstance(ex, list) or not all(isinstance(e, str) for e in ex):
            raise loc.error((*path, "examples"), "expected a list of example sentences.")
        values["examples"] = [" ".join(e.split()) for e in ex]
    if "scope" in spec:
        values["scope"], values["scope_level"], values["scope_without"] = _rules.frame_scope_from(
            spec["scope"], lang, loc, (*path, "scope"), _pattern_list
        )
    if "audit" in spec:
        values["audit"] = _rules.audit_from(spec["audit"], lang, loc, (*path, "audit"))
    for op in ("add", "remove"):
        if op not in spec:
            continue
        block = spec[op] or {}
        if not isinstance(block, Mapping):
            raise loc.error(
                (*path, op), "expected a mapping such as {terms: [...], phrases: [...]}."
            )
        _check_keys(block, (*_LIST_KEYS, "regex"), loc, (*path, op))
        for key, items in block.items():
            if key == "regex":
                change_regex(values.setdefault("regex", {}), op, items, loc, (*path, op, key))
                continue
            change = _pattern_list(items, lang, loc, (*path, op, key))
            current = values.setdefault(key, {})
            for lg, pats in change.items():
                have = current.setdefault(lg, [])
                if op == "add":
                    have.extend(p for p in pats if p not in have)
                    # adding a pattern as a plain term/phrase makes it count anywhere, and
                    # adding it as ambiguous makes it need context: it moves between the lists
                    for other in _MOVES.get(key, ()):
                        moved = values.get(other, {})
                        if moved.get(lg):
                            moved[lg] = [p for p in moved[lg] if p not in pats]
                else:
                    missing = [p for p in pats if p not in have]
                    if missing:
                        raise loc.error(
                            (*path, op, key),
                            f"cannot remove {missing!r}: not in the "
                            f"parent's {key} for language {lg!r}.",
                        )
                    current[lg] = [p for p in have if p not in pats]
    label = values.get("label") or fid.replace("_", " ").capitalize()
    frame = Frame(
        id=fid,
        label=label,
        description=values.get("description", ""),
        parent=values.get("parent"),
        terms={k: v for k, v in values.get("terms", {}).items() if v},
        phrases={k: v for k, v in values.get("phrases", {}).items() if v},
        regex=values.get("regex", {}),
        exclude={k: v for k, v in values.get("exclude", {}).items() if v},
        exclude_window=values.get("exclude_window", 8),
        ambiguous={k: v for k, v in values.get("ambiguous", {}).items() if v},
        context={k: v for k, v in values.get("context", {}).items() if v},
        examples=tuple(values.get("examples", ())),
        scope=values.get("scope"),
        scope_level=values.get("scope_level"),
        scope_without=values.get("scope_without"),
        audit=values.get("audit"),
    )
    _check_ambiguous(frame, loc, path)
    if frame.n_entries() == 0:
        raise loc.error(
            path,
            f"frame {fid!r} is empty: give it at least one term, phrase or "
            "regex (or remove it with remove_frames).",
        )
    return frame


def _negation_from(spec: Any, lang: str, loc: _Locator, base: Negation | None) -> Negation:
    base = base or Negation()
    if spec is None:
        return base
    if not isinstance(spec, Mapping):
        raise loc.error(("negation",), "expected a mapping with cues, window and policy.")
    _check_keys(spec, _NEG_KEYS, loc, ("negation",))
    cues = dict(base.cues)
    if "cues" in spec:
        cues = _pattern_list(spec["cues"], lang, loc, ("negation", "cues"))
    window = _as_int(spec.get("window", base.window), loc, ("negation", "window"))
    blockers = dict(base.blockers)
    if "blockers" in spec:
        blockers = _pattern_list(spec["blockers"], lang, loc, ("negation", "blockers"))
    policy = spec.get("policy", base.policy)
    if policy not in NEGATION_POLICIES:
        raise loc.error(
            ("negation", "policy"),
            f"policy must be one of "
            f"{', '.join(NEGATION_POLICIES)}, got {policy!r}."
            f"{suggest(str(policy), NEGATION_POLICIES)}",
        )
    return Negation(cues=cues, window=window, policy=policy, blockers=blockers)


def _build(
    data: Any, loc: _Locator, base_dir: Path | None, chain: tuple[str, ...] = ()
) -> Codebook:
    if not isinstance(data, Mapping):
        raise loc.error((), "a codebook must be a mapping with name, version and frames.")
    _check_keys(data, _TOP_KEYS, loc, ())
    parent: Codebook | None = None
    if data.get("extends"):
        ref = str(data["extends"])
        if ref in list_codebooks():
            parent = _read_yaml(_shipped_path(ref), chain)
        else:
            ppath = Path(ref)
            if base_dir is not None and not ppath.is_absolute():
                ppath = base_dir / ppath
            if not ppath.exists():
                raise loc.error(
                    ("extends",),
                    f"cannot find {ref!r}: not a shipped codebook "
                    f"({', '.join(list_codebooks())}) and no such file.",
                )
            parent = _read_yaml(ppath, chain)
    elif "remove_frames" in data:
        raise loc.error(("remove_frames",), "remove_frames needs 'extends: <codebook>'.")
    for key in ("name", "version"):
        if data.get(key) in (None, ""):
            raise loc.error((), f"missing required key {key!r}.")
    name = str(data["name"])
    if not _NAME.match(name):
        raise loc.error(("name",), f"name {name!r} may use letters, digits, '_', '-' and '.' only.")
    version = str(data["version"])
    lang = data.get("language") or (parent.language if parent else "en")
    lang = language_key(lang, loc, ("language",), "per-language blocks, like `language:`,")
    frames: dict[str, Frame] = dict(parent.frames) if parent else {}
    for i, fid in enumerate(data.get("remove_frames") or []):
        if fid not in frames:
            raise loc.error(
                ("remove_frames", i), f"no frame {fid!r} in {parent.id}.{suggest(str(fid), frames)}"
            )
        del frames[fid]
    spec_frames = data.get("frames")
    if parent is None and not spec_frames:
        raise loc.error(
            ("frames",) if "frames" in data else (),
            "a codebook needs at least one frame under 'frames:'.",
        )
    if spec_frames is not None and not isinstance(spec_frames, Mapping):
        raise loc.error(("frames",), "expected a mapping of frame id -> frame definition.")
    for fid, spec in (spec_frames or {}).items():
        fid = str(fid)
        if not _FRAME_ID.match(fid):
            raise loc.error(
                ("frames", fid),
                f"frame id {fid!r} must be lower_snake_case "
                "(letters, digits, '_', starting with a letter).",
            )
        if not isinstance(spec, Mapping):
            raise loc.error(("frames", fid), "expected a mapping with label, description, terms...")
        frames[fid] = _frame_from(fid, spec, lang, loc, ("frames", fid), frames.get(fid))
    negation = _negation_from(data.get("negation"), lang, loc, parent.negation if parent else None)
    description = str(data.get("description") or (parent.description if parent else "")).strip()
    _warn_duplicates(frames, loc)
    presence = data.get("presence", parent.presence if parent else None)
    try:
        parse_presence(presence, frames, where="presence")
    except ValueError as exc:
        raise loc.error(("presence",), str(exc).removeprefix("presence: ")) from None
    return Codebook(
        name=name,
        version=version,
        frames=frames,
        description=description,
        language=lang,
        negation=negation,
        source=loc.source,
        presence=presence,
        scope=_rules.scope_from(
            data.get("scope"), lang, loc, parent.scope if parent else None, _pattern_list
        ),
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
