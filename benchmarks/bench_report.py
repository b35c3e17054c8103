"""Benchmark: wall time of the whole notebook suite (``framelab report``), cold and warm.

Run: ``make bench`` or ``python benchmarks/bench_report.py [--workers 2]``.

The study's own config is copied to a temporary folder with ``output.dir`` pointing there, so
the report and the caches (``data/processed/cache/`` next to the copied config: embeddings,
topic fits, the supervised baseline's cross-validation) live in that folder, and ``reports/``
and the repository's cache are left alone. *Cold* starts with that cache empty; *warm* runs
again with it filled (and schedules the notebooks by the cold run's timings). Installation is
excluded. Targets on 2 cores: cold < 90 s, warm < 30 s. Measured numbers are in the README.
"""

from __future__ import annotations

import argparse
import json
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
    assert not (tmp / "data" / "processed" / "cache").exists()  # the cold run starts empty
    times, per_notebook = {}, {}
    for run in ("cold", "warm"):
        start = time.perf_counter()
        index = build_report(tmp / "study.yml", notebooks=REPO / "notebooks", workers=args.workers)
        times[run] = time.perf_counter() - start
        meta = json.loads((index.parent / "report.json").read_text(encoding="utf-8"))
        per_notebook[run] = {n["name"]: n["seconds"] for n in meta["notebooks"]}
    print(
        f"framelab report benchmark - {platform.machine()}, {os.cpu_count()} cores, "
        f"{args.workers} notebook workers"
    )
    print(f"{'notebook (s)':22s} {'cold':>6s} {'warm':>6s}")
    for name in per_notebook["cold"]:
        print(f"{name:22s} {per_notebook['cold'][name]:6.1f} {per_notebook['warm'][name]:6.1f}")
    cold_sum, warm_sum = (sum(per_notebook[run].values()) for run in ("cold", "warm"))
    print(f"{'sum of notebooks':22s} {cold_sum:6.1f} {warm_sum:6.1f}")
    print(f"cold: {times['cold']:6.1f} s wall (target < 90 s)")
    print(
        f"warm: {times['warm']:6.1f} s wall (target < 30 s); warm/cold = "
        f"{times['warm'] / times['cold']:.2f}"
    )
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
