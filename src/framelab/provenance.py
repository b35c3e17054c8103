"""Provenance for notebooks and reports: versions, git commit, input hashes, seed, run date."""

from __future__ import annotations

import datetime
import platform
import subprocess
from pathlib import Path

import pandas as pd

__all__ = ["KEY_PACKAGES", "report", "study", "study_lines"]

KEY_PACKAGES = (
    "framelab",
    "pandas",
    "numpy",
    "matplotlib",
    "nltk",
    "scikit-learn",
    "bertopic",
    "umap-learn",
    "hdbscan",
    "statsmodels",
)


def _git_commit(cwd: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def report(
    inputs: list[str | Path] | tuple = (),
    *,
    seed: int | None = None,
    config: str | Path | None = None,
    include_run_info: bool = True,
) -> pd.DataFrame:
    """A small table describing how a result was produced.

    Parameters
    ----------
    inputs : list of paths
        Input files whose SHA-256 is recorded.
    seed : int, optional
        The study seed.
    config : path, optional
        The study config file (its hash is recorded).
    include_run_info : bool, default True
        Add the run date and git commit (they change between runs, so tests and committed
        notebooks that must compare equal can leave them out).

    Returns
    -------
    pandas.DataFrame
        Two columns, ``item`` and ``value``.

    Examples
    --------
    >>> table = report(seed=0, include_run_info=False)
    >>> table.loc[table["item"] == "framelab", "value"].item()
    '0.1.0'
    """
    from framelab._cache import package_versions
    from framelab._files import file_sha256

    rows = [("python", platform.python_version())]
    rows += list(package_versions(*KEY_PACKAGES).items())
    if seed is not None:
        rows.append(("seed", str(seed)))
    if config is not None:
        rows.append((f"config {Path(config).name}", file_sha256(config)[:16]))
    for path in inputs:
        rows.append((f"sha256 {Path(path).name}", file_sha256(path)[:16]))
    if include_run_info:
        rows.append(("git commit", _git_commit(Path.cwd())))
        rows.append(("run date", datetime.date.today().isoformat()))
    return pd.DataFrame(rows, columns=["item", "value"])


def study_lines(cfg, *, codebook=None) -> list[str]:
    """Provenance of a study run as text lines (what the last cell of every notebook prints).

    Versions, the config file's hash, the seed, the codebook id, SHA-256 of the input data, the
    git commit and the run date. Only the last two change from run to run.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> from framelab.datasets import sample_path
    >>> from framelab._files import file_sha256
    >>> lines = study_lines(StudyConfig.from_dict({"seed": 3}))
    >>> [line.split(":")[0] for line in lines]
    ['versions', 'seed', 'data', 'data', 'data', 'git commit', 'run date']
    >>> lines[1], lines[2] == f"data: corpus.csv sha256 {file_sha256(sample_path())[:16]}"
    ('seed: 3', True)
    """
    from framelab._files import file_sha256
    from framelab.datasets import sample_path

    table = report(include_run_info=False)
    versions = ", ".join(f"{i} {v}" for i, v in zip(table["item"], table["value"], strict=True))
    lines = [f"versions: {versions}"]
    if cfg.source:
        lines.append(f"config: {Path(cfg.source).name} sha256 {file_sha256(cfg.source)[:16]}")
    lines.append(f"seed: {cfg.seed}")
    if codebook is not None:
        lines.append(f"codebook: {codebook.id}")
    if cfg.corpus.path == "sample":
        files = [sample_path(n) for n in ("corpus", "gold_paragraphs", "gold_documents")]
    else:
        root = cfg.resolve(cfg.corpus.path)
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
    for path in files[:20]:
        lines.append(f"data: {path.name} sha256 {file_sha256(path)[:16]}")
    if len(files) > 20:
        lines.append(f"data: ... and {len(files) - 20} more files")
    lines.append(f"git commit: {_git_commit(Path.cwd())}")
    lines.append(f"run date: {datetime.date.today().isoformat()}")
    return lines


class StudyProvenance(str):
    """Provenance text; displays as plain lines in a notebook."""

    def __repr__(self) -> str:
        return str(self)


def study(cfg, *, codebook=None) -> StudyProvenance:
    """Provenance of a study run for a notebook's closing cell (see :func:`study_lines`).

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> text = study(StudyConfig.from_dict({"seed": 3}))
    >>> text.splitlines()[1], repr(text) == str(text)  # shown as plain lines in a notebook
    ('seed: 3', True)
    """
    return StudyProvenance("\n".join(study_lines(cfg, codebook=codebook)))
