"""Codebook blocks for real news (issue 20): ``scope``, frame ``audit`` and negation ``blockers``.

Kept apart from :mod:`framelab.codebook` (which re-exports :func:`without_scope` and :func:`without_context`) so each block
is read, validated and written in one place. See ``docs/codebook_format.md``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from framelab.codebook import Codebook, Frame

SCOPE_LEVELS = ("document", "paragraph", "sentence")
_SCOPE_KEYS = ("cues", "level", "without")
_AUDIT_KEYS = ("n", "correct", "precision", "ci_low", "ci_high", "corpus", "date", "note")
AUDIT_COLUMNS = (
    "frame",
    "language",
    "n",
    "correct",
    "precision",
    "ci_low",
    "ci_high",
    "corpus",
    "date",
)
#: frames whose audited precision is below this are flagged "use with a validation sample"
AUDIT_FLAG_BELOW = 0.7


@dataclass(frozen=True)
class Scope:
    """Subject cues a hit needs nearby to count: per language, looked for in the hit's
    document (``level="document"``), paragraph (``level="paragraph"``) or sentence
    (``level="sentence"``, issue 21; see :func:`frame_scope_level` for a frame's own level).
    ``without``: rival subject cues per language; a hit whose unit holds one is out of scope
    whatever the cues say (issue 21)."""

    cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    level: str = "document"
    without: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self):
        for name in ("cues", "without"):
            got = getattr(self, name)
            object.__setattr__(self, name, MappingProxyType({k: tuple(v) for k, v in got.items()}))


def wilson_interval(correct: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a proportion ``correct / n`` (95% by default).

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(27, 30)]
    [0.7438, 0.9654]
    >>> wilson_interval(0, 0)
    (0.0, 1.0)
    """
    if n == 0:
        return 0.0, 1.0
    p = correct / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def scope_from(spec: Any, lang: str, loc, base: Scope | None, pattern_list: Callable) -> Scope:
    """Read the top-level ``scope:`` block (``cues``, ``level`` and rival cues ``without``)."""
    base = base or Scope()
    if spec is None:
        return base
    if not isinstance(spec, Mapping):
        raise loc.error(
            ("scope",),
            "expected a mapping such as {cues: {en: [Ukrain*, Russia*]}, level: document}.",
        )
    from framelab._yaml import check_keys as _check_keys

    _check_keys(spec, _SCOPE_KEYS, loc, ("scope",))
    cues = dict(base.cues)
    if "cues" in spec:
        cues = pattern_list(spec["cues"], lang, loc, ("scope", "cues"))
    without = dict(base.without)
    if "without" in spec:
        without = _rivals(spec["without"], lang, loc, ("scope", "without"), pattern_list)
    level = _scope_level(spec.get("level", base.level), loc, ("scope", "level"))
    return Scope(
        cues={k: v for k, v in cues.items() if v},
        level=level,
        without={k: v for k, v in without.items() if v},
    )


def _rivals(value: Any, lang: str, loc, path: tuple, pattern_list: Callable) -> dict:
    """A ``without:`` list (every language) or mapping by language; ``[]``/None: no rivals."""
    if value in (None, []):
        return {}
    return {k: v for k, v in pattern_list(value, lang, loc, path).items() if v}


def _scope_level(value: Any, loc, path: tuple) -> str:
    """One scope level (``document``, ``paragraph`` or ``sentence``), else ``loc.error``."""
    if value not in SCOPE_LEVELS:
        from framelab._errors import suggest

        raise loc.error(
            path,
            f"level must be one of {', '.join(SCOPE_LEVELS)}, got {value!r}."
            f"{suggest(str(value), SCOPE_LEVELS)}",
        )
    return value


def _is_scope_block(spec: Mapping) -> bool:
    """A frame's ``scope:`` mapping is the block form ``{cues: ..., level: ...}`` (not cues by
    language) when a key is ``cues``/``level`` or close to one (``levle``: a typo, refused as
    an unknown key with a suggestion rather than as a language code)."""
    from framelab._errors import suggest

    def typo(key: str) -> bool:  # (a two-letter code such as "cu" stays a language key)
        return not re.fullmatch(r"[a-z]{2}", key) and bool(suggest(key, _SCOPE_KEYS))

    return any(k in _SCOPE_KEYS or typo(str(k)) for k in spec)


def frame_scope_from(spec: Any, lang: str, loc, path: tuple, pattern_list: Callable):
    """A frame's own ``scope:``: ``(cues, levels, without)``.

    ``cues``: the frame's cues by language (they replace the codebook's for this frame; ``[]``
    gives ``{}`` = not scoped; None = the codebook's cues, a block form without ``cues``).
    ``levels``: language -> level (``"*"``: every language), None = the codebook's level. The
    value is a list or per-language mapping of cues (the codebook's level), or a block
    ``{cues: <list or mapping>, level: <level or mapping language -> level>, without: <list
    or mapping>}``. ``without``: the frame's rival cues by language (they replace the
    codebook's; ``[]`` gives ``{}`` = no rivals); None = the codebook's ``without`` (the short
    form and a block without ``without``), as an omitted ``cues``; ``scope: []`` (not scoped)
    drops the rivals too."""
    if spec is None or spec == []:  # not scoped: no cues, no rivals
        return {}, None, {}
    if not (isinstance(spec, Mapping) and _is_scope_block(spec)):
        return pattern_list(spec, lang, loc, path), None, None
    from framelab._yaml import check_keys as _check_keys

    _check_keys(spec, _SCOPE_KEYS, loc, path)
    cues = None
    if "cues" in spec:
        cues = (
            {}
            if spec["cues"] in (None, [])
            else pattern_list(spec["cues"], lang, loc, (*path, "cues"))
        )
    levels = None
    if "level" in spec:
        levels = _frame_levels(spec["level"], loc, (*path, "level"))
    without = None
    if "without" in spec:
        without = _rivals(spec["without"], lang, loc, (*path, "without"), pattern_list)
    return cues, levels, without


def _frame_levels(value: Any, loc, path: tuple) -> Mapping[str, str] | None:
    """A frame's scope ``level:``: one level (every language, key ``"*"``) or a mapping
    language -> level (languages not listed keep the codebook's level)."""
    if isinstance(value, Mapping):
        from framelab._codebook_parse import language_key

        out = {}
        for code, level in value.items():
            code = language_key(code, loc, (*path, str(code)), "a per-language scope level")
            out[code] = _scope_level(level, loc, (*path, code))
        return MappingProxyType(out) if out else None
    if not isinstance(value, str):
        raise loc.error(
            path,
            f"expected a level ({', '.join(SCOPE_LEVELS)}) or a mapping by language such as "
            f"{{ru: sentence}}; got {type(value).__name__}.",
        )
    return MappingProxyType({"*": _scope_level(value, loc, path)})


def frame_scope_to_dict(frame: Frame) -> Any:
    """The YAML form of a frame's own scope: the short form (cues by language) when it has no
    level or rivals of its own, else the block ``{cues: ..., level: ..., without: ...}``
    (``cues`` or ``without`` left out when the frame uses the codebook's)."""
    cues = None if frame.scope is None else {lg: list(v) for lg, v in frame.scope.items()}
    if frame.scope_level is None and frame.scope_without is None:
        return cues
    out: dict[str, Any] = {} if cues is None else {"cues": cues}
    if frame.scope_level is not None:
        levels = dict(frame.scope_level)
        out["level"] = levels["*"] if set(levels) == {"*"} else levels
    if frame.scope_without is not None:
        out["without"] = {lg: list(v) for lg, v in frame.scope_without.items()}
    return out


def audit_from(spec: Any, lang: str, loc, path: tuple) -> Mapping[str, Mapping[str, Any]]:
    """Read and check a frame's ``audit:`` block: one flat block (the codebook's language
    ``lang``) or a mapping by language (``{en: {...}, ru: {...}}``); returns language -> block.
    In each block precision and the Wilson 95% CI must agree with n/correct."""
    if not isinstance(spec, Mapping):
        raise loc.error(
            path,
            "expected a mapping with n, correct, precision, ci_low, ci_high, or a mapping by "
            "language such as {en: {n: 30, correct: 27}, ru: {n: 15, correct: 14}}.",
        )
    flat = [str(k) for k in spec if k in _AUDIT_KEYS]
    nested = [str(k) for k, v in spec.items() if isinstance(v, Mapping)]
    if not nested:
        return MappingProxyType({lang: _audit_block(spec, loc, path)})
    if flat:
        raise loc.error(
            (*path, nested[0]),
            f"the block mixes audit keys ({', '.join(flat)}) with a block for language "
            f"{nested[0]!r}. Write either one flat block (n, correct, ... for the codebook's "
            f"language {lang!r}) or one block per language: {{{lang}: {{n: ..., correct: ...}}, "
            f"{nested[0]}: {{...}}}}.",
        )
    from framelab._codebook_parse import language_key

    out = {}
    for code, block in spec.items():
        code = language_key(code, loc, (*path, str(code)), "a per-language audit")
        if not isinstance(block, Mapping):
            raise loc.error(
                (*path, code),
                f"expected the audit block of language {code!r}: a mapping with n, correct, "
                f"precision, ci_low, ci_high, corpus, date, note; got {type(block).__name__}.",
            )
        out[code] = _audit_block(block, loc, (*path, code))
    return MappingProxyType(out)


def _audit_block(spec: Mapping, loc, path: tuple) -> Mapping[str, Any]:
    """One audit block; precision and CI must agree with n/correct."""
    from framelab._yaml import as_int as _as_int
    from framelab._yaml import check_keys as _check_keys

    _check_keys(spec, _AUDIT_KEYS, loc, path)
    for key in ("n", "correct"):
        if key not in spec:
            raise loc.error(path, f"missing {key!r} (hits read / hits judged correct).")
    n = _as_int(spec["n"], loc, (*path, "n"))
    k = _as_int(spec["correct"], loc, (*path, "correct"))
    if k > n:
        raise loc.error((*path, "correct"), f"correct ({k}) cannot exceed n ({n}).")
    lo, hi = wilson_interval(k, n)
    expect = {"precision": k / n if n else float("nan"), "ci_low": lo, "ci_high": hi}
    for key, value in expect.items():
        if key in spec:
            got = spec[key]
            if (
                not isinstance(got, int | float)
                or isinstance(got, bool)
                or abs(got - value) > 0.0051
            ):
                raise loc.error(
                    (*path, key),
                    f"{key} is {got!r} but n={n}, correct={k} give {value:.3f} (Wilson 95% "
                    "interval for ci_low/ci_high). Fix the number or remove it.",
                )
    out = {
        "n": n,
        "correct": k,
        **expect,
        "corpus": str(spec.get("corpus", "")),
        "date": str(spec.get("date", "")),
    }
    if spec.get("note"):
        out["note"] = str(spec["note"])
    return MappingProxyType(out)


def audit_to_dict(audit: Mapping[str, Mapping[str, Any]], language: str) -> dict:
    """The YAML form of a frame's audit: flat when only ``language`` (the codebook's) is
    audited, else a mapping by language."""
    blocks = {lang: _block_to_dict(block) for lang, block in audit.items()}
    return blocks[language] if set(blocks) == {language} else blocks


def _block_to_dict(audit: Mapping[str, Any]) -> dict:
    out = {k: audit[k] for k in ("n", "correct")}
    out.update({k: round(float(audit[k]), 3) for k in ("precision", "ci_low", "ci_high")})
    out.update({k: audit[k] for k in ("corpus", "date", "note") if audit.get(k)})
    return out


def rules_to_dict(codebook: Codebook, out: dict) -> None:
    """Add the negation blockers and the scope block to ``Codebook.to_dict()`` output."""
    if codebook.negation.blockers:
        out["negation"]["blockers"] = {k: list(v) for k, v in codebook.negation.blockers.items()}
    scope = codebook.scope
    if scope.cues or scope.level != "document" or scope.without:
        out["scope"] = {
            "cues": {k: list(v) for k, v in scope.cues.items()},
            "level": scope.level,
        }
        if scope.without:
            out["scope"]["without"] = {k: list(v) for k, v in scope.without.items()}


def audit_table(codebook: Codebook) -> pd.DataFrame:
    """One row per frame and audited language (see :meth:`Codebook.audit_table`)."""
    import pandas as pd

    rows = []
    for fid, f in codebook.frames.items():
        own_first = sorted(f.audit or {}, key=lambda lg: (lg != codebook.language, lg))
        rows += [
            {"frame": fid, "language": lg, **{k: f.audit[lg][k] for k in AUDIT_COLUMNS[2:]}}
            for lg in own_first
        ]
    table = pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))
    return table.astype({"n": "int64", "correct": "int64"})


def frame_scope_cues(codebook: Codebook, frame: Frame, language: str) -> tuple[str, ...]:
    """The scope cues a frame's hits need in ``language`` (the frame's own, else the
    codebook's); empty = the frame is not scoped."""
    if frame.scope is not None:
        return tuple(frame.scope.get(language, ()))
    return tuple(codebook.scope.cues.get(language, ()))


def frame_scope_rivals(codebook: Codebook, frame: Frame, language: str) -> tuple[str, ...]:
    """The rival cues (``without``) that put a frame's hits in ``language`` out of scope (the
    frame's own, else the codebook's); empty = none.

    Examples
    --------
    >>> from framelab.codebook import Codebook
    >>> cb = Codebook.from_dict({"name": "m", "version": "1", "language": "ru",
    ...     "scope": {"cues": ["Молдов*"], "without": ["Украин*"], "level": "sentence"},
    ...     "frames": {"eu": {"terms": ["ЕС"]},
    ...                "talks": {"terms": ["переговор*"], "scope": {"without": []}}}})
    >>> frame_scope_rivals(cb, cb.frames["eu"], "ru"), frame_scope_rivals(cb, cb.frames["talks"], "ru")
    (('Украин*',), ())
    """
    if frame.scope_without is not None:
        return tuple(frame.scope_without.get(language, ()))
    return tuple(codebook.scope.without.get(language, ()))


def frame_scope_level(codebook: Codebook, frame: Frame, language: str) -> str:
    """The scope level of a frame's hits in ``language``: the frame's own level for that
    language (or for every language), else the codebook's ``scope.level``.

    Examples
    --------
    >>> from framelab.codebook import Codebook
    >>> cb = Codebook.from_dict({"name": "m", "version": "1", "language": "en",
    ...     "scope": {"cues": {"en": ["Kyiv"], "ru": ["Киев*"]}, "level": "paragraph"},
    ...     "frames": {"talks": {"terms": {"en": ["talks"], "ru": ["переговор*"]},
    ...                          "scope": {"level": {"ru": "sentence"}}}}})
    >>> frame = cb.frames["talks"]
    >>> frame_scope_level(cb, frame, "ru"), frame_scope_level(cb, frame, "en")
    ('sentence', 'paragraph')
    """
    own = frame.scope_level or {}
    return own.get(language, own.get("*", codebook.scope.level))


def without_scope(codebook: Codebook) -> Codebook:
    """A copy of ``codebook`` without scope cues and rival cues: hits count whatever the subject.

    Use it to see what the scope rule removes (like :func:`without_context`). The copy's version
    gets the suffix ``+unscoped``.

    Examples
    --------
    >>> from framelab.codebook import load_codebook
    >>> cb = load_codebook("peace_talks")
    >>> plain = without_scope(cb)
    >>> plain.version == cb.version + "+unscoped", dict(plain.scope.cues), dict(plain.scope.without)
    (True, {}, {})
    """
    frames = {
        fid: replace(f, scope=None, scope_level=None, scope_without=None)
        for fid, f in codebook.frames.items()
    }
    return replace(
        codebook,
        frames=frames,
        scope=Scope(level=codebook.scope.level),
        version=f"{codebook.version}+unscoped",
    )


def without_context(codebook: Codebook) -> Codebook:
    """A copy of ``codebook`` in which ``ambiguous`` entries count anywhere (no context rule).

    Use it to see what the context rule removes (code with both and compare, or compare their
    accuracy against human codes). The copy's version gets the suffix ``+anywhere``, so codes
    made with it are labelled differently in the ``codebook`` column and in provenance.

    Examples
    --------
    >>> from framelab.codebook import load_codebook
    >>> cb = load_codebook("peace_talks")
    >>> plain = without_context(cb)
    >>> plain.version == cb.version + "+anywhere", plain.frames["negotiations"].ambiguous
    (True, mappingproxy({}))
    >>> "talks" in plain.frames["negotiations"].terms["en"]
    True
    """
    frames = {}
    for fid, frame in codebook.frames.items():
        terms = {lg: list(v) for lg, v in frame.terms.items()}
        phrases = {lg: list(v) for lg, v in frame.phrases.items()}
        for lg, pats in frame.ambiguous.items():
            for p in pats:
                target = phrases if len(p.split()) > 1 else terms
                if p not in target.setdefault(lg, []):
                    target[lg].append(p)
        frames[fid] = replace(frame, terms=terms, phrases=phrases, ambiguous={}, context={})
    return replace(codebook, frames=frames, version=f"{codebook.version}+anywhere")
