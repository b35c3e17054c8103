"""Shared test set-up: a non-interactive matplotlib backend, the sample corpus, figure cleanup,
a local Dask cluster."""

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


@pytest.fixture(scope="module")
def cluster():
    """A client of two Dask worker processes, one thread each, loopback only, no dashboard; not
    the default client, so the other tests keep running in this process."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # health endpoint, not 8787
        ) as lc,
        Client(lc, set_as_default=False) as client,
    ):
        yield client


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
