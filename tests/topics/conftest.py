"""Shared fixtures of the topic-model tests: the toy corpus and fits of the sample.

Fits use the ``fast`` preset (PCA + KMeans) unless a test is about UMAP + HDBSCAN, and always a
temporary embedding cache, so nothing is written under data/processed.
"""

from __future__ import annotations

import socket

import pytest


@pytest.fixture(scope="session")
def toy():
    from framelab.topics._toy import toy_corpus

    return toy_corpus()


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("embedding-cache"))


@pytest.fixture(scope="session")
def sample_fast_fit(sample_corpus, cache_dir):
    """The sample, fast preset, 8 topics, seed 0."""
    from framelab.topics import fit_topics

    return fit_topics(sample_corpus, {"preset": "fast", "n_topics": 8, "cache_dir": cache_dir})


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
