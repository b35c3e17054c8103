"""Floor 1 file helpers (framelab._files): one checksum, one table hash, old import paths."""

from __future__ import annotations

import hashlib

import pandas as pd

from framelab import _files

#: a small table with an unhashable (list) column, as topic and term tables have
TABLE = pd.DataFrame({"doc_id": ["d1", "d2"], "n": [3, 0], "terms": [["truce"], []]})


def test_file_and_folder_sha256_are_sha256_of_the_bytes(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_bytes(b"truce")
    (tmp_path / "sub" / "a.txt").write_bytes(b"x")
    assert _files.file_sha256(tmp_path / "b.txt") == hashlib.sha256(b"truce").hexdigest()
    assert _files.folder_sha256(tmp_path) == {
        "b.txt": hashlib.sha256(b"truce").hexdigest(),
        "sub/a.txt": "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881",
    }


def test_table_sha256_ignores_the_index_gh17():
    from framelab._cache import table_sha256  # the cache's name: it included the index before

    assert table_sha256(TABLE.set_axis([5, 9])) == table_sha256(TABLE)
    assert table_sha256(TABLE.iloc[::-1]) != table_sha256(TABLE)  # row order still counts


def test_table_sha256_keeps_the_dask_resume_hash_gh17():
    # the value scale/_read.frame_sha256 gave before issue 17 (its resume records store it)
    assert _files.table_sha256(TABLE) == (
        "6c50aace852506e5bf4b768fed2b864e32f61237c5a8ad028386542de72e06ee"
    )


def test_one_definition_behind_the_old_import_paths_gh17():
    from framelab import _cache
    from framelab.io import manifest
    from framelab.scale import _read

    assert manifest.file_sha256 is _read.file_sha256 is _files.file_sha256
    assert manifest.folder_sha256 is _files.folder_sha256
    assert manifest.ensure_writable is _files.ensure_writable
    assert _cache.table_sha256 is _read.frame_sha256 is _files.table_sha256


def test_version_lookups_agree_gh17():
    import framelab
    from framelab._version import __version__
    from framelab.validate._common import framelab_version

    assert framelab.__version__ == framelab_version() == __version__
