"""Benchmark: framelab's frame coding against three baselines, in one process.

Run: ``make bench`` or ``python benchmarks/bench_coding.py [--docs 50000] [--naive-docs 2000]``.

Generates news-like documents (~600 tokens each, seeded) from a vocabulary that mixes ordinary
words with the codebook's entries, and a codebook of >= 300 entries (the shipped ``peace_talks``
English lexicon: terms, globs, phrases and ambiguous entries with their context cues). It times, over the same texts:

(a) naive   - one compiled regex per codebook entry, looped per document (run on the first
              ``--naive-docs`` documents only; its rate is per document, so ratios stay fair);
(b) sklearn - ``CountVectorizer(vocabulary=..., ngram_range=(1, 4))`` with the entries as
              literal n-grams (globs cut to their stem: it cannot express them);
(c) tokens  - a bare pass of framelab's regex tokenizer (``re.findall``), the floor;
(d) framelab - ``code_frames(corpus, codebook)`` (document level, full FrameCodes + Hits);
(e) recode   - ``coded.recode(edited)`` after a one-entry edit of the codebook (issue 22): a new
              term added to one frame ("armistice", rare), and a frequent entry removed from one
              frame ("peace talks"); each checked identical to a fresh ``code_frames``.

Peak memory (issue 22): ``tracemalloc`` peak of coding the first ``--memory-docs`` documents,
plus their texts, against the texts plus their token ids (int32). tracemalloc does not see
Arrow buffers (pandas' string columns of the output tables): their size after coding is
printed next to it. The load average before and after the run is printed too.

Prints docs/s, tokens/s and the ratios. Targets (issue 22): framelab >= 10x (a), >= 3x (b), at
most 1.3x the time of (c), recode >= 10x faster than (d), peak memory <= 1.5x texts + ids.
The machine may be shared: run it twice and keep the ratios (measured in one process).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sys
import time
import tracemalloc
from dataclasses import replace

import pandas as pd

from framelab.codebook import load_codebook
from framelab.coding import code_frames
from framelab.text import TOKEN_PATTERN

FILLER = (
    "the of and to in a that is for on with as was by at it from his be an are have has "
    "which not this or but were had their its they said after also would more one been who "
    "all will when there about up two than other new year into some could them only first "
    "over time government people city week country officials minister report state plan "
    "military forces region border energy prices market winter troops river village school "
    "hospital road bridge council election party leader parliament analysts agency morning "
    "statement spokesman visit meeting summit capital economy budget trade exports grain"
).split()


def make_corpus(n_docs: int, entries: list[str], seed: int = 0) -> pd.DataFrame:
    rng = random.Random(seed)
    plain = [e.replace("*", rng.choice(["", "s", "ing", "ed"])) for e in entries]
    texts = []
    for _ in range(n_docs):
        words = []
        while len(words) < 600:
            if rng.random() < 0.03:
                words.extend(rng.choice(plain).split())
            else:
                words.append(rng.choice(FILLER))
            if rng.random() < 0.06:
                words[-1] += "."
        paras = [" ".join(words[i : i + 100]) for i in range(0, len(words), 100)]
        texts.append("\n\n".join(paras))
    return pd.DataFrame(
        {"doc_id": [f"b{i:06d}" for i in range(n_docs)], "text": texts, "language": "en"}
    )


def timed(func):
    start = time.perf_counter()
    out = func()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--naive-docs", type=int, default=2_000)
    parser.add_argument("--memory-docs", type=int, default=5_000)
    args = parser.parse_args()
    load_before = os.getloadavg()

    codebook = load_codebook("peace_talks")
    # every English entry that can make a hit; ambiguous ones also pay for the context check
    entries = [
        p
        for f in codebook.frames.values()
        for p in (*f.terms.get("en", ()), *f.phrases.get("en", ()), *f.ambiguous.get("en", ()))
    ]
    corpus = make_corpus(args.docs, entries)
    texts = corpus["text"].tolist()
    token_re = re.compile(TOKEN_PATTERN)
    t_tok, toks = timed(lambda: [token_re.findall(t) for t in texts])
    n_tokens = sum(map(len, toks))
    del toks

    naive_res = [
        re.compile(r"(?<!\w)" + re.escape(e).replace(r"\*", r"\w*") + r"(?!\w)", re.IGNORECASE)
        for e in entries
    ]
    sub = texts[: args.naive_docs]
    t_naive = None  # --naive-docs 0 skips the (slow) naive coder
    if sub:
        t_naive_sub, _ = timed(lambda: [[len(r.findall(t)) for r in naive_res] for t in sub])
        t_naive = t_naive_sub * len(texts) / len(sub)

    from sklearn.feature_extraction.text import CountVectorizer

    vocab = sorted({e.lower().replace("*", "") for e in entries})
    vec = CountVectorizer(vocabulary=vocab, ngram_range=(1, 4), lowercase=True)
    t_sk, _ = timed(lambda: vec.transform(texts))
    t_fl, coded = timed(lambda: code_frames(corpus, codebook, progress=False))

    recodes = []
    for label, edited in _edits(codebook):
        t_re, again = timed(lambda edited=edited: coded.recode(edited))
        fresh = code_frames(corpus, edited, progress=False)
        same = again.hits.equals(fresh.hits) and again.codes.equals(fresh.codes)
        recodes.append((label, t_re, same))
    mem_ratio, mem_text = _memory(corpus.head(args.memory_docs), codebook)

    rows = [("(a) naive regex per entry*", t_naive)] if t_naive else []
    rows += [
        ("(b) sklearn CountVectorizer", t_sk),
        ("(c) regex tokenizer pass", t_tok),
        ("(d) framelab code_frames", t_fl),
    ] + [(f"(e) recode: {label}", t) for label, t, _ in recodes]
    print(
        f"framelab coding benchmark - {platform.machine()}, {platform.python_version()}, "
        f"{args.docs:,} docs, {n_tokens:,} tokens, {len(entries)} codebook entries, "
        f"{len(coded.hits):,} hits"
    )
    load_after = os.getloadavg()
    print(
        f"load average (1/5/15 min) before: {'/'.join(f'{x:.1f}' for x in load_before)}, "
        f"after: {'/'.join(f'{x:.1f}' for x in load_after)} ({os.cpu_count()} CPUs)"
    )
    print(f"{'method':44s} {'seconds':>9s} {'docs/s':>10s} {'tokens/s':>12s}")
    for name, secs in rows:
        print(f"{name:44s} {secs:9.2f} {args.docs / secs:10,.0f} {n_tokens / secs:12,.0f}")
    if t_naive:
        print(f"* (a) timed on {len(sub):,} documents and scaled to {args.docs:,}")
        print(f"framelab vs naive:   {t_naive / t_fl:5.1f}x faster (target >= 10x)")
    print(f"framelab vs sklearn: {t_sk / t_fl:5.1f}x faster (target >= 3x)")
    print(f"framelab / tokenizer pass: {t_fl / t_tok:5.2f}x the time (target <= 1.3x)")
    for label, t_re, same in recodes:
        print(
            f"recode ({label}): {t_fl / t_re:5.1f}x faster than the first coding "
            f"(target >= 10x); identical to a fresh coding: {same}"
        )
    print(f"peak memory: {mem_ratio:4.2f}x texts + token ids (target <= 1.5x); {mem_text}")


def _edits(codebook):
    """Two one-entry edits: a new rare term, and a frequent phrase removed."""
    frame = next(f for f, fr in codebook.frames.items() if fr.terms.get("en"))
    fr = codebook.frames[frame]
    terms = {**fr.terms, "en": (*fr.terms["en"], "armistice")}
    yield (
        f"+'armistice' in {frame}",
        replace(codebook, frames={**codebook.frames, frame: replace(fr, terms=terms)}),
    )
    for fid, fr in codebook.frames.items():
        if "peace talks" in fr.phrases.get("en", ()):
            phrases = {**fr.phrases, "en": tuple(p for p in fr.phrases["en"] if p != "peace talks")}
            yield (
                f"-'peace talks' in {fid}",
                replace(codebook, frames={**codebook.frames, fid: replace(fr, phrases=phrases)}),
            )
            return


def _memory(corpus: pd.DataFrame, codebook) -> tuple[float, str]:
    """Peak memory of coding ``corpus`` vs its texts + token ids."""
    texts = corpus["text"].tolist()
    text_bytes = sum(map(sys.getsizeof, texts))
    token_re = re.compile(TOKEN_PATTERN)
    id_bytes = 4 * sum(len(token_re.findall(t)) for t in texts)
    import pyarrow as pa

    arrow_before = pa.total_allocated_bytes()
    tracemalloc.start()
    coded = code_frames(corpus, codebook, progress=False)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    arrow = pa.total_allocated_bytes() - arrow_before
    del coded
    base = text_bytes + id_bytes
    return (text_bytes + peak) / base, (
        f"{len(texts):,} docs: texts {text_bytes / 2**20:.0f} MiB, ids {id_bytes / 2**20:.0f} MiB, "
        f"coding peak {peak / 2**20:.0f} MiB above the texts (+ {arrow / 2**20:.1f} MiB Arrow "
        "buffers of the result's string columns, not seen by tracemalloc)"
    )


if __name__ == "__main__":
    main()
