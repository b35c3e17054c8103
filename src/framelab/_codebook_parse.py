"""Codebook YAML validation helpers: pattern lists, globs, regexes, ambiguous entries, duplicates.

Kept apart from :mod:`framelab.codebook` (which builds the :class:`~framelab.codebook.Frame` and
:class:`~framelab.codebook.Codebook` objects and re-exports :class:`CodebookWarning`) so the
checks of one YAML value are in one place. See ``docs/codebook_format.md``.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from framelab._errors import CodebookError
from framelab._regex_check import regex_error
from framelab._yaml import Locator

if TYPE_CHECKING:  # pragma: no cover
    from framelab.codebook import Frame


class CodebookWarning(UserWarning):
    """A codebook that is valid but probably not what was meant (e.g. duplicate terms).

    Examples
    --------
    >>> import warnings
    >>> from framelab.codebook import Codebook
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = Codebook.from_dict({"name": "m", "version": "1", "frames": {
    ...         "a": {"terms": ["truce"]}, "b": {"terms": ["truce"]}}})
    >>> [w.category.__name__ for w in caught]
    ['CodebookWarning']
    """


class _Locator(Locator):
    def error(self, path: tuple, message: str, cls: type[Exception] = None) -> Exception:
        return super().error(path, message, cls or CodebookError)


def _check_regexes(regs: list, loc: _Locator, path: tuple) -> None:
    for i, rx in enumerate(regs):  # the one regex gate (regex_error) with file and line
        if problem := regex_error(rx):
            raise loc.error((*path, i), problem)


#: the key of a ``regex:`` mapping that stands for every language
ALL_LANGUAGES = "*"


def language_key(code: object, loc: _Locator, path: tuple, what: str) -> str:
    """Check one language key of a per-language block (``audit:``, ``regex:``): an ISO 639-1/-3
    code in lower case as :func:`framelab.languages.language_code` gives it; ``RU``, ``ru-RU``,
    ``Russian`` are refused with the code to write instead."""
    from framelab.languages import language_code

    if isinstance(code, bool):  # YAML 1.1: an unquoted no/yes/on/off key is a boolean
        raise loc.error(
            path,
            f"{code!r} is not a language code: YAML reads an unquoted no, yes, on or off as "
            f"{str(code).lower()}. Quote the key ('no': [...] for Norwegian).",
        )
    code = str(code)
    if not (re.fullmatch(r"[a-z]{2,3}", code) and language_code(code) == code):
        known = language_code(code)
        hint = f" Did you mean {known!r}?" if known and re.fullmatch(r"[a-z]{2}", known) else ""
        raise loc.error(
            path,
            f"{code!r} is not a language code: the keys of {what} are ISO 639-1 codes such as "
            f"en, ru, uk.{hint}",
        )
    return code


def _regex_items(value: Any, loc: _Locator, path: tuple) -> list[str]:
    """One list of regexes (a single string is a list of one), each through the regex gate."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise loc.error(path, f"expected a list of regexes, got {type(value).__name__}.")
    _check_regexes(items, loc, path)
    return list(items)


def regex_spec(value: Any, loc: _Locator, path: tuple) -> dict[str, list[str]]:
    """Read a ``regex:`` value: a list (every language) or a mapping language -> list.

    Returns language -> patterns, with :data:`ALL_LANGUAGES` (``"*"``) for the patterns that
    apply to every language: a list, or the ``"*"`` key of a mapping (the form
    :meth:`Frame.to_dict` writes for a frame that has both kinds, e.g. after ``add:``).
    """
    if not isinstance(value, Mapping):
        return {ALL_LANGUAGES: _regex_items(value, loc, path)}
    out: dict[str, list[str]] = {}
    for key, items in value.items():
        if str(key) != ALL_LANGUAGES:
            key = language_key(
                key, loc, (*path, str(key)), "a regex mapping (or '*' for every language)"
            )
        out[str(key)] = _regex_items(items, loc, (*path, key))
    return out


def freeze_regex(frame: Frame) -> None:
    """Freeze ``regex`` (every language) and ``regex_by_language``; a mapping given as ``regex``
    is split (``"*"`` = every language); a language's copy of an every-language regex is
    dropped. Every pattern passes the same gate as the YAML regexes."""

    def listed(value) -> tuple:  # a single string is one pattern, not its characters
        return (value,) if isinstance(value, str) else tuple(value)

    given = frame.regex if isinstance(frame.regex, Mapping) else {ALL_LANGUAGES: frame.regex}
    every: tuple = ()
    by_lang: dict[str, tuple] = {}
    for lg, pats in (*given.items(), *frame.regex_by_language.items()):
        if lg == ALL_LANGUAGES:
            every += listed(pats)
        else:
            by_lang[lg] = (*by_lang.get(lg, ()), *listed(pats))
    by_lang = {
        lg: tuple(dict.fromkeys(p for p in v if p not in every)) for lg, v in by_lang.items()
    }
    object.__setattr__(frame, "regex", every)
    object.__setattr__(
        frame, "regex_by_language", MappingProxyType({k: v for k, v in by_lang.items() if v})
    )
    for rx in (*every, *(p for v in by_lang.values() for p in v)):
        if problem := regex_error(rx):  # built in Python: the same gate as the YAML regexes
            raise CodebookError(f"Frame(): frame {frame.id!r}: {problem}")


def change_regex(current: dict, op: str, items: Any, loc: _Locator, path: tuple) -> None:
    """Apply an ``add:``/``remove:`` of regexes (a list: every language; a mapping: per
    language, ``"*"`` = every language) to ``current`` (language -> patterns)."""
    for lg, pats in regex_spec(items, loc, path).items():
        have = current.setdefault(lg, [])
        if op == "add":
            have.extend(p for p in pats if p not in have)
            continue
        missing = [p for p in pats if p not in have]
        if missing:
            where = [k for k, v in current.items() if k != lg and set(missing) & set(v)]
            kind = "every language" if lg == ALL_LANGUAGES else f"language {lg!r}"
            if not where:
                hint = " Check the spelling against the parent codebook."
            elif where[0] == ALL_LANGUAGES:
                hint = " It is a regex of every language: remove it as a list, regex: [...]."
            else:
                hint = (
                    f" It is a regex of {where[0]}: remove it under regex: {{{where[0]}: [...]}}."
                )
            raise loc.error(
                path if lg == ALL_LANGUAGES else (*path, lg),
                f"cannot remove {missing!r}: not among the parent's regexes for {kind}.{hint}",
            )
        current[lg] = [p for p in have if p not in pats]


def _pattern_list(
    value: Any, default_lang: str, loc: _Locator, path: tuple
) -> dict[str, list[str]]:
    if value is None:
        return {}
    if isinstance(value, str):
        raise loc.error(
            path,
            f"expected a list of patterns, got the single string {value!r}. "
            f"Write it as a list: [{value!r}].",
        )
    if isinstance(value, Mapping):
        out = {}
        for lang, items in value.items():  # a key no document is labelled with = a silent zero
            code = language_key(lang, loc, (*path, str(lang)), "a per-language pattern list")
            out.update({code: _pattern_list(items, code, loc, (*path, lang))[code]})
        return out
    if not isinstance(value, list):
        raise loc.error(path, f"expected a list of patterns, got {type(value).__name__}.")
    # YAML 1.1 reads unquoted no/yes/on/off/1990 as booleans/numbers: take the source text
    value = [
        v if isinstance(v, str) else (loc.raw_scalar((*path, i)) or v) for i, v in enumerate(value)
    ]
    bad = [v for v in value if not isinstance(v, str) or not v.strip()]
    if bad:
        raise loc.error(
            path,
            f"patterns must be non-empty strings; got {bad!r}. Quote numbers "
            "and words like yes/no/on/off (YAML reads them as other types).",
        )
    for i, pat in enumerate(value):
        _check_glob(pat, loc, (*path, i))
        if pat.startswith("lemma:"):
            _check_lemma_dictionary(pat, default_lang, loc, (*path, i))
    return {default_lang: [v.strip() for v in value]}


def _check_lemma_dictionary(pattern: str, lang: str, loc: _Locator, path: tuple) -> None:
    """A ``lemma:`` entry of ru/uk needs its dictionary package (uk: the optional GPL-3.0
    ``pymorphy3-dicts-uk``); other languages are refused when coding (issue 21)."""
    from framelab.lemmas import LEMMA_LANGUAGES, missing_dictionary

    if lang in LEMMA_LANGUAGES and (problem := missing_dictionary(lang)):
        raise loc.error(
            path,
            f"pattern {pattern!r} ({lang}) cannot be matched: {problem}, or write the word "
            "forms as plain terms or globs instead.",
        )


def _check_glob(pattern: str, loc: _Locator, path: tuple) -> None:
    words = pattern.split()
    if pattern.startswith("lemma:") and (len(words) != 1 or "*" in pattern or pattern == "lemma:"):
        raise loc.error(
            path,
            f"pattern {pattern!r}: a 'lemma:' entry is one word, without '*' (lemma:уступить).",
        )
    for i, word in enumerate(words):  # gaps: "вступ* ~2 НАТО" = up to 2 tokens between
        if word.startswith("~") and not (
            re.fullmatch(r"~([1-9]|10)", word) and 0 < i < len(words) - 1
        ):
            raise loc.error(
                path,
                f"pattern {pattern!r}: a gap '~k' (k = 1..10 tokens) must stand between two "
                "words, e.g. 'вступ* ~2 НАТО'.",
            )
    for word in words:
        if "*" in word and (word.count("*") > 1 or not word.endswith("*") or word == "*"):
            raise loc.error(
                path,
                f"pattern {pattern!r}: '*' may only end a word (e.g. "
                "'negotiat*'), and a word cannot be only '*'.",
            )


def _check_ambiguous(frame: Frame, loc: _Locator, path: tuple) -> None:
    """Ambiguous entries need context cues (in their language) and must not also be plain
    terms or phrases of the frame."""
    for lang, pats in frame.ambiguous.items():
        if not frame.context.get(lang):
            raise loc.error(
                (*path, "ambiguous"),
                f"frame {frame.id!r} has ambiguous entries for language {lang!r} but no "
                f"context cues for it: ambiguous entries count only when a context cue occurs "
                f"in the same paragraph. Add e.g. 'context: {{{lang}: [war, ceasefire]}}', or "
                "move the entries to terms/phrases.",
            )
        plain = {
            " ".join(p.lower().split())
            for m in (frame.terms, frame.phrases)
            for p in m.get(lang, ())
        }
        both = [p for p in pats if " ".join(p.lower().split()) in plain]
        if both:
            raise loc.error(
                (*path, "ambiguous"),
                f"frame {frame.id!r}: {both!r} listed both as ambiguous and as a term/phrase "
                f"({lang}); keep each pattern in one list.",
            )
    _warn_self_cued(frame, loc)
    unused = sorted(set(frame.context) - set(frame.ambiguous))
    if unused:
        warnings.warn(
            f"{loc.source}: frame {frame.id!r} has context cues for {', '.join(unused)} but no "
            "ambiguous entries in that language, so they have no effect.",
            CodebookWarning,
            stacklevel=5,
        )


def _covers(cue: list[str], run: list[str]) -> bool:
    """Cue keys (no gaps) match a contiguous part of ``run`` (entry keys, no gaps) whatever
    text the run matches: a plain cue word equals the entry word; a glob ``c*`` covers an
    entry word (plain or glob) whose literal prefix starts with ``c``."""

    def word(c: str, e: str) -> bool:
        if c.endswith("*"):
            return e.rstrip("*").startswith(c[:-1])
        return c == e

    n = len(cue)
    return any(
        all(word(c, e) for c, e in zip(cue, run[i : i + n], strict=True))
        for i in range(len(run) - n + 1)
    )


@functools.lru_cache(maxsize=8192)
def _keys(pattern: str) -> tuple[tuple[str, ...], ...]:
    """Token-key variants of a pattern, as the matching engine's tries split it."""
    from framelab._patterns import _pattern_keys

    return tuple(tuple(v) for v in _pattern_keys(pattern))


def _self_cue(entry: str, cues: list[str]) -> str | None:
    """The first context cue that every text ``entry`` can match contains, or None.

    Every token-key variant of the entry (hyphen/space/joined forms; gaps ``~k`` split it into
    runs) must hold a variant of the cue in one run; the one-token spelling of a multi-word
    entry ("lack-of-troops" for ``lack of troops``) is left out, as the check is on the entry's
    words. ``lemma:`` cues cover only the same ``lemma:`` entry; cues with gaps are skipped
    (when unsure, no warning).

    Examples
    --------
    >>> _self_cue("lack of troops", ["troops", "stalemate"])
    'troops'
    >>> _self_cue("вступ* ~3 ЄС", ["ЄС"]), _self_cue("финансировани*", ["финансирования"])
    ('ЄС', None)
    """
    from framelab._patterns import _GAP_RE
    from framelab.lemmas import LEMMA_PREFIX

    def norm(p: str) -> str:
        return " ".join(p.lower().split())

    if entry.startswith(LEMMA_PREFIX):
        return next((c for c in cues if norm(c) == norm(entry)), None)
    runs_of = []
    variants = _keys(entry)
    for keys in variants:
        if len(keys) == 1 and len(variants[0]) > 1:
            continue  # the one-token spelling of a multi-word entry ("lack-of-troops")
        runs, run = [], []
        for k in keys:
            if k.startswith("~") and k[1:].isdigit():
                runs.append(run)
                run = []
            else:
                run.append(k)
        runs_of.append([*runs, run])
    for cue in cues:
        if cue.startswith(LEMMA_PREFIX) or _GAP_RE.search(cue):
            continue
        variants = _keys(cue)
        if all(any(_covers(v, r) for v in variants for r in runs) for runs in runs_of):
            return cue
    return None


def _warn_self_cued(frame: Frame, loc: _Locator) -> None:
    """Warn about ambiguous entries that always contain one of their frame's context cues: a
    cue inside the hit satisfies the context rule, so they always count (issue 21)."""
    for lang, pats in frame.ambiguous.items():
        cues = list(frame.context.get(lang, ()))
        found = [(p, c) for p in pats if (c := _self_cue(p, cues)) is not None]
        if found:
            listed = ", ".join(f"{p!r} (cue {c!r})" for p, c in found)
            warnings.warn(
                f"{loc.source}: frame {frame.id!r} ({lang}): ambiguous entries {listed} contain "
                "one of the frame's own context cues, so they always count (a cue inside the hit "
                "satisfies the context rule). List them as phrases/terms, or drop the cue from "
                "`context`.",
                CodebookWarning,
                stacklevel=6,
            )


def _warn_duplicates(frames: Mapping[str, Frame], loc: _Locator) -> None:
    seen: dict[tuple[str, str], str] = {}
    dups = []
    for fid, f in frames.items():
        for mapping in (f.terms, f.phrases, f.ambiguous):
            for lang, pats in mapping.items():
                for p in pats:
                    key = (lang, " ".join(p.lower().split()))
                    if key in seen and seen[key] != fid:
                        dups.append(f"{p!r} ({seen[key]}, {fid})")
                    seen.setdefault(key, fid)
    if dups:
        warnings.warn(
            f"{loc.source}: {len(dups)} pattern(s) appear in more than one frame: "
            f"{', '.join(dups[:8])}{' ...' if len(dups) > 8 else ''}. A hit on them counts for "
            "every frame listing them; remove the duplicates if that is not intended.",
            CodebookWarning,
            stacklevel=4,
        )
