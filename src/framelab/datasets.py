"""The bundled sample corpus: synthetic peace-talk reports with gold frame labels.

**The sample is synthetic.** Every report was assembled by a seeded script from a paragraph bank
written for framelab; the outlets are fictional and nothing in it is real reporting. Its planted
differences are listed in ``data/sample/ANSWER_KEY.md`` so that analyses can be checked against a
known truth.

The files live once in the repository under ``data/sample/``; wheels carry them as
``framelab/_sample``. Rebuild them byte-identically with ``framelab build-sample`` (``make sample``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["FRAMES", "load_sample", "load_sample_gold", "sample_dir", "sample_path"]

#: The frame ids shared by the ``peace_talks`` codebook, the sample's gold labels and the notebooks.
FRAMES = (
    "ceasefire",
    "negotiations",
    "concessions",
    "security_guarantees",
    "support_fatigue",
    "stalemate",
    "escalation",
    "eu_accession",
    "civil_military",
)

_FILES = {
    "corpus": "corpus.csv",
    "gold_paragraphs": "gold_paragraphs.csv",
    "gold_documents": "gold_documents.csv",
    "coder2_paragraphs": "coder2_paragraphs.csv",
}


def sample_dir() -> Path:
    """Folder holding the sample files (inside an installed wheel, or the repository's data/).

    Examples
    --------
    >>> sorted(p.name for p in sample_dir().glob("*.csv"))[:2]
    ['coder2_paragraphs.csv', 'corpus.csv']
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "_sample", here.parents[1] / "data" / "sample"):
        if (candidate / "corpus.csv").is_file():
            return candidate
    raise FileNotFoundError(
        "framelab's sample corpus is missing: expected framelab/_sample in the installed package "
        "or data/sample/ in the source tree. Reinstall framelab, or rebuild it with "
        "`framelab build-sample`."
    )


def sample_path(name: str = "corpus") -> Path:
    """Path of one sample file: ``corpus``, ``gold_paragraphs``, ``gold_documents``,
    ``coder2_paragraphs``, ``README.md`` or ``ANSWER_KEY.md``.

    Examples
    --------
    >>> sample_path("corpus").name
    'corpus.csv'
    """
    filename = _FILES.get(name, name)
    path = sample_dir() / filename
    if not path.exists():
        raise FileNotFoundError(
            f"sample_path(): no sample file {name!r}. Known: {', '.join(_FILES)}, README.md, "
            "ANSWER_KEY.md."
        )
    return path


def load_sample() -> pd.DataFrame:
    """The synthetic sample corpus as a validated Corpus table.

    Returns
    -------
    pandas.DataFrame
        Corpus columns plus ``perspective`` (the outlet's perspective group: ``us``, ``uk_eu``,
        ``ukraine``, ``russia_state``, ``china_state``, ``other``) and ``wire_story`` (id of the
        syndicated wire story a report reprints, else missing).

    Examples
    --------
    >>> corpus = load_sample()
    >>> len(corpus) >= 400, corpus["doc_id"].is_unique
    (True, True)
    >>> sorted(corpus["perspective"].unique())
    ['china_state', 'other', 'russia_state', 'uk_eu', 'ukraine', 'us']
    """
    from framelab.io import load_corpus

    return load_corpus(sample_path("corpus"), format="csv")


def load_sample_gold(level: str = "document", coder: int = 1) -> pd.DataFrame:
    """Gold frame labels of the sample.

    Parameters
    ----------
    level : {"document", "paragraph"}
        Document labels are the union of the document's paragraph labels.
    coder : {1, 2}
        ``1``: the labels written with the paragraph bank (the gold standard). ``2``: a simulated
        second coder for about 150 paragraphs (paragraph level only), for agreement exercises.

    Returns
    -------
    pandas.DataFrame
        Long form, one row per unit and frame: ``doc_id``, ``unit_id`` (``doc_id`` for documents,
        ``<doc_id>-p<k>`` for paragraphs), ``frame``, ``present`` (0/1) and, at paragraph level,
        ``paragraph`` (0-based index), ``bank_id``, ``stance`` and ``tags``.

    Examples
    --------
    >>> gold = load_sample_gold()
    >>> sorted(gold["frame"].unique()) == sorted(FRAMES)
    True
    """
    if level not in ("document", "paragraph"):
        raise ValueError(
            f"load_sample_gold(): level must be 'document' or 'paragraph', got {level!r}."
        )
    if coder not in (1, 2):
        raise ValueError(f"load_sample_gold(): coder must be 1 or 2, got {coder!r}.")
    if coder == 2 and level != "paragraph":
        raise ValueError(
            "load_sample_gold(): the simulated second coder codes paragraphs only; "
            "pass level='paragraph'."
        )
    name = {
        ("document", 1): "gold_documents",
        ("paragraph", 1): "gold_paragraphs",
        ("paragraph", 2): "coder2_paragraphs",
    }[(level, coder)]
    wide = pd.read_csv(
        sample_path(name), dtype={"doc_id": "str", "unit_id": "str"}, keep_default_na=False
    )
    id_cols = [c for c in wide.columns if c not in FRAMES]
    long = wide.melt(
        id_vars=id_cols, value_vars=list(FRAMES), var_name="frame", value_name="present"
    )
    long["present"] = long["present"].astype("int64")
    order = {f: i for i, f in enumerate(FRAMES)}
    long["_f"] = long["frame"].map(order)
    long = long.sort_values(["unit_id", "_f"], kind="mergesort").drop(columns="_f")
    front = ["doc_id", "unit_id", "frame", "present"]
    return long[front + [c for c in long.columns if c not in front]].reset_index(drop=True)
