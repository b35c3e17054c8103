"""The result cache: Parquet tables + a JSON record, keyed by every ingredient, never pickle."""

from __future__ import annotations

import json
import logging

import pandas as pd
import pytest

from framelab import __version__
from framelab._cache import ResultCache, code_fingerprint, package_versions, table_sha256

TABLE = pd.DataFrame(
    {
        "frame": pd.Series(["ceasefire", "stalemate", "micro"], dtype="str"),
        "support": [12, 0, 12],
        "f1": [0.75, float("nan"), 0.5],
    }
)
INGREDIENTS = {"units": "ab12", "seed": 7, "params": {"C": 1.0, "ngram_range": [1, 2]}}


def _cache(tmp_path) -> ResultCache:
    return ResultCache(tmp_path / "cache" / "demo", "demo")


def test_result_cache_round_trip_is_identical(tmp_path):
    cache = _cache(tmp_path)
    assert cache.load_tables(INGREDIENTS) is None
    folder = cache.save_tables(INGREDIENTS, {"scores": TABLE})
    assert folder == tmp_path / "cache" / "demo" / cache.key(INGREDIENTS)
    assert sorted(p.name for p in folder.iterdir()) == ["cache.json", "scores.parquet"]
    hit = cache.load_tables(INGREDIENTS)
    assert list(hit) == ["scores"]
    pd.testing.assert_frame_equal(hit["scores"], TABLE, check_exact=True)


def test_result_cache_record_names_every_ingredient(tmp_path):
    folder = _cache(tmp_path).save_tables(INGREDIENTS, {"scores": TABLE})
    record = json.loads((folder / "cache.json").read_text(encoding="utf-8"))
    assert record["ingredients"] == {
        "units": "ab12",
        "seed": 7,
        "params": {"C": 1.0, "ngram_range": [1, 2]},
        "stage": "demo",
        "framelab": code_fingerprint(),
        "cache_format": 1,
    }
    assert record["key"] == folder.name and set(record["files"]) == {"scores.parquet"}


@pytest.mark.parametrize(
    "changed",
    [
        {**INGREDIENTS, "seed": 8},
        {**INGREDIENTS, "units": "ab13"},
        {**INGREDIENTS, "params": {"C": 0.5, "ngram_range": [1, 2]}},
        {**INGREDIENTS, "params": {"C": 1.0, "ngram_range": [1, 1]}},
        {k: v for k, v in INGREDIENTS.items() if k != "seed"},
    ],
)
def test_result_cache_any_changed_ingredient_misses(tmp_path, changed):
    cache = _cache(tmp_path)
    cache.save_tables(INGREDIENTS, {"scores": TABLE})
    assert cache.key(changed) != cache.key(INGREDIENTS)
    assert cache.load_tables(changed) is None


def test_result_cache_stage_is_part_of_the_key(tmp_path):
    ResultCache(tmp_path / "x", "one").save_tables(INGREDIENTS, {"scores": TABLE})
    assert ResultCache(tmp_path / "x", "two").load_tables(INGREDIENTS) is None


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda f: (f / "scores.parquet").write_bytes(b"not parquet"), "damaged scores.parquet"),
        (lambda f: (f / "scores.parquet").unlink(), "lacks scores.parquet"),
        (lambda f: (f / "cache.json").unlink(), "has no cache.json"),
        (lambda f: (f / "cache.json").write_text("{oops"), "unreadable cache.json"),
        (lambda f: (f / "extra.pkl").write_bytes(b"\x80\x04."), "holds pickled files"),
    ],
)
def test_result_cache_broken_entry_is_recomputed_with_a_warning(tmp_path, caplog, damage, message):
    cache = _cache(tmp_path)
    folder = cache.save_tables(INGREDIENTS, {"scores": TABLE})
    damage(folder)
    with caplog.at_level(logging.WARNING, logger="framelab._cache"):
        assert cache.load_tables(INGREDIENTS) is None
    assert message in caplog.text and "recomputing" in caplog.text
    cache.save_tables(INGREDIENTS, {"scores": TABLE})  # replaces the broken entry
    pd.testing.assert_frame_equal(cache.load_tables(INGREDIENTS)["scores"], TABLE)
    assert not list(folder.glob("*.pkl"))


def test_result_cache_entry_from_other_inputs_is_not_used(tmp_path, caplog):
    """A record whose ingredients differ from the key's (e.g. a collision) is never trusted."""
    cache = _cache(tmp_path)
    folder = cache.save_tables(INGREDIENTS, {"scores": TABLE})
    record = json.loads((folder / "cache.json").read_text(encoding="utf-8"))
    record["ingredients"]["seed"] = 99
    (folder / "cache.json").write_text(json.dumps(record), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="framelab._cache"):
        assert cache.load_tables(INGREDIENTS) is None
    assert "computed from other inputs" in caplog.text


def test_result_cache_writes_no_pickle_and_refuses_raw_data(tmp_path, monkeypatch):
    cache = _cache(tmp_path)
    cache.save_tables(INGREDIENTS, {"scores": TABLE, "other": TABLE.head(1)})
    suffixes = {p.suffix for p in (tmp_path / "cache").rglob("*") if p.is_file()}
    assert suffixes == {".json", ".parquet"}
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PermissionError, match="never written by framelab"):
        ResultCache("data/raw/cache", "demo").save_tables(INGREDIENTS, {"scores": TABLE})


def test_table_sha256_sees_values_names_types_and_order():
    base = table_sha256(TABLE)
    assert base == table_sha256(TABLE.copy())
    assert base != table_sha256(TABLE.assign(support=[12, 1, 12]))
    assert base != table_sha256(TABLE.rename(columns={"f1": "F1"}))
    assert base != table_sha256(TABLE.astype({"support": "float64"}))
    assert base != table_sha256(TABLE.iloc[::-1])
    lists = pd.DataFrame({"terms": [["truce"], ["aid", "fatigue"]]})  # unhashable cells
    assert table_sha256(lists) != table_sha256(pd.DataFrame({"terms": [["truce"], ["aid"]]}))


def test_code_fingerprint_and_package_versions():
    version, digest = code_fingerprint().split("+")
    assert version == __version__ and len(digest) == 12
    assert package_versions("pandas") == {"pandas": pd.__version__}
