"""Frame coding over Dask partitions, written as partitioned Parquet, resumable.

The output folder has the layout of :mod:`framelab.coding_io` (one Parquet file per partition
and table, a ``_status`` record per partition, ``manifest.json``). A partition counts as
finished when its status file says ``done`` for the same input hash and the same settings and
its three Parquet files exist; a rerun skips it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from framelab._errors import suggest
from framelab.codebook import Codebook, load_codebook
from framelab.coding import LEVELS, code_frames
from framelab.coding_io import (
    _RECORD_META,
    TABLES,
    CodedDask,
    _finish,
    _now,
    _part,
    _remove_stale,
    _status_record,
    _worker,
    _write_status,
    _write_tables,
    load_coded,  # noqa: F401  (used in the doctests)
    write_coded,
)
from framelab.scale._read import (
    PartitionReader,
    ReadSpec,
    _check_bad_lines,
    default_strings,
    file_sha256,
    frame_sha256,
    resolve_paths,
)
from framelab.scale._run import current_client, run_partitions
from framelab.text import SentenceSplitter

__all__ = ["code_frames_dask", "write_coded"]

logger = logging.getLogger(__name__)

_ERRORS = ("raise", "report")


def _read_status(out: Path, index: int) -> dict | None:
    path = out / "_status" / f"{_part(index)}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _outputs_exist(out: Path, index: int) -> bool:
    return all((out / t / f"{_part(index)}.parquet").is_file() for t in TABLES)


@dataclass(frozen=True)
class CodeSpec:
    """What every partition task needs (sent to the workers)."""

    out: str
    codebook: Codebook | None
    level: str
    splitter: SentenceSplitter | None
    settings_sha256: str
    coder: Any = None  # a fitted framelab.learn.SupervisedCoder, coding instead of codebook

    def finished(self, prev: dict | None, index: int, input_sha: str, source: str) -> bool:
        return (
            prev is not None
            and prev.get("status") == "done"
            and prev.get("input_sha256") == input_sha
            and prev.get("settings_sha256") == self.settings_sha256
            and _outputs_exist(Path(self.out), index)
        )

    def record(self, index: int, source: str, status: str, **values: Any) -> dict:
        return _status_record(index, source, status, self.settings_sha256, **values)

    def skipped(self, prev: dict) -> dict:
        rec = dict(prev)
        rec.update(
            status="skipped",
            seconds=0.0,
            worker=_worker(),
            message=f"finished earlier ({prev.get('finished', '?')}); not recomputed",
            warnings="[]",
        )
        return rec

    def failed(self, index: int, source: str, exc: BaseException, **values: Any) -> dict:
        rec = self.record(index, source, "failed", message=f"{type(exc).__name__}: {exc}", **values)
        _write_status(Path(self.out), rec)
        return rec

    def code(self, corpus: pd.DataFrame, index: int, source: str, input_sha: str, t0: float):
        """Code one partition with :func:`framelab.code_frames` (or the supervised coder's
        ``code``) and write its three tables."""
        if self.coder is not None:
            coded = self.coder.code(corpus, splitter=self.splitter)
        else:
            coded = code_frames(  # the same core per partition; its output is the cache
                corpus,
                self.codebook,
                level=self.level,
                splitter=self.splitter,
                progress=False,
                cache_dir=False,
            )
        out = Path(self.out)
        _write_tables(coded, out, index)
        rec = self.record(
            index,
            source,
            "done",
            documents=int(len(corpus)),
            units=int(len(coded.units)),
            hits=int(len(coded.hits)),
            seconds=time.perf_counter() - t0,
            input_sha256=input_sha,
        )
        _write_status(out, rec)
        return rec


def _frame(rec: dict) -> pd.DataFrame:
    return pd.DataFrame([rec], columns=list(_RECORD_META.columns)).astype(
        _RECORD_META.dtypes.to_dict()
    )


def _captured(caught: list) -> str:
    return json.dumps([[w.category.__name__, str(w.message)] for w in caught])


@dataclass(frozen=True)
class ReadAndCode:
    """Task of one partition *file*: read it with framelab's loader, code it, write it."""

    spec: CodeSpec
    reader: PartitionReader

    def __call__(self, item: tuple[int, str, str]) -> pd.DataFrame:
        index, source, input_sha = item
        t0 = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                corpus = self.reader(source)
                rec = self.spec.code(corpus, index, source, input_sha, t0)
            except Exception as exc:
                rec = self.spec.failed(index, source, exc, input_sha256=input_sha)
        rec["warnings"] = _captured(caught)
        return _frame(rec)


@dataclass(frozen=True)
class CodePartition:
    """Task of one partition of a Dask DataFrame: code it (unless finished before), write it."""

    spec: CodeSpec
    previous: dict[int, dict]

    def __call__(self, part: pd.DataFrame, partition_info: dict | None = None) -> pd.DataFrame:
        index = int(partition_info["number"]) if partition_info else 0
        source = f"partition {index}"
        t0 = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            corpus = default_strings(part)
            input_sha = frame_sha256(corpus)
            prev = self.previous.get(index)
            if self.spec.finished(prev, index, input_sha, source):
                rec = self.spec.skipped(prev)
            else:
                try:
                    rec = self.spec.code(corpus, index, source, input_sha, t0)
                except Exception as exc:
                    rec = self.spec.failed(index, source, exc, input_sha256=input_sha)
        if rec["status"] != "skipped":
            rec["warnings"] = _captured(caught)
        return _frame(rec)


# --------------------------------------------------------------------------- settings


def _splitter_fingerprint(splitter: SentenceSplitter | None) -> str | None:
    if splitter is None:
        return None
    params = getattr(getattr(splitter, "tokenizer", None), "_params", None)
    parts = [splitter.source]
    if params is not None:
        for name in ("abbrev_types", "collocations", "sent_starters"):
            parts.append(repr(sorted(map(repr, getattr(params, name, ())))))
        parts.append(repr(sorted(getattr(params, "ortho_context", {}).items())))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _settings_sha256(codebook, level: str, splitter, read: dict | None) -> str:
    from framelab._version import __version__

    blob = json.dumps(
        {
            "codebook": codebook if isinstance(codebook, str) else codebook.to_dict(),
            "level": level,
            "splitter": _splitter_fingerprint(splitter),
            "read": read,
            "framelab": __version__,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def _first_texts(ddf, n: int = 2000) -> list[str]:
    """Texts of the ``n`` smallest doc_ids over all partitions, in doc_id order (a tree
    reduction, so no more than a few times ``n`` texts are in memory at once)."""

    def head(df: pd.DataFrame) -> pd.DataFrame:
        df = default_strings(df[["doc_id", "text"]])
        return df.sort_values("doc_id", kind="mergesort").head(n)

    meta = default_strings(ddf._meta[["doc_id", "text"]])
    first = ddf[["doc_id", "text"]].reduction(
        head, aggregate=head, combine=head, meta=meta, split_every=8
    )
    return first.compute()["text"].fillna("").astype(str).tolist()


def _check_level(level: object, caller: str) -> None:
    if level not in LEVELS:
        raise ValueError(
            f"{caller}(): level must be one of {', '.join(LEVELS)}, got {level!r}."
            f"{suggest(str(level), LEVELS, 'level')}"
        )


# --------------------------------------------------------------------------- main entry


def code_frames_dask(
    source,
    codebook: Codebook | str,
    *,
    out: str | Path,
    level: str = "document",
    splitter: SentenceSplitter | None = None,
    client: Any = None,
    format: str | None = None,
    encoding: str | None = None,
    on_bad_lines: str = "error",
    errors: str = "raise",
    progress: bool | None = None,
    **options: object,
) -> CodedDask:
    """Code a corpus partition by partition with :func:`framelab.code_frames`; write Parquet.

    Each partition is coded by the very same :func:`framelab.code_frames` as an in-memory
    corpus (the engine codes every document independently, so partition boundaries do not
    change any code), and its FrameCodes, Hits and units are written as one Parquet file per
    partition. Finished partitions are recorded, so an interrupted or partly failed run is
    resumed by calling the function again with the same arguments.

    Parameters
    ----------
    source : dask.dataframe.DataFrame, str, Path or list
        A Dask Corpus table (e.g. from :func:`read_corpus_dask` or ``dd.from_pandas``), or the
        partition files themselves: a glob pattern, a folder or a list of files, as in
        :func:`read_corpus_dask`. With files, each task reads its file with
        :func:`framelab.load_corpus`, so a file that cannot be read fails only its own
        partition, and a finished file is recognised by its SHA-256 without being read again.
    codebook : Codebook, str or SupervisedCoder
        A Codebook, a shipped codebook name or a path; or a fitted
        :class:`framelab.learn.SupervisedCoder` (e.g. ``SupervisedCoder.load(path)``), whose
        ``code`` then codes each partition (its level is used; ``level`` must agree).
    out : str or Path
        Output folder (must be reachable by every worker: a shared file system on a cluster).
    level : {"document", "paragraph", "sentence"}
    splitter : SentenceSplitter, optional
        For ``level="sentence"``. Default, as in :func:`framelab.code_frames`: NLTK's pretrained
        Punkt model if installed, else Punkt trained on the 2,000 documents with the smallest
        doc_ids of the whole corpus (found with a tree reduction over the partitions: one extra
        pass over the data).
    client : distributed.Client, optional
        Cluster to run on; default: the active client if there is one, else the partitions run
        one after another in this process.
    format, encoding, on_bad_lines, **options
        How partition files are read (see :func:`read_corpus_dask`); only with file sources.
    errors : {"raise", "report"}, default "raise"
        When partitions failed (after all the others finished): ``"raise"`` raises a
        :class:`PartitionError` listing them; ``"report"`` returns and leaves them in
        ``manifest`` with status ``failed``.
    progress : bool, optional
        Progress bar over partitions; default: when there are more than 10.

    Returns
    -------
    CodedDask
        The output folder and a manifest with one row per partition.

    Raises
    ------
    PartitionError
        Some partitions failed (``errors="raise"``); the message names each one and its error,
        e.g. the loader's "line 7: malformed row". Fix the input and call again: finished
        partitions are kept and skipped.
    ValueError
        The same ``doc_id`` occurs in more than one partition.

    Notes
    -----
    Warnings raised while reading or coding a partition (skipped malformed rows with
    ``on_bad_lines="warn"``, documents dropped for empty text) are collected by the task and
    repeated here, prefixed with the partition, so they are not lost in a worker's log.

    Examples
    --------
    >>> import tempfile
    >>> import dask.dataframe as dd
    >>> from framelab.codebook import Codebook
    >>> cb = Codebook.from_dict({"name": "mini", "version": "1",
    ...                          "frames": {"ceasefire": {"terms": ["truce"]}}})
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b", "c"],
    ...                        "text": ["A truce.", "No news.", "Truce talks; truce holds."]})
    >>> result = code_frames_dask(dd.from_pandas(corpus, npartitions=2), cb,
    ...                           out=tempfile.mkdtemp())
    >>> result.manifest[["partition", "status", "documents", "hits"]]
       partition status  documents  hits
    0          0   done          2     1
    1          1   done          1     2
    >>> result.to_pandas()[["doc_id", "frame", "count", "present"]]
      doc_id      frame  count  present
    0      a  ceasefire      1        1
    1      b  ceasefire      0        0
    2      c  ceasefire      2        1
    """
    caller = "code_frames_dask"
    _check_level(level, caller)
    if errors not in _ERRORS:
        raise ValueError(
            f"{caller}(): errors must be 'raise' or 'report', got {errors!r}."
            f"{suggest(str(errors), _ERRORS, 'errors')}"
        )
    _check_bad_lines(on_bad_lines, caller)
    from framelab._files import ensure_writable

    out = ensure_writable(Path(out))
    codebook, coder, level = _resolve_coder(codebook, level, caller)
    client = current_client(client)
    is_files = _is_files(source, format, encoding, on_bad_lines, options, caller)
    paths, read_spec, read = [], None, None
    if is_files:
        paths = resolve_paths(source, format, caller)
        read_spec = ReadSpec(format, encoding, on_bad_lines, dict(options))
        read = read_spec.fingerprint()
    if level == "sentence" and splitter is None:
        splitter = _default_splitter(source if not is_files else None, paths, format, read)
    spec = CodeSpec(
        out=str(out),
        codebook=codebook,
        level=level,
        splitter=splitter,
        settings_sha256=_settings_sha256(
            codebook if coder is None else coder.model_id_, level, splitter, read
        ),
        coder=coder,
    )
    out.mkdir(parents=True, exist_ok=True)
    started = _now()
    if is_files:
        n_parts = len(paths)
        records = _code_files(spec, paths, read_spec, client, progress)
    else:
        n_parts = source.npartitions
        records = _code_frame(spec, source, client, progress)
    _remove_stale(out, n_parts)
    book_id = codebook.id if coder is None else coder.model_id_
    return _finish(records, out, level, spec.settings_sha256, book_id, started, errors, caller)


def _resolve_coder(codebook, level: str, caller: str) -> tuple[Codebook | None, Any, str]:
    """``(codebook, coder, level)``: a fitted supervised coder (which sets the level), or the
    loaded codebook."""
    coder = codebook if hasattr(codebook, "model_id_") else None
    if coder is None:
        return load_codebook(codebook), None, level
    if level != coder.level and level != "document":
        raise ValueError(
            f"{caller}(): level={level!r} but the supervised coder codes {coder.level} "
            f"units; leave level out or pass level={coder.level!r}."
        )
    return None, coder, coder.level


def _is_files(source, format, encoding, on_bad_lines, options: dict, caller: str) -> bool:
    """Whether ``source`` names partition files (else it is a Dask DataFrame); read options
    are refused for a Dask DataFrame."""
    is_files = isinstance(source, (str, Path, list, tuple))
    if not is_files and not _is_dask_frame(source):
        raise TypeError(
            f"{caller}(): source must be a Dask DataFrame or partition files (a glob pattern, a "
            f"folder or a list), got {type(source).__name__}. For a pandas Corpus use "
            "framelab.code_frames(), or dask.dataframe.from_pandas(corpus, npartitions=...)."
        )
    if not is_files and (format, encoding, on_bad_lines, options) != (None, None, "error", {}):
        raise TypeError(
            f"{caller}(): format/encoding/on_bad_lines/column options apply to partition files "
            "only; a Dask DataFrame has been read already. Pass them to read_corpus_dask()."
        )
    return is_files


def _default_splitter(ddf, paths: Sequence[Path], format, read: dict | None) -> SentenceSplitter:
    """NLTK's pretrained Punkt model if installed, else Punkt trained on the first texts of the
    whole corpus (``ddf``, or the partition files read lazily)."""
    try:
        return SentenceSplitter.pretrained()
    except LookupError:
        from framelab.scale._read import read_corpus_dask

        if ddf is None:
            ddf = read_corpus_dask(paths, format, **_read_kw(read))
        return SentenceSplitter.train(_first_texts(ddf))


def _code_files(spec: CodeSpec, paths: Sequence[Path], read_spec: ReadSpec, client,
                progress: bool | None) -> list[dict]:  # fmt: skip
    """Status records of partition files: finished ones (same SHA-256 and settings) skipped
    without being read, the others read and coded by one task each."""
    import dask
    import dask.dataframe as dd

    out = Path(spec.out)
    records, todo = [], []
    for i, path in enumerate(paths):
        sha = file_sha256(path)
        prev = _read_status(out, i)
        if spec.finished(prev, i, sha, str(path)):
            records.append(spec.skipped(prev))
        else:
            todo.append((i, str(path), sha))
    if not todo:
        return records
    meta, first = _first_meta(read_spec, paths)
    reader = PartitionReader(read_spec, meta, first)
    with dask.config.set({"dataframe.convert-string": False}):
        status = dd.from_map(
            ReadAndCode(spec, reader),
            todo,
            meta=_RECORD_META,
            label="code-frames",
            enforce_metadata=False,
        )
    sources = {i: (src, sha) for i, src, sha in todo}
    return records + run_partitions(
        status.to_delayed(),
        [i for i, _, _ in todo],
        lambda i, exc: spec.failed(i, sources[i][0], exc, input_sha256=sources[i][1]),
        client=client,
        progress=progress if progress is not None else len(todo) > 10,
        desc="coding partitions",
    )


def _code_frame(spec: CodeSpec, ddf, client, progress: bool | None) -> list[dict]:
    """Status records of the partitions of a Dask DataFrame (each task skips its partition
    when it finished before with the same content and settings)."""
    import dask

    out = Path(spec.out)
    n_parts = ddf.npartitions
    previous = {i: p for i in range(n_parts) if (p := _read_status(out, i)) is not None}
    with dask.config.set({"dataframe.convert-string": False}):
        status = ddf.map_partitions(
            CodePartition(spec, previous), meta=_RECORD_META, enforce_metadata=False
        )
    return run_partitions(
        status.to_delayed(),
        list(range(n_parts)),
        lambda i, exc: spec.failed(i, f"partition {i}", exc),
        client=client,
        progress=progress if progress is not None else n_parts > 10,
        desc="coding partitions",
    )


def _first_meta(spec: ReadSpec, paths: Sequence[Path]) -> tuple[pd.DataFrame | None, str]:
    """Columns and dtypes of the first file that loads (all partitions are conformed to it);
    errors and warnings are left to the partition tasks, which report them."""
    for path in paths:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                meta = spec.load(path).iloc[:0]
            except Exception:  # reported by that partition's task
                continue
        meta.attrs = {}
        return meta, str(path)
    return None, ""


def _read_kw(read: dict | None) -> dict:
    if read is None:
        return {}
    return {
        "encoding": read["encoding"],
        "on_bad_lines": read["on_bad_lines"],
        **read["options"],
    }


def _is_dask_frame(obj: object) -> bool:
    try:
        import dask.dataframe as dd
    except ImportError:  # pragma: no cover
        return False
    return isinstance(obj, dd.DataFrame)
