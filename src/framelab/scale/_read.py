"""Reading a corpus as Dask partitions: one file = one partition, read by framelab's own loader.

Every partition goes through :func:`framelab.io.load_corpus` - the same readers, the same
``on_bad_lines`` rules and the same :func:`framelab.validate_corpus` checks as an in-memory load -
and is then conformed to the columns and dtypes of the first partition so that all partitions
share one schema.
"""

from __future__ import annotations

import glob
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from framelab._errors import suggest
from framelab._files import file_sha256, table_sha256  # noqa: F401  (file_sha256: old import path)

__all__ = ["read_corpus_dask"]

logger = logging.getLogger(__name__)

#: Formats looked for when ``source`` is a folder and no ``format`` is given.
FOLDER_FORMATS = ("parquet", "csv", "tsv", "jsonl")
_BAD_LINES = ("error", "warn", "skip")
_GLOB_CHARS = frozenset("*?[")


def _check_bad_lines(on_bad_lines: object, caller: str) -> None:
    if on_bad_lines not in _BAD_LINES:
        raise ValueError(
            f"{caller}(): on_bad_lines must be one of {', '.join(map(repr, _BAD_LINES))}, got "
            f"{on_bad_lines!r}.{suggest(str(on_bad_lines), _BAD_LINES, 'on_bad_lines')}"
        )


def _extensions(fmt: str | None, caller: str) -> tuple[str, ...]:
    from framelab.io import get_format

    names = FOLDER_FORMATS if fmt is None else (fmt,)
    out: list[str] = []
    for name in names:
        try:
            out.extend(get_format(name).extensions)
        except ValueError as err:
            raise ValueError(f"{caller}(): {err}") from None
    return tuple(out)


def resolve_paths(
    source: str | Path | Sequence[str | Path], fmt: str | None, caller: str
) -> list[Path]:
    """The files behind ``source``: a glob pattern, a folder, a file or a list of files.

    Folders contribute their (non-hidden, non-recursive) files with the extensions of ``fmt``,
    or of Parquet, CSV, TSV and JSON Lines when ``fmt`` is None. The result is sorted, so the
    partition numbers are stable between runs.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("b.csv", "a.csv", "notes.txt"):
    ...     _ = (folder / name).write_text("text\\nx\\n", encoding="utf-8")
    >>> [p.name for p in resolve_paths(folder, None, "read_corpus_dask")]
    ['a.csv', 'b.csv']
    >>> [p.name for p in resolve_paths(str(folder / "*.csv"), None, "read_corpus_dask")]
    ['a.csv', 'b.csv']
    """
    if isinstance(source, (str, Path)):
        text = str(source)
        if _GLOB_CHARS & set(text):
            paths = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not paths:
                raise FileNotFoundError(
                    f"{caller}(): no file matches the pattern {text!r} (working directory: "
                    f"{Path.cwd()}). Check the folder and the extension in the pattern."
                )
            return paths
        path = Path(source)
        if path.is_dir():
            exts = _extensions(fmt, caller)
            paths = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in exts
            )
            if not paths:
                found = sorted({p.suffix or "(none)" for p in path.iterdir() if p.is_file()})
                raise FileNotFoundError(
                    f"{caller}(): the folder {path} has no {'/'.join(exts)} files (extensions "
                    f"found: {', '.join(found) or 'none'}). Pass format=... or a glob such as "
                    f"'{path}/*.csv'."
                )
            return paths
        if path.is_file():
            return [path]
        raise FileNotFoundError(
            f"{caller}(): {path} does not exist (working directory: {Path.cwd()}). Pass a file, "
            "a folder of partition files, a glob pattern or a list of files."
        )
    if isinstance(source, Sequence) and not isinstance(source, (bytes, bytearray)):
        paths = [Path(p) for p in source]
        if not paths:
            raise ValueError(f"{caller}(): the list of partition files is empty.")
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise FileNotFoundError(
                f"{caller}(): {len(missing)} partition file(s) do not exist, e.g. {missing[0]}."
            )
        return paths
    raise TypeError(
        f"{caller}(): expected a glob pattern, a folder, a file or a list of files, got "
        f"{type(source).__name__}."
    )


@dataclass(frozen=True)
class ReadSpec:
    """How each partition file is read: the arguments of :func:`framelab.io.load_corpus`."""

    format: str | None = None
    encoding: str | None = None
    on_bad_lines: str = "error"
    options: Mapping[str, Any] = field(default_factory=dict)

    def load(self, path: str | Path) -> pd.DataFrame:
        from framelab.io import load_corpus

        return load_corpus(
            path,
            self.format,
            encoding=self.encoding,
            on_bad_lines=self.on_bad_lines,
            **dict(self.options),
        )

    def fingerprint(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "encoding": self.encoding,
            "on_bad_lines": self.on_bad_lines,
            "options": {str(k): str(v) for k, v in sorted(dict(self.options).items())},
        }


def default_strings(df: pd.DataFrame) -> pd.DataFrame:
    """String columns in pandas' default ``str`` dtype (Dask may hand them over as ``string``).

    Dask converts text columns to ``string[pyarrow]`` (missing value ``pd.NA``) when it builds a
    collection from pandas; the Corpus schema uses pandas' default ``str`` (missing value NaN).
    Only the dtype changes, not the values.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": pd.array(["a", None], dtype="string"), "n": [1, 2]})
    >>> default_strings(df).dtypes.astype(str).tolist()
    ['str', 'int64']
    """
    convert = {
        c: "str"
        for c, t in df.dtypes.items()
        if isinstance(t, pd.StringDtype) and t.na_value is pd.NA
    }
    return df.astype(convert) if convert else df


def conform(df: pd.DataFrame, meta: pd.DataFrame, path: str, first: str) -> pd.DataFrame:
    """``df`` with the columns (order and dtypes) of ``meta``; missing metadata columns are added
    empty, unexpected ones raise :class:`framelab.io.LoadError`."""
    from framelab.io import LoadError

    extra = [c for c in df.columns if c not in meta.columns]
    if extra:
        raise LoadError(
            f"{path}: column(s) {', '.join(map(repr, extra))} are not in the first partition "
            f"({first}). All partitions must have the same columns: add them to every file, or "
            "drop them from this one."
        )
    out = df.copy()
    for col, dtype in meta.dtypes.items():
        if col not in out.columns:
            try:
                out[col] = pd.Series(None, index=out.index, dtype=object).astype(dtype)
            except (TypeError, ValueError):
                raise LoadError(
                    f"{path}: column {col!r} of the first partition ({first}) is missing and "
                    f"cannot be left empty in its dtype {dtype}. Add it to this file."
                ) from None
        elif out[col].dtype != dtype:
            try:
                out[col] = out[col].astype(dtype)
            except (TypeError, ValueError) as err:
                raise LoadError(
                    f"{path}: column {col!r} holds {out[col].dtype} values that cannot become "
                    f"{dtype} as in the first partition ({first}): {err}."
                ) from None
    return out[list(meta.columns)]


@dataclass(frozen=True)
class PartitionReader:
    """Picklable reader of one partition file (what each Dask task calls)."""

    spec: ReadSpec
    meta: pd.DataFrame | None = None
    first: str = ""

    def __call__(self, path: str | Path) -> pd.DataFrame:
        corpus = self.spec.load(path)
        if self.meta is not None:
            corpus = conform(corpus, self.meta, str(path), self.first)
        return corpus


#: Deprecated aliases kept for old imports: the one table hash and file hash of framelab live in
#: :mod:`framelab._files` (``frame_sha256`` is :func:`framelab._files.table_sha256`).
frame_sha256 = table_sha256


def read_corpus_dask(
    source: str | Path | Sequence[str | Path],
    format: str | None = None,
    *,
    encoding: str | None = None,
    on_bad_lines: str = "error",
    meta: pd.DataFrame | None = None,
    **options: object,
):
    """Read a corpus stored as many files into a Dask DataFrame, one file per partition.

    Each partition is read by :func:`framelab.io.load_corpus` - the same readers, the same
    ``on_bad_lines`` rules and the same :func:`framelab.validate_corpus` checks as an in-memory
    load - when Dask computes it, on whichever worker runs the task.

    Parameters
    ----------
    source : str, Path or list of them
        A glob pattern (``"data/raw/news/*.parquet"``), a folder (its Parquet, CSV, TSV and JSON
        Lines files, or those of ``format``), one file, or a list of files. Files are sorted;
        partition ``i`` is the ``i``-th file.
    format : str, optional
        ``"parquet"``, ``"csv"``, ``"tsv"``, ``"jsonl"`` (any registered file format works);
        detected per file from the extension when omitted.
    encoding : str, optional
        Text encoding of CSV/JSONL files; detected when omitted.
    on_bad_lines : {"error", "warn", "skip"}, default "error"
        Malformed CSV rows / JSONL lines, exactly as in :func:`framelab.load_corpus`: ``"error"``
        makes the partition fail with the loader's :class:`framelab.io.LoadError` (file and
        line in the message); ``"warn"`` skips them with a warning; ``"skip"`` skips them
        quietly. The warning is raised where the partition is read (a worker, with a cluster);
        :func:`code_frames_dask` collects such warnings and repeats them on the client.
    meta : pandas.DataFrame, optional
        An empty Corpus table with the expected columns and dtypes; by default the first file
        is read once, here, to find them.
    **options
        Column mapping and reader options of :func:`framelab.load_corpus` (``text="body"``,
        ``doc_id="id"``, ``delimiter=";"``...).

    Returns
    -------
    dask.dataframe.DataFrame
        A lazy Corpus table. Every partition has the columns and dtypes of the first one: a
        metadata column missing from a file is added empty; a column the first file lacks
        makes that partition fail with a :class:`framelab.io.LoadError` naming it. ``doc_id``
        is unique within each partition (checked by ``validate_corpus``); uniqueness across
        partitions is checked by :func:`code_frames_dask`.

    Raises
    ------
    FileNotFoundError
        ``source`` matches no file.
    ValueError
        Unknown ``format`` or ``on_bad_lines``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "part1.csv").write_text("id,body\\n1,Envoys met.\\n2,Talks stall.\\n")
    >>> _ = (folder / "part2.csv").write_text("id,body\\n3,A truce holds.\\n")
    >>> ddf = read_corpus_dask(folder / "*.csv", doc_id="id", text="body")
    >>> ddf.npartitions
    2
    >>> ddf.compute()[["doc_id", "text"]].to_dict("list")
    {'doc_id': ['1', '2', '3'], 'text': ['Envoys met.', 'Talks stall.', 'A truce holds.']}
    """
    import dask
    import dask.dataframe as dd

    caller = "read_corpus_dask"
    _check_bad_lines(on_bad_lines, caller)
    paths = resolve_paths(source, format, caller)
    spec = ReadSpec(format=format, encoding=encoding, on_bad_lines=on_bad_lines, options=options)
    if meta is None:
        meta = spec.load(paths[0]).iloc[:0]
    meta = meta.copy()
    meta.attrs = {}
    reader = PartitionReader(spec, meta, str(paths[0]))
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_map(
            reader,
            [str(p) for p in paths],
            meta=meta,
            label="read-corpus",
            enforce_metadata=False,
        )
