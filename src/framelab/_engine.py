"""The matching engine behind :func:`framelab.coding.code_frames` (private).

A codebook is compiled per language into token tries (hits, exclusions, context cues, negation
cues) plus regexes with their literal start prefixes; each document is tokenised once into chunks
(leading whitespace + token, so offsets come from their lengths) and scanned once. See the
:mod:`framelab.coding` docstring for the matching rules.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from framelab._codebook_rules import frame_scope_cues
from framelab.codebook import Codebook
from framelab.lemmas import LEMMA_PREFIX
from framelab.text import TOKEN_PATTERN, paragraph_spans, unit_spans

# Each chunk = leading whitespace + one token, so chunks tile the text and their lengths give
# character offsets without a second pass.
_CHUNK_RE = re.compile(rf"\s*(?:{TOKEN_PATTERN})")
_NORM = str.maketrans(
    {
        "\u2019": "'",
        "\u02bc": "'",
        "\u2018": "'",
        "`": "'",
        "\u00b4": "'",
        "\u2010": "-",
        "\u2011": "-",
    }
)
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


@contextlib.contextmanager
def _time_limit(seconds: float, current: list):
    """Raise :class:`RegexTimeout` for the regex in ``current`` after ``seconds`` (SIGALRM: only
    in the main thread of a POSIX process, and only if no other timer is running)."""
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    if not usable:
        yield
        return

    def stop(_signum, _frame):
        raise RegexTimeout(*current)

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


#: context rule in a document WITHOUT paragraph breaks (scraped text): an ambiguous hit needs a
#: context cue starting at most this many tokens before or after it (not anywhere in the text)
CONTEXT_WINDOW = 40


def _key(token: str) -> str:
    """Matching key of a (lower-cased, apostrophe-normalised) token."""
    return token.replace("-", "") if "-" in token else token


# ===================================================================== compilation


class _Node:
    __slots__ = ("children", "globs", "glob_lens", "payload", "gaps")

    def __init__(self):
        self.children: dict[str, _Node] = {}
        self.globs: dict[str, _Node] = {}
        self.gaps: dict[int, _Node] = {}  # "~k": the next word may come up to k tokens later
        self.glob_lens: tuple[int, ...] = ()
        self.payload: list[tuple[str, str, int]] = []  # (frame, pattern as written, rank)


def _pattern_keys(pattern: str) -> list[list[str]]:
    """Token-key sequences an entry matches (hyphen/space variants included).

    ``cease-fire`` -> [["ceasefire"], ["cease", "fire"]]; ``cease fire`` -> [["cease", "fire"],
    ["ceasefire"]].
    """
    if _GAP_RE.search(pattern):
        return _gapped_keys(pattern)
    norm = pattern.lower().translate(_NORM)
    words = [m.group().strip() for m in _CHUNK_RE.finditer(norm)]
    words = [w for w in words if w]
    # re-attach globs that the tokenizer split off ("negotiat*" -> "negotiat", "*")
    merged: list[str] = []
    for w in words:
        if w == "*" and merged:
            merged[-1] += "*"
        else:
            merged.append(w)
    variants = [[_key(w) for w in merged]]
    split = [part for w in merged for part in w.split("-") if part]
    if len(split) > len(merged):
        variants.append(split)
    if 1 < len(merged) <= 3 and not any(w.endswith("*") for w in merged[:-1]):
        variants.append(["".join(_key(w) for w in merged)])
    out, seen = [], set()
    for v in variants:
        t = tuple(v)
        if t not in seen:
            seen.add(t)
            out.append(v)
    return out


_GAP_RE = re.compile(r"(?:^|\s)~(\d+)(?=\s|$)")


def _gapped_keys(pattern: str) -> list[list[str]]:
    """Keys of a phrase with gaps: ``"вступ* ~2 НАТО"`` -> [["вступ*", "~2", "нато"]] (each
    part between gaps keeps its hyphen/space variants; no joined variant across a gap)."""
    parts = _GAP_RE.split(pattern)  # words, k, words, k, ...
    out: list[list[str]] = [[]]
    for n, part in enumerate(parts):
        if n % 2:
            out = [v + [f"~{int(part)}"] for v in out]
        else:
            out = [v + w for v in out for w in _pattern_keys(part.strip())]
    return out


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

    @staticmethod
    def continue_from(
        nodes: Sequence[_Node], chunks: Sequence[str], i: int, keys: dict[str, str]
    ) -> list[tuple[int, str, str, int]]:
        """Matches that start at token ``i``, given the nodes its token reached:
        (end token index, frame, pattern, rank).

        ``keys`` maps each chunk to its matching key; a phrase never continues into a chunk
        that starts a new paragraph. A gap ``~k`` skips up to k tokens, none of them
        sentence-ending punctuation.
        """
        found = [(i + 1, fr, pat, rank) for node in nodes for fr, pat, rank in node.payload]
        frontier = [st for node in nodes for st in _states(node)]
        n = len(chunks)
        j = i + 1
        while frontier and j < n:
            chunk = chunks[j]
            if "\n\n" in chunk:
                break
            key = keys[chunk]
            nxt_frontier = []
            kept = []  # gap states that skip this token
            for node, budget in frontier:
                if budget and key not in _SENT_END:
                    kept.append((node, budget - 1))
                child = node.children.get(key)
                if child is not None:
                    nxt_frontier.append(child)
                for length in node.glob_lens:
                    if len(key) >= length:
                        g = node.globs.get(key[:length])
                        if g is not None:
                            nxt_frontier.append(g)
            j += 1
            frontier = kept
            for node in nxt_frontier:
                if node.payload:
                    found.extend((j, fr, pat, rank) for fr, pat, rank in node.payload)
                frontier.extend(_states(node))
        return found


def _states(node: _Node) -> list[tuple[_Node, int]]:
    """Walk states after reaching ``node``: itself (if a word can follow), and one state per
    gap (the node after the gap, with its budget of tokens to skip)."""
    out = [(node, 0)] if node.children or node.globs else []
    out.extend((g, k) for k, g in node.gaps.items())
    return out


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
    #: scope rule: cue trie (payload frame = scope label), frame -> label, level
    scope: _Trie | None = None
    scope_label: dict[str, str] = field(default_factory=dict)
    scope_level: str = "document"
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
        for rx in frame.regex:
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
    """Scope cues, the joined-variant rule and negation blockers (issue 20)."""
    scope = _Trie()
    for cue in codebook.scope.cues.get(language, ()):
        scope.add(cue, "__scope__")
    for fid, frame in codebook.frames.items():
        cues = frame_scope_cues(codebook, frame, language)
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
    comp.scope_level = codebook.scope.level
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


def _tokens(text: str) -> tuple[list[str], list[int]]:
    """Chunks (leading whitespace + token, lower-cased) and their end offsets in ``text``."""
    low = text.lower()
    if len(low) != len(text):  # rare: lower-casing changed the length (e.g. 'İ')
        low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    chunks = _CHUNK_RE.findall(low.translate(_NORM))
    return chunks, list(accumulate(map(len, chunks)))


@dataclass
class _DocHits:
    starts: list[int] = field(default_factory=list)  # char start
    ends: list[int] = field(default_factory=list)  # char end
    frames: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    negated: list[bool] = field(default_factory=list)
    out_of_scope: list[bool] = field(default_factory=list)


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


def _walk(nodes: tuple[_Node, ...], chunks: list[str], i: int, keys: dict[str, str]):
    """Matches starting at token ``i`` from the root nodes its token reached; a cheap check of
    the next token avoids the general walk for the (common) one-node, no-continuation case."""
    if len(nodes) == 1:
        node = nodes[0]
        found = [(i + 1, fr, pat, rk) for fr, pat, rk in node.payload]
        if node.gaps:
            return _Trie.continue_from(nodes, chunks, i, keys)
        if not node.children and not node.globs:
            return found
        if not node.globs:
            j = i + 1
            if j >= len(chunks) or keys[chunks[j]] not in node.children:
                return found
    return _Trie.continue_from(nodes, chunks, i, keys)


def _scan(comp: _Compiled, chunks, marks, cand, keys, starts=None):
    """Hit-trie matches as token-index tuples, and the token positions where each prefixed
    regex could start: {regex index: [(token, offset)]}. ``marks`` are the positions of the
    tokens that start anything (hits, regexes, exclusions, cues), ``cand`` the hit starters;
    ``starts``, when given, the positions of ``cand`` tokens worth a walk (others cannot match)."""
    hit_m = []
    regex_starts: dict[int, list[tuple[int, int]]] = {}
    memo = comp.memo
    for i in starts if starts is not None else [i for i in marks if chunks[i] in cand]:
        hit_nodes, _excl, _cue, rx_starts, _ctx = memo[chunks[i]]
        for r, offset in rx_starts:
            regex_starts.setdefault(r, []).append((i, offset))
        if hit_nodes:
            hit_m.extend(
                (i, e, fr, pat, rk) for e, fr, pat, rk in _walk(hit_nodes, chunks, i, keys)
            )
    return hit_m, regex_starts


class _Local:
    """Exclusion, context and negation-cue matches, looked up only near hits (and cached)."""

    def __init__(
        self,
        comp: _Compiled,
        text: str,
        chunks: list[str],
        ends: list[int],
        keys: dict[str, str],
        marks: list[int],
    ):
        self.comp, self.text, self.chunks, self.ends, self.keys = comp, text, chunks, ends, keys
        self.marks = marks
        self._excl: dict[int, list[tuple[int, str]]] = {}
        self._cue: dict[int, list[int]] = {}
        self._excl_at: list[int] | None = None  # tokens where an exclusion may start
        self._neg_at: list[int] | None = None  # tokens where a negation cue may start
        self._paras: list[tuple[int, int]] | None = None  # token ranges of the paragraphs
        self._cue_at: list[int] = []  # tokens where a context cue may start
        self._context: dict[int, set[str]] = {}  # paragraph -> frames with a context cue
        self._windowed = False  # no paragraph breaks: cues count within CONTEXT_WINDOW tokens
        self._cue_frames: dict[int, set[str]] = {}  # cue start token -> frames
        self._scope: dict | None = None  # paragraph (-1: document) -> scope labels present

    def exclusions(self, i: int) -> list[tuple[int, str]]:
        got = self._excl.get(i)
        if got is None:
            nodes = self.comp.memo[self.chunks[i]][1]
            got = (
                [(e, fr) for e, fr, _, _ in _walk(nodes, self.chunks, i, self.keys)]
                if nodes
                else []
            )
            self._excl[i] = got
        return got

    def cue_ends(self, i: int) -> list[int]:
        got = self._cue.get(i)
        if got is None:
            nodes = self.comp.memo[self.chunks[i]][2]
            got = [m[0] for m in _walk(nodes, self.chunks, i, self.keys)] if nodes else []
            if got and self.comp.blockers:
                got = [
                    ce for ce in got if not _blocked(self.comp.blockers, self.chunks, self.keys, i)
                ]
            self._cue[i] = got
        return got

    def vetoed(self, t0: int, t1: int, frame: str) -> bool:
        """An exclusion of ``frame`` at most ``w`` tokens before or after the hit [t0, t1)."""
        w = self.comp.exclude_window[frame]
        lo = max(0, t0 - w - self.comp.exclude.max_len)
        hi = min(len(self.chunks), t1 + w + 1)
        if self._excl_at is None:
            starts, chunks = self.comp.exclude_chunks, self.chunks
            self._excl_at = [i for i in self.marks if chunks[i] in starts]
        at = self._excl_at
        for k in range(bisect.bisect_left(at, lo), bisect.bisect_left(at, hi)):
            for e1, fr in self.exclusions(at[k]):
                if fr == frame and e1 >= t0 - w:
                    return True
        return False

    def in_context(self, t0: int, frame: str) -> bool:
        """A context cue of ``frame`` starts in the paragraph of token ``t0``."""
        if self._paras is None:
            spans = paragraph_spans(self.text) or [(0, len(self.text))]
            self._paras = _token_bounds(self.ends, spans)
            starts, chunks = self.comp.context_chunks, self.chunks
            self._cue_at = [i for i in self.marks if chunks[i] in starts]
            self._windowed = len(spans) == 1
        if self._windowed:
            return self._near_cue(t0, frame)
        p = max(0, bisect.bisect_right(self._paras, (t0, len(self.chunks))) - 1)
        frames = self._context.get(p)
        if frames is None:
            lo, hi = self._paras[p]
            frames = set()
            cue_at, chunks, memo = self._cue_at, self.chunks, self.comp.memo
            for k in range(bisect.bisect_left(cue_at, lo), bisect.bisect_left(cue_at, hi)):
                i = cue_at[k]
                frames.update(fr for _, fr, _, _ in _walk(memo[chunks[i]][4], chunks, i, self.keys))
            self._context[p] = frames
        return frame in frames

    def _near_cue(self, t0: int, frame: str) -> bool:
        """A context cue of ``frame`` starts at most CONTEXT_WINDOW tokens from token ``t0``."""
        cue_at, chunks, memo = self._cue_at, self.chunks, self.comp.memo
        lo = bisect.bisect_left(cue_at, t0 - CONTEXT_WINDOW)
        for k in range(lo, bisect.bisect_right(cue_at, t0 + CONTEXT_WINDOW)):
            i = cue_at[k]
            frames = self._cue_frames.get(i)
            if frames is None:
                frames = {fr for _, fr, _, _ in _walk(memo[chunks[i]][4], chunks, i, self.keys)}
                self._cue_frames[i] = frames
            if frame in frames:
                return True
        return False

    def in_scope(self, t0: int, label: str) -> bool:
        """A scope cue of ``label`` occurs in the document (or the paragraph) of token ``t0``."""
        if self._scope is None:
            self._scope = _scope_cues_by_part(
                self.comp, self.text, self.chunks, self.ends, self.keys
            )
        if len(self._scope) == 1 and -1 in self._scope:  # document level
            return label in self._scope[-1]
        paras = self._scope["bounds"]
        p = max(0, bisect.bisect_right(paras, (t0, len(self.chunks))) - 1)
        return label in self._scope.get(p, ())

    def negated(self, t0: int, window: int) -> bool:
        """A cue ends at most ``window`` tokens before token ``t0``, in the same clause
        (:func:`_clause_break`)."""
        chunks = self.chunks
        lo = max(0, t0 - window - self.comp.cues.max_len)
        if self._neg_at is None:
            starts = self.comp.cue_chunks
            self._neg_at = [i for i in self.marks if chunks[i] in starts]
        at = self._neg_at
        for k in range(bisect.bisect_left(at, lo), bisect.bisect_left(at, t0)):
            for ce in self.cue_ends(at[k]):
                if t0 - window <= ce <= t0 and not _clause_break(chunks, ce, t0):
                    return True
        return False


def _regex_matches(
    comp: _Compiled,
    text: str,
    chunks: list[str],
    ends: list[int],
    regex_starts: dict[int, list[tuple[int, int]]],
):
    """Regex matches as (start char, end char, regex index), like ``finditer`` would find them.

    A prefixed regex is tried only where a word starts with one of its prefixes (left to right,
    skipping positions inside the previous match), which finds exactly what ``finditer`` finds.
    """
    current = ["", ""]  # (frame, pattern) being matched, for the time-limit error
    with _time_limit(REGEX_SECONDS, current):
        found = list(_regex_scan(comp, text, chunks, ends, regex_starts, current))
    yield from found


def _regex_scan(comp, text, chunks, ends, regex_starts, current):
    for r, (fid, rx, cre, _rk) in enumerate(comp.regexes):
        current[:] = [fid, rx]
        if comp.regex_prefixes[r] is None:
            for m in cre.finditer(text):
                if m.end() > m.start():
                    yield m.start(), m.end(), r
            continue
        last = 0
        for i, offset in regex_starts.get(r, ()):
            pos = ends[i] - len(chunks[i].lstrip()) + offset
            if pos < last:
                continue
            m = cre.match(text, pos)
            if m is not None and m.end() > m.start():
                last = m.end()
                yield m.start(), m.end(), r


def _code_document(
    comp: _Compiled, text: str, cache: _ChunkCache, window: int
) -> tuple[list[str], list[int], _DocHits]:
    chunks, ends = _tokens(text)
    distinct = set(chunks)
    _classify(comp, distinct, cache)
    cand = distinct & comp.start_chunks
    out = _DocHits()
    if not cand and not comp.full_text_regexes:
        return chunks, ends, out
    marked = distinct & comp.marked_chunks
    marks = [i for i, c in enumerate(chunks) if c in marked]
    return chunks, ends, _match_tokens(comp, text, chunks, ends, marks, cand, cache.keys, window)


def _match_tokens(comp, text, chunks, ends, marks, cand, keys, window, starts=None) -> _DocHits:
    """The hits of one tokenised document: ``marks`` = positions of the tokens that start
    anything, ``cand`` = chunks that start a hit (or a superset), ``starts`` see :func:`_scan`."""
    out = _DocHits()
    hit_m, regex_starts = _scan(comp, chunks, marks, cand, keys, starts)
    regex_hits = (
        _regex_matches(comp, text, chunks, ends, regex_starts)
        if comp.regexes and (regex_starts or comp.full_text_regexes)
        else ()
    )
    for start, end, r in regex_hits:
        if _compound_tail(text, start):
            continue
        fid, rx, _cre, rk = comp.regexes[r]
        ((t0, t1),) = _token_bounds(ends, [(start, end)])
        hit_m.append((t0, t1, fid, rx, rk))
    if comp.multipart:  # closed-up spellings of multi-word entries: only where allowed
        hit_m = [h for h in hit_m if h[1] - h[0] != 1 or _joined_ok(comp, text, chunks, ends, h)]
    hit_m = [h for h in hit_m if not _compound_tail(text, ends[h[0]] - len(chunks[h[0]].lstrip()))]
    if not hit_m:
        return out
    # per frame: leftmost-longest, non-overlapping
    hit_m.sort(key=lambda h: (h[0], -h[1], h[4]))
    free: dict[str, int] = {}
    local = _Local(comp, text, chunks, ends, keys, marks)
    has_excl = comp.frames_with_exclusions
    ambiguous = comp.ambiguous
    check_cues = comp.cues.size > 0
    for t0, t1, fr, pat, _rank in hit_m:
        if t0 < free.get(fr, 0):
            continue
        free[fr] = t1
        if fr in has_excl and local.vetoed(t0, t1, fr):
            continue
        if (fr, pat) in ambiguous and not local.in_context(t0, fr):
            continue
        out.starts.append(ends[t0] - len(chunks[t0].lstrip()))
        out.ends.append(ends[t1 - 1])
        out.frames.append(fr)
        out.terms.append(pat)
        out.negated.append(check_cues and local.negated(t0, window))
        label = comp.scope_label.get(fr)
        out.out_of_scope.append(label is not None and not local.in_scope(t0, label))
    return out


# ===================================================================== real-news rules (issue 20)

_OPENERS = frozenset({'"', "\u201c", "\u2018", "'", "(", "[", "\u00ab"})
_HYPHENS = ("-", "\u2010", "\u2011")


def _sentence_initial(chunks: list[str], t: int) -> bool:
    """Token ``t`` starts a sentence or a line (opening quotes/brackets skipped)."""
    while True:
        if t == 0 or "\n" in chunks[t]:
            return True
        prev = chunks[t - 1].strip()
        if prev in _SENT_END or prev == ":":
            return True
        if prev not in _OPENERS:
            return False
        t -= 1


_DASHES = "-\u2010\u2011\u2013"


def _compound_tail(text: str, p: int) -> bool:
    """A match starting at character ``p`` is the tail of a hyphenated word (issue 20): the
    text before it is a letter or digit and a hyphen or en dash with at most one space on ONE
    side of the dash ("de-escalation" for a regex, "de–escalation", "de -escalation",
    "de- escalation"). Such a tail is no hit: the prefix changes its meaning. A spaced dash
    ("Kyiv - escalation") is not a compound."""
    if p < 2:
        return False
    a, b = text[p - 1], text[p - 2]
    if a in _DASHES:  # "de-|escalation", "de -|escalation"
        return b.isalnum() or (b in " \t" and p >= 3 and text[p - 3].isalnum())
    return a in " \t\n" and b in _DASHES and p >= 3 and text[p - 3].isalnum()  # "de- |esc"


def _clause_break(chunks: list[str], ce: int, t0: int) -> bool:
    """A clause ends between a negation cue that ends before token ``ce`` and a hit starting at
    token ``t0``: one of the tokens ``ce .. t0-1`` is in :data:`_CLAUSE_END` (``. ! ? … ; : |``,
    an em or en dash, a free-standing hyphen), or a line break precedes one of the tokens
    ``ce .. t0`` (chunks carry their leading whitespace)."""
    for j in range(ce, t0 + 1):
        chunk = chunks[j]
        if "\n" in chunk or (j < t0 and chunk.strip() in _CLAUSE_END):
            return True
    return False


def _joined_ok(comp: _Compiled, text: str, chunks: list[str], ends: list[int], hit) -> bool:
    """May a one-token match of a multi-word entry count? A hyphenated token always may
    ("dug-in" for ``dug in``). A closed-up token ("ceasefire") only for an entry written with a
    hyphen (``cease-fire``: compound-capable), and never when the token is capitalised and not
    sentence-initial ("Dugin") unless the entry is written with a capital."""
    info = comp.multipart.get(hit[3])
    if info is None:
        return True
    spaced, asks_capital = info
    t0 = hit[0]
    raw = text[ends[t0] - len(chunks[t0].lstrip()) : ends[t0]]
    if any(h in raw for h in _HYPHENS):
        return True
    if spaced:
        return False
    return asks_capital or not raw[:1].isupper() or _sentence_initial(chunks, t0)


def _blocker_ends(seq: Sequence[str], chunks: list[str], keys: dict[str, str], j: int) -> list[int]:
    """End token indices of the blocker ``seq`` matched from token ``j`` (``...`` = a gap of
    0-3 tokens that does not cross a sentence end)."""
    if not seq:
        return [j]
    word, rest = seq[0], seq[1:]
    if word == "...":
        out = []
        for gap in range(4):
            if gap and (j + gap - 1 >= len(chunks) or chunks[j + gap - 1].strip() in _SENT_END):
                break
            out += _blocker_ends(rest, chunks, keys, j + gap)
        return out
    if j >= len(chunks):
        return []
    key = keys[chunks[j]]
    ok = key.startswith(word[:-1]) if word.endswith("*") else key == word
    return _blocker_ends(rest, chunks, keys, j + 1) if ok else []


def _blocked(
    blockers: Sequence[Sequence[str]], chunks: list[str], keys: dict[str, str], cs: int
) -> bool:
    """A negation blocker match covers the cue that starts at token ``cs``."""
    for seq in blockers:
        reach = len(seq) - 1 + 2 * seq.count("...")  # a gap spans up to 3 tokens
        for s in range(max(0, cs - reach), cs + 1):
            if any(e > cs for e in _blocker_ends(seq, chunks, keys, s)):
                return True
    return False


def _scope_cues_by_part(
    comp: _Compiled, text: str, chunks: list[str], ends: list[int], keys: dict[str, str]
) -> dict:
    """Scope labels whose cues occur: {-1: labels} for the document level, else {paragraph
    index: labels, "bounds": token ranges of the paragraphs}."""
    memo, trie = comp.scope_memo, comp.scope
    if comp.scope_level == "document":  # fast path: one-token cues need no positions
        labels, longer = set(), False
        for c in set(chunks):
            nodes = memo.get(c)
            if nodes is None:
                nodes = memo[c] = trie.first(keys[c])
            for node in nodes:
                labels.update(fr for fr, _, _ in node.payload)
                longer = longer or bool(node.children or node.globs)
        if not longer or labels >= set(comp.scope_label.values()):
            return {-1: labels}
    found: list[tuple[int, str]] = []
    for i, c in enumerate(chunks):
        nodes = memo.get(c)
        if nodes is None:
            nodes = memo[c] = trie.first(keys[c])
        if nodes:
            found.extend((i, fr) for _e, fr, _p, _r in _walk(nodes, chunks, i, keys))
    if comp.scope_level == "document":
        return {-1: {fr for _, fr in found}}
    bounds = _token_bounds(ends, paragraph_spans(text) or [(0, len(text))])
    out: dict = {"bounds": bounds}
    for i, fr in found:
        p = max(0, bisect.bisect_right(bounds, (i, len(chunks))) - 1)
        out.setdefault(p, set()).add(fr)
    return out


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
