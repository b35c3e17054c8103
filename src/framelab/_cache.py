"""Result cache of expensive, deterministic stages: Parquet tables + a JSON record, never pickle.

An entry is a folder ``<cache root>/<stage>/<key>/``. The key is a SHA-256 of the *ingredients*:
everything that determines the result (hashes of the input tables, the parameters and seed,
the versions of the libraries that compute it) plus framelab's version and a hash of its source
files, so that an edited checkout never reuses what older code computed. ``cache.json``, written
last, records the ingredients and the SHA-256 of every file of the entry. An entry whose record
is missing, unreadable or does not match - a damaged file, an interrupted write, a hash
collision - is recomputed, with a logged warning.

Stages that use it take an explicit ``cache_dir`` (a study's is ``data/processed/cache``, see
:meth:`framelab.config.StudyConfig.cache_dir`); without one nothing is cached. Deleting the
folder is always safe.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pandas as pd

from framelab._files import (
    atomic_write_dir,
    ensure_writable,
    file_sha256,
    folder_sha256,
    table_sha256,  # re-exported: defined once, in framelab._files
)
from framelab._version import __version__

__all__ = ["ResultCache", "code_fingerprint", "package_versions", "table_sha256"]

logger = logging.getLogger(__name__)

_FORMAT = 1
_RECORD = "cache.json"
_UNSAFE_SUFFIXES = (".pkl", ".pickle", ".joblib")


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """framelab's version and a short hash of its source files: ``"<version>+<12 hex>"``.

    Examples
    --------
    >>> from framelab._version import __version__
    >>> fp = code_fingerprint()
    >>> fp.startswith(__version__ + "+"), len(fp.split("+")[1])
    (True, 12)
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def package_versions(*names: str) -> dict[str, str]:
    """Installed versions of ``names`` (``"not installed"`` for missing ones).

    Examples
    --------
    >>> package_versions("pandas", "no-such-package-xyz")["no-such-package-xyz"]
    'not installed'
    """
    out = {}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _canonical(ingredients: Mapping[str, Any]) -> dict[str, Any]:
    """The ingredients as they read back from JSON (tuples -> lists, keys sorted)."""
    return json.loads(json.dumps(dict(ingredients), sort_keys=True, default=str))


class ResultCache:
    """The entries of one stage in one folder, keyed by the stage's ingredients.

    Parameters
    ----------
    directory : str or Path
        Folder of the entries, by convention ``<cache root>/<stage>`` (e.g.
        ``data/processed/cache/supervised_cv``; never under ``data/raw``).
    stage : str
        Name of the stage, e.g. ``"supervised_cv"`` (part of every key).

    Examples
    --------
    >>> import tempfile
    >>> cache = ResultCache(Path(tempfile.mkdtemp()) / "demo", "demo")
    >>> ingredients = {"data": "ab12", "seed": 0}
    >>> cache.load_tables(ingredients) is None
    True
    >>> table = pd.DataFrame({"frame": ["ceasefire"], "f1": [0.75]})
    >>> folder = cache.save_tables(ingredients, {"scores": table})
    >>> sorted(p.name for p in folder.iterdir())
    ['cache.json', 'scores.parquet']
    >>> cache.load_tables(ingredients)["scores"].equals(table)
    True
    >>> cache.load_tables({"data": "ab12", "seed": 1}) is None
    True
    """

    def __init__(self, directory: str | Path, stage: str):
        self.directory = Path(directory)
        self.stage = stage

    def ingredients(self, ingredients: Mapping[str, Any]) -> dict[str, Any]:
        """The full ingredients: the caller's plus stage, framelab fingerprint and format."""
        full = {
            **ingredients,
            "stage": self.stage,
            "framelab": code_fingerprint(),
            "cache_format": _FORMAT,
        }
        return _canonical(full)

    def key(self, ingredients: Mapping[str, Any]) -> str:
        """SHA-256 (first 24 hex digits) of the full ingredients."""
        blob = json.dumps(self.ingredients(ingredients), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:24]

    def path(self, ingredients: Mapping[str, Any]) -> Path:
        """Folder of the entry for ``ingredients`` (whether or not it exists)."""
        return self.directory / self.key(ingredients)

    def _problem(self, folder: Path, ingredients: Mapping[str, Any]) -> str | None:
        """Why the entry cannot be used, or None when it is complete and matches."""
        record_path = folder / _RECORD
        if not record_path.is_file():
            return "has no cache.json (interrupted write?)"
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            return f"has an unreadable cache.json ({err})"
        if not isinstance(record, dict) or record.get("format") != _FORMAT:
            return "has a cache.json of another format"
        if record.get("ingredients") != self.ingredients(ingredients):
            return "was computed from other inputs"
        files = record.get("files")
        if not isinstance(files, dict) or not files:
            return "lists no files"
        for rel, sha in files.items():
            path = folder / rel
            if not path.is_file():
                return f"lacks {rel}"
            if file_sha256(path) != sha:
                return f"has a damaged {rel} (checksum mismatch)"
        unsafe = [p.name for p in folder.rglob("*") if p.suffix in _UNSAFE_SUFFIXES]
        if unsafe:
            return f"holds pickled files ({', '.join(unsafe)}), which framelab never loads"
        return None

    def lookup(self, ingredients: Mapping[str, Any]) -> Path | None:
        """The folder of a complete, matching entry, or None (a broken entry is logged)."""
        folder = self.path(ingredients)
        if not folder.exists():
            return None
        problem = self._problem(folder, ingredients)
        if problem is not None:
            logger.warning("%s cache entry %s %s; recomputing", self.stage, folder.name, problem)
            return None
        return folder

    def store(self, ingredients: Mapping[str, Any], write: Callable[[Path], Any]) -> Path:
        """Create the entry: ``write(folder)`` fills a fresh folder, then the record is added.

        The entry is written under a unique temporary name and renamed when complete
        (:func:`framelab._files.atomic_write_dir`), so a reader never sees half an entry and
        concurrent writers of the same key do not collide; a broken entry with the same key is
        replaced.
        """
        ensure_writable(self.directory)
        final = self.path(ingredients)

        def fill(tmp: Path) -> None:
            write(tmp)
            record = {
                "format": _FORMAT,
                "key": final.name,
                "ingredients": self.ingredients(ingredients),
                "files": folder_sha256(tmp),
                "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            }
            (tmp / _RECORD).write_text(
                json.dumps(record, indent=1, sort_keys=True), encoding="utf-8"
            )

        # a complete entry written meanwhile by another run (same key, same content) is kept
        atomic_write_dir(
            final, fill, valid=lambda folder: self._problem(folder, ingredients) is None
        )
        logger.info("%s cache: stored %s", self.stage, final.name)
        return final

    def load_tables(self, ingredients: Mapping[str, Any]) -> dict[str, pd.DataFrame] | None:
        """The tables of a matching entry (name -> DataFrame), or None."""
        folder = self.lookup(ingredients)
        if folder is None:
            return None
        try:
            tables = {p.stem: pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}
        except (OSError, ValueError) as err:
            logger.warning(
                "%s cache entry %s is unreadable (%s); recomputing", self.stage, folder.name, err
            )
            return None
        logger.info("%s cache: read %s", self.stage, folder.name)
        return tables

    def save_tables(
        self, ingredients: Mapping[str, Any], tables: Mapping[str, pd.DataFrame]
    ) -> Path:
        """Store ``tables`` (name -> DataFrame) as ``<name>.parquet``; return the entry folder."""

        def write(folder: Path) -> None:
            for name, table in tables.items():
                table.to_parquet(folder / f"{name}.parquet", index=True)

        return self.store(ingredients, write)
