"""Shared helpers of :mod:`framelab.validate`: coding units, frame descriptions, bootstrap tools."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from framelab import _unit_ids
from framelab.corpus import check_corpus
from framelab.schema import COARSE_LEVELS as LEVELS  # the levels validation works at
from framelab.schema import TEXT_UNIT_COLUMNS

__all__ = ["LEVELS", "coding_units"]

logger = logging.getLogger(__name__)


#: Columns of a coding sheet that are not frames.
SHEET_FIXED = (
    "unit_id",
    "doc_id",
    "order",
    "inclusion_prob",
    "text",
    "notes",
    "coder",
    # the sampling design next_to_code() appends to the table it returns
    "strategy",
    "target_frame",
    "score",
    "drawn_at_random",
)


def framelab_version() -> str:
    """The installed framelab version (``0.1.0`` when running from a bare source tree).

    Examples
    --------
    >>> from framelab._version import __version__
    >>> framelab_version() == __version__
    True
    """
    from framelab._version import __version__

    return __version__


def check_level(level: object, caller: str) -> str:
    if level not in LEVELS:
        raise ValueError(
            f"{caller}(): level must be one of {', '.join(map(repr, LEVELS))}, got {level!r}. "
            "Sentence-level validation is not supported; code paragraphs or documents."
        )
    return str(level)


def check_table(table: object, caller: str, what: str, columns: Iterable[str], hint: str) -> None:
    """Raise unless ``table`` is a DataFrame holding ``columns``."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(
            f"{caller}(): {what} must be a DataFrame, got {type(table).__name__}. {hint}"
        )
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(
            f"{caller}(): {what} has no {', '.join(map(repr, missing))} column"
            f"{'s' if len(missing) > 1 else ''} (it has {', '.join(map(str, table.columns))}). "
            f"{hint}"
        )


doc_id_of = _unit_ids.doc_id_of  # unit ids are parsed in framelab._unit_ids
level_of = _unit_ids.level_of


def coding_units(corpus: pd.DataFrame, level: str = "document") -> pd.DataFrame:
    """Split a Corpus into the units that are coded: documents or paragraphs.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A Corpus table (at least ``doc_id`` and ``text``).
    level : {"document", "paragraph"}
        Paragraphs are split with :func:`framelab.text.paragraph_spans` (blank-line separated).

    Returns
    -------
    pandas.DataFrame
        ``doc_id, unit_id, level, text`` followed by the document's metadata columns (every Corpus
        column except ``text``, ``title``, ``url`` and ``source_file``). ``unit_id`` is the
        ``doc_id`` for documents and ``<doc_id>-p<k>`` (k from 0) for paragraphs, the ids of the
        FrameCodes table and of the sample's gold labels.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "text": ["One.\\n\\nTwo.", "Three."],
    ...                        "outlet": ["X", "Y"]})
    >>> coding_units(corpus, "paragraph")[["unit_id", "text", "outlet"]]
      unit_id    text outlet
    0    a-p0    One.      X
    1    a-p1    Two.      X
    2    b-p0  Three.      Y
    """
    from framelab.text import _units_and_rows

    check_corpus(corpus, "coding_units")
    level = check_level(level, "coding_units")
    table, rows = _units_and_rows(corpus, level, None, "coding_units")
    table = table.iloc[np.argsort(np.asarray(rows, dtype=np.int64), kind="stable")]  # corpus order
    meta = list(table.columns[len(TEXT_UNIT_COLUMNS) :])
    units = table[["doc_id", "unit_id", "level", "text", *meta]].reset_index(drop=True)
    for col in ("doc_id", "unit_id", "level", "text"):
        units[col] = units[col].astype(str)
    return units


# --------------------------------------------------------------------------- frame descriptions


def _attr(obj: object, name: str) -> object:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable):
        return " | ".join(str(v) for v in value)
    return str(value)


def frame_table(frames: object, descriptions: Mapping | None, caller: str) -> pd.DataFrame:
    """Normalise a frame specification into ``frame, label, description, examples``.

    ``frames`` is a list of ids, a mapping id -> {label, description, examples} or any object with a
    ``.frames`` mapping of id -> object with those attributes (a Codebook).
    """
    spec = getattr(frames, "frames", frames)
    if isinstance(spec, str):
        raise TypeError(
            f"{caller}(): frames must be a list of frame ids, a mapping or a Codebook, got the "
            f"single string {spec!r}. Wrap it in a list: frames=[{spec!r}]."
        )
    if isinstance(spec, Mapping):
        items = list(spec.items())
    elif isinstance(spec, Iterable):
        items = [(f, None) for f in spec]
    else:
        raise TypeError(
            f"{caller}(): frames must be a list of frame ids, a mapping or a Codebook, got "
            f"{type(frames).__name__}."
        )
    rows, seen = [], set()
    for frame_id, info in items:
        if not isinstance(frame_id, str) or not frame_id.strip():
            raise ValueError(f"{caller}(): frame ids must be non-empty strings, got {frame_id!r}.")
        if frame_id in SHEET_FIXED:
            raise ValueError(
                f"{caller}(): {frame_id!r} cannot be a frame id: it is a fixed column of the coding "
                f"sheet ({', '.join(SHEET_FIXED)}). Rename the frame."
            )
        if frame_id in seen:
            raise ValueError(f"{caller}(): frame {frame_id!r} is listed twice.")
        seen.add(frame_id)
        extra = (descriptions or {}).get(frame_id)
        if extra is not None and not isinstance(extra, Mapping):
            extra = {"description": extra}
        row = {"frame": frame_id}
        for key in ("label", "description", "examples"):
            value = _attr(extra, key) if extra is not None else None
            if value is None and info is not None:
                value = _attr(info, key)
            row[key] = _as_text(value)
        rows.append(row)
    unknown = sorted(set(descriptions or {}) - seen)
    if unknown:
        raise ValueError(
            f"{caller}(): descriptions given for frames that are not in frames: "
            f"{', '.join(map(repr, unknown))}. Add them to frames or drop them from descriptions."
        )
    if not rows:
        raise ValueError(f"{caller}(): no frames given. Pass frame ids or a Codebook.")
    return pd.DataFrame(rows, columns=["frame", "label", "description", "examples"])


# --------------------------------------------------------------------------- bootstrap tools


def check_boot(n_boot: object, ci: object, caller: str) -> None:
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ValueError(f"{caller}(): n_boot must be a positive integer, got {n_boot!r}.")
    if isinstance(ci, bool) or not isinstance(ci, (int, float)) or not 0 < ci < 1:
        raise ValueError(
            f"{caller}(): ci must be a number between 0 and 1 (e.g. 0.95), got {ci!r}."
        )


def frame_rng(seed: int, frame: str) -> np.random.Generator:
    """A generator for one frame, independent of the order and number of frames."""
    return np.random.default_rng([int(seed), zlib.crc32(str(frame).encode("utf-8"))])


def boot_counts(rng: np.random.Generator, n_units: int, n_boot: int) -> np.ndarray:
    """How often each unit is drawn in each bootstrap replicate (``n_boot x n_units``)."""
    if n_units == 0:
        return np.zeros((n_boot, 0))
    return rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=n_boot).astype(float)


def percentile_ci(samples: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """Column-wise percentile interval of bootstrap replicates, ignoring undefined (NaN) ones."""
    samples = np.asarray(samples, dtype=float)
    if samples.ndim == 1:
        samples = samples[:, None]
    low = np.full(samples.shape[1], np.nan)
    high = np.full(samples.shape[1], np.nan)
    tail = (1 - ci) / 2
    for j in range(samples.shape[1]):
        finite = samples[np.isfinite(samples[:, j]), j]
        if finite.size:
            low[j], high[j] = np.quantile(finite, [tail, 1 - tail])
    return low, high


def safe_ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` with NaN where ``den`` is 0."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out
