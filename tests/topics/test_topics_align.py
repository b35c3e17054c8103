"""Topic <-> frame alignment on a hand-made case, and on the sample with its gold labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelab.topics import ALIGN_COLUMNS, TopicConfig, TopicFit, align_topics_frames


def _fit(level: str = "document") -> TopicFit:
    if level == "document":
        units, docs = list("abcde"), list("abcde")
    else:
        units = ["a-p0", "a-p1", "b-p0", "c-p0", "c-p1"]
        docs = ["a", "a", "b", "c", "c"]
    assignments = pd.DataFrame(
        {
            "unit_id": units,
            "doc_id": docs,
            "topic": [0, 0, 0, 1, 1],
            "probability": np.nan,
            "assigned_by": "fit",
        }
    )
    info = pd.DataFrame(
        {
            "topic": [0, 1],
            "label": ["0: truce", "1: grain exports"],
            "size": [3, 2],
            "share": [0.6, 0.4],
            "top_words": "",
            "guided_by": "",
        }
    )
    words = pd.DataFrame(
        {
            "topic": [0, 0, 0, 1, 1],
            "rank": [1, 2, 3, 1, 2],
            "word": ["truce", "ceasefire", "grain", "grain exports", "ships"],
            "weight": [0.5, 0.3, 0.2, 0.6, 0.4],
        }
    )
    return TopicFit(
        model=None,
        config=TopicConfig(preset="fast", level=level),
        assignments=assignments,
        info=info,
        words=words,
        representatives=pd.DataFrame(),
        embedding={},
        corpus_sha256="",
        tag="topics@x",
    )


LEXICON = {"ceasefire": ["truce", "ceasefir*"], "grain": ["grain"]}


def _codes() -> pd.DataFrame:
    present = {
        "ceasefire": dict(a=1, b=1, c=0, d=1, e=0),
        "grain": dict(a=0, b=0, c=1, d=1, e=1),
        "escalation": dict.fromkeys("abcde", 0),
    }
    rows = [(u, u, "document", f, p) for f, by in present.items() for u, p in by.items()]
    return pd.DataFrame(rows, columns=["doc_id", "unit_id", "level", "frame", "present"])


def test_align_lexicon_similarity_is_the_matched_weight_share():
    table = align_topics_frames(_fit(), LEXICON)
    assert list(table.columns) == list(ALIGN_COLUMNS)
    assert table[["topic", "frame"]].values.tolist() == [
        [0, "ceasefire"],
        [0, "grain"],
        [1, "ceasefire"],
        [1, "grain"],
    ]
    np.testing.assert_allclose(table["lexicon_similarity"], [0.8, 0.2, 0.0, 0.6])
    assert table["matched_words"].tolist() == ["ceasefire, truce", "grain", "", "grain exports"]
    assert table["coded_share"].isna().all() and (table["n_coded"] == 0).all()


def test_align_coded_share_frame_share_and_lift():
    table = align_topics_frames(_fit(), LEXICON, _codes()).set_index(["topic", "frame"])
    assert table.loc[(0, "ceasefire"), ["n_topic_units", "n_coded"]].tolist() == [3, 2]
    np.testing.assert_allclose(
        table.loc[
            [(0, "ceasefire"), (0, "grain"), (1, "ceasefire"), (1, "grain")],
            ["coded_share", "frame_share", "lift"],
        ].to_numpy(),
        [[2 / 3, 3 / 5, 10 / 9], [1 / 3, 3 / 5, 5 / 9], [1 / 2, 3 / 5, 5 / 6], [1, 3 / 5, 5 / 3]],
    )
    # a coded frame missing from the codebook still gets rows (no lexicon, no lift at 0 %)
    esc = table.loc[(0, "escalation")]
    assert np.isnan(esc["lexicon_similarity"]) and esc["coded_share"] == 0
    assert esc["frame_share"] == 0 and np.isnan(esc["lift"])


def test_align_paragraph_topics_with_document_codes():
    codes = _codes()
    table = align_topics_frames(_fit("paragraph"), None, codes[codes["unit_id"] <= "c"])
    got = table.set_index(["topic", "frame"])
    # topic 0 = paragraphs of a (coded ceasefire) and b (ceasefire); topic 1 = c (grain)
    assert got.loc[(0, "ceasefire"), ["n_topic_units", "n_coded"]].tolist() == [3, 3]
    assert got.loc[(1, "grain"), ["n_topic_units", "n_coded"]].tolist() == [2, 2]
    assert got.loc[(1, "ceasefire"), "coded_share"] == 0


def test_align_errors():
    with pytest.raises(ValueError, match="pass a codebook, frame_codes, or both"):
        align_topics_frames(_fit())
    sentence = _codes().assign(level="sentence")
    with pytest.raises(ValueError, match="frame_codes are at 'sentence' level"):
        align_topics_frames(_fit(), frame_codes=sentence)
    with pytest.raises(ValueError, match="missing present"):
        align_topics_frames(_fit(), frame_codes=_codes().drop(columns="present"))


def test_align_on_the_sample_with_gold_labels(sample_fast_fit):
    from framelab.datasets import FRAMES, load_sample_gold

    gold = load_sample_gold()
    table = align_topics_frames(sample_fast_fit, {f: [f.split("_")[0]] for f in FRAMES}, gold)
    assert len(table) == 8 * len(FRAMES)
    assert (table["n_topic_units"] > 0).all()
    # law of total probability: size-weighted coded shares give back each frame's share
    for frame, rows in table.groupby("frame"):
        weighted = (rows["coded_share"] * rows["n_topic_units"]).sum() / rows["n_topic_units"].sum()
        expected = gold.loc[gold["frame"] == frame, "present"].mean()
        assert weighted == pytest.approx(expected)
        assert rows["frame_share"].iloc[0] == pytest.approx(expected)
