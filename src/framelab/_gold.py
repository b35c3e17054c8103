"""The one reader of a study's gold labels (``validation.gold``): the sample's, a long CSV or
filled coding sheets. Used by :func:`framelab.study.load_gold` (notebooks) and
:func:`framelab.learn.study_gold` (the supervised coder and its command); kept apart from both so
that neither imports the other (no import cycle)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from framelab._errors import ConfigError

__all__ = ["read_gold"]


def read_gold(cfg, level: str | None = None) -> pd.DataFrame | None:
    """Gold labels of ``cfg.validation.gold`` in long form (see :func:`framelab.study.load_gold`).

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> read_gold(StudyConfig.from_dict({"validation": {"gold": None}})) is None
    True
    """
    gold = cfg.validation.gold
    level = level or cfg.validation.level
    if gold is None:
        return None
    if gold == "sample":
        from framelab.datasets import load_sample_gold

        return load_sample_gold(level)
    path = cfg.resolve(gold)
    where = f"{cfg.source or '<config>'}: validation.gold"
    if not path.is_file():
        raise ConfigError(f"{where}: no file {path}.")
    if path.suffix.lower() == ".csv":
        head = pd.read_csv(path, nrows=0, encoding="utf-8-sig", sep=None, engine="python")
        if {"frame", "present"} <= set(head.columns):
            return _long_gold(path, head.columns, where)
    from framelab.validate._sheets import read_codings

    codes = read_codings(path)
    first = codes[codes["coder"] == codes["coder"].iloc[0]].dropna(subset=["value"])
    out = first[["doc_id", "unit_id", "frame"]].copy()
    out["present"] = first["value"].astype(int).to_numpy()
    if "inclusion_prob" in first.columns and first["inclusion_prob"].notna().all():
        # a stratified sheet: corrected estimates weight each unit by its design
        out["inclusion_prob"] = first["inclusion_prob"].astype(float).to_numpy()
    return out.reset_index(drop=True)


def _long_gold(path: Path, columns, where: str) -> pd.DataFrame:
    """A long gold CSV with text ids and 0/1 (or blank) ``present``."""
    if "unit_id" not in columns:
        raise ConfigError(
            f"{where}: {path.name} has no unit_id column (it has {', '.join(map(str, columns))});"
            " write long gold labels: unit_id, frame, present."
        )
    text = {c: str for c in ("unit_id", "doc_id", "frame") if c in columns}
    gold = pd.read_csv(path, dtype=text, keep_default_na=False, encoding="utf-8-sig",
                       sep=None, engine="python", na_values={"present": [""], "inclusion_prob": [""]})  # fmt: skip
    present = pd.to_numeric(gold["present"], errors="coerce")
    bad = (present.isna() & gold["present"].notna()) | ~(present.isin([0, 1]) | present.isna())
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise ConfigError(
            f"{where}: {path.name} line {i + 2}: present must be 0, 1 or blank, got "
            f"{gold['present'].iloc[i]!r}."
        )
    return gold.assign(present=present)
