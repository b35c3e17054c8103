"""Tests of framelab.validate._sheets (moved from tests/test_validate.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelab.datasets import FRAMES
from framelab.validate import (
    CODINGS_COLUMNS,
    as_codings,
    coding_sheet,
    coding_units,
    consensus,
    read_codings,
)

from .validate_helpers import TINY_CORPUS


class _Frame:
    def __init__(self, label, description, examples):
        self.label, self.description, self.examples = label, description, examples


class _Codebook:
    """Stand-in for framelab.codebook.Codebook: a ``.frames`` mapping of id -> frame objects."""

    frames = {
        "ceasefire": _Frame(
            "Ceasefire", "Halting hostilities.", ("A truce holds.", "Guns fell silent.")
        ),
        "negotiations": _Frame("Negotiations", "Talks and diplomacy.", ("Envoys met.",)),
    }


def _fill_xlsx(src, dst, values, *, edits=None):
    """Fill the 'coding' sheet of ``src`` from ``values`` (unit_id -> {frame: 0/1})."""
    from openpyxl import load_workbook

    wb = load_workbook(src)
    ws = wb["coding"]
    header = [c.value for c in ws[1]]
    for row in range(2, ws.max_row + 1):
        unit = ws.cell(row, 1).value
        for frame, value in values[unit].items():
            ws.cell(row, header.index(frame) + 1, value)
    for (row, col), value in (edits or {}).items():
        ws.cell(row, header.index(col) + 1, value)
    wb.save(dst)


def test_coding_sheet_blind_columns_order_and_determinism(sample_corpus, tmp_path):
    sheet = coding_sheet(
        sample_corpus, list(FRAMES), n=40, level="paragraph", seed=7, out=tmp_path / "a" / "sheet"
    )
    assert list(sheet.columns) == [
        "unit_id", "doc_id", "order", "inclusion_prob", "text", *FRAMES, "notes"
    ]  # fmt: skip
    assert sheet["order"].tolist() == list(range(1, 41))
    assert sheet["unit_id"].is_unique
    assert sheet[list(FRAMES)].isna().all().all()  # blind: nothing pre-filled
    units = coding_units(sample_corpus, "paragraph").set_index("unit_id")
    assert (units.loc[sheet["unit_id"], "text"].to_numpy() == sheet["text"].to_numpy()).all()
    again = coding_sheet(
        sample_corpus, list(FRAMES), n=40, level="paragraph", seed=7, out=tmp_path / "b" / "sheet"
    )
    pd.testing.assert_frame_equal(sheet, again)
    other = coding_sheet(
        sample_corpus, list(FRAMES), n=40, level="paragraph", seed=8, out=tmp_path / "c" / "sheet"
    )
    assert set(other["unit_id"]) != set(sheet["unit_id"])
    on_disk = pd.read_csv(tmp_path / "a" / "sheet.csv", encoding="utf-8-sig")
    assert on_disk["unit_id"].tolist() == sheet["unit_id"].tolist()
    assert list(on_disk.columns) == list(sheet.columns)


def test_coding_sheet_stratified_allocation_largest_remainder(tmp_path):
    corpus = pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(10)],
            "text": ["x"] * 10,
            "group": ["a"] * 6 + ["b"] * 3 + ["c"],
        }
    )
    # n=5 over sizes 6/3/1: exact quotas 3, 1.5, 0.5 -> floors 3, 1, 0; the one left goes to the
    # first of the tied remainders (b), so a=3, b=2, c=0. c would have inclusion probability 0,
    # so (gh19) it takes one from b, the stratum furthest above its exact share: 3, 1, 1.
    sheet = coding_sheet(corpus, ["x1"], n=5, stratify_by="group", out=tmp_path / "s")
    groups = corpus.set_index("doc_id").loc[sheet["doc_id"], "group"]
    assert groups.value_counts().to_dict() == {"a": 3, "b": 1, "c": 1}


def test_coding_sheet_xlsx_codebook_and_about(tmp_path):
    from openpyxl import load_workbook

    sheet = coding_sheet(
        TINY_CORPUS,
        _Codebook(),
        n=3,
        seed=2,
        stratify_by="outlet",
        out=tmp_path / "sheet.xlsx",
        descriptions={"negotiations": "Diplomacy, overridden."},
    )
    wb = load_workbook(tmp_path / "sheet.xlsx")
    assert wb.sheetnames == ["coding", "codebook", "about"]
    codebook = [[c.value for c in row] for row in wb["codebook"].iter_rows()]
    assert codebook == [
        ["frame", "label", "description", "examples"],
        ["ceasefire", "Ceasefire", "Halting hostilities.", "A truce holds. | Guns fell silent."],
        ["negotiations", "Negotiations", "Diplomacy, overridden.", "Envoys met."],
    ]
    about = {r[0].value: r[1].value for r in wb["about"].iter_rows(min_row=2)}
    assert about["seed"] == 2 and about["n"] == 3 and about["level"] == "document"
    assert about["stratify_by"] == "outlet"
    assert about["created_with"].startswith("framelab ")
    coding = [[c.value for c in row] for row in wb["coding"].iter_rows()]
    assert coding[0] == list(sheet.columns)
    formula_row = next(r for r in wb["coding"].iter_rows(min_row=2) if r[0].value == "d3")
    assert formula_row[4].data_type == "s" and formula_row[4].value == "=SUM(A1) is text"
    assert (tmp_path / "sheet.csv").is_file()


def test_coding_sheet_refuses_raw_and_bad_arguments(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PermissionError, match="refusing to write data/raw/sheet.csv"):
        coding_sheet(TINY_CORPUS, ["x"], n=1, out="data/raw/sheet")
    with pytest.raises(
        ValueError, match=r"n=9 is more than the 3 document units.*level='paragraph'"
    ):
        coding_sheet(TINY_CORPUS, ["x"], n=9, out="s")
    with pytest.raises(ValueError, match="Did you mean stratify_by='outlet'"):
        coding_sheet(TINY_CORPUS, ["x"], n=1, stratify_by="outlte", out="s")
    with pytest.raises(ValueError, match="'notes' cannot be a frame id"):
        coding_sheet(TINY_CORPUS, ["notes"], n=1, out="s")
    with pytest.raises(TypeError, match=r"Wrap it in a list: frames=\['ceasefire'\]"):
        coding_sheet(TINY_CORPUS, "ceasefire", n=1, out="s")
    assert not (tmp_path / "data").exists()


@pytest.fixture()
def written_sheet(sample_corpus, tmp_path):
    sheet = coding_sheet(
        sample_corpus, list(FRAMES), n=12, level="paragraph", seed=3, out=tmp_path / "sheet"
    )
    return sheet, tmp_path


def test_read_codings_round_trip_xlsx_and_csv(written_sheet, gold_paragraphs):
    sheet, tmp = written_sheet
    wide = gold_paragraphs.pivot(index="unit_id", columns="frame", values="present")
    values = {u: {f: int(wide.loc[u, f]) for f in FRAMES} for u in sheet["unit_id"]}
    _fill_xlsx(tmp / "sheet.xlsx", tmp / "sheet_coderA.xlsx", values)
    csv = pd.read_csv(tmp / "sheet.csv", encoding="utf-8-sig")
    for frame in FRAMES:  # coder B flips ceasefire on every unit, else agrees
        flip = frame == "ceasefire"
        csv[frame] = [1 - values[u][frame] if flip else values[u][frame] for u in csv["unit_id"]]
    csv.to_csv(tmp / "sheet_coderB.csv", index=False)

    codings = read_codings([tmp / "sheet_coderA.xlsx", tmp / "sheet_coderB.csv"], sample=sheet)
    assert list(codings.columns) == list(CODINGS_COLUMNS)
    assert sorted(codings["coder"].unique()) == ["coderA", "coderB"]
    assert len(codings) == 2 * 12 * len(FRAMES)
    a = codings[codings["coder"] == "coderA"].set_index(["unit_id", "frame"])["value"]
    expected = gold_paragraphs.set_index(["unit_id", "frame"])["present"].loc[a.index]
    assert (a.to_numpy() == expected.to_numpy()).all()
    b = codings[codings["coder"] == "coderB"].set_index(["unit_id", "frame"])["value"]
    diff = (a - b.loc[a.index]).abs()
    assert diff.groupby(level="frame").sum().to_dict() == {
        f: 12.0 * (f == "ceasefire") for f in FRAMES
    }
    docs = codings.drop_duplicates("unit_id").set_index("unit_id")["doc_id"]
    assert (docs == sheet.set_index("unit_id").loc[docs.index, "doc_id"]).all()


def test_read_codings_coder_column_semicolons_and_blank_zero(tmp_path):
    path = tmp_path / "joint.csv"
    path.write_text("unit_id;coder;x;y\na;ann;1;\na;ben;0;1\nb;ann;;\n", encoding="utf-8")
    missing = read_codings(path, frames=["x", "y"])
    assert missing["coder"].tolist() == ["ann"] * 4 + ["ben"] * 2
    np.testing.assert_array_equal(missing["value"], [1.0, np.nan, np.nan, np.nan, 0.0, 1.0])
    zero = read_codings(path, frames=["x", "y"], blank="zero")
    # row a/ann has a code, so its blank y becomes 0; row b/ann has none and stays missing
    assert zero.set_index(["unit_id", "coder", "frame"])["value"].to_dict() == pytest.approx(
        {
            ("a", "ann", "x"): 1.0,
            ("a", "ann", "y"): 0.0,
            ("b", "ann", "x"): np.nan,
            ("b", "ann", "y"): np.nan,
            ("a", "ben", "x"): 0.0,
            ("a", "ben", "y"): 1.0,
        },
        nan_ok=True,
    )


def test_read_codings_bad_value_names_file_row_column(written_sheet):
    sheet, tmp = written_sheet
    csv = pd.read_csv(tmp / "sheet.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    csv[list(FRAMES)] = "0"
    csv.loc[3, "ceasefire"] = "yes"  # 4th data row = spreadsheet row 5
    csv.to_csv(tmp / "sheet_bob.csv", index=False)
    with pytest.raises(ValueError, match=r"sheet_bob\.csv row 5, column 'ceasefire': 'yes'"):
        read_codings(tmp / "sheet_bob.csv", sample=sheet)
    values = {u: {f: 0 for f in FRAMES} for u in sheet["unit_id"]}
    _fill_xlsx(tmp / "sheet.xlsx", tmp / "sheet_ann.xlsx", values, edits={(7, "stalemate"): 2})
    with pytest.raises(ValueError, match=r"sheet_ann\.xlsx row 7, column 'stalemate': 2"):
        read_codings(tmp / "sheet_ann.xlsx")


def test_read_codings_unknown_frame_did_you_mean(written_sheet):
    sheet, tmp = written_sheet
    csv = pd.read_csv(tmp / "sheet.csv", encoding="utf-8-sig").rename(
        columns={"ceasefire": "ceasfire"}
    )
    csv.to_csv(tmp / "sheet_bob.csv", index=False)
    with pytest.raises(
        ValueError,
        match=r"column 'ceasfire' \(row 1, column 6\) that is not a "
        r"frame\. Did you mean 'ceasefire'\?",
    ):
        read_codings(tmp / "sheet_bob.csv", sample=sheet)
    with pytest.raises(ValueError, match="has no column for frame"):
        read_codings(tmp / "sheet_bob.csv", frames=list(FRAMES) + ["ceasfire"])


def test_read_codings_unit_not_in_sample_and_duplicates(written_sheet):
    sheet, tmp = written_sheet
    csv = pd.read_csv(tmp / "sheet.csv", encoding="utf-8-sig")
    csv[list(FRAMES)] = 0
    good_unit = csv.loc[1, "unit_id"]
    csv.loc[1, "unit_id"] = "S9999-p0"
    csv.to_csv(tmp / "sheet_bob.csv", index=False)
    with pytest.raises(
        ValueError,
        match=r"1 unit\(s\) are not in the sample: sheet_bob\.csv "
        r"row 3: 'S9999-p0'",
    ):
        read_codings(tmp / "sheet_bob.csv", sample=tmp / "sheet.csv")
    csv.loc[1, "unit_id"] = csv.loc[0, "unit_id"]
    csv.to_csv(tmp / "sheet_bob.csv", index=False)
    with pytest.raises(
        ValueError,
        match=r"coded twice.*sheet_bob\.csv row 2 and sheet_bob\.csv "
        r"row 3",
    ):
        read_codings(tmp / "sheet_bob.csv", sample=sheet)
    assert good_unit in set(sheet["unit_id"])


def test_read_codings_file_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no file"):
        read_codings(tmp_path / "missing.csv")
    (tmp_path / "x.ods").write_text("")
    with pytest.raises(
        ValueError,
        match=r"unsupported file type '\.ods'\. Save the sheet as "
        r"\.xlsx or \.csv",
    ):
        read_codings(tmp_path / "x.ods")
    (tmp_path / "z_ann.csv").write_text("unit_id,x\na,1,stray\n")
    with pytest.raises(ValueError, match=r"z_ann\.csv row 2, column 3 \(no header\): 'stray'"):
        read_codings(tmp_path / "z_ann.csv")
    (tmp_path / "w_ann.csv").write_text("unit_id,x,x\na,1,0\n")
    with pytest.raises(ValueError, match=r"the column\(s\) 'x' more than once"):
        read_codings(tmp_path / "w_ann.csv")
    (tmp_path / "y.csv").write_text("id,x\n1,1\n")
    with pytest.raises(ValueError, match="y.csv has no 'unit_id' column"):
        read_codings(tmp_path / "y.csv")


def test_as_codings_and_consensus():
    gold = pd.DataFrame({"unit_id": ["a", "a"], "frame": ["x", "y"], "present": [1, 0]})
    codings = as_codings(gold, coder="g")
    assert codings.to_dict("list") == {
        "unit_id": ["a", "a"],
        "doc_id": ["a", "a"],
        "coder": ["g", "g"],
        "frame": ["x", "y"],
        "value": [1.0, 0.0],
        "inclusion_prob": [pytest.approx(np.nan, nan_ok=True)] * 2,
    }
    with pytest.raises(ValueError, match="name the coder"):
        as_codings(gold)
    three = pd.DataFrame(
        {
            "unit_id": ["u"] * 6,
            "doc_id": "u",
            "coder": list("pqrpqr"),
            "frame": ["x"] * 3 + ["y"] * 3,
            "value": [1, 1, 0, 0, np.nan, 1.0],
        }
    )
    with pytest.raises(ValueError, match=r"tied vote \(u/y\).*coder='<adjudicator>'"):
        consensus(three)
    assert consensus(three, ties="drop")[["frame", "present"]].values.tolist() == [["x", 1]]
    assert consensus(three, coder="r")["present"].tolist() == [0, 1]
    with pytest.raises(ValueError, match="Did you mean 'r'"):
        consensus(three, coder="R")
