"""The framelab version string, for provenance (figures, reports, caches, coding sheets).

Modules inside the package read the version from here, never from the package ``__init__``.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("framelab")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.1.0"
