"""Git helpers shared by the corpus-building tools (``tools/``, not installed).

The tools read every file at a pinned commit with ``git show``, so a clone only has to contain
that commit; ``--mirror-*`` options point at an existing clone or bare mirror instead.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def git(repo: Path, *args: str) -> bytes:
    """The standard output of ``git -C repo args...`` (raises if git fails)."""
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True).stdout


def checkout(url: str, mirror: str | None, into: Path) -> Path:
    """A git directory for ``url``: ``mirror`` when given, else a clone under ``into``
    (cloned once, reused afterwards)."""
    if mirror:
        return Path(mirror)
    dest = into / url.rstrip("/").split("/")[-1].removesuffix(".git")
    if not dest.exists():
        subprocess.run(["git", "clone", "--quiet", url, str(dest)], check=True)
    return dest
