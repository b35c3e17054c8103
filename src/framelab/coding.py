"""Apply a codebook to a corpus: frame codes at document, paragraph or sentence level.

How matching works
------------------
Each document is tokenised once with the text layer's tokenizer. Tokens are matched in their
normalised form (lower case, curly apostrophes straight, hyphens inside a token removed, so
``Cease-fire`` = ``ceasefire``). All terms, globs and phrases of a codebook are compiled into one
token trie per language; one left-to-right pass finds every match. Regexes run on the text and are
aligned to the tokens they touch.

* **Longest match wins within a frame**: if ``security guarantees`` and ``guarantees`` are both
  entries of one frame, ``security guarantees`` in the text is one hit, not two. Different frames
  may match overlapping text (like quanteda's ``nested_scope = "key"``).
* **Phrases** never run across a paragraph break.
* **Exclusions**: a hit is vetoed when one of its frame's ``exclude`` entries matches within
  ``exclude_window`` tokens on either side (at most that many tokens between them; overlapping
  counts).
* **Negation**: a hit is ``negated`` when a negation cue ends at most ``window`` tokens before it
  (``no truce``: 0 tokens between; ``ruled out any truce``: 1), with no sentence-ending
  punctuation (``. ! ? … ;``) between them. The codebook's policy decides: ``keep`` counts it (flagged), ``drop`` does
  not count it, ``separate`` counts it under the frame id ``<frame>:negated``.

Outputs
-------
:func:`code_frames` returns a :class:`Coded` result holding the **FrameCodes** table (``codes``),
the **Hits** table (``hits``) and the units (``units``).
"""

from __future__ import annotations

import bisect
import html
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np
import pandas as pd

from framelab.codebook import Codebook, load_codebook
from framelab.corpus import check_corpus
from framelab.text import TOKEN_PATTERN, SentenceSplitter, paragraph_spans

__all__ = [
    "CODE_COLUMNS",
    "HIT_COLUMNS",
    "Coded",
    "code_frames",
    "codebook_coverage",
    "explain",
    "kwic",
]

logger = logging.getLogger(__name__)

HIT_COLUMNS = ("doc_id", "unit_id", "frame", "term", "start", "end", "negated")
CODE_COLUMNS = (
    "doc_id",
    "unit_id",
    "level",
    "frame",
    "count",
    "n_tokens",
    "per_1k",
    "present",
    "codebook",
)
UNIT_COLUMNS = ("doc_id", "unit_id", "level", "start", "end", "n_tokens")
LEVELS = ("document", "paragraph", "sentence")
_META_SKIP = ("text", "title", "url", "source_file")

# Each chunk = leading whitespace + one token, so chunks tile the text and their lengths give
# character offsets without a second pass.
_CHUNK_RE = re.compile(rf"\s*(?:{TOKEN_PATTERN})")
_NORM = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"})
_SENT_END = frozenset({".", "!", "?", "…", ";"})


def _key(token: str) -> str:
    """Matching key of a (lower-cased, apostrophe-normalised) token."""
    return token.replace("-", "") if "-" in token else token


# ===================================================================== compilation


class _Node:
    __slots__ = ("children", "globs", "glob_lens", "payload")

    def __init__(self):
        self.children: dict[str, _Node] = {}
        self.globs: dict[str, _Node] = {}
        self.glob_lens: tuple[int, ...] = ()
        self.payload: list[tuple[str, str, int]] = []  # (frame, pattern as written, rank)


def _pattern_keys(pattern: str) -> list[list[str]]:
    """Token-key sequences an entry matches (hyphen/space variants included).

    ``cease-fire`` -> [["ceasefire"], ["cease", "fire"]]; ``cease fire`` -> [["cease", "fire"],
    ["ceasefire"]].
    """
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


class _Trie:
    """Token trie with trailing-``*`` globs; finds all matches starting at given positions."""

    def __init__(self):
        self.root = _Node()
        self.size = 0
        self.max_len = 0  # longest entry, in tokens

    def add(self, pattern: str, frame: str, rank: int = 0) -> None:
        for keys in _pattern_keys(pattern):
            node = self.root
            for k in keys:
                if k.endswith("*"):
                    node = node.globs.setdefault(k[:-1], _Node())
                else:
                    node = node.children.setdefault(k, _Node())
            if not any(p[0] == frame and p[1] == pattern for p in node.payload):
                node.payload.append((frame, pattern, rank))
            self.size += 1
            self.max_len = max(self.max_len, len(keys))

    def finalize(self) -> None:
        stack = [self.root]
        while stack:
            node = stack.pop()
            node.glob_lens = tuple(sorted({len(g) for g in node.globs}))
            stack.extend(node.children.values())
            stack.extend(node.globs.values())

    def first(self, key: str) -> tuple[_Node, ...]:
        """Nodes reached from the root by one token key (exact child and matching globs)."""
        out = []
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
        that starts a new paragraph.
        """
        found = [(i + 1, fr, pat, rank) for node in nodes for fr, pat, rank in node.payload]
        frontier = [node for node in nodes if node.children or node.globs]
        n = len(chunks)
        j = i + 1
        while frontier and j < n:
            chunk = chunks[j]
            if "\n\n" in chunk:
                break
            key = keys[chunk]
            nxt_frontier = []
            for node in frontier:
                child = node.children.get(key)
                if child is not None:
                    nxt_frontier.append(child)
                for length in node.glob_lens:
                    if len(key) >= length:
                        g = node.globs.get(key[:length])
                        if g is not None:
                            nxt_frontier.append(g)
            j += 1
            frontier = []
            for node in nxt_frontier:
                if node.payload:
                    found.extend((j, fr, pat, rank) for fr, pat, rank in node.payload)
                if node.children or node.globs:
                    frontier.append(node)
        return found


@dataclass
class _Compiled:
    """A codebook compiled for one language."""

    hits: _Trie
    exclude: _Trie
    cues: _Trie
    regexes: list[tuple[str, str, re.Pattern, int]]
    frames: tuple[str, ...]
    exclude_window: dict[str, int]
    #: chunk -> (trie nodes its token reaches from the root of the hit, exclusion and cue
    #: tries, and (regex index, offset in the token) where a regex could start)
    memo: dict[str, tuple] = field(default_factory=dict)
    start_chunks: set[str] = field(default_factory=set)
    #: per regex: the literal word prefixes every match starts with (None = unknown: the regex
    #: then runs over the whole text)
    regex_prefixes: list[tuple[str, ...] | None] = field(default_factory=list)
    frames_with_exclusions: frozenset[str] = frozenset()

    @property
    def full_text_regexes(self) -> bool:
        return any(p is None for p in self.regex_prefixes)


def _compile(codebook: Codebook, language: str) -> _Compiled:
    hits, excl, cues = _Trie(), _Trie(), _Trie()
    regexes = []
    rank = 0
    for fid, frame in codebook.frames.items():
        for pat in (*frame.terms.get(language, ()), *frame.phrases.get(language, ())):
            hits.add(pat, fid, rank)
            rank += 1
        for pat in frame.exclude.get(language, ()):
            excl.add(pat, fid)
        for rx in frame.regex:
            regexes.append((fid, rx, re.compile(rx, re.IGNORECASE), rank))
            rank += 1
    for cue in codebook.negation.cues.get(language, ()):
        cues.add(cue, "__neg__")
    for trie in (hits, excl, cues):
        trie.finalize()
    prefixes = [_regex_prefixes(rx) for _, rx, _, _ in regexes]
    compiled = _Compiled(
        regex_prefixes=prefixes,
        hits=hits,
        exclude=excl,
        cues=cues,
        regexes=regexes,
        frames=tuple(codebook.frames),
        exclude_window={f: fr.exclude_window for f, fr in codebook.frames.items()},
        frames_with_exclusions=frozenset(
            f for f, fr in codebook.frames.items() if fr.exclude.get(language)
        ),
    )
    return compiled


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
    for c in distinct - keys.keys():
        tok = c.strip()
        keys[c] = _key(tok)
        words[c] = any(ch.isalnum() for ch in tok)
    memo = comp.memo
    for c in distinct - memo.keys():
        k = keys[c]
        starts = ()
        if comp.regex_prefixes:
            tok = c.lstrip()
            starts = tuple(
                (r, m.start())
                for m in _WORD_PART.finditer(tok)
                for r, prefixes in enumerate(comp.regex_prefixes)
                if prefixes is not None and m.group().startswith(prefixes)
            )
        nodes = (comp.hits.first(k), comp.exclude.first(k), comp.cues.first(k), starts)
        memo[c] = nodes
        if nodes[0] or nodes[3]:
            comp.start_chunks.add(c)


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
        if not node.children and not node.globs:
            return found
        if not node.globs:
            j = i + 1
            if j >= len(chunks) or keys[chunks[j]] not in node.children:
                return found
    return _Trie.continue_from(nodes, chunks, i, keys)


def _scan(comp: _Compiled, chunks: list[str], cand: set[str], keys: dict[str, str]):
    """Hit-trie matches as token-index tuples, and the token positions where each prefixed
    regex could start: {regex index: [(token, offset)]}."""
    hit_m = []
    regex_starts: dict[int, list[tuple[int, int]]] = {}
    memo = comp.memo
    for i in [i for i, c in enumerate(chunks) if c in cand]:
        hit_nodes, _excl, _cue, rx_starts = memo[chunks[i]]
        for r, offset in rx_starts:
            regex_starts.setdefault(r, []).append((i, offset))
        if hit_nodes:
            hit_m.extend(
                (i, e, fr, pat, rk) for e, fr, pat, rk in _walk(hit_nodes, chunks, i, keys)
            )
    return hit_m, regex_starts


class _Local:
    """Exclusion and negation-cue matches, looked up only near hits (and cached per token)."""

    def __init__(self, comp: _Compiled, chunks: list[str], keys: dict[str, str]):
        self.comp, self.chunks, self.keys = comp, chunks, keys
        self._excl: dict[int, list[tuple[int, str]]] = {}
        self._cue: dict[int, list[int]] = {}

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
            self._cue[i] = got
        return got

    def vetoed(self, t0: int, t1: int, frame: str) -> bool:
        """An exclusion of ``frame`` at most ``w`` tokens before or after the hit [t0, t1)."""
        w = self.comp.exclude_window[frame]
        lo = max(0, t0 - w - self.comp.exclude.max_len)
        hi = min(len(self.chunks), t1 + w + 1)
        for e0 in range(lo, hi):
            for e1, fr in self.exclusions(e0):
                if fr == frame and e1 >= t0 - w:
                    return True
        return False

    def negated(self, t0: int, window: int) -> bool:
        """A cue ends at most ``window`` tokens before token ``t0``, with no sentence end
        between them."""
        chunks = self.chunks
        lo = max(0, t0 - window - self.comp.cues.max_len)
        for c0 in range(lo, t0):
            for ce in self.cue_ends(c0):
                if t0 - window <= ce <= t0 and not any(
                    chunks[j].strip() in _SENT_END for j in range(ce, t0)
                ):
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
    for r, (_fid, _rx, cre, _rk) in enumerate(comp.regexes):
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


def _negated(t0: int, cue_ends: list[int], chunks: list[str], window: int) -> bool:
    """A cue ends at most ``window`` tokens before token ``t0``, with no sentence end between."""
    k = bisect.bisect_right(cue_ends, t0) - 1
    while k >= 0 and t0 - cue_ends[k] <= window:
        ce = cue_ends[k]
        if not any(chunks[j].strip() in _SENT_END for j in range(ce, t0)):
            return True
        k -= 1
    return False


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
    hit_m, regex_starts = _scan(comp, chunks, cand, cache.keys)
    for start, end, r in _regex_matches(comp, text, chunks, ends, regex_starts):
        fid, rx, _cre, rk = comp.regexes[r]
        t0 = bisect.bisect_right(ends, start)
        t1 = min(bisect.bisect_left(ends, end) + 1, len(chunks))
        hit_m.append((t0, t1, fid, rx, rk))
    if not hit_m:
        return chunks, ends, out
    # per frame: leftmost-longest, non-overlapping
    hit_m.sort(key=lambda h: (h[0], -h[1], h[4]))
    free: dict[str, int] = {}
    local = _Local(comp, chunks, cache.keys)
    has_excl = comp.frames_with_exclusions
    check_cues = comp.cues.size > 0
    for t0, t1, fr, pat, _rank in hit_m:
        if t0 < free.get(fr, 0):
            continue
        free[fr] = t1
        if fr in has_excl and local.vetoed(t0, t1, fr):
            continue
        out.starts.append(ends[t0] - len(chunks[t0].lstrip()))
        out.ends.append(ends[t1 - 1])
        out.frames.append(fr)
        out.terms.append(pat)
        out.negated.append(check_cues and local.negated(t0, window))
    return chunks, ends, out


# ===================================================================== units


def _units(text: str, level: str, splitter: SentenceSplitter | None) -> list[tuple[int, int]]:
    if level == "document":
        return [(0, len(text))]
    paras = paragraph_spans(text) or [(0, len(text))]
    if level == "paragraph":
        return paras
    spans = []
    for ps, pe in paras:
        spans.extend((ps + s, ps + e) for s, e in splitter.span(text[ps:pe]))
    return spans or [(0, len(text))]


def _word_counts(
    chunks: list[str], words: dict[str, bool], bounds: list[tuple[int, int]]
) -> list[int]:
    """Word tokens (punctuation excluded) in each token range ``[lo, hi)``."""
    if len(bounds) == 1 and bounds[0] == (0, len(chunks)):
        return [sum(map(words.__getitem__, chunks))]
    cum = [0, *accumulate(map(words.__getitem__, chunks))]
    return [cum[hi] - cum[lo] for lo, hi in bounds]


# ===================================================================== public API


@dataclass
class Coded:
    """The result of :func:`code_frames`.

    Attributes
    ----------
    codes : pandas.DataFrame
        FrameCodes, long form, one row per unit and frame (zeros included): ``doc_id, unit_id,
        level, frame, count, n_tokens, per_1k, present, codebook`` followed by the document's
        metadata columns (everything of the Corpus except text, title, url, source_file).
        ``n_tokens`` counts word tokens (punctuation excluded); ``per_1k = 1000 * count /
        n_tokens``; ``present = int(count > 0)``.
    hits : pandas.DataFrame
        Hits: ``doc_id, unit_id, frame, term, start, end, negated`` - one row per matched
        occurrence that survived exclusions (negated ones included and flagged); ``term`` is the
        codebook entry as written, ``start``/``end`` are character offsets in the document text.
    units : pandas.DataFrame
        ``doc_id, unit_id, level, start, end, n_tokens``.
    codebook : Codebook
    level : str
    texts : pandas.Series
        Document texts indexed by doc_id (a view of the corpus column, for :func:`explain`).
    """

    codes: pd.DataFrame
    hits: pd.DataFrame
    units: pd.DataFrame
    codebook: Codebook
    level: str
    texts: pd.Series

    def to_wide(self, value: str = "count") -> pd.DataFrame:
        """One row per unit, one column per frame (``value``: count, present or per_1k)."""
        return to_wide(self.codes, value=value)

    def explain(self, doc_id: str) -> Explanation:
        """The document with its hits highlighted (see :func:`explain`)."""
        return explain(self, doc_id)

    def kwic(self, **kwargs) -> pd.DataFrame:
        """Concordance of the hits (see :func:`kwic`)."""
        return kwic(self, **kwargs)

    def coverage(self) -> pd.DataFrame:
        """How often each codebook entry fired (see :func:`codebook_coverage`)."""
        return codebook_coverage(self)

    def __repr__(self) -> str:
        n_docs = self.units["doc_id"].nunique()
        return (
            f"Coded({self.codebook.id}, level={self.level!r}, documents={n_docs}, "
            f"units={len(self.units)}, hits={len(self.hits)})"
        )

    def _repr_html_(self) -> str:
        share = (self.codes.groupby("frame", sort=False)["present"].mean() * 100).round(1)
        rows = "".join(f"<tr><td>{html.escape(f)}</td><td>{v}</td></tr>" for f, v in share.items())
        return (
            f"<p><b>{html.escape(repr(self))}</b></p><table><tr><th>frame</th>"
            f"<th>% of {self.level}s</th></tr>{rows}</table>"
        )


def to_wide(codes: pd.DataFrame, value: str = "count") -> pd.DataFrame:
    """Pivot FrameCodes to one row per unit and one column per frame.

    Examples
    --------
    >>> codes = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": ["a", "a"], "frame": ["x", "y"],
    ...                       "count": [2, 0]})
    >>> to_wide(codes)
    frame doc_id unit_id  x  y
    0          a       a  2  0
    """
    if value not in ("count", "present", "per_1k"):
        raise ValueError(f"to_wide(): value must be count, present or per_1k, got {value!r}.")
    order = list(dict.fromkeys(codes["frame"]))
    wide = codes.pivot_table(
        index=["doc_id", "unit_id"], columns="frame", values=value, sort=False, aggfunc="first"
    )
    return wide[order].reset_index()


def code_frames(
    corpus: pd.DataFrame,
    codebook: Codebook | str,
    *,
    level: str = "document",
    splitter: SentenceSplitter | None = None,
    progress: bool | None = None,
) -> Coded:
    """Code every document of ``corpus`` with ``codebook``.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A Corpus table (``doc_id``, ``text``, ``language`` and metadata).
    codebook : Codebook or str
        A Codebook, a shipped codebook name (``"peace_talks"``) or a path.
    level : {"document", "paragraph", "sentence"}
        Unit of analysis. Paragraphs are separated by blank lines; sentences are found within
        paragraphs by Punkt (``splitter``).
    splitter : SentenceSplitter, optional
        For ``level="sentence"``; default: pretrained Punkt if installed, else Punkt trained on
        (up to 2,000 documents of) this corpus in doc_id order.
    progress : bool, optional
        Show a progress bar; by default only for corpora of more than 5,000 documents.

    Returns
    -------
    Coded
        ``.codes`` (FrameCodes), ``.hits`` (Hits), ``.units``; see :class:`Coded`.

    Examples
    --------
    >>> from framelab.codebook import Codebook
    >>> cb = Codebook.from_dict({"name": "mini", "version": "1", "frames": {
    ...     "ceasefire": {"terms": ["truce", "cease-fire"]},
    ...     "talks": {"terms": ["negotiat*"], "phrases": ["peace talks"]}}})
    >>> corpus = pd.DataFrame({"doc_id": ["d1"], "text": [
    ...     "Envoys resumed peace talks. Officials ruled out a cease fire; negotiators met."]})
    >>> coded = code_frames(corpus, cb)
    >>> coded.hits[["frame", "term", "start", "end", "negated"]]
           frame         term  start  end  negated
    0      talks  peace talks     15   26    False
    1  ceasefire   cease-fire     50   60     True
    2      talks    negotiat*     62   73    False
    >>> coded.codes[["frame", "count", "n_tokens", "present", "codebook"]]
           frame  count  n_tokens  present codebook
    0  ceasefire      1        12        1   mini@1
    1      talks      2        12        1   mini@1
    """
    check_corpus(corpus, "code_frames")
    if level not in LEVELS:
        from framelab._errors import suggest

        raise ValueError(
            f"code_frames(): level must be one of {', '.join(LEVELS)}, got "
            f"{level!r}.{suggest(str(level), LEVELS, 'level')}"
        )
    codebook = load_codebook(codebook)
    docs = (
        corpus.sort_values("doc_id", kind="mergesort")
        if not corpus["doc_id"].is_monotonic_increasing
        else corpus
    )
    ids = docs["doc_id"].astype(str).tolist()
    texts = docs["text"].tolist()
    langs = (
        docs["language"].fillna(codebook.language).astype(str).tolist()
        if "language" in docs.columns
        else [codebook.language] * len(docs)
    )
    if level == "sentence" and splitter is None:
        splitter = SentenceSplitter.for_corpus(texts[:2000])
    compiled: dict[str, _Compiled] = {}
    missing_lang: dict[str, list[str]] = {}
    cache = _ChunkCache()
    window = codebook.negation.window
    policy = codebook.negation.policy

    unit_rows: list[tuple] = []
    hit_rows: list[tuple] = []
    iterator: Iterable = zip(ids, texts, langs, strict=True)
    show = progress if progress is not None else len(ids) > 5000
    if show:
        from tqdm import tqdm

        iterator = tqdm(iterator, total=len(ids), desc=f"coding ({level})", unit="doc")
    for doc_id, text, lang in iterator:
        comp = compiled.get(lang)
        if comp is None:
            comp = compiled[lang] = _compile(codebook, lang)
            empty = [
                f
                for f, fr in codebook.frames.items()
                if not fr.terms.get(lang) and not fr.phrases.get(lang) and not fr.regex
            ]
            if empty:
                missing_lang[lang] = empty
        chunks, ends, dh = _code_document(comp, text, cache, window)
        spans = _units(text, level, splitter)
        if level == "document":
            unit_ids = [doc_id]
        else:
            tag = "p" if level == "paragraph" else "s"
            unit_ids = [f"{doc_id}-{tag}{k}" for k in range(len(spans))]
        n_chunks = len(chunks)
        if level == "document":
            bounds = [(0, n_chunks)]
        else:
            bounds = [
                (bisect.bisect_right(ends, s), min(bisect.bisect_left(ends, e) + 1, n_chunks))
                for s, e in spans
            ]
        counts = _word_counts(chunks, cache.words, bounds)
        for uid, (s, e), n_words in zip(unit_ids, spans, counts, strict=True):
            unit_rows.append((doc_id, uid, level, s, e, n_words))
        unit_starts = [s for s, _ in spans]
        for k in range(len(dh.frames)):
            u = max(0, bisect.bisect_right(unit_starts, dh.starts[k]) - 1)
            hit_rows.append(
                (
                    doc_id,
                    unit_ids[u],
                    dh.frames[k],
                    dh.terms[k],
                    dh.starts[k],
                    dh.ends[k],
                    dh.negated[k],
                )
            )
    for lang, frames in missing_lang.items():
        logger.warning(
            "code_frames(): codebook %s has no %r entries for frame(s) %s; documents "
            "in that language cannot be coded for them.",
            codebook.id,
            lang,
            ", ".join(frames),
        )

    units = pd.DataFrame(unit_rows, columns=list(UNIT_COLUMNS))
    units = units.astype({"start": "int64", "end": "int64", "n_tokens": "int64"})
    hits = pd.DataFrame(hit_rows, columns=list(HIT_COLUMNS))
    hits = hits.astype({"start": "int64", "end": "int64", "negated": "bool"})
    codes = _frame_codes(units, hits, codebook, policy)
    meta_cols = [c for c in corpus.columns if c not in _META_SKIP and c != "doc_id"]
    if meta_cols:
        meta = corpus[["doc_id", *meta_cols]]
        codes = codes.merge(meta, on="doc_id", how="left", validate="many_to_one")
    text_index = pd.Series(texts, index=pd.Index(ids, name="doc_id"), name="text")
    return Coded(
        codes=codes, hits=hits, units=units, codebook=codebook, level=level, texts=text_index
    )


def _frame_codes(
    units: pd.DataFrame, hits: pd.DataFrame, codebook: Codebook, policy: str
) -> pd.DataFrame:
    frames = list(codebook.frames)
    if policy == "separate":
        frames = [x for f in frames for x in (f, f"{f}:negated")]
    fidx = {f: i for i, f in enumerate(frames)}
    uidx = pd.Index(units["unit_id"])
    counts = np.zeros((len(units), len(frames)), dtype=np.int64)
    if len(hits):
        use = hits
        fr = use["frame"].to_numpy(dtype=object)
        if policy == "drop":
            use = hits[~hits["negated"]]
            fr = use["frame"].to_numpy(dtype=object)
        elif policy == "separate":
            fr = np.where(
                use["negated"].to_numpy(),
                use["frame"].to_numpy(dtype=object) + ":negated",
                use["frame"].to_numpy(dtype=object),
            )
        rows = uidx.get_indexer(use["unit_id"])
        cols = np.array([fidx[f] for f in fr], dtype=np.int64)
        np.add.at(counts, (rows, cols), 1)
    n_units, n_frames = counts.shape
    n_tok = units["n_tokens"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        per_1k = np.where(n_tok[:, None] > 0, counts * 1000.0 / n_tok[:, None], 0.0)
    codes = pd.DataFrame(
        {
            "doc_id": np.repeat(units["doc_id"].to_numpy(), n_frames),
            "unit_id": np.repeat(units["unit_id"].to_numpy(), n_frames),
            "level": np.repeat(units["level"].to_numpy(), n_frames),
            "frame": np.tile(np.array(frames, dtype=object), n_units),
            "count": counts.ravel(),
            "n_tokens": np.repeat(n_tok, n_frames).astype(np.int64),
            "per_1k": per_1k.ravel(),
            "present": (counts.ravel() > 0).astype(np.int64),
            "codebook": codebook.id,
        }
    )
    for col in ("doc_id", "unit_id", "level", "frame", "codebook"):
        codes[col] = codes[col].astype("str")
    return codes


# ===================================================================== inspection


_PALETTE = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#999999",
    "#000000",
)


@dataclass
class Explanation:
    """A document with highlighted hits: HTML in a notebook, bracketed text in a terminal."""

    doc_id: str
    text: str
    hits: pd.DataFrame
    frames: tuple[str, ...]

    def _segments(self):
        pos = 0
        ordered = self.hits.sort_values(["start", "end"], kind="mergesort")
        for start, end, group in _merge_spans(ordered):
            if start < pos:
                continue
            yield self.text[pos:start], None
            yield self.text[start:end], group
            pos = end
        yield self.text[pos:], None

    def __str__(self) -> str:
        parts = []
        for seg, group in self._segments():
            if group is None:
                parts.append(seg)
            else:
                labels = ",".join(f"{f}{'(neg)' if n else ''}" for f, n in group)
                parts.append(f"[[{seg}|{labels}]]")
        return f"{self.doc_id}: " + "".join(parts)

    def _repr_html_(self) -> str:
        colours = {f: _PALETTE[i % len(_PALETTE)] for i, f in enumerate(self.frames)}
        parts = []
        for seg, group in self._segments():
            text = html.escape(seg).replace("\n\n", "<br><br>")
            if group is None:
                parts.append(text)
                continue
            f0, neg = group[0]
            labels = ", ".join(f"{f}{' (negated)' if n else ''}" for f, n in group)
            style = (
                f"background:{colours.get(f0, '#ddd')}55;border-bottom:2px "
                f"{'dashed' if neg else 'solid'} {colours.get(f0, '#999')};"
            )
            parts.append(
                f'<span style="{style}" title="{html.escape(labels)}">{text}'
                f'<sub style="font-size:70%">{html.escape(labels)}</sub></span>'
            )
        legend = " ".join(
            f'<span style="background:{c}55;padding:0 4px">{html.escape(f)}</span>'
            for f, c in colours.items()
        )
        return (
            f"<div><b>{html.escape(self.doc_id)}</b> &middot; {len(self.hits)} hits "
            f"&middot; {legend}<p>{''.join(parts)}</p></div>"
        )

    __repr__ = __str__


def _merge_spans(hits: pd.DataFrame):
    spans: list[list] = []
    for s, e, f, n in zip(hits["start"], hits["end"], hits["frame"], hits["negated"], strict=True):
        if spans and s < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], e)
            spans[-1][2].append((f, bool(n)))
        else:
            spans.append([s, e, [(f, bool(n))]])
    return [(s, e, g) for s, e, g in spans]


def explain(coded: Coded, doc_id: str) -> Explanation:
    """Show a document with its hits highlighted and labelled by frame.

    In a notebook the result renders as HTML (negated hits underlined with dashes); ``print`` it
    for plain text with ``[[matched text|frame]]`` markers.

    Examples
    --------
    >>> from framelab.codebook import Codebook
    >>> cb = Codebook.from_dict({"name": "m", "version": "1",
    ...                          "frames": {"ceasefire": {"terms": ["truce"]}}})
    >>> coded = code_frames(pd.DataFrame({"doc_id": ["d1"], "text": ["No truce yet."]}), cb)
    >>> print(explain(coded, "d1"))
    d1: No [[truce|ceasefire(neg)]] yet.
    """
    if not isinstance(coded, Coded):
        raise TypeError("explain(): pass the result of code_frames(corpus, codebook).")
    if doc_id not in coded.texts.index:
        from framelab._errors import suggest

        raise KeyError(
            f"explain(): no document {doc_id!r} in the coded corpus."
            f"{suggest(str(doc_id), coded.texts.index[:5000])}"
        )
    hits = coded.hits[coded.hits["doc_id"] == doc_id]
    return Explanation(str(doc_id), coded.texts[doc_id], hits, coded.codebook.frame_ids)


def kwic(
    source: Coded | pd.DataFrame,
    *,
    frame: str | None = None,
    term: str | None = None,
    window: int = 8,
    codebook: Codebook | str | None = None,
    max_rows: int | None = None,
) -> pd.DataFrame:
    """Keyword-in-context concordance.

    Parameters
    ----------
    source : Coded or pandas.DataFrame
        A coding result (concordance of its hits), or a Corpus (then ``term`` or ``codebook`` +
        ``frame`` says what to look for; the corpus is coded on the fly).
    frame : str, optional
        Only hits of this frame.
    term : str, optional
        Only hits of this codebook entry (as written, e.g. ``"negotiat*"``); with a Corpus
        source and no codebook, any word/phrase/glob to look up.
    window : int, default 8
        Words of context on each side.
    max_rows : int, optional
        Keep the first rows only.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, unit_id, frame, term, left, match, right, negated``, in document order.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["d1"], "text": ["Both sides said a truce could hold."]})
    >>> kwic(corpus, term="truce", window=3)[["left", "match", "right"]]
               left  match        right
    0  sides said a  truce  could hold.
    """
    if isinstance(source, pd.DataFrame):
        check_corpus(source, "kwic")
        if codebook is None:
            if term is None:
                raise ValueError("kwic(): with a corpus, give term=... or codebook=... (+ frame).")
            codebook = Codebook.from_dict(
                {
                    "name": "kwic",
                    "version": "0",
                    "frames": {"match": {"phrases" if " " in term.strip() else "terms": [term]}},
                }
            )
            frame, term = None, None
        source = code_frames(source, codebook)
    hits = source.hits
    if frame is not None:
        if frame not in source.codebook.frames:
            from framelab._errors import suggest

            raise KeyError(
                f"kwic(): no frame {frame!r} in {source.codebook.id}."
                f"{suggest(frame, source.codebook.frames, 'frame')}"
            )
        hits = hits[hits["frame"].str.split(":").str[0] == frame]
    if term is not None:
        hits = hits[hits["term"] == term]
    if max_rows is not None:
        hits = hits.head(max_rows)
    rows = []
    for doc_id, uid, fr, t, s, e, neg in hits.itertuples(index=False):
        text = source.texts[doc_id]
        left = " ".join(text[:s].split()[-window:]) if window else ""
        right = " ".join(text[e:].split()[:window]) if window else ""
        rows.append((doc_id, uid, fr, t, left, text[s:e], right, bool(neg)))
    return pd.DataFrame(
        rows, columns=["doc_id", "unit_id", "frame", "term", "left", "match", "right", "negated"]
    )


def codebook_coverage(coded: Coded) -> pd.DataFrame:
    """How often each codebook entry fired, including entries that never did.

    Returns
    -------
    pandas.DataFrame
        ``frame, language, kind, pattern, hits, documents, negated`` (negated = hits flagged as
        negated), sorted by frame (codebook order) then hits descending.
    """
    entries = coded.codebook.entries()
    entries = entries[entries["kind"] != "exclude"].copy()
    h = coded.hits
    stats = (
        h.groupby(["frame", "term"])
        .agg(hits=("doc_id", "size"), documents=("doc_id", "nunique"), negated=("negated", "sum"))
        .reset_index()
        .rename(columns={"term": "pattern"})
    )
    out = entries.merge(stats, on=["frame", "pattern"], how="left")
    for col in ("hits", "documents", "negated"):
        out[col] = out[col].fillna(0).astype("int64")
    order = {f: i for i, f in enumerate(coded.codebook.frames)}
    out["_o"] = out["frame"].map(order)
    out = out.sort_values(
        ["_o", "hits", "pattern"], ascending=[True, False, True], kind="mergesort"
    )
    return out.drop(columns="_o").reset_index(drop=True)
