"""Shared helpers for error messages: what was called, what is wrong, what was received, the fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["CodebookError", "ConfigError", "NotFittedError", "suggest"]


class CodebookError(ValueError):
    """An invalid codebook; the message names the file, line and column and the fix.

    Defined here (floor 1) so that the readers of codebook files (``_dic.py``) need not import
    :mod:`framelab.codebook`; import it from there, where it is documented.

    Examples
    --------
    >>> from framelab.codebook import Codebook
    >>> Codebook.from_dict({"name": "m", "version": "1", "frames": {"a": {"terms": [False]}}})
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    framelab.codebook.CodebookError: ...
    """


CodebookError.__module__ = "framelab.codebook"  # its public home, shown in tracebacks


class ConfigError(ValueError):
    """An invalid study config; the message names the file, line and column and the fix.

    Defined here (floor 1) so that ``_config_keys.py`` need not import :mod:`framelab.config`;
    import it from there, where it is documented.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> StudyConfig.from_dict({"sed": 7})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    framelab.config.ConfigError: ...
    """


ConfigError.__module__ = "framelab.config"  # its public home, shown in tracebacks


class NotFittedError(RuntimeError):
    """Raised when a learned object is used before ``fit``."""


def suggest(name: str, choices: Iterable[str], param: str | None = None) -> str:
    """Return ``" Did you mean ...?"`` for the closest choice, or ``""``.

    Examples
    --------
    >>> suggest("txt", ["id", "text", "date"], "text_col")
    " Did you mean text_col='text'?"
    >>> suggest("zzz", ["id"])
    ''
    """
    choices = [str(c) for c in choices]
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(str(name).lower(), list(lowered), n=1, cutoff=0.6)
    if not close:
        return ""
    best = lowered[close[0]]
    return f" Did you mean {param}={best!r}?" if param else f" Did you mean {best!r}?"


def refuse_duplicate_gold(gold, caller: str) -> None:
    """Refuse gold with two rows for one unit and frame (several coders), naming the first.

    ``gold`` is a long table with ``unit_id`` and ``frame``; the fix is one label per unit and
    frame, which :func:`framelab.validate.consensus` makes.

    Examples
    --------
    >>> import pandas as pd
    >>> gold = pd.DataFrame({"unit_id": ["d1", "d1"], "frame": "f", "present": [1, 0]})
    >>> refuse_duplicate_gold(gold, "fit")
    Traceback (most recent call last):
    ...
    ValueError: fit(): gold has two rows for unit 'd1' and frame 'f' (several coders?). Reduce them to one label per unit and frame with framelab.validate.consensus().
    """
    keys = gold[["unit_id", "frame"]].astype(str)
    dup = keys.duplicated()
    if dup.any():
        row = keys[dup].iloc[0]
        raise ValueError(
            f"{caller}(): gold has two rows for unit {row['unit_id']!r} and frame "
            f"{row['frame']!r} (several coders?). Reduce them to one label per unit and frame "
            "with framelab.validate.consensus()."
        )
