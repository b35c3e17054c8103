"""The tokenised corpus behind :func:`framelab.code_frames` and ``Coded.recode`` (private).

Coding runs in two passes (issue 22):

1. :func:`tokenize_corpus` tokenises every document once into chunks (leading whitespace +
   token, see :mod:`framelab._engine`) and stores them as integer ids into one vocabulary of
   distinct chunks per corpus (``ids``: one int32 array, ``offsets``: where each document
   starts), together with the units (spans, word counts) of the coding level. None of this
   depends on the codebook.
2. :func:`match_hits` resolves the codebook against the *vocabulary*: each distinct chunk is
   classified once per language (which trie nodes it reaches, whether it can start a hit, an
   exclusion, a negation or context cue, a regex), documents without a hit-starting token are
   skipped, and the others are matched in blocks of documents by the vectorised core
   (:mod:`framelab._match_vec`): every rule as an array operation over the token ids.

The :class:`Tokenized` corpus is kept on the ``Coded`` result, so a recode after a codebook edit
skips pass 1 (and, for the frames the edit did not touch, pass 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np
import pandas as pd

from framelab._engine import (
    _ChunkCache,
    _chunks,
    _classify,
    _compile,
    _key,
    _token_bounds,
    _units,
)
from framelab._unit_ids import unit_id
from framelab.text import SentenceSplitter

__all__ = ["Tokenized", "match_hits", "tokenize_corpus"]


@dataclass
class Tokenized:
    """A corpus tokenised once: token ids into one vocabulary, and the units of one level."""

    doc_ids: list[str]
    texts: Sequence[str]  # a list, or a pandas string array (taken block by block)
    level: str
    vocab: list[str]
    ids: np.ndarray  # int32, every document's chunk ids one after the other
    offsets: np.ndarray  # int64, n_docs + 1: document d is ids[offsets[d]:offsets[d + 1]]
    units: pd.DataFrame  # doc_id, unit_id, level, start, end, n_tokens
    unit_offsets: np.ndarray  # int64, n_docs + 1: the units of document d
    index: dict[str, int] = field(default_factory=dict)  # chunk -> id
    cache: _ChunkCache = field(default_factory=_ChunkCache)
    #: per document: 1 = no paragraph break (one paragraph), 0 = several (built on first use)
    flat: np.ndarray | None = None
    #: facts about each vocabulary chunk for the vectorised matcher (built on first use)
    info: object | None = None

    @property
    def nbytes(self) -> int:
        """Bytes of the token id arrays."""
        return int(self.ids.nbytes + self.offsets.nbytes)

    def vocab_info(self):
        """Facts about each vocabulary chunk (:class:`framelab._match_vec.VocabInfo`)."""
        if self.info is None:
            from framelab._match_vec import VocabInfo

            self.info = VocabInfo(self.vocab, self.cache.keys)
        return self.info

    def one_paragraph(self, d: int) -> bool:
        """Document ``d`` has no paragraph break (one paragraph of
        :func:`framelab.text.paragraph_spans`, or none)."""
        if self.flat is None:  # a break = a token (not a document's first) whose leading
            para = self.vocab_info().para  # whitespace holds a blank line
            flat = np.ones(len(self.doc_ids), dtype=np.int8)
            step = 1 << 20
            for lo in range(0, len(self.ids), step):
                at = np.flatnonzero(para[self.ids[lo : lo + step]]) + lo
                doc = np.searchsorted(self.offsets, at, "right") - 1
                flat[doc[at > self.offsets[doc]]] = 0
            self.flat = flat
        return bool(self.flat[d])


class _Ids(dict):
    """chunk -> id; a chunk seen for the first time gets the next id."""

    __slots__ = ()

    def __missing__(self, chunk: str) -> int:
        self[chunk] = n = len(self)
        return n


def tokenize_corpus(
    doc_ids: Sequence[str],
    texts: Sequence[str],
    level: str,
    splitter: SentenceSplitter | None,
    progress: bool = False,
) -> Tokenized:
    """Pass 1: chunk ids, offsets and units of every document (see the module docstring).

    The ids grow in one ``array`` (no per-document arrays to concatenate); word counts of the
    units come from the ids afterwards (:func:`_unit_word_counts`)."""
    import array

    index = _Ids()
    ids = array.array("i")
    lengths = array.array("q")
    unit_rows: list[tuple] = []
    bounds = array.array("q")  # token range [lo, hi) of each unit, in the whole corpus
    unit_offsets = [0]
    iterator = zip(doc_ids, texts, strict=True)
    if progress:
        from tqdm import tqdm

        iterator = tqdm(iterator, total=len(doc_ids), desc=f"tokenizing ({level})", unit="doc")
    at = 0
    whole = level == "document"
    for doc_id, text in iterator:
        chunks = _chunks(text)
        ids.extend(map(index.__getitem__, chunks))
        n = len(chunks)
        lengths.append(n)
        if whole:
            unit_rows.append((doc_id, unit_id(doc_id, level, 0), level, 0, len(text)))
            bounds.extend((at, at + n))
        else:
            spans = _units(text, level, splitter)
            ends = list(accumulate(map(len, chunks)))
            for k, ((s, e), (lo, hi)) in enumerate(
                zip(spans, _token_bounds(ends, spans), strict=True)
            ):
                unit_rows.append((doc_id, unit_id(doc_id, level, k), level, s, e))
                bounds.extend((at + lo, at + hi))
        at += n
        unit_offsets.append(len(unit_rows))
    vocab = list(index)
    cache = _ChunkCache()
    keys, words = cache.keys, cache.words
    for c in vocab:
        tok = c.strip()
        keys[c] = _key(tok)
        words[c] = any(ch.isalnum() for ch in tok)
    id_array = np.frombuffer(ids, dtype=np.int32) if len(ids) else np.zeros(0, np.int32)
    from framelab.schema import UNIT_COLUMNS

    is_word = np.fromiter(map(words.__getitem__, vocab), bool, len(vocab))
    span = np.frombuffer(bounds, dtype=np.int64).reshape(-1, 2) if len(bounds) else None
    units = pd.DataFrame(unit_rows, columns=list(UNIT_COLUMNS[:-1]))
    units[UNIT_COLUMNS[-1]] = _unit_word_counts(id_array, is_word, span)
    units = units.astype({"start": "int64", "end": "int64", "n_tokens": "int64"})
    return Tokenized(
        doc_ids=list(doc_ids),
        texts=texts,
        level=level,
        vocab=vocab,
        ids=id_array,
        offsets=np.concatenate([[0], np.cumsum(np.frombuffer(lengths, np.int64))]).astype(np.int64)
        if len(lengths)
        else np.zeros(1, np.int64),
        units=units,
        unit_offsets=np.asarray(unit_offsets, dtype=np.int64),
        index=dict(index),
        cache=cache,
    )


def _unit_word_counts(ids: np.ndarray, is_word: np.ndarray, span) -> np.ndarray:
    """Word tokens (punctuation excluded) in each token range ``span[k] = [lo, hi)`` of
    ``ids``, counted block by block (a running count of int64 per block, not per corpus)."""
    if span is None:
        return np.zeros(0, np.int64)
    out = np.zeros(len(span), np.int64)
    step = 1 << 18
    cum = np.zeros(step + 1, np.int64)
    for lo in range(0, len(ids), step):  # each block adds the words it holds to every unit
        part = ids[lo : lo + step]
        np.cumsum(is_word[part], out=cum[1 : len(part) + 1])
        a = np.clip(span[:, 0] - lo, 0, len(part))
        b = np.clip(span[:, 1] - lo, 0, len(part))
        out += cum[b] - cum[a]
    return out


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
    starts = _mask(tok, comp.start_chunks)
    with_start = np.zeros(n_docs, dtype=bool)
    step = 1 << 18
    for lo in range(0, len(tok.ids), step):  # by blocks: no corpus-sized temporaries
        pos = np.flatnonzero(starts[tok.ids[lo : lo + step]]) + lo
        with_start[np.searchsorted(tok.offsets, pos, side="right") - 1] = True
    return np.intersect1d(np.flatnonzero(with_start), np.asarray(docs, dtype=np.int64))


def match_hits(
    tok: Tokenized,
    codebook,
    languages: Sequence[str],
    progress: bool = False,
    only: np.ndarray | None = None,
):
    """Pass 2: the Hits table (``HIT_COLUMNS``, doc_id order) of ``codebook`` on ``tok``
    (on the documents ``only``, when given), matched block by block on the id arrays
    (:mod:`framelab._match_vec`).

    Raises :class:`framelab._engine.RegexTimeout` with ``.doc_id`` set when a regex runs away.
    """
    from framelab import _match_vec

    window = codebook.negation.window
    info = tok.vocab_info()
    by_lang: dict[str, list[int]] = {}
    for d, lang in enumerate(languages):
        by_lang.setdefault(lang, []).append(d)
    n_docs = len(tok.doc_ids)
    parts: list[dict] = []  # per block: numeric arrays (term: an index into ``patterns``)
    patterns: dict[str, int] = {}
    units = _UnitFinder(tok)
    for lang, docs in by_lang.items():
        comp = _compile(codebook, lang)
        cand_docs = _candidates(tok, comp, docs)
        if only is not None:
            cand_docs = np.intersect1d(cand_docs, only)
        if not len(cand_docs):
            continue
        matcher = _match_vec.Matcher(comp, tok, info)
        term_of = np.asarray(
            [patterns.setdefault(p, len(patterns)) for p in matcher.e_pattern.tolist()], np.int32
        )
        active = np.zeros(n_docs, dtype=bool)
        active[cand_docs] = True
        blocks = _blocks(tok.offsets, cand_docs)
        if progress:
            from tqdm import tqdm

            blocks = tqdm(blocks, desc=f"matching ({lang})", unit="block")
        for d0, d1 in blocks:
            got = _match_vec.match_block(matcher, tok, d0, d1, active[d0:d1], window)
            if got is None:
                continue
            got["unit"] = units.rows(got["doc"], got["start"])
            got["term"] = term_of[got.pop("entry")]
            got["doc"] = got["doc"].astype(np.int32)
            got["frame"] = got["frame"].astype(np.int32)
            parts.append(got)
    return _hits_table(tok, parts, list(codebook.frames), list(patterns))


class _UnitFinder:
    """The unit of a hit: the last unit of its document that starts at or before it."""

    def __init__(self, tok: Tokenized):
        self.tok = tok
        self._key: np.ndarray | None = None

    def rows(self, doc: np.ndarray, start: np.ndarray) -> np.ndarray:
        tok = self.tok
        if self._key is None:
            unit_doc = np.repeat(np.arange(len(tok.doc_ids)), np.diff(tok.unit_offsets))
            self._key = (unit_doc << 32) + tok.units["start"].to_numpy(dtype=np.int64)
        u = np.searchsorted(self._key, (doc << 32) + start, "right") - 1
        return np.maximum(u, tok.unit_offsets[doc])


def _blocks(offsets: np.ndarray, docs: np.ndarray) -> list[tuple[int, int]]:
    """Ranges of documents ``[d0, d1)`` of about ``BLOCK_TOKENS`` tokens covering ``docs``."""
    from framelab._match_vec import BLOCK_TOKENS

    out = []
    d, last = int(docs[0]), int(docs[-1])
    while d <= last:
        d1 = int(np.searchsorted(offsets, offsets[d] + BLOCK_TOKENS, "left"))
        d1 = min(max(d1, d + 1), last + 1)
        out.append((d, d1))
        nxt = np.searchsorted(docs, d1)  # skip documents with nothing to match
        if nxt >= len(docs):
            break
        d = int(docs[nxt])
    return out


def _hits_table(tok: Tokenized, parts: list[dict], frames: list[str], terms: list[str]):
    """ONE Hits table from the blocks' numeric arrays, in document order (languages
    interleave); the string columns are taken from string arrays (no Python string per hit)."""
    from framelab.schema import HIT_COLUMNS

    dtypes = {"start": "int64", "end": "int64", "negated": "bool", "out_of_scope": "bool"}
    if not parts:
        return pd.DataFrame([], columns=list(HIT_COLUMNS)).astype(dtypes)
    cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    pos = cols.pop("pos")
    if len(pos) > 1 and (np.diff(pos) < 0).any():  # several languages: back in document order
        order = np.argsort(pos, kind="stable")
        cols = {k: v[order] for k, v in cols.items()}
    del pos, parts

    def strings(values, at: np.ndarray):
        return pd.array(values, dtype="str").take(at)

    hits = pd.DataFrame(
        {
            "doc_id": strings(tok.doc_ids, cols["doc"]),
            "unit_id": strings(tok.units["unit_id"].array, cols["unit"]),
            "frame": strings(frames, cols["frame"]),
            "term": strings(terms, cols["term"]),
            "start": cols["start"],
            "end": cols["end"],
            "negated": cols["negated"],
            "out_of_scope": cols["out_of_scope"],
        }
    )
    return hits.astype(dtypes)
