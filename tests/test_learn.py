"""Tests of framelab.learn: the supervised frame coder (issue 19)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from framelab import _learn_core as core
from framelab._errors import NotFittedError
from framelab._learn_eval import out_of_fold
from framelab.codebook import Codebook
from framelab.coding import code_frames
from framelab.compare import prevalence
from framelab.learn import (
    LEARNING_CURVE_COLUMNS,
    SUPERVISED_CODE_COLUMNS,
    THRESHOLD_COLUMNS,
    ModelFileError,
    SupervisedCoded,
    SupervisedCoder,
    learning_curve,
)
from framelab.validate import accuracy

#: Frames signalled only by invented words that no dictionary holds.
SIGNALS = {"frame_a": ["zorblat", "quennic", "marvish"], "frame_b": ["plonder", "sivrat", "gemmox"]}
FILLER = [f"filler{i}" for i in range(300)]
DICTIONARY = Codebook.from_dict(
    {
        "name": "plain",
        "version": "1",
        "frames": {"frame_a": {"terms": ["ceasefire", "truce"]}, "frame_b": {"terms": ["aid"]}},
    }
)


def synthetic(n: int, seed: int, prefix: str = "d", share: float = 0.3):
    """``(corpus, gold)``: each frame present with probability ``share``, shown by one or two of
    its invented words among 30 filler words."""
    rng = np.random.default_rng(seed)
    texts, rows = [], []
    for i in range(n):
        words = list(rng.choice(FILLER, size=30))
        doc_id = f"{prefix}{i:04d}"
        for frame, signal in SIGNALS.items():
            present = int(rng.random() < share)
            if present:
                for _ in range(rng.integers(1, 3)):
                    words.insert(int(rng.integers(0, len(words))), str(rng.choice(signal)))
            rows.append((doc_id, frame, present))
        texts.append(" ".join(words) + ".")
    corpus = pd.DataFrame({"doc_id": [f"{prefix}{i:04d}" for i in range(n)], "text": texts})
    gold = pd.DataFrame(rows, columns=["unit_id", "frame", "present"])
    return corpus, gold


@pytest.fixture(scope="module")
def trained():
    corpus, gold = synthetic(160, seed=1)
    coder = SupervisedCoder(min_df=1, char_ngrams=(3, 4), cv=4, seed=0).fit(corpus, gold)
    return coder, corpus, gold


def test_supervised_finds_frames_the_dictionary_cannot(trained):
    coder, _, _ = trained
    test_corpus, test_gold = synthetic(120, seed=2, prefix="t")
    supervised = accuracy(coder.code(test_corpus).codes, test_gold, n_boot=50)
    dictionary = accuracy(code_frames(test_corpus, DICTIONARY).codes, test_gold, n_boot=50)
    sup = supervised.set_index("frame")["f1"]
    dic = dictionary.set_index("frame")["f1"]
    assert sup["frame_a"] >= 0.8 and sup["frame_b"] >= 0.8
    assert dic["frame_a"] == 0.0 and dic["frame_b"] == 0.0  # no dictionary term occurs


def test_code_returns_frame_codes_with_probability(trained):
    coder, _, _ = trained
    corpus = pd.DataFrame(
        {
            "doc_id": ["x1", "x2", "x3", "x4"],
            "text": [
                "filler1 zorblat filler2 quennic.",
                "filler3 plonder filler4.",
                "filler5 marvish.",
                "filler6 filler7 filler8 gemmox sivrat.",
            ],
            "outlet": ["A", "B", "A", "B"],
        }
    )
    coded = coder.code(corpus)
    assert isinstance(coded, SupervisedCoded)
    codes = coded.codes
    assert tuple(codes.columns) == (*SUPERVISED_CODE_COLUMNS, "outlet")
    assert codes["frame"].tolist() == ["frame_a", "frame_b"] * 4
    assert codes["codebook"].unique().tolist() == [coder.model_id_]
    assert codes["n_tokens"].tolist() == [4, 4, 3, 3, 2, 2, 5, 5]
    thr = np.tile(coder.linear_.threshold, 4)
    assert (codes["present"] == (codes["probability"] >= thr)).all()
    assert (codes["count"] == codes["present"]).all()
    assert codes["present"].tolist() == [1, 0, 0, 1, 1, 0, 0, 1]
    assert codes["per_1k"].tolist() == [250.0, 0.0, 0.0, 1000 / 3, 500.0, 0.0, 0.0, 200.0]
    # the comparison functions take the codes unchanged
    prev = prevalence(codes, by="outlet", n_boot=20)
    got = prev.set_index(["outlet", "frame"])["estimate"]
    assert got[("A", "frame_a")] == 1.0 and got[("B", "frame_b")] == 1.0
    assert got[("A", "frame_b")] == 0.0 and got[("B", "frame_a")] == 0.0


def test_thresholds_recorded(trained):
    coder, _, gold = trained
    t = coder.thresholds_
    assert tuple(t.columns) == THRESHOLD_COLUMNS
    assert t["frame"].tolist() == ["frame_a", "frame_b"]
    assert t["calibration"].tolist() == ["sigmoid", "sigmoid"]  # fewer than 500 per class
    assert t["n_positive"].tolist() == gold.groupby("frame", sort=False)["present"].sum().tolist()
    assert ((t["threshold"] > 0) & (t["threshold"] < 1)).all()


def test_explain_lists_the_signal_words(trained):
    coder, _, _ = trained
    corpus = pd.DataFrame({"doc_id": ["x"], "text": ["filler5 zorblat filler6 filler7."]})
    table = coder.code(corpus).explain("x", frame="frame_a", top=3)
    assert table["feature"].iloc[0] == "zorblat"
    assert np.allclose(table["contribution"], table["value"] * table["weight"])
    with pytest.raises(KeyError, match="Did you mean"):
        coder.code(corpus).explain("x", frame="frame_c")
    top = coder.top_features("frame_b", n=30)
    assert {"plonder", "sivrat", "gemmox"} <= set(top["feature"])


def test_tfidf_equals_sklearn_tfidf_vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = ["a b b c", "b c d", "a a a d e", "e"]
    ref = TfidfVectorizer(analyzer=str.split, sublinear_tf=True)
    expected = ref.fit_transform(docs).toarray()
    counts, vocab = core._counts("word", (1, 1), None, [d.split() for d in docs])
    assert vocab == sorted(ref.vocabulary_)
    got = core.tfidf(counts, ref.idf_).toarray()
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-15)


def test_pick_threshold_by_hand():
    p = np.array([0.9, 0.8, 0.8, 0.4, 0.3, 0.1])
    y = np.array([1, 1, 0, 1, 0, 0])
    # cuts: >=0.9: P=1, R=1/3, F1=.5; >=0.8: tp=2,k=3: F1=4/6; >=0.4: tp=3,k=4: F1=6/7
    t, prec, rec, f1 = core.pick_threshold(p, y, None)
    assert (t, prec, rec) == (0.4, 0.75, 1.0) and f1 == pytest.approx(6 / 7)
    # most recall with precision >= 0.9: only the 0.9 cut
    assert core.pick_threshold(p, y, 0.9)[:3] == (0.9, 1.0, 1 / 3)


def test_save_load_codes_identically(trained, tmp_path):
    coder, corpus, _ = trained
    coder.save(tmp_path / "model")
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == [
        "arrays.safetensors",
        "manifest.json",
        "model.json",
    ]
    loaded = SupervisedCoder.load(tmp_path / "model")
    assert loaded.model_id_ == coder.model_id_
    pd.testing.assert_frame_equal(loaded.thresholds_, coder.thresholds_)
    pd.testing.assert_frame_equal(loaded.code(corpus).codes, coder.code(corpus).codes)


def test_load_refuses_a_tampered_file(trained, tmp_path):
    coder, _, _ = trained
    folder = coder.save(tmp_path / "model")
    payload = json.loads((folder / "model.json").read_text())
    payload["word_vocab"][0] = "tampered"
    (folder / "model.json").write_text(json.dumps(payload))
    with pytest.raises(ModelFileError, match=r"model\.json does not match its SHA-256"):
        SupervisedCoder.load(folder)
    with pytest.raises(ModelFileError, match="not a saved SupervisedCoder"):
        SupervisedCoder.load(tmp_path)


def test_hybrid_saves_its_codebook_and_refuses_other_gold(tmp_path):
    corpus, gold = synthetic(60, seed=3)
    coder = SupervisedCoder(min_df=1, char_ngrams=None, cv=3, codebook=DICTIONARY)
    coder.fit(corpus, gold)
    assert coder.features_.dict_frames == ["frame_a", "frame_b"]
    loaded = SupervisedCoder.load(coder.save(tmp_path / "hybrid"))
    assert loaded.codebook_.id == "plain@1"
    pd.testing.assert_frame_equal(loaded.code(corpus).codes, coder.code(corpus).codes)
    other = gold.replace({"frame": {"frame_b": "frame_bb"}})
    with pytest.raises(ValueError, match="trained on frame_a, frame_b .codebook plain@1.*Did you"):
        loaded.check_gold_frames(other, "test")
    with pytest.raises(ValueError, match="'frame_bb' is not a frame of codebook plain@1"):
        SupervisedCoder(codebook=DICTIONARY).fit(corpus, other)


def test_same_seed_same_model():
    corpus, gold = synthetic(50, seed=4)
    a = SupervisedCoder(min_df=1, char_ngrams=None, cv=3, seed=7).fit(corpus, gold)
    b = SupervisedCoder(min_df=1, char_ngrams=None, cv=3, seed=7).fit(corpus, gold)
    assert a.model_id_ == b.model_id_
    pd.testing.assert_frame_equal(a.code(corpus).codes, b.code(corpus).codes)


def test_out_of_fold_codes_never_see_their_own_labels():
    """Nested CV: flipping the gold of fold 0 leaves fold 0's out-of-fold codes unchanged."""
    corpus, gold = synthetic(60, seed=5)
    coder = SupervisedCoder(min_df=1, char_ngrams=None, cv=3)
    prep = core.prepare(corpus, "document")
    rows, y, frames = coder._gold_matrix(prep, gold, "test")
    gp = prep.take(rows)
    fold = core.folds_of(gp.units["doc_id"].to_numpy(dtype=object), 3, 0)
    flipped = y.copy()
    flipped[fold == 0] = 1 - flipped[fold == 0]
    a, _ = out_of_fold(coder, gp, y, frames, None, fold, None, 0, "test")
    b, _ = out_of_fold(coder, gp, flipped, frames, None, fold, None, 0, "test")
    np.testing.assert_array_equal(a[fold == 0], b[fold == 0])
    assert (a[fold != 0] != b[fold != 0]).any()


def test_cross_validate_on_the_sample_reports_f1_with_cis(sample_corpus):
    from framelab.datasets import load_sample_gold

    table = SupervisedCoder(char_ngrams=None, cv=3).cross_validate(
        sample_corpus, load_sample_gold(), folds=3, n_boot=200
    )
    micro = table.set_index("frame").loc["micro"]
    assert micro["n_units"] == 475
    assert micro["f1_low"] <= micro["f1"] <= micro["f1_high"]
    assert micro["f1"] > 0.7


def test_learning_curve_columns_and_sizes():
    corpus, gold = synthetic(90, seed=6)
    curve = learning_curve(
        corpus, gold, sizes=[10, 500], cv=3, n_boot=50, min_df=1, char_ngrams=None
    )
    assert tuple(curve.columns) == LEARNING_CURVE_COLUMNS
    assert curve["n_gold"].tolist() == [10] * 4 + [60] * 4  # 500 > the 60 training units
    assert curve["frame"].tolist() == ["frame_a", "frame_b", "macro", "micro"] * 2
    micro = curve[curve["frame"] == "micro"]["f1"].to_numpy()
    assert micro[1] > micro[0]
    with pytest.raises(ValueError, match="sizes must be integers of at least 2"):
        learning_curve(corpus, gold, sizes=[1])


def test_errors_are_clear():
    corpus, gold = synthetic(20, seed=8)
    with pytest.raises(NotFittedError, match="call .fit"):
        SupervisedCoder().code(corpus)
    with pytest.raises(ValueError, match="Did you mean level='paragraph'"):
        SupervisedCoder(level="paragraf").fit(corpus, gold)
    with pytest.raises(ValueError, match="are not paragraph units of the corpus"):
        SupervisedCoder(level="paragraph").fit(corpus, gold)
    with pytest.raises(ValueError, match="target_precision must be between 0 and 1"):
        SupervisedCoder(target_precision=1.5).fit(corpus, gold)


def test_target_precision_raises_thresholds():
    corpus, gold = synthetic(120, seed=9)
    gold = gold.copy()
    noisy = gold.index[::7]
    gold.loc[noisy, "present"] = 1 - gold.loc[noisy, "present"]  # label noise
    f1 = SupervisedCoder(min_df=1, char_ngrams=None, cv=3).fit(corpus, gold)
    strict = SupervisedCoder(min_df=1, char_ngrams=None, cv=3, target_precision=0.95)
    strict.fit(corpus, gold)
    assert (strict.thresholds_["threshold"] >= f1.thresholds_["threshold"]).all()
    ok = strict.thresholds_["cv_precision"] >= 0.95
    assert ok.all()


def test_study_config_codes_with_the_chosen_method(sample_corpus, tmp_path):
    from framelab.config import ConfigError, StudyConfig
    from framelab.datasets import load_sample_gold
    from framelab.learn import code_study, fit_study_coder

    corpus = sample_corpus.iloc[:120]
    settings = {
        "seed": 3,
        "coding": {"level": "document", "method": "supervised", "model": "models/sup"},
        "validation": {"level": "document"},
    }
    cfg = StudyConfig.from_dict(settings, base_dir=tmp_path)
    gold = load_sample_gold("document")
    gold = gold[gold["unit_id"].isin(corpus["doc_id"])]
    coder = fit_study_coder(cfg, corpus, gold, save=True, char_ngrams=None, cv=3)
    assert coder.seed == 3 and (tmp_path / "models" / "sup" / "manifest.json").is_file()
    coded = code_study(cfg, corpus)
    pd.testing.assert_frame_equal(coded.codes, coder.code(corpus).codes)
    both = code_study(
        StudyConfig.from_dict(
            {**settings, "coding": {**settings["coding"], "method": "both"}}, base_dir=tmp_path
        ),
        corpus,
    )
    assert sorted(both) == ["dictionary", "supervised"]
    pd.testing.assert_frame_equal(
        both["dictionary"].codes, code_frames(corpus, "peace_talks", level="document").codes
    )
    wrong = {**settings, "coding": {**settings["coding"], "level": "paragraph"}}
    with pytest.raises(ConfigError, match="codes document units but coding.level is 'paragraph'"):
        code_study(StudyConfig.from_dict(wrong, base_dir=tmp_path), corpus)
    unset = {**settings, "coding": {"level": "document", "method": "supervised"}}
    with pytest.raises(ConfigError, match="coding.model is null"):
        code_study(StudyConfig.from_dict(unset, base_dir=tmp_path), corpus)
    with pytest.raises(ConfigError, match="coding.method: must be one of dictionary, supervised"):
        StudyConfig.from_dict({"coding": {"method": "supervized"}})


def test_dask_partitions_code_like_pandas(trained, tmp_path, cluster):
    """The saved coder codes Dask partitions through scale.code_frames_dask, in this process
    and on a two-process LocalCluster, exactly as in memory."""
    import dask.dataframe as dd

    from framelab.scale import code_frames_dask

    coder, corpus, _ = trained
    coder = SupervisedCoder.load(coder.save(tmp_path / "model"))
    corpus = corpus.assign(outlet=np.where(np.arange(len(corpus)) % 2, "A", "B"))
    expected = coder.code(corpus)
    ddf = dd.from_pandas(corpus, npartitions=3)
    local = code_frames_dask(ddf, coder, out=tmp_path / "local")
    assert local.codebook == coder.model_id_
    for table in ("codes", "hits", "units"):
        pd.testing.assert_frame_equal(
            local.to_pandas(table), getattr(expected, table), check_exact=True
        )
    remote = code_frames_dask(ddf, coder, out=tmp_path / "cluster", client=cluster)
    pd.testing.assert_frame_equal(remote.to_pandas("codes"), expected.codes, check_exact=True)
    with pytest.raises(ValueError, match="the supervised coder codes document units"):
        code_frames_dask(ddf, coder, out=tmp_path / "x", level="paragraph")


def test_char_index_counts_equal_sklearn_char_wb(sample_corpus):
    from sklearn.feature_extraction.text import CountVectorizer

    texts = [*sample_corpus["text"].iloc[:20], "Ünïcode  CAPS\ttabs\n\nand  a", "", "ab"]
    ref = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2).fit(texts[:10])
    vocab = [t for t, _ in sorted(ref.vocabulary_.items(), key=lambda kv: kv[1])]
    got = core.CharIndex(vocab, (3, 5)).counts(texts)
    assert (got != ref.transform(texts)).nnz == 0


def test_batches_do_not_change_probabilities(trained):
    coder, corpus, _ = trained
    prep = core.prepare(corpus, "document")
    np.testing.assert_array_equal(coder._proba(prep, batch=7), coder._proba(prep))


def test_word_tokens_equal_tokenize(sample_corpus):
    from framelab.text import tokenize

    words = core.WordTokens()
    texts = [*sample_corpus["text"].iloc[:30], "Kyiv’s U.S.-backed cease-fire: $1,000 's ’S"]
    for text in texts:
        assert words(text) == tokenize(text, lower=True, words_only=True)


def test_score_on_held_out_gold_and_refusal(trained):
    coder, _, _ = trained
    test_corpus, test_gold = synthetic(60, seed=11, prefix="h")
    table = coder.score(test_corpus, test_gold, n_boot=20)
    expected = accuracy(coder.code(test_corpus).codes, test_gold, n_boot=20, seed=coder.seed)
    pd.testing.assert_frame_equal(table, expected)
    other = test_gold.replace({"frame": {"frame_a": "ceasefire"}})
    with pytest.raises(ValueError, match="SupervisedCoder.score\\(\\): the gold has frames"):
        coder.score(test_corpus, other)


def test_too_few_positives_fall_back_to_uncalibrated(caplog):
    corpus, gold = synthetic(40, seed=12)
    gold = gold.copy()
    a_pos = gold.index[(gold["frame"] == "frame_a") & (gold["present"] == 1)]
    gold.loc[a_pos[2:], "present"] = 0  # two positives: out-of-fold scores lack positives
    coder = SupervisedCoder(min_df=1, char_ngrams=None, cv=3).fit(corpus, gold)
    row = coder.thresholds_.set_index("frame").loc["frame_a"]
    assert row["calibration"] == "none" and row["threshold"] == 0.5 and row["n_positive"] == 2
    assert "too few out-of-fold scores" in caplog.text
    from scipy.special import expit

    prep = core.prepare(corpus, "document")
    x = coder.features_.transform(prep)
    np.testing.assert_allclose(
        coder._proba(prep)[:, 0], expit(coder.linear_.decision(x)[:, 0]), rtol=1e-12
    )


def test_cross_validate_group_by_text_keeps_twins_together():
    corpus, gold = synthetic(40, seed=13)
    twins = corpus.assign(doc_id=corpus["doc_id"] + "x")  # every text twice, other doc ids
    twin_gold = gold.assign(unit_id=gold["unit_id"] + "x")
    both, both_gold = pd.concat([corpus, twins]), pd.concat([gold, twin_gold])
    coder = SupervisedCoder(min_df=1, char_ngrams=None, cv=3)
    by_text = coder.cross_validate(both, both_gold, folds=4, group_by="text", n_boot=20)
    assert by_text.set_index("frame").loc["micro", "n_units"] == 80
    prep = core.prepare(both, "document")
    fold = core.folds_of(core.groups_of(prep, "text"), 4, 0)
    fold_of = dict(zip(prep.units["unit_id"], fold, strict=True))
    assert all(fold_of[d] == fold_of[d + "x"] for d in corpus["doc_id"])
    with pytest.raises(ValueError, match="group_by must be 'doc_id' or 'text'"):
        coder.cross_validate(both, both_gold, group_by="outlet")
    with pytest.raises(ValueError, match="group_by must be 'doc_id' or 'text'"):
        SupervisedCoder(group_by="outlet").fit(both, both_gold)
    # the coder's own setting is the default of cross_validate
    own = SupervisedCoder(min_df=1, char_ngrams=None, cv=3, group_by="text")
    pd.testing.assert_frame_equal(
        own.cross_validate(both, both_gold, folds=4, n_boot=20),
        own.cross_validate(both, both_gold, folds=4, n_boot=20, group_by="text"),
    )


def test_plot_learning_curve_draws_the_micro_rows():
    import matplotlib.pyplot as plt

    from framelab.plots_validation import plot_learning_curve

    table = pd.DataFrame(
        {
            "n_gold": [50, 50, 200, 200],
            "frame": ["a", "micro", "a", "micro"],
            "f1": [0.3, 0.5, 0.6, 0.7],
            "f1_low": [0.2, 0.4, 0.5, 0.65],
            "f1_high": [0.4, 0.6, 0.7, 0.75],
        }
    )
    fig, ax = plt.subplots()
    assert plot_learning_curve(table, ax=ax) is ax
    (line,) = ax.get_lines()
    assert line.get_label() == "micro" and list(line.get_ydata()) == [0.5, 0.7]
    assert ax.get_title() == "Supervised coder: F1 by training units"
    with pytest.raises(ValueError, match="learning_curve"):
        plot_learning_curve(table.drop(columns="f1_low"))


def test_write_coded_takes_supervised_codes(trained, tmp_path):
    from framelab.scale import load_coded, write_coded

    coder, corpus, _ = trained
    coded = coder.code(corpus.iloc[:10])
    result = write_coded(coded, tmp_path / "out")
    assert result.codebook == coder.model_id_
    pd.testing.assert_frame_equal(load_coded(tmp_path / "out"), coded.codes, check_exact=True)


def test_plain_saved_over_hybrid_loads_without_codebook_gh19(trained, tmp_path):
    coder, corpus, _ = trained
    hyb_corpus, hyb_gold = synthetic(60, seed=3)
    hybrid = SupervisedCoder(min_df=1, char_ngrams=None, cv=3, codebook=DICTIONARY)
    folder = hybrid.fit(hyb_corpus, hyb_gold).save(tmp_path / "model")
    assert json.loads((folder / "model.json").read_text())["codebook_id"] == "plain@1"
    coder.save(folder)  # a plain coder into the same folder
    assert sorted(p.name for p in folder.iterdir()) == [
        "arrays.safetensors",
        "manifest.json",
        "model.json",
    ]
    loaded = SupervisedCoder.load(folder)
    assert loaded.codebook_ is None and loaded.model_id_ == coder.model_id_
    assert json.loads((folder / "model.json").read_text())["codebook_id"] is None
    # a codebook.yml the manifest does not list is never read
    (folder / "codebook.yml").write_text("not: [a codebook")
    assert SupervisedCoder.load(folder).codebook_ is None
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["sha256"]["arrays.safetensors"]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelFileError, match="does not list arrays.safetensors"):
        SupervisedCoder.load(folder)


def test_fit_refuses_several_coders_rows_gh19():
    # _gold_matrix took the max over coders (a silent OR); now refused with the consensus() fix
    corpus, gold = synthetic(40, seed=8)
    second = gold.iloc[:1].assign(present=1 - gold["present"].iloc[0])
    unit = gold["unit_id"].iloc[0]
    with pytest.raises(
        ValueError, match=rf"fit\(\): gold has two rows for unit '{unit}'.*consensus"
    ):
        SupervisedCoder(min_df=1, char_ngrams=None, cv=3).fit(corpus, pd.concat([gold, second]))


def test_auto_calibration_counts_the_rarer_class_gh19():
    # 1,200 units, 60 positive: "auto" picked isotonic by the total (>= 1,000); 60 positives
    # are too few for a step function, so it is sigmoid now. Balanced 600/600: isotonic.
    rng = np.random.default_rng(19)
    x = rng.normal(size=(1200, 3))
    rare = np.zeros(1200, dtype=np.int64)
    rare[np.argsort(-x[:, 0])[:60]] = 1  # the 60 highest scores on the first feature
    common = (np.argsort(np.argsort(x[:, 1])) >= 600).astype(np.int64)
    y = np.column_stack([rare, common])
    folds = np.arange(1200) % 3
    linear, _ = core.fit_linear(x, y, ["rare", "common"], folds, C=1.0, calibration="auto",
                                target_precision=None, seed=0)  # fmt: skip
    assert (int(rare.sum()), int(common.sum())) == (60, 600)
    assert linear.kind == ["sigmoid", "isotonic"]
