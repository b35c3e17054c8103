"""Study bundles: safetensors + Parquet + JSON manifest; loading never touches the network."""

from __future__ import annotations

import json

import numpy as np
import pytest

from framelab.io.manifest import file_sha256
from framelab.topics import (
    load_topic_bundle,
    save_topic_bundle,
    topics_per_group,
    transform_agreement,
)


@pytest.fixture(scope="module")
def bundle(sample_fast_fit, sample_corpus, tmp_path_factory):
    return save_topic_bundle(
        sample_fast_fit, tmp_path_factory.mktemp("b") / "bundle", corpus=sample_corpus
    )


def test_bundle_layout_and_manifest(bundle, sample_fast_fit):
    names = sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file())
    assert names == [
        "assignments.parquet",
        "embedder/embedder.json",
        "embedder/state.safetensors",
        "manifest.json",
        "model/config.json",
        "model/ctfidf.safetensors",
        "model/ctfidf_config.json",
        "model/topic_embeddings.safetensors",
        "model/topics.json",
        "representatives.parquet",
        "topic_info.parquet",
        "topic_words.parquet",
    ]
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert manifest["format"] == "framelab-topic-bundle" and manifest["tag"] == sample_fast_fit.tag
    assert manifest["config"] == sample_fast_fit.config.to_dict() and manifest["seed"] == 0
    assert manifest["embedding"]["backend"] == "tfidf-svd"
    assert manifest["embedding"]["key"] == sample_fast_fit.embedding["key"]
    assert manifest["corpus_sha256"] == sample_fast_fit.corpus_sha256
    assert manifest["n_units"] == 475
    from importlib.metadata import version

    assert manifest["packages"]["bertopic"] == version("bertopic")
    for name, digest in manifest["files"].items():
        assert file_sha256(bundle / name) == digest
    # the model config never names a hub model, so BERTopic.load has nothing to download
    assert "embedding_model" not in json.loads((bundle / "model" / "config.json").read_text())


def test_bundle_round_trip_offline(bundle, sample_fast_fit, sample_corpus, no_network):
    loaded = load_topic_bundle(bundle)
    assert loaded.source == str(bundle) and loaded.tag == sample_fast_fit.tag
    assert loaded.config == sample_fast_fit.config
    for name in ("assignments", "info", "words", "representatives"):
        assert getattr(loaded, name).equals(getattr(sample_fast_fit, name)), name
    # tables are read from the bundle, so they equal the fitted ones
    assert topics_per_group(loaded, sample_corpus).equals(
        topics_per_group(sample_fast_fit, sample_corpus)
    )
    # the rebuilt embedder and vectorizer give the same vectors and counts as the fitted ones
    texts = sample_corpus.sort_values("doc_id")["text"].tolist()[:20]
    assert np.array_equal(loaded.embedder.embed(texts), sample_fast_fit.embedder.embed(texts))
    a = loaded.model.vectorizer_model.transform(texts)
    b = sample_fast_fit.model.vectorizer_model.transform(texts)
    assert (a != b).nnz == 0


def test_transform_after_load_agreement_is_measured_and_recorded(bundle, sample_corpus, no_network):
    manifest = json.loads((bundle / "manifest.json").read_text())
    recorded = manifest["transform_agreement"]
    measured = transform_agreement(load_topic_bundle(bundle), sample_corpus).iloc[0]
    assert recorded["n_units"] == 475
    assert recorded["agreement"] == pytest.approx(measured["agreement"])
    assert "after load" in recorded["method"]
    # cosine-to-topic-embedding assignment agrees with most, not necessarily all, documents
    assert 0.5 < recorded["agreement"] <= 1.0


def test_a_loaded_bundle_can_be_saved_again(bundle, tmp_path, no_network):
    loaded = load_topic_bundle(bundle)
    again = load_topic_bundle(save_topic_bundle(loaded, tmp_path / "again"))
    assert again.assignments.equals(loaded.assignments) and again.tag == loaded.tag

    def vocab(folder):
        config = json.loads((folder / "model" / "ctfidf_config.json").read_text())
        return config["vectorizer_model"]["vocab"]

    assert vocab(tmp_path / "again") == vocab(bundle)


def test_bundle_refuses_pickles_and_hub_models(bundle, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(bundle, copy)
    (copy / "model" / "model.pkl").write_bytes(b"not really a pickle")
    with pytest.raises(ValueError, match="never loads pickles"):
        load_topic_bundle(copy)
    (copy / "model" / "model.pkl").unlink()
    config = json.loads((copy / "model" / "config.json").read_text())
    config["embedding_model"] = "sentence-transformers/all-MiniLM-L6-v2"
    (copy / "model" / "config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match="would fetch from the hub"):
        load_topic_bundle(copy)
    with pytest.raises(FileNotFoundError, match="holds no manifest.json"):
        load_topic_bundle(tmp_path)


def test_save_refuses_to_overwrite_by_accident(sample_fast_fit, tmp_path, monkeypatch):
    folder = save_topic_bundle(sample_fast_fit, tmp_path / "b")
    with pytest.raises(FileExistsError, match="Pass overwrite=True"):
        save_topic_bundle(sample_fast_fit, folder)
    assert save_topic_bundle(sample_fast_fit, folder, overwrite=True) == folder
    other = tmp_path / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="does not hold a framelab topic bundle"):
        save_topic_bundle(sample_fast_fit, other, overwrite=True)
    assert (other / "keep.txt").read_text() == "mine"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PermissionError, match="never written by framelab"):
        save_topic_bundle(sample_fast_fit, "data/raw/bundle")
