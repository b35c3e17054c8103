"""A manifest of raw input files: SHA-256 of every file, and a check that none changed since.

The checksum helpers and the raw-data guard live in :mod:`framelab._files`.

.. deprecated::
    Importing ``file_sha256``, ``folder_sha256`` or ``ensure_writable`` from
    ``framelab.io.manifest`` still works (they are re-exported here) but is deprecated: import
    them from ``framelab._files``.
"""

from __future__ import annotations

import datetime
import json
import logging
import warnings
from pathlib import Path

import pandas as pd

from framelab._files import ensure_writable, file_sha256, folder_sha256

__all__ = ["check_manifest", "ensure_writable", "file_sha256", "folder_sha256", "write_manifest"]

logger = logging.getLogger(__name__)


def _scan(raw_dir: Path) -> dict[str, dict]:
    files = {}
    for file in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        rel = file.relative_to(raw_dir).as_posix()
        if rel.startswith(".") or "/." in rel:
            continue
        files[rel] = {"sha256": file_sha256(file), "bytes": file.stat().st_size}
    return files


def write_manifest(
    raw_dir: str | Path = "data/raw", path: str | Path = "data/processed/raw_manifest.json"
) -> pd.DataFrame:
    """Record the SHA-256 of every file under ``raw_dir`` in a JSON manifest.

    Returns
    -------
    pandas.DataFrame
        ``file, sha256, bytes`` per file.

    Examples
    --------
    >>> import tempfile
    >>> raw = Path(tempfile.mkdtemp()) / "raw"
    >>> raw.mkdir()
    >>> _ = (raw / "a.csv").write_text("x")
    >>> write_manifest(raw, raw.parent / "manifest.json").to_dict("records")
    [{'file': 'a.csv', 'sha256': '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881', 'bytes': 1}]
    """
    raw_dir, path = Path(raw_dir), ensure_writable(path, raw_dir=raw_dir)
    files = _scan(raw_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "raw_dir": raw_dir.as_posix(),
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "files": files,
    }
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return _table(files)


def _table(files: dict[str, dict]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"file": f, "sha256": v["sha256"], "bytes": v["bytes"]} for f, v in files.items()],
        columns=["file", "sha256", "bytes"],
    )


def check_manifest(
    raw_dir: str | Path = "data/raw", path: str | Path = "data/processed/raw_manifest.json"
) -> pd.DataFrame:
    """Compare the raw files with the manifest; warn when any changed, vanished or appeared.

    Returns
    -------
    pandas.DataFrame
        ``file, status`` with status ``unchanged``, ``changed``, ``missing`` or ``new``.

    Examples
    --------
    >>> import tempfile
    >>> raw = Path(tempfile.mkdtemp()) / "raw"
    >>> raw.mkdir()
    >>> _ = (raw / "a.csv").write_text("x")
    >>> _ = write_manifest(raw, raw.parent / "manifest.json")
    >>> check_manifest(raw, raw.parent / "manifest.json")
        file     status
    0  a.csv  unchanged
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"check_manifest(): no manifest at {path}. Create one with write_manifest()."
        )
    recorded = json.loads(path.read_text(encoding="utf-8"))["files"]
    current = _scan(Path(raw_dir))
    rows = []
    for file in sorted(set(recorded) | set(current)):
        if file not in current:
            status = "missing"
        elif file not in recorded:
            status = "new"
        elif current[file]["sha256"] != recorded[file]["sha256"]:
            status = "changed"
        else:
            status = "unchanged"
        rows.append({"file": file, "status": status})
    table = pd.DataFrame(rows, columns=["file", "status"])
    changed = table[table["status"].isin(["changed", "missing"])]
    if len(changed):
        warnings.warn(
            f"check_manifest(): {len(changed)} raw file(s) under {raw_dir} differ from the "
            f"manifest {path}: "
            + ", ".join(
                f"{f} ({s})"
                for f, s in list(zip(changed["file"], changed["status"], strict=False))[:5]
            )
            + ". Raw data should never change; if the change is intended, run write_manifest().",
            UserWarning,
            stacklevel=2,
        )
    return table
