"""Coded tables on disk (framelab.coding_io): written next to coding, without the Dask runner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

import framelab
from framelab.codebook import Codebook
from framelab.coding import code_frames
from framelab.coding_io import load_coded, write_coded

CODEBOOK = Codebook.from_dict(
    {"name": "mini", "version": "1", "frames": {"ceasefire": {"terms": ["truce"]}}}
)


def test_write_coded_layout_manifest_and_round_trip(tmp_path):
    corpus = pd.DataFrame({"doc_id": ["b", "a"], "text": ["Truce, truce.", "No news."]})
    coded = code_frames(corpus, CODEBOOK)
    result = write_coded(coded, tmp_path, source="two docs")
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert files == [
        "_status/part-00000.json",
        "codes/part-00000.parquet",
        "hits/part-00000.parquet",
        "manifest.json",
        "units/part-00000.parquet",
    ]
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["codebook"], manifest["level"], manifest["settings_sha256"]) == (
        "mini@1",
        "document",
        "in-memory",
    )
    assert manifest["summary"] == {"partitions": 1, "done": 1, "skipped": 0, "failed": 0,
                                   "documents": 2, "units": 2, "hits": 2}  # fmt: skip
    status = json.loads((tmp_path / "_status" / "part-00000.json").read_text(encoding="utf-8"))
    assert (status["source"], status["status"], status["hits"]) == ("two docs", "done", 2)
    assert result.manifest[["partition", "status", "documents"]].values.tolist() == [[0, "done", 2]]
    for table in ("codes", "hits", "units"):
        pd.testing.assert_frame_equal(load_coded(tmp_path, table), getattr(coded, table))


def test_old_import_paths_are_the_same_objects_gh17():
    import framelab.coding_io as coding_io
    import framelab.scale as scale
    from framelab.scale import _code, _output

    assert scale.write_coded is _code.write_coded is coding_io.write_coded
    for name in ("CodedDask", "PartitionError", "STATUS_COLUMNS", "load_coded", "read_coded"):
        assert getattr(scale, name) is getattr(_output, name) is getattr(coding_io, name)


def test_cli_code_in_memory_does_not_import_the_dask_runner_gh17(tmp_path):
    (tmp_path / "corpus.csv").write_text(
        "doc_id,text,outlet\na,A truce holds.,X\nb,No news today.,Y\n", encoding="utf-8"
    )
    (tmp_path / "study.yml").write_text(
        f"corpus:\n  path: {tmp_path / 'corpus.csv'}\ncodebook: peace_talks\n"
        f"coding:\n  level: document\ncompare:\n  group: outlet\noutput:\n  dir: {tmp_path / 'reports'}\n",
        encoding="utf-8",
    )
    script = (
        "import sys\nfrom framelab.cli import main\n"
        f"code = main(['code', '--config', {str(tmp_path / 'study.yml')!r}])\n"
        "print(code, sorted(m for m in sys.modules if m.startswith('framelab.scale')))\n"
    )
    src = str(Path(framelab.__file__).parents[1])
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": src, "PATH": "", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "0 []"
    written = load_coded(tmp_path / "reports" / "frame_codes")
    assert written[["doc_id", "frame"]].drop_duplicates("doc_id")["doc_id"].tolist() == ["a", "b"]
