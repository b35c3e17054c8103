"""Benchmark: topic-model fit time and peak memory, first run vs a run with cached embeddings.

Synthetic corpora of 1k / 5k / 20k documents are assembled (seeded) from the paragraphs of the
bundled sample: each document joins 3-8 random paragraphs and borrows the outlet and date of a
random sample report. For every size and preset (``fast`` = PCA + KMeans, ``default`` = UMAP +
HDBSCAN) two fresh processes run ``framelab.topics.fit_topics`` - the way a notebook is run
twice:

1. *first*: empty embedding cache (embeddings computed and written);
2. *cached*: same corpus and config, the cache from run 1 (no embedding computed).

Each process imports the stack before timing, so times exclude imports but include numba's
compilation of UMAP (which recurs in every process). Peak memory is the process' maximum
resident set size (``resource.getrusage``); ``+fit MB`` is its growth after the imports
(bertopic pulls in torch through sentence-transformers, ~0.8 GB before any data).

Usage::

    python benchmarks/bench_topics.py                  # 1000 5000 20000, both presets
    python benchmarks/bench_topics.py --sizes 1000     # quick
    python benchmarks/bench_topics.py --repeat 3       # fastest of 3 (shared machines)
    python benchmarks/bench_topics.py --sampled 5000   # + default preset fitted on a
                                                       #   stratified sample of 5000 units

The embedding step is what the cache removes (target: >= 5x faster with the cache). With the
offline ``tfidf-svd`` backend the embedding is cheap next to UMAP/HDBSCAN and c-TF-IDF, so the
whole fit speeds up much less than the embedding step; with a sentence-transformers model
(``--st-model PATH``) the embedding dominates and the whole fit gains about as much.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time


def make_corpus(n: int, seed: int = 0):
    """``n`` synthetic documents of 3-8 sample paragraphs each (deterministic for a seed)."""
    import numpy as np
    import pandas as pd

    from framelab.datasets import load_sample
    from framelab.text import paragraphs

    sample = load_sample()
    bank = [p for text in sample["text"] for p in paragraphs(text)]
    rng = np.random.default_rng(seed)
    donors = rng.integers(0, len(sample), size=n)
    rows = []
    for k in range(n):
        picks = rng.choice(len(bank), size=int(rng.integers(3, 9)), replace=False)
        donor = sample.iloc[int(donors[k])]
        rows.append(
            {
                "doc_id": f"B{k:06d}",
                "text": "\n\n".join(bank[i] for i in picks),
                "outlet": donor["outlet"],
                "date": donor["date"],
                "title": "",
                "url": "",
                "country": donor["country"],
                "language": donor["language"],
                "source_file": "bench",
            }
        )
    return pd.DataFrame(rows)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def worker(args: argparse.Namespace) -> None:
    """One fit in this process; prints a JSON line."""
    from framelab.topics import fit_topics
    from framelab.topics._imports import import_bertopic, import_umap

    import_bertopic()
    import_umap()
    import hdbscan  # noqa: F401

    corpus = make_corpus(args.size)
    rss_before = _rss_mb()
    config = {
        "preset": args.preset,
        "cache_dir": args.cache_dir,
        "seed": 0,
        "n_topics": 20,
        # HDBSCAN's min_cluster_size scales with the units it clusters (the sample, if any)
        "min_topic_size": max(10, min(args.size, args.fit_sample_size or args.size) // 200),
    }
    if args.backend == "sentence-transformers":
        config.update(backend="sentence-transformers", model_path=args.st_model)
    if args.fit_sample_size:
        config.update(fit_sample_size=args.fit_sample_size, batch_size=2000)
    start = time.perf_counter()
    fit = fit_topics(corpus, config, progress=False)
    total = time.perf_counter() - start
    print(
        json.dumps(
            {
                "seconds": total,
                "timings": fit.timings,
                "from_cache": fit.embedding["from_cache"],
                "n_topics": int((fit.info["topic"] >= 0).sum()),
                "outliers": int(fit.info.loc[fit.info["topic"] == -1, "size"].sum()),
                "rss_after_imports_mb": rss_before,
                "peak_rss_mb": _rss_mb(),
            }
        )
    )


def _run(size: int, preset: str, cache_dir: str, args, sample: int | None) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        "--size",
        str(size),
        "--preset",
        preset,
        "--cache-dir",
        cache_dir,
        "--backend",
        args.backend,
    ]
    if args.st_model:
        cmd += ["--st-model", args.st_model]
    if sample:
        cmd += ["--fit-sample-size", str(sample)]
    env = {**os.environ, "PYTHONHASHSEED": "0", "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"worker failed ({' '.join(cmd)}):\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--presets", nargs="*", default=["fast", "default"])
    parser.add_argument(
        "--sampled",
        type=int,
        default=None,
        help="also fit the default preset on a stratified sample of this size "
        "(sizes above it only)",
    )
    parser.add_argument(
        "--backend", default="tfidf-svd", choices=["tfidf-svd", "sentence-transformers"]
    )
    parser.add_argument("--st-model", default=None, help="local sentence-transformers folder")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="repeat each (first, cached) pair and keep the fastest of each "
        "(the machine may be shared)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--preset", help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", help=argparse.SUPPRESS)
    parser.add_argument("--fit-sample-size", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    if args.backend == "sentence-transformers" and not args.st_model:
        parser.error("--backend sentence-transformers needs --st-model PATH (a local model)")

    plans = [(size, preset, None) for size in args.sizes for preset in args.presets]
    if args.sampled:
        plans += [(size, "default", args.sampled) for size in args.sizes if size > args.sampled]
    header = (
        f"{'docs':>6} {'preset':<16} {'run':<7} {'embed s':>8} {'fit s':>7} {'total s':>8} "
        f"{'peak MB':>8} {'+fit MB':>8} {'topics':>6} {'outl.':>6} {'embed x':>8} {'total x':>8}"
    )
    print(f"backend={args.backend}; times exclude imports; 'x' = first / cached")
    print(header)
    print("-" * len(header))
    for size, preset, sample in plans:
        firsts, caches = [], []
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as cache_dir:
                firsts.append(_run(size, preset, cache_dir, args, sample))
                caches.append(_run(size, preset, cache_dir, args, sample))
        first = min(firsts, key=lambda r: r["seconds"])
        cached = min(caches, key=lambda r: r["seconds"])
        assert cached["from_cache"] and not first["from_cache"]
        name = preset if not sample else f"{preset}@{sample}"
        embed_ratio = first["timings"]["embed"] / max(cached["timings"]["embed"], 1e-9)
        total_ratio = first["seconds"] / cached["seconds"]
        for run, res in (("first", first), ("cached", cached)):
            ratios = (
                f"{embed_ratio:>8.0f} {total_ratio:>8.2f}"
                if run == "cached"
                else f"{'':>8} {'':>8}"
            )
            print(
                f"{size:>6} {name:<16} {run:<7} {res['timings']['embed']:>8.2f} "
                f"{res['timings']['fit']:>7.2f} {res['seconds']:>8.2f} "
                f"{res['peak_rss_mb']:>8.0f} "
                f"{res['peak_rss_mb'] - res['rss_after_imports_mb']:>8.0f} {res['n_topics']:>6} {res['outliers']:>6} {ratios}",
                flush=True,
            )


if __name__ == "__main__":
    main()
