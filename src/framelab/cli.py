"""The ``framelab`` command: ``framelab demo``, ``framelab summary``, ``framelab code``,
``framelab build-sample``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from framelab.corpus import corpus_summary

__all__ = ["corpus_summary", "main"]  # corpus_summary lives in framelab.corpus

logger = logging.getLogger(__name__)


def _cmd_summary(args: argparse.Namespace) -> int:
    from framelab._files import ensure_writable
    from framelab.datasets import load_sample
    from framelab.io import load_corpus

    if args.config is not None and args.corpus is not None:
        raise SystemExit(
            "framelab summary: give a corpus path or --config, not both (the config names "
            "the corpus in corpus.path)."
        )
    if args.config is None and args.corpus is None:
        raise SystemExit(
            "framelab summary: give a corpus file or folder ('sample' for the bundled one), "
            "or --config study.yml for the corpus as your config prepares it."
        )
    if args.config is not None:
        from framelab.config import load_config

        cfg = load_config(args.config)
        corpus = cfg.load_corpus()
        name = f"{cfg.corpus.path} (as prepared by {Path(args.config).name})"
        is_sample = cfg.corpus.path == "sample"
        out_dir = Path(args.out) if args.out else cfg.output_dir()
    else:
        source = args.corpus
        corpus = load_sample() if source == "sample" else load_corpus(source)
        name, is_sample = source, source == "sample"
        out_dir = Path(args.out or "reports")
    tables = corpus_summary(corpus)
    out = ensure_writable(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"# Corpus summary: {name}", ""]
    lines += _preparation_lines(corpus)
    if is_sample:
        lines += [
            "The bundled sample corpus is SYNTHETIC: fictional outlets, text written for "
            "framelab. See data/sample/README.md.",
            "",
        ]
    for name, table in tables.items():
        table.to_csv(out / f"corpus_{name}.csv", index=False)
        lines += [
            f"## {name}",
            "",
            table.to_markdown(index=False) if _has_tabulate() else table.to_string(index=False),
            "",
        ]
    (out / "corpus_summary.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(f"Written: {out / 'corpus_summary.md'} and corpus_*.csv")
    return 0


def _preparation_lines(corpus) -> list[str]:
    """What loading and preparing removed (rows dropped, filters, boilerplate lines)."""
    lines = []
    dropped = corpus.attrs.get("framelab_dropped", [])
    if dropped:
        reasons: dict[str, int] = {}
        for row in dropped:
            if not row["reason"].startswith("filter: "):  # filters are listed below
                reasons[row["reason"]] = reasons.get(row["reason"], 0) + 1
        lines += [f"- dropped: {n:,} row(s), {reason}" for reason, n in reasons.items()]
    for row in corpus.attrs.get("framelab_filter_report", []):
        lines.append(f"- filter {row['filter']}: removed {row['removed']:,} row(s)")
    for row in corpus.attrs.get("framelab_clean_report", []):
        if row["lines_removed"]:
            lines.append(
                f"- clean {row['pattern']}: removed {row['lines_removed']:,} line(s) in "
                f"{row['documents']:,} document(s)"
            )
    return ["## preparation", "", *lines, ""] if lines else []


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


def sample_builder():
    """The maintainer tool ``tools/sample_build.py`` of this checkout, loaded as a module.

    It is not part of the installed package: from an installed wheel (no checkout around the
    package) a RuntimeError says where to run it from.
    """
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[2] / "tools" / "sample_build.py"
    if "framelab_sample_build" in sys.modules:
        return sys.modules["framelab_sample_build"]
    if not path.is_file():
        raise RuntimeError(
            "framelab build-sample: the sample builder (tools/sample_build.py) is a maintainer "
            "tool that is not installed with framelab. Run the command from a framelab checkout "
            "(git clone, then pip install -e .)."
        )
    spec = importlib.util.spec_from_file_location("framelab_sample_build", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _cmd_build_sample(args: argparse.Namespace) -> int:
    for path in sample_builder().build_sample(Path(args.bank), Path(args.out)):
        print(path)
    return 0


def _dask_source(cfg, workers: int):
    """What ``framelab code --dask`` codes: the partition files named by the config, or the
    (small, bundled) sample split into partitions."""
    c = cfg.corpus
    if c.path == "sample":
        import dask.dataframe as dd

        return dd.from_pandas(cfg.load_corpus(), npartitions=max(2, 2 * workers)), {}
    if c.drop_near_duplicates:
        raise SystemExit(
            "framelab code --dask: corpus.drop_near_duplicates compares every document with "
            "every other, which cannot run partition by partition. Set it to false in the "
            "config (and drop near duplicates on a sample, or before partitioning), or run "
            "without --dask."
        )
    steps = [k for k in ("recode", "filter", "clean") if getattr(c, k)]
    if steps:
        raise SystemExit(
            f"framelab code --dask: corpus.{', corpus.'.join(steps)} are not applied partition "
            "by partition. Run without --dask, or prepare the files first (framelab.prepare) "
            "and remove these keys from the config."
        )
    options = {**dict(c.options), **({"columns": dict(c.columns)} if c.columns else {})}
    if c.on_duplicate_ids != "error":
        options["on_duplicate_ids"] = c.on_duplicate_ids
    read = {
        "format": c.format,
        "encoding": options.pop("encoding", None),
        "on_bad_lines": options.pop("on_bad_lines", "error"),
        **options,
    }
    return str(cfg.resolve(c.path)), read


def _cmd_code(args: argparse.Namespace) -> int:
    import os

    from framelab._files import ensure_writable
    from framelab.config import load_config

    cfg = load_config(args.config)
    out = ensure_writable(
        Path(args.out) if args.out else cfg.output_dir() / "frame_codes", raw_dir=cfg.raw_dirs()
    )
    codebook = cfg.load_codebook()
    level = cfg.coding.level
    if not args.dask:
        from framelab.coding import code_frames
        from framelab.coding_io import write_coded

        coded = code_frames(cfg.load_corpus(), codebook, level=level)
        result = write_coded(coded, out, source=str(cfg.corpus.path))
        where = "in memory"
    else:
        import contextlib

        from framelab.scale import code_frames_dask, local_client

        if not args.verbose:  # distributed logs every worker start at INFO level
            import distributed  # noqa: F401  (configures its loggers on import)

            logging.getLogger("distributed").setLevel(logging.WARNING)
        if args.scheduler:
            from distributed import Client

            context = contextlib.closing(Client(args.scheduler))
        else:
            context = local_client(args.workers)
        with context as client:
            n_workers = len(client.scheduler_info().get("workers", {})) or args.workers or 1
            source, read = _dask_source(cfg, n_workers)
            result = code_frames_dask(
                source,
                codebook,
                out=out,
                level=level,
                client=client,
                errors="report",
                progress=True,
                **read,
            )
            where = f"on {n_workers} Dask worker(s) at {client.scheduler.address}"
    m = result.manifest
    counts = m["status"].value_counts()
    print(
        f"Coded {int(m['documents'].sum()):,} documents ({level} level, {result.codebook}) "
        f"{where}: {len(m)} partition(s) - {int(counts.get('done', 0))} coded, "
        f"{int(counts.get('skipped', 0))} finished earlier, {int(counts.get('failed', 0))} failed."
    )
    print(f"Written: {out}{os.sep}{{codes,hits,units}}/part-*.parquet and {out / 'manifest.json'}")
    failed = result.failed
    for row in failed.itertuples():
        print(f"FAILED partition {row.partition} ({row.source}): {row.message}", file=sys.stderr)
    if len(failed):
        print(
            "Fix the failed inputs and run the same command again: finished partitions are "
            "skipped.",
            file=sys.stderr,
        )
        return 1
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from framelab.report import ReportError, build_report

    try:
        index = build_report(
            args.config,
            notebooks=args.notebooks,
            execute=not args.no_execute,
            workers=args.workers,
        )
    except ReportError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Report written: {index}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``framelab`` command.

    Examples
    --------
    >>> main(["build-sample", "--help"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    SystemExit: 0
    """
    parser = argparse.ArgumentParser(prog="framelab", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="run the study on the bundled synthetic sample")
    demo.add_argument("--out", default="reports", help="output folder (default: reports)")
    demo.set_defaults(func=_cmd_summary, corpus="sample", config=None)

    summary = sub.add_parser(
        "summary", help="summarise a corpus file or folder, or the corpus of a study config"
    )
    summary.add_argument("corpus", nargs="?", default=None, help="path, or 'sample'")
    summary.add_argument(
        "--config", default=None, help="study config: the corpus as the config prepares it"
    )
    summary.add_argument(
        "--out",
        default=None,
        help="output folder (default: the config's output.dir, else reports)",
    )
    summary.set_defaults(func=_cmd_summary)

    report = sub.add_parser("report", help="run the study notebooks and write the HTML report")
    report.add_argument("--config", default="study.yml", help="study config (default: study.yml)")
    report.add_argument(
        "--notebooks",
        default="notebooks",
        help="folder of NN_*.ipynb notebooks (default: notebooks, here or next to the config)",
    )
    report.add_argument(
        "--no-execute",
        action="store_true",
        help="export the committed notebooks without running them",
    )
    report.add_argument("--workers", type=int, default=2, help="notebooks run in parallel")
    report.set_defaults(func=_cmd_report)

    build = sub.add_parser("build-sample", help="rebuild data/sample/ from the paragraph bank")
    build.add_argument("--bank", default="data/sample/bank")
    build.add_argument("--out", default="data/sample")
    build.set_defaults(func=_cmd_build_sample)

    code = sub.add_parser(
        "code",
        help="code the study's corpus with its codebook (in memory, or over Dask partitions)",
        description="Code the corpus named in the study config with its codebook and level; "
        "write FrameCodes, Hits and units as Parquet under --out.",
    )
    code.add_argument("--config", required=True, help="study config (study.yml)")
    code.add_argument(
        "--out", default=None, help="output folder (default: <output.dir>/frame_codes)"
    )
    code.add_argument(
        "--dask",
        action="store_true",
        help="code partition by partition with Dask (a LocalCluster unless --scheduler is given); "
        "reruns skip finished partitions",
    )
    code.add_argument(
        "--scheduler", default=None, help="address of a running Dask scheduler, tcp://HOST:PORT"
    )
    code.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes of the LocalCluster (default: number of CPU cores)",
    )
    code.set_defaults(func=_cmd_code)

    args = parser.parse_args(argv)
    if args.command == "code":
        if (args.scheduler or args.workers is not None) and not args.dask:
            parser.error("--scheduler and --workers need --dask")
        if args.scheduler and args.workers is not None:
            parser.error(
                "--workers sizes the LocalCluster; with --scheduler the cluster's own workers run"
            )
        if args.workers is not None and args.workers < 1:
            parser.error(f"--workers must be at least 1, got {args.workers}")
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
