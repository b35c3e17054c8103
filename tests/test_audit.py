"""Hit audits (issue 18, item 1): stratified, seeded samples of hits; precision with exact
Wilson intervals; errors that name the row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelab import code_frames, load_codebook
from framelab.validate import AUDIT_COLUMNS, AUDIT_SHEET_COLUMNS, audit_sheet, read_audit


@pytest.fixture(scope="module")
def coded(sample_corpus):
    return code_frames(sample_corpus, load_codebook("peace_talks"))


def test_audit_sheet_is_stratified_by_frame_and_group_gh18(coded, tmp_path):
    sheet = audit_sheet(coded, 4, by="perspective", seed=3, out=tmp_path / "a")
    assert tuple(sheet.columns) == AUDIT_SHEET_COLUMNS
    hits = coded.hits[~coded.hits["negated"]]
    group = coded.codes.drop_duplicates("unit_id").set_index("unit_id")["perspective"]
    sizes = hits.assign(g=hits["unit_id"].map(group)).groupby(["frame", "g"]).size()
    drawn = sheet.groupby(["frame", "group"]).agg(n=("audit_id", "size"), s=("stratum_hits", "max"))
    assert len(drawn) == len(sizes)  # every frame x group stratum with hits is in the sheet
    for (frame, g), size in sizes.items():
        assert drawn.loc[(frame, g), "s"] == size
        assert drawn.loc[(frame, g), "n"] == min(4, size)
    # every row is a real hit, drawn once: the match is the text at the hit's offsets
    keyed = hits.set_index(["doc_id", "frame", "term"])
    for row in sheet.head(20).itertuples():
        starts = keyed.loc[[(row.doc_id, row.frame, row.term)], "start"]
        text = coded.texts[row.doc_id]
        assert row.match in {text[s : s + len(row.match)] for s in starts}
    assert sheet["correct"].eq("").all() and sheet["audit_id"].is_unique
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "a.xlsx"]


def test_audit_sheet_reproducible_by_seed_gh18(coded, tmp_path):
    one = audit_sheet(coded, 6, seed=11, out=tmp_path / "one")
    two = audit_sheet(coded, 6, seed=11, out=tmp_path / "two")
    other = audit_sheet(coded, 6, seed=12, out=tmp_path / "three")
    pd.testing.assert_frame_equal(one, two)
    assert not one[["doc_id", "term", "left"]].equals(other[["doc_id", "term", "left"]])
    assert (one.groupby("frame").size() == 6).all()
    assert set(one["group"]) == {"all"}


def _filled(tmp_path, verdicts, terms, hits=200):
    n = len(verdicts)
    sheet = pd.DataFrame(
        {"audit_id": [f"A{i:04d}" for i in range(1, n + 1)], "frame": "ceasefire",
         "group": "all", "stratum_hits": hits, "doc_id": "d1", "unit_id": "d1", "term": terms,
         "left": "", "match": "truce", "right": "", "correct": verdicts, "note": ""}
    )  # fmt: skip
    path = tmp_path / "filled.csv"
    sheet.to_csv(path, index=False)
    return path


def test_read_audit_exact_wilson_on_27_of_30_gh18(tmp_path):
    verdicts = ["yes"] * 27 + ["no", "n", "0"] + [""] * 2  # two hits not read
    terms = ["truce"] * 27 + ["halt*", "halt*", "pause"] + ["truce"] * 2
    table = read_audit(_filled(tmp_path, verdicts, terms))
    assert tuple(table.columns) == AUDIT_COLUMNS
    row = table.iloc[0]
    assert (row["n_hits"], row["n_read"], row["n_correct"]) == (200, 30, 27)
    # Wilson 95% by hand: p = 0.9, z = 1.959964, (p + z^2/60 +- z sqrt(p(1-p)/30 + z^2/3600))
    # / (1 + z^2/30) = [0.743789, 0.965400]
    z = 1.959963984540054
    centre = (0.9 + z**2 / 60) / (1 + z**2 / 30)
    half = z * np.sqrt(0.09 / 30 + z**2 / 3600) / (1 + z**2 / 30)
    assert row["precision"] == pytest.approx(0.9)
    assert (row["precision_low"], row["precision_high"]) == pytest.approx(
        (centre - half, centre + half), abs=1e-12
    )
    assert round(row["precision_low"], 6) == 0.743789
    assert row["false_hits"] == pytest.approx(20.0)
    assert row["false_hits_low"] == pytest.approx(200 * (1 - (centre + half)))
    assert row["false_terms"] == "halt* (2); pause (1)"
    assert row["method"] == "wilson"


def test_read_audit_error_names_the_row_gh18(tmp_path):
    path = _filled(tmp_path, ["yes", "maybe", "no"], ["truce"] * 3)
    with pytest.raises(ValueError, match=r"filled.csv row 3 \(audit_id 'A0002'\): 'correct' must"):
        read_audit(path)
    pd.read_csv(path).drop(columns="stratum_hits").to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"lacks the column\(s\) 'stratum_hits'"):
        read_audit(path)


def test_read_audit_reads_the_filled_xlsx_per_group_gh18(coded, tmp_path):
    from openpyxl import load_workbook

    sheet = audit_sheet(coded, 3, by="perspective", seed=0, out=tmp_path / "x")
    wb = load_workbook(tmp_path / "x.xlsx")
    ws = wb["audit"]
    col = list(AUDIT_SHEET_COLUMNS).index("correct") + 1
    for i in range(len(sheet)):
        ws.cell(row=i + 2, column=col, value="yes" if i % 3 else "no")
    wb.save(tmp_path / "x.xlsx")
    table = read_audit(tmp_path / "x.xlsx")
    expect = sheet.assign(ok=[0 if i % 3 == 0 else 1 for i in range(len(sheet))])
    per = expect.groupby(["frame", "group"], sort=False)["ok"].agg(["size", "sum"])
    assert table[["n_read", "n_correct"]].to_numpy().tolist() == per.to_numpy().tolist()
