"""Benchmark: ``framelab code`` over Dask partitions for 10k, 100k and 1M synthetic documents.

Run: ``python benchmarks/bench_scale.py`` (10k and 100k), then, when there is time,
``python benchmarks/bench_scale.py --sizes 1000000 --pandas-max 0 --one-worker-size 0
--timeout 5400``; ``python benchmarks/bench_scale.py --report`` prints the table of every run
recorded so far.

1. A generator writes N synthetic documents to Parquet partitions of ``--part-size`` documents:
   each document is 3-6 paragraphs drawn (seeded) from the paragraphs of the bundled synthetic
   sample, with an outlet, country, language and perspective taken from the sample and a date
   between 2023-09-01 and 2024-03-31 (about 2,000 characters a document, like the sample).
2. Each run is the real command, in a fresh process, with a fresh output folder::

       framelab code --config study.yml --dask --workers W      (Dask, LocalCluster)
       framelab code --config study.yml                          (pandas, in memory)

   timed from start to exit (cluster start-up, reading, validating, coding and writing Parquet
   included). A sampler reads the resident memory (RSS, psutil) of the command and of every
   Dask worker process every 0.2 s and keeps each one's peak.
3. Targets (issue 10): time grows linearly (1M within 12x of 100k), worker memory stays flat
   (within 1.5x from 100k to 1M), and 2 workers are >= 1.6x faster than 1 on 100k.

Every run is appended to ``<data>/results.json`` with the date, the machine and its load
average before and after, because timings on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

START = pd.Timestamp("2023-09-01")
DAYS = 213  # to 2024-03-31


# --------------------------------------------------------------------------- generator


def _bank() -> tuple[list[str], pd.DataFrame]:
    from framelab.datasets import load_sample
    from framelab.text import paragraph_spans

    sample = load_sample()
    paragraphs = sorted(
        {t[s:e] for t in sample["text"] for s, e in paragraph_spans(t) if e - s > 40}
    )
    meta = (
        sample[["outlet", "country", "language", "perspective"]]
        .drop_duplicates()
        .sort_values("outlet")
        .reset_index(drop=True)
    )
    return paragraphs, meta


def generate(n: int, folder: Path, part_size: int, seed: int = 0) -> Path:
    """Write ``n`` documents to ``folder/part-*.parquet`` (skipped when already there)."""
    stamp = folder / ".generated.json"  # hidden: not read as a partition
    spec = {"n": n, "part_size": part_size, "seed": seed, "format": 1}
    if stamp.is_file() and json.loads(stamp.read_text()) == spec:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    paragraphs, meta = _bank()
    bank = np.array(paragraphs, dtype=object)
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    for p, first in enumerate(range(0, n, part_size)):
        m = min(part_size, n - first)
        k = rng.integers(3, 7, size=m)
        picks = bank[rng.integers(0, len(bank), size=int(k.sum()))]
        bounds = np.concatenate([[0], np.cumsum(k)])
        texts = ["\n\n".join(picks[bounds[i] : bounds[i + 1]]) for i in range(m)]
        rows = meta.iloc[rng.integers(0, len(meta), size=m)].reset_index(drop=True)
        ids = [f"B{i:08d}" for i in range(first, first + m)]
        part = pd.DataFrame(
            {
                "doc_id": ids,
                "text": texts,
                "outlet": rows["outlet"],
                "date": START + pd.to_timedelta(rng.integers(0, DAYS, size=m), unit="D"),
                "title": [f"Synthetic report {i}" for i in ids],
                "country": rows["country"],
                "language": rows["language"],
                "perspective": rows["perspective"],
            }
        )
        part["date"] = part["date"].astype("datetime64[ns]")
        part.to_parquet(folder / f"part-{p:05d}.parquet", index=False)
    stamp.write_text(json.dumps(spec))
    print(f"  generated {n:,} documents in {time.perf_counter() - t0:.0f} s -> {folder}")
    return folder


# --------------------------------------------------------------------------- measuring


class Sampler(threading.Thread):
    """Peak RSS of a process and of its Dask worker processes (spawned children)."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak: dict[int, int] = {}
        self.role: dict[int, str] = {}
        self.halt = threading.Event()

    def _role(self, proc: psutil.Process) -> str:
        if proc.pid == self.root.pid:
            return "command"
        try:
            cmd = " ".join(proc.cmdline())
        except psutil.Error:
            return "other"
        if "spawn_main" in cmd and "resource_tracker" not in cmd:
            return "worker"
        return "other"

    def run(self) -> None:
        while not self.halt.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                break
            for proc in procs:
                try:
                    rss = proc.memory_info().rss
                except psutil.Error:
                    continue
                if proc.pid not in self.role:
                    self.role[proc.pid] = self._role(proc)
                self.peak[proc.pid] = max(self.peak.get(proc.pid, 0), rss)
            self.halt.wait(self.interval)

    def peaks(self, role: str) -> list[float]:
        return sorted(
            (v / 2**20 for p, v in self.peak.items() if self.role.get(p) == role), reverse=True
        )


def _kill_tree(pid: int) -> None:
    """End a command this script started and its children, by process id."""
    try:
        proc = psutil.Process(pid)
        for child in proc.children(recursive=True):
            child.kill()
        proc.kill()
    except psutil.Error:
        pass


def run_command(corpus: Path, run_dir: Path, workers: int | None, level: str, timeout: float):
    """Run ``framelab code`` once; return the measurements."""
    if run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True)
    config = run_dir / "study.yml"
    config.write_text(
        f"corpus:\n  path: {corpus}\ncodebook: peace_talks\ncoding:\n  level: {level}\n"
        f"output:\n  dir: {run_dir}\n",
        encoding="utf-8",
    )
    cmd = [sys.executable, "-m", "framelab.cli", "code", "--config", str(config)]
    cmd += ["--out", str(run_dir / "codes")]
    if workers:
        cmd += ["--dask", "--workers", str(workers)]
    load_before = os.getloadavg()
    log = (run_dir / "command.log").open("w")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    sampler = Sampler(proc.pid)
    sampler.start()
    timed_out = False
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_tree(proc.pid)
        proc.wait()
    seconds = time.perf_counter() - t0
    sampler.halt.set()
    sampler.join()
    log.close()
    manifest_path = run_dir / "codes" / "manifest.json"
    summary = {}
    if manifest_path.is_file():
        summary = json.loads(manifest_path.read_text())["summary"]
    return {
        "seconds": seconds,
        "returncode": proc.returncode,
        "timed_out": timed_out,
        "worker_peak_mb": sampler.peaks("worker"),
        "command_peak_mb": (sampler.peaks("command") or [float("nan")])[0],
        "documents": summary.get("documents"),
        "partitions": summary.get("partitions"),
        "failed": summary.get("failed"),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "log_tail": (run_dir / "command.log").read_text(errors="replace")[-600:],
    }


# --------------------------------------------------------------------------- report


def _machine() -> dict:
    return {
        "machine": f"{platform.machine()}, {psutil.cpu_count(logical=True)} CPUs, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}",
    }


def _fmt(x, spec: str) -> str:
    return "n/a" if x is None or (isinstance(x, float) and np.isnan(x)) else format(x, spec)


def report(results: list[dict]) -> None:
    if not results:
        print("no runs recorded yet")
        return
    print(f"framelab scale benchmark - {results[-1]['machine']}")
    print("(shared machine: timings are noisy; load = 1-min load average before -> after)")
    head = (
        f"{'date':16s} {'documents':>10s} {'path':14s} {'parts':>5s} {'seconds':>8s} "
        f"{'docs/s':>7s} {'worker peak MB':>16s} {'command MB':>10s} {'load':>11s}  note"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        path = (
            f"dask {r['workers']} worker" + ("s" if r["workers"] > 1 else "")
            if r["workers"]
            else "pandas"
        )
        workers = "/".join(f"{m:.0f}" for m in r["worker_peak_mb"]) or "-"
        note = "TIMED OUT" if r["timed_out"] else ("FAILED" if r["returncode"] else "ok")
        docs_s = r["n"] / r["seconds"] if not r["timed_out"] and not r["returncode"] else None
        print(
            f"{r['date'][:16]:16s} {r['n']:>10,} {path:14s} {_fmt(r['partitions'], 'd'):>5s} "
            f"{r['seconds']:8.1f} {_fmt(docs_s, ',.0f'):>7s} {workers:>16s} "
            f"{_fmt(r['command_peak_mb'], '.0f'):>10s} "
            f"{r['load_before'][0]:>4.1f}->{r['load_after'][0]:<4.1f}  {note}"
        )

    def best(n: int, workers: int) -> dict | None:
        """Fastest finished run of a configuration (the least disturbed by other load) and the
        highest worker peak over its runs."""
        ok = [
            r
            for r in results
            if r["n"] == n
            and r["workers"] == workers
            and not r["timed_out"]
            and not r["returncode"]
        ]
        if not ok:
            return None
        return {
            "seconds": min(r["seconds"] for r in ok),
            "worker_peak_mb": max(max(r["worker_peak_mb"] or [0.0]) for r in ok),
            "command_peak_mb": max(r["command_peak_mb"] for r in ok),
            "runs": len(ok),
        }

    print()
    print("ratios use the fastest run of each configuration and the highest worker peak:")
    w = max((r["workers"] for r in results if r["workers"]), default=2)
    big, mid, one = best(1_000_000, w), best(100_000, w), best(100_000, 1)
    if big and mid:
        ratio = big["seconds"] / mid["seconds"]
        print(
            f"time 1M / 100k ({w} workers): {ratio:5.2f}x (target <= 12x) "
            f"{'MET' if ratio <= 12 else 'NOT MET'}  [{big['runs']} and {mid['runs']} run(s)]"
        )
        mem = big["worker_peak_mb"] / mid["worker_peak_mb"]
        print(
            f"worker peak memory 1M / 100k: {mem:5.2f}x (target <= 1.5x) "
            f"{'MET' if mem <= 1.5 else 'NOT MET'}  "
            f"[{big['worker_peak_mb']:.0f} MB / {mid['worker_peak_mb']:.0f} MB]"
        )
    else:
        print("time and memory 1M / 100k: n/a (no finished 1M run)")
    if mid and one:
        speedup = one["seconds"] / mid["seconds"]
        print(
            f"100k: 1 worker / {w} workers: {speedup:5.2f}x faster (target >= 1.6x) "
            f"{'MET' if speedup >= 1.6 else 'NOT MET'}  [{one['runs']} and {mid['runs']} run(s)]"
        )
    for n in (10_000, 100_000, 1_000_000):
        pandas, dask_run = best(n, 0), best(n, w)
        if pandas and dask_run:
            print(
                f"{n:,}: pandas in memory {pandas['seconds']:.1f} s, peak "
                f"{pandas['command_peak_mb']:.0f} MB; dask {w} workers "
                f"{dask_run['seconds']:.1f} s ({pandas['seconds'] / dask_run['seconds']:.2f}x), "
                f"command peak {dask_run['command_peak_mb']:.0f} MB"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--part-size", type=int, default=5_000)
    parser.add_argument(
        "--pandas-max",
        type=int,
        default=100_000,
        help="run the in-memory path for sizes up to this (0: never)",
    )
    parser.add_argument(
        "--one-worker-size", type=int, default=100_000, help="size also run with 1 worker (0: none)"
    )
    parser.add_argument("--level", default="document")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per run")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run every configuration this many times, "
        "interleaved (the report uses the fastest: the least disturbed by other load)",
    )
    parser.add_argument("--data", default="data/processed/bench_scale")
    parser.add_argument("--report", action="store_true", help="only print the recorded runs")
    args = parser.parse_args()

    data = Path(args.data).resolve()
    results_path = data / "results.json"
    results = json.loads(results_path.read_text()) if results_path.is_file() else []
    if args.report:
        report(results)
        return
    data.mkdir(parents=True, exist_ok=True)
    for n in args.sizes:
        corpus = generate(n, data / f"corpus-{n}", args.part_size)
        plan = [args.workers]
        if n == args.one_worker_size:
            plan.append(1)
        if n <= args.pandas_max:
            plan.append(0)
        for workers in plan * args.repeat:
            label = f"dask, {workers} worker(s)" if workers else "pandas, in memory"
            print(f"  {n:,} documents, {label} ...", flush=True)
            run = run_command(
                corpus, data / f"run-{n}-{workers}", workers, args.level, args.timeout
            )
            record = {
                "date": datetime.datetime.now().isoformat(timespec="minutes"),
                **_machine(),
                "n": n,
                "workers": workers,
                "level": args.level,
                "part_size": args.part_size,
                **run,
            }
            results.append(record)
            results_path.write_text(json.dumps(results, indent=1))
            print(
                f"    {run['seconds']:.1f} s, workers peak {run['worker_peak_mb']}, "
                f"command peak {run['command_peak_mb']:.0f} MB, exit {run['returncode']}"
                f"{' (timed out)' if run['timed_out'] else ''}",
                flush=True,
            )
    report(results)


if __name__ == "__main__":
    main()
