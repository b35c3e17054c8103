"""tools/audit_hits.py: drawing hits of one language from a Parquet corpus (issue 21)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "audit_hits.py"


@pytest.fixture(scope="module")
def audit_hits():
    spec = importlib.util.spec_from_file_location("audit_hits_tool", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _corpus(tmp_path):
    path = tmp_path / "ruuk.parquet"
    pd.DataFrame(
        {
            "doc_id": ["r0", "u0"],
            "text": ["Киев и Москва обсуждают перемирие.", "Київ і Москва обговорюють перемир'я."],
            "language": ["ru", "uk"],
        }
    ).to_parquet(path, index=False)
    return path


def test_draw_codes_only_the_requested_language_of_a_parquet_corpus_gh21(audit_hits, tmp_path):
    out = tmp_path / "sample.csv"
    args = ["draw", "peace_talks", "--corpus", str(_corpus(tmp_path)), "--language", "ru"]
    assert audit_hits.main([*args, "--per-frame", "5", "--seed", "1", "--out", str(out)]) == 0
    sample = pd.read_csv(out, dtype=str, keep_default_na=False)
    rows = sample[["frame", "doc_id", "match", "language", "correct"]].values.tolist()
    assert rows == [["ceasefire", "r0", "перемирие", "ru", ""]]
    # a ledger of read hits keeps them out of the next draw
    again = tmp_path / "again.csv"
    ledger = ["--exclude", str(out), "--out", str(again)]
    assert audit_hits.main([*args, "--per-frame", "5", "--seed", "2", *ledger]) == 0
    assert pd.read_csv(again).empty


def test_draw_refuses_a_language_the_corpus_lacks_gh21(audit_hits, tmp_path):
    args = ["draw", "peace_talks", "--corpus", str(_corpus(tmp_path)), "--language", "en"]
    with pytest.raises(SystemExit, match="no document of language 'en'"):
        audit_hits.main([*args, "--out", str(tmp_path / "x.csv")])
