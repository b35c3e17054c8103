"""Coded tables on disk: the layout written by :func:`framelab.scale.code_frames_dask` and
:func:`write_coded`, the result object and the readers.

Layout of an output folder ``out``::

    out/codes/part-00000.parquet    FrameCodes of partition 0 (exactly what code_frames returns)
    out/hits/part-00000.parquet     Hits
    out/units/part-00000.parquet    units (doc_id, unit_id, level, start, end, n_tokens)
    out/_status/part-00000.json     written last, by the task: input hash, settings hash, status
    out/manifest.json               written by the client at the end: one record per partition

An in-memory :func:`framelab.code_frames` result is one partition (:func:`write_coded`); the
Dask runner (:mod:`framelab.scale`) writes one per input partition with the same helpers. Every
file is written to a temporary name and renamed, so an interrupted write leaves no half-written
file behind. Dask is imported only by :func:`read_coded`.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import socket
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from framelab._errors import suggest
from framelab._files import atomic_write_file

__all__ = [
    "STATUS_COLUMNS",
    "CodedDask",
    "PartitionError",
    "load_coded",
    "read_coded",
    "write_coded",
]

logger = logging.getLogger(__name__)

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


# --------------------------------------------------------------------------- writing


def _write_json(path: Path, payload: dict) -> None:
    text = json.dumps(payload, indent=1, sort_keys=True, default=str) + "\n"
    atomic_write_file(path, lambda p: p.write_text(text, encoding="utf-8"))


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def _status_record(
    index: int, source: str, status: str, settings_sha256: str, **values: object
) -> dict:
    """One partition's status record (the ``_status`` file and the manifest row)."""
    rec = {
        "partition": index,
        "source": source,
        "status": status,
        "documents": 0,
        "units": 0,
        "hits": 0,
        "seconds": 0.0,
        "worker": _worker(),
        "input_sha256": "",
        "message": "",
        "settings_sha256": settings_sha256,
        "warnings": "[]",
        "finished": _now(),
    }
    rec.update(values)
    return rec


def _write_status(out: Path, rec: dict) -> None:
    status_dir = out / "_status"
    status_dir.mkdir(parents=True, exist_ok=True)
    _write_json(status_dir / f"{_part(rec['partition'])}.json", rec)


def _write_tables(coded, out: Path, index: int) -> None:
    for table in TABLES:
        folder = out / table
        folder.mkdir(parents=True, exist_ok=True)
        frame = getattr(coded, table)
        atomic_write_file(
            folder / f"{_part(index)}.parquet", lambda p, f=frame: f.to_parquet(p, index=False)
        )


_RECORD_META = pd.DataFrame(
    {
        "partition": pd.Series([], dtype="int64"),
        "source": pd.Series([], dtype="str"),
        "status": pd.Series([], dtype="str"),
        "documents": pd.Series([], dtype="int64"),
        "units": pd.Series([], dtype="int64"),
        "hits": pd.Series([], dtype="int64"),
        "seconds": pd.Series([], dtype="float64"),
        "worker": pd.Series([], dtype="str"),
        "input_sha256": pd.Series([], dtype="str"),
        "message": pd.Series([], dtype="str"),
        "settings_sha256": pd.Series([], dtype="str"),
        "warnings": pd.Series([], dtype="str"),
        "finished": pd.Series([], dtype="str"),
    }
)


def write_coded(coded, out: str | Path, *, source: str = "in memory") -> CodedDask:
    """Write an in-memory :func:`framelab.code_frames` result in the layout of
    :func:`code_frames_dask` (one partition), so both can be read the same way.

    Parameters
    ----------
    coded : framelab.coding.Coded
    out : str or Path
        Output folder; files of an earlier run there are replaced.
    source : str
        Recorded in the manifest.

    Returns
    -------
    CodedDask

    Examples
    --------
    >>> import tempfile
    >>> from framelab.codebook import Codebook
    >>> cb = Codebook.from_dict({"name": "m", "version": "1",
    ...                          "frames": {"ceasefire": {"terms": ["truce"]}}})
    >>> from framelab.coding import code_frames
    >>> coded = code_frames(pd.DataFrame({"doc_id": ["a"], "text": ["A truce."]}), cb)
    >>> folder = tempfile.mkdtemp()
    >>> write_coded(coded, folder).manifest[["partition", "status", "documents", "hits"]]
       partition status  documents  hits
    0          0   done          1     1
    >>> load_coded(folder).equals(coded.codes)
    True
    """
    from framelab._files import ensure_writable
    from framelab.coding import Coded

    if not isinstance(coded, Coded):
        raise TypeError(
            f"write_coded(): expected the result of code_frames(), got {type(coded).__name__}."
        )
    out = ensure_writable(Path(out))
    out.mkdir(parents=True, exist_ok=True)
    started = _now()
    _write_tables(coded, out, 0)
    rec = _status_record(
        0,
        source,
        "done",
        "in-memory",
        documents=int(coded.units["doc_id"].nunique()),
        units=int(len(coded.units)),
        hits=int(len(coded.hits)),
    )
    _write_status(out, rec)
    _remove_stale(out, 1)
    book_id = coded.codebook.id if coded.codebook is not None else None
    if getattr(coded, "coder", None) is not None:
        book_id = coded.coder.model_id_
    return _finish([rec], out, coded.level, "in-memory", book_id, started, "raise", "write_coded")


def _remove_stale(out: Path, n_parts: int) -> None:
    """Files of partitions beyond this run's last one (left by an earlier, larger run)."""
    for folder in (*TABLES, "_status"):
        for path in (out / folder).glob("part-*"):
            try:
                index = int(path.name.split(".")[0].split("-")[1])
            except (IndexError, ValueError):
                continue
            if index >= n_parts:
                logger.info("removing %s (a partition of an earlier run)", path)
                path.unlink()


def _finish(records, out, level: str, settings_sha256: str, book_id: str | None, started, errors,
            caller) -> CodedDask:  # fmt: skip
    """Write the manifest, repeat the partitions' warnings, raise when some failed."""
    records = sorted(records, key=lambda r: r["partition"])
    for rec in records:
        for category, message in json.loads(rec.get("warnings") or "[]"):
            cls = _warning_class(category)
            warnings.warn(
                f"{caller}(): partition {rec['partition']} ({rec['source']}): {message}",
                cls,
                stacklevel=3,
            )
    manifest = pd.DataFrame(records, columns=list(STATUS_COLUMNS))
    manifest = manifest.astype({c: _RECORD_META[c].dtype for c in STATUS_COLUMNS})
    manifest = manifest.reset_index(drop=True)
    payload = {
        "framelab_scale": 1,
        "codebook": book_id,
        "level": level,
        "settings_sha256": settings_sha256,
        "started": started,
        "finished": _now(),
        "summary": {
            "partitions": len(records),
            **{s: sum(r["status"] == s for r in records) for s in ("done", "skipped", "failed")},
            "documents": int(sum(r["documents"] for r in records)),
            "units": int(sum(r["units"] for r in records)),
            "hits": int(sum(r["hits"] for r in records)),
        },
        "partitions": [{k: r.get(k) for k in (*STATUS_COLUMNS, "finished")} for r in records],
    }
    _write_json(out / "manifest.json", payload)
    result = CodedDask(out=out, manifest=manifest, codebook=book_id, level=level)
    logger.info("%s: %r", caller, result)
    _check_unique_ids(out, caller)
    failed = result.failed
    if len(failed) and errors == "raise":
        lines = "\n".join(
            f"  partition {r.partition} ({r.source}): {r.message}" for r in failed.itertuples()
        )
        raise PartitionError(
            f"{caller}(): {len(failed)} of {len(manifest)} partitions failed; the other "
            f"{len(manifest) - len(failed)} finished and are written under {out}.\n{lines}\n"
            "Fix these inputs and call again with the same arguments: finished partitions are "
            "skipped. (errors='report' returns instead of raising.)",
            result,
        )
    return result


def _warning_class(name: str) -> type[Warning]:
    import builtins

    cls = getattr(builtins, name, None)
    if isinstance(cls, type) and issubclass(cls, Warning):
        return cls
    return UserWarning


def _check_unique_ids(out: Path, caller: str) -> None:
    """Raise when a doc_id occurs in more than one finished partition."""
    frames = []
    for path in _finished_files(out, "units", caller):
        ids = pd.read_parquet(path, columns=["doc_id"])["doc_id"].drop_duplicates()
        frames.append(pd.DataFrame({"doc_id": ids, "partition": int(path.stem.split("-")[1])}))
    if len(frames) < 2:
        return
    ids = pd.concat(frames, ignore_index=True)
    repeated = ids[ids["doc_id"].duplicated(keep=False)]
    if len(repeated):
        where = repeated.groupby("doc_id", sort=True)["partition"].apply(list)
        shown = "; ".join(f"{d!r} in partitions {v}" for d, v in list(where.items())[:10])
        raise ValueError(
            f"{caller}(): {len(where)} doc_id value(s) occur in more than one partition: {shown}"
            f"{' ...' if len(where) > 10 else ''}. doc_id must be unique across the corpus: drop "
            "the duplicates from the input files (or their doc_id column, to let framelab hash "
            "text + outlet + date) and run again."
        )
