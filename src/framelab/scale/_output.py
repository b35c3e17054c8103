"""The output of :func:`code_frames_dask`: its layout, the result object and the readers.

See :mod:`framelab.scale._code` for the layout of an output folder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from framelab._errors import suggest

__all__ = ["STATUS_COLUMNS", "CodedDask", "PartitionError", "load_coded", "read_coded"]

TABLES = ("codes", "hits", "units")
#: Columns of :attr:`CodedDask.manifest` (one row per partition).
STATUS_COLUMNS = (
    "partition",
    "source",
    "status",
    "documents",
    "units",
    "hits",
    "seconds",
    "worker",
    "input_sha256",
    "message",
)
_FINISHED = ("done", "skipped")


def _part(index: int) -> str:
    return f"part-{index:05d}"


class PartitionError(RuntimeError):
    """Some partitions failed; the others finished. ``.result`` holds the :class:`CodedDask`.

    Examples
    --------
    >>> err = PartitionError("1 of 2 partitions failed", result=None)
    >>> isinstance(err, RuntimeError), str(err)
    (True, '1 of 2 partitions failed')
    """

    def __init__(self, message: str, result: CodedDask):
        super().__init__(message)
        self.result = result


@dataclass
class CodedDask:
    """The result of :func:`code_frames_dask`: where the tables are and how each partition went.

    Attributes
    ----------
    out : pathlib.Path
        The output folder (layout: ``codes/``, ``hits/``, ``units/``, ``_status/``,
        ``manifest.json``; see docs/scale.md).
    manifest : pandas.DataFrame
        One row per partition, sorted by ``partition``, with :data:`STATUS_COLUMNS`:
        ``partition`` (int), ``source`` (file, or ``"partition <i>"``), ``status`` (``done``:
        coded in this run; ``skipped``: finished in an earlier run with the same input and
        settings; ``failed``), ``documents``, ``units``, ``hits``, ``seconds`` (coding time of
        this run), ``worker`` (``host:pid``), ``input_sha256``, ``message`` (the error of a
        failed partition).
    codebook : str
        ``name@version``.
    level : str

    Examples
    --------
    >>> import tempfile
    >>> from framelab.codebook import Codebook
    >>> from framelab.coding import code_frames
    >>> from framelab.scale import write_coded
    >>> cb = Codebook.from_dict({"name": "m", "version": "1",
    ...                          "frames": {"ceasefire": {"terms": ["truce"]}}})
    >>> coded = code_frames(pd.DataFrame({"doc_id": ["b", "a"], "text": ["No news.", "A truce."]}), cb)
    >>> folder = write_coded(coded, tempfile.mkdtemp()).out
    >>> result = write_coded(coded, folder)
    >>> isinstance(result, CodedDask), result.manifest["status"].tolist()
    (True, ['done'])
    """

    out: Path
    manifest: pd.DataFrame
    codebook: str
    level: str

    @property
    def failed(self) -> pd.DataFrame:
        """The rows of the manifest whose partition failed."""
        return self.manifest[self.manifest["status"] == "failed"].reset_index(drop=True)

    def codes(self):
        """FrameCodes of the finished partitions as a lazy Dask DataFrame."""
        return read_coded(self.out, "codes")

    def hits(self):
        """Hits of the finished partitions as a lazy Dask DataFrame."""
        return read_coded(self.out, "hits")

    def units(self):
        """Units of the finished partitions as a lazy Dask DataFrame."""
        return read_coded(self.out, "units")

    def to_pandas(self, table: str = "codes", columns: Sequence[str] | None = None):
        """One table in memory, in the row order of :func:`framelab.code_frames`."""
        return load_coded(self.out, table, columns=columns)

    def __repr__(self) -> str:
        counts = self.manifest["status"].value_counts().to_dict()
        shown = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
        return (
            f"CodedDask({self.codebook}, level={self.level!r}, partitions={len(self.manifest)} "
            f"({shown}), documents={int(self.manifest['documents'].sum())}, out={self.out})"
        )


def _manifest_records(out: Path, caller: str) -> dict:
    path = Path(out) / "manifest.json"
    if not path.is_file():
        raise FileNotFoundError(
            f"{caller}(): {path} does not exist; {out} is not the output folder of "
            "code_frames_dask() (or its run has not finished). Run code_frames_dask(..., out=...)"
            " or `framelab code --dask` first."
        )
    return json.loads(path.read_text(encoding="utf-8"))


def _finished_files(out: Path, table: str, caller: str) -> list[Path]:
    if table not in TABLES:
        raise ValueError(
            f"{caller}(): table must be one of {', '.join(TABLES)}, got {table!r}."
            f"{suggest(str(table), TABLES, 'table')}"
        )
    manifest = _manifest_records(out, caller)
    parts = sorted(
        (r for r in manifest["partitions"] if r["status"] in _FINISHED),
        key=lambda r: r["partition"],
    )
    return [Path(out) / table / f"{_part(r['partition'])}.parquet" for r in parts]


def read_coded(out: str | Path, table: str = "codes", *, columns: Sequence[str] | None = None):
    """A table written by :func:`code_frames_dask` as a lazy Dask DataFrame.

    Parameters
    ----------
    out : str or Path
        The output folder.
    table : {"codes", "hits", "units"}
    columns : list of str, optional
        Read only these columns.

    Returns
    -------
    dask.dataframe.DataFrame
        One partition per finished input partition, in partition order; the columns of
        :func:`framelab.code_frames`'s tables.

    Examples
    --------
    >>> import tempfile
    >>> from framelab.codebook import Codebook
    >>> from framelab.coding import code_frames
    >>> from framelab.scale import write_coded
    >>> cb = Codebook.from_dict({"name": "m", "version": "1",
    ...                          "frames": {"ceasefire": {"terms": ["truce"]}}})
    >>> coded = code_frames(pd.DataFrame({"doc_id": ["b", "a"], "text": ["No news.", "A truce."]}), cb)
    >>> folder = write_coded(coded, tempfile.mkdtemp()).out
    >>> lazy = read_coded(folder, columns=["doc_id", "present"])
    >>> lazy.npartitions, int(lazy["present"].sum().compute())
    (1, 1)
    """
    import dask
    import dask.dataframe as dd
    import pyarrow.parquet as pq

    files = _finished_files(Path(out), table, "read_coded")
    if not files:
        raise ValueError(f"read_coded(): no partition of {out} has finished; nothing to read.")
    meta = pq.read_schema(files[0]).empty_table().to_pandas()
    cols = list(meta.columns) if columns is None else list(columns)
    unknown = [c for c in cols if c not in meta.columns]
    if unknown:
        raise ValueError(
            f"read_coded(): {unknown[0]!r} is not a column of the {table} table. Columns: "
            f"{', '.join(map(str, meta.columns))}.{suggest(unknown[0], meta.columns)}"
        )
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_map(
            ParquetPart(tuple(cols)),
            [str(f) for f in files],
            meta=meta[cols],
            label=f"read-{table}",
            enforce_metadata=False,
        )


@dataclass(frozen=True)
class ParquetPart:
    """Reader of one written Parquet partition (selected columns)."""

    columns: tuple[str, ...]

    def __call__(self, path: str) -> pd.DataFrame:
        return pd.read_parquet(path, columns=list(self.columns))


def load_coded(
    out: str | Path, table: str = "codes", *, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """A table written by :func:`code_frames_dask`, in memory, ordered as by ``code_frames``.

    Partitions are concatenated and stably sorted by ``doc_id`` (as :func:`framelab.code_frames`
    orders its rows), so for a corpus that fits in memory the result equals the in-memory
    table exactly.

    Parameters
    ----------
    out : str or Path
        The output folder.
    table : {"codes", "hits", "units"}
    columns : list of str, optional
        Read only these columns (``doc_id`` is always read, for the ordering).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import tempfile
    >>> from framelab.codebook import Codebook
    >>> from framelab.coding import code_frames
    >>> from framelab.scale import write_coded
    >>> cb = Codebook.from_dict({"name": "m", "version": "1",
    ...                          "frames": {"ceasefire": {"terms": ["truce"]}}})
    >>> coded = code_frames(pd.DataFrame({"doc_id": ["b", "a"], "text": ["No news.", "A truce."]}), cb)
    >>> folder = write_coded(coded, tempfile.mkdtemp()).out
    >>> load_coded(folder)[["doc_id", "frame", "count", "present"]]
      doc_id      frame  count  present
    0      a  ceasefire      1        1
    1      b  ceasefire      0        0
    """
    files = _finished_files(Path(out), table, "load_coded")
    cols = None if columns is None else list(dict.fromkeys(["doc_id", *columns]))
    frames = [pd.read_parquet(f, columns=cols) for f in files]
    nonempty = [f for f in frames if len(f)] or frames[:1]
    if not nonempty:
        raise ValueError(f"load_coded(): no partition of {out} has finished; nothing to read.")
    data = pd.concat(nonempty, ignore_index=True) if len(nonempty) > 1 else nonempty[0]
    if not data["doc_id"].is_monotonic_increasing:
        data = data.sort_values("doc_id", kind="mergesort")
    data = data.reset_index(drop=True)
    return data if columns is None else data[list(columns)]
