"""Rejecting codebook regexes that could backtrack catastrophically (private)."""

from __future__ import annotations

import re

__all__ = ["check_regex", "regex_error"]


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


#: characters a single-character item is tested against to decide whether two items can match
#: the same character (plus every literal of the pattern)
_PROBES = "aAzZ09_ \t\n-.,;:!?'\"()/éßяЖ中"


def _charset(op, av, const, probes: str) -> frozenset | None:
    """The probe characters a single-character item matches, or None if not one character."""
    cats = {
        const.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",
        const.CATEGORY_NOT_WORD: lambda c: not (c.isalnum() or c == "_"),
        const.CATEGORY_DIGIT: str.isdigit,
        const.CATEGORY_NOT_DIGIT: lambda c: not c.isdigit(),
        const.CATEGORY_SPACE: str.isspace,
        const.CATEGORY_NOT_SPACE: lambda c: not c.isspace(),
    }

    def one(iop, iav, c) -> bool:
        if iop == const.LITERAL:
            return c.lower() == chr(iav).lower()
        if iop == const.RANGE:
            # ("ß".upper() is "SS": a case form of two characters is in no range)
            return any(len(v) == 1 and iav[0] <= ord(v) <= iav[1] for v in (c.lower(), c.upper()))
        if iop == const.CATEGORY:
            return cats.get(iav, lambda _c: True)(c)
        return True  # anything unknown: assume it can overlap

    if op == const.LITERAL:
        return frozenset(c for c in probes if one(op, av, c))
    if op == const.NOT_LITERAL:
        return frozenset(c for c in probes if not one(const.LITERAL, av, c))
    if op == const.ANY:
        return frozenset(c for c in probes if c != "\n")
    if op == const.IN:
        negate = bool(av) and av[0][0] == const.NEGATE
        items = av[1:] if negate else av
        hit = frozenset(c for c in probes if any(one(i, a, c) for i, a in items))
        return frozenset(probes) - hit if negate else hit
    return None


_NESTED_HINT = (
    "a repeated group contains another unbounded repeat, which can backtrack "
    "exponentially on text that almost matches"
)


def _flatten(items, const):
    """Every (op, av) of a parsed pattern, at any depth."""
    for op, av in items:
        yield op, av
        if op in (const.MAX_REPEAT, const.MIN_REPEAT):
            yield from _flatten(av[2], const)
        elif op == const.SUBPATTERN:
            yield from _flatten(av[-1], const)
        elif op == const.BRANCH:
            for b in av[1]:
                yield from _flatten(b, const)


def regex_error(pattern: object) -> str | None:
    """The message for a codebook regex that is refused, or None when it is accepted.

    The one gate every codebook regex passes (YAML ``regex:``, ``add: {regex: ...}`` blocks of
    an extending codebook, and :class:`~framelab.codebook.Frame` built in Python).

    Examples
    --------
    >>> regex_error(r"\\btalks?\\s+with") is None
    True
    >>> regex_error("(x")[:40]
    "regex '(x' rejected: not a valid regular"
    """
    problem = check_regex(pattern) if isinstance(pattern, str) else "not a string"
    if problem is None:
        return None
    return (
        f"regex {pattern!r} rejected: {problem}. Rewrite it (e.g. bound the repeat, or list "
        "the words as phrases instead)."
    )


def check_regex(pattern: str) -> str | None:
    """Return why ``pattern`` could backtrack catastrophically, or ``None`` if it looks safe.

    Rejected: an unbounded repeat (``*``, ``+``, ``{n,}``) around a group that itself contains an
    unbounded repeat (``(a+)+``, ``(\\w+\\s?)*``); a repeat of 2 to 10 around a group whose
    unbounded repeat can also match what follows it (``(.*a){10}``); three or more unbounded
    repeats in a row over overlapping characters (``\\w*\\w*\\w*x``); and repeated
    alternations whose branches can match the same text (``(a|a)*``, ``(\\w|\\d)+``).

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

    probes = _PROBES + "".join(
        sorted({chr(av) for op, av in _flatten(parsed, const) if op == const.LITERAL})
    )

    def single(op, av):
        """(char set, unbounded, optional) of a repeat of one character, or a bare one."""
        if op in (const.MAX_REPEAT, const.MIN_REPEAT) and len(av[2]) == 1:
            chars = _charset(*av[2][0], const, probes)
            return (chars, av[1] == unbounded, av[0] == 0) if chars is not None else None
        chars = _charset(op, av, const, probes)
        return (chars, False, False) if chars is not None else None

    def chained(items) -> bool:
        """Three or more unbounded repeats in a row that can match the same characters
        (``\\w*\\w*\\w*``): a failed match tries every split of the text between them."""
        chain: list[frozenset] = []
        for op, av in items:
            if op == const.AT:
                continue
            info = single(op, av)
            if info is None:
                chain = []
                continue
            chars, is_unbounded, optional = info
            if is_unbounded:
                chain = [*chain, chars] if chain and chars & chain[-1] else [chars]
                if len(chain) >= 3:
                    return True
            elif not optional and not (chain and chars & chain[-1]):
                chain = []
        return False

    def ambiguous_split(body) -> bool:
        """A bounded repeat ``(...){2,k}`` whose body holds an unbounded repeat that can also
        match what follows it in the body (``(.*a){10}``), or the next repetition's start:
        the text can be split between repetitions in ~n^k ways."""
        while len(body) == 1 and body[0][0] == const.SUBPATTERN:
            body = body[0][1][-1]
        atoms = [single(op, av) for op, av in body if op != const.AT]
        if any(a is None for a in atoms):
            return has_unbounded(body) and any(
                op in (const.MAX_REPEAT, const.MIN_REPEAT) and av[1] == unbounded for op, av in body
            )
        for i, (chars, is_unbounded, _opt) in enumerate(atoms):
            if not is_unbounded:
                continue
            others = [a for j, a in enumerate(atoms) if j != i]
            if all(a[2] for a in others) or any(chars & a[0] for a in others):
                return True
        return False

    def walk(items) -> str | None:
        if chained(items):
            return (
                "chained repeats: several unbounded repeats in a row can match the same "
                "characters, so a failed match tries every way of splitting the text"
            )
        for op, av in items:
            if op in (const.MAX_REPEAT, const.MIN_REPEAT):
                lo, hi, body = av
                if hi != unbounded and 2 <= hi <= 10 and ambiguous_split(body):
                    return (
                        f"nested quantifier: the group is repeated up to {hi} times around an "
                        "unbounded repeat that can also match what follows it, so a failed "
                        "match tries every split between the repetitions"
                    )
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
