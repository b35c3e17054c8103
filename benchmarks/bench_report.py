"""Benchmark: wall time of the whole notebook suite (``framelab report``), cold and warm.

Run: ``make bench`` or ``python benchmarks/bench_report.py [--workers 2]``.

*Cold* empties the caches under ``data/processed/cache/`` (embeddings, topic models) first;
*warm* runs again with the caches filled. Installation is excluded. Targets on 2 cores:
cold < 90 s, warm < 30 s. The report is written to a temporary folder (the study's own config
is copied there with ``output.dir`` pointing at it), so ``reports/`` is left alone.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

import yaml

from framelab.report import build_report

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="framelab-bench-"))
    config = yaml.safe_load((REPO / "study.yml").read_text(encoding="utf-8"))
    config["output"] = {"dir": str(tmp / "reports")}
    (tmp / "study.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    cache = REPO / "data" / "processed" / "cache"
    if cache.exists():
        shutil.rmtree(cache)
    times = {}
    for run in ("cold", "warm"):
        start = time.perf_counter()
        build_report(tmp / "study.yml", notebooks=REPO / "notebooks", workers=args.workers)
        times[run] = time.perf_counter() - start
    print(f"framelab report benchmark - {platform.machine()}, {os.cpu_count()} cores, "
          f"{args.workers} notebook workers")
    print(f"cold: {times['cold']:6.1f} s (target < 90 s)")
    print(f"warm: {times['warm']:6.1f} s (target < 30 s); warm/cold = "
          f"{times['warm'] / times['cold']:.2f}")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
