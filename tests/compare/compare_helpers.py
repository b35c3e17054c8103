"""Shared helpers of the framelab.compare tests (moved from tests/test_compare.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from framelab.cli import sample_builder
from framelab.compare import FRAMECODES_COLUMNS
from framelab.datasets import FRAMES, load_sample_gold
from framelab.text import tokenize

truth = sample_builder()  # tools/sample_build.py: the planted parameters


def make_codes(present, *, frame="ceasefire", level="document", **meta) -> pd.DataFrame:
    """FrameCodes for one frame: one document per value of ``present``."""
    n = len(present)
    ids = [f"d{i:02d}" for i in range(n)]
    table = pd.DataFrame(
        {
            "doc_id": ids,
            "unit_id": ids,
            "level": level,
            "frame": frame,
            "count": np.asarray(present, dtype="int64"),
            "n_tokens": 100,
            "per_1k": np.asarray(present, dtype=float) * 10.0,
            "present": np.asarray(present, dtype="int64"),
            "codebook": "test@1",
        }
    )
    for key, values in meta.items():
        table[key] = values
    return table


def _gold_codes(corpus: pd.DataFrame, level: str = "document") -> pd.DataFrame:
    """Gold labels of the sample as FrameCodes joined with the corpus metadata.

    Gold labels have no term counts: ``count`` is the 0/1 label and ``n_tokens`` the word count
    of the document (paragraph rows share it).
    """
    gold = load_sample_gold(level)
    words = corpus.set_index("doc_id")["text"].map(lambda t: len(tokenize(t, words_only=True)))
    gold["n_tokens"] = gold["doc_id"].map(words).astype("int64")
    gold["level"] = level
    gold["count"] = gold["present"].astype("int64")
    gold["per_1k"] = 1000.0 * gold["count"] / gold["n_tokens"]
    gold["codebook"] = "gold@sample"
    meta = corpus.drop(columns=["text", "title", "url", "source_file"])
    table = gold[list(FRAMECODES_COLUMNS)].merge(meta, on="doc_id", how="left")
    if "stance" in gold:  # paragraph level: the gold stance, e.g. "concessions:reject"
        table["stance"] = gold["stance"].to_numpy()
    return table


#: Document-level FrameCodes of the sample for the recovery tests. Dictionary codes are one more
#: entry: "dictionary": lambda corpus: framelab.coding.code_frames(corpus, "peace_talks").codes
def _dictionary_codes(corpus: pd.DataFrame) -> pd.DataFrame:
    """Document-level codes of the shipped peace_talks codebook."""
    from framelab.coding import code_frames

    return code_frames(corpus, "peace_talks").codes


SAMPLE_CODES = {"gold": _gold_codes, "dictionary": _dictionary_codes}


def _p(group: str, frame: str) -> float:
    return truth.PROPENSITY[group][FRAMES.index(frame)]
