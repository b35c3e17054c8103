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
