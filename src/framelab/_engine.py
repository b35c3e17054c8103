"""The matching engine behind :func:`framelab.coding.code_frames` (private).

A codebook is compiled per language into token tries (hits, exclusions, context cues, negation
cues, scope cues) plus regexes with their literal start prefixes, and the chunks of a corpus
vocabulary are classified against them (:func:`_classify`); documents are tokenised into chunks
(leading whitespace + token, so offsets come from their lengths) by :func:`_tokens`. The
matching itself runs vectorised over token ids in :mod:`framelab._match_vec`. See the
:mod:`framelab.coding` docstring for the matching rules.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np

from framelab._codebook_rules import frame_scope_cues, frame_scope_level, frame_scope_rivals
from framelab._patterns import (  # noqa: F401  (re-exported for the matching core and tests)
    _CHUNK_RE,
    _GAP_RE,
    _NORM,
    _gapped_keys,
    _key,
    _pattern_keys,
)
from framelab.codebook import Codebook
from framelab.lemmas import LEMMA_PREFIX
from framelab.text import unit_spans

_SENT_END = frozenset({".", "!", "?", "…", ";"})
#: tokens that end a clause for the negation rule (issue 20): a cue never negates a hit across
#: them ("Not ceasefire: Russian negotiator says ..."); a line break also ends a clause
_CLAUSE_END = _SENT_END | frozenset({":", "|", "\u2014", "\u2013", "-"})
#: seconds the regexes of a codebook may run on one document before coding stops with an error
#: (catastrophic backtracking the pattern check did not catch); enforced in the main thread
REGEX_SECONDS = 10.0


class RegexTimeout(Exception):
    """A codebook regex ran longer than :data:`REGEX_SECONDS` on one document."""

    def __init__(self, frame: str, pattern: str):
        super().__init__(frame, pattern)
        self.frame, self.pattern = frame, pattern


#: context rule in a document WITHOUT paragraph breaks (scraped text): an ambiguous hit needs a
#: context cue starting at most this many tokens before or after it (not anywhere in the text)
CONTEXT_WINDOW = 40


# ===================================================================== compilation


class _Node:
    __slots__ = ("children", "globs", "glob_lens", "payload", "gaps")

    def __init__(self):
        self.children: dict[str, _Node] = {}
        self.globs: dict[str, _Node] = {}
        self.gaps: dict[int, _Node] = {}  # "~k": the next word may come up to k tokens later
        self.glob_lens: tuple[int, ...] = ()
        self.payload: list[tuple[str, str, int]] = []  # (frame, pattern as written, rank)


def _gap_len(keys: Sequence[str]) -> int:
    """Longest token span of a key sequence (a gap ``~k`` adds up to k tokens)."""
    return sum(int(k[1:]) if k.startswith("~") and k[1:].isdigit() else 1 for k in keys)


class _Trie:
    """Token trie with trailing-``*`` globs; finds all matches starting at given positions."""

    def __init__(self):
        self.root = _Node()
        self.size = 0
        self.max_len = 0  # longest entry, in tokens
        self.lemmas: dict[str, _Node] = {}  # "lemma:уступить" entries (one token each)

    def add(self, pattern: str, frame: str, rank: int = 0) -> None:
        if pattern.startswith(LEMMA_PREFIX):
            node = self.lemmas.setdefault(pattern[len(LEMMA_PREFIX) :].strip().lower(), _Node())
            if not any(p[0] == frame and p[1] == pattern for p in node.payload):
                node.payload.append((frame, pattern, rank))
            self.size += 1
            self.max_len = max(self.max_len, 1)
            return
        for keys in _pattern_keys(pattern):
            node = self.root
            for k in keys:
                if k.startswith("~") and k[1:].isdigit():
                    node = node.gaps.setdefault(int(k[1:]), _Node())
                elif k.endswith("*"):
                    node = node.globs.setdefault(k[:-1], _Node())
                else:
                    node = node.children.setdefault(k, _Node())
            if not any(p[0] == frame and p[1] == pattern for p in node.payload):
                node.payload.append((frame, pattern, rank))
            self.size += 1
            self.max_len = max(self.max_len, _gap_len(keys))

    def finalize(self) -> None:
        stack = [self.root]
        while stack:
            node = stack.pop()
            node.glob_lens = tuple(sorted({len(g) for g in node.globs}))
            stack.extend(node.children.values())
            stack.extend(node.globs.values())
            stack.extend(node.gaps.values())

    def first(self, key: str, lemmas: Sequence[str] = ()) -> tuple[_Node, ...]:
        """Nodes reached from the root by one token key (exact child, matching globs, and the
        ``lemma:`` entries of the token's lemmas)."""
        out = [self.lemmas[lm] for lm in lemmas if lm in self.lemmas]
        child = self.root.children.get(key)
        if child is not None:
            out.append(child)
        for length in self.root.glob_lens:
            if len(key) >= length:
                g = self.root.globs.get(key[:length])
                if g is not None:
                    out.append(g)
        return tuple(out)


@dataclass
class _Compiled:
    """A codebook compiled for one language."""

    hits: _Trie
    exclude: _Trie
    cues: _Trie
    context: _Trie
    regexes: list[tuple[str, str, re.Pattern, int]]
    frames: tuple[str, ...]
    exclude_window: dict[str, int]
    #: chunk -> (trie nodes its token reaches from the root of the hit, exclusion and cue
    #: tries, and (regex index, offset in the token) where a regex could start)
    memo: dict[str, tuple] = field(default_factory=dict)
    start_chunks: set[str] = field(default_factory=set)
    #: chunks whose token can start an exclusion, a negation cue, a context cue
    exclude_chunks: set[str] = field(default_factory=set)
    cue_chunks: set[str] = field(default_factory=set)
    context_chunks: set[str] = field(default_factory=set)
    #: the union of the above and ``start_chunks``: tokens worth a look
    marked_chunks: set[str] = field(default_factory=set)
    #: per regex: the literal word prefixes every match starts with (None = unknown: the regex
    #: then runs over the whole text)
    regex_prefixes: list[tuple[str, ...] | None] = field(default_factory=list)
    frames_with_exclusions: frozenset[str] = frozenset()
    #: (frame, pattern) of the ``ambiguous`` entries: they count only near a context cue
    ambiguous: frozenset[tuple[str, str]] = frozenset()
    #: token key -> its lemmas among the ``lemma:`` entries (None: the codebook has none)
    lemmatize: Callable[[str], tuple[str, ...]] | None = None
    #: scope rule: cue trie (payload frame = scope label), frame -> label, frame -> level
    #: (``document``, ``paragraph`` or ``sentence``; frames sharing a label may differ)
    scope: _Trie | None = None
    scope_label: dict[str, str] = field(default_factory=dict)
    #: frame -> label of its rival cues (``without``) in the same trie
    scope_rival: dict[str, str] = field(default_factory=dict)
    scope_level: dict[str, str] = field(default_factory=dict)
    scope_memo: dict[str, tuple] = field(default_factory=dict)
    #: joined-variant rule: pattern -> (written with spaces, written with a capital)
    multipart: dict[str, tuple[bool, bool]] = field(default_factory=dict)
    #: negation blockers as token-key lists ("..." = a gap of 0-3 tokens)
    blockers: tuple[tuple[str, ...], ...] = ()

    @property
    def full_text_regexes(self) -> bool:
        return any(p is None for p in self.regex_prefixes)


def _compile(codebook: Codebook, language: str) -> _Compiled:
    hits, excl, cues, context = _Trie(), _Trie(), _Trie(), _Trie()
    regexes = []
    ambiguous = set()
    rank = 0
    for fid, frame in codebook.frames.items():
        weak = frame.ambiguous.get(language, ())
        for pat in (*frame.terms.get(language, ()), *frame.phrases.get(language, ()), *weak):
            hits.add(pat, fid, rank)
            rank += 1
        ambiguous.update((fid, pat) for pat in weak)
        for pat in frame.exclude.get(language, ()):
            excl.add(pat, fid)
        for pat in frame.context.get(language, ()):
            context.add(pat, fid)
        for rx in frame.regex_for(language):  # every language's, then this language's
            regexes.append((fid, rx, re.compile(rx, re.IGNORECASE), rank))
            rank += 1
    for cue in codebook.negation.cues.get(language, ()):
        cues.add(cue, "__neg__")
    for trie in (hits, excl, cues, context):
        trie.finalize()
    lemma_set = {lm for trie in (hits, excl, cues, context) for lm in trie.lemmas}
    prefixes = [_regex_prefixes(rx) for _, rx, _, _ in regexes]
    compiled = _Compiled(
        regex_prefixes=prefixes,
        hits=hits,
        exclude=excl,
        cues=cues,
        context=context,
        regexes=regexes,
        frames=tuple(codebook.frames),
        exclude_window={f: fr.exclude_window for f, fr in codebook.frames.items()},
        frames_with_exclusions=frozenset(
            f for f, fr in codebook.frames.items() if fr.exclude.get(language)
        ),
        ambiguous=frozenset(ambiguous),
    )
    if lemma_set:
        from framelab.lemmas import lemmatizer

        compiled.lemmatize = lemmatizer(language, lemma_set)
    _compile_real_news_rules(compiled, codebook, language)
    return compiled


def _words(pattern: str) -> list[str]:
    """Token keys of a pattern written in a codebook (globs re-attached)."""
    return _pattern_keys(pattern)[0]


def _compile_real_news_rules(comp: _Compiled, codebook: Codebook, language: str) -> None:
    """Scope cues and rival cues (``without``, labels ``__without__`` / ``~frame``; issue 21),
    the joined-variant rule and negation blockers (issue 20)."""
    scope = _Trie()
    for cue in codebook.scope.cues.get(language, ()):
        scope.add(cue, "__scope__")
    for cue in codebook.scope.without.get(language, ()):
        scope.add(cue, "__without__")
    for fid, frame in codebook.frames.items():
        cues = frame_scope_cues(codebook, frame, language)
        rivals = frame_scope_rivals(codebook, frame, language)
        if cues or rivals:
            comp.scope_level[fid] = frame_scope_level(codebook, frame, language)
        if rivals:
            own = frame.scope_without is not None
            comp.scope_rival[fid] = f"~{fid}" if own else "__without__"
            for cue in rivals if own else ():
                scope.add(cue, f"~{fid}")
        if not cues:
            continue
        if frame.scope is None:
            comp.scope_label[fid] = "__scope__"
            continue
        comp.scope_label[fid] = fid
        for cue in cues:
            scope.add(cue, fid)
    scope.finalize()
    comp.scope = scope
    for frame in codebook.frames.values():
        for pats in (frame.terms, frame.phrases, frame.ambiguous):
            for pat in pats.get(language, ()):
                parts = [w for w in re.split(r"[\s\-\u2010\u2011]+", pat) if w]
                if len(parts) > 1:
                    comp.multipart[pat] = (len(pat.split()) > 1, pat != pat.lower())
    blockers = []
    for b in codebook.negation.blockers.get(language, ()):
        seq: list[str] = []
        for word in b.split():
            seq.extend(["..."] if word == "..." else _words(word))
        blockers.append(tuple(seq))
    comp.blockers = tuple(blockers)


# ===================================================================== one document


def _chunks(text: str) -> list[str]:
    """Chunks (leading whitespace + token, lower-cased) of ``text``; they tile it up to its
    trailing whitespace."""
    low = text.lower()
    if low.isascii():  # (an O(1) check) of the _NORM characters only '`' is ASCII
        return _CHUNK_RE.findall(low.replace("`", "'") if "`" in low else low)
    if len(low) != len(text):  # rare: lower-casing changed the length (e.g. 'İ')
        low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return _CHUNK_RE.findall(low.translate(_NORM))


def _tokens(text: str) -> tuple[list[str], list[int]]:
    """Chunks (see :func:`_chunks`) and their end offsets in ``text``."""
    chunks = _chunks(text)
    return chunks, list(accumulate(map(len, chunks)))


def _regex_prefixes(pattern: str) -> tuple[str, ...] | None:
    """Literal word prefixes that every match of ``pattern`` must start with, if knowable.

    Only patterns that start with ``\\b`` followed by word-character literals (or a group of
    alternatives that each start so) qualify: ``\\bfreez\\w*`` -> ("freez",),
    ``\\b(?:rifts?|feud)`` -> ("rift", "feud"). Anything else returns None (always run).

    Examples
    --------
    >>> _regex_prefixes(r"\\b(?:rifts?|tensions?|feud)\\s+between")
    ('rift', 'tension', 'feud')
    >>> _regex_prefixes(r"(?<!\\w)truce") is None
    True
    """
    import re._parser as sre_parse

    try:
        items = list(sre_parse.parse(pattern))
    except re.error:
        return None
    if not items or items[0] != (sre_parse.AT, sre_parse.AT_BOUNDARY):
        return None

    def lead(seq) -> list[str] | None:
        prefix = ""
        for op, av in seq:
            if op == sre_parse.LITERAL and (ch := chr(av)).isalnum():
                prefix += ch.lower()
                continue
            if not prefix:
                if op == sre_parse.SUBPATTERN:
                    return lead(av[-1])
                if op == sre_parse.BRANCH:
                    out = []
                    for branch in av[1]:
                        got = lead(branch)
                        if not got:
                            return None
                        out.extend(got)
                    return out
                return None
            break
        return [prefix] if prefix else None

    got = lead(items[1:])
    return tuple(dict.fromkeys(got)) if got else None


_WORD_PART = re.compile(r"\w+")


def _classify(comp: _Compiled, distinct: set[str], cache: _ChunkCache) -> None:
    """Make sure every chunk in ``distinct`` has a key, a word flag and trie-start flags."""
    keys, words = cache.keys, cache.words
    for c in [c for c in distinct if c not in keys]:  # (set - dict_keys is O(len(dict)))
        tok = c.strip()
        keys[c] = _key(tok)
        words[c] = any(ch.isalnum() for ch in tok)
    memo = comp.memo
    lemmatize = comp.lemmatize
    for c in [c for c in distinct if c not in memo]:
        k = keys[c]
        lem = lemmatize(k) if lemmatize is not None else ()
        starts = ()
        if comp.regex_prefixes:
            tok = c.lstrip()
            starts = tuple(
                (r, m.start())
                for m in _WORD_PART.finditer(tok)
                for r, prefixes in enumerate(comp.regex_prefixes)
                if prefixes is not None and m.group().startswith(prefixes)
            )
        nodes = (
            comp.hits.first(k, lem),
            comp.exclude.first(k, lem),
            comp.cues.first(k, lem),
            starts,
            comp.context.first(k, lem),
        )
        memo[c] = nodes
        if nodes[0] or nodes[3]:
            comp.start_chunks.add(c)
        if nodes[1]:
            comp.exclude_chunks.add(c)
        if nodes[2]:
            comp.cue_chunks.add(c)
        if nodes[4]:
            comp.context_chunks.add(c)
        if nodes[0] or nodes[1] or nodes[2] or nodes[3] or nodes[4]:
            comp.marked_chunks.add(c)


@dataclass
class _ChunkCache:
    """Per-run caches over distinct chunks (corpora reuse a small vocabulary)."""

    keys: dict[str, str] = field(default_factory=dict)
    words: dict[str, bool] = field(default_factory=dict)


# ===================================================================== real-news rules (issue 20)

_OPENERS = frozenset({'"', "\u201c", "\u2018", "'", "(", "[", "\u00ab"})
_HYPHENS = ("-", "\u2010", "\u2011")
_DASHES = "-\u2010\u2011\u2013"


def _compound_tail(text: str, p: int) -> bool:
    """A match starting at character ``p`` is the tail of a hyphenated word (issue 20): the
    text before it is a letter or digit and a hyphen or en dash with at most one space on ONE
    side of the dash ("de-escalation" for a regex, "de–escalation", "de -escalation",
    "de- escalation"). Such a tail is no hit: the prefix changes its meaning. A spaced dash
    ("Kyiv - escalation") is not a compound. :mod:`framelab._match_vec` applies
    the same rule to every token of a block at once (character classes of the vocabulary).

    Examples
    --------
    >>> [_compound_tail(t, p) for t, p in [("de-escalation", 3), ("de -escalation", 4)]]
    [True, True]
    >>> [_compound_tail(t, p) for t, p in [("de- escalation", 4), ("Kyiv - war", 7)]]
    [True, False]
    """
    if p < 2:
        return False
    a, b = text[p - 1], text[p - 2]
    if a in _DASHES:  # "de-|escalation", "de -|escalation"
        return b.isalnum() or (b in " \t" and p >= 3 and text[p - 3].isalnum())
    return a in " \t\n" and b in _DASHES and p >= 3 and text[p - 3].isalnum()  # "de- |esc"


#: character classes of the compound-tail rule for the vectorised core (:mod:`framelab._match_vec`)
#: (0: no character, before a document's start)
_C_ALNUM, _C_DASH, _C_SPACE, _C_NEWLINE, _C_OTHER = 1, 2, 3, 4, 5


def _char_class(ch: str) -> int:
    """Class of one character as :func:`_compound_tail` tells them apart."""
    if ch.isalnum():
        return _C_ALNUM
    if ch in _DASHES:
        return _C_DASH
    return _C_SPACE if ch in " \t" else _C_NEWLINE if ch == "\n" else _C_OTHER


def _last_chars(vocab: Sequence[str], lens: np.ndarray, body: np.ndarray):
    """Classes of the last three characters of each chunk and of its leading whitespace (the
    chunk minus its ``body``), with their counts (at most 3). Only the characters needed are
    classified, each distinct one once."""
    n = len(vocab)
    if not n:
        empty = np.zeros((0, 3), np.int8)
        return empty, np.zeros(0, np.int64), empty, np.zeros(0, np.int64)
    cp = np.frombuffer("".join(vocab).encode("utf-32-le", "surrogatepass"), np.uint32)
    end = np.cumsum(lens)
    back = np.arange(1, 4)

    def positions(stop, length):
        have = back[None, :] <= length[:, None]
        return np.where(have, stop[:, None] - back[None, :], -1), np.minimum(length, 3)

    wl = lens - body
    tail_at, tail_len = positions(end, lens)
    ws_at, ws_len = positions(end - lens + wl, wl)
    at = np.concatenate([tail_at.ravel(), ws_at.ravel()])
    need = at >= 0
    chars, inverse = np.unique(cp[at[need]], return_inverse=True)
    classes = np.zeros(len(at), np.int8)
    table = np.fromiter(map(_char_class, map(chr, chars.tolist())), np.int8, len(chars))
    classes[need] = table[inverse.ravel()]
    classes = classes.reshape(2, n, 3)
    return classes[0], tail_len, classes[1], ws_len


def _join3(x: np.ndarray, y: np.ndarray, ly: np.ndarray) -> np.ndarray:
    """Classes of the last three characters of a string ``X + Y``, from those of ``X`` and of
    ``Y`` (``ly``: how many of ``Y``'s are known, at most 3)."""
    out = np.empty_like(x)
    rows = np.arange(len(x))
    for k in range(3):
        out[:, k] = np.where(ly > k, y[:, k], x[rows, np.clip(k - ly, 0, 2)])
    return out


def _compound_tail_classes(a, b, c):
    """:func:`_compound_tail` from the classes (:func:`_char_class`) of ``text[p-1]``,
    ``text[p-2]`` and ``text[p-3]`` (numpy arrays, one entry per match start).

    Examples
    --------
    >>> a, b, c = (np.array([_char_class(ch) for ch in s]) for s in ("-  ", "e--", "xe "))
    >>> _compound_tail_classes(a, b, c).tolist()  # "xe-|", "e- |", " - |"
    [True, True, False]
    """
    after_dash = (a == _C_DASH) & ((b == _C_ALNUM) | ((b == _C_SPACE) & (c == _C_ALNUM)))
    after_space = ((a == _C_SPACE) | (a == _C_NEWLINE)) & (b == _C_DASH) & (c == _C_ALNUM)
    return after_dash | after_space


# ===================================================================== units


#: The one unit splitter (with the one blank-text rule) lives in the text layer.
_units = unit_spans


def _token_bounds(ends: list[int], spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The token range ``[lo, hi)`` covering each character span ``[s, e)`` (``ends`` are the
    tokens' end offsets)."""
    n = len(ends)
    return [
        (bisect.bisect_right(ends, s), min(bisect.bisect_left(ends, e) + 1, n)) for s, e in spans
    ]


def _word_counts(
    chunks: list[str], words: dict[str, bool], bounds: list[tuple[int, int]]
) -> list[int]:
    """Word tokens (punctuation excluded) in each token range ``[lo, hi)``."""
    if len(bounds) == 1 and bounds[0] == (0, len(chunks)):
        return [sum(map(words.__getitem__, chunks))]
    cum = [0, *accumulate(map(words.__getitem__, chunks))]
    return [cum[hi] - cum[lo] for lo, hi in bounds]
