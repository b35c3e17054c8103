"""The vectorised matching core behind :func:`framelab._tokens.match_hits` (private; issue 22).

A codebook compiled for one language (:func:`framelab._engine._compile`) is turned into integer
tables over the corpus *vocabulary* (:class:`TrieTable`: which trie nodes each distinct chunk
reaches from the root, and the transitions node x chunk -> node), and every rule is then applied
to the token-id array of a block of documents at once:

- hits, exclusions, negation cues, context cues and scope cues: a breadth-first walk of all trie
  states of the block together (one numpy step per token of an entry, gaps ``~k`` as budgets);
  a walk never crosses a document start or a chunk holding a paragraph break (``"\\n\\n"``);
- per frame, leftmost-longest non-overlapping hits (sorted arrays; a short Python pass only over
  hits that overlap an earlier one of their frame);
- the closed-up spelling rule (:func:`joined_ok`): only one-token matches of a multi-word
  entry are looked at, one by one;
- compound tails (issue 20): a hit whose first token starts inside a hyphenated word
  ("de -escalation") is dropped before the leftmost-longest choice, from the character classes
  of the last three characters of each vocabulary chunk and of its leading whitespace
  (:meth:`_Block.compound_tail`); a regex match is checked at its own start as well;
- exclusion windows, context cues (paragraph, or +/- ``CONTEXT_WINDOW`` tokens in a document
  without paragraph breaks), negation windows (cue and hit in one clause: no clause end or
  line break between them; blockers) and scope cues (document, paragraph or sentence, per
  frame): counts over sorted cue positions (``searchsorted`` differences), so each hit costs
  O(log n) in numpy;
- regexes run on the text as before (prefixed ones only where a word starts with a prefix),
  under the per-document time limit :data:`framelab._engine.REGEX_SECONDS`.

The rules are the ones :mod:`framelab.coding` documents; ``tests/test_coding.py`` checks the
result against an independent reference coder on random texts and codebooks.
"""

from __future__ import annotations

import bisect
import contextlib
import signal
import threading
from collections.abc import Sequence

import numpy as np

from framelab import _engine
from framelab._codebook_rules import SCOPE_LEVELS
from framelab._engine import (
    _CLAUSE_END,
    _HYPHENS,
    _OPENERS,
    _SENT_END,
    RegexTimeout,
    _compound_tail,
    _compound_tail_classes,
    _join3,
    _last_chars,
    _Node,
    _Trie,
)
from framelab._match_scope import out_of_scope
from framelab._match_window import count_in, cue_within
from framelab.text import _PARA_RE

#: documents are matched in blocks of about this many tokens (bounds the intermediates)
BLOCK_TOKENS = 1 << 16

_I64 = np.int64


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``concatenate([arange(s, s + c) for s, c in zip(starts, counts)])`` without the loop."""
    total = int(counts.sum())
    if not total:
        return np.zeros(0, _I64)
    ends = np.cumsum(counts)
    return np.repeat(starts - (ends - counts), counts) + np.arange(total, dtype=_I64)


class VocabInfo:
    """Codebook-independent facts about each chunk of a corpus vocabulary (cached on it)."""

    def __init__(self, vocab: Sequence[str], keys: dict[str, str]):
        n = len(vocab)
        self.n = n
        self.keys = [keys[c] for c in vocab]
        self.lens = np.fromiter(map(len, vocab), _I64, n)
        strip = [c.strip() for c in vocab]
        self.body = np.fromiter(map(len, strip), _I64, n)  # the token (no leading space)

        def flag(values) -> np.ndarray:
            return np.fromiter(values, bool, n)

        #: a phrase (or any trie walk) never continues into a chunk holding a blank line
        self.walk_stop = flag("\n\n" in c for c in vocab)
        #: the chunk starts a new paragraph (as :func:`framelab.text.paragraph_spans` splits)
        self.para = flag("\n" in c and _PARA_RE.search(c) is not None for c in vocab)
        self.sent_key = flag(k in _SENT_END for k in self.keys)  # gap rule of the tries
        self.sent = flag(s in _SENT_END for s in strip)  # gaps of negation blockers
        self.newline = flag("\n" in c for c in vocab)
        self.clause = flag(s in _CLAUSE_END for s in strip)  # negation stays in its clause
        #: compound tails: classes (:func:`framelab._engine._char_class`) of the last three
        #: characters of each chunk and of its leading whitespace (column 0: the last one)
        self.tail3, self.tail_len, self.ws3, self.ws_len = _last_chars(vocab, self.lens, self.body)
        self.boundary = flag(s in _SENT_END or s == ":" for s in strip)
        self.opener = flag(s in _OPENERS for s in strip)
        self.by_key: dict[str, list[int]] = {}
        for i, k in enumerate(self.keys):
            self.by_key.setdefault(k, []).append(i)
        self.sorted_keys = sorted(self.by_key)
        self._masks: dict[str, np.ndarray] = {}

    def with_prefix(self, stem: str) -> list[int]:
        """Vocabulary ids whose key starts with ``stem``."""
        out: list[int] = []
        keys = self.sorted_keys
        for k in keys[bisect.bisect_left(keys, stem) :]:
            if not k.startswith(stem):
                break
            out.extend(self.by_key[k])
        return out

    def word_mask(self, word: str) -> np.ndarray:
        """Vocabulary mask of a blocker word (``w*``: any key starting with ``w``; cached)."""
        out = self._masks.get(word)
        if out is None:
            out = self._masks[word] = np.zeros(self.n, dtype=bool)
            ids = self.with_prefix(word[:-1]) if word.endswith("*") else self.by_key.get(word, [])
            out[ids] = True
        return out


class TrieTable:
    """A token trie compiled against a vocabulary: integer nodes, first steps, transitions."""

    def __init__(self, trie: _Trie, first: dict[int, tuple[_Node, ...]], info: VocabInfo):
        index: dict[int, int] = {}
        nodes: list[_Node] = []
        stack = [node for got in first.values() for node in got]
        while stack:
            node = stack.pop()
            if id(node) in index:
                continue
            index[id(node)] = len(nodes)
            nodes.append(node)
            stack.extend(node.children.values())
            stack.extend(node.globs.values())
            stack.extend(node.gaps.values())
        self.size = trie.size
        n_vocab = self.n_vocab = info.n
        # first step: the nodes each vocabulary id reaches from the root
        counts = np.zeros(n_vocab, _I64)
        for v, got in first.items():
            counts[v] = len(got)
        self.first_cnt = counts
        self.first_ptr = np.concatenate([[0], np.cumsum(counts)]).astype(_I64)
        self.first_node = np.zeros(int(counts.sum()), _I64)
        for v, got in first.items():
            p = self.first_ptr[v]
            self.first_node[p : p + len(got)] = [index[id(n)] for n in got]
        self.has_first = counts > 0
        # payloads (frame, pattern, rank) per node
        self.payload: list[tuple[str, str, int]] = []
        pay_cnt = np.zeros(len(nodes), _I64)
        for k, node in enumerate(nodes):
            pay_cnt[k] = len(node.payload)
            self.payload.extend(node.payload)
        self.pay_cnt = pay_cnt
        self.pay_ptr = np.concatenate([[0], np.cumsum(pay_cnt)]).astype(_I64)
        # states: a node a word can follow; gaps (node after the gap, budget)
        self.cont = np.fromiter((bool(n.children or n.globs) for n in nodes), bool, len(nodes))
        gaps = [[(index[id(g)], k) for k, g in n.gaps.items()] for n in nodes]
        self.gap_cnt = np.fromiter(map(len, gaps), _I64, len(nodes))
        self.gap_ptr = np.concatenate([[0], np.cumsum(self.gap_cnt)]).astype(_I64)
        flat = [x for g in gaps for x in g]
        self.gap_node = np.asarray([g for g, _ in flat], _I64)
        self.gap_k = np.asarray([k for _, k in flat], _I64)
        self.any_gaps = bool(flat)
        first_nodes = np.unique(self.first_node)
        self.first_cont = np.zeros(n_vocab, dtype=bool)  # reaches a node that can go on
        if len(first_nodes):
            goes_on = self.cont[self.first_node]
            owner = np.repeat(np.arange(n_vocab), counts)
            self.first_cont[owner[goes_on]] = True
        # transitions (node, vocabulary id) -> child node, as a sorted multimap
        tr_key: list[np.ndarray] = []
        tr_child: list[np.ndarray] = []
        for k, node in enumerate(nodes):
            targets = [(info.by_key.get(w, ()), c) for w, c in node.children.items()]
            targets += [(info.with_prefix(g), c) for g, c in node.globs.items()]
            for vids, child in targets:
                if vids:
                    vids = np.asarray(vids, _I64)
                    tr_key.append(k * n_vocab + vids)
                    tr_child.append(np.full(len(vids), index[id(child)], _I64))
        keys = np.concatenate(tr_key) if tr_key else np.zeros(0, _I64)
        children = np.concatenate(tr_child) if tr_child else np.zeros(0, _I64)
        order = np.argsort(keys, kind="stable")
        self.tr_key, self.tr_child = keys[order], children[order]

    def _emit(self, out: list, s: np.ndarray, e: np.ndarray, node: np.ndarray) -> None:
        c = self.pay_cnt[node]
        if c.any():
            out.append((np.repeat(s, c), np.repeat(e, c), _ranges(self.pay_ptr[node], c)))

    def _states(self, s, node, j):
        """Walk states after reaching ``node`` at token ``j``: (start, node, budget, next)."""
        c = self.cont[node]
        parts = [(s[c], node[c], np.zeros(int(c.sum()), _I64), j[c])]
        if self.any_gaps:
            g = self.gap_cnt[node]
            if g.any():
                at = _ranges(self.gap_ptr[node], g)
                parts.append((np.repeat(s, g), self.gap_node[at], self.gap_k[at], np.repeat(j, g)))
        return [np.concatenate(x) for x in zip(*parts, strict=True)]

    def walk(self, ids: np.ndarray, stop: np.ndarray, sent_key: np.ndarray, pos: np.ndarray):
        """All matches starting at positions ``pos`` of ``ids``: (start, end, payload index).

        ``stop[j]``: no walk continues into token ``j`` (a document start, a blank line, the
        end); a gap skips no sentence-ending token (``sent_key`` over the vocabulary).
        """
        v = ids[pos]
        cnt = self.first_cnt[v]
        s = np.repeat(pos.astype(_I64), cnt)
        node = self.first_node[_ranges(self.first_ptr[v], cnt)]
        out: list = []
        self._emit(out, s, s + 1, node)
        S, N, B, J = self._states(s, node, s + 1)
        n_vocab = self.n_vocab
        while len(S):
            ok = ~stop[J]
            if not ok.all():
                S, N, B, J = S[ok], N[ok], B[ok], J[ok]
                if not len(S):
                    break
            tv = ids[J]
            keep = (B > 0) & ~sent_key[tv]
            q = N * n_vocab + tv
            lo = np.searchsorted(self.tr_key, q, "left")
            c = np.searchsorted(self.tr_key, q, "right") - lo
            if c.any():
                rs, rj = np.repeat(S, c), np.repeat(J + 1, c)
                child = self.tr_child[_ranges(lo, c)]
                self._emit(out, rs, rj, child)
                S2, N2, B2, J2 = self._states(rs, child, rj)
            else:
                S2 = N2 = B2 = J2 = np.zeros(0, _I64)
            S = np.concatenate([S[keep], S2])
            N = np.concatenate([N[keep], N2])
            B = np.concatenate([B[keep] - 1, B2])
            J = np.concatenate([J[keep] + 1, J2])
        if not out:
            empty = np.zeros(0, _I64)
            return empty, empty, empty
        return tuple(np.concatenate(x) for x in zip(*out, strict=True))


def first_steps(comp, info: VocabInfo, vocab: Sequence[str], slot: int) -> dict:
    """{vocabulary id: trie nodes its chunk reaches} for memo slot ``slot`` of ``comp``
    (0 hits, 1 exclusions, 2 negation cues, 4 context cues)."""
    out = {}
    memo = comp.memo
    for v, c in enumerate(vocab):
        got = memo.get(c)
        if got is not None and got[slot]:
            out[v] = got[slot]
    return out


def scope_steps(comp, info: VocabInfo) -> dict:
    """First steps of the scope trie (its ``lemma:`` cues are not resolved)."""
    trie = comp.scope
    out = {}
    for v, k in enumerate(info.keys):
        got = trie.first(k)
        if got:
            out[v] = got
    return out


# ===================================================================== regexes


@contextlib.contextmanager
def regex_clock(current: list):
    """Yield ``(start, stop)``: arm / disarm a :data:`_engine.REGEX_SECONDS` alarm for one
    document's regexes (SIGALRM, only in the main thread and with no other timer running; the
    handler is installed once per block)."""
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    if not usable:
        yield (lambda: None), (lambda: None)
        return

    def ring(_signum, _frame):
        raise RegexTimeout(*current)

    previous = signal.signal(signal.SIGALRM, ring)
    try:
        yield (
            lambda: signal.setitimer(signal.ITIMER_REAL, _engine.REGEX_SECONDS),
            lambda: signal.setitimer(signal.ITIMER_REAL, 0),
        )
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def regex_spans(
    comp, text: str, starts: dict, current: list, full: Sequence[int] | None = None
) -> list[tuple[int, int, int]]:
    """Regex matches of one document as (start, end, regex index), as ``finditer`` finds
    them: a prefixed regex is tried only at ``starts`` ({regex: [char position where a word
    starts with one of its prefixes]}), left to right, skipping positions inside the previous
    match; a regex without known prefixes runs over the whole text."""
    out = []
    if full is None:  # the regexes without known prefixes
        full = [r for r, prefixes in enumerate(comp.regex_prefixes) if prefixes is None]
    for r in (*full, *sorted(starts)):  # a prefixed regex without a start cannot match
        fid, rx, cre, _rk = comp.regexes[r]
        current[:] = [fid, rx]
        if comp.regex_prefixes[r] is None:
            out.extend((m.start(), m.end(), r) for m in cre.finditer(text) if m.end() > m.start())
            continue
        last = 0
        for pos in starts.get(r, ()):
            if pos < last:
                continue
            m = cre.match(text, pos)
            if m is not None and m.end() > m.start():
                last = m.end()
                out.append((m.start(), m.end(), r))
    return out


# ===================================================================== rules


def joined_ok(info: VocabInfo, ids, text: str, char0: int, t0: int, d0: int, rule) -> bool:
    """May a one-token match of a multi-word entry count? A hyphenated token always may
    ("dug-in" for ``dug in``). A closed-up token ("ceasefire") only for an entry written with a
    hyphen (``cease-fire``: compound-capable), and never when the token is capitalised and not
    sentence-initial ("Dugin") unless the entry is written with a capital.

    ``rule``: (entry written with spaces, entry written with a capital); ``t0``: the token,
    ``char0``: where it starts in ``text``, ``d0``: the document's first token in ``ids``."""
    spaced, asks_capital = rule
    raw = text[char0 : char0 + int(info.body[ids[t0]])]
    if any(h in raw for h in _HYPHENS):
        return True
    if spaced:
        return False
    if asks_capital or not raw[:1].isupper():
        return True
    t = t0
    while True:  # sentence-initial: at a line start or after an end (opening quotes skipped)
        if t == d0 or info.newline[ids[t]]:
            return True
        prev = ids[t - 1]
        if info.boundary[prev]:
            return True
        if not info.opener[prev]:
            return False
        t -= 1


def leftmost_longest(S, E, F, R) -> np.ndarray:
    """Mask of the hits kept per frame: sorted by (start, longest, rank), a hit is kept when it
    starts at or after the end of the last kept hit of its frame."""
    order = np.lexsort((R, -E, S, F))
    s, e, f = S[order], E[order], F[order]
    big = int(E.max()) + 1 if len(E) else 1
    run = np.maximum.accumulate(f * big + e) - f * big  # running max end within the frame
    prev = np.empty_like(run)
    prev[:1] = -1
    prev[1:] = run[:-1]
    prev[1:][f[1:] != f[:-1]] = -1
    sure = s >= prev
    kept = sure.copy()
    unsure = np.flatnonzero(~sure).tolist()
    if unsure:
        head = np.maximum.accumulate(np.where(sure, np.arange(len(s)), 0))
        last_head, last = -1, 0
        sl, el, hl = s.tolist(), e.tolist(), head.tolist()
        for i in unsure:  # in order; a cluster = a sure (kept) hit and the unsure ones after it
            if hl[i] != last_head:
                last_head = hl[i]
                last = el[last_head]
            if sl[i] >= last:
                kept[i] = True
                last = el[i]
    out = np.zeros(len(S), dtype=bool)
    out[order] = kept
    return out


def blocker_spans(seqs, info: VocabInfo, ids, doc_end, pos):
    """Token spans [start, end) of every negation-blocker match starting at ``pos`` (``...`` =
    a gap of 0-3 tokens, none a sentence end; nothing crosses ``doc_end`` of its start)."""
    starts, stops = [], []
    n = len(ids)
    for seq in seqs:
        if not seq:
            continue
        S = pos
        if seq[0] != "...":
            S = S[info.word_mask(seq[0])[ids[S]]]
        J, DE = S.copy(), doc_end[np.searchsorted(doc_end, S, "right")]
        for word in seq:
            if not len(S):
                break
            if word == "...":
                parts = [(S, J, DE)]
                ok = np.ones(len(S), dtype=bool)
                for gap in range(1, 4):
                    t = J + gap - 1
                    ok &= t < DE
                    ok[ok] &= ~info.sent[ids[t[ok]]]
                    parts.append((S[ok], J[ok] + gap, DE[ok]))
                S, J, DE = (np.concatenate(x) for x in zip(*parts, strict=True))
            else:
                ok = J < DE
                ok[ok] &= info.word_mask(word)[ids[np.minimum(J[ok], n - 1)]]
                S, J, DE = S[ok], J[ok] + 1, DE[ok]
        good = J > S
        starts.append(S[good])
        stops.append(J[good])
    if not starts:
        return np.zeros(0, _I64), np.zeros(0, _I64)
    return np.sort(np.concatenate(starts)), np.sort(np.concatenate(stops))


# ===================================================================== one language, by blocks


class Matcher:
    """A codebook compiled for one language (:func:`framelab._engine._compile`, classified
    over the vocabulary) as integer tables over a tokenised corpus."""

    def __init__(self, comp, tok, info: VocabInfo):
        self.comp, self.info = comp, info
        slots: dict[int, dict] = {0: {}, 1: {}, 2: {}, 4: {}}
        rx_starts: dict[int, tuple] = {}
        index = tok.index
        for c in comp.marked_chunks:
            v = index.get(c)
            if v is None:
                continue
            got = comp.memo[c]
            for slot, into in slots.items():
                if got[slot]:
                    into[v] = got[slot]
            if got[3]:
                rx_starts[v] = got[3]
        self.rx_starts = rx_starts
        self.rx_has = np.zeros(info.n, dtype=bool)
        self.rx_has[list(rx_starts)] = True
        self.hits = TrieTable(comp.hits, slots[0], info)
        self.excl = TrieTable(comp.exclude, slots[1], info) if comp.frames_with_exclusions else None
        self.cues = TrieTable(comp.cues, slots[2], info) if comp.cues.size else None
        self.context = TrieTable(comp.context, slots[4], info) if comp.ambiguous else None
        self.frames = comp.frames
        fidx = {f: i for i, f in enumerate(comp.frames)}
        for name in ("excl", "context"):  # payload -> frame index (-1: not a frame)
            table = getattr(self, name)
            pays = table.payload if table is not None else []
            setattr(self, f"{name}_frame", np.asarray([fidx.get(f, -1) for f, _, _ in pays], _I64))
        entries = [(f, p, r) for f, p, r in self.hits.payload]
        entries += [(f, rx, r) for f, rx, _cre, r in comp.regexes]
        self.n_trie = len(self.hits.payload)
        self.e_frame = np.asarray([fidx[f] for f, _, _ in entries], _I64)
        self.e_rank = np.asarray([r for _, _, r in entries], _I64)
        self.e_pattern = np.asarray([p for _, p, _ in entries] or [""], dtype=object)
        self.e_ambiguous = np.asarray([(f, p) in comp.ambiguous for f, p, _ in entries], bool)
        self.e_rule = [comp.multipart.get(p) for _, p, _ in entries]
        self.e_joined = np.asarray([r is not None for r in self.e_rule], bool)
        self.f_window = np.asarray([comp.exclude_window[f] for f in comp.frames], _I64)
        self.f_excl = np.asarray([f in comp.frames_with_exclusions for f in comp.frames], bool)
        labels = sorted({*comp.scope_label.values(), *comp.scope_rival.values()})
        lidx: dict[str, int] = {}
        self.scope = None
        if labels:
            self.scope = TrieTable(comp.scope, scope_steps(comp, info), info)
            labels = sorted({*labels, *(fr for fr, _, _ in self.scope.payload)})
            lidx = {lab: i for i, lab in enumerate(labels)}
            self.n_labels = len(labels)
            self.pay_label = np.asarray([lidx[fr] for fr, _, _ in self.scope.payload], _I64)
            used = {*comp.scope_label.values(), *comp.scope_rival.values()}
            self.all_labels = np.asarray([lidx[x] for x in sorted(used)])
        self.marked = self.hits.has_first | self.rx_has
        for table in (self.excl, self.cues, self.context, self.scope):
            if table is not None:
                self.marked = self.marked | table.has_first | table.first_cont
        self.f_label = np.asarray(
            [lidx[comp.scope_label[f]] if f in comp.scope_label else -1 for f in comp.frames],
            _I64,
        )
        self.f_rival = np.asarray(
            [lidx.get(comp.scope_rival.get(f), -1) for f in comp.frames], _I64
        )
        levels = [comp.scope_level.get(f, "document") for f in comp.frames]
        self.f_level = np.asarray([SCOPE_LEVELS.index(x) for x in levels], _I64)  # per frame


class _Block:
    """Documents ``[d0, d1)`` of a tokenised corpus: their id array and document bounds."""

    def __init__(self, tok, d0: int, d1: int, active: np.ndarray, info: VocabInfo, marked):
        self.d0, self.d1 = d0, d1
        self._texts: list[str] | None = None
        self.lo = int(tok.offsets[d0])
        self.ids = ids = tok.ids[self.lo : int(tok.offsets[d1])]
        self.n = n = len(ids)
        self.ds = (tok.offsets[d0 : d1 + 1] - self.lo).astype(_I64)  # document starts + end
        self.active_tok = np.repeat(active, np.diff(self.ds))
        self.stop = np.empty(n + 1, dtype=bool)
        self.stop[:n] = info.walk_stop[ids]
        self.stop[n] = True
        self.stop[self.ds[:-1][self.ds[:-1] < n]] = True
        self.info = info
        #: positions (in active documents) of the tokens that start anything, and their ids
        self.marks = np.flatnonzero(marked[ids] & self.active_tok)
        self.mark_ids = ids[self.marks]
        #: cached: running offsets, paragraph starts, paragraph breaks, sentence starts
        self._cum = self._pstarts = self._breaks = self._sstarts = None

    def texts(self, tok) -> list[str]:
        """The block's texts as Python strings (converted once per block)."""
        if self._texts is None:
            part = tok.texts[self.d0 : self.d1]
            self._texts = part.tolist() if hasattr(part, "tolist") else list(part)
        return self._texts

    def doc(self, pos: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.ds, pos, "right") - 1

    def positions(self, vocab_mask: np.ndarray) -> np.ndarray:
        """Positions of the active documents' tokens whose id is in ``vocab_mask``."""
        return self.marks[vocab_mask[self.mark_ids]]

    def cum(self) -> np.ndarray:
        """Running character count of the block: ``cum()[t]`` = end of token ``t`` in the
        concatenated texts (an end offset in its document minus the document's ``base``)."""
        if self._cum is None:  # with a leading 0 (see base)
            self._cum = np.zeros(self.n + 1, _I64)
            np.cumsum(self.info.lens[self.ids], out=self._cum[1:])
        return self._cum[1:]

    def base(self, doc: np.ndarray) -> np.ndarray:
        """``cum()`` where each document starts."""
        self.cum()
        return self._cum[self.ds[doc]]

    def char_end(self, t: np.ndarray, doc: np.ndarray) -> np.ndarray:
        """End offset (in its document's text) of token ``t``."""
        return self.cum()[t] - self.base(doc)

    def compound_tail(self, t: np.ndarray, doc: np.ndarray) -> np.ndarray:
        """Token ``t`` (of document ``doc``) starts at the tail of a hyphenated word: the rule
        of :func:`framelab._engine._compound_tail` at its first character, from the classes of
        the three characters before it (the token's leading whitespace, then up to three
        chunks before it in its document: each chunk holds at least one character)."""
        info, ids = self.info, self.ids
        before = np.zeros((len(t), 3), np.int8)
        first = self.ds[doc]
        for back in (3, 2, 1):
            q = t - back
            ok = q >= first
            v = ids[np.where(ok, q, 0)]
            before = _join3(before, info.tail3[v], np.where(ok, info.tail_len[v], 0))
        v = ids[t]
        return _compound_tail_classes(*_join3(before, info.ws3[v], info.ws_len[v]).T)

    def breaks(self) -> np.ndarray:
        """Positions of the tokens that start a paragraph (after a blank line)."""
        if self._breaks is None:
            self._breaks = np.flatnonzero(self.info.para[self.ids])
        return self._breaks

    def paragraph(self, pos: np.ndarray) -> np.ndarray:
        """Paragraph number (within the block) of each position."""
        if self._pstarts is None:
            self._pstarts = np.union1d(self.ds[:-1], self.breaks())
        return np.searchsorted(self._pstarts, pos, "right") - 1

    def sentence(self, pos: np.ndarray) -> np.ndarray:
        """Sentence number (within the block) of each position. A sentence starts at a
        document start, at a token whose leading whitespace holds a line break and at the
        token after a sentence end (``_SENT_END``: ``. ! ? … ;``)."""
        if self._sstarts is None:
            info, ids = self.info, self.ids
            after = np.flatnonzero(info.sent[ids]) + 1  # (the block's end is no start)
            lines = np.union1d(self.ds[:-1], np.flatnonzero(info.newline[ids]))
            self._sstarts = np.union1d(lines, after[after < self.n])
        return np.searchsorted(self._sstarts, pos, "right") - 1

    def flat(self, doc: np.ndarray) -> np.ndarray:
        """The documents have no paragraph break (a break at a document's start is none)."""
        return count_in(self.breaks(), self.ds[doc] + 1, self.ds[doc + 1] - 1) == 0


def match_block(m: Matcher, tok, d0: int, d1: int, active: np.ndarray, window: int):
    """Hits of the active documents among ``[d0, d1)``: a dict of arrays (positions are
    global token positions), or None."""
    comp, info = m.comp, m.info
    b = _Block(tok, d0, d1, active, info, m.marked)
    ids = b.ids
    s, e, ent = m.hits.walk(ids, b.stop, info.sent_key, b.positions(m.hits.has_first))
    if comp.regexes:
        rs, re_, rent = _block_regexes(m, tok, b, d0, active)
        s, e, ent = np.concatenate([s, rs]), np.concatenate([e, re_]), np.concatenate([ent, rent])
    if not len(s):
        return None
    doc = b.doc(s)
    tail = b.compound_tail(s, doc)  # a match never starts inside a hyphenated word
    if tail.any():
        s, e, ent, doc = s[~tail], e[~tail], ent[~tail], doc[~tail]
    texts = b.texts(tok)
    joined = (e - s == 1) & m.e_joined[ent]
    if joined.any():  # closed-up spellings of multi-word entries: only where allowed
        ok = np.ones(len(s), dtype=bool)
        at = np.flatnonzero(joined)
        char0 = b.char_end(s[at], doc[at]) - info.body[ids[s[at]]]
        for k, c0 in zip(at.tolist(), char0.tolist(), strict=True):
            d = int(doc[k])
            ok[k] = joined_ok(info, ids, texts[d], c0, int(s[k]), int(b.ds[d]), m.e_rule[ent[k]])
        s, e, ent, doc = s[ok], e[ok], ent[ok], doc[ok]
    frame, rank = m.e_frame[ent], m.e_rank[ent]
    keep = leftmost_longest(s, e, frame, rank)
    if m.excl is not None:
        keep[keep] &= ~_vetoed(m, b, s[keep], e[keep], frame[keep], doc[keep])
    weak = keep & m.e_ambiguous[ent]
    if weak.any():
        keep[weak] &= _in_context(m, b, s[weak], frame[weak], doc[weak])
    s, e, ent, doc, frame, rank = (x[keep] for x in (s, e, ent, doc, frame, rank))
    if not len(s):
        return None
    order = np.lexsort((rank, -e, s))
    s, e, ent, doc, frame = (x[order] for x in (s, e, ent, doc, frame))
    negated = _negated(m, b, s, doc, window) if m.cues is not None else np.zeros(len(s), bool)
    return {
        "pos": s + b.lo,
        "doc": doc + d0,
        "entry": ent,
        "frame": frame,
        "start": b.char_end(s, doc) - info.body[ids[s]],
        "end": b.char_end(e - 1, doc),
        "negated": negated,
        "out_of_scope": out_of_scope(m, b, s, frame, doc),
    }


def _block_regexes(m: Matcher, tok, b: _Block, d0: int, active: np.ndarray):
    """Regex hits of the block's active documents: (first token, end token, entry)."""
    comp, info, ids = m.comp, m.info, b.ids
    rpos = b.positions(m.rx_has)
    if comp.full_text_regexes:
        docs = np.flatnonzero(active)
    else:
        docs = np.unique(b.doc(rpos))
    cuts = np.searchsorted(rpos, b.ds).tolist()
    at = (b.char_end(rpos, b.doc(rpos)) - info.body[ids[rpos]]).tolist()  # token starts
    rx_of = [m.rx_starts[v] for v in ids[rpos].tolist()]
    current = ["", ""]
    texts = b.texts(tok)
    full = [r for r, prefixes in enumerate(comp.regex_prefixes) if prefixes is None]
    found: list[tuple[int, int, int, int]] = []
    with regex_clock(current) as (arm, disarm):
        for d in docs.tolist():
            starts: dict[int, list[int]] = {}
            for k in range(cuts[d], cuts[d + 1]):
                for r, offset in rx_of[k]:
                    starts.setdefault(r, []).append(at[k] + offset)
            arm()
            try:
                got = regex_spans(comp, texts[d], starts, current, full)
            except RegexTimeout as slow:
                slow.doc_id = tok.doc_ids[d0 + d]
                raise
            finally:
                disarm()
            text = texts[d]  # a regex match never starts inside a hyphenated word either
            found.extend((d, s, e, r) for s, e, r in got if not _compound_tail(text, s))
    if not found:
        empty = np.zeros(0, _I64)
        return empty, empty, empty
    doc, s, e, r = (np.asarray(x, _I64) for x in zip(*found, strict=True))
    # token bounds as in the document's own end offsets: first token ending after the start,
    # last token ending at or after the end (searched in the block's running offsets)
    hi, base, cum = b.ds[doc + 1], b.base(doc), b.cum()
    t0 = np.minimum(np.searchsorted(cum, base + s, "right"), hi)
    t1 = np.minimum(np.searchsorted(cum, base + e, "left") + 1, hi)
    ok = t0 < hi  # a match in the trailing whitespace has no token
    return t0[ok], t1[ok], m.n_trie + r[ok]


def _vetoed(m: Matcher, b: _Block, t0, t1, frame, doc) -> np.ndarray:
    """An exclusion of the hit's frame starts at most ``w`` tokens after the hit and ends at
    most ``w`` tokens before it (same document): count(start <= X) - count(end < Y)."""
    out = np.zeros(len(t0), dtype=bool)
    has = m.f_excl[frame]
    if not has.any():
        return out
    s, e, pay = m.excl.walk(b.ids, b.stop, m.info.sent_key, b.positions(m.excl.has_first))
    if not len(s):
        return out
    fr = m.excl_frame[pay]
    big = b.n + 1
    skeys, ekeys = np.sort(fr * big + s), np.sort(fr * big + e)
    w = m.f_window[frame]
    x = np.minimum(t1 + w, b.ds[doc + 1] - 1)
    y = np.maximum(t0 - w, b.ds[doc] + 1)
    count = np.searchsorted(skeys, frame * big + x, "right") - np.searchsorted(
        ekeys, frame * big + y, "left"
    )
    return has & (count > 0)


def _in_context(m: Matcher, b: _Block, t0, frame, doc) -> np.ndarray:
    """A context cue of the frame starts in the hit's paragraph (in a document without
    paragraph breaks: at most ``CONTEXT_WINDOW`` tokens before or after the hit)."""
    s, _e, pay = m.context.walk(b.ids, b.stop, m.info.sent_key, b.positions(m.context.has_first))
    if not len(s):
        return np.zeros(len(t0), dtype=bool)
    fr = m.context_frame[pay]
    s, fr = s[fr >= 0], fr[fr >= 0]
    out = np.zeros(len(t0), dtype=bool)
    flat = b.flat(doc)
    if flat.any():
        out[flat] = cue_within(b, s, fr, t0[flat], frame[flat], doc[flat], _engine.CONTEXT_WINDOW)
    if (~flat).any():
        nf = len(m.frames)
        cues = np.unique(b.paragraph(s) * nf + fr)
        out[~flat] = np.isin(b.paragraph(t0[~flat]) * nf + frame[~flat], cues)
    return out


def _negated(m: Matcher, b: _Block, t0, doc, window: int) -> np.ndarray:
    """A negation cue (not covered by a blocker) ends at most ``window`` tokens before the hit,
    in its clause: no token ``ce .. t0-1`` is a clause end (``_CLAUSE_END``) and no token
    ``ce .. t0`` holds a line break (``ce``: the token after the cue, ``t0``: the hit)."""
    info, ids = m.info, b.ids
    cs, ce, _pay = m.cues.walk(ids, b.stop, info.sent_key, b.positions(m.cues.has_first))
    if not len(cs):
        return np.zeros(len(t0), dtype=bool)
    if m.comp.blockers:  # a blocker covering a cue starts at most ``reach`` tokens before it
        reach = max(len(q) - 1 + 2 * q.count("...") for q in m.comp.blockers)
        near = np.unique(np.subtract.outer(np.unique(cs), np.arange(reach + 1)))
        bs, be = blocker_spans(m.comp.blockers, info, ids, b.ds[1:], near[near >= 0])
        covered = np.searchsorted(bs, cs, "right") - np.searchsorted(be, cs, "right") > 0
        ce = ce[~covered]
    ce = np.sort(ce)
    clause = np.concatenate([[-1], np.flatnonzero(info.clause[ids])])  # -1: none before
    line = np.concatenate([[-1], np.flatnonzero(info.newline[ids])])
    last_end = np.maximum(
        clause[np.searchsorted(clause, t0, "left") - 1],  # the last clause end before t0
        line[np.searchsorted(line, t0, "right") - 1],  # the last line break at or before t0
    )
    lo = np.maximum(np.maximum(t0 - window, last_end + 1), b.ds[doc] + 1)
    return count_in(ce, lo, t0) > 0
