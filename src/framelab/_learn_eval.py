"""Nested cross-validation and learning curves of :class:`framelab.learn.SupervisedCoder`."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from framelab import _learn_core as core
from framelab.coding import _codes_table

__all__: list[str] = []

logger = logging.getLogger(__name__)


def _sizes(sizes, caller: str) -> list[int]:
    sizes = [sizes] if isinstance(sizes, int | np.integer) else list(sizes)
    if not sizes or any(
        isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2 for n in sizes
    ):
        raise ValueError(
            f"{caller}(): sizes must be integers of at least 2 (numbers of gold units), got "
            f"{sizes!r}."
        )
    return [int(n) for n in sizes]


def out_of_fold(
    coder, gp: core.Prepared, y, frames, book, fold, size, seed, caller, *, proba=None, thr=None
):
    """Present/absent codes of every gold unit by a coder fitted on the other folds (and, when
    ``proba``/``thr`` arrays are given, its probabilities and thresholds written into them)."""
    present = np.zeros_like(y)
    n_train = []
    for k in range(int(fold.max()) + 1):
        train, test = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        if size is not None and size < len(train):
            rng = np.random.default_rng([int(seed), int(size), k])
            train = np.sort(rng.choice(train, size=size, replace=False))
        n_train.append(len(train))
        clone = type(coder)(**coder.get_params())
        clone._fit_prepared(gp.take(train), y[train], frames, book, caller)
        p = clone._proba(gp.take(test))
        present[test] = p >= clone.linear_.threshold
        if proba is not None:
            proba[test] = p
            thr[test] = clone.linear_.threshold
        logger.info("%s(): fold %d done (%d training units)", caller, k + 1, len(train))
    return present, min(n_train)


def cross_validated(
    coder, corpus, gold, folds, seed, sizes, n_boot, ci, group_by=None
) -> pd.DataFrame:
    from framelab.schema import LEARNING_CURVE_COLUMNS
    from framelab.validate._accuracy import _accuracy_table, align
    from framelab.validate._common import check_boot

    caller = "SupervisedCoder." + ("cross_validate" if sizes is None else "learning_curve")
    coder._check_params(caller)
    check_boot(n_boot, ci, caller)
    seed = coder.seed if seed is None else seed
    gp, y, frames, book = coder._training_units(corpus, gold, caller)
    group_by = coder.group_by if group_by is None else group_by
    if group_by not in ("doc_id", "text"):
        raise ValueError(
            f"{caller}(): group_by must be 'doc_id' or 'text', got {group_by!r}. 'text' keeps "
            "identical units (syndicated copy, reused paragraphs) in one fold."
        )
    groups = core.groups_of(gp, group_by)
    n_groups = len(set(groups))
    if (
        isinstance(folds, bool)
        or not isinstance(folds, int | np.integer)
        or not (2 <= folds <= n_groups)
    ):
        raise ValueError(
            f"{caller}(): folds must be an integer from 2 to the number of {group_by} groups "
            f"of the gold ({n_groups}), got {folds!r}."
        )
    fold = core.folds_of(groups, int(folds), int(seed))
    gold_used = gold[gold["unit_id"].astype(str).isin(set(gp.units["unit_id"]))]
    label = f"{coder.name}-cv"
    if sizes is None:
        present, _ = out_of_fold(coder, gp, y, frames, book, fold, None, seed, caller)
        codes = _codes_table(gp.units, frames, present, label)
        return _accuracy_table(align(codes, gold_used, None, caller), n_boot, ci, seed)
    tables = []
    for size in _sizes(sizes, caller):
        present, n_gold = out_of_fold(coder, gp, y, frames, book, fold, size, seed, caller)
        codes = _codes_table(gp.units, frames, present, label)
        table = _accuracy_table(align(codes, gold_used, None, caller), n_boot, ci, seed)
        table.insert(0, "n_gold", np.int64(n_gold))
        tables.append(table)
    return pd.concat(tables, ignore_index=True)[list(LEARNING_CURVE_COLUMNS)]


# ----------------------------------------------------------------------------- study config


def study_gold(cfg) -> pd.DataFrame:
    """The gold labels named by ``validation.gold`` of a study config (long form).

    ``"sample"``: :func:`framelab.load_sample_gold` at ``validation.level``; a path (relative
    to the config file): a CSV with ``unit_id, frame, present`` or filled coding sheet(s), read
    by :func:`framelab.study.load_gold`, the same reader the notebooks use (ids as text).

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> gold = study_gold(StudyConfig.from_dict({}))  # the sample's paragraph gold labels
    >>> list(gold.columns[:4]), gold["unit_id"].nunique()
    (['doc_id', 'unit_id', 'frame', 'present'], 2075)
    """
    from framelab._gold import read_gold
    from framelab.config import ConfigError

    if cfg.validation.gold is None:
        raise ConfigError(
            f"{cfg.source or '<config>'}: validation.gold is null · a supervised coder needs hand-coded units · "
            "set validation.gold to 'sample' or to a CSV of unit_id, frame, present."
        )
    return read_gold(cfg)
