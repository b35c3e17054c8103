"""Build the held-out Russian/Ukrainian corpus for the final blind audit of ``peace_talks``.

Issue 21: the ru/uk lists of ``peace_talks`` were tuned on ``data/processed/dev/ruuk.parquet``
(tools/dev_corpus_ruuk.py). This script builds NEW text never read while tuning and writes
``data/processed/dev/ruuk_heldout.parquet`` (a Corpus: ``doc_id, text, title, outlet, date,
url, language``). No article text is committed: the script reads public GitHub repositories at
pinned commits (``--mirror-<name> PATH`` for an existing clone or bare git dir, else it clones
into ``data/external/``; git needed). The texts belong to their publishers and are only read to
audit dictionary hits, never redistributed.

Sources
-------
* ru - ``NKTKLN/telegram-news-classifier`` @ b8b03f1982910fbf4151c184f1ade8b67aa1f585
  (code MIT; the data folder carries CC BY 4.0, ``data/LICENCE.md``): the full text of posts of
  Russian news Telegram channels, one JSON file per channel (``data/raw/<id>_messages.json``:
  ``message_id, sender_id, text, date, channel, category``), May-December 2024 (mostly
  October-December).
  Doc ids ``nk…``; ``outlet`` is the channel's name (BBC News | Русская служба, РИА Новости,
  Раньше всех. Ну почти., Mash, SHOT, 112, Топор, Ньюсач/Двач, Банкста, Moscow city channels).
  Dropped: the seven channels about programming, science and games (``OFF_TOPIC_CHANNELS``,
  a section filter by channel, not by any ``peace_talks`` term), empty posts, the
  ``category`` column (machine labels from an LLM, not text). Telegram markdown is undone
  (``[text](link)`` keeps the text, ``**``/``__`` markers go); line breaks are kept.

* uk - ``brown-uk/corpus`` @ 0665e895834c6a20acb1b48e58ba07e149c31f32 (Brown-UK, the
  balanced corpus of modern Ukrainian; CC BY-NC-SA 4.0): the press fragments (category A,
  reportage, and B, editorials; groups ``good`` and ``so-so``) listed in ``meta/meta.csv``,
  text from ``data/<group>/<file>``, 2011-2020, 616 fragments from national and regional
  papers and sites (``publ_in`` is the outlet, ``url`` the address). Excerpts (median about
  2,600 characters) with their paragraph breaks. Doc ids ``bu…``; the date is unknown beyond the year,
  so ``date`` is empty and the year is kept in ``title`` ("<title> (<year>)"). Dropped: the other
  genres (fiction, science, law, ...), the ``bad`` and ``disambig`` folders (checked as
  unsuitable, or the same fragments tagged). Pre-2022: Donbas-war and Minsk-process coverage
  at most; the only Ukrainian-language 2022-2025 news text found on public GitHub besides
  Ukrainska Pravda is the Suspilne headlines below (``REJECTED`` lists the rest).

* uk - ``Amice13/resistinua`` @ 2391318 (pinned in ``RESIST``; CC0 1.0): the site data of
  a public archive of the Ukrainian leadership's video addresses of 24 February - 17 May 2022
  (``static/content/messages.js``, ``messages-2.js``, ``messages-3.js``: one JS object per
  address with ``id, name, translated, speaker, date, text, url``): the full Ukrainian text of
  the addresses of President Zelensky, Deputy Prime Minister Vereshchuk, Prime Minister
  Shmyhal, adviser Arestovych and others, with paragraph breaks. Doc ids ``zr…``; ``outlet``
  is the first speaker, ``title`` the address's title, ``url`` its video. Dropped: addresses
  marked ``translated: true`` (spoken in Russian and translated by the site), so only text
  written or spoken in Ukrainian is kept. Political communication rather than news: it is the
  only 2022 Ukrainian-language source outside Ukrainska Pravda found on public GitHub.

* uk - ``alexmazuka/ukrinform`` @ cce04fe42a76c753d1b33d551cdccd52602d8fad ("CensorZero",
  an audit of Ukrinform's standards; no licence stated, the headlines belong to their
  publishers): the control-group files ``data/control_group/suspilne_study.json`` and
  ``up_study.json``, one JSON object per sampled URL (``url, date, title, media`` and the
  audit's counts). The headlines of Suspilne (suspilne.media, 976, October-December 2025,
  the weeks of the US "peace plan") and of Ukrainska Pravda and its Eurointegration site
  (1,638, November 2023-April 2024 and July-December 2025). Headlines only. Doc ids ``cz…``
  (file then list order), ``outlet`` the URL's host. Dropped: sampled URLs the audit did
  not fetch (no ``title``). Ukrainska Pravda is also an outlet of the development corpus
  (its 2022 news items): these are other, later documents; filter on ``outlet`` to leave
  them out. The Ukrinform corpus itself (``data/corpus_*.csv``) is over 4 MB and absent
  from the public snapshot.

* ru - ``SergeyKondratyevVl/Scraping-Kommersant`` @ 9b17beee626ca78fdd8de61152fdbb3b6ebc6292
  (no licence stated; the headlines belong to Kommersant): the headlines of kommersant.ru
  listing pages scraped on 29 September 2022 (``categories/*.json`` and ``data/*.json``: one
  JSON list per rubric, theme, author or daily issue, items ``DocsId, Title, DateDoc, URL,
  Tags``), among them the themes "Последние новости о военной операции на Украине",
  "Частичная мобилизация в России" and the referendums of September 2022. Headlines only
  (no article text): a Russian-press genre the held-out Telegram posts lack. Doc ids ``ks…``
  (one per ``DocsId``, in id order), ``outlet`` "kommersant.ru". Dropped: items dated before
  ``KOMMERSANT_FROM`` (author pages reach back to 2016), items of the rubrics in
  ``KOMMERSANT_OFF_RUBRICS`` (sport, culture, leisure, cars, gadgets; a section filter, not
  a ``peace_talks`` term), the two tag-list files. The shared ``MIN_CHARS`` filter drops
  the shortest headlines.

* ru - ``gavriil-f/ugthesis`` @ bcfef3aa17c9926272aa1309862d3294b863f8f5 (an Oxford
  undergraduate thesis on Moldovan media; no licence stated, the articles belong to their
  publishers): articles of six Moldovan Russian-language news sites (Moldavskie Vedomosti
  evedomosti.md, Nokta nokta.md, KP Moldova md.kp.media, Jurnal TV jurnaltv.md, Gagauzinfo,
  GagauzNews), scraped from the Wayback Machine, one Markdown file per article
  (``data/raw/articles/<site>/<site>_<slug>.md``: front matter ``site, archive, url,
  language, title, published, ...``, then the ``# title`` heading and the paragraphs).
  18,974 files, mostly 2022-2024; Moldovan politics and EU integration (Moldova and Ukraine
  were made EU candidates together), with Ukraine's EU accession and the war among the
  topics. Doc ids ``mv…`` (path order); ``outlet`` is ``site``, ``title`` the front matter
  title, ``text`` the paragraphs without the heading (Markdown links and emphasis undone as
  for the Telegram posts). Dropped: articles published before
  ``MOLDOVA_FROM`` or after ``MOLDOVA_TO`` or without a date, files without front matter.
  The front matter ``language`` is the site's interface language (``ro`` on nokta.md,
  whose articles are Russian), so framelab's detection sets the language.
  After the shared filters 13,965 articles remain, all detected as Russian (2022: 1,928,
  2023: 3,076, 2024: 8,961; none of 2025).

For every source: the language is the source's where it gives one, else framelab's detection
(``framelab.languages.detect_language`` over ru/uk/en); documents detected as neither ru nor uk
are dropped, and only ru and uk documents are kept; documents shorter
than ``MIN_CHARS`` letters are dropped (reactions, "Подписаться"); exact duplicates (after
whitespace folding) and near duplicates (``framelab.corpus.drop_near_duplicates``, threshold 0.7)
are dropped, and so is any document whose folded text also occurs in the development corpus
(``--dev``, default ``data/processed/dev/ruuk.parquet``; build it first with
tools/dev_corpus_ruuk.py).

Sources looked at and NOT used, with the reason, are in ``REJECTED`` below (see also
docs/ruuk_audit.md). In the NKTKLN repository the combined ``data/all_channel_posts.csv`` is
absent from the public snapshot, so the per-channel JSON files are read instead.

Usage::

    python tools/dev_corpus_ruuk.py                 # the development corpus (for the overlap check)
    python tools/heldout_ruuk.py                    # clones into data/external/ (git needed)
    python tools/heldout_ruuk.py --mirror-nktkln PATH --mirror-brown PATH --mirror-resist PATH \
        --mirror-kommersant PATH --mirror-censorzero PATH --mirror-moldova PATH

Then count hits only (the corpus is held out for a blind audit: do not read them while
tuning): ``fl.code_frames(pd.read_parquet("data/processed/dev/ruuk_heldout.parquet"),
"peace_talks")``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from _gitrepo import checkout, git  # tools/_gitrepo.py (tools/ is on sys.path when run)

NKTKLN = (
    "https://github.com/NKTKLN/telegram-news-classifier.git",
    "b8b03f1982910fbf4151c184f1ade8b67aa1f585",
)
NKTKLN_DIR = "data/raw"
BROWN = (
    "https://github.com/brown-uk/corpus.git",
    "0665e895834c6a20acb1b48e58ba07e149c31f32",
)
RESIST = (
    "https://github.com/Amice13/resistinua.git",
    "2391318cf8c1d24d492995fbf99934ba696ef334",
)
RESIST_FILES = tuple(
    f"static/content/{name}.js" for name in ("messages", "messages-2", "messages-3")
)
CENSORZERO = (
    "https://github.com/alexmazuka/ukrinform.git",
    "cce04fe42a76c753d1b33d551cdccd52602d8fad",
)
CENSORZERO_FILES = tuple(f"data/control_group/{name}_study.json" for name in ("suspilne", "up"))
KOMMERSANT = (
    "https://github.com/SergeyKondratyevVl/Scraping-Kommersant.git",
    "9b17beee626ca78fdd8de61152fdbb3b6ebc6292",
)
KOMMERSANT_DIRS = ("categories", "data")
MOLDOVA = (
    "https://github.com/gavriil-f/ugthesis.git",
    "bcfef3aa17c9926272aa1309862d3294b863f8f5",
)
MOLDOVA_DIR = "data/raw/articles"
#: Moldovan articles published outside these dates (ISO, inclusive) are dropped
MOLDOVA_FROM, MOLDOVA_TO = "2022-01-01", "2025-12-31"
#: Kommersant items dated before this are dropped (author and theme pages reach back to 2016)
KOMMERSANT_FROM = "2022-01-01"
#: Kommersant rubrics (tags of type 1) that are not politics, society or economy news
KOMMERSANT_OFF_RUBRICS = frozenset({"Спорт", "Культура", "Провести время", "Авто", "Hi-Tech"})
#: Brown-UK categories kept: A press reportage, B press editorials (the rest is fiction etc.)
BROWN_CATEGORIES = ("A", "B")
#: Brown-UK groups kept: checked fragments ("bad" ones are e.g. spoken language)
BROWN_GROUPS = ("good", "so-so")
#: channels of the NKTKLN set that are not news (programming, science, games)
OFF_TOPIC_CHANNELS = frozenset(
    {
        "Naked Science",
        "Хабр",
        "Библиотека программиста | программирование, кодинг, разработка",
        "Типичный программист",
        "Библиотека питониста | Python, Django, Flask",
        "Библиотека Go разработчика | Golang",
        "КиберТопор",
    }
)
#: documents with fewer letters than this are dropped (reactions, bare links, "subscribe")
MIN_CHARS = 40
#: public sources checked for this corpus and not used, with the reason
REJECTED = {
    "zhukovyuri/VIINA": "ru/uk news reports of violent events, but the snapshot is 8.5 GB",
    "hellaskella33/ukraine-war-news-sentiment-analysis": "English GDELT articles only",
    "subina-maharjan/News_Analytics_Project": "English (NYT, Guardian) only",
    "sherzod-hakimov/ru-ua-news-discourse-twitter": "tweet ids and tags, no text",
    "fido-ai/ua-datasets": "Ukrainian news 2019-2021 (pre-war), data hosted off GitHub",
    "yutkin/Lenta.Ru-News-Dataset": "Lenta.ru up to 2019 (pre-war), data in releases only",
    "pchr8/up_crawler": "Ukrainska Pravda (already in the dev corpus), data on the HF Hub",
    "Romain-Jaffuel/Russian-Propaganda-Analysis-Ukraina.ru": "article bodies, but the "
    "repository is a development-corpus source",
    "kubyllka/BERTopic-News-Analysis": "Ukrainian news topic models, no texts committed",
    "lovelyscientist/disaster-news-ua-ner": "24tv.ua news, only the URL list is committed",
    "tempdeltavalue/ua_news_cities_search": "ten synthetic NER sentences",
    "texty/fake-news": "2016 media-rating tables, no article text",
    "sergesoroka/propagandaDiary": "site data of a multilingual narrative diary (translations)",
    "osintukraine/site": "links to machine-translated Telegram archives",
    "New-dev0/New-dev0.github.io": "Google News trending cards of 2022: 98% English, 44 uk",
    "Amice13/verkhovna-rada-texts": "Rada committee transcripts, not fetchable here",
    "PeiYiZhuo/zelenskyy-putin": "press releases in English; data on Kaggle",
    "MaxPodloobniy/ukr-news-analyser": "RBC-Ukraine, Korrespondent and Babel articles of "
    "13-14 Nov 2024 (595 rows; the later, larger files are absent from the snapshot): "
    "apparently the Ukrainian corpus issue 21 was written from (its hits were read), so not "
    "blind",
    "kinfi4/Telegram-News-Analyzer": "ru/uk Telegram posts of 2021-2022, but committed only "
    "lemmatised with stop words removed (no running text)",
    "kristi5491/python__1": "59 rows of Ukrainska Pravda 2023, half of them empty (an outlet "
    "of the dev corpus)",
    "medvedev/zelensky-speech-fetcher": "Zelensky's speeches 2022-: pushed to the HF Hub, "
    "not committed",
    "wladislavius-tech/news-ukraine-mirror": "archive of 2,611 Ukrainian posts (Jul-Aug 2026) "
    "of @News_Ukraine_world_war, but the channel is written by an AI agent (Gemini rewrites "
    "ukr.net items: wladislavius-tech/tg-news-agent README): LLM-generated text",
    "raushan-zhandayeva/webscraping-news": "scrapers of RT, Channel One, Rossiya 1, Radio "
    "Liberty, Current Time, BBC (2022-2023); the 125k articles are not committed",
    "romashkoyp/Telegram": "Telegram posts of 11 channels to January 2024: only word counts "
    "and analysis outputs are committed, not the posts",
    "rumca-js/RSS-Link-Database-2023": "RSS link metadata of English and Polish sources only",
    "museum-of-war/web": "2022 war timeline whose Ukrainian descriptions are translations "
    "of the English ones",
    "'Sentiment Classifier of Ukrainian Telegram Texts' (README)": "repository not in the "
    "index under any findable name; its README describes user messages from the open "
    "discussions of news channels (comments, January 2024), not posts",
    "'Cyrillic text classification using ... LLM Embeddings' (README)": "0.8M Telegram "
    "messages, but the data set is on Google Drive only",
    "'Distinguishing-Ukrainian-and-Russian-social-media' (README)": "Russian-language "
    "Telegram posts of Ukrainian and Russian channels 2022; the repository name and its "
    "data file (random_msgs.csv) could not be found in the index",
    "ufal/ParlaMint-UA": "Verkhovna Rada plenary transcripts (raw HTML, mostly Ukrainian, "
    "to 2023), a candidate for the Ukrainian stalemate cell, but the snapshot (554 MB) was "
    "over what could be fetched for this round",
    "clarin-eric/ParlaMint": "its ParlaMint-UA samples hold one 2023 sitting excerpt of "
    "Ukrainian plenary speech (about 20,000 characters); the snapshot is 850 MB",
    "'Recent News' Next.js pages (Nov-Dec 2022; repository not named by the index)": "Google "
    "News cards linking tsn.ua, zn.ua, unian.ua, rbc.ua: snippets cut by Google, the same "
    "kind of data as New-dev0/New-dev0.github.io",
    "URL-fragment searches (strana.ua/news/, obozrevatel.com/ukr/, zn.ua/ukr/, rbc.ua/rus/news/, "
    "pravda.com.ua/rus/news/2023, meduza.io/news/2023, novayagazeta.eu/articles/, "
    "korrespondent.net/ukraine/, unian.ua/war/, tsn.ua/ato/, radiosvoboda.org/a/, "
    "hromadske.ua/posts/)": "only scrapers, RSS lists, test fixtures and citations: no "
    "committed article text",
    "muladzevitali/ua-news-trends, M-Ostapchuk/ukr-news, kovitals/ukrainian-news, "
    "ksalguera/ua-news-scraper": "news apps and scrapers: no committed article data",
    "nise-ua/nise-ua-news": "an AI news-digest tool (2026), no committed human-written news",
    "kostja99-droid/uocsecuritisation": "titles of the presidential addresses 2019-2025 (Ukrainian, ~1,780 rows, headlines only, no date column), but no snapshot of the repository could be fetched here and a copy read page by page could not be checked byte for byte",
    "Polad27/diploma": "Meduza full text, but 2020 and selected by an AI-topic query",
    "lang-uk/ner-uk": "Brown-UK again, and Nashi Groshi investigations of 2015-2016 (pre-war)",
    "giocomai/tadadit": "Kremlin, MFA and Duma texts (state institutions, not news); data in releases, not the repository",
}

_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_MD_MARK = re.compile(r"\*\*|__|~~|`")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANKS = re.compile(r"\n\s*\n\s*")
_LETTER = re.compile(r"[^\W\d_]")


def source_rows(rows: list[dict], prefix: str, language: str | None) -> pd.DataFrame:
    """One source's rows (``text, title, outlet, date, url``) as a table with doc ids
    ``<prefix>00000``, ``<prefix>00001`` ... in row order and the source's ``language`` (None:
    left to detection)."""
    out = pd.DataFrame(rows, columns=["text", "title", "outlet", "date", "url"])
    out.insert(0, "doc_id", [f"{prefix}{i:05d}" for i in range(len(out))])
    out["language"] = language
    return out


def clean_telegram(text: object) -> str:
    """Telegram markdown undone: ``[text](link)`` keeps the text, ``**``/``__``/``~~`` and
    zero-width characters go.

    Runs of spaces fold to one, blank-line runs to one blank line (paragraph breaks kept).
    """
    if not isinstance(text, str):
        return ""
    out = _MD_LINK.sub(r"\1", text)
    out = _INVISIBLE.sub("", _MD_MARK.sub("", out))
    out = _SPACES.sub(" ", out)
    out = "\n".join(line.strip() for line in out.split("\n"))
    return _BLANKS.sub("\n\n", out).strip()


def fold(text: str) -> str:
    """The key used for exact-duplicate and dev-overlap checks (case and whitespace folded)."""
    return " ".join(str(text).split()).casefold()


def telegram_url(sender_id: object, message_id: object) -> str:
    """``t.me/c/<channel>/<post>`` link of a post (``sender_id`` -100<channel>)."""
    sid = str(sender_id)
    channel = sid[4:] if sid.startswith("-100") else sid.lstrip("-")
    return f"https://t.me/c/{channel}/{message_id}"


def nktkln_posts(files: dict[str, bytes]) -> pd.DataFrame:
    """Posts of the news channels of the NKTKLN set, one row per post (before filtering).

    ``files`` maps each ``<id>_messages.json`` name to its bytes. Off-topic channels and
    empty posts are dropped; ``language`` is "ru" (all channels are Russian-language).
    """
    rows = []
    for name in sorted(files):
        for post in json.loads(files[name].decode("utf-8")):
            if post.get("channel") in OFF_TOPIC_CHANNELS:
                continue
            text = clean_telegram(post.get("text"))
            if not text:
                continue
            rows.append(
                {
                    "text": text,
                    "title": "",
                    "outlet": str(post.get("channel") or ""),
                    "date": str(post.get("date") or "")[:10],
                    "url": telegram_url(post.get("sender_id"), post.get("message_id")),
                }
            )
    return source_rows(rows, "nk", "ru")  # Russian-language channels


def read_nktkln(repo: Path, commit: str) -> pd.DataFrame:
    listing = git(repo, "ls-tree", "--name-only", f"{commit}:{NKTKLN_DIR}").decode().split()
    names = [n for n in listing if n.endswith("_messages.json")]
    files = {n: git(repo, "show", f"{commit}:{NKTKLN_DIR}/{n}") for n in names}
    return nktkln_posts(files)


def brown_fragments(meta_csv: str, texts: dict[str, bytes]) -> pd.DataFrame:
    """Brown-UK press fragments, one row per ``meta.csv`` row kept (before filtering).

    ``texts`` maps ``<group>/<file>`` to the fragment's bytes; a listed fragment missing from
    ``texts`` is skipped. ``language`` is "uk" (the corpus is Ukrainian).
    """
    import csv
    import io

    rows = []
    for m in csv.DictReader(io.StringIO(meta_csv)):
        if m["cat"] not in BROWN_CATEGORIES or m["group"] not in BROWN_GROUPS:
            continue
        raw = texts.get(f"{m['group']}/{m['file']}")
        if raw is None:
            continue
        text = _BLANKS.sub("\n\n", raw.decode("utf-8-sig").replace("\r\n", "\n")).strip()
        year = m["year"].strip()
        title = m["title"].strip()
        rows.append(
            {
                "text": text,
                "title": f"{title} ({year})" if year else title,
                "outlet": m["publ_in"].strip(),
                "date": None,
                "url": m["url"].strip(),
            }
        )
    return source_rows(rows, "bu", "uk")


def read_brown(repo: Path, commit: str) -> pd.DataFrame:
    meta = git(repo, "show", f"{commit}:meta/meta.csv").decode("utf-8-sig")
    texts = {}
    for group in BROWN_GROUPS:
        listing = git(repo, "ls-tree", "-z", "--name-only", f"{commit}:data/{group}")
        for name in listing.decode().split("\0"):
            if name.startswith(BROWN_CATEGORIES) and name.endswith(".txt"):
                texts[f"{group}/{name}"] = git(repo, "show", f"{commit}:data/{group}/{name}")
    return brown_fragments(meta, texts)


_RESIST_ITEM = re.compile(
    r"\{\s*id: '(?P<id>[^']*)',\s*name: '(?P<name>(?:[^'\\]|\\.)*)',\s*"
    r"translated: (?P<translated>true|false),.*?speaker: \[(?P<speaker>[^\]]*)\],\s*"
    r"date: '(?P<date>[^']*)',.*?text: `(?P<text>[^`]*)`.*?url: '(?P<url>[^']*)'",
    re.S,
)


def resist_addresses(files: dict[str, str]) -> pd.DataFrame:
    """Addresses of the resistinua archive, one row per address spoken or written in Ukrainian.

    ``files`` maps each ``messages*.js`` path to its text. Addresses marked
    ``translated: true`` are dropped; ``**`` markers go, paragraph breaks stay; ``language`` is
    "uk".
    """
    rows = []
    for name in sorted(files):
        for m in _RESIST_ITEM.finditer(files[name]):
            if m["translated"] == "true":
                continue
            speakers = re.findall(r"'([^']*)'", m["speaker"])
            rows.append(
                {
                    "text": clean_telegram(m["text"]),
                    "title": m["name"].replace("\\'", "'").strip(),
                    "outlet": speakers[0] if speakers else "",
                    "date": m["date"][:10],
                    "url": m["url"],
                }
            )
    return source_rows(rows, "zr", "uk")


def read_resist(repo: Path, commit: str) -> pd.DataFrame:
    files = {f: git(repo, "show", f"{commit}:{f}").decode("utf-8") for f in RESIST_FILES}
    return resist_addresses(files)


_HOST = re.compile(r"https?://(?:www\.)?([^/]+)")


def censorzero_headlines(files: dict[str, bytes]) -> pd.DataFrame:
    """Headlines of the CensorZero control groups, one row per item with a title (before
    filtering).

    ``files`` maps each ``*_study.json`` path to its bytes (read in ``CENSORZERO_FILES``
    order when given those names, else sorted); ``outlet`` is the URL's host, ``language``
    is "uk".
    """
    order = [n for n in CENSORZERO_FILES if n in files] + sorted(
        n for n in files if n not in CENSORZERO_FILES
    )
    rows = []
    for name in order:
        for item in json.loads(files[name].decode("utf-8-sig")):
            title = " ".join(str(item.get("title") or "").split())
            if not title:
                continue
            url = str(item.get("url") or "")
            host = _HOST.match(url)
            rows.append(
                {
                    "text": title,
                    "title": title,
                    "outlet": host[1] if host else "",
                    "date": str(item.get("date") or "")[:10],
                    "url": url,
                }
            )
    return source_rows(rows, "cz", "uk")


def read_censorzero(repo: Path, commit: str) -> pd.DataFrame:
    files = {f: git(repo, "show", f"{commit}:{f}") for f in CENSORZERO_FILES}
    return censorzero_headlines(files)


_KOMMERSANT_DATE = re.compile(r"(\d{2})-(\d{2})-(\d{4})")


def kommersant_headlines(files: dict[str, bytes]) -> pd.DataFrame:
    """Kommersant headlines, one row per ``DocsId`` kept (before filtering).

    ``files`` maps each listing file name to its bytes; files that are not lists of items
    with a ``DocsId`` (the tag lists) are skipped. Items dated before ``KOMMERSANT_FROM`` or
    tagged with a rubric of ``KOMMERSANT_OFF_RUBRICS`` are dropped; ``text`` and ``title``
    are the headline, ``date`` is ISO (``DateDoc`` is ``DD-MM-YYYY HH-MM``), ``language`` is
    "ru".
    """
    items: dict[int, dict] = {}
    for name in sorted(files):
        listing = json.loads(files[name].decode("utf-8-sig"))
        if not isinstance(listing, list):
            continue
        for item in listing:
            if isinstance(item, dict) and "DocsId" in item:
                items.setdefault(int(item["DocsId"]), item)
    rows = []
    for docs_id in sorted(items):
        item = items[docs_id]
        rubrics = {
            str(tag.get("Name", "")).strip()
            for tag in item.get("Tags") or []
            if tag.get("Type") == 1
        }
        date = _KOMMERSANT_DATE.match(str(item.get("DateDoc") or ""))
        iso = f"{date[3]}-{date[2]}-{date[1]}" if date else ""
        title = " ".join(str(item.get("Title") or "").split())
        if rubrics & KOMMERSANT_OFF_RUBRICS or iso < KOMMERSANT_FROM or not title:
            continue
        rows.append(
            {
                "text": title,
                "title": title,
                "outlet": "kommersant.ru",
                "date": iso,
                "url": str(item.get("URL") or ""),
            }
        )
    return source_rows(rows, "ks", "ru")


def read_kommersant(repo: Path, commit: str) -> pd.DataFrame:
    listing = git(repo, "ls-tree", "-r", "-z", "--name-only", commit, "--", *KOMMERSANT_DIRS)
    names = [n for n in listing.decode().split("\0") if n.endswith(".json")]
    return kommersant_headlines({n: git(repo, "show", f"{commit}:{n}") for n in names})


_FRONT_MATTER = re.compile(r"\A---\n(?P<meta>.*?)\n---\n(?P<body>.*)\Z", re.S)
_META_FIELD = re.compile(r"^(?P<key>[a-z]+): *(?P<value>.*?) *$", re.M)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def moldova_articles(files: dict[str, bytes]) -> pd.DataFrame:
    """Articles of the Moldovan sites of ``gavriil-f/ugthesis``, one row per dated article
    of ``MOLDOVA_FROM``-``MOLDOVA_TO`` (before filtering).

    ``files`` maps each Markdown path to its bytes (read in sorted order). Line ends are
    normalised; files without front matter are skipped; the leading ``# title`` heading is
    removed from ``text``; ``language`` is left empty for framelab's detection.
    """
    rows = []
    for name in sorted(files):
        doc = files[name].decode("utf-8-sig").replace("\r\n", "\n")
        parts = _FRONT_MATTER.match(doc)
        if parts is None:
            continue
        meta = {m["key"]: _unquote(m["value"]) for m in _META_FIELD.finditer(parts["meta"])}
        date = meta.get("published", "")[:10]
        if not (re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) and MOLDOVA_FROM <= date <= MOLDOVA_TO):
            continue
        body = parts["body"].lstrip("\n")
        if body.startswith("# "):
            body = body.split("\n", 1)[1] if "\n" in body else ""
        rows.append(
            {
                "text": clean_telegram(body),
                "title": meta.get("title", ""),
                "outlet": meta.get("site", ""),
                "date": date,
                "url": meta.get("url", ""),
            }
        )
    # no language: the front matter's is the site's, not the article's (detection sets it)
    return source_rows(rows, "mv", None)


def read_moldova(repo: Path, commit: str) -> pd.DataFrame:
    listing = git(repo, "ls-tree", "-r", "-z", "--name-only", commit, "--", MOLDOVA_DIR)
    names = [n for n in listing.decode().split("\0") if n.endswith(".md")]
    shas = git(repo, "ls-tree", "-r", "-z", commit, "--", MOLDOVA_DIR).decode().split("\0")
    sha_of = {e.split("\t", 1)[1]: e.split()[2] for e in shas if "\t" in e}
    batch = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        input="".join(f"{sha_of[n]}\n" for n in names).encode(),
        check=True,
        capture_output=True,
    ).stdout
    files, pos = {}, 0
    for name in names:  # "<sha> blob <size>\n<bytes>\n" per object, in input order
        head_end = batch.index(b"\n", pos)
        size = int(batch[pos:head_end].split()[2])
        files[name] = batch[head_end + 1 : head_end + 1 + size]
        pos = head_end + 2 + size
    return moldova_articles(files)


def finish(corpus: pd.DataFrame, dev_texts: set[str]) -> pd.DataFrame:
    """Language, length, duplicate and dev-overlap filters shared by every source.

    ``dev_texts`` holds :func:`fold` keys of the development corpus. Returns the kept rows with
    ``language`` set to "ru" or "uk"; ``attrs["dropped"]`` counts each reason.
    """
    from framelab.corpus import drop_near_duplicates, validate_corpus
    from framelab.languages import detect_language

    dropped = {}
    letters = corpus["text"].map(lambda t: len(_LETTER.findall(t)))
    keep = letters >= MIN_CHARS
    dropped["short"] = int((~keep).sum())
    corpus = corpus[keep].copy()
    detected = pd.Series(
        detect_language(corpus["text"].tolist(), ["ru", "uk", "en"]), index=corpus.index
    )
    if "language" in corpus:  # the source's language wins; detection only drops non-Cyrillic
        corpus["language"] = corpus["language"].where(corpus["language"].notna(), detected)
    else:
        corpus["language"] = detected
    keep = corpus["language"].isin(["ru", "uk"]) & detected.isin(["ru", "uk"])
    dropped["not ru/uk"] = int((~keep).sum())
    corpus = corpus[keep]
    keys = corpus["text"].map(fold)
    in_dev = keys.isin(dev_texts)
    dropped["in dev corpus"] = int(in_dev.sum())
    corpus, keys = corpus[~in_dev], keys[~in_dev]
    dup = keys.duplicated()
    dropped["exact duplicate"] = int(dup.sum())
    corpus = corpus[~dup].reset_index(drop=True)
    before = len(corpus)
    corpus = drop_near_duplicates(validate_corpus(corpus))
    dropped["near duplicate"] = before - len(corpus)
    out = corpus[["doc_id", "text", "title", "outlet", "date", "url", "language"]]
    out = out.reset_index(drop=True)
    out.attrs["dropped"] = dropped
    return out


def known_texts(prog: str, out: Path, corpora: list[tuple[str, str]]) -> set[str]:
    """:func:`fold` keys of the texts of ``corpora`` (``(path, tool that builds it)`` pairs),
    whose documents a new corpus must not repeat; exits with a message naming the missing one.
    Refuses an ``out`` under ``data/raw`` first (raw data is never written)."""
    if "raw" in out.parts:
        raise SystemExit(f"{prog}: refusing to write under data/raw")
    seen: set[str] = set()
    for path, tool in corpora:
        if not Path(path).exists():
            raise SystemExit(
                f"{prog}: a corpus to exclude is missing · {path} · build it with "
                f"tools/{tool} or pass its path"
            )
        seen |= set(pd.read_parquet(path, columns=["text"])["text"].map(fold))
    return seen


def write_corpus(parts: list[pd.DataFrame], seen: set[str], out: Path) -> pd.DataFrame:
    """:func:`finish` the pooled ``parts`` (dropping texts in ``seen``), write the Parquet file
    and report the counts (documents per language on stdout, drops on stderr)."""
    corpus = finish(pd.concat(parts, ignore_index=True), seen)
    out.parent.mkdir(parents=True, exist_ok=True)
    corpus.to_parquet(out, index=False)
    n = corpus["language"].value_counts()
    print(f"{out}: {n.get('ru', 0)} ru and {n.get('uk', 0)} uk documents")
    print(f"dropped: {corpus.attrs['dropped']}", file=sys.stderr)
    return corpus


def read_sources(
    sources: list[tuple[tuple[str, str], str | None, Callable[[Path, str], pd.DataFrame]]],
) -> list[pd.DataFrame]:
    """Each ``((repo, commit), mirror, reader)`` source read at its pinned commit: checked out
    under ``data/external`` (or from the ``mirror`` clone given) and passed to ``reader``."""
    external = Path("data/external")
    external.mkdir(parents=True, exist_ok=True)
    return [reader(checkout(src[0], mirror, external), src[1]) for src, mirror, reader in sources]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror-nktkln", help="existing clone (or bare git dir) of NKTKLN")
    parser.add_argument("--mirror-brown", help="existing clone (or bare git dir) of Brown-UK")
    parser.add_argument("--mirror-resist", help="existing clone (or bare git dir) of resistinua")
    parser.add_argument(
        "--mirror-censorzero", help="existing clone (or bare git dir) of alexmazuka/ukrinform"
    )
    parser.add_argument(
        "--mirror-kommersant", help="existing clone (or bare git dir) of Scraping-Kommersant"
    )
    parser.add_argument("--mirror-moldova", help="existing clone (or bare git dir) of ugthesis")
    parser.add_argument("--dev", default="data/processed/dev/ruuk.parquet")
    parser.add_argument("--out", default="data/processed/dev/ruuk_heldout.parquet")
    args = parser.parse_args(argv)
    out = Path(args.out)
    dev_texts = known_texts("heldout_ruuk", out, [(args.dev, "dev_corpus_ruuk.py")])
    parts = read_sources(
        [
            (NKTKLN, args.mirror_nktkln, read_nktkln),
            (BROWN, args.mirror_brown, read_brown),
            (RESIST, args.mirror_resist, read_resist),
            (CENSORZERO, args.mirror_censorzero, read_censorzero),
            (KOMMERSANT, args.mirror_kommersant, read_kommersant),
            (MOLDOVA, args.mirror_moldova, read_moldova),
        ]
    )
    write_corpus(parts, dev_texts, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
