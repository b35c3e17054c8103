"""Topic <-> frame alignment: which topics carry which frames."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._guide import frame_lexicons, lexicon_matcher
from ._result import TopicFit

__all__ = ["ALIGN_COLUMNS", "align_topics_frames"]

#: Columns of :func:`align_topics_frames`.
ALIGN_COLUMNS = (
    "topic",
    "label",
    "frame",
    "lexicon_similarity",
    "matched_words",
    "n_topic_units",
    "n_coded",
    "coded_share",
    "frame_share",
    "lift",
)


def _codes_by_unit(fit: TopicFit, codes: pd.DataFrame) -> pd.DataFrame:
    """``unit_id`` x ``frame`` -> present, for the fit's units."""
    needed = ["frame", "present"]
    missing = [c for c in needed if c not in codes.columns]
    key = "unit_id" if "unit_id" in codes.columns else None
    if missing or (key is None and "doc_id" not in codes.columns):
        raise ValueError(
            "align_topics_frames(): frame_codes must be a FrameCodes table with doc_id, unit_id, "
            f"frame and present columns; missing {', '.join(missing) or 'unit_id/doc_id'}. Use "
            "framelab.code_frames(...) or gold labels (framelab.load_sample_gold())."
        )
    levels = set(codes["level"].unique()) if "level" in codes.columns else set()
    units = fit.assignments[["unit_id", "doc_id"]]
    if len(levels) > 1:
        raise ValueError(
            f"align_topics_frames(): frame_codes mixes levels {sorted(levels)}; pass one level."
        )
    level = levels.pop() if levels else None
    same_level = level == fit.level or (
        level is None
        and key is not None
        and bool(codes["unit_id"].astype(str).isin(set(units["unit_id"])).any())
    )
    table = codes[[c for c in ("doc_id", "unit_id", "frame", "present") if c in codes.columns]]
    table = table.assign(present=(table["present"].astype(float) > 0).astype("int64"))
    if same_level:
        table = table.assign(unit_id=table["unit_id"].astype(str))
        return units.merge(table[["unit_id", "frame", "present"]], on="unit_id", how="inner")
    if level in (None, "document") and fit.level == "paragraph":
        # a paragraph belongs to a document coded with the frame
        table = table.assign(doc_id=table["doc_id"].astype(str))
        return units.merge(table[["doc_id", "frame", "present"]], on="doc_id", how="inner")
    raise ValueError(
        f"align_topics_frames(): frame_codes are at {level!r} level but the topics were fitted on "
        f"{fit.level}s. Code the corpus at the same level (code_frames(..., level="
        f"{fit.level!r})) or fit the topics at the codes' level."
    )


def align_topics_frames(
    fit: TopicFit,
    codebook: Any = None,
    frame_codes: pd.DataFrame | None = None,
    *,
    language: str = "en",
    top_n: int | None = None,
) -> pd.DataFrame:
    """A topics x frames table: does a topic speak a frame's language, and carry its codes?

    Parameters
    ----------
    fit : TopicFit
        The topic model.
    codebook : Codebook or dict, optional
        Frame lexicons (``{frame: [terms]}`` or a :class:`framelab.codebook.Codebook`).
    frame_codes : pandas.DataFrame, optional
        FrameCodes of the same corpus (``doc_id, unit_id, frame, present``; document-level
        codes also work for paragraph topics).
    language : str, default "en"
        Language of the codebook's term lists.
    top_n : int, optional
        Topic words considered (default: all stored, ``config.top_n_words``).

    Returns
    -------
    pandas.DataFrame
        One row per topic x frame, sorted by topic then frame (codebook order):

        - ``lexicon_similarity``: c-TF-IDF weight of the topic's top words that match the
          frame's terms or phrases, divided by the weight of all its top words (0-1; NaN
          without a codebook). ``matched_words`` lists them.
        - ``n_topic_units``: the topic's units found in ``frame_codes``; ``n_coded``: those
          coded with the frame; ``coded_share = n_coded / n_topic_units``.
        - ``frame_share``: share of all matched units coded with the frame; ``lift =
          coded_share / frame_share`` (> 1: the topic carries the frame more than average).

        Code-based columns are NaN (counts 0) without ``frame_codes``.

    Examples
    --------
    >>> from framelab.topics._toy import toy_corpus
    >>> from framelab.topics import fit_topics
    >>> fit = fit_topics(toy_corpus(), {"preset": "fast", "n_topics": 3, "use_cache": False})
    >>> table = align_topics_frames(fit, {"truce": ["truce", "ceasefire"], "grain": ["grain"]})
    >>> table.loc[table["lexicon_similarity"] > 0, ["topic", "frame"]]
       topic  frame
    1      0  grain
    2      1  truce
    >>> table.loc[1, "matched_words"]
    'grain, grain exports'
    """
    if not isinstance(fit, TopicFit):
        raise TypeError(f"align_topics_frames(): expected a TopicFit, got {type(fit).__name__}.")
    if codebook is None and frame_codes is None:
        raise ValueError("align_topics_frames(): pass a codebook, frame_codes, or both.")
    lex = (
        frame_lexicons(codebook, language=language, caller="align_topics_frames")
        if codebook is not None
        else {}
    )
    frames = list(lex)
    coded = None
    if frame_codes is not None:
        coded = _codes_by_unit(fit, frame_codes)
        frames += [f for f in dict.fromkeys(coded["frame"].astype(str)) if f not in lex]
    words = fit.words if top_n is None else fit.words[fit.words["rank"] <= top_n]
    matchers = {f: lexicon_matcher(lex[f]) for f in lex}
    labels = dict(zip(fit.info["topic"].astype(int), fit.info["label"], strict=True))

    if coded is not None:
        assigned = fit.assignments[["unit_id", "topic"]]
        coded = coded.merge(assigned, on="unit_id", how="inner")
        # a paragraph joined to document codes may repeat (unit, frame): keep one row
        coded = coded.groupby(["unit_id", "topic", "frame"], as_index=False)["present"].max()
        n_units_all = coded.groupby("frame")["unit_id"].nunique()
        frame_total = coded.groupby("frame")["present"].sum()
        per_topic = coded.groupby(["topic", "frame"]).agg(
            n_topic_units=("unit_id", "nunique"), n_coded=("present", "sum")
        )
    rows = []
    for t in fit.topic_ids:
        tw = words[words["topic"] == t]
        total = float(tw["weight"].sum())
        for f in frames:
            if f in matchers:
                hit = tw[tw["word"].map(matchers[f])]
                sim = float(hit["weight"].sum()) / total if total > 0 else 0.0
                matched = ", ".join(sorted(hit["word"]))
            else:
                sim, matched = np.nan, ""
            n_topic = n_coded = 0
            share = base = lift = np.nan
            if coded is not None:
                if (t, f) in per_topic.index:
                    n_topic, n_coded = (int(x) for x in per_topic.loc[(t, f)])
                    share = n_coded / n_topic if n_topic else np.nan
                if f in n_units_all.index and n_units_all[f]:
                    base = float(frame_total[f]) / float(n_units_all[f])
                lift = share / base if base and not np.isnan(share) else np.nan
            rows.append(
                (t, labels.get(t, str(t)), f, sim, matched, n_topic, n_coded, share, base, lift)
            )
    out = pd.DataFrame(rows, columns=list(ALIGN_COLUMNS))
    return out.astype(
        {
            "topic": "int64",
            "lexicon_similarity": "float64",
            "n_topic_units": "int64",
            "n_coded": "int64",
            "coded_share": "float64",
            "frame_share": "float64",
            "lift": "float64",
        }
    )
