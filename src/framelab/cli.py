"""The ``framelab`` command: ``framelab demo``, ``framelab summary``, ``framelab build-sample``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import pandas as pd

__all__ = ["corpus_summary", "main"]

logger = logging.getLogger(__name__)


def corpus_summary(corpus: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Tables that describe a corpus: overall figures, documents per outlet and per month.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``overview`` (``item, value``), ``outlets`` (``outlet, country, documents, first, last,
        median_words``) and ``months`` (``month, documents``).

    Examples
    --------
    >>> from framelab import load_sample
    >>> tables = corpus_summary(load_sample())
    >>> list(tables)
    ['overview', 'outlets', 'months']
    """
    from framelab.corpus import check_corpus

    check_corpus(corpus, "corpus_summary", ("doc_id", "text", "outlet", "date", "country"))
    words = corpus["text"].str.split().str.len()
    overview = pd.DataFrame(
        [
            ("documents", len(corpus)),
            ("outlets", corpus["outlet"].nunique()),
            ("countries", corpus["country"].nunique()),
            ("languages", ", ".join(sorted(corpus["language"].dropna().unique()))),
            (
                "first date",
                str(corpus["date"].min().date()) if corpus["date"].notna().any() else "",
            ),
            ("last date", str(corpus["date"].max().date()) if corpus["date"].notna().any() else ""),
            ("words (total)", int(words.sum())),
            ("words per document (median)", int(words.median()) if len(words) else 0),
            ("documents without a date", int(corpus["date"].isna().sum())),
        ],
        columns=["item", "value"],
    )
    overview["value"] = overview["value"].astype(str)
    grouped = corpus.assign(_words=words).groupby(["outlet", "country"], dropna=False)
    outlets = grouped.agg(
        documents=("doc_id", "size"),
        first=("date", "min"),
        last=("date", "max"),
        median_words=("_words", "median"),
    ).reset_index()
    outlets = outlets.sort_values(
        ["documents", "outlet"], ascending=[False, True], kind="mergesort"
    ).reset_index(drop=True)
    months = (
        corpus.dropna(subset=["date"])
        .assign(month=lambda d: d["date"].dt.to_period("M").astype(str))
        .groupby("month")
        .size()
        .rename("documents")
        .reset_index()
    )
    return {"overview": overview, "outlets": outlets, "months": months}


def _cmd_summary(args: argparse.Namespace) -> int:
    from framelab.datasets import load_sample
    from framelab.io import load_corpus
    from framelab.io.manifest import ensure_writable

    corpus = load_sample() if args.corpus == "sample" else load_corpus(args.corpus)
    tables = corpus_summary(corpus)
    out = ensure_writable(Path(args.out))
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"# Corpus summary: {args.corpus}", ""]
    if args.corpus == "sample":
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


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


def _cmd_build_sample(args: argparse.Namespace) -> int:
    from framelab._sample_build import build_sample

    for path in build_sample(Path(args.bank), Path(args.out)):
        print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``framelab`` command."""
    parser = argparse.ArgumentParser(prog="framelab", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="run the study on the bundled synthetic sample")
    demo.add_argument("--out", default="reports", help="output folder (default: reports)")
    demo.set_defaults(func=_cmd_summary, corpus="sample")

    summary = sub.add_parser("summary", help="summarise a corpus file or folder")
    summary.add_argument("corpus", help="path, or 'sample'")
    summary.add_argument("--out", default="reports", help="output folder (default: reports)")
    summary.set_defaults(func=_cmd_summary)

    build = sub.add_parser("build-sample", help="rebuild data/sample/ from the paragraph bank")
    build.add_argument("--bank", default="data/sample/bank")
    build.add_argument("--out", default="data/sample")
    build.set_defaults(func=_cmd_build_sample)

    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
