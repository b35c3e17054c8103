"""Shared test set-up: a non-interactive matplotlib backend, the sample corpus, figure cleanup."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def sample_corpus():
    """The bundled synthetic sample corpus (validated); do not modify it in a test."""
    from framelab.datasets import load_sample

    return load_sample()


@pytest.fixture(scope="session")
def shared_fixtures() -> Path:
    """``../shared/fixtures`` beside the checkout; tests using it skip when it is absent."""
    path = Path(os.environ.get("FRAMELAB_SHARED", SHARED)) / "fixtures"
    if not path.is_dir():
        pytest.skip(f"shared fixtures not found at {path}")
    return path


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
