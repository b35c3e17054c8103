"""Rebuild the second held-out Russian/Ukrainian corpus (issue 21, round 7): sources found after
every document of the first held-out corpus had been read.

No article text is committed: the script reads five public GitHub repositories at pinned
commits and writes ``data/processed/dev/ruuk_heldout2.parquet`` (a Corpus: ``doc_id, text,
title, outlet, date, url, language``). The peace_talks revision 1.7 was fixed before any of
these documents was coded; their hits are read only in the blind audit (docs/ruuk_audit.md).
No source states a licence; the texts belong to their publishers and are used only to read
and audit dictionary hits, never redistributed.

* ru - ``KostasMateer/rus495-capstone-project`` @ a804e6d (pinned in ``CAPSTONE``; a 2023
  Russian-course capstone): the site-search results of four outlets for nine war and army
  search terms (война, война украина, специальная военная операция, мобилизация, военная
  служба (по контракту), воинская обязанность, контрактник, призывать, рекрут), one JSON file
  per outlet and term (``json files/<outlet>/<term><outlet>.json``: ``articles`` is a list of
  one-key objects ``{"articleN": {title, subtitle, date "M/D/YYYY", url}}``). Outlets: TASS
  (state news agency), Channel One (state TV, 1tv.ru), Meduza and Novaya Gazeta (independent).
  Headline, and the lead (``subtitle``) on the next line where the site gives one. Doc ids
  ``cp…`` (one per outlet and URL, in outlet then URL order), ``outlet`` the outlet's host.
  Dropped: items dated before ``CAPSTONE_FROM`` (the searches reach back to 2014), and the file
  in ``CAPSTONE_SKIP`` (over 4 MB, absent from the public snapshot this was built from: a full
  clone has it, and skipping it keeps the two builds identical). The search terms are the
  capstone's, not peace_talks entries; "мобилизация" and "контрактник" make army recruitment
  news frequent, which the stalemate audit has to face (docs/ruuk_audit.md).

* ru - ``alina-khamat/The-Battle-for-Russia-Rebirth`` @ 102d01b (pinned in ``MILBLOG``):
  ``data/Training_Dataset.csv`` (``channel_name, message, is_criticism``), 623 full posts of
  13 Russian pro-war Telegram channels (Prizrak Novorossii, Russkiy Manifest, Igor Strelkov,
  Kotsnews, Zhivov, AGDchan, Pryamoe deystvie, Totalis, Voenkor Kotenok, ...), 24 February
  2022 - 1 September 2024 by the project's README; posts carry no date (``date`` empty). The
  set was built to study criticism of the leadership by these "angry patriots", so posts
  about the army command and the Kremlin are frequent. Doc ids ``mb…`` (file order),
  ``outlet`` the channel; ``is_criticism`` is dropped.

* ru - ``mneunomne/edit_wars_database`` @ feb0b02 (pinned in ``EDITWARS``): the Russian rows of
  ``data/headline_data.tsv`` (``narrative_name, date "YYYY.M.D", text, lang, url, domain``):
  headlines of 170 Russian outlets (RIA FAN, Regnum, RIA, KP, RT, MK, TV Zvezda, Lenta, ...),
  26 December 2021 - 30 July 2022, chosen by the project's keywords for three propaganda
  narratives (sanctions and a "freezing Europe", a new Cold War, Ukrainian "Nazis"). Doc ids
  ``ew…`` (file order), ``outlet`` the domain.

* uk - ``MariiaPyvovar13/framing-and-sentiment-telegram`` @ b2a4096 (pinned in ``UATG``; the
  data folder was removed in a later commit, so the pin matters): ``data/ua/Posts_*.csv``
  (``post_id, date, text, views, forwards, channel_id, channel_name``), the posts of four
  Ukrainian Telegram channels (Україна Online, Київ Оперативний, Новини на Ч, DeepState),
  14 February - 13 March 2025, the weeks of the Zelensky-Trump meeting and the US ceasefire
  proposal. Telegram markdown undone as for the first held-out corpus. Doc ids ``ut…`` (file
  then row order), ``outlet`` the channel, ``url`` the post's t.me link.

* uk - ``highbrow-228/Project-ML`` @ 5dec495 (pinned in ``TSN``; a slice of the
  ``zeusfsx/ukrainian-news`` collection): ``data/trusted/trusted_news_part_24.csv`` and
  ``_part_28.csv`` (``id, url, title, text, owner, datetime``), the posts of TSN's Telegram
  channel (headlines) and of "Лачен пише", 29 November 2021 - 19 August 2022. The channel's
  trailing "Читати далі" is removed. Doc ids ``ts…`` (file then row order), ``outlet`` the
  owner. The other 26 parts of the folder are over 4 MB and absent from the public snapshot
  (``TSN_FILES`` names the two read).

Then the filters of tools/heldout_ruuk.py (``finish``): source language kept where given, else
detected; non-ru/uk, short (< ``MIN_CHARS`` letters), exact- and near-duplicate documents
dropped, and any document whose folded text occurs in the development corpus (``--dev``) or in
the first held-out corpus (``--heldout``) is dropped too, so no document of this corpus was read
in an earlier round.

Usage::

    python tools/dev_corpus_ruuk.py && python tools/heldout_ruuk.py   # the corpora to exclude
    python tools/heldout2_ruuk.py                                     # clones into data/external/
    python tools/heldout2_ruuk.py --mirror-capstone PATH --mirror-milblog PATH \
        --mirror-editwars PATH --mirror-uatg PATH --mirror-tsn PATH
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from pathlib import Path

import pandas as pd
from _gitrepo import git  # tools/_gitrepo.py (tools/ is on sys.path when run)
from heldout_ruuk import clean_telegram, known_texts, read_sources, source_rows, write_corpus

CAPSTONE = (
    "https://github.com/KostasMateer/rus495-capstone-project.git",
    "a804e6d5f10b8738cf60851df0e477cd6b72b0b8",
)
CAPSTONE_DIR = "json files"
#: over 4 MB and absent from the public snapshot; skipped so a clone and the snapshot agree
CAPSTONE_SKIP = frozenset({"json files/meduza/войнаmeduza.json"})
CAPSTONE_FROM = "2022-01-01"
#: the capstone's outlet folder -> the outlet's host
CAPSTONE_OUTLETS = {
    "tass": "tass.ru",
    "pervyi kanal": "1tv.ru",
    "meduza": "meduza.io",
    "novaya gazeta": "novayagazeta.ru",
}
MILBLOG = (
    "https://github.com/alina-khamat/The-Battle-for-Russia-Rebirth.git",
    "102d01b92d16f7747d39bec1c7dba5975e00879c",
)
MILBLOG_FILE = "data/Training_Dataset.csv"
EDITWARS = (
    "https://github.com/mneunomne/edit_wars_database.git",
    "feb0b0201ecb108189e1761d6e01ec93f61cdd9a",
)
EDITWARS_FILE = "data/headline_data.tsv"
UATG = (
    "https://github.com/MariiaPyvovar13/framing-and-sentiment-telegram.git",
    "b2a4096f65b582c7c94adea12b8473d175cf8eff",
)
UATG_FILES = tuple(f"data/ua/Posts_{name}.csv" for name in ("ds", "ko", "no", "uo"))
TSN = (
    "https://github.com/highbrow-228/Project-ML.git",
    "5dec4950856088de7c48a9b533b814ca00c5989c",
)
TSN_FILES = tuple(f"data/trusted/trusted_news_part_{n}.csv" for n in (24, 28))
#: public sources checked for this corpus (December 2026) and not used, with the reason (the
#: first corpus's list is ``REJECTED`` in tools/heldout_ruuk.py)
REJECTED = {
    "dmytro-buhanevyc/russian_telegram_app.github.io": "daily reports embedding posts of the "
    "largest Russian Telegram channels (October 2023-), but the snapshot (803 MB) is over what "
    "can be fetched here",
    "MischaU8/spevktator": "VK posts of Russian state media 2022, but the database is a "
    "download from the project's site, not in the repository",
    "kkatalz/Data-Analysis-of-Russian-Telegram-Channels": "the README says the data set is not "
    "included",
    "progen1tor/russian-telegram-news-analyzer, Stulk3/Voenkor-Bot": "code and graphs only",
    "'Peace Narratives in Pro-Kremlin Telegram Channels (Feb-Mar 2025)' (README)": "post "
    "content not shared, and the coding was done with an LLM",
    "EditWarsTeam/EditwarsData, antoniohof/edit_wars": "word counts and front-end files; the "
    "headlines are the mneunomne/edit_wars_database table used here",
    "dianteroph/russian_smi_parsers": "parsers and one Meduza sample on an off-topic query",
    "sophieebuz/HSE_MLDS_project_year1, IlyaGusev/gazeta": "Lenta/Gazeta before 2022 or data "
    "hosted off GitHub",
    "highbrow-228/Project-ML data/archive/data_set_4.csv, soph-ma/fake_news_ua": "Kaggle "
    "'Ukrainian fake and true news': undated, and posts of a Russian-language channel appear in "
    "Ukrainian (machine-translated)",
    "highbrow-228/Project-ML data/fake_news_dataset.csv": "fakes generated by an LLM",
    "felipemaiapolo/zelenskyy_speeches": "Zelensky's addresses in English only",
    "KaterynaMeleshenko/zelenskyy_ny_speech_analysis": "four New Year speeches",
    "MariiaPyvovar13/framing-and-sentiment-telegram data/ru": "the pro-Russian channels are "
    "only in data.zip, absent from the public snapshot",
    "r2nery/ukraine-media": "English outlets only",
    "Pashundel/Zelenskyi-TG": "Zelensky's Telegram channel 2022-2025, but the post files are "
    "emptied placeholders at HEAD and over 4 MB (absent from the snapshot) before",
    "lymenbae/War-in-Ukraine-dev": "a VIINA copy, over 4 MB and absent from the snapshot",
    "unlp-workshop/unlp-2025-shared-task test.csv": "the unseen test posts are over 4 MB and "
    "absent from the snapshot",
    "zeusfsx/ukrainian-news, shamotskyi/ukr_pravda_2y (HF Hub)": "not on GitHub; the Hugging "
    "Face hub cannot be reached here",
    # (fourth search, for Ukrainian stalemate text: git scrapers, exact Ukrainian strings,
    # speeches)
    "githubnewsua/githubnewsua.github.io": "an hourly mirror of NV, but in Russian and a 3.7 GB "
    "snapshot",
    "DeepzUa/UkrNetDump, Kraiany/ukraine_news, OleksandrShcherbinin/Ukrpravda": "before 2022",
    "Sashkow/sincerely-ua-news-scrapper": "segodnya.ua 2017, in Russian",
    "monyshchenko01/TG-parser": "comments under a Russian-language channel, not news posts",
    "pchr8/eval-UA-tion": "30 Ukrainska Pravda articles in the samples; the article file is over "
    "4 MB and absent from the snapshot; the stories are LLM-generated",
    "Tanasua/golovninovynystrichka, okliv/ukrnet_rss, tougaj/ukrNetNews": "scrapers that commit "
    "links or nothing, no text",
    "Mykhailo-Zhuk/telegram-posts-parser": "a few posts of April 2026",
    "unlp-workshop/unlp-2024-shared-task, oksanatkach/unlp-2026-shared-task": "exam questions, "
    "sports rules and drug leaflets, not news",
    "michaelfaerber/ukraine-news-bias": "English, 2014",
    "Amice13/peremoha": "charity-auction stories, not news",
}
_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YMD_DOTS = re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$")
_READ_MORE = re.compile(r"\s*Читати далі\s*$")


def _articles(node: object):
    """The article objects (dicts with a ``title`` or ``url``) of a capstone ``articles`` list:
    one-key ``{"articleN": {...}}`` wrappers, nested once more in one file."""
    if isinstance(node, list):
        for child in node:
            yield from _articles(child)
    elif isinstance(node, dict):
        if "title" in node or "url" in node:
            yield node
        else:
            for child in node.values():
                yield from _articles(child)


def capstone_items(files: dict[str, bytes]) -> pd.DataFrame:
    """Search results of the capstone, one row per outlet and URL (before filtering).

    ``files`` maps each JSON path to its bytes; the outlet is the path's folder (the files'
    ``news site`` is spelled two ways). ``date`` is ISO (the files give M/D/YYYY);
    items dated before ``CAPSTONE_FROM`` or undated ("NaN/NaN/NaN"), without a title or in
    an unknown folder are dropped; ``text`` is the title, then the subtitle on its own line when there is one.
    """
    items: dict[tuple[str, str], dict] = {}
    for name in sorted(files):
        if name in CAPSTONE_SKIP:
            continue
        data = json.loads(files[name].decode("utf-8"))
        outlet = CAPSTONE_OUTLETS.get(name.split("/")[-2])  # the folder (news site varies)
        if outlet is None:
            continue
        for item in _articles(data.get("articles") or []):
            date = _MDY.match(str(item.get("date") or "").strip())
            iso = f"{date[3]}-{int(date[1]):02d}-{int(date[2]):02d}" if date else ""
            title = " ".join(str(item.get("title") or "").split())
            lead = " ".join(str(item.get("subtitle") or "").split())
            url = str(item.get("url") or "").strip()
            if iso < CAPSTONE_FROM or not title:
                continue
            text = f"{title}\n{lead}" if lead else title
            row = {"text": text, "title": title, "outlet": outlet, "date": iso, "url": url}
            items.setdefault((outlet, url or text), row)
    return source_rows([items[k] for k in sorted(items)], "cp", "ru")


def milblog_posts(raw: bytes) -> pd.DataFrame:
    """Posts of the pro-war Telegram channels, one row per CSV row (before filtering)."""
    table = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    rows = [
        {"text": clean_telegram(msg), "title": "", "outlet": chan.strip(), "date": "", "url": ""}
        for chan, msg in zip(table["channel_name"], table["message"], strict=True)
    ]
    return source_rows([r for r in rows if r["text"]], "mb", "ru")


def editwars_headlines(raw: bytes) -> pd.DataFrame:
    """Russian headlines of the edit-wars table, one row per ``lang == "ru"`` row."""
    table = pd.read_csv(
        io.BytesIO(raw), sep="\t", quoting=csv.QUOTE_NONE, dtype=str, keep_default_na=False
    )
    rows = []
    for rec in table[table["lang"] == "ru"].itertuples(index=False):
        date = _YMD_DOTS.match(rec.date.strip())
        title = " ".join(rec.text.split())
        if not title:
            continue
        rows.append(
            {
                "text": title,
                "title": title,
                "outlet": rec.domain.strip(),
                "date": f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}" if date else "",
                "url": rec.url.strip(),
            }
        )
    return source_rows(rows, "ew", "ru")


def uatg_posts(files: dict[str, bytes]) -> pd.DataFrame:
    """Posts of the four Ukrainian channels, one row per non-empty post (files in name order)."""
    rows = []
    for name in sorted(files):
        table = pd.read_csv(io.BytesIO(files[name]), dtype=str, keep_default_na=False)
        for rec in table.itertuples(index=False):
            text = clean_telegram(rec.text)
            if text:
                chan = rec.channel_name.strip()
                rows.append(
                    {
                        "text": text,
                        "title": "",
                        "outlet": chan,
                        "date": rec.date.strip()[:10],
                        "url": f"https://t.me/{chan}/{rec.post_id.strip()}",
                    }
                )
    return source_rows(rows, "ut", "uk")


def tsn_posts(files: dict[str, bytes]) -> pd.DataFrame:
    """TSN and Лачен пише posts, one row per non-empty post ("Читати далі" removed)."""
    rows = []
    for name in sorted(files):
        table = pd.read_csv(
            io.BytesIO(files[name]), encoding="utf-8-sig", dtype=str, keep_default_na=False
        )
        for rec in table.itertuples(index=False):
            text = _READ_MORE.sub("", clean_telegram(rec.text))
            if text:
                rows.append(
                    {
                        "text": text,
                        "title": "",
                        "outlet": rec.owner.strip(),
                        "date": rec.datetime.strip()[:10],
                        "url": rec.url.strip(),
                    }
                )
    return source_rows(rows, "ts", "uk")


def read_capstone(repo: Path, commit: str) -> pd.DataFrame:
    listing = git(repo, "ls-tree", "-r", "-z", "--name-only", commit, "--", CAPSTONE_DIR)
    names = [n for n in listing.decode().split("\0") if n.endswith(".json")]
    return capstone_items(
        {n: git(repo, "show", f"{commit}:{n}") for n in names if n not in CAPSTONE_SKIP}
    )


def read_milblog(repo: Path, commit: str) -> pd.DataFrame:
    return milblog_posts(git(repo, "show", f"{commit}:{MILBLOG_FILE}"))


def read_editwars(repo: Path, commit: str) -> pd.DataFrame:
    return editwars_headlines(git(repo, "show", f"{commit}:{EDITWARS_FILE}"))


def read_uatg(repo: Path, commit: str) -> pd.DataFrame:
    return uatg_posts({f: git(repo, "show", f"{commit}:{f}") for f in UATG_FILES})


def read_tsn(repo: Path, commit: str) -> pd.DataFrame:
    return tsn_posts({f: git(repo, "show", f"{commit}:{f}") for f in TSN_FILES})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, repo in (
        ("capstone", "KostasMateer/rus495-capstone-project"),
        ("milblog", "alina-khamat/The-Battle-for-Russia-Rebirth"),
        ("editwars", "mneunomne/edit_wars_database"),
        ("uatg", "MariiaPyvovar13/framing-and-sentiment-telegram"),
        ("tsn", "highbrow-228/Project-ML"),
    ):
        parser.add_argument(f"--mirror-{name}", help=f"existing clone (or bare git dir) of {repo}")
    parser.add_argument("--dev", default="data/processed/dev/ruuk.parquet")
    parser.add_argument("--heldout", default="data/processed/dev/ruuk_heldout.parquet")
    parser.add_argument("--out", default="data/processed/dev/ruuk_heldout2.parquet")
    args = parser.parse_args(argv)
    out = Path(args.out)
    corpora = [(args.dev, "dev_corpus_ruuk.py"), (args.heldout, "heldout_ruuk.py")]
    seen = known_texts("heldout2_ruuk", out, corpora)
    parts = read_sources(
        [
            (CAPSTONE, args.mirror_capstone, read_capstone),
            (MILBLOG, args.mirror_milblog, read_milblog),
            (EDITWARS, args.mirror_editwars, read_editwars),
            (UATG, args.mirror_uatg, read_uatg),
            (TSN, args.mirror_tsn, read_tsn),
        ]
    )
    write_corpus(parts, seen, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
