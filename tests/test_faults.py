"""Bad input and faults outside the loaders (issue 16, items 3, 4, 6, 8, 11-15): each case is a
minimal reproduction from the issue, named ``..._gh16``. The loader cases live in the loader tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framelab.compare import before_after, difference, pairwise


def _three_frames(seed: int = 5) -> pd.DataFrame:
    """Long FrameCodes: 40 documents x frames z, a, m; two outlets, dated around an event."""
    rng = np.random.default_rng(seed)
    ids = [f"d{i:02d}" for i in range(40)]
    parts = []
    for frame, p in (("z", 0.3), ("a", 0.5), ("m", 0.6)):
        present = rng.binomial(1, p, 40)
        parts.append(
            pd.DataFrame(
                {
                    "doc_id": ids,
                    "unit_id": ids,
                    "level": "document",
                    "frame": frame,
                    "present": present,
                    "outlet": np.repeat(["X", "Y"], 20),
                    "date": pd.Timestamp("2023-11-01")
                    + pd.to_timedelta(np.tile(np.arange(-10, 10), 2), unit="D"),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _by_frame(table: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("group_a", "group_b", "frame") if c in table]
    return table.sort_values(keys).set_index(keys)[["p_value", "p_adjusted", "ci_low"]]


# --------------------------------------------------------------------------- statistics


@pytest.mark.parametrize("func", ["difference", "pairwise", "before_after"])
def test_permutation_p_values_do_not_depend_on_row_order_gh16(func):
    codes = _three_frames()
    shuffled = codes.sample(frac=1.0, random_state=11).reset_index(drop=True)
    assert shuffled["frame"].iloc[0] != codes["frame"].iloc[0]  # another frame comes first
    run = {
        "difference": lambda c: difference(c, "outlet", "X", "Y", n_boot=200, n_perm=500),
        "pairwise": lambda c: pairwise(c, "outlet", n_boot=200, n_perm=500),
        "before_after": lambda c: before_after(c, "2023-11-01", window=10, n_boot=200, n_perm=500),
    }[func]
    pd.testing.assert_frame_equal(_by_frame(run(codes)), _by_frame(run(shuffled)))


def test_collocations_window_counts_within_documents_gh16():
    from framelab.text import collocations

    # by hand: words alpha 2, beta 2, gamma 1, delta 1 -> N = 6; (alpha, beta) seen twice in
    # windows of 3, NLTK scores n_ii = 2 / (3 - 1) = 1, so PMI = log2(1 * 6 / (2 * 2)).
    table = collocations(["alpha beta gamma", "delta alpha beta"], window=3, min_freq=1, top=None)
    assert "gamma delta" not in set(table["ngram"])  # no pair across the two documents
    assert "beta delta" not in set(table["ngram"])
    assert sorted(table["ngram"]) == sorted(
        ["alpha beta", "alpha gamma", "beta gamma", "delta alpha", "delta beta"]
    )
    row = table.set_index("ngram").loc["alpha beta"]
    assert row["freq"] == 2
    assert row["pmi"] == pytest.approx(np.log2(6 / 4))


@pytest.mark.parametrize("window", [2, 3, 4])
def test_collocations_window_on_one_document_matches_nltk_gh16(window):
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    from framelab.text import collocations, tokenize

    text = (
        "Security guarantees were discussed; security guarantees matter. Talks on security "
        "guarantees resumed while talks on a ceasefire stalled and security talks resumed."
    )
    table = collocations([text], window=window, min_freq=1, top=None).set_index("ngram")
    finder = BigramCollocationFinder.from_words(
        tokenize(text, lower=True, words_only=True), window_size=window
    )
    expected = {" ".join(g): s for g, s in finder.score_ngrams(BigramAssocMeasures.pmi)}
    assert table.loc["security guarantees", "pmi"] == pytest.approx(expected["security guarantees"])
    for ngram, pmi in table["pmi"].items():
        assert pmi == pytest.approx(expected[ngram])


def test_marginal_effects_of_a_separated_model_are_flagged_not_reported_gh16():
    from framelab.compare import MARGINAL_COLUMNS, marginal_effects

    ids = [f"d{i}" for i in range(10)]
    outlet = ["A"] * 5 + ["B"] * 5
    codes = pd.concat(
        [
            # outlet A always carries "ceasefire": quasi-separation, no finite MLE
            pd.DataFrame({"frame": "ceasefire", "present": [1] * 5 + [1, 1, 0, 0, 0]}),
            # "talks": 3/5 and 1/5, a clean fit
            pd.DataFrame({"frame": "talks", "present": [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]}),
        ],
        ignore_index=True,
    ).assign(doc_id=ids * 2, unit_id=ids * 2, level="document", outlet=outlet * 2)
    with pytest.warns(UserWarning, match=r"frame 'ceasefire' did not converge cleanly"):
        table = marginal_effects(codes, formula="~ C(outlet)", by="outlet")
    assert list(table.columns) == ["outlet", *MARGINAL_COLUMNS]
    assert "converged" in MARGINAL_COLUMNS
    bad = table[table["frame"] == "ceasefire"]
    assert bad["converged"].tolist() == [False, False]
    assert bad[["estimate", "std_error", "ci_low", "ci_high"]].isna().all().all()
    assert bad["n"].tolist() == [5, 5]
    good = table[table["frame"] == "talks"]
    assert good["converged"].tolist() == [True, True]
    assert good["estimate"].tolist() == pytest.approx([0.6, 0.2])


# --------------------------------------------------------------------------- codebooks and config


def test_duplicate_frame_in_a_codebook_names_both_lines_gh16(tmp_path):
    from framelab.codebook import CodebookError, load_codebook

    path = tmp_path / "cb.yml"
    path.write_text(
        "name: m\nversion: '1'\nframes:\n"
        "  truce:\n    terms: [truce]\n"
        "  talks:\n    terms: [talks]\n"
        "  truce:\n    terms: [armistice]\n",
        encoding="utf-8",
    )
    with pytest.raises(CodebookError, match=r"cb\.yml, line 8.*duplicate key 'truce'.*line 4"):
        load_codebook(path)


def test_duplicate_section_in_study_yml_names_both_lines_gh16(tmp_path):
    from framelab.config import ConfigError, load_config

    path = tmp_path / "study.yml"
    path.write_text(
        "seed: 1\ncompare:\n  n_boot: 500\ncoding:\n  level: document\ncompare:\n  ci: 0.9\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"study\.yml, line 6.*duplicate key 'compare'.*line 2"):
        load_config(path)
    path.write_text("seed: 1\ncompare:\n  n_boot: 500\n  n_boot: 300\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"line 4.*duplicate key 'n_boot'.*line 3"):
        load_config(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "corpus:\n  near_duplicate_threshold: 1.5\n",
            r"line 2, column 3: corpus\.near_duplicate_threshold: expected a number in \(0, 1\]",
        ),
        ("compare:\n  ci: 0.0001\n", r"line 2.*compare\.ci: expected a number between 0\.5"),
        ("compare:\n  ci: 1\n", r"compare\.ci: expected a number between 0\.5 and 0\.999"),
        ("compare:\n  n_boot: 50\n", r"line 2.*compare\.n_boot: expected a whole number >= 200"),
        ("validation:\n  n_boot: 10\n", r"validation\.n_boot: expected a whole number >= 200"),
        (
            "seed: 1\ntopics:\n  preset: fast\n  n_topic: 8\n",
            r"study\.yml, line 4, column 3: topics\.n_topic: unknown key 'n_topic'\. "
            r"Did you mean 'n_topics'\?",
        ),
    ],
)
def test_config_ranges_and_topic_keys_checked_at_load_gh16(tmp_path, text, message):
    from framelab.config import ConfigError, load_config

    path = tmp_path / "study.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_config_accepts_the_range_bounds_gh16(tmp_path):
    from framelab.config import load_config

    path = tmp_path / "study.yml"
    path.write_text(
        "corpus:\n  near_duplicate_threshold: 1\ncompare:\n  ci: 0.5\n  n_boot: 200\n"
        "validation:\n  n_boot: 200\ntopics:\n  n_topics: 4\n",
        encoding="utf-8",
    )
    cfg = load_config(path)
    assert (cfg.corpus.near_duplicate_threshold, cfg.compare.ci, cfg.compare.n_boot) == (
        1,
        0.5,
        200,
    )
    assert cfg.topics == {"n_topics": 4}


def test_config_corpus_path_is_relative_to_the_config_folder_gh16(tmp_path, monkeypatch):
    from framelab.config import load_config

    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "study.yml").write_text("corpus:\n  path: data/raw/news.csv\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    cfg = load_config(proj / "study.yml")
    with pytest.raises(FileNotFoundError) as info:
        cfg.load_corpus()
    text = str(info.value)
    assert "line 2" in text and "corpus.path" in text
    assert str(proj / "data" / "raw" / "news.csv") in text
    assert "relative to the config file's folder" in text
    assert "working" not in text


def test_over_time_with_every_date_missing_is_a_clear_error_gh16():
    from framelab.compare import over_time

    codes = _three_frames().assign(date=pd.NaT)
    with pytest.raises(ValueError, match=r"over_time\(\): every value of 'date' is missing"):
        over_time(codes, n_boot=200)


# --------------------------------------------------------------------------- raw-data guard


def _project(tmp_path, out_dir: str, corpus: str = "data/raw/news.csv"):
    proj = tmp_path / "proj"
    raw = proj / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "news.csv").write_text(
        "doc_id,text,date\na,Ceasefire talks resumed.,2023-11-01\n", encoding="utf-8"
    )
    (proj / "corpus").mkdir()
    (proj / "corpus" / "news.csv").write_text(
        "doc_id,text,date\na,Ceasefire talks resumed.,2023-11-01\n", encoding="utf-8"
    )
    config = proj / "study.yml"
    config.write_text(
        f"corpus:\n  path: {corpus}\ncoding:\n  level: document\noutput:\n  dir: {out_dir}\n",
        encoding="utf-8",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    return proj, config, elsewhere


def test_cli_code_refuses_raw_output_from_another_folder_gh16(tmp_path, monkeypatch):
    from framelab.cli import main

    proj, config, elsewhere = _project(tmp_path, "data/raw/out")
    monkeypatch.chdir(elsewhere)  # no data/raw here: the old guard looked at ./data/raw only
    with pytest.raises(PermissionError, match=r"refusing to write .*data/raw/out"):
        main(["code", "--config", str(config)])
    assert sorted(p.name for p in (proj / "data" / "raw").iterdir()) == ["news.csv"]


def test_guard_protects_the_corpus_folder_the_config_points_at_gh16(tmp_path, monkeypatch):
    from framelab._files import ensure_writable
    from framelab.config import load_config

    proj, config, elsewhere = _project(tmp_path, "corpus/out", corpus="corpus/news.csv")
    monkeypatch.chdir(elsewhere)
    cfg = load_config(config)
    assert cfg.raw_dirs() == (proj / "data" / "raw", proj / "corpus")
    with pytest.raises(PermissionError, match=r"corpus/out: it is under .*corpus, the study's raw"):
        ensure_writable(cfg.output_dir(), raw_dir=cfg.raw_dirs())
    assert ensure_writable(proj / "reports", raw_dir=cfg.raw_dirs()) == proj / "reports"
    # a notebook runs in notebooks/: a relative data/raw path there is still refused
    (proj / "notebooks").mkdir()
    monkeypatch.chdir(proj / "notebooks")
    with pytest.raises(PermissionError, match="under a data/raw folder"):
        ensure_writable("../data/raw/figure.png")


# --------------------------------------------------------------------------- caches and bundles


def test_result_cache_concurrent_writers_of_one_entry_gh16(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from framelab._cache import ResultCache

    cache = ResultCache(tmp_path / "cache" / "demo", "demo")
    ingredients = {"data": "ab12", "seed": 0}
    table = pd.DataFrame({"frame": ["ceasefire", "talks"], "f1": [0.75, 0.5]})

    def write(_):
        return cache.save_tables(ingredients, {"scores": table})

    with ThreadPoolExecutor(max_workers=8) as pool:
        folders = list(pool.map(write, range(160)))
    assert set(folders) == {cache.path(ingredients)}
    pd.testing.assert_frame_equal(cache.load_tables(ingredients)["scores"], table)
    # nothing left behind but the one entry
    assert [p.name for p in (tmp_path / "cache" / "demo").iterdir()] == [folders[0].name]


def _store_entry(folder: str) -> str:
    from framelab._cache import ResultCache

    table = pd.DataFrame({"frame": ["ceasefire", "talks"], "f1": [0.75, 0.5]})
    cache = ResultCache(folder, "demo")
    return str(cache.save_tables({"data": "ab12"}, {"scores": table}))


def test_result_cache_concurrent_processes_gh16(tmp_path):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    folder = str(tmp_path / "cache" / "demo")
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=4, mp_context=context) as pool:
        written = set(pool.map(_store_entry, [folder] * 160))
    assert len(written) == 1
    from framelab._cache import ResultCache

    tables = ResultCache(folder, "demo").load_tables({"data": "ab12"})
    assert tables["scores"]["f1"].tolist() == [0.75, 0.5]
    assert len(list((tmp_path / "cache" / "demo").iterdir())) == 1


def test_embedding_cache_concurrent_writers_of_one_key_gh16(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from framelab.topics._cache import EmbeddingCache

    cache = EmbeddingCache(tmp_path / "emb")
    vectors = np.arange(12, dtype=np.float32).reshape(4, 3)
    state = {"components": np.ones((2, 3), dtype=np.float32)}

    def write(_):
        cache.save("k" * 24, vectors, {"backend": "demo"}, state)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, range(160)))
    got, meta, got_state = cache.load("k" * 24)
    np.testing.assert_array_equal(got, vectors)
    np.testing.assert_array_equal(got_state["components"], state["components"])
    assert sorted(p.name for p in (tmp_path / "emb").iterdir()) == [
        "k" * 24 + ".json",
        "k" * 24 + ".npy",
        "k" * 24 + ".state.safetensors",
    ]


@pytest.fixture(scope="module")
def toy_bundle(tmp_path_factory):
    from framelab.topics import fit_topics, save_topic_bundle
    from framelab.topics._toy import toy_corpus

    fit = fit_topics(toy_corpus(), {"preset": "fast", "n_topics": 3, "use_cache": False})
    return save_topic_bundle(fit, tmp_path_factory.mktemp("bundles") / "toy")


def _copy_bundle(toy_bundle, tmp_path):
    import shutil

    return Path(shutil.copytree(toy_bundle, tmp_path / "bundle"))


def test_load_topic_bundle_detects_an_edited_table_gh16(toy_bundle, tmp_path):
    from framelab.topics import load_topic_bundle

    folder = _copy_bundle(toy_bundle, tmp_path)
    table = pd.read_parquet(folder / "assignments.parquet")
    table.loc[0, "topic"] = table["topic"].max() + 1  # one assignment edited by hand
    table.to_parquet(folder / "assignments.parquet", index=False)
    with pytest.raises(ValueError, match=r"assignments\.parquet.*does not match the SHA-256"):
        load_topic_bundle(folder)


def test_load_topic_bundle_detects_zeroed_and_truncated_safetensors_gh16(toy_bundle, tmp_path):
    from framelab.topics import load_topic_bundle

    folder = _copy_bundle(toy_bundle, tmp_path)
    target = folder / "model" / "topic_embeddings.safetensors"
    target.write_bytes(bytes(target.stat().st_size))  # same size, zeroed
    with pytest.raises(ValueError, match=r"model/topic_embeddings\.safetensors.*SHA-256"):
        load_topic_bundle(folder)
    data = (toy_bundle / "model" / "topic_embeddings.safetensors").read_bytes()
    target.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"model/topic_embeddings\.safetensors.*SHA-256"):
        load_topic_bundle(folder)


def test_load_topic_bundle_bad_manifest_and_missing_file_gh16(toy_bundle, tmp_path):
    import json

    from framelab.topics import load_topic_bundle

    folder = _copy_bundle(toy_bundle, tmp_path)
    manifest = folder / "manifest.json"
    good = manifest.read_text(encoding="utf-8")
    manifest.write_text(good[:40], encoding="utf-8")
    with pytest.raises(ValueError, match=r"manifest\.json.*is not valid JSON"):
        load_topic_bundle(folder)
    record = json.loads(good)
    del record["files"]
    manifest.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(ValueError, match=r"manifest\.json.*lacks the key 'files'"):
        load_topic_bundle(folder)
    manifest.write_text(good, encoding="utf-8")
    (folder / "topic_words.parquet").unlink()
    with pytest.raises(
        ValueError, match=r"topic_words\.parquet.*listed in .*manifest\.json.*missing"
    ):
        load_topic_bundle(folder)


def test_embedding_cache_detects_altered_bytes_and_recomputes_gh16(tmp_path, caplog):
    from framelab.topics._cache import EmbeddingCache

    cache = EmbeddingCache(tmp_path / "emb")
    vectors = np.arange(12, dtype=np.float32).reshape(4, 3)
    cache.save("k" * 24, vectors, {"backend": "demo"})
    npy = tmp_path / "emb" / ("k" * 24 + ".npy")
    data = bytearray(npy.read_bytes())
    data[-4:] = np.float32(99.0).tobytes()  # same size, last value altered
    npy.write_bytes(bytes(data))
    assert np.load(npy)[-1, -1] == 99.0  # still a valid .npy of the right shape
    with caplog.at_level("WARNING", logger="framelab.topics._cache"):
        assert cache.load("k" * 24) is None
    assert "checksum" in caplog.text and "recomputing" in caplog.text


# --------------------------------------------------------------------------- regexes

_EXTENDS = "name: s\nversion: '1'\nextends: peace_talks\nframes:\n  ceasefire:\n    add:\n"


def test_regex_added_through_extends_is_checked_gh16(tmp_path):
    from framelab.codebook import CodebookError, load_codebook

    path = tmp_path / "mine.yml"
    path.write_text(_EXTENDS + "      regex: ['(\\w+\\s?)+$']\n", encoding="utf-8")
    with pytest.raises(
        CodebookError, match=r"mine\.yml, line 7, column \d+: .*regex.* rejected: nested quantifier"
    ):
        load_codebook(path)


def test_invalid_regex_added_through_extends_is_a_codebook_error_gh16(tmp_path):
    from framelab.codebook import CodebookError, load_codebook

    path = tmp_path / "mine.yml"
    path.write_text(_EXTENDS + "      regex: ['\\bfreez(e|ing']\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"mine\.yml, line 7.*not a valid regular expression"):
        load_codebook(path)


@pytest.mark.parametrize("rx", [r"\w*\w*\w*\w*\w*\w*x$", r"(.*a){10}$", r"(\w+\s?)+$"])
def test_regex_check_catches_the_issue_shapes_gh16(rx):
    from framelab._regex_check import check_regex

    assert check_regex(rx) is not None


def test_regex_from_the_python_api_goes_through_the_same_check_gh16():
    from framelab.codebook import Codebook, CodebookError, Frame

    with pytest.raises(CodebookError, match=r"frame 'a': regex '\(\.\*a\)\{10\}\$' rejected"):
        Frame(id="a", label="A", regex=("(.*a){10}$",))
    with pytest.raises(CodebookError, match=r"rejected: not a valid regular expression"):
        Codebook.from_dict({"name": "m", "version": "1", "frames": {"a": {"regex": ["(x"]}}})


def test_shipped_codebook_regexes_pass_the_check_gh16():
    from framelab._regex_check import check_regex
    from framelab.codebook import list_codebooks, load_codebook

    for name in list_codebooks():
        for frame in load_codebook(name).frames.values():
            # every-language regexes and each language's own (issue 21)
            for rx in (*frame.regex, *(r for rs in frame.regex_by_language.values() for r in rs)):
                assert check_regex(rx) is None, (name, rx)


def test_coding_time_per_document_regex_is_bounded_gh16(monkeypatch):
    """A regex the check misses cannot hang coding: it is stopped with a clear error."""
    import time

    import framelab._codebook_parse as parse_module
    import framelab._engine as engine
    import framelab.codebook as codebook_module
    from framelab.codebook import Codebook, CodebookError
    from framelab.coding import code_frames

    for module in (codebook_module, parse_module):  # a shape the check misses
        monkeypatch.setattr(module, "regex_error", lambda rx: None)
    monkeypatch.setattr(engine, "REGEX_SECONDS", 0.3)
    cb = Codebook.from_dict(
        {"name": "m", "version": "1", "frames": {"a": {"regex": [r"(\w+\s?)+$"]}}}
    )
    corpus = pd.DataFrame({"doc_id": ["ok", "slow"], "text": ["Short.", "a" * 70 + "!"]})
    start = time.perf_counter()
    with pytest.raises(
        CodebookError, match=r"of frame 'a' ran longer than 0\.3 s on document 'slow'"
    ):
        code_frames(corpus, cb, level="document")
    assert time.perf_counter() - start < 1.0
