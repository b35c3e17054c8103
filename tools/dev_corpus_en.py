"""Rebuild the English development corpus of real war news (issue 20); never commit its output.

Source
------
GitHub repository ``hellaskella33/ukraine-war-news-sentiment-analysis``, commit
``c95b16372bc0b2093a9e059bf77a3f5f240d6a46``, folder ``data/articles/``: 447 full-text English
news articles on the Russia-Ukraine war (January 2022 - 2024) collected by the repository's
author through the GDELT DOC API from 14 outlets in five countries (US: washingtonpost.com,
cnn.com, foxnews.com; UA: kyivpost.com, ukrinform.net, unian.info; GB: bbc.co.uk,
theguardian.com, telegraph.co.uk; BY: belarusfeed.com, eng.belta.by; PL: tvn24.pl, gazeta.pl,
onet.pl). File names carry the publication time and country:
``20220125T090000Z_GB_en_7d015e6984.txt``.

A HELD-OUT set comes from the same repository's older commit
``943bd85fbd4bde9da8c71a75d18b5fa8b2747206`` (182 files, April-May 2024, including Russian
outlets in English; the author later replaced them): articles whose text also occurs in the
development set are dropped. It is never read while revising a codebook, only to audit it
afterwards (``--set heldout``, output ``data/processed/dev/war_news_en_heldout.csv``).

Licence: the repository states no licence; the article texts belong to their publishers. They
are used here for local development only (reading hits to audit a codebook), as research use
of publicly posted material, and are NEVER committed or redistributed: this script writes to
``data/processed/dev/`` (git-ignored). This is not SemEval-2023 Task 3 or SemEval-2025 Task 10
data (the kit's external yardsticks, which must not be used for development).

Usage
-----
``python tools/dev_corpus_en.py`` clones the repository (needs ``git`` and network) into a
temporary folder; ``--repo PATH`` reads an existing clone or bare git directory instead. The
output ``data/processed/dev/war_news_en.csv`` is a Corpus table: ``doc_id, date, country,
language, source_file, text`` (doc_id = file name without ``.txt``), sorted by doc_id; its
SHA-256 is printed so two rebuilds can be compared.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_URL = "https://github.com/hellaskella33/ukraine-war-news-sentiment-analysis"
COMMIT = "c95b16372bc0b2093a9e059bf77a3f5f240d6a46"
HELDOUT_COMMIT = "943bd85fbd4bde9da8c71a75d18b5fa8b2747206"
FOLDER = "data/articles/"
OUT = Path("data/processed/dev/war_news_en.csv")
OUT_HELDOUT = Path("data/processed/dev/war_news_en_heldout.csv")
_NAME = re.compile(r"^(\d{4})(\d{2})(\d{2})T\d{6}Z_([A-Z]{2})_([A-Za-z]+)_[0-9a-f]+\.txt$")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def _texts(repo: Path, commit: str) -> set[str]:
    names = _git(repo, "ls-tree", "-r", "--name-only", commit, FOLDER).splitlines()
    return {_git(repo, "show", f"{commit}:{n}").replace("\r\n", "\n").strip() for n in names}


def build(repo: Path, out: Path, heldout: bool = False) -> Path:
    """Read every article of the pinned commit from ``repo`` and write the Corpus CSV."""
    commit = HELDOUT_COMMIT if heldout else COMMIT
    seen = _texts(repo, COMMIT) if heldout else set()
    names = [
        n for n in _git(repo, "ls-tree", "-r", "--name-only", commit, FOLDER).splitlines() if n
    ]
    rows = []
    for name in sorted(names):
        base = name.rsplit("/", 1)[-1]
        m = _NAME.match(base)
        if m is None:
            raise SystemExit(f"dev_corpus_en: unexpected file name {name!r} in {REPO_URL}")
        y, mo, d, country, lang = m.groups()
        if lang not in ("en", "English"):
            continue  # the older commit also holds untranslated Russian/Ukrainian files
        text = _git(repo, "show", f"{commit}:{name}").replace("\r\n", "\n").strip()
        if not text or text in seen:
            continue
        seen.add(text)
        rows.append(
            {
                "doc_id": ("heldout-" if heldout else "") + base[:-4],
                "date": f"{y}-{mo}-{d}",
                "country": country,
                "language": "en",
                "source_file": f"{REPO_URL}/blob/{commit}/{name}",
                "text": text,
            }
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"{out}: {len(rows)} articles, sha256 {digest}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, help="an existing clone (or bare git dir)")
    parser.add_argument("--set", choices=("dev", "heldout"), default="dev")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    heldout = args.set == "heldout"
    out = args.out or (OUT_HELDOUT if heldout else OUT)
    if args.repo is not None:
        build(args.repo, out, heldout)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["git", "clone", "--quiet", REPO_URL, tmp], check=True)
        build(Path(tmp), out, heldout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
