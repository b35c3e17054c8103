"""The sentence-transformers backend, offline, with a tiny random BERT built by the test itself."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from framelab.topics import (
    SentenceTransformerEmbedder,
    fit_topics,
    load_topic_bundle,
    save_topic_bundle,
    transform_agreement,
)

VOCAB = [
    "[PAD]",
    "[UNK]",
    "[CLS]",
    "[SEP]",
    "[MASK]",
    *(
        "the a of on in and for to new ceasefire truce front line talks envoys grain exports black "
        "sea ships oil sanctions price cap russian insurers premiums corridor odesa wheat ports "
        "commanders freeze monitor tankers banks crude halting hostilities shipping"
    ).split(),
    *[chr(c) for c in range(ord("a"), ord("z") + 1)],
    "##s",
    "##ed",
    "##ing",
]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """A randomly initialised 1-layer BERT (hidden size 16) saved as a sentence-transformer."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        from sentence_transformers import SentenceTransformer
        from sentence_transformers.sentence_transformer.modules import Pooling, Transformer

    root = tmp_path_factory.mktemp("tiny-bert")
    (root / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(root / "vocab.txt"))
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(VOCAB),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(root / "bert")
    tokenizer.save_pretrained(root / "bert")
    transformer = Transformer(str(root / "bert"), max_seq_length=64)
    pooling = Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
    SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(root / "st"))
    return str(root / "st")


def _config(model, cache_dir, **extra):
    return {
        "backend": "sentence-transformers",
        "model_path": model,
        "preset": "fast",
        "n_topics": 3,
        "cache_dir": cache_dir,
        **extra,
    }


def test_sentence_transformers_fit_offline_then_cache_hit_loads_no_model(
    tiny_model, toy, tmp_path, no_network, monkeypatch
):
    first = fit_topics(toy, _config(tiny_model, str(tmp_path)))
    assert first.embedding["backend"] == "sentence-transformers"
    assert first.embedding["dim"] == 16 and first.embedding["from_cache"] is False
    assert first.embedding["model_id"].startswith("st@")
    assert first.assignments["topic"].between(0, 2).all()

    def boom(self):
        raise AssertionError("the model was loaded although the embeddings are cached")

    monkeypatch.setattr(SentenceTransformerEmbedder, "_load", boom)
    second = fit_topics(toy, _config(tiny_model, str(tmp_path)))
    assert second.embedding["from_cache"] is True
    assert second.assignments.equals(first.assignments)
    assert second.tag == first.tag


def test_sentence_transformers_model_id_follows_the_files(tiny_model, tmp_path):
    import shutil

    copy = tmp_path / "st"
    shutil.copytree(tiny_model, copy)
    same = SentenceTransformerEmbedder(str(copy)).model_id()
    assert same.split("@")[1] == SentenceTransformerEmbedder(tiny_model).model_id().split("@")[1]
    with open(copy / "config.json", "a", encoding="utf-8") as fh:
        fh.write("\n")
    assert SentenceTransformerEmbedder(str(copy)).model_id() != same


def test_zero_shot_topics_from_frame_descriptions(tiny_model, toy, tmp_path, no_network):
    frames = {
        "ceasefire": ["ceasefire", "truce"],
        "grain": ["grain", "exports"],
        "sanctions": ["oil", "sanctions"],
    }
    fit = fit_topics(
        toy,
        _config(tiny_model, str(tmp_path), zeroshot_min_similarity=-1.0),
        zeroshot_topics=frames,
    )
    # every document passes a threshold of -1, so every topic is a zero-shot topic
    assert fit.guidance["zeroshot_frames"] == ["ceasefire", "grain", "sanctions"]
    assert set(fit.info["guided_by"]) <= set(frames) and (fit.info["guided_by"] != "").all()
    assert int(fit.info["size"].sum()) == 24
    assert np.isfinite(fit.assignments["probability"]).all()  # cosine similarities
    # each document's topic is the frame whose description is closest to it (cosine)
    from framelab.topics import zeroshot_topic_list

    ids, texts = zeroshot_topic_list(frames)
    model = SentenceTransformerEmbedder(tiny_model)
    docs = model.embed(toy.sort_values("doc_id")["text"].tolist())
    nearest = np.asarray(ids)[np.argmax(docs @ model.embed(texts).T, axis=1)]
    guided = fit.assignments["topic"].map(
        dict(zip(fit.info["topic"], fit.info["guided_by"], strict=True))
    )
    assert guided.tolist() == nearest.tolist()


def test_sentence_transformers_bundle_loads_offline(tiny_model, toy, tmp_path, no_network):
    fit = fit_topics(toy, _config(tiny_model, str(tmp_path / "cache")))
    folder = save_topic_bundle(fit, tmp_path / "bundle", corpus=toy)
    loaded = load_topic_bundle(folder)
    assert loaded.embedder.model_id() == fit.embedder.model_id()
    assert loaded.assignments.equals(fit.assignments)
    row = transform_agreement(loaded, toy).iloc[0]
    assert row["n_units"] == 24 and 0.0 <= row["agreement"] <= 1.0
