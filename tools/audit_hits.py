"""Hit audit for a codebook on a development corpus (issue 20): draw, then score.

``draw``  codes the corpus (document level) and writes a seeded random sample of the COUNTED
          hits (in scope; negated ones included, as the codebook's ``keep`` policy counts them)
          of every frame, with their context, to a CSV with an empty ``correct`` column. Hits
          listed in ``--exclude`` files (earlier samples) are never drawn again, so a re-audit
          after revising the codebook reads NEW hits.
          Several ``--corpus`` files are pooled (doc_ids must be unique across them);
          ``--clean web`` first removes web boilerplate (``framelab.prepare.clean_text``).
``score`` reads judged CSVs (``correct`` = 1 or 0 per row) and prints n, correct, precision
          and the Wilson 95% interval per frame, as the codebook's ``audit:`` blocks expect.

Example::

    python tools/dev_corpus_en.py
    python tools/audit_hits.py draw peace_talks --per-frame 40 --seed 2 \\
        --exclude data/processed/dev/audit_round1.csv --out data/processed/dev/audit_round2.csv
    # ... read each row, write 1/0 into `correct` ...
    python tools/audit_hits.py score data/processed/dev/audit_round2.csv
    # Russian documents of the ru/uk corpus (issue 21); --exclude takes a ledger of read hits
    python tools/audit_hits.py draw peace_talks --corpus data/processed/dev/ruuk.parquet \\
        --language ru --per-frame 30 --seed 11 --exclude data/processed/dev/ruuk_ledger.csv \\
        --out data/processed/dev/ruuk_final_ru.csv

The judged files hold third-party text and stay in ``data/processed/dev/`` (not committed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from framelab._codebook_rules import wilson_interval
from framelab.codebook import load_codebook
from framelab.coding import code_frames
from framelab.prepare import clean_text

CORPUS = Path("data/processed/dev/war_news_en.csv")


def _context(text: str, start: int, end: int, width: int = 240) -> tuple[str, str, str]:
    left = " ".join(text[max(0, start - width) : start].split())
    right = " ".join(text[end : end + width].split())
    return left, " ".join(text[start:end].split()), right


def _read_corpus(path: Path) -> pd.DataFrame:
    """A CSV or Parquet corpus."""
    if path.suffix == ".parquet":
        corpus = pd.read_parquet(path).astype({"doc_id": str})
    else:
        corpus = pd.read_csv(path, dtype=str, keep_default_na=False)
    return corpus


def draw(args: argparse.Namespace) -> None:
    corpus = pd.concat([_read_corpus(p) for p in args.corpus], ignore_index=True).fillna("")
    if args.language:
        files = ", ".join(str(p) for p in args.corpus)
        if "language" not in corpus.columns:
            raise SystemExit(f"audit_hits draw: {files} has no `language` column for --language.")
        corpus = corpus[corpus["language"] == args.language].reset_index(drop=True)
        if corpus.empty:
            raise SystemExit(
                f"audit_hits draw: no document of language {args.language!r} in {files}."
            )
    dup = corpus["doc_id"][corpus["doc_id"].duplicated()]
    if len(dup):
        raise SystemExit(
            f"audit_hits draw: doc_id {dup.iloc[0]!r} occurs in more than one row of the pooled "
            "--corpus files; give each file's ids a distinct prefix."
        )
    if args.clean:
        corpus = clean_text(corpus, args.clean)
    coded = code_frames(corpus, load_codebook(args.codebook))
    hits = coded.hits[~coded.hits["out_of_scope"]]
    seen = set()
    for path in args.exclude or ():
        old = pd.read_csv(path, dtype={"doc_id": str})
        seen |= set(zip(old["doc_id"], old["frame"], old["start"], strict=True))
    keep = [
        (d, f, s) not in seen
        for d, f, s in zip(hits["doc_id"], hits["frame"], hits["start"], strict=True)
    ]
    hits = hits[keep]
    texts = coded.texts
    parts = []
    for frame in coded.codebook.frame_ids:
        rows = hits[hits["frame"] == frame]
        n = min(args.per_frame, len(rows))
        parts.append(rows.sample(n=n, random_state=args.seed) if n else rows)
    sample = pd.concat(parts, ignore_index=True)
    ctx = [
        _context(texts[d], s, e)
        for d, s, e in zip(sample["doc_id"], sample["start"], sample["end"], strict=True)
    ]
    sample["left"], sample["match"], sample["right"] = (
        zip(*ctx, strict=True) if ctx else ((), (), ())
    )
    sample["codebook"] = coded.codebook.id
    sample["language"] = args.language or ""
    sample["correct"] = ""
    cols = ["frame", "doc_id", "start", "end", "term", "negated", "left", "match", "right"]
    sample[[*cols, "codebook", "language", "correct"]].to_csv(args.out, index=False)
    print(f"{args.out}: {len(sample)} hits ({coded.codebook.id}, seed {args.seed})")


def score(args: argparse.Namespace) -> None:
    judged = pd.concat([pd.read_csv(p) for p in args.files], ignore_index=True)
    bad = judged[~judged["correct"].isin([0, 1])]
    if len(bad):
        raise SystemExit(f"audit_hits score: {len(bad)} row(s) without a 0/1 judgement.")
    rows = []
    for frame, grp in judged.groupby("frame", sort=False):
        n, k = len(grp), int(grp["correct"].sum())
        lo, hi = wilson_interval(k, n)
        rows.append((frame, n, k, round(k / n, 3), round(lo, 3), round(hi, 3)))
    table = pd.DataFrame(rows, columns=["frame", "n", "correct", "precision", "ci_low", "ci_high"])
    print(table.to_string(index=False))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("draw")
    d.add_argument("codebook")
    d.add_argument(
        "--corpus", type=Path, nargs="+", default=[CORPUS], help="CSV or Parquet; pooled if several"
    )
    d.add_argument("--clean", nargs="*", default=[], help="clean_text presets/regexes, e.g. web")
    d.add_argument("--language", help="code only the documents of this language (e.g. ru)")
    d.add_argument("--per-frame", type=int, default=40)
    d.add_argument("--seed", type=int, default=1)
    d.add_argument("--exclude", type=Path, nargs="*")
    d.add_argument("--out", type=Path, required=True)
    s = sub.add_parser("score")
    s.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args(argv)
    (draw if args.cmd == "draw" else score)(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
