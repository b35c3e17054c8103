"""Tests of framelab.validate (issue 9) and framelab.plots_validation."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from framelab import plots_validation as pv
from framelab._errors import NotFittedError
from framelab.datasets import FRAMES, load_sample_gold
from framelab.text import tokenize
from framelab.validate import (
    ACCURACY_COLUMNS,
    AGREEMENT_COLUMNS,
    CI_WIDTH_COLUMNS,
    CODINGS_COLUMNS,
    ERROR_COLUMNS,
    FRAME_CODES_COLUMNS,
    SupervisedBaseline,
    accuracy,
    agreement,
    as_codings,
    ci_width_by_n,
    coding_sheet,
    coding_units,
    consensus,
    errors,
    krippendorff_alpha,
    read_codings,
)

# --------------------------------------------------------------------------- small fixtures

TINY_CORPUS = pd.DataFrame(
    {
        "doc_id": ["d1", "d2", "d3"],
        "text": ["A truce was agreed.\n\nTalks resume.", "Aid fatigue grows.", "=SUM(A1) is text"],
        "outlet": ["X", "Y", "X"],
        "title": ["t1", "t2", "t3"],
        "url": ["u1", "u2", "u3"],
        "source_file": ["f", "f", "f"],
        "perspective": ["us", "uk_eu", "us"],
    }
)


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


# Known-answer table for accuracy (worked out by hand, see test_accuracy_known_answers).
GOLD_TINY = pd.DataFrame(
    {
        "unit_id": [f"u{i}" for i in range(6)] * 2,
        "frame": ["x"] * 6 + ["y"] * 6,
        "present": [1, 1, 1, 0, 0, 0] + [1, 0, 0, 0, 0, 0],
    }
)
CODES_TINY = GOLD_TINY.assign(present=[1, 1, 0, 1, 0, 0] + [0, 0, 0, 0, 0, 0])

# A crude stand-in dictionary for the sample (until the coding engine is wired into these tests).
STAND_IN = {
    "ceasefire": r"ceasefire|cease-fire|truce|armistice",
    "negotiations": r"talks|negotiat|envoy|mediat",
    "concessions": r"concession|cede|territor",
    "security_guarantees": r"guarantee|assurance|article 5",
    "support_fatigue": r"fatigue|funding|aid package",
    "stalemate": r"stalemate|deadlock|attrition",
    "escalation": r"escalat|nuclear|spillover",
    "eu_accession": r"accession|candidate status|membership talks",
    "civil_military": r"commander|general staff",
}


@pytest.fixture(scope="module")
def gold_paragraphs():
    return load_sample_gold("paragraph")


@pytest.fixture(scope="module")
def coder2():
    return load_sample_gold("paragraph", coder=2)


@pytest.fixture(scope="module")
def stand_in_codes(sample_corpus):
    units = coding_units(sample_corpus, "paragraph")
    rows = []
    for unit in units.itertuples(index=False):
        n_tokens = len(tokenize(unit.text, words_only=True))
        for frame, pattern in STAND_IN.items():
            count = len(re.findall(pattern, unit.text, flags=re.IGNORECASE))
            rows.append(
                (
                    unit.doc_id,
                    unit.unit_id,
                    "paragraph",
                    frame,
                    count,
                    n_tokens,
                    1000 * count / n_tokens if n_tokens else 0.0,
                    int(count > 0),
                    "stand-in@0",
                )
            )
    return pd.DataFrame(rows, columns=list(FRAME_CODES_COLUMNS))


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


# --------------------------------------------------------------------------- coding units/sheets


def test_coding_units_paragraph_ids_match_sample_gold(sample_corpus, gold_paragraphs):
    units = coding_units(sample_corpus, "paragraph")
    assert set(units["unit_id"]) == set(gold_paragraphs["unit_id"])
    assert units["unit_id"].is_unique
    assert list(units.columns[:4]) == ["doc_id", "unit_id", "level", "text"]
    assert {"title", "url", "source_file"}.isdisjoint(units.columns)
    assert "perspective" in units.columns


def test_coding_units_tiny_paragraphs():
    units = coding_units(TINY_CORPUS, "paragraph")
    assert units["unit_id"].tolist() == ["d1-p0", "d1-p1", "d2-p0", "d3-p0"]
    assert units["text"].tolist()[:2] == ["A truce was agreed.", "Talks resume."]
    assert units["outlet"].tolist() == ["X", "X", "Y", "X"]
    docs = coding_units(TINY_CORPUS, "document")
    assert docs["unit_id"].tolist() == ["d1", "d2", "d3"]
    with pytest.raises(ValueError, match="level must be one of"):
        coding_units(TINY_CORPUS, "sentence")


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


# --------------------------------------------------------------------------- reading codings


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


# --------------------------------------------------------------------------- conversions


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


# --------------------------------------------------------------------------- agreement


def _example(shared_fixtures):
    """Krippendorff (2011) worked example; the CSV is long: coder, unit, value (units 1-12)."""
    long = pd.read_csv(shared_fixtures / "krippendorff_2011_example.csv")
    assert list(long.columns) == ["coder", "unit", "value"]
    matrix = long.pivot(index="coder", columns="unit", values="value").reindex(columns=range(1, 13))
    return long, matrix


@pytest.mark.parametrize(
    ("metric", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_alpha_published_example(shared_fixtures, metric, published):
    import krippendorff

    _, matrix = _example(shared_fixtures)
    assert matrix.shape == (4, 12)
    alpha = krippendorff_alpha(matrix.to_numpy(), metric)
    assert alpha == pytest.approx(published, abs=5e-4)
    # krippendorff.alpha(reliability_data=matrix, level_of_measurement=metric), package 0.9.0
    reference = krippendorff.alpha(
        reliability_data=matrix.to_numpy(dtype=float), level_of_measurement=metric
    )
    assert alpha == pytest.approx(reference, abs=1e-12)


def test_krippendorff_alpha_matches_nltk_annotation_task(shared_fixtures):
    from nltk.metrics.agreement import AnnotationTask
    from nltk.metrics.distance import interval_distance

    long, matrix = _example(shared_fixtures)
    triples = [(c, str(u), v) for c, u, v in long.itertuples(index=False)]
    assert krippendorff_alpha(matrix.to_numpy(), "nominal") == pytest.approx(
        AnnotationTask(data=triples).alpha(), abs=1e-12
    )
    assert krippendorff_alpha(matrix.to_numpy(), "interval") == pytest.approx(
        AnnotationTask(data=triples, distance=interval_distance).alpha(), abs=1e-12
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_krippendorff_alpha_random_data_matches_package(seed):
    import krippendorff

    rng = np.random.default_rng(seed)
    data = rng.integers(1, 6, size=(3, 40)).astype(float)
    data[:, :30] = data[0, :30] + (rng.random((3, 30)) < 0.2)  # mostly agreeing units
    data[rng.random(data.shape) < 0.15] = np.nan
    for metric in ("nominal", "ordinal", "interval", "ratio"):
        assert krippendorff_alpha(data, metric) == pytest.approx(
            krippendorff.alpha(reliability_data=data, level_of_measurement=metric), abs=1e-10
        )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([0.0, 1.0, 2.0, np.nan]), min_size=6, max_size=6),
        min_size=2,
        max_size=4,
    ),
    st.sampled_from(["nominal", "ordinal", "interval"]),
)
def test_krippendorff_alpha_property_matches_package_and_ignores_order(rows, metric):
    import krippendorff

    data = np.array(rows)
    pairable = data[:, np.sum(~np.isnan(data), axis=0) >= 2]
    assume(len(np.unique(pairable[~np.isnan(pairable)])) >= 2)  # else alpha is undefined
    alpha = krippendorff_alpha(data, metric)
    shuffled = data[::-1, ::-1]  # coder and unit order do not matter
    assert krippendorff_alpha(shuffled, metric) == pytest.approx(alpha, abs=1e-12, nan_ok=True)
    reference = krippendorff.alpha(reliability_data=data, level_of_measurement=metric)
    assert alpha == pytest.approx(reference, abs=1e-9, nan_ok=True)


def test_krippendorff_alpha_strings_and_errors():
    # nominal labels as strings: perfect agreement on 3 units with 2 categories -> 1
    assert krippendorff_alpha([["a", "b", "a"], ["a", "b", "a"]]) == 1.0
    assert np.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))  # no variation: undefined
    with pytest.raises(ValueError, match="metric must be one of"):
        krippendorff_alpha([[1, 2]], "cosine")
    with pytest.raises(ValueError, match="needs numeric values"):
        krippendorff_alpha([["a", "b"], ["a", "a"]], "interval")


def test_agreement_two_coders_known_values():
    from sklearn.metrics import cohen_kappa_score

    c1 = [1, 1, 0, 0, 1, 0, 0, 0, 1, 0]
    c2 = [1, 0, 0, 0, 1, 0, 1, 0, 1, 0]
    codings = pd.DataFrame(
        {
            "unit_id": [f"u{i}" for i in range(10)] * 2,
            "doc_id": "d",
            "coder": ["a"] * 10 + ["b"] * 10,
            "frame": "x",
            "value": np.array(c1 + c2, dtype=float),
        }
    )
    table = agreement(codings, n_boot=300, seed=1)
    assert list(table.columns) == list(AGREEMENT_COLUMNS)
    row = table.iloc[0]
    assert row["percent_agreement"] == pytest.approx(0.8)  # 8 of 10 units agree
    # nominal alpha by hand: o_00 = 10, o_11 = 6, o_01 = o_10 = 2; n_0 = 12, n_1 = 8, n = 20
    # alpha = 1 - (n - 1) * (o_01 + o_10) / (2 n_0 n_1) = 1 - 19 * 4 / 192
    assert row["alpha"] == pytest.approx(1 - 19 * 4 / 192)
    assert row["kappa"] == pytest.approx(cohen_kappa_score(c1, c2))  # 0.5833...
    assert (row["n_units"], row["n_coders"], row["metric"]) == (10, 2, "nominal")
    assert row["ci_low"] <= row["alpha"] <= row["ci_high"] <= 1.0
    pd.testing.assert_frame_equal(table, agreement(codings, n_boot=300, seed=1))
    assert agreement(codings, n_boot=300, seed=2)["ci_low"].iloc[0] != row["ci_low"]


def test_agreement_three_coders_missing_and_undefined():
    import krippendorff

    codings = pd.DataFrame(
        {
            "unit_id": ["a", "b", "c", "d"] * 3 + ["a", "b"] * 3,
            "doc_id": "x",
            "coder": ["p"] * 4 + ["q"] * 4 + ["r"] * 4 + ["p", "p", "q", "q", "r", "r"],
            "frame": ["f"] * 12 + ["zero"] * 6,
            "value": [1, 0, 1, np.nan, 1, 0, 0, 1, 1, 1, 0, 0] + [0] * 6,
        }
    )
    table = agreement(codings, n_boot=100).set_index("frame")
    matrix = [[1, 0, 1, np.nan], [1, 0, 0, 1], [1, 1, 0, 0]]
    assert table.loc["f", "alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    )
    assert np.isnan(table.loc["f", "kappa"])  # three coders: no Cohen's kappa
    # pairs: a 3 agree of 3, b 1 of 3, c 1 of 3, d (q, r) 0 of 1 -> 5 / 10
    assert table.loc["f", "percent_agreement"] == pytest.approx(0.5)
    assert table.loc["f", "n_units"] == 4
    assert np.isnan(table.loc["zero", "alpha"]) and table.loc["zero", "percent_agreement"] == 1.0


def test_agreement_sample_coder1_vs_simulated_coder2(gold_paragraphs, coder2):
    import krippendorff

    both = pd.concat([as_codings(gold_paragraphs, "coder1"), as_codings(coder2, "coder2")])
    table = agreement(both, n_boot=200, seed=0)
    assert table["frame"].tolist() == list(FRAMES)
    assert (table["n_units"] == coder2["unit_id"].nunique()).all()
    assert (table["n_coders"] == 2).all()
    units = sorted(coder2["unit_id"].unique())
    for frame in FRAMES:
        matrix = [
            gold_paragraphs[gold_paragraphs["frame"] == frame]
            .set_index("unit_id")
            .loc[units, "present"]
            .to_numpy(float),
            coder2[coder2["frame"] == frame]
            .set_index("unit_id")
            .loc[units, "present"]
            .to_numpy(float),
        ]
        row = table.set_index("frame").loc[frame]
        assert row["alpha"] == pytest.approx(
            krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
        )
        assert row["ci_low"] <= row["alpha"] <= row["ci_high"]
    with pytest.raises(ValueError, match=r"looks like a gold or FrameCodes table.*as_codings"):
        agreement(gold_paragraphs)


# --------------------------------------------------------------------------- accuracy


def test_accuracy_known_answers():
    table = accuracy(CODES_TINY, GOLD_TINY, n_boot=200).set_index("frame")
    assert list(table.reset_index().columns) == list(ACCURACY_COLUMNS)
    # x: tp 2, fp 1, fn 1 -> P = R = F1 = 2/3
    assert table.loc["x", ["tp", "fp", "fn", "support", "n_units"]].tolist() == [2, 1, 1, 3, 6]
    assert table.loc["x", ["precision", "recall", "f1"]].tolist() == pytest.approx([2 / 3] * 3)
    # y: tp 0, fp 0, fn 1 -> precision undefined, recall 0, F1 0
    assert np.isnan(table.loc["y", "precision"])
    assert table.loc["y", ["recall", "f1"]].tolist() == [0.0, 0.0]
    # macro: mean of defined per-frame values; micro: pooled tp 2, fp 1, fn 2
    assert table.loc["macro", ["precision", "recall", "f1"]].tolist() == pytest.approx(
        [2 / 3, 1 / 3, 1 / 3]
    )
    assert table.loc["micro", ["precision", "recall", "f1"]].tolist() == pytest.approx(
        [2 / 3, 1 / 2, 4 / 7]
    )
    assert table.loc["micro", ["tp", "fp", "fn", "support"]].tolist() == [2, 1, 2, 4]
    assert (table["level"] == "document").all() and (table["codebook"] == "codes").all()
    for metric in ("precision", "recall", "f1"):
        ok = table[metric].notna()
        assert (table.loc[ok, f"{metric}_low"] <= table.loc[ok, metric] + 1e-12).all()
        assert (table.loc[ok, metric] <= table.loc[ok, f"{metric}_high"] + 1e-12).all()


def test_accuracy_bootstrap_seeded():
    first = accuracy(CODES_TINY, GOLD_TINY, n_boot=200, seed=4)
    pd.testing.assert_frame_equal(first, accuracy(CODES_TINY, GOLD_TINY, n_boot=200, seed=4))
    other = accuracy(CODES_TINY, GOLD_TINY, n_boot=200, seed=5)
    assert not np.allclose(first["f1_low"], other["f1_low"], equal_nan=True) or not np.allclose(
        first["f1_high"], other["f1_high"], equal_nan=True
    )


def test_accuracy_sample_matches_sklearn(stand_in_codes, gold_paragraphs):
    from sklearn.metrics import precision_recall_fscore_support

    table = accuracy(stand_in_codes, gold_paragraphs, n_boot=100).set_index("frame")
    assert table.loc[list(FRAMES), "codebook"].eq("stand-in@0").all()
    assert (table["level"] == "paragraph").all()
    merged = gold_paragraphs.merge(
        stand_in_codes, on=["unit_id", "frame"], suffixes=("_gold", "_code")
    )
    for frame in FRAMES:
        part = merged[merged["frame"] == frame]
        # precision_recall_fscore_support(y_true, y_pred, average="binary", zero_division=nan)
        p, r, f, _ = precision_recall_fscore_support(
            part["present_gold"], part["present_code"], average="binary", zero_division=np.nan
        )
        assert table.loc[frame, ["precision", "recall", "f1"]].tolist() == pytest.approx(
            [p, r, f], nan_ok=True
        )
        assert table.loc[frame, "support"] == part["present_gold"].sum()
    p, r, f, _ = precision_recall_fscore_support(
        merged.pivot(index="unit_id", columns="frame", values="present_gold")[list(FRAMES)],
        merged.pivot(index="unit_id", columns="frame", values="present_code")[list(FRAMES)],
        average="micro",
    )
    assert table.loc["micro", ["precision", "recall", "f1"]].tolist() == pytest.approx([p, r, f])


def test_accuracy_input_errors(stand_in_codes, gold_paragraphs):
    doc_gold = load_sample_gold("document")
    with pytest.raises(ValueError, match=r"have no code .*Code the same units as the gold"):
        accuracy(stand_in_codes, doc_gold, n_boot=10)
    with pytest.raises(ValueError, match="codes hold no 'document' units"):
        accuracy(stand_in_codes, gold_paragraphs, level="document", n_boot=10)
    renamed = stand_in_codes.replace({"frame": {"ceasefire": "ceasfire"}})
    with pytest.raises(
        ValueError, match="gold frame 'ceasefire' has no codes. Did you mean 'ceasfire'"
    ):
        accuracy(renamed, gold_paragraphs, n_boot=10)
    with pytest.raises(ValueError, match="'present' must be 0 or 1"):
        accuracy(CODES_TINY.assign(present=2), GOLD_TINY, n_boot=10)
    with pytest.raises(ValueError, match="n_boot must be a positive integer"):
        accuracy(CODES_TINY, GOLD_TINY, n_boot=0)
    # gold units not coded (missing) are left out, not counted as 0
    partial = GOLD_TINY.astype({"present": float})
    partial.loc[0, "present"] = np.nan
    table = accuracy(CODES_TINY, partial, n_boot=10).set_index("frame")
    assert table.loc["x", ["tp", "n_units"]].tolist() == [1, 5]


def test_errors_lists_false_positives_and_negatives_with_terms():
    table = errors(CODES_TINY, GOLD_TINY)
    assert list(table.columns) == list(ERROR_COLUMNS)
    assert table[["unit_id", "frame", "error"]].values.tolist() == [
        ["u3", "x", "false_positive"],
        ["u2", "x", "false_negative"],
        ["u0", "y", "false_negative"],
    ]
    assert table["terms"].isna().all()
    hits = pd.DataFrame(
        {
            "doc_id": ["u3", "u3", "u3", "u2"],
            "unit_id": ["u3", "u3", "u3", "u2"],
            "frame": ["x", "x", "x", "x"],
            "term": ["truce", "armistice", "truce", "ceasefire"],
            "start": [20, 3, 40, 0],
            "end": [25, 12, 45, 9],
            "negated": [False, False, False, True],
        }
    )
    with_terms = errors(CODES_TINY, GOLD_TINY, hits=hits)
    assert with_terms["terms"].tolist() == [("armistice", "truce"), ("ceasefire (negated)",), ()]


# --------------------------------------------------------------------------- supervised baseline

SEPARABLE = pd.DataFrame(
    {
        "unit_id": [f"u{i}" for i in range(8)],
        "text": [
            "the truce holds",
            "a truce was signed",
            "truce talks",
            "new truce today",
            "aid fatigue",
            "fatigue over aid",
            "aid funding gap",
            "donor fatigue grows",
        ],
    }
)
SEPARABLE_GOLD = pd.DataFrame(
    {
        "unit_id": [f"u{i}" for i in range(8)] * 2,
        "frame": ["ceasefire"] * 8 + ["support_fatigue"] * 8,
        "present": [1, 1, 1, 1, 0, 0, 0, 0] + [0, 0, 0, 0, 1, 1, 1, 1],
    }
)


def test_supervised_baseline_predict_codes_is_frame_codes():
    model = SupervisedBaseline(min_df=1)
    with pytest.raises(NotFittedError, match=r"call \.fit\(units, gold\) first"):
        model.predict_codes(TINY_CORPUS)
    model.fit(SEPARABLE, SEPARABLE_GOLD)
    assert model.frames_ == ["ceasefire", "support_fatigue"]
    codes = model.predict_codes(TINY_CORPUS, level="paragraph")
    assert list(codes.columns) == [*FRAME_CODES_COLUMNS, "outlet", "perspective"]
    assert codes["unit_id"].tolist() == [
        "d1-p0",
        "d1-p0",
        "d1-p1",
        "d1-p1",
        "d2-p0",
        "d2-p0",
        "d3-p0",
        "d3-p0",
    ]
    wide = codes.pivot(index="unit_id", columns="frame", values="present")
    assert wide.loc["d1-p0"].tolist() == [1, 0] and wide.loc["d2-p0"].tolist() == [0, 1]
    assert (codes["count"] == codes["present"]).all()
    assert codes["n_tokens"].tolist()[:2] == [4, 4]  # "A truce was agreed."
    assert codes["per_1k"].tolist()[:2] == [250.0, 0.0]
    assert codes["codebook"].str.fullmatch(r"supervised-baseline@\d+\.\d+\.\d+.*").all()
    assert (codes["level"] == "paragraph").all()


def test_supervised_baseline_cross_validate_seeded_and_identical(sample_corpus):
    gold = load_sample_gold("document")
    first = SupervisedBaseline(random_state=3).cross_validate(
        sample_corpus, gold, folds=3, n_boot=50
    )
    second = SupervisedBaseline(random_state=3).cross_validate(
        sample_corpus, gold, folds=3, n_boot=50
    )
    pd.testing.assert_frame_equal(first, second)
    assert list(first.columns) == list(ACCURACY_COLUMNS)
    assert first["frame"].tolist() == [*FRAMES, "macro", "micro"]
    support = gold.groupby("frame")["present"].sum()
    assert (
        first.set_index("frame").loc[list(FRAMES), "support"].tolist()
        == support.loc[list(FRAMES)].tolist()
    )
    assert first["f1"].iloc[-1] > 0.5  # the model learns the planted frames
    other = SupervisedBaseline(random_state=3).cross_validate(
        sample_corpus, gold, folds=3, seed=11, n_boot=50
    )
    assert not first["tp"].equals(other["tp"]) or not first["fp"].equals(other["fp"])


def test_supervised_baseline_paragraph_folds_and_errors(sample_corpus, gold_paragraphs):
    docs = sample_corpus.iloc[:60]
    units = coding_units(docs, "paragraph")
    gold = gold_paragraphs[gold_paragraphs["unit_id"].isin(units["unit_id"])]
    table = SupervisedBaseline().cross_validate(units, gold, folds=4, n_boot=20)
    assert (table["level"] == "paragraph").all()
    assert table.set_index("frame").loc["micro", "n_units"] == units["unit_id"].nunique()
    with pytest.raises(
        ValueError, match="folds must be an integer from 2 to the number of doc_id groups"
    ):
        SupervisedBaseline().cross_validate(units, gold, folds=1)
    with pytest.raises(
        ValueError,
        match=r"gold unit\(s\) are not among the units.*level="
        r"'paragraph'",
    ):
        SupervisedBaseline().fit(docs, gold)
    with pytest.raises(ValueError, match="threshold must be between 0 and 1"):
        SupervisedBaseline(threshold=1.5).fit(units, gold)


def test_supervised_baseline_group_by_text_keeps_identical_paragraphs_together(
    sample_corpus, gold_paragraphs
):
    """The sample reuses bank paragraphs across reports: grouping folds by document lets the
    model be tested on paragraphs it was trained on; grouping by text prevents that."""
    units = coding_units(sample_corpus, "paragraph")
    by_doc = SupervisedBaseline().cross_validate(units, gold_paragraphs, folds=5, n_boot=20)
    by_text = SupervisedBaseline().cross_validate(
        units, gold_paragraphs, folds=5, n_boot=20, group_by="text"
    )
    micro = lambda t: t.set_index("frame").loc["micro", "f1"]  # noqa: E731
    assert micro(by_text) < micro(by_doc) - 0.05
    with pytest.raises(KeyError, match="group_by='txt' is not a column"):
        SupervisedBaseline().cross_validate(units, gold_paragraphs, group_by="txt")


@pytest.fixture
def small_cv(sample_corpus, gold_paragraphs):
    """Paragraph units and gold of the first 20 reports (small, so each fit is quick)."""
    units = coding_units(sample_corpus.iloc[:20], "paragraph")
    gold = gold_paragraphs[gold_paragraphs["unit_id"].isin(units["unit_id"])]
    return units, gold.reset_index(drop=True)


@pytest.fixture
def count_fits(monkeypatch):
    """How many times a fold model is fitted."""
    calls = []
    fit_arrays = SupervisedBaseline._fit_arrays

    def counting(self, texts, y):
        calls.append(len(texts))
        return fit_arrays(self, texts, y)

    monkeypatch.setattr(SupervisedBaseline, "_fit_arrays", counting)
    return calls


def test_supervised_baseline_cross_validate_cache_hit_is_identical(small_cv, tmp_path, count_fits):
    units, gold = small_cv
    plain = SupervisedBaseline(random_state=5).cross_validate(units, gold, folds=3, n_boot=30)
    assert len(count_fits) == 3
    first = SupervisedBaseline(random_state=5).cross_validate(
        units, gold, folds=3, n_boot=30, cache_dir=tmp_path
    )
    again = SupervisedBaseline(random_state=5).cross_validate(
        units, gold, folds=3, n_boot=30, cache_dir=tmp_path
    )
    assert len(count_fits) == 6  # the second cached call fitted nothing
    pd.testing.assert_frame_equal(first, plain, check_exact=True)
    pd.testing.assert_frame_equal(again, plain, check_exact=True)
    files = sorted(p.name for p in (tmp_path / "supervised_cv").rglob("*") if p.is_file())
    assert files == ["accuracy.parquet", "cache.json"]  # Parquet + JSON, no pickle


@pytest.mark.parametrize(
    "change",
    [
        {"seed": 6},
        {"folds": 4},
        {"n_boot": 31},
        {"group_by": "text"},
        {"model": {"C": 0.5}},
        {"model": {"min_df": 1}},
        {"data": "gold"},
        {"data": "units"},
    ],
)
def test_supervised_baseline_cross_validate_cache_misses_on_any_change(
    small_cv, tmp_path, count_fits, change
):
    units, gold = small_cv
    kwargs = {"folds": 3, "n_boot": 30, "seed": 5, "group_by": "doc_id"}
    SupervisedBaseline().cross_validate(units, gold, **kwargs, cache_dir=tmp_path)
    model = SupervisedBaseline(**change.get("model", {}))
    kwargs.update({k: v for k, v in change.items() if k not in ("model", "data")})
    if change.get("data") == "gold":  # one label flipped
        gold = gold.assign(present=gold["present"].where(gold.index != 0, 1 - gold["present"]))
    if change.get("data") == "units":  # one text changed
        units = units.assign(text=units["text"].where(units.index != 0, "A truce was agreed."))
    n_before = len(count_fits)
    changed = model.cross_validate(units, gold, **kwargs, cache_dir=tmp_path)
    assert len(count_fits) > n_before  # recomputed, not read from the cache
    pd.testing.assert_frame_equal(changed, model.cross_validate(units, gold, **kwargs))
    assert len(list((tmp_path / "supervised_cv").iterdir())) == 2


def test_supervised_baseline_cross_validate_corrupt_cache_is_recomputed(
    small_cv, tmp_path, caplog, count_fits
):
    units, gold = small_cv
    first = SupervisedBaseline().cross_validate(units, gold, folds=3, n_boot=30, cache_dir=tmp_path)
    (entry,) = (tmp_path / "supervised_cv").iterdir()
    (entry / "accuracy.parquet").write_bytes(b"PAR1 truncated")
    with caplog.at_level("WARNING"):
        again = SupervisedBaseline().cross_validate(
            units, gold, folds=3, n_boot=30, cache_dir=tmp_path
        )
    assert "damaged accuracy.parquet" in caplog.text and len(count_fits) == 6
    pd.testing.assert_frame_equal(again, first, check_exact=True)
    caplog.clear()
    SupervisedBaseline().cross_validate(units, gold, folds=3, n_boot=30, cache_dir=tmp_path)
    assert len(count_fits) == 6 and not caplog.text  # the entry was rewritten


# --------------------------------------------------------------------------- guidance


def test_ci_width_by_n_shrinks_with_n(stand_in_codes, gold_paragraphs):
    table = ci_width_by_n(
        stand_in_codes, gold_paragraphs, sizes=[50, 200, 10**6], n_rep=8, n_boot=150, seed=0
    )
    assert list(table.columns) == list(CI_WIDTH_COLUMNS)
    assert sorted(table["n"].unique()) == [50, 200]  # sizes above the units at hand are skipped
    assert table["frame"].unique().tolist() == [*FRAMES, "micro"]
    micro = table[table["frame"] == "micro"].set_index("n")["width"]
    # CI width shrinks roughly like 1/sqrt(n): 4x the units, about half the width
    assert 1.5 < micro[50] / micro[200] < 2.7
    again = ci_width_by_n(stand_in_codes, gold_paragraphs, sizes=[50, 200], n_rep=8, n_boot=150)
    pd.testing.assert_frame_equal(table, again)


def test_ci_width_by_n_alpha_synthetic_coders():
    rng = np.random.default_rng(0)
    truth = (rng.random((400, 2)) < 0.4).astype(float)
    noisy = np.where(rng.random(truth.shape) < 0.1, 1 - truth, truth)
    codings = pd.concat(
        [
            pd.DataFrame(
                {
                    "unit_id": np.repeat([f"u{i}" for i in range(400)], 2),
                    "doc_id": "d",
                    "coder": coder,
                    "frame": np.tile(["x", "y"], 400),
                    "value": values.reshape(-1),
                }
            )
            for coder, values in (("a", truth), ("b", noisy))
        ]
    )
    table = ci_width_by_n(codings, statistic="alpha", sizes=[50, 200], n_rep=6, n_boot=150)
    assert list(table.columns) == list(CI_WIDTH_COLUMNS)
    assert table[["statistic", "frame", "n"]].values.tolist() == [
        ["alpha", "x", 50],
        ["alpha", "y", 50],
        ["alpha", "x", 200],
        ["alpha", "y", 200],
    ]
    assert (table["undefined"] == 0).all() and (table["n_rep"] == 6).all()
    wide = table.pivot(index="frame", columns="n", values="width")
    assert ((wide[50] / wide[200]).between(1.5, 2.7)).all()  # ~ sqrt(200 / 50) = 2


def test_ci_width_by_n_alpha_sample_rare_frames_flagged(gold_paragraphs, coder2):
    both = pd.concat([as_codings(gold_paragraphs, "coder1"), as_codings(coder2, "coder2")])
    n_all = coder2["unit_id"].nunique()
    table = ci_width_by_n(both, statistic="alpha", sizes=[20, n_all], n_rep=5, n_boot=100)
    assert table["frame"].tolist() == [*FRAMES, *FRAMES]
    undefined = table.pivot(index="frame", columns="n", values="undefined")
    assert (undefined[20] >= undefined[n_all]).all() and undefined[20].max() > 0
    with pytest.raises(ValueError, match="needs gold labels"):
        ci_width_by_n(both)
    with pytest.raises(ValueError, match="statistic must be 'f1' or 'alpha'"):
        ci_width_by_n(both, statistic="kappa")


# --------------------------------------------------------------------------- plots


def test_plot_agreement_draws_on_given_axes():
    import matplotlib.pyplot as plt

    table = pd.DataFrame(
        {
            "frame": ["a", "b", "c"],
            "alpha": [0.9, 0.6, np.nan],
            "ci_low": [0.8, 0.4, np.nan],
            "ci_high": [0.95, 0.7, np.nan],
            "metric": "nominal",
        }
    )
    _, ax = plt.subplots()
    out = pv.plot_agreement(table, ax=ax, title="Agreement")
    assert out is ax
    assert ax.get_title() == "Agreement" and ax.get_ylabel() == "Frame"
    assert ax.get_xlabel() == "Krippendorff's alpha (nominal), bootstrap CI"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c"]
    points = ax.lines[0].get_xydata()
    assert points.tolist() == [[0.9, 2.0], [0.6, 1.0]]  # NaN alpha is not drawn
    assert ax.lines[0].get_color() == pv.OKABE_ITO[0]
    with pytest.raises(ValueError, match="no 'alpha' column"):
        pv.plot_agreement(table.drop(columns="alpha"))


def test_plot_accuracy_dodges_codebooks():
    import matplotlib.pyplot as plt

    one = accuracy(CODES_TINY, GOLD_TINY, n_boot=50)
    two = one.assign(codebook="baseline@1")
    _, ax = plt.subplots()
    out = pv.plot_accuracy(pd.concat([one, two]), metric="recall", ax=ax)
    assert out is ax
    assert ax.get_title() == "Recall against gold labels"
    assert ax.get_xlabel().startswith("Recall") and ax.get_ylabel() == "Frame"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["codes", "baseline@1"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x", "y", "macro", "micro"]
    assert len(ax.lines) >= 2 and ax.lines[0].get_color() != ax.lines[-1].get_color()
    with pytest.raises(ValueError, match="metric must be one of"):
        pv.plot_accuracy(one, metric="auc")


def test_plot_ci_width_one_line_per_frame():
    import matplotlib.pyplot as plt

    table = pd.DataFrame(
        {
            "statistic": "alpha",
            "frame": ["a"] * 3 + ["b"] * 3,
            "n": [25, 50, 100] * 2,
            "width": [0.5, 0.35, 0.25, 0.6, 0.4, 0.3],
            "width_sd": 0.02,
            "n_rep": 10,
            "undefined": 0.0,
        }
    )
    _, ax = plt.subplots()
    assert pv.plot_ci_width(table, ax=ax) is ax
    assert [line.get_label() for line in ax.lines] == ["a", "b"]
    assert ax.lines[1].get_ydata().tolist() == [0.6, 0.4, 0.3]
    assert ax.get_xlabel() == "Hand-coded units (n)"
    assert ax.get_title() == "How precise is alpha with n coded units?"
