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

A second held-out set, ``--set ruwa``, is built from the RUWA dataset (Khairova, Ivasiuk, Lo
Scudo, Comito & Galassi 2023, "A First Attempt to Detect Misinformation in Russia-Ukraine War
News through Text Similarity", LDK 2023; GitHub ``ninakhairova/dataset_RUWA``, commit
``5eab65389306e7adf7d2aef95b803b9308c72e61``, licence CC BY-NC-SA 4.0): headline + subheading
of 16,545 war news items (February-September 2022) from nine outlets in five countries
(Ukrinform, Censor.net; RT, TASS, News-Front; BBC, Reuters; MSNBC; Al Jazeera). Each item is
one document ``title + blank line + desc`` (``doc_id`` = ``ruwa-<row>``, items without text
and duplicate links dropped); output ``data/processed/dev/ruwa_heldout.csv``.

A third held-out set, ``--set nytg`` (added in the third session of issue 20 to find more
rare-frame hits), is the Kaggle dataset "Russia Ukraine Conflict" (hskhawaja/russia-ukraine-
conflict, licence CC BY-NC-SA 4.0 per its dataset card) as mirrored on GitHub in
``subina-maharjan/News_Analytics_Project``, commit ``fcdec379b8674a2df410affa943fa9167ea13d8f``
(files ``Guardians_Russia_Ukraine.csv``: 188 Guardian articles, 24 February - 6 August 2022;
``NYT_Russia_Ukraine.csv``: 219 New York Times articles or ledes, May - July 2022). Each row is
one document ``headline + blank line + article`` (``doc_id`` = ``nytg-guardian-<row>`` /
``nytg-nyt-<row>``; empty and duplicate texts dropped); output
``data/processed/dev/nytg_heldout.csv``.

A fourth held-out set, ``--set rss23`` (added for ``civil_military``, issue 20, cm20), covers
2023, the year of the Wagner mutiny (Prigozhin against Shoigu and Gerasimov), Surovikin's
removal and the first public Zelensky-Zaluzhnyi tensions. It is built from the daily RSS link
archive ``rumca-js/RSS-Link-Database-2023`` (repository licence GPL-3.0; the headlines and
teasers belong to their publishers), commit ``08b89dd9bdbd20633c994bb4a74411f204225b0f`` (the
last one that keeps the per-day ``*_entries.json`` files; later commits zip them). Every item
of an English-language feed (``language`` starting with ``en``; YouTube channel feeds and the
pluralistic.net blog dropped) whose title or description names the war's subject (``_SCOPE``
below: Ukraine, Russia, Kyiv, Moscow, Kremlin, Zelensky, Putin, Crimea, Donbas, Wagner,
Prigozhin, Shoigu, Gerasimov, Zaluzhnyi ...) becomes one document ``title + blank line +
description`` (HTML tags removed), deduplicated by link and by text; ``doc_id`` = ``rss23-`` +
the first 10 hex digits of the SHA-1 of the link; columns ``outlet`` (the link's host) and
``feed`` (the archive's file name) are kept; output ``data/processed/dev/rss23_heldout.csv``
(36,700 items, sha256 ``116508bf...`` when built). Outlets include the BBC, the Guardian, the
New York Times, the Washington Post, the Wall Street Journal, the FT, Bloomberg, NBC, ABC, CNN,
NPR, Sky News, Al Jazeera, the Telegraph, the Daily Mail, Fox News, The Hill, Politico, Le
Monde (English), RT and the Moscow Times.

Licence: ``hellaskella33/ukraine-war-news-sentiment-analysis`` states no licence; the article
texts of every set belong to their publishers. They are used here for local development only
(reading hits to audit a codebook), as research use of publicly posted material, and are NEVER
committed or redistributed: this script writes to ``data/processed/dev/`` (git-ignored). This is
not SemEval-2023 Task 3 or SemEval-2025 Task 10 data (the kit's external yardsticks, which must
not be used for development).

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
RUWA_URL = "https://github.com/ninakhairova/dataset_RUWA"
RUWA_COMMIT = "5eab65389306e7adf7d2aef95b803b9308c72e61"
RUWA_FILE = "RUWA_01.08.23.csv.zip"
OUT_RUWA = Path("data/processed/dev/ruwa_heldout.csv")
NYTG_URL = "https://github.com/subina-maharjan/News_Analytics_Project"
NYTG_COMMIT = "fcdec379b8674a2df410affa943fa9167ea13d8f"
NYTG_FILES = {
    "guardian": ("Guardians_Russia_Ukraine.csv", "GB"),
    "nyt": ("NYT_Russia_Ukraine.csv", "US"),
}
OUT_NYTG = Path("data/processed/dev/nytg_heldout.csv")
RSS23_URL = "https://github.com/rumca-js/RSS-Link-Database-2023"
RSS23_COMMIT = "08b89dd9bdbd20633c994bb4a74411f204225b0f"
OUT_RSS23 = Path("data/processed/dev/rss23_heldout.csv")
_SCOPE = re.compile(
    r"\b(?:Ukrain\w*|Russia\w*|Kyiv|Kiev|Moscow|Kremlin|Zelensk\w*|Putin\w*|Crimea\w*|"
    r"Donbas\w*|Donetsk|Luhansk|Kharkiv|Kherson|Zaporizhzhia|Bakhmut|Wagner|Prigozhin|Shoigu|"
    r"Gerasimov|Surovikin|Zaluzhn\w*|Syrskyi)\b"
)
_TAG = re.compile(r"<[^>]+>")
_RUWA_COUNTRY = {
    "ukrinform.net": "UA",
    "censor.net": "UA",
    "rt.com": "RU",
    "tass.com": "RU",
    "en.news-front.info": "RU",
    "bbc.co.uk": "GB",
    "reuters.com": "GB",
    "www.msnbc.com": "US",
    "aljazeera.com": "QA",
}
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


def build_ruwa(repo: Path, out: Path) -> Path:
    """Headline + subheading items of RUWA (pinned commit) as a Corpus CSV."""
    import io
    import zipfile

    import pandas as pd

    blob = subprocess.run(
        ["git", "-C", str(repo), "show", f"{RUWA_COMMIT}:{RUWA_FILE}"],
        check=True,
        capture_output=True,
    ).stdout
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        name = next(n for n in z.namelist() if n.endswith(".csv") and "MACOSX" not in n)
        raw = pd.read_csv(z.open(name), dtype=str, keep_default_na=False)
    raw = raw.drop_duplicates("src")
    texts = [
        "\n\n".join(p.strip() for p in (t, d) if p.strip())
        for t, d in zip(raw["title"], raw["desc"], strict=True)
    ]
    dates = pd.to_datetime(raw["Date"], format="%m/%d/%Y", errors="coerce").dt.strftime("%Y-%m-%d")
    corpus = pd.DataFrame(
        {
            "doc_id": [f"ruwa-{i:05d}" for i in range(len(raw))],
            "date": dates.fillna("").to_numpy(),
            "country": raw["Site"].map(_RUWA_COUNTRY).fillna("").to_numpy(),
            "outlet": raw["Site"].to_numpy(),
            "language": "en",
            "source_file": raw["src"].to_numpy(),
            "text": texts,
        }
    )
    corpus = corpus[corpus["text"].str.len() > 0]
    out.parent.mkdir(parents=True, exist_ok=True)
    corpus.to_csv(out, index=False)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"{out}: {len(corpus)} items, sha256 {digest}")
    return out


def build_nytg(repo: Path, out: Path) -> Path:
    """Guardian and New York Times articles (Kaggle hskhawaja/russia-ukraine-conflict, pinned
    GitHub mirror) as a Corpus CSV."""
    import io

    import pandas as pd

    parts = []
    for outlet, (name, country) in NYTG_FILES.items():
        blob = subprocess.run(
            ["git", "-C", str(repo), "show", f"{NYTG_COMMIT}:{name}"],
            check=True,
            capture_output=True,
        ).stdout
        raw = pd.read_csv(io.BytesIO(blob), dtype=str, keep_default_na=False)
        texts = [
            "\n\n".join(p.strip() for p in (h, a) if p.strip())
            for h, a in zip(raw["headlines"], raw["articles"], strict=True)
        ]
        dates = pd.to_datetime(raw["published"].str[:10].str.replace("/", "-"), errors="coerce")
        parts.append(
            pd.DataFrame(
                {
                    "doc_id": [f"nytg-{outlet}-{i:03d}" for i in range(len(raw))],
                    "date": dates.dt.strftime("%Y-%m-%d").fillna("").to_numpy(),
                    "country": country,
                    "outlet": outlet,
                    "language": "en",
                    "source_file": f"{NYTG_URL}/blob/{NYTG_COMMIT}/{name}",
                    "text": texts,
                }
            )
        )
    corpus = pd.concat(parts, ignore_index=True)
    corpus = corpus[corpus["text"].str.len() > 0].drop_duplicates("text")
    out.parent.mkdir(parents=True, exist_ok=True)
    corpus.to_csv(out, index=False)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"{out}: {len(corpus)} articles, sha256 {digest}")
    return out


def build_rss23(repo: Path, out: Path) -> Path:
    """War items of English feeds in the 2023 RSS link archive (pinned commit) as a Corpus CSV."""
    import html
    import json

    import pandas as pd

    names = [
        n
        for n in _git(repo, "ls-tree", "-r", "--name-only", RSS23_COMMIT, "2023/").splitlines()
        if n.endswith("_entries.json") and ".youtube.com" not in n and ".pluralistic.net" not in n
    ]
    batch = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        input="".join(f"{RSS23_COMMIT}:{n}\n" for n in names).encode(),
        check=True,
        capture_output=True,
    ).stdout
    rows, seen_links, seen_texts, pos = [], set(), set(), 0
    for name in names:
        header_end = batch.index(b"\n", pos)
        header = batch[pos:header_end].split()
        if header[-1] == b"missing":
            raise SystemExit(f"dev_corpus_en: {name!r} missing at {RSS23_COMMIT} in {repo}")
        size = int(header[2])
        blob = batch[header_end + 1 : header_end + 1 + size]
        pos = header_end + 1 + size + 1
        items = json.loads(blob.decode("utf-8", errors="replace"))
        if isinstance(items, dict):  # early files wrap the list: {"entries": [...]}
            items = items.get("entries", [])
        for item in items:
            if not str(item.get("language") or "").lower().startswith("en"):
                continue
            title, desc = (
                " ".join(html.unescape(_TAG.sub(" ", str(item.get(k) or ""))).split())
                for k in ("title", "description")
            )
            text = "\n\n".join(p for p in (title, desc) if p)
            link = str(item.get("link") or "")
            if not text or not link or not _SCOPE.search(text):
                continue
            if link in seen_links or text in seen_texts:
                continue
            seen_links.add(link)
            seen_texts.add(text)
            rows.append(
                {
                    "doc_id": "rss23-" + hashlib.sha1(link.encode()).hexdigest()[:10],
                    "date": str(item.get("date_published") or "")[:10] or name.split("/")[2],
                    "country": "",
                    "feed": name.rsplit("/", 1)[-1],
                    "outlet": re.sub(r"^https?://(www\.)?", "", link).split("/")[0],
                    "language": "en",
                    "source_file": link,
                    "text": text,
                }
            )
    corpus = pd.DataFrame(rows).sort_values("doc_id", kind="stable")
    out.parent.mkdir(parents=True, exist_ok=True)
    corpus.to_csv(out, index=False)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"{out}: {len(corpus)} items, sha256 {digest}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, help="an existing clone (or bare git dir)")
    parser.add_argument("--set", choices=("dev", "heldout", "ruwa", "nytg", "rss23"), default="dev")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if args.set in ("ruwa", "nytg", "rss23"):
        out = args.out or {"ruwa": OUT_RUWA, "nytg": OUT_NYTG, "rss23": OUT_RSS23}[args.set]
        fn, url = {
            "ruwa": (build_ruwa, RUWA_URL),
            "nytg": (build_nytg, NYTG_URL),
            "rss23": (build_rss23, RSS23_URL),
        }[args.set]
        if args.repo is not None:
            fn(args.repo, out)
            return 0
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["git", "clone", "--quiet", url, tmp], check=True)
            fn(Path(tmp), out)
        return 0
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
