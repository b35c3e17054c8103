"""tools/heldout_ruuk.py and heldout2_ruuk.py: parsing and filtering of the held-out ru/uk corpora
(issue 21)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "heldout_ruuk.py"

NEWS = (
    "**Переговоры** в Стамбуле [продолжатся](https://example.org/a_(b)) завтра.\n\n\n"
    "Стороны   обсудят обмен пленными и гуманитарные вопросы."
)


@pytest.fixture(scope="module")
def heldout():
    # run as a script, tools/ is on sys.path (for tools/_gitrepo.py); loaded by path it is not
    sys.path.insert(0, str(TOOL.parent))
    try:
        spec = importlib.util.spec_from_file_location("heldout_ruuk_tool", TOOL)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(TOOL.parent))
    return module


def _posts() -> bytes:
    posts = [
        {
            "message_id": 7,
            "sender_id": -1001101170442,
            "text": NEWS,
            "date": "2024-11-26T10:00:00+00:00",
            "channel": "РИА Новости",
            "category": "political",
        },
        {
            "message_id": 8,
            "sender_id": -1001101170442,
            "text": "",
            "date": "2024-11-26T11:00:00+00:00",
            "channel": "РИА Новости",
            "category": "other",
        },
    ]
    return json.dumps(posts, ensure_ascii=False).encode("utf-8")


def _off_topic() -> bytes:
    post = {
        "message_id": 1,
        "sender_id": -1001032086354,
        "text": "Новый релиз Python 3.13",
        "date": "2024-10-01T09:00:00+00:00",
        "channel": "Хабр",
        "category": "it",
    }
    return json.dumps([post], ensure_ascii=False).encode("utf-8")


def test_clean_telegram_keeps_link_text_and_paragraphs_gh21(heldout):
    assert heldout.clean_telegram(NEWS) == (
        "Переговоры в Стамбуле продолжатся завтра.\n\n"
        "Стороны обсудят обмен пленными и гуманитарные вопросы."
    )
    assert heldout.clean_telegram("[\u200c \n ](https://t.me/+x) Подпишись") == "Подпишись"
    assert heldout.clean_telegram(None) == ""


def test_telegram_url_strips_the_channel_prefix_gh21(heldout):
    assert heldout.telegram_url(-1001101170442, 7) == "https://t.me/c/1101170442/7"


def test_nktkln_posts_drop_off_topic_channels_and_empty_posts_gh21(heldout):
    files = {"1001101170442_messages.json": _posts(), "1001032086354_messages.json": _off_topic()}
    out = heldout.nktkln_posts(files)
    assert out.to_dict("records") == [
        {
            "doc_id": "nk00000",
            "text": heldout.clean_telegram(NEWS),
            "title": "",
            "outlet": "РИА Новости",
            "date": "2024-11-26",
            "url": "https://t.me/c/1101170442/7",
            "language": "ru",
        }
    ]


def test_finish_drops_short_english_dev_and_duplicate_texts_gh21(heldout):
    import pandas as pd

    uk = "Україна та партнери обговорили гарантії безпеки на зустрічі в Брюсселі у вівторок."
    en = "Talks between the two delegations resumed in Istanbul on Monday after a long pause."
    dev = "Москва заявила о готовности к переговорам, сообщил представитель Кремля журналистам."
    texts = [NEWS, NEWS.replace("**", ""), "Коротко.", en, dev, uk]
    corpus = pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(6)],
            "text": [heldout.clean_telegram(t) for t in texts],
            "title": "",
            "outlet": "x",
            "date": ["2024-11-0" + str(i + 1) for i in range(6)],
            "url": "",
        }
    )
    out = heldout.finish(corpus, {heldout.fold(dev)})
    assert out[["doc_id", "language"]].values.tolist() == [["d0", "ru"], ["d5", "uk"]]
    assert out.attrs["dropped"] == {
        "short": 1,
        "not ru/uk": 1,
        "in dev corpus": 1,
        "exact duplicate": 1,
        "near duplicate": 0,
    }


META = (
    "group,cat,file,author_surname,author_name,title,publ_in,url,publ_part,publ_place,"
    "publisher,year,pages,length,alt_orth,proofread,errors,comments\n"
    "good,A,A_Den_X_2015.txt,Іваненко,Іван,Мінськ і перемир'я,День,http://day.kyiv.ua/1,,Київ,,"
    "2015,,300,0,,,\n"
    "good,F,F_Book_Y_2012.txt,Петренко,Петро,Роман,Видавництво,,,Львів,,2012,,900,0,,,\n"
    "bad,A,A_Radio_Z_2014.txt,Сидоренко,Сидір,Ефір,Радіо,,,Київ,,2014,,100,0,,,\n"
    "so-so,B,B_Gazeta_W_2018.txt,Коваль,Олена,Колонка,Газета,,,Одеса,,,,400,0,,,\n"
)


def test_brown_fragments_keep_press_of_checked_groups_gh21(heldout):
    texts = {
        "good/A_Den_X_2015.txt": "\ufeffПерший абзац.\r\n\r\n\r\nДругий абзац.".encode(),
        "good/F_Book_Y_2012.txt": "Художній текст.".encode(),
        "bad/A_Radio_Z_2014.txt": "Усне мовлення.".encode(),
    }
    out = heldout.brown_fragments(META, texts)
    assert out.to_dict("records") == [
        {
            "doc_id": "bu00000",
            "text": "Перший абзац.\n\nДругий абзац.",
            "title": "Мінськ і перемир'я (2015)",
            "outlet": "День",
            "date": None,
            "url": "http://day.kyiv.ua/1",
            "language": "uk",
        }
    ]


RESIST_JS = """const source = [
  {
    id: 'abc-1',
    name: 'Про переговори з Росією та гарантії безпеки',
    translated: false,
    russianTimestamp: '',
    speaker: ['Володимир Зеленський', 'Андрій Єрмак'],
    date: '2022-03-29T21:10:00',
    topics: ['Міжнародні переговори'],
    cities: [],
    text: `
**Українці! Українки!**

Переговори   тривають.
    `,
    description: 'Коротко.',
    url: 'https://www.youtube.com/watch?v=abc-1'
  },
  {
    id: 'abc-2',
    name: 'Переклад з російської',
    translated: true,
    russianTimestamp: '12:00',
    speaker: ['Олексій Арестович'],
    date: '2022-03-30T10:00:00',
    topics: [],
    cities: [],
    text: `Текст перекладу.`,
    description: '',
    url: 'https://www.youtube.com/watch?v=abc-2'
  }
]
"""


def test_resist_addresses_keep_the_ukrainian_originals_gh21(heldout):
    out = heldout.resist_addresses({"static/content/messages.js": RESIST_JS})
    assert out.to_dict("records") == [
        {
            "doc_id": "zr00000",
            "text": "Українці! Українки!\n\nПереговори тривають.",
            "title": "Про переговори з Росією та гарантії безпеки",
            "outlet": "Володимир Зеленський",
            "date": "2022-03-29",
            "url": "https://www.youtube.com/watch?v=abc-1",
            "language": "uk",
        }
    ]


def _commit(repo: Path, files: dict[str, bytes | str]) -> str:
    """Write ``files`` (path -> content) into a new git repository at ``repo``, commit them
    and return the commit."""
    for name, raw in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(raw, str):
            (repo / name).write_text(raw, encoding="utf-8")
        else:
            (repo / name).write_bytes(raw)

    def git(*args):
        return subprocess.run(
            ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "data")
    return git("rev-parse", "HEAD")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
def test_readers_read_the_pinned_commit_of_a_git_repository_gh21(heldout, tmp_path):
    repo = tmp_path / "src"
    commit = _commit(
        repo,
        {
            "data/raw/1001101170442_messages.json": _posts(),
            "data/raw/notes.txt": "not a channel file",
            "meta/meta.csv": META,
            "data/good/A_Den_X_2015.txt": "Абзац.",
            "data/good/F_Book_Y_2012.txt": "Роман.",
            "data/so-so/B_Gazeta_W_2018.txt": "Колонка.",
        },
    )
    out = heldout.read_nktkln(repo, commit)
    assert out["doc_id"].tolist() == ["nk00000"]
    assert out["outlet"].tolist() == ["РИА Новости"]
    brown = heldout.read_brown(repo, commit)
    assert brown[["doc_id", "text", "title", "outlet"]].values.tolist() == [
        ["bu00000", "Абзац.", "Мінськ і перемир'я (2015)", "День"],
        ["bu00001", "Колонка.", "Колонка", "Газета"],
    ]


def _ks_item(docs_id, title, date, rubric):
    tags = [{"Name": "Последние новости о военной операции на Украине", "Type": 2, "Id": 3423}]
    tags.append({"Name": rubric + "\r\n", "Type": 1, "Id": 5})
    return {
        "MainTagType": 2,
        "MainTagId": 3423,
        "DocsId": docs_id,
        "Title": title,
        "DateDoc": date,
        "URL": f"https://www.kommersant.ru/doc/{docs_id}",
        "Tags": tags,
    }


def _ks_files() -> dict[str, bytes]:
    theme = [
        _ks_item(5583579, "Каховка  осталась без газа\nпосле обстрелов", "29-09-2022 12-12", "Мир"),
        _ks_item(5583001, "Сборная сыграет товарищеский матч", "28-09-2022 10-00", "Спорт"),
        _ks_item(4700000, "Старый материал автора", "15-03-2021 09-30", "Политика"),
    ]
    rubric = [
        _ks_item(5583579, "Каховка осталась без газа", "29-09-2022 12-12", "Мир"),
        _ks_item(5500002, "Переговоры в Стамбуле продолжатся", "01-04-2022 08-05", "Политика"),
    ]
    tag_list = {"Мир": "https://www.kommersant.ru/rubric/5"}
    dump = lambda x: json.dumps(x, ensure_ascii=False).encode("utf-8")  # noqa: E731
    return {
        "categories/theme_40.json": dump(theme),
        "data/Мир.json": dump(rubric),
        "data/fullTagsList_279.json": dump(tag_list),
    }


def test_kommersant_headlines_one_row_per_doc_from_2022_without_sport_gh21(heldout):
    out = heldout.kommersant_headlines(_ks_files())
    assert out.to_dict("records") == [
        {
            "doc_id": "ks00000",
            "text": "Переговоры в Стамбуле продолжатся",
            "title": "Переговоры в Стамбуле продолжатся",
            "outlet": "kommersant.ru",
            "date": "2022-04-01",
            "url": "https://www.kommersant.ru/doc/5500002",
            "language": "ru",
        },
        {
            "doc_id": "ks00001",
            "text": "Каховка осталась без газа после обстрелов",
            "title": "Каховка осталась без газа после обстрелов",
            "outlet": "kommersant.ru",
            "date": "2022-09-29",
            "url": "https://www.kommersant.ru/doc/5583579",
            "language": "ru",
        },
    ]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
def test_read_kommersant_and_censorzero_read_the_pinned_commit_gh21(heldout, tmp_path):
    repo = tmp_path / "ks"
    commit = _commit(repo, {**_ks_files(), "README.md": "Парсинг", **_cz_files()})
    (repo / "data" / "Мир.json").write_text("[]", encoding="utf-8")  # not committed: ignored
    out = heldout.read_kommersant(repo, commit)
    assert out[["doc_id", "date"]].values.tolist() == [
        ["ks00000", "2022-04-01"],
        ["ks00001", "2022-09-29"],
    ]
    heads = heldout.read_censorzero(repo, commit)
    assert heads[["doc_id", "outlet"]].values.tolist() == [
        ["cz00000", "suspilne.media"],
        ["cz00001", "eurointegration.com.ua"],
    ]


def _cz_files() -> dict[str, bytes]:
    suspilne = [
        {
            "url": "https://suspilne.media/1189982-predstavniki-ukraini-i-ssa/",
            "date": "2025-12-15",
            "title": "Представники України  і США\nзустрінуться щодо «мирного плану»",
            "sc": 9,
            "audited": True,
            "media": "suspilne",
        },
        {"url": "https://suspilne.media/1189990-x/", "date": "2025-12-15", "audited": False},
    ]
    up = [
        {
            "url": "https://www.eurointegration.com.ua/news/2023/11/8/7173167/",
            "date": "2023-11-09",
            "title": "ЄС схвалив новий пакет санкцій",
            "audited": True,
            "media": "up",
        }
    ]
    dump = lambda x: json.dumps(x, ensure_ascii=False).encode("utf-8")  # noqa: E731
    return {
        "data/control_group/up_study.json": dump(up),
        "data/control_group/suspilne_study.json": dump(suspilne),
    }


def test_censorzero_headlines_keep_fetched_titles_in_file_order_gh21(heldout):
    out = heldout.censorzero_headlines(_cz_files())
    assert out.to_dict("records") == [
        {
            "doc_id": "cz00000",
            "text": "Представники України і США зустрінуться щодо «мирного плану»",
            "title": "Представники України і США зустрінуться щодо «мирного плану»",
            "outlet": "suspilne.media",
            "date": "2025-12-15",
            "url": "https://suspilne.media/1189982-predstavniki-ukraini-i-ssa/",
            "language": "uk",
        },
        {
            "doc_id": "cz00001",
            "text": "ЄС схвалив новий пакет санкцій",
            "title": "ЄС схвалив новий пакет санкцій",
            "outlet": "eurointegration.com.ua",
            "date": "2023-11-09",
            "url": "https://www.eurointegration.com.ua/news/2023/11/8/7173167/",
            "language": "uk",
        },
    ]


def _mv_files() -> dict[str, bytes]:
    def md(site, title, published, body, crlf=False):
        text = (
            f'---\nsite: "{site}"\nurl: "https://{site}/{published[:4]}/a"\nlanguage: ro\n'
            f'title: "{title}"\npublished: {published}\n---\n\n# {title}\n\n{body}\n'
        )
        return (text.replace("\n", "\r\n") if crlf else text).encode("utf-8")

    return {
        "data/raw/articles/nokta.md/nokta.md_b.md": md(
            "nokta.md",
            "Киев и Кишинев получили статус кандидатов",
            "2022-06-23T18:00:00+00:00",
            "Лидеры ЕС [поддержали](https://x.eu/a) **заявки** Украины и Молдовы.",
            crlf=True,
        ),
        "data/raw/articles/evedomosti.md/evedomosti.md_a.md": md(
            "evedomosti.md", "Старая новость", "2021-12-31T10:00", "Текст 2021 года."
        ),
        "data/raw/articles/md.kp.media/md.kp.media_c.md": md(
            "md.kp.media", "Без даты", "", "Текст без даты публикации."
        ),
        "data/raw/articles/jurnaltv.md/jurnaltv.md_d.md": "Нет шапки".encode(),
        "data/raw/articles/gagauzinfo.md/gagauzinfo.md_e.md": md(
            "gagauzinfo.md", "Выборы", "2024-10-20T09:00", "Первый абзац.\n\n\nВторой абзац."
        ),
    }


def test_moldova_articles_keep_dated_2022_2025_bodies_without_heading_gh21(heldout):
    out = heldout.moldova_articles(_mv_files())
    assert out.to_dict("records") == [
        {
            "doc_id": "mv00000",
            "text": "Первый абзац.\n\nВторой абзац.",
            "title": "Выборы",
            "outlet": "gagauzinfo.md",
            "date": "2024-10-20",
            "url": "https://gagauzinfo.md/2024/a",
            "language": None,
        },
        {
            "doc_id": "mv00001",
            "text": "Лидеры ЕС поддержали заявки Украины и Молдовы.",
            "title": "Киев и Кишинев получили статус кандидатов",
            "outlet": "nokta.md",
            "date": "2022-06-23",
            "url": "https://nokta.md/2022/a",
            "language": None,
        },
    ]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
def test_read_moldova_reads_the_pinned_commit_gh21(heldout, tmp_path):
    repo = tmp_path / "mv"
    commit = _commit(repo, {**_mv_files(), "README.md": "# ugthesis"})
    (repo / "data/raw/articles/gagauzinfo.md/gagauzinfo.md_e.md").write_text("x")  # ignored
    out = heldout.read_moldova(repo, commit)
    assert out[["doc_id", "outlet", "date"]].values.tolist() == [
        ["mv00000", "gagauzinfo.md", "2024-10-20"],
        ["mv00001", "nokta.md", "2022-06-23"],
    ]


# ------------------------------------------------ tools/heldout2_ruuk.py (round 7 corpus)


@pytest.fixture(scope="module")
def h2():
    # run as a script, tools/ is on sys.path (for _gitrepo and heldout_ruuk); loaded by path not
    sys.path.insert(0, str(TOOL.parent))
    try:
        spec = importlib.util.spec_from_file_location(
            "heldout2_ruuk_tool", TOOL.parent / "heldout2_ruuk.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(TOOL.parent))
    return module


def _dump(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def _capstone_files() -> dict[str, bytes]:
    tass = {
        "news site": "tass",
        "search term": "мобилизация",
        "articles": [
            {
                "article0": {
                    "title": "Путин  подписал указ",
                    "subtitle": "",
                    "date": "9/21/2022",
                    "url": "https://tass.ru/politika/1",
                }
            },
            {
                "article1": {
                    "title": "Старая новость",
                    "subtitle": "",
                    "date": "10/24/2014",
                    "url": "https://tass.ru/opinions/2",
                }
            },
            {
                "article2": {
                    "title": "Без даты",
                    "subtitle": "",
                    "date": "NaN/NaN/NaN",
                    "url": "https://tass.ru/x/3",
                }
            },
        ],
    }
    tass_again = {  # the same URL found by another search term: one row
        "news site": "tass",
        "articles": [
            {
                "article0": {
                    "title": "Путин подписал указ",
                    "subtitle": "",
                    "date": "9/21/2022",
                    "url": "https://tass.ru/politika/1",
                }
            }
        ],
    }
    first = {  # spelled "1tv.ru" in the file, nested once more (as one capstone file is)
        "news site": "1tv.ru",
        "articles": [
            {
                "article1": {
                    "article1": {
                        "title": "Сюжет",
                        "subtitle": "Подробности  дня",
                        "date": "06/02/2022",
                        "url": "https://1tv.ru/n/1",
                    }
                }
            }
        ],
    }
    meduza = {
        "news site": "meduza",
        "articles": [{"a": {"title": "Не тот файл", "date": "1/1/2023"}}],
    }
    return {
        "json files/tass/мобилизацияtass.json": _dump(tass),
        "json files/tass/войнаtass.json": _dump(tass_again),
        "json files/pervyi kanal/рекрутpervyikanal.json": _dump(first),
        "json files/meduza/войнаmeduza.json": _dump(meduza),  # in CAPSTONE_SKIP
    }


def test_capstone_items_dated_2022_on_one_row_per_outlet_and_url_gh21(h2):
    out = h2.capstone_items(_capstone_files())
    assert out.to_dict("records") == [
        {
            "doc_id": "cp00000",
            "text": "Сюжет\nПодробности дня",
            "title": "Сюжет",
            "outlet": "1tv.ru",
            "date": "2022-06-02",
            "url": "https://1tv.ru/n/1",
            "language": "ru",
        },
        {
            "doc_id": "cp00001",
            "text": "Путин подписал указ",
            "title": "Путин подписал указ",
            "outlet": "tass.ru",
            "date": "2022-09-21",
            "url": "https://tass.ru/politika/1",
            "language": "ru",
        },
    ]


def test_milblog_and_editwars_rows_gh21(h2):
    csv = "\ufeffchannel_name,message,is_criticism\n" + (
        'Стрелков Игорь Иванович,"**Фронт** стоит.\n\n\nРезервов нет.",1\nAGDchan,,0\n'
    )
    out = h2.milblog_posts(csv.encode("utf-8"))
    assert out[["doc_id", "text", "outlet", "date", "language"]].values.tolist() == [
        ["mb00000", "Фронт стоит.\n\nРезервов нет.", "Стрелков Игорь Иванович", "", "ru"]
    ]
    tsv = (
        "id\tnarrative_id\tnarrative_name\tdate\ttext\tlang\turl\tdomain\n"
        "\t1\tcold_war\t2022.3.5\tA headline in English\ten\thttps://e/1\te.com\n"
        '\t1\tcold_war\t2022.3.5\t"Запад  готовит" провокацию\tru\thttps://ria.ru/1\tria\n'
    )
    ew = h2.editwars_headlines(tsv.encode("utf-8"))
    assert ew[["doc_id", "text", "outlet", "date", "url"]].values.tolist() == [
        ["ew00000", '"Запад готовит" провокацию', "ria", "2022-03-05", "https://ria.ru/1"]
    ]


def test_ukrainian_telegram_posts_and_tsn_read_more_removed_gh21(h2):
    posts = (
        pd.DataFrame(
            {
                "post_id": [21462, 7],
                "date": ["2025-03-13 21:41:55+00:00", "2025-02-14 08:00:00+00:00"],
                "text": ["**[36 ОБрМП](https://t.me/x/1)** тримає позиції", ""],
                "views": [1, 2],
                "forwards": [0, 0],
                "channel_id": [1, 1],
                "channel_name": ["DeepStateUA", "DeepStateUA"],
            }
        )
        .to_csv(index=False)
        .encode("utf-8")
    )
    out = h2.uatg_posts({"data/ua/Posts_ds.csv": posts})
    assert out.to_dict("records") == [
        {
            "doc_id": "ut00000",
            "text": "36 ОБрМП тримає позиції",
            "title": "",
            "outlet": "DeepStateUA",
            "date": "2025-03-13",
            "url": "https://t.me/DeepStateUA/21462",
            "language": "uk",
        }
    ]
    tsn = (
        "\ufeffid,url,title,text,owner,datetime\n"
        "1,https://t.me/tsn_ua/1,t,Переговори  у Стамбулі Читати далі,ТСН,2022-03-29T10:00:00+00:00\n"
    ).encode("utf-8")
    got = h2.tsn_posts({"data/trusted/trusted_news_part_24.csv": tsn})
    assert got[["doc_id", "text", "outlet", "date"]].values.tolist() == [
        ["ts00000", "Переговори у Стамбулі", "ТСН", "2022-03-29"]
    ]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
def test_read_capstone_reads_the_pinned_commit_and_skips_the_absent_file_gh21(h2, tmp_path):
    repo = tmp_path / "capstone"
    commit = _commit(repo, {**_capstone_files(), "README.md": "capstone"})
    out = h2.read_capstone(repo, commit)
    assert out["url"].tolist() == ["https://1tv.ru/n/1", "https://tass.ru/politika/1"]
    (repo / "json files" / "tass" / "войнаtass.json").unlink()  # later work does not matter
    assert h2.read_capstone(repo, commit).equals(out)


def test_main_drops_documents_of_the_dev_and_first_heldout_corpora_gh21(h2, tmp_path, monkeypatch):
    kept = "Переговоры о прекращении огня продолжатся в Стамбуле на следующей неделе, сообщили стороны."
    known = "Мобилизация в России: военкоматы получили новые указания о призыве резервистов запаса."
    parts = {
        "read_capstone": pd.DataFrame(
            {
                "doc_id": ["cp00000", "cp00001"],
                "text": [kept, known],
                "title": ["", ""],
                "outlet": ["tass.ru"] * 2,
                "date": ["2022-05-01"] * 2,
                "url": ["u1", "u2"],
                "language": ["ru"] * 2,
            }
        ),
    }
    empty = parts["read_capstone"].iloc[:0]
    for name in ("read_milblog", "read_editwars", "read_uatg", "read_tsn"):
        monkeypatch.setattr(h2, name, lambda repo, commit: empty)
    monkeypatch.setattr(h2, "read_capstone", lambda repo, commit: parts["read_capstone"])
    dev, first = tmp_path / "dev.parquet", tmp_path / "heldout.parquet"
    pd.DataFrame({"text": ["другой текст"]}).to_parquet(dev)
    pd.DataFrame({"text": ["  " + known.upper()]}).to_parquet(first)  # folded: case, spaces
    out = tmp_path / "out.parquet"
    mirrors = [
        f"--mirror-{n}={tmp_path}" for n in ("capstone", "milblog", "editwars", "uatg", "tsn")
    ]
    monkeypatch.chdir(tmp_path)
    assert h2.main([*mirrors, "--dev", str(dev), "--heldout", str(first), "--out", str(out)]) == 0
    assert pd.read_parquet(out)["text"].tolist() == [kept]
    with pytest.raises(SystemExit, match="a corpus to exclude is missing"):
        h2.main([*mirrors, "--dev", str(tmp_path / "no.parquet"), "--out", str(out)])
