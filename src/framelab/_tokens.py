"""The tokenised corpus behind :func:`framelab.code_frames` and ``Coded.recode`` (private).

Coding runs in two passes (issue 22):

1. :func:`tokenize_corpus` tokenises every document once into chunks (leading whitespace +
   token, see :mod:`framelab._engine`) and stores them as integer ids into one vocabulary of
   distinct chunks per corpus (``ids``: one int32 array, ``offsets``: where each document
   starts), together with the units (spans, word counts) of the coding level. None of this
   depends on the codebook.
2. :func:`match_hits` resolves the codebook against the *vocabulary*: each distinct chunk is
   classified once per language (which trie nodes it reaches, whether it can start a hit, an
   exclusion, a negation or context cue, a regex), the positions of the interesting tokens are
   found for the whole corpus at once with numpy, documents without a hit-starting token are
   skipped, and the others are matched by the very same per-document code as before
   (:func:`framelab._engine._match_tokens`), so hits, offsets and every rule stay as they were.

The :class:`Tokenized` corpus is kept on the ``Coded`` result, so a recode after a codebook edit
skips pass 1 (and, for the frames the edit did not touch, pass 2).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from framelab._engine import (
    RegexTimeout,
    _ChunkCache,
    _classify,
    _compile,
    _key,
    _match_tokens,
    _token_bounds,
    _tokens,
    _units,
    _word_counts,
)
from framelab._unit_ids import unit_id
from framelab.text import SentenceSplitter, paragraph_spans

__all__ = ["Tokenized", "match_hits", "tokenize_corpus"]


@dataclass
class Tokenized:
    """A corpus tokenised once: token ids into one vocabulary, and the units of one level."""

    doc_ids: list[str]
    texts: list[str]
    level: str
    vocab: list[str]
    ids: np.ndarray  # int32, every document's chunk ids one after the other
    offsets: np.ndarray  # int64, n_docs + 1: document d is ids[offsets[d]:offsets[d + 1]]
    units: pd.DataFrame  # doc_id, unit_id, level, start, end, n_tokens
    unit_offsets: np.ndarray  # int64, n_docs + 1: the units of document d
    index: dict[str, int] = field(default_factory=dict)  # chunk -> id
    cache: _ChunkCache = field(default_factory=_ChunkCache)
    #: per document: 1 = no paragraph break (one paragraph), 0 = several, -1 = not looked at
    flat: np.ndarray | None = None

    @property
    def nbytes(self) -> int:
        """Bytes of the token id arrays."""
        return int(self.ids.nbytes + self.offsets.nbytes)

    def one_paragraph(self, d: int) -> bool:
        """Document ``d`` has no paragraph break."""
        if self.flat is None:
            self.flat = np.full(len(self.doc_ids), -1, dtype=np.int8)
        if self.flat[d] < 0:
            self.flat[d] = len(paragraph_spans(self.texts[d])) <= 1
        return bool(self.flat[d])


def tokenize_corpus(
    doc_ids: Sequence[str],
    texts: Sequence[str],
    level: str,
    splitter: SentenceSplitter | None,
    progress: bool = False,
) -> Tokenized:
    """Pass 1: chunk ids, offsets and units of every document (see the module docstring)."""
    index: dict[str, int] = {}
    vocab: list[str] = []
    cache = _ChunkCache()
    keys, words = cache.keys, cache.words
    parts: list[np.ndarray] = []
    unit_rows: list[tuple] = []
    unit_offsets = [0]
    iterator = zip(doc_ids, texts, strict=True)
    if progress:
        from tqdm import tqdm

        iterator = tqdm(iterator, total=len(doc_ids), desc=f"tokenizing ({level})", unit="doc")
    for doc_id, text in iterator:
        chunks, ends = _tokens(text)
        for c in set(chunks).difference(index):
            index[c] = len(vocab)
            vocab.append(c)
            tok = c.strip()
            keys[c] = _key(tok)
            words[c] = any(ch.isalnum() for ch in tok)
        parts.append(np.fromiter(map(index.__getitem__, chunks), np.int32, len(chunks)))
        spans = _units(text, level, splitter)
        unit_ids = [unit_id(doc_id, level, k) for k in range(len(spans))]
        bounds = [(0, len(chunks))] if level == "document" else _token_bounds(ends, spans)
        counts = _word_counts(chunks, words, bounds)
        for uid, (s, e), n_words in zip(unit_ids, spans, counts, strict=True):
            unit_rows.append((doc_id, uid, level, s, e, n_words))
        unit_offsets.append(len(unit_rows))
    from framelab.schema import UNIT_COLUMNS

    units = pd.DataFrame(unit_rows, columns=list(UNIT_COLUMNS))
    units = units.astype({"start": "int64", "end": "int64", "n_tokens": "int64"})
    lengths = np.fromiter(map(len, parts), np.int64, len(parts))
    return Tokenized(
        doc_ids=list(doc_ids),
        texts=list(texts),
        level=level,
        vocab=vocab,
        ids=np.concatenate(parts) if parts else np.zeros(0, np.int32),
        offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        units=units,
        unit_offsets=np.asarray(unit_offsets, dtype=np.int64),
        index=index,
        cache=cache,
    )


def _mask(tok: Tokenized, chunks) -> np.ndarray:
    """Boolean mask over the vocabulary of the chunks in ``chunks``."""
    out = np.zeros(len(tok.vocab), dtype=bool)
    index = tok.index
    hit = [index[c] for c in chunks if c in index]
    out[hit] = True
    return out


def candidate_docs(tok: Tokenized, codebook, languages: Sequence[str]) -> np.ndarray:
    """Indices of the documents where an entry of ``codebook`` could start a hit (a token
    that starts a term, phrase or prefixed regex; every document for a regex without prefix)."""
    by_lang: dict[str, list[int]] = {}
    for d, lang in enumerate(languages):
        by_lang.setdefault(lang, []).append(d)
    out = []
    for lang, docs in by_lang.items():
        comp = _compile(codebook, lang)
        out.append(_candidates(tok, comp, docs))
    return np.unique(np.concatenate(out)) if out else np.zeros(0, np.int64)


def _live_starts(tok: Tokenized, comp) -> np.ndarray:
    """Positions (in ``tok.ids``) of the tokens that start a hit, a phrase that goes on with the
    next token, or a regex: a token whose trie nodes hold no entry of their own (no payload, no
    gap) and that starts no regex is dropped when the next token of its document continues
    none of them (resolved once per vocabulary pair, then one ``np.isin`` for the corpus)."""
    vocab, keys, index = tok.vocab, tok.cache.keys, tok.index
    n_vocab = len(vocab)
    needs = np.zeros(n_vocab, dtype=bool)
    by_key: dict[str, list[int]] | None = None
    pairs: list[np.ndarray] = []
    for c in comp.start_chunks:
        hit_nodes, _excl, _cue, rx_starts, _ctx = comp.memo[c]
        if not hit_nodes or rx_starts or any(n.payload or n.gaps for n in hit_nodes):
            continue
        if by_key is None:  # chunks that can continue a phrase (no paragraph break), by key
            by_key = {}
            for i, ch in enumerate(vocab):
                if "\n\n" not in ch:
                    by_key.setdefault(keys[ch], []).append(i)
            sorted_keys = sorted(by_key)
        nxt: set[int] = set()
        for node in hit_nodes:
            for k in node.children:
                nxt.update(by_key.get(k, ()))
            for g in node.globs:  # every key that starts with the glob's stem
                lo = bisect.bisect_left(sorted_keys, g)
                hi = bisect.bisect_left(sorted_keys, g + "\U0010ffff")
                for k in sorted_keys[lo:hi]:
                    nxt.update(by_key[k])
        a = index[c]
        needs[a] = True
        pairs.append(a * n_vocab + np.fromiter(nxt, np.int64, len(nxt)))
    pos = np.flatnonzero(_mask(tok, comp.start_chunks)[tok.ids])
    if not pairs:
        return pos
    allowed = np.unique(np.concatenate(pairs))
    first = tok.ids[pos].astype(np.int64)
    check = needs[first]
    nxt_pos = pos[check] + 1
    doc_end = tok.offsets[np.searchsorted(tok.offsets, pos[check], side="right")]
    nxt_id = np.where(nxt_pos < doc_end, tok.ids[np.minimum(nxt_pos, len(tok.ids) - 1)], -1)
    alive = np.isin(first[check] * n_vocab + nxt_id, allowed) & (nxt_id >= 0)
    keep = ~check
    keep[np.flatnonzero(check)[alive]] = True
    return pos[keep]


def _candidates(tok: Tokenized, comp, docs: list[int]) -> np.ndarray:
    """Pass 2's document filter: classify the vocabulary of ``docs``, keep those with a
    hit-starting token."""
    n_docs = len(tok.doc_ids)
    if len(docs) == n_docs:
        present = tok.vocab
    else:
        in_lang = np.zeros(n_docs, dtype=bool)
        in_lang[docs] = True
        tokens_in = np.repeat(in_lang, np.diff(tok.offsets))
        present = [tok.vocab[i] for i in np.unique(tok.ids[tokens_in]).tolist()]
    _classify(comp, present, tok.cache)
    if comp.full_text_regexes:
        return np.asarray(docs, dtype=np.int64)
    pos = np.flatnonzero(_mask(tok, comp.start_chunks)[tok.ids])
    with_start = np.unique(np.searchsorted(tok.offsets, pos, side="right") - 1)
    return np.intersect1d(with_start, np.asarray(docs, dtype=np.int64))


def match_hits(
    tok: Tokenized,
    codebook,
    languages: Sequence[str],
    progress: bool = False,
    only: np.ndarray | None = None,
):
    """Pass 2: the Hits table (``HIT_COLUMNS``, doc_id order) of ``codebook`` on ``tok``
    (on the documents ``only``, when given).

    Raises :class:`framelab._engine.RegexTimeout` with ``.doc_id`` set when a regex runs away.
    """
    from framelab.schema import HIT_COLUMNS

    window = codebook.negation.window
    vocab_arr = np.array(tok.vocab, dtype=object)
    lens = np.fromiter(map(len, tok.vocab), np.int64, len(tok.vocab))
    by_lang: dict[str, list[int]] = {}
    for d, lang in enumerate(languages):
        by_lang.setdefault(lang, []).append(d)
    found: list[tuple[int, object]] = []
    for lang, docs in by_lang.items():
        comp = _compile(codebook, lang)
        cand_docs = _candidates(tok, comp, docs)
        if only is not None:
            cand_docs = np.intersect1d(cand_docs, only)
        if not len(cand_docs):
            continue
        marked = np.flatnonzero(_mask(tok, comp.marked_chunks)[tok.ids])
        cuts = np.searchsorted(marked, tok.offsets)
        live = _live_starts(tok, comp)
        live_cuts = np.searchsorted(live, tok.offsets)
        if not comp.full_text_regexes:  # documents without a live start have no hit
            with_live = np.unique(np.searchsorted(tok.offsets, live, side="right") - 1)
            cand_docs = np.intersect1d(cand_docs, with_live)
        keys, start_chunks = tok.cache.keys, comp.start_chunks
        iterator = cand_docs.tolist()
        if progress:
            from tqdm import tqdm

            iterator = tqdm(iterator, desc=f"matching ({lang})", unit="doc")
        for d in iterator:
            lo, hi = tok.offsets[d], tok.offsets[d + 1]
            seg = tok.ids[lo:hi]
            chunks = vocab_arr[seg].tolist()
            ends = np.cumsum(lens[seg]).tolist()
            marks = (marked[cuts[d] : cuts[d + 1]] - lo).tolist()
            starts = (live[live_cuts[d] : live_cuts[d + 1]] - lo).tolist()
            try:
                dh = _match_tokens(
                    comp, tok.texts[d], chunks, ends, marks, start_chunks, keys, window, starts
                )
            except RegexTimeout as slow:
                slow.doc_id = tok.doc_ids[d]
                raise
            if dh.frames:
                found.append((d, dh))
    found.sort(key=lambda x: x[0])
    rows = []
    starts_all = tok.units["start"].to_numpy()
    unit_ids_all = tok.units["unit_id"].to_numpy(dtype=object)
    for d, dh in found:
        u0, u1 = tok.unit_offsets[d], tok.unit_offsets[d + 1]
        unit_starts = starts_all[u0:u1].tolist()
        doc_id = tok.doc_ids[d]
        for k in range(len(dh.frames)):
            u = u0 + max(0, bisect.bisect_right(unit_starts, dh.starts[k]) - 1)
            rows.append(
                (
                    doc_id,
                    unit_ids_all[u],
                    dh.frames[k],
                    dh.terms[k],
                    dh.starts[k],
                    dh.ends[k],
                    dh.negated[k],
                    dh.out_of_scope[k],
                )
            )
    hits = pd.DataFrame(rows, columns=list(HIT_COLUMNS))
    return hits.astype(
        {"start": "int64", "end": "int64", "negated": "bool", "out_of_scope": "bool"}
    )
