"""Validation sample design (issue 18, item 3): stratified sheets with inclusion probabilities
that travel through read_codings and consensus into corrected prevalence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelab.validate import coding_sheet, consensus, read_codings
from framelab.validate._design import allocate


def _corpus():
    # outlet A: 40 documents, B: 10; dates in two months for each
    n_a, n_b = 40, 10
    ids = [f"d{i:03d}" for i in range(n_a + n_b)]
    dates = pd.to_datetime(["2024-01-10", "2024-02-10"] * ((n_a + n_b) // 2))
    return pd.DataFrame(
        {"doc_id": ids, "text": [f"Text number {i}." for i in range(n_a + n_b)],
         "outlet": ["A"] * n_a + ["B"] * n_b, "date": dates}
    )  # fmt: skip


def test_allocate_equal_and_proportional_by_hand_gh18():
    sizes = pd.Series({"A|2024-01": 20, "A|2024-02": 20, "B|2024-01": 5, "B|2024-02": 5})
    assert allocate(sizes, 20, "proportional").tolist() == [8, 8, 2, 2]
    assert allocate(sizes, 20, "equal").tolist() == [5, 5, 5, 5]
    assert allocate(sizes, 30, "equal").tolist() == [10, 10, 5, 5]  # B capped at its 5 + 5
    assert allocate(sizes, 31, "equal").tolist() == [11, 10, 5, 5]


def test_coding_sheet_equal_allocation_records_inclusion_prob_gh18(tmp_path):
    corpus = _corpus()
    sheet = coding_sheet(corpus, ["ceasefire"], n=12, stratify_by="outlet", period="M",
                         allocation="equal", seed=4, out=tmp_path / "s")  # fmt: skip
    meta = corpus.set_index("doc_id").loc[sheet["doc_id"]]
    strata = meta["outlet"] + "|" + meta["date"].dt.to_period("M").astype(str)
    assert strata.value_counts().sort_index().tolist() == [3, 3, 3, 3]
    # A's months hold 20 documents each (pi = 3/20), B's months 5 each (pi = 3/5)
    expect = np.where(meta["outlet"] == "A", 3 / 20, 3 / 5)
    assert sheet["inclusion_prob"].to_numpy() == pytest.approx(expect, abs=1e-15)
    again = coding_sheet(corpus, ["ceasefire"], n=12, stratify_by="outlet", period="M",
                         allocation="equal", seed=4, out=tmp_path / "t")  # fmt: skip
    pd.testing.assert_frame_equal(sheet, again)
    plain = coding_sheet(corpus, ["ceasefire"], n=10, seed=4, out=tmp_path / "u")
    assert plain["inclusion_prob"].tolist() == [0.2] * 10  # simple random sample: n / N
    with pytest.raises(ValueError, match="Did you mean allocation='equal'"):
        coding_sheet(corpus, ["ceasefire"], n=4, allocation="equl", out=tmp_path / "v")


def test_inclusion_prob_travels_to_gold_and_weights_prevalence_gh18(tmp_path):
    ppi_py = pytest.importorskip("ppi_py")
    from framelab.compare import prevalence

    corpus = _corpus()
    sheet = coding_sheet(corpus, ["ceasefire"], n=12, stratify_by="outlet", allocation="equal",
                         seed=1, out=tmp_path / "sheet")  # fmt: skip
    filled = pd.read_csv(tmp_path / "sheet.csv", encoding="utf-8-sig")
    truth = (np.arange(len(filled)) % 3 == 0).astype(int)
    filled["ceasefire"] = truth
    filled.to_csv(tmp_path / "sheet_ann.csv", index=False)
    gold = consensus(read_codings(tmp_path / "sheet_ann.csv", sample=sheet))
    assert gold.set_index("unit_id")["inclusion_prob"].to_dict() == pytest.approx(
        sheet.set_index("unit_id")["inclusion_prob"].to_dict()
    )
    yhat = (np.arange(len(corpus)) % 2 == 0).astype(int)
    codes = pd.DataFrame({"doc_id": corpus["doc_id"], "unit_id": corpus["doc_id"],
                          "level": "document", "frame": "ceasefire", "present": yhat})  # fmt: skip
    row = prevalence(codes, gold=gold, correction="ppi", min_gold=2).iloc[0]
    g = gold.set_index("unit_id").loc[codes["unit_id"][codes["unit_id"].isin(gold["unit_id"])]]
    picked = codes.set_index("unit_id").loc[g.index, "present"].to_numpy(float)
    low, high = ppi_py.ppi_mean_ci(g["present"].to_numpy(float), picked, yhat * 1.0,
                                   alpha=0.05, lam=1, w=1 / g["inclusion_prob"].to_numpy())  # fmt: skip
    # framelab widens ppi-python's normal interval to the t quantile on n_gold - 1 df (gh19)
    # and clips it to [0, 1] (a share); ppi-python does not
    from scipy.stats import norm, t

    mid, half = (low[0] + high[0]) / 2, (high[0] - low[0]) / 2 * t.ppf(0.975, 11) / norm.ppf(0.975)
    expect = (max(0.0, mid - half), min(1.0, mid + half))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(expect, abs=1e-8)
    assert row["ci_high"] < 1 and row["n_gold"] == 12


def test_allocation_gives_every_stratum_a_unit_or_warns_gh19(tmp_path):
    # 30 of 1000: proportional rounding gave c (5 units) quota 0, i.e. inclusion probability 0.
    sizes = pd.Series({"a": 980, "b": 15, "c": 5})
    assert allocate(sizes, 30, "proportional").tolist() == [28, 1, 1]
    assert allocate(sizes, 3, "proportional").tolist() == [1, 1, 1]
    assert allocate(sizes, 2, "proportional").tolist() == [2, 0, 0]  # fewer units than strata
    # outlet A: 40 documents, B: 10; n=2 over four outlet x month strata: two get no unit
    with pytest.warns(UserWarning, match=r"n=2 is below the 4 strata, so 2 of them get no unit"):
        sheet = coding_sheet(_corpus(), ["ceasefire"], n=2, stratify_by="outlet", period="M",
                             seed=4, out=tmp_path / "s")  # fmt: skip
    assert len(sheet) == 2
    about = pd.read_excel(tmp_path / "s.xlsx", sheet_name="about").set_index("key")["value"]
    assert about["strata_without_units"] == "B | 2024-01, B | 2024-02"
    full = coding_sheet(_corpus(), ["ceasefire"], n=4, stratify_by="outlet", period="M",
                        seed=4, out=tmp_path / "t")  # fmt: skip
    assert sorted(full["inclusion_prob"].tolist()) == [0.05, 0.05, 0.2, 0.2]
    about = pd.read_excel(tmp_path / "t.xlsx", sheet_name="about").set_index("key")["value"]
    assert about["strata_without_units"] == "none"
