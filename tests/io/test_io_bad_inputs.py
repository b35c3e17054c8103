"""Bad input when loading files (issue 16): each test holds the minimal reproduction."""

from __future__ import annotations

import logging
import os
import time
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from framelab.corpus import parse_dates
from framelab.io import LoadError, load_corpus


def _csv(path, dates):
    rows = "".join(f"{i},Text {i} of {path.stem}.,{d}\n" for i, d in enumerate(dates))
    path.write_text("id,body,published\n" + rows, encoding="utf-8")
    return path


def _load(path, **kw):
    return load_corpus(path, doc_id="id", text="body", date="published", **kw)


def _days(corpus):
    return [None if pd.isna(d) else str(d.date()) for d in corpus["date"]]


# ------------------------------------------------------------------------------------ 1. dates


def test_iso_dates_never_flipped_by_one_day_first_value_gh16(tmp_path):
    path = _csv(tmp_path / "news.csv", ["2023-11-01", "2023-11-02", "25/11/2023"])
    with pytest.warns(UserWarning, match=r"mixes date formats \(2 ISO, 1 numeric day/month\)"):
        corpus = _load(path)
    assert _days(corpus) == ["2023-11-01", "2023-11-02", "2023-11-25"]


def test_impossible_dates_become_nat_naming_file_and_rows_gh16(tmp_path):
    path = _csv(tmp_path / "news.csv", ["2023-11-01", "2023-13-01", "31/02/2023"])
    with pytest.warns(UserWarning) as record:
        corpus = _load(path)
    assert _days(corpus) == ["2023-11-01", None, None]
    message = " ".join(str(w.message) for w in record)
    assert "news.csv row 1 '2023-13-01'" in message
    assert "news.csv row 2 '31/02/2023'" in message
    assert "impossible date" in message


def test_out_of_range_dates_nat_naming_file_and_rows_gh16(tmp_path):
    path = _csv(tmp_path / "news.csv", ["2300-01-01", "2023-11-01", "0200-05-01"])
    with pytest.warns(UserWarning, match=r"2 date in .*news.csv value\(s\)") as record:
        corpus = _load(path)
    assert _days(corpus) == [None, "2023-11-01", None]
    message = str(record[0].message)
    assert "news.csv row 0 '2300-01-01'" in message
    assert "news.csv row 2 '0200-05-01'" in message
    assert "outside the years 1678-2261" in message


def test_ambiguous_dates_follow_the_unambiguous_ones_gh16(caplog):
    caplog.set_level(logging.INFO, logger="framelab.corpus")
    day_first = parse_dates(pd.Series(["25/11/2023", "03/04/2023"]))
    month_first = parse_dates(pd.Series(["11/25/2023", "03/04/2023"]))
    assert day_first.tolist() == [pd.Timestamp("2023-11-25"), pd.Timestamp("2023-04-03")]
    assert month_first.tolist() == [pd.Timestamp("2023-11-25"), pd.Timestamp("2023-03-04")]
    assert "'03/04/2023' read day-first like '25/11/2023'" in caplog.text
    assert "'03/04/2023' read month-first like '11/25/2023'" in caplog.text


def test_ambiguous_dates_without_evidence_say_the_convention_assumed_gh16():
    with pytest.warns(UserWarning, match=r"'03/04/2023' were read MONTH-first .*dayfirst=True"):
        out = parse_dates(pd.Series(["03/04/2023"]))
    assert out.tolist() == [pd.Timestamp("2023-03-04")]


def test_both_conventions_in_one_column_leave_ambiguous_values_nat_gh16():
    with pytest.warns(UserWarning, match=r"use both conventions .*1 ambiguous one\(s\) became NaT"):
        out = parse_dates(pd.Series(["25/11/2023", "11/25/2023", "03/04/2023"]))
    assert out.tolist()[:2] == [pd.Timestamp("2023-11-25")] * 2
    assert pd.isna(out.iloc[2])


def test_dayfirst_option_forces_the_convention_without_warning_gh16(tmp_path):
    path = _csv(tmp_path / "news.csv", ["03/04/2023", "05/06/23 09:30"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        day_first = _load(path, dayfirst=True)
        month_first = _load(path, dayfirst=False)
    assert day_first["date"].tolist() == [
        pd.Timestamp("2023-04-03"),
        pd.Timestamp("2023-06-05 09:30"),
    ]
    assert month_first["date"].tolist() == [
        pd.Timestamp("2023-03-04"),
        pd.Timestamp("2023-05-06 09:30"),
    ]


def test_convention_inferred_per_file_in_a_folder_gh16(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="framelab.corpus")
    _csv(tmp_path / "a.csv", ["25/11/2023", "03/04/2023"])
    _csv(tmp_path / "b.csv", ["11/25/2023", "03/04/2023"])
    corpus = load_corpus(tmp_path, text="body", date="published")
    assert _days(corpus) == ["2023-11-25", "2023-04-03", "2023-11-25", "2023-03-04"]
    assert "a.csv: 1 ambiguous numeric date(s) such as '03/04/2023' read day-first" in caplog.text
    assert "b.csv: 1 ambiguous numeric date(s) such as '03/04/2023' read month-first" in caplog.text


# ------------------------------------------------------------ 5, 10. what a folder may hold


def _report(corpus):
    return {Path(r["file"]).name: (r["status"], r["message"]) for r in corpus.attrs[REPORT]}


REPORT = "framelab_load_report"


def test_symlink_to_a_file_outside_the_folder_not_followed_gh16(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret-account:x:0:0:not for the corpus", encoding="utf-8")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Envoys met in Geneva.", encoding="utf-8")
    (folder / "sub").mkdir()  # not read: the load is not recursive
    (folder / "sub" / "b.txt").write_text("Talks resumed.", encoding="utf-8")
    (folder / "inside.txt").symlink_to(folder / "sub" / "b.txt")
    (folder / "passwd.txt").symlink_to(secret)
    with pytest.warns(UserWarning, match=r"1 entr\(y/ies\) skipped .*passwd.txt \(a symbolic link"):
        corpus = load_corpus(folder)
    assert sorted(corpus["text"]) == ["Envoys met in Geneva.", "Talks resumed."]
    assert not corpus["text"].str.contains("secret-account").any()
    status, message = _report(corpus)["passwd.txt"]
    assert status == "skipped"
    assert "outside the folder; not followed (pass allow_outside_links=True" in message
    assert _report(corpus)["inside.txt"][0] == "loaded"
    allowed = load_corpus(folder, allow_outside_links=True)
    assert "secret-account:x:0:0:not for the corpus" in allowed["text"].tolist()


def test_symlinked_subfolder_outside_not_followed_when_recursive_gh16(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.txt").write_text("Outside text.", encoding="utf-8")
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text("Inside text.", encoding="utf-8")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # whether rglob lists linked folders depends on Python
        corpus = load_corpus(folder, recursive=True)
    assert corpus["text"].tolist() == ["Inside text."]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_fifo_in_a_folder_is_skipped_not_opened_gh16(tmp_path):
    (tmp_path / "a.txt").write_text("Envoys met in Geneva.", encoding="utf-8")
    os.mkfifo(tmp_path / "b.txt")
    with pytest.warns(UserWarning, match=r"b.txt \(a FIFO \(named pipe\), not a regular file\)"):
        corpus = load_corpus(tmp_path)  # opening the FIFO would block forever
    assert corpus["text"].tolist() == ["Envoys met in Geneva."]
    assert _report(corpus)["b.txt"] == ("skipped", "a FIFO (named pipe), not a regular file")
    with pytest.raises(LoadError, match=r"b.txt is not a regular file \(a FIFO"):
        load_corpus(tmp_path / "b.txt")


def test_non_utf8_file_name_skipped_and_named_gh16(tmp_path):
    bad = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(bad, "wb") as fh:
        fh.write(b"Text under a Latin-1 name.")
    (tmp_path / "good.txt").write_text("Envoys met in Geneva.", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"caf\\xe9.txt \(the file name is not valid UTF-8"):
        corpus = load_corpus(tmp_path)
    assert corpus["text"].tolist() == ["Envoys met in Geneva."]
    corpus.to_parquet(tmp_path / "out.parquet")  # the surrogate name failed here before
    assert _report(corpus)["caf\\xe9.txt"][0] == "skipped"


# ------------------------------------------------------------------- 7, 12. encodings


def test_half_utf8_half_cp1252_file_no_mojibake_gh16(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(
        b"id,body\n1,Caf\xc3\xa9 talks in Gen\xc3\xa8ve\n2,Caf\xe9 talks resumed\n3,Plain line\n"
        b"4,D\xe9j\xe0 vu\n"
    )
    with pytest.warns(
        UserWarning, match=r"news.csv: mixed encodings - 2 line\(s\) .* cp1252 \(line\(s\) 3, 5\)"
    ):
        corpus = load_corpus(path, doc_id="id", text="body")
    assert corpus["text"].tolist() == [
        "Café talks in Genève",
        "Café talks resumed",
        "Plain line",
        "Déjà vu",
    ]
    assert "utf-8 with cp1252 line(s) 3, 5" in corpus.attrs[REPORT][0]["message"]


def test_utf16_without_bom_in_cyrillic_is_text_not_binary_gh16(tmp_path):
    path = tmp_path / "news.txt"
    path.write_bytes("Переговоры возобновились в Женеве 1 ноября.".encode("utf-16-le"))
    corpus = load_corpus(path)
    assert corpus["text"].tolist() == ["Переговоры возобновились в Женеве 1 ноября."]
    assert corpus.attrs[REPORT][0]["message"] == "encoding utf-16-le"


def test_binary_with_nul_bytes_suggests_utf16_encoding_gh16(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"\x00\x01\x02\x03" + bytes(range(256)) * 4)
    with pytest.raises(LoadError, match=r"binary file .* pass encoding='utf-16-le'"):
        load_corpus(path)


def test_binary_without_nul_bytes_is_called_not_text_gh16(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(bytes(range(1, 256)) * 8)
    with pytest.raises(LoadError, match=r"data.csv: not text \(\d+% of the characters are control"):
        load_corpus(path)


# ---------------------------------------------------------- 9, 12. zip archives and Excel


def _bomb(path, member, megabytes):
    """A zip archive with one member of ``megabytes`` MB of spaces (a few hundred KB on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(member, "w", force_zip64=True) as fh:
            chunk = b" " * (1 << 20)
            for _ in range(megabytes):
                fh.write(chunk)
    return path


def test_docx_zip_bomb_refused_before_parsing_gh16(tmp_path):
    path = _bomb(tmp_path / "export.docx", "word/document.xml", 210)
    assert path.stat().st_size < 1_000_000
    start = time.perf_counter()
    with pytest.raises(
        LoadError,
        match=r"export.docx: the Word file unpacks to 220,200,960 bytes .*over the limit of "
        r"209,715,200 bytes .*max_uncompressed_bytes=220_200_961",
    ):
        load_corpus(path)
    assert time.perf_counter() - start < 5


def test_xlsx_zip_bomb_refused_and_limit_can_be_raised_gh16(tmp_path):
    path = _bomb(tmp_path / "sheet.xlsx", "xl/worksheets/sheet1.xml", 12)
    with pytest.raises(LoadError, match=r"sheet.xlsx: part 'xl/worksheets/sheet1.xml' .*zip bomb"):
        load_corpus(path)
    with pytest.raises(LoadError, match=r"over the limit of 1,000,000 bytes"):
        load_corpus(path, max_uncompressed_bytes=1_000_000)
    # a raised limit lets the file through to the Excel reader (it is not a real workbook)
    with pytest.raises(LoadError, match=r"sheet.xlsx: not a readable Excel workbook"):
        load_corpus(path, max_uncompressed_bytes=20_000_000)


def test_zip_bomb_in_a_folder_fails_that_file_only_gh16(tmp_path):
    _bomb(tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", 3)
    (tmp_path / "a.txt").write_text("Envoys met in Geneva.", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"1 of 2 file\(s\) could not be loaded .*bomb.xlsx"):
        corpus = load_corpus(tmp_path, max_uncompressed_bytes=1_000_000)
    assert corpus["text"].tolist() == ["Envoys met in Geneva."]
    status, message = _report(corpus)["bomb.xlsx"]
    assert status == "failed"
    assert "unpacks to 3,145,728 bytes (3.0 MB" in message


def test_xlsx_formula_without_saved_value_is_named_gh16(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "text", "outlet"])
    sheet.append(["1", "Envoys met in Geneva.", "Daily A"])
    sheet.append(["2", '=CONCATENATE("Talks ", "resumed.")', "Daily B"])
    book.save(tmp_path / "news.xlsx")  # openpyxl saves formulas without computed values
    with pytest.warns(UserWarning) as record:
        corpus = load_corpus(tmp_path / "news.xlsx", doc_id="id")
    messages = " ".join(str(w.message) for w in record)
    assert "1 formula cell(s) without a saved value (B3) read as empty" in messages
    assert "formula without a saved value: open and save the workbook in Excel" in messages
    assert corpus["doc_id"].tolist() == ["1"]  # row 2 has no text and is dropped (warned)


def test_xlsx_merged_cells_filled_with_their_value_gh16(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["outlet", "text"])
    sheet.append(["Daily A", "Envoys met."])
    sheet.append([None, "Talks resumed."])
    sheet.append([None, "Talks stalled."])
    sheet.append(["Daily B", "Aid pledged."])
    sheet.merge_cells("A2:A4")
    book.save(tmp_path / "news.xlsx")
    before = (tmp_path / "news.xlsx").read_bytes()
    corpus = load_corpus(tmp_path / "news.xlsx")
    assert corpus["outlet"].tolist() == ["Daily A", "Daily A", "Daily A", "Daily B"]
    assert "1 merged cell range(s) filled" in corpus.attrs[REPORT][0]["message"]
    assert (tmp_path / "news.xlsx").read_bytes() == before


def test_utf8_file_with_cp1251_lines_decodes_them_as_cp1251_gh16(tmp_path):
    path = tmp_path / "news.txt"
    path.write_bytes(
        "Переговоры в Женеве.\n".encode() + "Переговоры возобновились.\n".encode("cp1251")
    )
    with pytest.warns(UserWarning, match=r"1 line\(s\) are not UTF-8 and were decoded as cp1251"):
        corpus = load_corpus(path)
    assert corpus["text"].tolist() == ["Переговоры в Женеве.\nПереговоры возобновились."]


def test_one_date_per_text_file_follows_the_folder_convention_gh16(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="framelab.corpus")
    for name, date in (("a", "25/11/2023"), ("b", "03/04/2023"), ("c", "05/06/2023")):
        (tmp_path / f"{name}.txt").write_text(
            f"---\ndate: {date}\n---\nText {name}.", encoding="utf-8"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        corpus = load_corpus(tmp_path)
    assert _days(corpus) == ["2023-11-25", "2023-04-03", "2023-06-05"]
    assert "b.txt: 1 ambiguous numeric date(s) such as '03/04/2023' read day-first" in caplog.text
