"""Tests for framelab.io: load_corpus over CSV/TSV/JSON/JSONL/Parquet/Excel/text folders,
encodings, malformed input, manifests."""

from __future__ import annotations

import json
import time
import warnings

import pandas as pd
import pytest

from framelab.io import LoadError, check_manifest, detect_format, load_corpus, write_manifest
from framelab.io.manifest import ensure_writable

ROWS = [
    ("1", "Kyiv’s envoy said talks could resume – “soon”.", "2023-11-01", "Dnipro Herald"),
    ("2", "Truce hopes fade; café owners in Odesa worry.", "2 November 2023", "Rhine Gazette"),
]


def _csv_text(sep=","):
    lines = [sep.join(["id", "body", "published", "source"])]
    for r in ROWS:
        lines.append(sep.join(f'"{v}"' for v in r))
    return "\n".join(lines) + "\n"


def _load(path, **kw):
    return load_corpus(path, doc_id="id", text="body", date="published", outlet="source", **kw)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_csv_encodings_load_identically(tmp_path, encoding):
    text = _csv_text()
    if encoding == "cp1252":
        text = text.replace("’", "'").replace("“", '"').replace("”", '"').replace("–", "-")
    path = tmp_path / f"news_{encoding}.csv"
    path.write_bytes(text.encode(encoding))
    corpus = _load(path)
    assert corpus["doc_id"].tolist() == ["1", "2"]
    assert corpus["text"].iloc[1] == "Truce hopes fade; café owners in Odesa worry."
    assert corpus["date"].tolist() == [pd.Timestamp("2023-11-01"), pd.Timestamp("2023-11-02")]
    assert corpus["outlet"].tolist() == ["Dnipro Herald", "Rhine Gazette"]
    assert corpus.attrs["framelab_load_report"][0]["status"] == "loaded"


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_csv_delimiter_sniffed(tmp_path, sep):
    path = tmp_path / "news.csv"
    path.write_text(_csv_text(sep), encoding="utf-8")
    assert _load(path)["outlet"].tolist() == ["Dnipro Herald", "Rhine Gazette"]


def test_tsv_extension(tmp_path):
    path = tmp_path / "news.tsv"
    path.write_text(_csv_text("\t"), encoding="utf-8")
    assert detect_format(path) == "tsv"
    assert len(_load(path)) == 2


def test_malformed_csv_row_error_names_file_and_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        'id,text,date\n1,"fine",2023-11-01\n2,broken, row,2023-11-02\n3,ok,2023-11-03\n',
        encoding="utf-8",
    )
    with pytest.raises(
        LoadError,
        match=r"bad\.csv, line 3: malformed row: expected 3 fields, saw 4"
        r".*on_bad_lines='warn'",
    ):
        load_corpus(path)


def test_malformed_csv_row_warn_keeps_the_rest(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        'id,text,date\n1,"fine",2023-11-01\n2,broken, row,2023-11-02\n3,ok,2023-11-03\n',
        encoding="utf-8",
    )
    with pytest.warns(UserWarning, match=r"1 malformed line\(s\) skipped - line 3: expected 3"):
        corpus = load_corpus(path, doc_id="id", on_bad_lines="warn")
    assert corpus["doc_id"].tolist() == ["1", "3"]
    assert "line 3" in corpus.attrs["framelab_load_report"][0]["message"]


def test_multiline_quoted_fields_keep_line_numbers_right(tmp_path):
    path = tmp_path / "ml.csv"
    path.write_text('id,text\n1,"para one\n\npara two"\n2,a,b\n', encoding="utf-8")
    with pytest.raises(LoadError, match="line 5"):
        load_corpus(path)
    ok = load_corpus(path, on_bad_lines="skip", doc_id="id")
    assert ok["text"].item() == "para one\n\npara two"


def test_missing_text_column_lists_columns_and_suggests(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(_csv_text(), encoding="utf-8")
    with pytest.raises(
        KeyError,
        match=r"no 'text' column. Columns found: 'id', 'body', "
        r"'published', 'source'.*Did you mean text='body'",
    ):
        load_corpus(path)
    with pytest.raises(KeyError, match=r"text='bdy' is not a column.*Did you mean text='body'"):
        load_corpus(path, text="bdy")


def test_missing_text_column_names_the_list_and_config_ways_gh15(tmp_path):
    """A headline corpus (src, title, desc, Date, Site) given to `framelab summary FILE` got
    "with text='...'", an option the command line does not have; the message now names the
    list form and the config key that the CLI reads."""
    path = tmp_path / "headlines.csv"
    path.write_text(
        "src,title,desc,Date,Site\nhttps://a.example/1,Talks resume,Envoys met.,03/29/2022,"
        "a.example\n",
        encoding="utf-8",
    )
    with pytest.raises(KeyError) as err:
        load_corpus(path)
    message = str(err.value)
    assert "Columns found: 'src', 'title', 'desc', 'Date', 'Site'." in message
    assert "text=['title', 'desc']" in message
    assert "corpus.columns: {text: ...}" in message and "framelab summary --config" in message


def test_unknown_option_is_an_error(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(_csv_text(), encoding="utf-8")
    with pytest.raises(TypeError, match="unknown option txt=.*Did you mean 'text'"):
        load_corpus(path, txt="body")


def test_empty_and_binary_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(LoadError, match="empty.csv: the file is empty"):
        load_corpus(empty)
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(LoadError, match="image.csv: looks like a binary file"):
        load_corpus(binary)
    blank = tmp_path / "blank.csv"
    blank.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(LoadError, match="no content"):
        load_corpus(blank)


def test_fifty_megabyte_single_document(tmp_path):
    body = ("Talks on a ceasefire framework continued. " * 1_250_000)[: 50 * 1024 * 1024]
    path = tmp_path / "big.csv"
    path.write_text(f'id,text\nbig,"{body}"\n', encoding="utf-8")
    started = time.perf_counter()
    corpus = load_corpus(path, doc_id="id")
    assert len(corpus) == 1
    assert len(corpus["text"].item()) == len(body.strip())
    assert time.perf_counter() - started < 60


def test_duplicate_ids_in_file(tmp_path):
    path = tmp_path / "dups.csv"
    path.write_text("id,text\n1,a\n1,b\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"duplicate doc_id value\(s\) in .*dups.csv: '1'"):
        load_corpus(path, doc_id="id")


def test_dates_in_three_formats(tmp_path):
    path = tmp_path / "dates.csv"
    path.write_text('text,date\na,2023-11-01\nb,"Nov 2, 2023"\nc,03.11.2023\n', encoding="utf-8")
    with pytest.warns(UserWarning, match=r"'03.11.2023' were read MONTH-first"):
        corpus = load_corpus(path)
    assert corpus["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2023-11-01",
        "2023-11-02",
        "2023-03-11",
    ]


def test_json_jsonl_parquet_excel_round_trip(tmp_path):
    records = [
        {"id": r[0], "text": r[1], "date": r[2], "outlet": r[3], "n": i} for i, r in enumerate(ROWS)
    ]
    (tmp_path / "a.json").write_text(json.dumps({"articles": records}), encoding="utf-8")
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    pd.DataFrame(records).to_parquet(tmp_path / "a.parquet")
    pd.DataFrame(records).to_excel(tmp_path / "a.xlsx", index=False)
    loaded = [
        load_corpus(tmp_path / f"a.{ext}", doc_id="id")
        for ext in ("json", "jsonl", "parquet", "xlsx")
    ]
    for corpus in loaded:
        assert corpus["doc_id"].tolist() == ["1", "2"]
        assert corpus["text"].tolist() == [r[1] for r in ROWS]
        assert corpus["date"].tolist() == [pd.Timestamp("2023-11-01"), pd.Timestamp("2023-11-02")]


def test_jsonl_bad_line(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"text": "a"}\n{"text": oops}\n{"text": "c"}\n', encoding="utf-8")
    with pytest.raises(LoadError, match=r"x.jsonl, line 2: invalid JSON"):
        load_corpus(path)
    with pytest.warns(UserWarning, match="line 2"):
        assert load_corpus(path, on_bad_lines="warn")["text"].tolist() == ["a", "c"]


def test_invalid_json_names_line(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('[{"text": "a"},\n {"text": }]', encoding="utf-8")
    with pytest.raises(LoadError, match=r"x.json, line 2 column \d+: invalid JSON"):
        load_corpus(path)


def test_text_file_with_front_matter(tmp_path):
    path = tmp_path / "story.md"
    path.write_text(
        "---\noutlet: Podil Daily\ndate: 2023-12-01\ntitle: Truce talk\n---\n"
        "First para.\n\nSecond para.\n",
        encoding="utf-8",
    )
    corpus = load_corpus(path)
    row = corpus.iloc[0]
    assert (row["outlet"], row["date"], row["title"]) == (
        "Podil Daily",
        pd.Timestamp("2023-12-01"),
        "Truce talk",
    )
    assert row["text"] == "First para.\n\nSecond para."


def test_folder_filename_pattern_sidecar_and_front_matter(tmp_path):
    (tmp_path / "2023-11-01_UA_en_a1.txt").write_text("Talks resume.", encoding="utf-8")
    (tmp_path / "2023-11-02_RU_ru_a2.txt").write_text(
        "---\noutlet: Volga Telegraph\n---\nПереговоры.", encoding="utf-8"
    )
    (tmp_path / "metadata.csv").write_text(
        "file,outlet\n2023-11-01_UA_en_a1.txt,Dnipro Herald\n2023-11-02_RU_ru_a2.txt,Sidecar\n",
        encoding="utf-8",
    )
    corpus = load_corpus(tmp_path, filename_pattern="{date}_{country}_{language}_{doc_id}")
    assert corpus["doc_id"].tolist() == ["a1", "a2"]
    assert corpus["country"].tolist() == ["UA", "RU"]
    assert corpus["language"].tolist() == ["en", "ru"]
    # front matter wins over the sidecar; the sidecar fills what the file does not say
    assert corpus["outlet"].tolist() == ["Dnipro Herald", "Volga Telegraph"]
    statuses = {r["file"].split("/")[-1]: r["status"] for r in corpus.attrs["framelab_load_report"]}
    assert statuses["metadata.csv"] == "skipped"


def test_folder_half_unreadable_reports_each_file(tmp_path):
    for i in range(3):
        (tmp_path / f"good{i}.txt").write_text(f"Readable report number {i}.", encoding="utf-8")
    (tmp_path / "bad0.txt").write_bytes(b"")
    (tmp_path / "bad1.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (tmp_path / "bad2.csv").write_text("id,text\n1,a,b\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"3 of 6 file\(s\) could not be loaded"):
        corpus = load_corpus(tmp_path)
    assert len(corpus) == 3
    report = pd.DataFrame(corpus.attrs["framelab_load_report"])
    failed = report[report["status"] == "failed"]
    assert sorted(f.split("/")[-1] for f in failed["file"]) == ["bad0.txt", "bad1.txt", "bad2.csv"]
    assert failed["message"].str.len().gt(10).all()


def test_folder_all_unreadable_is_an_error(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"")
    with pytest.raises(LoadError, match="no document could be loaded"):
        load_corpus(tmp_path)


def test_unknown_extension(tmp_path):
    path = tmp_path / "notes.xyz"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(LoadError, match=r"cannot tell the format.*Pass format="):
        load_corpus(path)
    with pytest.raises(ValueError, match="unknown format='cvs'.*Did you mean format='csv'"):
        load_corpus(path, format="cvs")


def test_raw_files_are_never_modified(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(_csv_text(), encoding="utf-8")
    before = path.read_bytes(), path.stat().st_mtime_ns
    _load(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_manifest_detects_changed_missing_and_new(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.csv").write_text("text\nx\n", encoding="utf-8")
    (raw / "b.csv").write_text("text\ny\n", encoding="utf-8")
    manifest = tmp_path / "processed" / "manifest.json"
    table = write_manifest(raw, manifest)
    assert table["file"].tolist() == ["a.csv", "b.csv"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert set(check_manifest(raw, manifest)["status"]) == {"unchanged"}
    (raw / "a.csv").write_text("text\nchanged\n", encoding="utf-8")
    (raw / "b.csv").unlink()
    (raw / "c.csv").write_text("text\nz\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"2 raw file\(s\).*a.csv \(changed\), b.csv \(missing\)"):
        status = check_manifest(raw, manifest)
    assert dict(zip(status["file"], status["status"], strict=True)) == {
        "a.csv": "changed",
        "b.csv": "missing",
        "c.csv": "new",
    }


def test_writers_refuse_raw_folder(tmp_path):
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    with pytest.raises(PermissionError, match="never written"):
        ensure_writable(raw / "x.json", raw_dir=raw)
    with pytest.raises(PermissionError):
        write_manifest(raw, raw / "manifest.json")
