"""The study-config lookups every notebook helper shares (private; public through
:mod:`framelab.study`): the sample test, the group column, the comparison level, the folder
of derived files and the gold codes. A floor below :mod:`framelab.study` and
:mod:`framelab._study_measure`, so neither imports the other's module back.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

__all__ = ["group", "is_sample", "level", "load_gold", "processed_dir"]


def _setting(section: object, name: str, default=None):
    """A config value, or ``default`` when the config has no such key (or it is null/empty)."""
    value = getattr(section, name, None)
    return default if value is None or (isinstance(value, Sequence) and not value) else value


def is_sample(cfg) -> bool:
    """True when the study runs on the bundled synthetic sample (``corpus.path: sample``).

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> is_sample(StudyConfig.from_dict({"corpus": {"path": "sample"}}))
    True
    >>> is_sample(StudyConfig.from_dict({"corpus": {"path": "data/raw/news.csv"}}))
    False
    """
    return str(cfg.corpus.path) == "sample"


def group(cfg) -> str:
    """The column the comparisons group by (``compare.group``).

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> group(StudyConfig.from_dict({"compare": {"group": "camp"}}))
    'camp'
    """
    return cfg.compare.group


def level(cfg) -> str:
    """The coding level of the comparisons: ``compare.level`` if the config has it, else
    ``"document"``.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> level(StudyConfig.from_dict({}))
    'document'
    """
    return _setting(cfg.compare, "level", "document")


def processed_dir(cfg) -> Path:
    """``data/processed`` next to the config: where the notebooks write derived files.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> processed_dir(StudyConfig.from_dict({}, base_dir="proj")).as_posix()
    'proj/data/processed'
    """
    return cfg.resolve("data/processed")


def load_gold(cfg, level: str | None = None) -> pd.DataFrame | None:
    """Gold codes from ``validation.gold``: ``None`` when null, the sample's labels for
    ``"sample"``, else the file (relative to the config): a long CSV with ``unit_id, frame,
    present`` (and optionally ``doc_id``, ``inclusion_prob``), or filled coding sheet(s) read
    with :func:`framelab.validate.read_codings` (first coder), in the long form ``doc_id,
    unit_id, frame, present``. Ids are always read as text (``"007"`` stays ``"007"``). The one
    reader of ``validation.gold`` (the supervised coder's :func:`framelab.learn.study_gold` too).

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> load_gold(StudyConfig.from_dict({"validation": {"gold": None}})) is None
    True
    """
    from framelab._gold import read_gold

    return read_gold(cfg, level)
