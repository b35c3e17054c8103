"""Measurement helpers of the notebooks (re-exported by :mod:`framelab.study`).

Audited precision and the hit audit (notebook 02), the codes and gold of the comparisons and
their correction for coding error (03, 06), the supervised coder's evaluation and the next units
to code (06). Like everything in :mod:`framelab.study`, each choice comes from the config or the
data.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from framelab import _study_base as _study

__all__ = [
    "audit_path",
    "audited_precision",
    "comparison_codes",
    "comparison_gold",
    "correction_note",
    "gold_plan",
    "learning_sizes",
    "next_sheet",
    "supervised_coder",
    "supervised_report",
]


#: Audited precision below this: the frame is flagged "use with a validation sample".
PRECISION_FLOOR = 0.7
#: Documents per comparison group of the bundled sample's gold that stand in for a gold sample
#: (the minimum number of gold units a corrected estimate needs, ``compare.MIN_GOLD``).
SAMPLE_GOLD_PER_GROUP = 30


def audited_precision(codebook, floor: float = PRECISION_FLOOR) -> pd.DataFrame | None:
    """The codebook's audited precision per frame and language with a flag below ``floor``.

    Returns ``None`` when no frame of the codebook carries an ``audit`` block (a codebook of
    your own, before its hits were audited).

    Examples
    --------
    >>> from framelab import Codebook
    >>> book = Codebook.from_dict({"name": "t", "version": "1", "frames": {
    ...     "a": {"terms": ["x"], "audit": {"n": 20, "correct": 19}},
    ...     "b": {"terms": ["y"], "audit": {"n": 20, "correct": 12}}}})
    >>> table = audited_precision(book)
    >>> table["precision"].tolist(), table["advice"].tolist()
    ([0.95, 0.6], ['', 'use with a validation sample'])
    """
    table = codebook.audit_table()
    if table.empty:
        return None
    cols = ["frame", "language", "n", "correct", "precision", "ci_low", "ci_high"]
    out = table[cols].copy()
    out["advice"] = ["use with a validation sample" if p < floor else "" for p in out["precision"]]
    return out


def audit_path(cfg) -> Path:
    """Path stem of the hit audit sheet: ``data/processed/audit/hits`` next to the config.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> audit_path(StudyConfig.from_dict({}, base_dir="proj")).as_posix()
    'proj/data/processed/audit/hits'
    """
    return _study.processed_dir(cfg) / "audit" / "hits"


def comparison_codes(cfg, corpus: pd.DataFrame) -> pd.DataFrame:
    """FrameCodes at the comparison level from the coder ``coding.method`` names.

    ``dictionary``: :func:`framelab.code_frames` with the study codebook at ``compare.level``;
    ``supervised`` (and ``both``, whose supervised codes the comparisons then use): the saved
    model of ``coding.model``, which must code units of ``compare.level``.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "language": "en",
    ...                        "text": ["A truce in Ukraine.", "Rain in Kyiv."]})
    >>> codes = comparison_codes(StudyConfig.from_dict({}), corpus)
    >>> codes.loc[codes["frame"] == codes["frame"].iloc[0], ["unit_id", "level", "present"]]
      unit_id     level  present
    0       a  document        1
    9       b  document        0
    """
    from framelab.coding import code_frames
    from framelab.config import ConfigError

    method = _study._setting(cfg.coding, "method", "dictionary")
    if method == "dictionary":
        return code_frames(corpus, cfg.load_codebook(), level=_study.level(cfg)).codes
    from framelab.learn import SupervisedCoder

    where = cfg.source or "<config>"
    if cfg.coding.model is None or not cfg.resolve(cfg.coding.model).is_dir():
        raise ConfigError(
            f"comparison_codes(): {where}: coding.method is {method!r} but coding.model "
            f"({cfg.coding.model!r}) names no saved model · train one with "
            "framelab.learn.fit_study_coder(cfg, save=True), or set coding.method: dictionary."
        )
    coder = SupervisedCoder.load(cfg.resolve(cfg.coding.model))
    if coder.level != _study.level(cfg):
        raise ConfigError(
            f"comparison_codes(): {where}: the model in coding.model codes {coder.level} units "
            f"but compare.level is {_study.level(cfg)!r} · set compare.level: {coder.level}, or train "
            f"the model at level {_study.level(cfg)!r}."
        )
    return coder.code(corpus).codes


def comparison_gold(cfg, corpus: pd.DataFrame) -> pd.DataFrame | None:
    """Gold codes for corrected estimates at the comparison level (``compare.level``), or None.

    On the bundled sample, whose gold covers every document, a seeded random sample of
    :data:`SAMPLE_GOLD_PER_GROUP` documents per group of ``compare.group`` (all of a smaller
    group), with their ``inclusion_prob``, stands in for the stratified gold sample a study
    would have: each group's corrected estimate then rests on enough gold units for an interval.
    Otherwise the study's gold as given (with its ``inclusion_prob`` when the sheet was
    stratified), if it was coded at ``compare.level``; ``None`` without gold or at another level
    (:func:`correction_note` says which).

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> comparison_gold(StudyConfig.from_dict({"validation": {"gold": None}}), None) is None
    True
    """
    if cfg.validation.gold is None:
        return None
    if _study.is_sample(cfg):  # the sample has gold at every level
        import numpy as np

        from framelab.datasets import load_sample_gold

        docs = corpus.assign(_id=corpus["doc_id"].astype(str)).sort_values("_id")
        rng = np.random.default_rng(cfg.seed)
        prob = {}
        for _, rows in docs.groupby(_study.group(cfg), sort=True, dropna=False):
            k = min(SAMPLE_GOLD_PER_GROUP, len(rows))
            prob |= dict.fromkeys(
                rng.choice(rows["_id"].to_numpy(), k, replace=False), k / len(rows)
            )
        gold = load_sample_gold(_study.level(cfg))
        gold = gold[gold["doc_id"].astype(str).isin(prob)].reset_index(drop=True)
        return gold.assign(inclusion_prob=gold["doc_id"].astype(str).map(prob))
    return _study.load_gold(cfg) if cfg.validation.level == _study.level(cfg) else None


def correction_note(cfg, gold: pd.DataFrame | None):
    """Markdown on the gold behind the corrected estimates, or on how to get them.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> cfg = StudyConfig.from_dict({"validation": {"gold": None}})
    >>> correction_note(cfg, None).data[:40]
    '**No corrected estimates**: there are no'
    """
    from IPython.display import Markdown

    lvl = _study.level(cfg)
    if gold is not None:
        n = gold["unit_id"].nunique()
        if _study.is_sample(cfg):
            text = (
                f"The sample's gold covers every report; {n} of them, {SAMPLE_GOLD_PER_GROUP} "
                "per group drawn at random with the study seed (weighted by their inclusion "
                "probabilities), stand in here for the stratified gold sample a study would code."
            )
        else:
            design = ("weighted by their inclusion probabilities"
                      if "inclusion_prob" in gold.columns else "as a simple random sample")  # fmt: skip
            text = f"Gold codes: {n} {lvl} units of `{cfg.validation.gold}`, {design}."
        return Markdown(text)
    if cfg.validation.gold is None:
        why = "there are no gold codes (`validation.gold: null`)"
    else:
        why = (f"the gold codes are at `validation.level: {cfg.validation.level}` and the "
               f"comparisons at `compare.level: {lvl}`")  # fmt: skip
    return Markdown(
        f"**No corrected estimates**: {why}. To correct the shares for coding error, hand-code "
        f"a random sample of {lvl} units (a few hundred; `study.draw_sheet`, with "
        f"`validation.level: {lvl}`), set `validation.gold` to the filled sheet and rerun: the "
        "shares are then shown naive and corrected (PPI++) side by side."
    )


def gold_plan(cfg, codes: pd.DataFrame, gold: pd.DataFrame, shrinks=(0.5, 0.75)) -> pd.DataFrame:
    """More gold units each group needs for corrected (PPI++) intervals ``shrink`` times as wide.

    Per group of ``compare.group``: ``n_gold`` (gold units now), then for each ``shrink`` the
    most any frame needs (:func:`framelab.compare.gold_needed`, the ``n_gold_more`` column), so
    that every frame's interval narrows that much; missing when some frame cannot get there even
    with every unit of the group hand-coded (the machine codes' own sampling error sets a floor,
    which matters in small groups), and ``out of reach`` counts those frames.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> ids = [f"d{i}" for i in range(1000)]
    >>> codes = pd.DataFrame({"doc_id": ids, "unit_id": ids, "level": "document", "frame": "f",
    ...                       "camp": "a", "present": [i % 2 for i in range(1000)]})
    >>> gold = pd.DataFrame({"unit_id": ids[:100], "frame": "f",
    ...                      "present": [int(i % 2 == 0 or i % 10 == 3) for i in range(100)]})
    >>> cfg = StudyConfig.from_dict({"compare": {"group": "camp"}})
    >>> plan = gold_plan(cfg, codes, gold)
    >>> plan.columns.tolist()[2:4], plan.iloc[0, 1:].astype(int).tolist()
    (['more for 50% width', 'out of reach at 50%'], [100, 293, 0, 76, 0])
    """
    from framelab.compare import gold_needed

    by = _study.group(cfg)
    out = None
    for shrink in shrinks:
        need = gold_needed(codes, gold, by=by, shrink=shrink, ci=cfg.compare.ci)
        per = need.groupby(by, sort=True).agg(
            n_gold=("n_gold", "max"),
            more=("n_gold_more", lambda s: s.max() if s.notna().all() else pd.NA),
            out=("n_gold_more", lambda s: int(s.isna().sum())),
        )
        per = per.rename(columns={"more": f"more for {shrink:.0%} width",
                                  "out": f"out of reach at {shrink:.0%}"})  # fmt: skip
        out = per if out is None else out.join(per.drop(columns="n_gold"))
    table = out.reset_index()
    return table.astype({c: "Int64" for c in table.columns if c.startswith("more")})


def supervised_coder(cfg):
    """The notebooks' supervised coder: ``validation.level``, the study seed, word n-grams only
    (character n-grams cost minutes and add little on news), identical texts kept in one fold.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> supervised_coder(StudyConfig.from_dict({"seed": 3})).get_params()["char_ngrams"] is None
    True
    """
    from framelab.learn import SupervisedCoder

    return SupervisedCoder(
        level=cfg.validation.level, seed=cfg.seed, char_ngrams=None, group_by="text"
    )


def supervised_report(cfg, corpus: pd.DataFrame, gold: pd.DataFrame, folds: int = 5) -> dict:
    """The supervised coder's evaluation for notebook 06, cached next to the config.

    With :func:`supervised_coder`'s settings: ``"cv"``, its nested cross-validated accuracy
    (:meth:`~framelab.learn.SupervisedCoder.cross_validate`); ``"curve"``, its learning curve
    at :func:`learning_sizes`; ``"suspect"``, the gold labels its out-of-fold predictions
    contradict (:func:`framelab.validate.suspect_labels`). ``folds`` folds each,
    ``validation.n_boot`` bootstrap replicates, the study seed. The tables are stored as Parquet
    under ``data/processed/cache/supervised_report/``, keyed by the units' texts, the gold, the
    settings and the package versions, so a rerun reads them back instead of refitting.

    Examples
    --------
    >>> import tempfile
    >>> from framelab.config import StudyConfig
    >>> corpus = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(30)], "language": "en",
    ...                        "text": [("truce holds" if i % 3 else "aid runs short") + f" {i}"
    ...                                 for i in range(30)]})
    >>> gold = pd.DataFrame({"unit_id": corpus["doc_id"], "frame": "ceasefire",
    ...                      "present": [int(i % 3 > 0) for i in range(30)]})
    >>> cfg = StudyConfig.from_dict({"validation": {"level": "document", "n_boot": 200}},
    ...                             base_dir=tempfile.mkdtemp())
    >>> report = supervised_report(cfg, corpus, gold, folds=3)
    >>> sorted(report), float(report["cv"]["f1"].iloc[0])
    (['curve', 'cv', 'suspect'], 1.0)
    >>> report["curve"]["n_gold"].unique().tolist()  # a quarter, half and all of 20 per fold
    [5, 10, 20]
    """
    from framelab._cache import ResultCache, package_versions, table_sha256
    from framelab.validate import suspect_labels

    coder = supervised_coder(cfg)
    n_boot = cfg.validation.n_boot
    sizes = learning_sizes(gold, folds)
    stage = "supervised_report"
    cache = ResultCache(cfg.cache_dir() / stage, stage)
    ingredients = {
        "corpus": table_sha256(corpus[["doc_id", "text"]].reset_index(drop=True)),
        "gold": table_sha256(gold.reset_index(drop=True)),
        "model": {k: str(v) for k, v in coder.get_params().items()},
        "folds": folds, "sizes": sizes, "n_boot": n_boot,
        "packages": package_versions("scikit-learn", "numpy", "scipy", "pandas"),
    }  # fmt: skip
    hit = cache.load_tables(ingredients)
    if hit is not None and {"cv", "curve", "suspect"} <= set(hit):
        return hit
    tables = {
        "cv": coder.cross_validate(corpus, gold, folds=folds, n_boot=n_boot),
        "curve": coder.learning_curve(corpus, gold, sizes=sizes, cv=folds, n_boot=n_boot),
        "suspect": suspect_labels(corpus, gold, coder, folds=folds).reset_index(drop=True),
    }
    cache.save_tables(ingredients, tables)
    return cache.load_tables(ingredients)  # the same tables a rerun reads, dtypes and all


def learning_sizes(gold: pd.DataFrame, cv: int = 5) -> list[int]:
    """Training sizes of the learning curve: a quarter, half and all of a fold's training units.

    Examples
    --------
    >>> gold = pd.DataFrame({"unit_id": [f"u{i}" for i in range(1000)], "frame": "f"})
    >>> learning_sizes(gold)
    [200, 400, 800]
    """
    n_train = gold["unit_id"].nunique() * (cv - 1) // cv
    return sorted({max(n_train // 4, 1), max(n_train // 2, 1), n_train})


def next_sheet(cfg, corpus: pd.DataFrame, coder, gold: pd.DataFrame, n: int = 50):
    """The sheet of units to hand-code next (:func:`framelab.validate.next_to_code`), written to
    ``data/processed/coding/next``; units already in ``gold`` are left out unless the gold covers
    every unit (as the sample's does: then any unit may be drawn again).

    Examples
    --------
    >>> import tempfile
    >>> from framelab.config import StudyConfig
    >>> from framelab.learn import SupervisedCoder
    >>> corpus = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(20)], "language": "en",
    ...                        "text": ["truce talks"] * 10 + ["aid money"] * 10})
    >>> gold = pd.DataFrame({"unit_id": corpus["doc_id"], "frame": "ceasefire",
    ...                      "present": [1] * 10 + [0] * 10})
    >>> coder = SupervisedCoder(min_df=1, char_ngrams=None, cv=3).fit(corpus, gold)
    >>> cfg = StudyConfig.from_dict({}, base_dir=tempfile.mkdtemp())
    >>> sheet = next_sheet(cfg, corpus, coder, gold.iloc[:15], n=4)
    >>> len(sheet), set(sheet["unit_id"]) <= {"d15", "d16", "d17", "d18", "d19"}  # not coded yet
    (4, True)
    """
    from framelab.validate import coding_units, next_to_code

    units = coding_units(corpus, coder.level)
    coded = set(gold["unit_id"])
    exclude = None if set(units["unit_id"]) <= coded else gold
    return next_to_code(corpus, coder, n=n, exclude=exclude, seed=cfg.seed,
                        out=_study.processed_dir(cfg) / "coding" / "next")  # fmt: skip
