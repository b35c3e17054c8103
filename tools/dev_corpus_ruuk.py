"""Rebuild the Russian/Ukrainian development corpus used to revise and audit ``peace_talks``.

No article text is committed: this script fetches two public GitHub repositories at pinned
commits and writes ``data/processed/dev/ruuk.parquet`` (a Corpus: ``doc_id, text, title, outlet,
date, url, language``).

Sources (licences: neither repository states one; the texts belong to their publishers and are
used here only to read and audit dictionary hits, never redistributed):

* ru - ``Romain-Jaffuel/Russian-Propaganda-Analysis-Ukraina.ru`` @ ee58d919130c3ae1daa9dd409308ea79b48ab04e:
  headlines of ukraina.ru (a Rossiya Segodnya outlet) opinion, interview and history sections,
  2014-2025 (``articles_opinion.csv``, ``articles_interview.csv``, ``articles_historia*.csv``,
  column ``title``). Headlines only: short, no paragraph breaks.
* uk - ``strateg17/fake-news`` @ a1caf927869cd6a4b35322f72b304484ed915818: Ukrainian
  fact-checking claims with their evidence text, mostly Ukrainska Pravda and other Ukrainian
  outlets, March-June 2022 (``data/parquets/ukrainian_fact_{train,validate,test}.parquet``,
  ``claim`` + ``evidence``; not SemEval data).

Usage::

    python tools/dev_corpus_ruuk.py            # clones into data/external/ (git needed)
    python tools/dev_corpus_ruuk.py --mirror-ru PATH --mirror-uk PATH   # existing clones

Then e.g. ``fl.code_frames(pd.read_parquet("data/processed/dev/ruuk.parquet"), "peace_talks")``.
"""

from __future__ import annotations

import argparse
import io
import subprocess
from pathlib import Path

import pandas as pd

RU = (
    "https://github.com/Romain-Jaffuel/Russian-Propaganda-Analysis-Ukraina.ru.git",
    "ee58d919130c3ae1daa9dd409308ea79b48ab04e",
)
UK = ("https://github.com/strateg17/fake-news.git", "a1caf927869cd6a4b35322f72b304484ed915818")
RU_FILES = (
    "articles_opinion.csv",
    "articles_interview.csv",
    "articles_historia.csv",
    "articles_historia_scroll_2014_2020.csv",
)
UK_FILES = tuple(f"data/parquets/ukrainian_fact_{s}.parquet" for s in ("train", "validate", "test"))


def _git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True).stdout


def _checkout(url: str, commit: str, mirror: str | None, into: Path) -> Path:
    """A git directory holding ``commit`` (an existing clone, or a fresh one under ``into``)."""
    if mirror:
        return Path(mirror)
    dest = into / url.rstrip("/").split("/")[-1].removesuffix(".git")
    if not dest.exists():
        subprocess.run(["git", "clone", "--quiet", url, str(dest)], check=True)
    return dest


def russian(repo: Path, commit: str) -> pd.DataFrame:
    frames = []
    for name in RU_FILES:
        raw = _git(repo, "show", f"{commit}:{name}").decode("utf-8-sig")
        table = pd.read_csv(io.StringIO(raw))
        frames.append(table.assign(section=name.removesuffix(".csv").split("_", 1)[1]))
    ru = pd.concat(frames, ignore_index=True).drop_duplicates("title")
    ru = ru[ru["title"].astype(str).str.strip().str.len() > 0]
    return pd.DataFrame(
        {
            "doc_id": [f"ru{i:05d}" for i in range(len(ru))],
            "text": ru["title"].astype(str).str.strip().to_numpy(),
            "title": ru["title"].astype(str).to_numpy(),
            "outlet": "ukraina.ru",
            "url": ru["link"].to_numpy(),
            "language": "ru",
        }
    )


def ukrainian(repo: Path, commit: str) -> pd.DataFrame:
    parts = [pd.read_parquet(io.BytesIO(_git(repo, "show", f"{commit}:{f}"))) for f in UK_FILES]
    uk = pd.concat(parts, ignore_index=True).drop_duplicates("claim")

    def text(row) -> str:
        claim, evidence = str(row.claim).strip(), str(row.evidence or "").strip()
        return evidence if evidence.startswith(claim) else f"{claim}\n\n{evidence}".strip()

    return pd.DataFrame(
        {
            "doc_id": [f"uk{i:05d}" for i in range(len(uk))],
            "text": [text(r) for r in uk.itertuples()],
            "title": uk["claim"].to_numpy(),
            "outlet": uk["url"].str.extract(r"https?://(?:www\.)?([^/]+)")[0].to_numpy(),
            "url": uk["url"].to_numpy(),
            "language": "uk",
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror-ru", help="existing clone (or bare git dir) of the ru source")
    parser.add_argument("--mirror-uk", help="existing clone (or bare git dir) of the uk source")
    parser.add_argument("--out", default="data/processed/dev/ruuk.parquet")
    args = parser.parse_args()
    external = Path("data/external")
    external.mkdir(parents=True, exist_ok=True)
    ru = russian(_checkout(*RU, args.mirror_ru, external), RU[1])
    uk = ukrainian(_checkout(*UK, args.mirror_uk, external), UK[1])
    corpus = pd.concat([ru, uk], ignore_index=True)
    out = Path(args.out)
    if "raw" in out.parts:
        raise SystemExit("dev_corpus_ruuk: refusing to write under data/raw")
    out.parent.mkdir(parents=True, exist_ok=True)
    corpus.to_parquet(out, index=False)
    print(f"{out}: {len(ru)} ru and {len(uk)} uk documents")


if __name__ == "__main__":
    main()
