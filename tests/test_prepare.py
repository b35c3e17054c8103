"""Tests for corpus preparation (issue 15): text columns, recode, filters, duplicate ids,
boilerplate cleaning, the config's corpus section and ``framelab summary --config``."""

from __future__ import annotations

import textwrap
import warnings

import pandas as pd
import pytest

from framelab.cli import corpus_summary as cli_corpus_summary
from framelab.cli import main
from framelab.config import ConfigError, load_config
from framelab.corpus import corpus_summary, validate_corpus
from framelab.io import load_corpus
from framelab.prepare import (
    CLEAN_FRAGMENTS,
    CLEAN_PRESETS,
    clean_text,
    filter_corpus,
    join_text,
    recode,
)

#: headlines and ledes shaped like the student's scraped corpus: src, title, desc, Date, Site
HEADLINES = """\
src,title,desc,Date,Site
1,Talks resume in Istanbul,Delegations met for three hours.,2022-03-29,bbc.co.uk
2,Grain deal extended,,2022-11-17,bbc.co.uk
3,Shelling near Kharkiv,,2022-05-02,rt.com
4,,Officials said the strike hit a depot.,2022-05-03,rt.com
5,Ceasefire call rejected,,2022-06-01,kyivindependent.com
6,,,2022-06-02,kyivindependent.com
"""


def _csv(tmp_path, text=HEADLINES, name="news.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _config(tmp_path, text):
    path = tmp_path / "study.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# ---------------------------------------------------------------- several text columns
def test_join_text_paragraphs_skip_empty_parts():
    raw = pd.DataFrame(
        {"title": ["Talks resume", None, "  ", "T"], "desc": ["Lede.", "Only lede.", "", None]}
    )
    assert join_text(raw, ["title", "desc"]).tolist() == [
        "Talks resume\n\nLede.",
        "Only lede.",
        "",
        "T",
    ]
    with pytest.raises(KeyError, match=r"'dsc' is not a column.*Did you mean 'desc'\?"):
        join_text(raw, ["title", "dsc"])


def test_text_list_joins_title_and_desc_as_paragraphs_gh15(tmp_path):
    # before: TypeError: unhashable type: 'list'
    with pytest.warns(
        UserWarning,
        match=r"dropped 1 document\(s\).*by outlet: "
        r"kyivindependent.com 1 of 2; first: 6",
    ):
        corpus = load_corpus(
            _csv(tmp_path), text=["title", "desc"], doc_id="src", date="Date", outlet="Site"
        )
    assert corpus["doc_id"].tolist() == ["1", "2", "3", "4", "5"]
    assert corpus["text"].tolist() == [
        "Talks resume in Istanbul\n\nDelegations met for three hours.",
        "Grain deal extended",
        "Shelling near Kharkiv",
        "Officials said the strike hit a depot.",
        "Ceasefire call rejected",
    ]
    # the title column is still the title, not the joined text
    assert corpus["title"].tolist()[:2] == ["Talks resume in Istanbul", "Grain deal extended"]
    assert corpus.attrs["framelab_dropped"] == [
        {"doc_id": "6", "row": 5, "reason": "empty text", "outlet": "kyivindependent.com"}
    ]


def test_empty_text_drops_are_counted_per_outlet_gh15(tmp_path):
    # before: a warning naming 5 example rows, no counts per outlet
    with pytest.warns(UserWarning) as caught:
        corpus = load_corpus(_csv(tmp_path), text="desc", doc_id="src", outlet="Site")
    message = str(caught[0].message)
    assert "dropped 4 document(s)" in message
    assert "by outlet: kyivindependent.com 2 of 2, bbc.co.uk 1 of 2, rt.com 1 of 2" in message
    assert corpus["doc_id"].tolist() == ["1", "4"]
    outlets = [d["outlet"] for d in corpus.attrs["framelab_dropped"]]
    assert outlets == ["bbc.co.uk", "rt.com", "kyivindependent.com", "kyivindependent.com"]


def test_only_text_may_name_several_columns(tmp_path):
    with pytest.raises(TypeError, match=r"outlet=\['Site', 'src'\]: only text may name"):
        load_corpus(_csv(tmp_path), text="title", columns={"outlet": ["Site", "src"]})


def test_columns_adds_metadata_columns_under_any_name(tmp_path):
    with pytest.warns(UserWarning, match="dropped 1"):
        corpus = load_corpus(
            _csv(tmp_path),
            columns={"text": ["title", "desc"], "doc_id": "src", "outlet": "Site", "camp": "Site"},
        )
    assert (
        corpus["camp"].tolist()
        == corpus["outlet"].tolist()
        == ["bbc.co.uk", "bbc.co.uk", "rt.com", "rt.com", "kyivindependent.com"]
    )
    assert "Site" not in corpus.columns and "camp" in corpus.columns


# ---------------------------------------------------------------- recode
def test_recode_maps_and_warns_unmapped_with_counts():
    corpus = pd.DataFrame({"outlet": ["rt.com", "tass.ru", "bbc.co.uk", "tass.ru", None]})
    with pytest.warns(
        UserWarning,
        match=r"2 value\(s\) of outlet are not in the map for country \(3 rows\) and became "
        r"'other': 'tass.ru' \(2\), 'bbc.co.uk' \(1\)",
    ):
        out = recode(corpus, "country", source="outlet", mapping={"rt.com": "RU"}, other="other")
    assert out["country"].fillna("<missing>").tolist() == [
        "RU",
        "other",
        "other",
        "other",
        "<missing>",
    ]
    with pytest.warns(UserWarning, match="became None"):
        out = recode(corpus, "country", source="outlet", mapping={"rt.com": "RU"})
    assert out["country"].isna().tolist() == [False, True, True, True, True]
    with pytest.raises(KeyError, match=r"source='outlt' is not a column.*source='outlet'"):
        recode(corpus, "country", source="outlt", mapping={})


# ---------------------------------------------------------------- filters
def _dated():
    return pd.DataFrame(
        {
            "doc_id": list("abcdef"),
            "outlet": ["A", "B", "A", "C", "B", "A"],
            "date": pd.to_datetime(
                ["2022-02-23", "2022-02-24", "2023-12-31 23:00", "2024-01-01", None, "2022-06-01"],
                format="mixed",
            ),
        }
    )


def test_filter_date_range_inclusive_and_reported():
    out = filter_corpus(_dated(), date_from="2022-02-24", date_to="2023-12-31")
    assert out["doc_id"].tolist() == ["b", "c", "f"]
    assert out.attrs["framelab_filter_report"] == [
        {"filter": "date from 2022-02-24 to 2023-12-31", "removed": 3}
    ]
    assert [d["doc_id"] for d in out.attrs["framelab_dropped"]] == ["a", "d", "e"]


def test_filter_keep_and_drop_report_each_filter():
    out = filter_corpus(_dated(), keep={"outlet": ["A", "B"]}, drop={"doc_id": ["f"]})
    assert out["doc_id"].tolist() == ["a", "b", "c", "e"]
    assert out.attrs["framelab_filter_report"] == [
        {"filter": "keep outlet in ['A', 'B']", "removed": 1},
        {"filter": "drop doc_id in ['f']", "removed": 1},
    ]
    with pytest.warns(UserWarning, match=r"keep: 'a' is not a value of outlet.*Did you mean 'A'"):
        filter_corpus(_dated(), keep={"outlet": ["a", "B"]})


# ---------------------------------------------------------------- duplicate ids
DUPS = "id,body\n7,First.\n8,Second.\n7,Third.\n7,Fourth.\n"


def test_duplicate_ids_error_names_options_that_can_be_taken(tmp_path):
    with pytest.raises(ValueError) as info:
        load_corpus(_csv(tmp_path, DUPS), text="body", doc_id="id")
    message = str(info.value)
    assert "on_duplicate_ids='first'" in message and "on_duplicate_ids='suffix'" in message
    assert "corpus.on_duplicate_ids" in message and "before loading" not in message


def test_duplicate_ids_first_and_suffix(tmp_path):
    with pytest.warns(UserWarning, match=r"dropped 2 row\(s\) whose doc_id repeats.*first: 7, 7"):
        first = load_corpus(
            _csv(tmp_path, DUPS), text="body", doc_id="id", on_duplicate_ids="first"
        )
    assert first[["doc_id", "text"]].values.tolist() == [["7", "First."], ["8", "Second."]]
    assert [d["reason"] for d in first.attrs["framelab_dropped"]] == ["duplicate doc_id"] * 2
    suffixed = load_corpus(
        _csv(tmp_path, DUPS), text="body", doc_id="id", on_duplicate_ids="suffix"
    )
    assert suffixed["doc_id"].tolist() == ["7", "8", "7~2", "7~3"]
    # a suffix never clashes with an id that is already there
    raw = pd.DataFrame({"doc_id": ["7", "7~2", "7"], "text": ["a", "b", "c"]})
    assert validate_corpus(raw, on_duplicate_ids="suffix")["doc_id"].tolist() == ["7", "7~2", "7~3"]
    with pytest.raises(
        ValueError, match=r"on_duplicate_ids must be one of .*Did you mean 'suffix'"
    ):
        validate_corpus(raw, on_duplicate_ids="sufix")


def test_duplicate_ids_in_a_folder_corpus(tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    for name, text in [("a_1.txt", "Talks resume."), ("b_1.txt", "Talks stall."), ("a_2.txt", "x")]:
        (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"duplicate doc_id value\(s\).*'1'.*on_duplicate_ids"):
        load_corpus(folder, filename_pattern="{outlet}_{doc_id}")
    corpus = load_corpus(folder, filename_pattern="{outlet}_{doc_id}", on_duplicate_ids="suffix")
    # files are read in name order, so the repeat is the later file's
    assert corpus[["outlet", "doc_id", "text"]].values.tolist() == [
        ["a", "1", "Talks resume."],
        ["a", "2", "x"],
        ["b", "1~2", "Talks stall."],
    ]


# ---------------------------------------------------------------- boilerplate
ARTICLE = """\
Envoys met in Istanbul on Tuesday for the first talks in weeks.
Share on Facebook
Share this article
Facebook Twitter WhatsApp Email
Story continues below advertisement
Advertisement
Sign up for our morning newsletter and get the headlines in your inbox.
Click here to read the full statement
Read more: Grain deal extended for 120 days
Related stories
Take our poll
We use cookies to improve your experience. By continuing you accept our cookie policy.
Follow us on Telegram
Click the map to see where the shelling was reported.
Share prices in Moscow fell after the talks ended without a deal.
Poll: most Ukrainians reject territorial concessions
Readers who click through to the statement will find no timetable.
Photo: Reuters
Officials said a second round could follow."""


def test_clean_web_preset_counts_per_pattern_and_keeps_real_sentences():
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "text": [ARTICLE, "Advertisement\nTruce holds."]})
    out = clean_text(corpus, ["web", "^Photo: .*$"])
    assert out["text"][0].split("\n") == [
        "Envoys met in Istanbul on Tuesday for the first talks in weeks.",
        "Click the map to see where the shelling was reported.",
        "Share prices in Moscow fell after the talks ended without a deal.",
        "Poll: most Ukrainians reject territorial concessions",
        "Readers who click through to the statement will find no timetable.",
        "Officials said a second round could follow.",
    ]
    assert out["text"][1] == "Truce holds."
    counts = {
        r["pattern"]: (r["lines_removed"], r["documents"])
        for r in out.attrs["framelab_clean_report"]
    }
    assert counts == {
        "web: menu crumb (line end)": (0, 0),
        "web: view link (line end)": (0, 0),
        "web: time stamp (line start)": (0, 0),
        "web: share buttons": (3, 1),
        "web: story continues below": (1, 1),
        "web: newsletter prompt": (1, 1),
        "web: poll widget": (1, 1),
        "web: click here": (1, 1),
        "web: read more": (2, 1),
        "web: follow us": (1, 1),
        "web: cookie notice": (1, 1),
        "web: advertisement": (2, 2),
        "^Photo: .*$": (1, 1),
    }
    assert set(counts) - {"^Photo: .*$"} == {f"web: {k}" for k in CLEAN_PRESETS["web"]} | {
        "web: menu crumb (line end)",
        "web: view link (line end)",
        "web: time stamp (line start)",
    }


def test_clean_keeps_paragraphs_and_drops_documents_left_empty():
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "text": ["One.\n\nAdvertisement\n\nTwo.", "Ad"]})
    with pytest.warns(UserWarning, match=r"1 document\(s\) held only boilerplate"):
        out = clean_text(corpus, ["web"])
    assert out["text"].tolist() == ["One.\n\nTwo."]
    assert out.attrs["framelab_dropped"] == [{"doc_id": "b", "reason": "empty after clean"}]


def test_clean_rejects_unsafe_and_invalid_regexes():
    corpus = pd.DataFrame({"doc_id": ["a"], "text": ["x"]})
    with pytest.raises(ValueError, match=r"clean_text\(\): regex .*nested quantifier"):
        clean_text(corpus, [r"(\w+\s?)*$"])
    with pytest.raises(ValueError, match=r"neither a preset \(web\) nor a valid regex"):
        clean_text(corpus, ["(unclosed"])


def test_every_web_pattern_passes_the_regex_check():
    from framelab._regex_check import check_regex

    assert {name: check_regex(rx) for name, rx in CLEAN_PRESETS["web"].items()} == {
        name: None for name in CLEAN_PRESETS["web"]
    }
    assert {name: check_regex(rx) for name, rx in CLEAN_FRAGMENTS["web"].items()} == {
        name: None for name in CLEAN_FRAGMENTS["web"]
    }


def test_clean_web_cuts_boilerplate_fragments_at_line_edges_gh20():
    corpus = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "text": [
                "Kyiv rejects talks (18.01.22 18:23) « War in Ukraine | Censor.NET\n\n"
                "18.01.22 18:23 - Envoys left Istanbul without a ceasefire View article.",
                "Shelling of Kharkiv\n\nRussian troops shelled the city. View photo news.",
                # real text keeps its words: a lower-case "view", a crumb sign mid-line, a
                # time inside a sentence
                "In our view news of a truce is premature. Prices « rose » | fell.\n"
                "At 18:23 - the talks began.",
            ],
        }
    )
    out = clean_text(corpus, ["web"])
    assert out["text"].tolist() == [
        "Kyiv rejects talks\n\nEnvoys left Istanbul without a ceasefire",
        "Shelling of Kharkiv\n\nRussian troops shelled the city.",
        corpus["text"][2],
    ]
    report = {r["pattern"]: (r["lines_removed"], r["documents"])
              for r in out.attrs["framelab_clean_report"]}  # fmt: skip
    assert report["web: menu crumb (line end)"] == (1, 1)
    assert report["web: view link (line end)"] == (2, 2)
    assert report["web: time stamp (line start)"] == (1, 1)


# ---------------------------------------------------------------- the config's corpus section
STUDENT = """\
corpus:
  path: news.csv
  columns: {text: [title, desc], doc_id: src, date: Date, outlet: Site, perspective: camp}
  recode:
    country: {from: outlet, map: {rt.com: RU, bbc.co.uk: GB}, other: null}
  filter:
    date: {from: 2022-03-01, to: 2022-12-31}
    drop: {country: [GB]}
  on_duplicate_ids: suffix
  clean: [web]
compare:
  group: perspective
  cluster: null
  reference: russian
"""

STUDENT_CSV = """\
src,title,desc,Date,Site,camp
1,Talks resume,Delegations met.,2022-03-29,bbc.co.uk,western
1,Grain deal,Advertisement,2022-11-17,rt.com,russian
3,Shelling,Share on Facebook,2022-05-02,rt.com,russian
4,,Officials said the strike hit a depot.,2022-02-03,kyivindependent.com,ukrainian
5,Ceasefire call rejected,Read more: Talks resume,2022-06-01,kyivindependent.com,ukrainian
"""


def test_config_corpus_section_prepares_the_corpus_gh15(tmp_path):
    _csv(tmp_path, STUDENT_CSV)
    cfg = load_config(_config(tmp_path, STUDENT))
    with pytest.warns(UserWarning, match=r"'kyivindependent.com' \(2\)"):
        corpus = cfg.load_corpus()
    shown = corpus[["doc_id", "text", "country", "perspective"]].fillna("<missing>")
    assert shown.values.tolist() == [
        ["1~2", "Grain deal", "RU", "russian"],
        ["3", "Shelling", "RU", "russian"],
        ["5", "Ceasefire call rejected", "<missing>", "ukrainian"],
    ]
    assert corpus.attrs["framelab_filter_report"] == [
        {"filter": "date from 2022-03-01 to 2022-12-31", "removed": 1},
        {"filter": "drop country in ['GB']", "removed": 1},
    ]
    report = {r["pattern"]: r["lines_removed"] for r in corpus.attrs["framelab_clean_report"]}
    assert report["web: advertisement"] == 1 and report["web: share buttons"] == 1
    assert report["web: read more"] == 1


def test_config_columns_perspective_camp_works(tmp_path):
    _csv(tmp_path, "id,body,camp\n1,Talks resume.,western\n2,Talks stall.,russian\n")
    cfg = load_config(
        _config(
            tmp_path,
            """\
            corpus: {path: news.csv, columns: {perspective: camp, doc_id: id, text: body}}
            compare: {cluster: null}
            """,
        )
    )
    corpus = cfg.load_corpus()
    assert corpus["perspective"].tolist() == ["western", "russian"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    country: {from: outlet,",
            "    country: {from: outlett,",
            r"study.yml, line 5, column 15: corpus.recode.country.from: 'outlett' is not a "
            r"column of the corpus. Did you mean 'outlet'\?",
        ),
        (
            "    drop: {country: [GB]}",
            "    drop: {contry: [GB]}",
            r"line 8, column 12: corpus.filter.drop.contry: 'contry' is not a column.*"
            r"Did you mean 'country'\?",
        ),
        (
            "  reference: russian",
            "  reference: rusian",
            r"line 14, column 3: compare.reference: 'rusian' is not a value of perspective. "
            r"Did you mean 'russian'\?",
        ),
    ],
)
def test_config_load_checks_names_against_the_data_gh15(tmp_path, old, new, message):
    _csv(tmp_path, STUDENT_CSV)
    cfg = load_config(_config(tmp_path, STUDENT.replace(old, new)))
    with pytest.raises(ConfigError, match=message), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the unmapped outlet, where recode runs
        cfg.load_corpus()


def test_config_group_left_from_the_sample_is_an_error_not_nan_gh15(tmp_path):
    # notebook 07 literally: a 20-row CSV, compare.group kept at the sample's `country`
    _csv(tmp_path, "id,body,published,source\n1,Talks resume.,2023-01-02,A\n")
    cfg = load_config(
        _config(
            tmp_path,
            """\
            corpus:
              path: news.csv
              columns: {doc_id: id, text: body, date: published, outlet: source}
            compare:
              group: country
            """,
        )
    )
    with pytest.raises(
        ConfigError,
        match=r"line 5, column 3: compare.group: column 'country' "
        r"has no values \(all missing\)",
    ):
        cfg.load_corpus()


# ---------------------------------------------------------------- summary
def test_corpus_summary_moved_and_still_importable_from_cli():
    assert cli_corpus_summary is corpus_summary


def test_cli_summary_with_config_summarises_the_prepared_corpus(tmp_path, capsys):
    _csv(tmp_path, STUDENT_CSV)
    config = _config(tmp_path, STUDENT + "output: {dir: out}\n")
    with pytest.warns(UserWarning):
        assert main(["summary", "--config", str(config)]) == 0
    printed = capsys.readouterr().out
    assert "# Corpus summary: news.csv (as prepared by study.yml)" in printed
    assert "- filter drop country in ['GB']: removed 1 row(s)" in printed
    assert "- clean web: advertisement: removed 1 line(s) in 1 document(s)" in printed
    overview = pd.read_csv(tmp_path / "out" / "corpus_overview.csv")
    assert overview.set_index("item").loc["documents", "value"] == "3"
    outlets = pd.read_csv(tmp_path / "out" / "corpus_outlets.csv")
    assert outlets[["outlet", "documents"]].values.tolist() == [
        ["rt.com", 2],
        ["kyivindependent.com", 1],
    ]
    with pytest.raises(SystemExit, match="not both"):
        main(["summary", "news.csv", "--config", str(config)])
    with pytest.raises(SystemExit, match="give a corpus file or folder .* or --config"):
        main(["summary"])


def test_dask_path_refuses_preparation_it_cannot_apply_and_passes_columns(tmp_path):
    from framelab.cli import _dask_source

    _csv(tmp_path, STUDENT_CSV)
    cfg = load_config(_config(tmp_path, STUDENT))
    with pytest.raises(SystemExit, match=r"corpus.recode, corpus.filter, corpus.clean are not"):
        _dask_source(cfg, 2)
    plain = STUDENT.split("  recode:")[0] + "  on_duplicate_ids: suffix\n"
    source, read = _dask_source(load_config(_config(tmp_path, plain)), 2)
    assert source == str(tmp_path / "news.csv")
    assert read["columns"]["perspective"] == "camp" and read["on_duplicate_ids"] == "suffix"
    corpus = load_corpus(source, **read)  # what each partition's reader receives
    assert corpus["doc_id"].tolist() == ["1", "1~2", "3", "4", "5"]
    assert corpus["perspective"].tolist()[:2] == ["western", "russian"]


def test_columns_extra_name_may_reuse_a_source_that_is_renamed(tmp_path):
    # outlet <- camp (renamed away) and camp <- Site: camp must hold Site's values
    _csv(tmp_path, "id,body,camp,Site\n1,Talks resume.,western,bbc.co.uk\n")
    corpus = load_corpus(
        tmp_path / "news.csv",
        columns={"doc_id": "id", "text": "body", "outlet": "camp", "camp": "Site"},
    )
    assert corpus[["outlet", "camp"]].values.tolist() == [["western", "bbc.co.uk"]]
    assert "Site" in corpus.columns
