"""Tests of framelab.scale: the stage functions over Dask partitions.

The reference for every Dask result is the in-memory function on the same data: the tables
must be *equal* (``check_exact=True``), not close. Most tests run the partitions in this
process (no cluster, fast); ``test_local_cluster_*`` runs them on a LocalCluster of two worker
processes that listen on the loopback interface only, without a dashboard.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dask.dataframe as dd
import pandas as pd
import pytest

import framelab.scale._code as scale_code
from framelab.codebook import Codebook, load_codebook
from framelab.coding import code_frames
from framelab.compare import over_time, prevalence
from framelab.io import LoadError, load_corpus
from framelab.scale import (
    STATUS_COLUMNS,
    PartitionError,
    assign_topics_dask,
    code_frames_dask,
    load_coded,
    over_time_dask,
    prevalence_dask,
    read_coded,
    read_corpus_dask,
)

EXACT = {"check_exact": True}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def codebook():
    return load_codebook("peace_talks")


@pytest.fixture(scope="module")
def parquet_parts(sample_corpus, tmp_path_factory):
    """The sample in 4 Parquet files; document i goes to file i % 4, so no file is a doc_id
    range and the concatenated partitions are not in doc_id order."""
    folder = tmp_path_factory.mktemp("parts")
    for k in range(4):
        part = sample_corpus.iloc[k::4].reset_index(drop=True)
        part.to_parquet(folder / f"news-{k}.parquet", index=False)
    return folder


@pytest.fixture(scope="module")
def memory_paragraph(sample_corpus, codebook):
    return code_frames(sample_corpus, codebook, level="paragraph")


@pytest.fixture(scope="module")
def memory_document(sample_corpus, codebook):
    return code_frames(sample_corpus, codebook, level="document")


def _csv_parts(folder: Path, corpus: pd.DataFrame, n: int = 3) -> list[Path]:
    """Sample documents (id, body, outlet, published) as ``n`` CSV files."""
    cols = corpus[["doc_id", "text", "outlet", "date"]].rename(
        columns={"doc_id": "id", "text": "body", "date": "published"}
    )
    cols["published"] = cols["published"].dt.strftime("%Y-%m-%d")
    paths = []
    for k in range(n):
        path = folder / f"part-{k}.csv"
        cols.iloc[k * 20 : (k + 1) * 20].to_csv(path, index=False)
        paths.append(path)
    return paths


BAD_ROW = "X999,A row with a stray delimiter,Outlet,2023-10-01,stray\n"


def _break_row(path: Path) -> int:
    """Append a row with one field too many (a stray, unquoted delimiter); its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + BAD_ROW, encoding="utf-8")
    return text.count("\n") + 1


MAPPING = {"doc_id": "id", "text": "body", "date": "published"}


def _memory_from_files(paths, codebook, level="document", **kwargs):
    corpus = pd.concat([load_corpus(p, **MAPPING, **kwargs) for p in paths], ignore_index=True)
    return code_frames(corpus, codebook, level=level)


# --------------------------------------------------------------------------- LocalCluster


def test_local_cluster_codes_hits_prevalence_equal_in_memory(
    cluster, parquet_parts, memory_paragraph, tmp_path
):
    workers = cluster.scheduler_info()["workers"]
    assert len(workers) == 2
    assert all(addr.startswith("tcp://127.0.0.1:") for addr in workers)
    assert cluster.scheduler.address.startswith("tcp://127.0.0.1:")

    result = code_frames_dask(
        parquet_parts, "peace_talks", out=tmp_path, level="paragraph", client=cluster
    )
    assert list(result.manifest.columns) == list(STATUS_COLUMNS)
    assert result.manifest["status"].tolist() == ["done"] * 4
    assert result.manifest["documents"].tolist() == [119, 119, 119, 118]
    # the work ran in the worker processes, not here
    pids = set(cluster.run(os.getpid).values())
    ran = {int(w.rsplit(":", 1)[1]) for w in result.manifest["worker"]}
    assert ran <= pids and os.getpid() not in ran

    for table in ("codes", "hits", "units"):
        pd.testing.assert_frame_equal(
            load_coded(tmp_path, table), getattr(memory_paragraph, table), **EXACT
        )
    pd.testing.assert_frame_equal(
        prevalence_dask(result, by="perspective", n_boot=300, client=cluster),
        prevalence(memory_paragraph.codes, by="perspective", n_boot=300),
        **EXACT,
    )
    pd.testing.assert_frame_equal(
        prevalence_dask(result, cluster="outlet", n_boot=300, seed=7, client=cluster),
        prevalence(memory_paragraph.codes, cluster="outlet", n_boot=300, seed=7),
        **EXACT,
    )
    pd.testing.assert_frame_equal(
        over_time_dask(
            tmp_path, "date", "W", measure="per_1k", smooth=3, n_boot=200, client=cluster
        ),
        over_time(memory_paragraph.codes, "date", "W", measure="per_1k", smooth=3, n_boot=200),
        **EXACT,
    )


def test_cli_code_dask_on_existing_cluster_and_local_cluster(
    cluster, parquet_parts, memory_document, tmp_path, capsys
):
    from framelab.cli import main

    config = tmp_path / "study.yml"
    config.write_text(
        f"corpus:\n  path: {parquet_parts}\ncodebook: peace_talks\n"
        f"coding:\n  level: document\noutput:\n  dir: {tmp_path / 'reports'}\n",
        encoding="utf-8",
    )
    # in memory (no --dask): code_frames, written in the same layout
    assert main(["code", "--config", str(config)]) == 0
    pd.testing.assert_frame_equal(
        load_coded(tmp_path / "reports" / "frame_codes"), memory_document.codes, **EXACT
    )
    # an existing cluster, by address
    out = tmp_path / "dask"
    args = ["code", "--config", str(config), "--dask", "--out", str(out)]
    assert main([*args, "--scheduler", cluster.scheduler.address]) == 0
    pd.testing.assert_frame_equal(load_coded(out, "hits"), memory_document.hits, **EXACT)
    text = capsys.readouterr().out
    assert "Coded 475 documents (document level, peace_talks@" in text
    assert "4 partition(s) - 4 coded, 0 finished earlier, 0 failed" in text
    # the default LocalCluster, same output folder: only the partition whose output was lost
    # is coded again
    (out / "codes" / "part-00001.parquet").unlink()
    assert main([*args, "--workers", "2"]) == 0
    assert "4 partition(s) - 1 coded, 3 finished earlier, 0 failed" in capsys.readouterr().out
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [p["status"] for p in manifest["partitions"]] == [
        "skipped",
        "done",
        "skipped",
        "skipped",
    ]
    assert manifest["summary"]["documents"] == 475
    pd.testing.assert_frame_equal(load_coded(out), memory_document.codes, **EXACT)


def test_cli_code_flag_errors(tmp_path, capsys):
    from framelab.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["code", "--config", str(tmp_path / "study.yml"), "--workers", "2"])
    assert exc.value.code == 2
    assert "--scheduler and --workers need --dask" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["code", "--config", "x.yml", "--dask", "--workers", "2", "--scheduler", "tcp://a:1"])
    assert "--workers sizes the LocalCluster" in capsys.readouterr().err


# --------------------------------------------------------------------------- equality, no cluster


def test_code_frames_dask_ddf_document_level_equals_in_memory(
    sample_corpus, memory_document, tmp_path
):
    ddf = dd.from_pandas(sample_corpus, npartitions=3)  # Dask turns str into string[pyarrow]
    result = code_frames_dask(ddf, "peace_talks", out=tmp_path)
    assert result.manifest["source"].tolist() == ["partition 0", "partition 1", "partition 2"]
    for table in ("codes", "hits", "units"):
        pd.testing.assert_frame_equal(
            result.to_pandas(table), getattr(memory_document, table), **EXACT
        )
    lazy = result.codes().compute().reset_index(drop=True)  # already in doc_id order here
    pd.testing.assert_frame_equal(lazy, memory_document.codes, **EXACT)
    assert read_coded(tmp_path, "hits", columns=["doc_id", "term"]).columns.tolist() == [
        "doc_id",
        "term",
    ]
    pd.testing.assert_frame_equal(
        prevalence_dask(tmp_path, by="country", measure="per_1k", n_boot=300),
        prevalence(memory_document.codes, by="country", measure="per_1k", n_boot=300),
        **EXACT,
    )


def test_code_frames_dask_sentence_level_trains_the_same_splitter(sample_corpus, tmp_path):
    # no pretrained Punkt here: both paths train Punkt on the 2,000 smallest doc_ids' texts
    docs = sample_corpus.iloc[:150]  # (training Punkt takes a while)
    memory = code_frames(docs, "peace_talks", level="sentence")
    shuffled = docs.sample(frac=1.0, random_state=3).reset_index(drop=True)
    result = code_frames_dask(
        dd.from_pandas(shuffled, npartitions=4, sort=False),
        "peace_talks",
        out=tmp_path,
        level="sentence",
    )
    assert int(result.manifest["units"].sum()) == len(memory.units)
    pd.testing.assert_frame_equal(load_coded(tmp_path, "units"), memory.units, **EXACT)
    pd.testing.assert_frame_equal(load_coded(tmp_path, "codes"), memory.codes, **EXACT)


# --------------------------------------------------------------------------- reading


def test_read_corpus_dask_each_format_equals_load_corpus(sample_corpus, tmp_path):
    docs = sample_corpus.head(30)
    (tmp_path / "a.parquet").parent.mkdir(exist_ok=True)
    docs.iloc[:10].to_parquet(tmp_path / "a.parquet", index=False)
    docs.iloc[10:20].drop(columns=["wire_story"]).to_csv(tmp_path / "b.csv", index=False)
    docs.iloc[20:].assign(date=docs["date"].dt.strftime("%Y-%m-%d")).to_json(
        tmp_path / "c.jsonl", orient="records", lines=True
    )
    ddf = read_corpus_dask(tmp_path)
    assert ddf.npartitions == 3
    columns = list(ddf.columns)
    assert columns == list(sample_corpus.columns)
    for k, name in enumerate(("a.parquet", "b.csv", "c.jsonl")):
        want = load_corpus(tmp_path / name)
        if name == "b.csv":  # lacks wire_story: added empty, as the first partition has it
            want["wire_story"] = pd.Series(float("nan"), index=want.index, dtype="str")
        if name == "c.jsonl":  # all-null JSON column: object -> str, the first one's dtype
            assert want["wire_story"].dtype == object
            want["wire_story"] = want["wire_story"].astype("str")
        want.attrs = {}
        pd.testing.assert_frame_equal(ddf.partitions[k].compute(), want[columns], **EXACT)


def test_read_corpus_dask_extra_column_fails_that_partition(sample_corpus, tmp_path):
    sample_corpus.head(5).to_csv(tmp_path / "a.csv", index=False)
    sample_corpus.iloc[5:10].assign(section="World").to_csv(tmp_path / "b.csv", index=False)
    ddf = read_corpus_dask(tmp_path / "*.csv")
    assert len(ddf.partitions[0].compute()) == 5
    with pytest.raises(LoadError, match=r"b\.csv: column\(s\) 'section' are not in the first"):
        ddf.partitions[1].compute()


def test_read_corpus_dask_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no file matches the pattern"):
        read_corpus_dask(tmp_path / "*.parquet")
    with pytest.raises(ValueError, match="Did you mean on_bad_lines='warn'"):
        read_corpus_dask(tmp_path, on_bad_lines="wran")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=r"has no \.parquet/\.pq/\.csv"):
        read_corpus_dask(tmp_path)


# --------------------------------------------------------------------------- bad rows


def test_bad_row_error_fails_only_its_partition_then_resumes(sample_corpus, codebook, tmp_path):
    src = tmp_path / "raw"
    src.mkdir()
    paths = _csv_parts(src, sample_corpus)
    line = _break_row(paths[1])
    with pytest.raises(LoadError) as memory_error:
        load_corpus(paths[1], **MAPPING)
    out = tmp_path / "out"
    with pytest.raises(PartitionError) as exc:
        code_frames_dask(src / "*.csv", codebook, out=out, **MAPPING)
    # the same message as the in-memory loader, inside the partition report
    assert str(memory_error.value) in str(exc.value)
    assert f"line {line}: malformed row: expected 4 fields, saw 5" in str(exc.value)
    assert "1 of 3 partitions failed; the other 2 finished" in str(exc.value)
    manifest = exc.value.result.manifest
    assert manifest["status"].tolist() == ["done", "failed", "done"]
    assert manifest.loc[1, "message"].startswith("LoadError: ")
    assert (out / "codes" / "part-00002.parquet").is_file()
    assert not (out / "codes" / "part-00001.parquet").exists()
    # the same through read_corpus_dask: the partition's task fails, the others finish
    with pytest.raises(PartitionError) as exc2:
        code_frames_dask(read_corpus_dask(src / "*.csv", **MAPPING), codebook, out=out / "ddf")
    assert exc2.value.result.manifest["status"].tolist() == ["done", "failed", "done"]
    assert str(memory_error.value) in exc2.value.result.manifest.loc[1, "message"]

    # repair the file and call again: only the repaired partition is coded
    paths[1].write_text(paths[1].read_text(encoding="utf-8").replace(BAD_ROW, ""), "utf-8")
    result = code_frames_dask(src / "*.csv", codebook, out=out, **MAPPING)
    assert result.manifest["status"].tolist() == ["skipped", "done", "skipped"]
    pd.testing.assert_frame_equal(
        load_coded(out), _memory_from_files(paths, codebook).codes, **EXACT
    )


@pytest.mark.parametrize("policy", ["warn", "skip"])
def test_bad_row_warn_and_skip_follow_the_loader(sample_corpus, codebook, tmp_path, policy):
    src = tmp_path / "raw"
    src.mkdir()
    paths = _csv_parts(src, sample_corpus)
    _break_row(paths[2])
    if policy == "warn":
        with pytest.warns(UserWarning, match="1 malformed line") as caught:
            load_corpus(paths[2], on_bad_lines="warn", **MAPPING)
        loader_message = str(caught[0].message)
        with pytest.warns(UserWarning) as got:
            result = code_frames_dask(
                src / "*.csv", codebook, out=tmp_path / "out", on_bad_lines="warn", **MAPPING
            )
        assert [str(w.message) for w in got] == [
            f"code_frames_dask(): partition 2 ({paths[2]}): {loader_message}"
        ]
    else:  # no warning at all (warnings are errors in this test suite)
        result = code_frames_dask(
            src / "*.csv", codebook, out=tmp_path / "out", on_bad_lines="skip", **MAPPING
        )
    assert result.manifest["status"].tolist() == ["done"] * 3
    assert result.manifest["documents"].tolist() == [20, 20, 20]  # the bad row is not a doc
    expected = _memory_from_files(paths, codebook, on_bad_lines="skip")
    pd.testing.assert_frame_equal(load_coded(tmp_path / "out"), expected.codes, **EXACT)


def test_code_frames_dask_files_take_the_first_files_columns(sample_corpus, codebook, tmp_path):
    docs = sample_corpus[["doc_id", "text", "outlet"]]
    docs.iloc[:4].assign(section="World").to_csv(tmp_path / "a.csv", index=False)
    docs.iloc[4:8].to_csv(tmp_path / "b.csv", index=False)  # no section: added empty
    docs.iloc[8:12].assign(section="Home", desk="x").to_csv(tmp_path / "c.csv", index=False)
    result = code_frames_dask(tmp_path / "*.csv", codebook, out=tmp_path / "out", errors="report")
    assert result.manifest["status"].tolist() == ["done", "done", "failed"]
    assert "column(s) 'desk' are not in the first partition" in result.manifest.loc[2, "message"]
    codes = read_coded(tmp_path / "out", columns=["doc_id", "section"]).compute()
    n = 4 * len(codebook.frames)  # 4 documents x 9 frames per partition
    assert len(codes) == 2 * n and str(codes["section"].dtype) == "str"
    assert (codes["section"].iloc[:n] == "World").all() and codes["section"].iloc[n:].isna().all()


def test_duplicate_doc_id_across_partitions(sample_corpus, codebook, tmp_path):
    docs = sample_corpus[["doc_id", "text"]]
    docs.iloc[:3].to_csv(tmp_path / "a.csv", index=False)
    docs.iloc[2:5].to_csv(tmp_path / "b.csv", index=False)
    dup = docs["doc_id"].iloc[2]
    with pytest.raises(
        ValueError,
        match=rf"1 doc_id value\(s\) occur in more than one partition: '{dup}' in partitions \[0, 1\]",
    ):
        code_frames_dask(tmp_path / "*.csv", codebook, out=tmp_path / "out")


# --------------------------------------------------------------------------- resume


def test_resume_after_a_crash_recomputes_only_unfinished(
    parquet_parts, memory_document, codebook, tmp_path, monkeypatch
):
    calls = []
    real = scale_code.code_frames

    def crashing(corpus, *args, **kwargs):
        calls.append(corpus["doc_id"].iloc[0])
        if len(calls) == 3:
            raise KeyboardInterrupt  # the run is interrupted while coding partition 2
        return real(corpus, *args, **kwargs)

    monkeypatch.setattr(scale_code, "code_frames", crashing)
    with pytest.raises(KeyboardInterrupt):
        code_frames_dask(parquet_parts, codebook, out=tmp_path)
    status = sorted(p.name for p in (tmp_path / "_status").iterdir())
    assert status == ["part-00000.json", "part-00001.json"]
    assert not (tmp_path / "manifest.json").exists()
    assert not list((tmp_path / "codes").glob(".*"))  # no half-written file left behind
    stamp = (tmp_path / "codes" / "part-00000.parquet").stat().st_mtime_ns

    calls.clear()
    monkeypatch.setattr(
        scale_code, "code_frames", lambda c, *a, **k: calls.append(1) or real(c, *a, **k)
    )
    result = code_frames_dask(parquet_parts, codebook, out=tmp_path)
    assert len(calls) == 2
    assert result.manifest["status"].tolist() == ["skipped", "skipped", "done", "done"]
    assert (tmp_path / "codes" / "part-00000.parquet").stat().st_mtime_ns == stamp
    for table in ("codes", "hits", "units"):
        pd.testing.assert_frame_equal(
            load_coded(tmp_path, table), getattr(memory_document, table), **EXACT
        )

    # a finished partition whose output disappeared is coded again; nothing else
    (tmp_path / "hits" / "part-00003.parquet").unlink()
    calls.clear()
    result = code_frames_dask(parquet_parts, codebook, out=tmp_path)
    assert len(calls) == 1
    assert result.manifest["status"].tolist() == ["skipped", "skipped", "skipped", "done"]

    # other settings (here: the codebook) are another run: everything is coded again
    calls.clear()
    other = Codebook.from_dict(
        {"name": "mini", "version": "1", "frames": {"ceasefire": {"terms": ["truce"]}}}
    )
    result = code_frames_dask(parquet_parts, other, out=tmp_path)
    assert len(calls) == 4 and result.codebook == "mini@1"


def test_resume_ddf_source_skips_unchanged_partitions(sample_corpus, codebook, tmp_path):
    ddf = dd.from_pandas(sample_corpus, npartitions=3)
    code_frames_dask(ddf, codebook, out=tmp_path)
    changed = sample_corpus.copy()
    changed.loc[changed.index[-1], "text"] = "A new text about a truce."
    result = code_frames_dask(dd.from_pandas(changed, npartitions=3), codebook, out=tmp_path)
    assert result.manifest["status"].tolist() == ["skipped", "skipped", "done"]
    pd.testing.assert_frame_equal(
        load_coded(tmp_path, "hits"), code_frames(changed, codebook).hits, **EXACT
    )


# --------------------------------------------------------------------------- errors


def test_code_frames_dask_argument_errors(sample_corpus, codebook, tmp_path):
    with pytest.raises(TypeError, match="For a pandas Corpus use framelab.code_frames"):
        code_frames_dask(sample_corpus, codebook, out=tmp_path)
    ddf = dd.from_pandas(sample_corpus, npartitions=2)
    with pytest.raises(ValueError, match="Did you mean level='paragraph'"):
        code_frames_dask(ddf, codebook, out=tmp_path, level="paragraf")
    with pytest.raises(TypeError, match="apply to partition files only"):
        code_frames_dask(ddf, codebook, out=tmp_path, on_bad_lines="warn")
    with pytest.raises(PermissionError, match="never written by framelab"):
        code_frames_dask(ddf, codebook, out="data/raw/codes")
    with pytest.raises(FileNotFoundError, match="is not the output folder of code_frames_dask"):
        load_coded(tmp_path)


def test_prevalence_dask_unknown_column(sample_corpus, codebook, tmp_path):
    result = code_frames_dask(
        dd.from_pandas(sample_corpus.head(20), npartitions=2), codebook, out=tmp_path
    )
    with pytest.raises(
        ValueError, match="'perspectiv' is not a column of the codes.*Did you mean 'perspective'"
    ):
        prevalence_dask(result, by="perspectiv")
    with pytest.raises(TypeError, match="For a pandas FrameCodes table use framelab.compare"):
        prevalence_dask(sample_corpus)


# --------------------------------------------------------------------------- topics


@pytest.fixture(scope="module")
def toy_fit():
    from framelab.topics import fit_topics
    from framelab.topics._toy import toy_corpus

    toy = toy_corpus()
    return toy, fit_topics(toy, {"preset": "fast", "n_topics": 3, "use_cache": False})


def test_assign_topics_dask_equals_transform_of_the_fitted_model(toy_fit):
    toy, fit = toy_fit
    shuffled = toy.sample(frac=1.0, random_state=1)
    ddf = dd.from_pandas(shuffled, npartitions=3, sort=False)
    got = assign_topics_dask(ddf, fit).compute()
    got = got.sort_values("unit_id", kind="mergesort").reset_index(drop=True)
    assert got.columns.tolist() == ["unit_id", "doc_id", "topic", "probability", "assigned_by"]
    want_topics, _ = fit.model.transform(toy["text"].tolist())
    assert got["topic"].tolist() == [int(t) for t in want_topics]
    # the fast preset (KMeans) assigns the fitted documents to their own clusters
    assert got["topic"].tolist() == fit.assignments["topic"].tolist()
    assert got["unit_id"].tolist() == fit.assignments["unit_id"].tolist()
    assert got["probability"].isna().all() and set(got["assigned_by"]) == {"transform"}


def test_assign_topics_dask_from_a_saved_bundle(toy_fit, tmp_path):
    from framelab.topics import load_topic_bundle, save_topic_bundle

    toy, fit = toy_fit
    folder = save_topic_bundle(fit, tmp_path / "bundle")
    got = assign_topics_dask(dd.from_pandas(toy, npartitions=2), str(folder)).compute()
    # after loading, transform assigns by cosine similarity to the topic embeddings
    want, _ = load_topic_bundle(folder).model.transform(toy["text"].tolist())
    assert got["unit_id"].tolist() == toy["doc_id"].tolist()
    assert got["topic"].tolist() == [int(t) for t in want]
    with pytest.raises(FileNotFoundError, match="is not a topic bundle"):
        assign_topics_dask(dd.from_pandas(toy, npartitions=2), tmp_path)


def test_assign_topics_dask_paragraphs_batches_and_errors(toy_fit):
    toy, fit = toy_fit

    class Longest:
        """Topic = number of words // 5; probability = 1 / topic-ish, deterministic."""

        def transform(self, docs):
            topics = [len(d.split()) // 5 for d in docs]
            return topics, [[1.0 / (1 + t), 0.1] for t in topics]

    corpus = pd.DataFrame(
        {
            "doc_id": ["b", "a"],
            "text": ["One two three.\n\nFour five six seven eight nine.", "Ten."],
        }
    )
    got = assign_topics_dask(
        dd.from_pandas(corpus, npartitions=1), Longest(), level="paragraph", batch_size=2
    ).compute()
    assert got[["unit_id", "topic", "probability"]].values.tolist() == [
        ["a-p0", 0, 1.0],
        ["b-p0", 0, 1.0],
        ["b-p1", 1, 0.5],
    ]
    with pytest.raises(ValueError, match="fitted on documents but level='paragraph'"):
        assign_topics_dask(dd.from_pandas(toy, npartitions=1), fit, level="paragraph")
    with pytest.raises(TypeError, match="fitted model with transform"):
        assign_topics_dask(dd.from_pandas(toy, npartitions=1), object())
