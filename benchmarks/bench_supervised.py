"""Benchmark: fit a SupervisedCoder on labelled paragraphs, then code many paragraphs.

Run: ``python benchmarks/bench_supervised.py [--train 5000] [--code 100000] [--dictionary 20000]``.

Units are the bundled sample's paragraphs, each made a one-paragraph document (document level),
cycled with fresh ids to reach ``--train`` labelled units (gold: the sample's paragraph labels)
and ``--code`` units to code. Default settings of the coder (word 1-2-grams + char 3-5-grams,
50,000 of each, 5-fold calibration and thresholds). For reference, ``code_frames`` with the
shipped ``peace_talks`` codebook codes the first ``--dictionary`` of the same units.

Prints seconds and units/s for fit and code, and the peak resident memory of the process.
Targets: fit < 60 s; coding >= 2,000 units/s (at least the dictionary's speed).
"""

from __future__ import annotations

import argparse
import platform
import resource
import time

import pandas as pd

from framelab.coding import code_frames
from framelab.datasets import load_sample, load_sample_gold
from framelab.learn import SupervisedCoder
from framelab.validate import coding_units


def peak_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def paragraphs() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sample's paragraphs as one-paragraph documents, and their gold (unit_id = doc_id)."""
    units = coding_units(load_sample(), "paragraph")
    gold = load_sample_gold("paragraph")[["unit_id", "frame", "present"]]
    corpus = units[["unit_id", "text", "outlet"]].rename(columns={"unit_id": "doc_id"})
    return corpus.reset_index(drop=True), gold


def cycled(corpus: pd.DataFrame, gold: pd.DataFrame | None, n: int, tag: str):
    """``n`` units cycling through ``corpus`` with fresh ids (and their gold, if given)."""
    reps = -(-n // len(corpus))
    parts, golds = [], []
    for r in range(reps):
        ids = corpus["doc_id"] + f"~{tag}{r}"
        parts.append(corpus.assign(doc_id=ids))
        if gold is not None:
            golds.append(gold.assign(unit_id=gold["unit_id"] + f"~{tag}{r}"))
    out = pd.concat(parts, ignore_index=True).iloc[:n]
    if gold is None:
        return out, None
    g = pd.concat(golds, ignore_index=True)
    return out, g[g["unit_id"].isin(set(out["doc_id"]))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", type=int, default=5_000)
    parser.add_argument("--code", type=int, default=100_000)
    parser.add_argument("--dictionary", type=int, default=20_000)
    args = parser.parse_args()

    base, base_gold = paragraphs()
    train, gold = cycled(base, base_gold, args.train, "t")
    apply, _ = cycled(base, None, args.code, "c")
    chars = apply["text"].str.len().mean()
    print(f"python {platform.python_version()} on {platform.machine()}")
    print(f"units: {len(train):,} labelled, {len(apply):,} to code (mean {chars:.0f} characters)")

    t0 = time.perf_counter()
    coder = SupervisedCoder(seed=0).fit(train, gold)
    fit_s = time.perf_counter() - t0
    print(
        f"fit:        {fit_s:8.1f} s  {len(train) / fit_s:9,.0f} units/s  "
        f"peak {peak_mb():,.0f} MB  ({len(coder.features_.names):,} features, "
        f"{len(coder.frames_)} frames)"
    )
    t0 = time.perf_counter()
    coded = coder.code(apply)
    code_s = time.perf_counter() - t0
    print(
        f"code:       {code_s:8.1f} s  {len(apply) / code_s:9,.0f} units/s  "
        f"peak {peak_mb():,.0f} MB  ({len(coded.codes):,} FrameCodes rows)"
    )
    sub = apply.iloc[: args.dictionary]
    t0 = time.perf_counter()
    code_frames(sub, "peace_talks", progress=False)
    dict_s = time.perf_counter() - t0
    print(f"dictionary: {dict_s:8.1f} s  {len(sub) / dict_s:9,.0f} units/s  (code_frames)")
    print(
        f"targets: fit < 60 s: {'met' if fit_s < 60 else 'MISSED'}; coding >= 2,000 units/s: "
        f"{'met' if len(apply) / code_s >= 2000 else 'MISSED'}; coding vs dictionary: "
        f"{(len(apply) / code_s) / (len(sub) / dict_s):.2f}x"
    )


if __name__ == "__main__":
    main()
