"""Rejecting codebook regexes that could backtrack catastrophically (private)."""

from __future__ import annotations

import re

__all__ = ["check_regex"]


def _optional_overlap(body, first_chars) -> bool:
    """A branch with an empty alternative whose other alternatives start like the body itself
    (``(?:a|aa)+`` is parsed as ``(?:a(?:|a))+``)."""
    import re._parser as sre_parse

    start = first_chars(body)
    for op, av in body:
        if op == sre_parse.SUBPATTERN:
            inner = av[-1]
            if len(inner) == 1 and inner[0][0] == sre_parse.BRANCH:
                op, av = inner[0]
        if op == sre_parse.BRANCH and any(not b for b in av[1]):
            for branch in av[1]:
                if branch:
                    fc = first_chars(branch)
                    if fc is None or start is None or fc & start:
                        return True
    return False


_NESTED_HINT = (
    "a repeated group contains another unbounded repeat, which can backtrack "
    "exponentially on text that almost matches"
)


def check_regex(pattern: str) -> str | None:
    """Return why ``pattern`` could backtrack catastrophically, or ``None`` if it looks safe.

    Rejected: an unbounded repeat (``*``, ``+``, ``{n,}``) around a group that itself contains an
    unbounded repeat (``(a+)+``, ``(\\w+\\s?)*``), and repeated alternations whose branches can
    match the same text (``(a|a)*``, ``(\\w|\\d)+``).

    Examples
    --------
    >>> check_regex(r"\\bfreez\\w*\\s+(?:the\\s+)?front") is None
    True
    >>> check_regex(r"(\\w+\\s?)+$")[:17]
    'nested quantifier'
    """
    try:
        import re._parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover
        import sre_parse  # type: ignore[no-redef]
    try:
        parsed = sre_parse.parse(pattern)
    except re.error as exc:
        return f"not a valid regular expression ({exc})"
    const = sre_parse
    unbounded = const.MAXREPEAT

    def has_unbounded(items) -> bool:
        for op, av in items:
            if op in (
                const.MAX_REPEAT,
                const.MIN_REPEAT,
                getattr(const, "POSSESSIVE_REPEAT", None),
            ):
                if av[1] == unbounded or has_unbounded(av[2]):
                    return True
            elif op == const.SUBPATTERN and has_unbounded(av[-1]):
                return True
            elif op == const.BRANCH and any(has_unbounded(b) for b in av[1]):
                return True
        return False

    def first_chars(items) -> set | None:
        """Rough set of what a branch can start with (None = anything)."""
        for op, av in items:
            if op == const.LITERAL:
                return {chr(av).lower()}
            if op == const.IN:
                return None
            if op == const.SUBPATTERN:
                return first_chars(av[-1])
            return None
        return set()

    def walk(items) -> str | None:
        for op, av in items:
            if op in (const.MAX_REPEAT, const.MIN_REPEAT):
                lo, hi, body = av
                if hi == unbounded or hi > 10:
                    if has_unbounded(body):
                        return f"nested quantifier: {_NESTED_HINT}"
                    for bop, bav in body:
                        if bop == const.SUBPATTERN:
                            bop, bav = bav[-1][0] if len(bav[-1]) == 1 else (None, None)
                        if bop == const.BRANCH:
                            starts = [first_chars(b) for b in bav[1]]
                            known = [s for s in starts if s is not None]
                            if len(known) < len(starts) or any(
                                a & b for i, a in enumerate(known) for b in known[i + 1 :]
                            ):
                                return (
                                    "overlapping alternation under a repeat: its branches "
                                    "can match the same text, so a failed match retries "
                                    "every split"
                                )
                    if _optional_overlap(body, first_chars):
                        return (
                            "ambiguous repetition: an alternative inside the repeated group "
                            "can be empty or start the next repetition, so the text can be "
                            "split in exponentially many ways"
                        )
                found = walk(body)
                if found:
                    return found
            elif op == const.SUBPATTERN:
                found = walk(av[-1])
                if found:
                    return found
            elif op == const.BRANCH:
                for b in av[1]:
                    found = walk(b)
                    if found:
                        return found
        return None

    return walk(parsed)
