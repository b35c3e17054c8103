"""Rebuild the Russian/Ukrainian development corpus used to revise and audit ``peace_talks``.

No article text is committed: this script fetches three public GitHub repositories at pinned
commits and writes ``data/processed/dev/ruuk.parquet`` (a Corpus: ``doc_id, text, title, outlet,
date, url, language``).

Sources (licences: the first two repositories state none, the third is CC BY-NC-SA 4.0; the
texts belong to their publishers and are used here only to read and audit dictionary hits,
never redistributed):

* ru - ``Romain-Jaffuel/Russian-Propaganda-Analysis-Ukraina.ru`` @ ee58d919130c3ae1daa9dd409308ea79b48ab04e:
  headlines of ukraina.ru (a Rossiya Segodnya outlet) opinion, interview and history sections,
  2014-2025 (``articles_opinion.csv``, ``articles_interview.csv``, ``articles_historia*.csv``,
  column ``title``). Headlines only: short, no paragraph breaks.
* ru - ``strateg17/fake-news`` @ a1caf927869cd6a4b35322f72b304484ed915818 (issue 21, second
  round): the Russian-language rows of ``data/parquets/other_languages_fact_{test,validate}.parquet``
  (the train file is not in the public snapshot): headlines of TASS (state news agency) and
  Lenta.ru, 2022 (``claim`` only: the ``evidence`` column of these rows is machine-generated
  search-engine chat output, not coverage, and is dropped). Outlet = the URL's host.
* uk - ``strateg17/fake-news`` @ a1caf927869cd6a4b35322f72b304484ed915818: Ukrainian
  claims with their evidence text: Ukrainska Pravda news items (headline + lead) and StopFake
  fact-checks (full text), March-June 2022
  (``data/parquets/ukrainian_fact_{train,validate,test}.parquet``, ``claim`` + ``evidence``;
  not SemEval data).
* ru + uk - ``unlp-workshop/unlp-2025-shared-task`` @ f39ef3247a63785e1a16f7474e1416716a1f8436
  (CC BY-NC-SA 4.0; data by Texty.org.ua): 3,822 Telegram posts from Ukrainian-audience news
  and opinion channels, Ukrainian (2,147) and Russian (1,675), full post text
  (``data/techniques_classification/train.parquet``, ``content`` and ``lang``; the test texts
  are not in the public snapshot). Added as a held-out genre for the final audit (issue 21):
  doc ids ``tg…``; the channel is not given, so ``outlet`` is "telegram". Not SemEval data.

Sources looked at and NOT used (issue 21, second round): RUWA (links and English headlines
only), ``texty/manipulative_news_methodology`` (ru/uk news 2018, but only as tokenised text with
``_unk_`` placeholders), ``yarakyrychenko/tg-misinfo-data`` (Telegram posts; the data files are
not in the public snapshot), ``MichaelKreil/ukraine-news`` (front pages of seven Russian
outlets, 2.4 GB snapshot: too large to fetch here). A broader full-text ru/uk source is still
wanted (docs/ruuk_audit.md).

Usage::

    python tools/dev_corpus_ruuk.py            # clones into data/external/ (git needed)
    python tools/dev_corpus_ruuk.py --mirror-ru PATH --mirror-uk PATH --mirror-tg PATH

Then e.g. ``fl.code_frames(pd.read_parquet("data/processed/dev/ruuk.parquet"), "peace_talks")``.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pandas as pd
from _gitrepo import checkout, git  # tools/_gitrepo.py (tools/ is on sys.path when run)

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
RU_TASS_FILES = tuple(
    f"data/parquets/other_languages_fact_{s}.parquet" for s in ("test", "validate")
)
TG = (
    "https://github.com/unlp-workshop/unlp-2025-shared-task.git",
    "f39ef3247a63785e1a16f7474e1416716a1f8436",
)
TG_FILE = "data/techniques_classification/train.parquet"
UK_FILES = tuple(f"data/parquets/ukrainian_fact_{s}.parquet" for s in ("train", "validate", "test"))


def russian(repo: Path, commit: str) -> pd.DataFrame:
    frames = []
    for name in RU_FILES:
        raw = git(repo, "show", f"{commit}:{name}").decode("utf-8-sig")
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


def russian_wire(repo: Path, commit: str) -> pd.DataFrame:
    """TASS and Lenta.ru headlines (the Russian rows of the fact-check set; claim only)."""
    parts = [pd.read_parquet(io.BytesIO(git(repo, "show", f"{commit}:{f}"))) for f in RU_TASS_FILES]
    ru = pd.concat(parts, ignore_index=True)
    ru = ru[ru["language"] == "ru"].drop_duplicates("claim")
    ru = ru[ru["claim"].astype(str).str.strip().str.len() > 0]
    return pd.DataFrame(
        {
            "doc_id": [f"rt{i:05d}" for i in range(len(ru))],
            "text": ru["claim"].astype(str).str.strip().to_numpy(),
            "title": ru["claim"].astype(str).to_numpy(),
            "outlet": ru["url"].str.extract(r"https?://(?:www\.)?([^/]+)")[0].to_numpy(),
            "url": ru["url"].to_numpy(),
            "language": "ru",
        }
    )


def ukrainian(repo: Path, commit: str) -> pd.DataFrame:
    parts = [pd.read_parquet(io.BytesIO(git(repo, "show", f"{commit}:{f}"))) for f in UK_FILES]
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


def telegram(repo: Path, commit: str) -> pd.DataFrame:
    """Telegram posts (ru and uk) of the UNLP 2025 shared task training set."""
    tg = pd.read_parquet(io.BytesIO(git(repo, "show", f"{commit}:{TG_FILE}")))
    tg = tg[tg["lang"].isin(["ru", "uk"])].drop_duplicates("content").reset_index(drop=True)
    return pd.DataFrame(
        {
            "doc_id": [f"tg{i:05d}" for i in range(len(tg))],
            "text": tg["content"].astype(str).to_numpy(),
            "title": "",
            "outlet": "telegram",
            "url": "",
            "language": tg["lang"].to_numpy(),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror-ru", help="existing clone (or bare git dir) of the ru source")
    parser.add_argument("--mirror-uk", help="existing clone (or bare git dir) of the uk source")
    parser.add_argument(
        "--mirror-tg", help="existing clone (or bare git dir) of the Telegram source"
    )
    parser.add_argument("--out", default="data/processed/dev/ruuk.parquet")
    args = parser.parse_args()
    external = Path("data/external")
    external.mkdir(parents=True, exist_ok=True)
    ru = russian(checkout(RU[0], args.mirror_ru, external), RU[1])
    uk_repo = checkout(UK[0], args.mirror_uk, external)
    ru = pd.concat([ru, russian_wire(uk_repo, UK[1])], ignore_index=True)
    uk = ukrainian(uk_repo, UK[1])
    tg = telegram(checkout(TG[0], args.mirror_tg, external), TG[1])
    corpus = pd.concat([ru, uk, tg], ignore_index=True)
    out = Path(args.out)
    if "raw" in out.parts:
        raise SystemExit("dev_corpus_ruuk: refusing to write under data/raw")
    out.parent.mkdir(parents=True, exist_ok=True)
    corpus.to_parquet(out, index=False)
    n = corpus["language"].value_counts()
    print(f"{out}: {n.get('ru', 0)} ru and {n.get('uk', 0)} uk documents ({len(tg)} Telegram)")


if __name__ == "__main__":
    main()
