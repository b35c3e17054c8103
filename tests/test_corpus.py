"""Tests for framelab.corpus: schema, normalisation, ids, dates, near duplicates."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelab.coding import code_frames
from framelab.corpus import (
    CORPUS_COLUMNS,
    check_corpus,
    corpus_summary,
    drop_near_duplicates,
    find_near_duplicates,
    make_doc_id,
    normalize_text,
    parse_dates,
    validate_corpus,
)


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


def test_validate_corpus_schema_order_and_extras_kept():
    raw = pd.DataFrame({"extra": [1, 2], "text": ["a b", "c d"], "outlet": ["X", "Y"]})
    corpus = validate_corpus(raw)
    assert list(corpus.columns) == [*CORPUS_COLUMNS, "extra"]
    assert corpus["extra"].tolist() == [1, 2]
    assert corpus["country"].isna().all()
    assert str(corpus["date"].dtype) == "datetime64[ns]"


def test_validate_corpus_does_not_modify_input():
    raw = pd.DataFrame({"text": ["  Talks&amp;truce  "], "doc_id": ["x"]})
    before = raw.copy()
    validate_corpus(raw)
    pd.testing.assert_frame_equal(raw, before)


def test_normalize_text_nfc_entities_whitespace_keeps_paragraphs():
    decomposed = "Kyive\u0301"  # e + combining acute -> é (NFC)
    text = f"  {decomposed}&nbsp;talks\u00a0resume\r\n\r\n\r\n\tSecond   para.  "
    assert normalize_text(text) == "Kyivé talks resume\n\nSecond para."


def test_validate_corpus_empty_texts_dropped_with_warning_and_recorded():
    raw = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["ok", "   ", None]})
    with pytest.warns(UserWarning, match=r"dropped 2 document\(s\).*first: b, c"):
        corpus = validate_corpus(raw)
    assert corpus["doc_id"].tolist() == ["a"]
    assert [d["doc_id"] for d in corpus.attrs["framelab_dropped"]] == ["b", "c"]
    assert {d["reason"] for d in corpus.attrs["framelab_dropped"]} == {"empty text"}


def test_validate_corpus_duplicate_ids_listed():
    raw = pd.DataFrame({"doc_id": ["a", "b", "a", "c", "c"], "text": list("vwxyz")})
    with pytest.raises(ValueError, match=r"2 duplicate doc_id value\(s\).*'a', 'c'"):
        validate_corpus(raw)


def test_validate_corpus_identical_documents_without_ids_explain_fix():
    raw = pd.DataFrame({"text": ["same", "same"], "outlet": ["A", "A"]})
    with pytest.raises(ValueError, match="exact duplicates"):
        validate_corpus(raw)


def test_validate_corpus_missing_text_column_lists_columns():
    with pytest.raises(KeyError, match=r"Columns found: 'id', 'txt'.*Did you mean text='txt'"):
        validate_corpus(pd.DataFrame({"id": [1], "txt": ["x"]}))


def test_validate_corpus_rejects_non_dataframe():
    with pytest.raises(TypeError, match="expected a pandas DataFrame, got list"):
        validate_corpus([{"text": "x"}])


def test_generated_ids_are_stable_and_normalisation_invariant():
    a = validate_corpus(
        pd.DataFrame({"text": ["Talks  resume."], "outlet": ["A"], "date": ["2023-11-01"]})
    )
    b = validate_corpus(
        pd.DataFrame({"text": ["Talks resume. "], "outlet": ["A"], "date": ["1 November 2023"]})
    )
    assert a["doc_id"].item() == b["doc_id"].item()
    assert len(a["doc_id"].item()) == 12
    c = validate_corpus(
        pd.DataFrame({"text": ["Talks resume."], "outlet": ["B"], "date": ["2023-11-01"]})
    )
    assert c["doc_id"].item() != a["doc_id"].item()
    assert make_doc_id("x", None, None) == make_doc_id("x", "", "")


def test_numeric_ids_become_clean_strings():
    corpus = validate_corpus(pd.DataFrame({"doc_id": [17.0, 18.0], "text": ["a", "b"]}))
    assert corpus["doc_id"].tolist() == ["17", "18"]


def test_parse_dates_three_formats_and_time_zones():
    s = pd.Series(
        [
            "2023-11-01",
            "November 2, 2023",
            "03/11/2023 23:30",
            "2023-11-04T02:00+03:00",
            "Friday, 10 November 2023",
            None,
        ]
    )
    with pytest.warns(UserWarning, match=r"1 ambiguous .*'03/11/2023 23:30' were read MONTH-first"):
        out = parse_dates(s)
    assert out.tolist()[:5] == [
        pd.Timestamp("2023-11-01"),
        pd.Timestamp("2023-11-02"),
        pd.Timestamp("2023-03-11 23:30"),
        pd.Timestamp("2023-11-03 23:00"),
        pd.Timestamp("2023-11-10"),
    ]
    assert pd.isna(out.iloc[5])
    assert str(out.dtype) == "datetime64[ns]"


def test_parse_dates_day_first_when_unambiguous_evidence():
    out = parse_dates(pd.Series(["25/11/2023", "03/11/2023"]))
    assert out.tolist() == [pd.Timestamp("2023-11-25"), pd.Timestamp("2023-11-03")]


def test_parse_dates_bad_values_warn_with_first_values():
    with pytest.warns(UserWarning, match=r"2 date value\(s\).*'yesterday', 'n/a'"):
        out = parse_dates(pd.Series(["yesterday", "2023-11-01", "n/a"]))
    assert out.isna().tolist() == [True, False, True]


def test_parse_dates_aware_datetime_column_converted_to_utc_naive():
    s = pd.Series(pd.to_datetime(["2023-11-01 12:00"]).tz_localize("Europe/Kyiv"))
    assert parse_dates(s).tolist() == [pd.Timestamp("2023-11-01 10:00")]


def test_check_corpus_messages():
    with pytest.raises(TypeError, match="single string"):
        check_corpus("some text", "code_frames")
    with pytest.raises(ValueError, match="no 'doc_id' column"):
        check_corpus(pd.DataFrame({"text": ["x"]}), "code_frames")


def test_code_frames_rejects_repeated_doc_ids_with_rows_and_fix_gh21():
    # a raw DataFrame with a repeated id used to fail deep inside coding with pandas'
    # "Reindexing only valid with uniquely valued Index objects"
    corpus = pd.DataFrame(
        {"doc_id": ["a", "b", "a", "c", "c"], "text": ["truce", "x", "talks", "y", "z"]}
    )
    with pytest.raises(ValueError) as err:
        code_frames(corpus, "peace_talks")
    msg = str(err.value)
    assert msg.startswith("code_frames(): doc_id must be unique, but 2 ids repeat ('a', 'c'; ")
    assert "rows 0, 2, 3, 4)" in msg and "on_duplicate_ids='first' | 'suffix'" in msg
    fixed = validate_corpus(corpus.assign(language="en"), on_duplicate_ids="suffix")
    assert code_frames(fixed, "peace_talks").codes["doc_id"].nunique() == 5


WIRE = (
    "Envoys from both governments met in Geneva on Monday to discuss a possible framework "
    "for talks on a ceasefire, officials said, adding that no date had been set for the next "
    "round and that humanitarian corridors would be on the agenda."
)


def test_find_near_duplicates_clusters_edited_copies_only():
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "text": [
                WIRE,
                WIRE.replace("officials said", "government officials told reporters"),
                "Artillery duels continued overnight along the southern front line near the river.",
                WIRE + " The talks are expected to resume next month.",
            ],
            "outlet": ["A", "B", "C", "D"],
            "date": ["2023-11-02", "2023-11-01", "2023-11-01", "2023-11-03"],
        }
    )
    clusters = find_near_duplicates(validate_corpus(docs), threshold=0.6)
    assert clusters["doc_id"].tolist() == ["b", "a", "d"]  # earliest first
    assert clusters["cluster"].tolist() == [0, 0, 0]
    assert clusters["cluster_size"].tolist() == [3, 3, 3]
    assert clusters["similarity"].iloc[0] == 1.0
    assert (clusters["similarity"] > 0.5).all()


def test_drop_near_duplicates_keeps_earliest_and_records():
    docs = validate_corpus(
        pd.DataFrame(
            {
                "doc_id": ["a", "b", "c"],
                "text": [WIRE, WIRE, "Something else entirely happened here."],
                "date": ["2023-11-02", "2023-11-01", "2023-11-05"],
            }
        )
    )
    out = drop_near_duplicates(docs)
    assert out["doc_id"].tolist() == ["b", "c"]
    assert out.attrs["framelab_dropped"] == [{"doc_id": "a", "reason": "near duplicate of b"}]
    latest = drop_near_duplicates(docs, keep="latest")
    assert latest["doc_id"].tolist() == ["a", "c"]
    with pytest.raises(ValueError, match="keep must be 'earliest' or 'latest'"):
        drop_near_duplicates(docs, keep="first")


def test_find_near_duplicates_finds_the_sample_wire_copies(sample_corpus):
    clusters = find_near_duplicates(sample_corpus)
    found = clusters.merge(sample_corpus[["doc_id", "wire_story"]], on="doc_id")
    planted = sample_corpus[sample_corpus["wire_story"].notna()]
    # every planted reprint is found, and each cluster is exactly one wire story
    assert set(found["doc_id"]) == set(planted["doc_id"])
    assert (found.groupby("cluster")["wire_story"].nunique() == 1).all()
    assert found["cluster"].nunique() == planted["wire_story"].nunique()


# ------------------------------------------------- near duplicates, fast and cached (issue 22)


def _reference_near_duplicates(corpus, threshold):
    """The search as written before issue 22: datasketch's MinHash fed every shingle."""
    import re

    import numpy as np
    from datasketch import MinHash, MinHashLSH

    def shingles(text, size=5):
        words = re.findall(r"\w+", text.lower())
        if len(words) < size:
            return {" ".join(words).encode("utf-8")} if words else set()
        return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}

    ids, sigs = corpus["doc_id"].tolist(), []
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    for doc_id, text in zip(ids, corpus["text"], strict=True):
        mh = MinHash(num_perm=128, seed=0)
        mh.update_batch(sorted(shingles(text)))
        sigs.append(mh)
        lsh.insert(doc_id, mh)
    parent = list(range(len(ids)))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    pos = {d: i for i, d in enumerate(ids)}
    for i, mh in enumerate(sigs):
        for other in lsh.query(mh):
            j = pos[other]
            if j != i and mh.jaccard(sigs[j]) >= threshold:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
    roots = np.array([find(i) for i in range(len(ids))])
    sizes = pd.Series(roots).value_counts()
    members = np.flatnonzero(sizes.reindex(roots).to_numpy() > 1)
    table = corpus.iloc[members][["doc_id", "outlet", "date"]].copy()
    table["_root"], table["_pos"] = roots[members], members
    table = table.sort_values(["date", "doc_id"], na_position="last", kind="mergesort")
    first = table.groupby("_root", sort=False)["_pos"].first()
    table["cluster"] = table["_root"].map({r: k for k, r in enumerate(first.index)}).astype(int)
    table["cluster_size"] = table["_root"].map(sizes).astype("int64")
    table["similarity"] = [
        float(sigs[p].jaccard(sigs[first[r]]))
        for p, r in zip(table["_pos"], table["_root"], strict=True)
    ]
    table = table.sort_values(["cluster", "date", "doc_id"], kind="mergesort")
    columns = ["cluster", "doc_id", "outlet", "date", "cluster_size", "similarity"]
    return table[columns].reset_index(drop=True)


@pytest.mark.parametrize("threshold", [0.7, 0.3])
def test_fast_near_duplicates_equal_the_datasketch_reference_gh22(sample_corpus, threshold):
    got = find_near_duplicates(sample_corpus, threshold=threshold)
    want = _reference_near_duplicates(sample_corpus, threshold)
    assert len(want) >= 15  # the sample's planted wire copies (more at the low threshold)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


@pytest.mark.parametrize("scheme", ["affine32", "legacy"])
def test_minhash_signatures_equal_datasketch_update_batch_gh22(sample_corpus, scheme):
    import hashlib

    import numpy as np
    from datasketch import MinHash

    from framelab import _near_dup

    texts = [*sample_corpus["text"].iloc[:25], "", "Truce.", "Один два три четыре пять шесть"]
    fast = _near_dup.signatures(texts, 5, 64, 3)
    for text, sig in zip(texts, fast, strict=True):
        slow = MinHash(num_perm=64, seed=3)
        slow.update_batch(sorted(_near_dup.shingles(text, 5)))
        assert (sig.hashvalues == slow.hashvalues).all() and sig.scheme == slow.scheme
    # the update step of both permutation schemes, on the same 32-bit hashes
    template = MinHash(num_perm=32, seed=1, scheme=scheme)
    grams = sorted(_near_dup.shingles(texts[0], 5))
    hv = np.array([int.from_bytes(hashlib.sha1(g).digest()[:4], "little") for g in grams])
    slow = MinHash(num_perm=32, seed=1, scheme=scheme)
    slow.update_batch(grams)
    a, b = template.permutations
    got = _near_dup._minima(hv.astype("<u4"), scheme, a, b, template.hashvalues)
    assert (got == slow.hashvalues).all()


def test_near_duplicates_of_a_study_corpus_are_cached_gh22(tmp_path):
    from unittest import mock

    from framelab import corpus as corpus_module
    from framelab.config import StudyConfig

    cfg = StudyConfig.from_dict({"corpus": {"path": "sample"}}, base_dir=tmp_path)
    corpus = cfg.load_corpus()
    first = find_near_duplicates(corpus)
    folder = tmp_path / "data" / "processed" / "cache" / "near_duplicates"
    assert len(list(folder.iterdir())) == 1
    with mock.patch.object(
        corpus_module, "_near_duplicates", side_effect=AssertionError("searched again")
    ):
        again = find_near_duplicates(corpus)
    pd.testing.assert_frame_equal(again, first, check_exact=True)
    pd.testing.assert_frame_equal(first, find_near_duplicates(corpus, cache_dir=False))
    # another threshold, or an edited text, is another entry
    find_near_duplicates(corpus, threshold=0.5)
    edited = corpus.copy()
    edited.loc[0, "text"] = edited.loc[0, "text"] + " One more sentence."
    find_near_duplicates(edited)
    assert len(list(folder.iterdir())) == 3
    plain = corpus.copy()
    plain.attrs = {}
    find_near_duplicates(plain)  # a corpus that is not a study's is not cached
    assert len(list(folder.iterdir())) == 3


def test_corpus_summary_names_missing_languages_instead_of_a_blank_cell_gh15():
    """RUWA headlines carry no language column: the overview's "languages" cell was empty."""
    docs = pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "text": ["Talks resume in Istanbul", "Kyiv rejects the offer", "Envoys meet again"],
        "outlet": ["reuters.com", "ukrinform.net", "reuters.com"],
        "date": ["2022-03-29", "2022-03-30", "2022-04-02"],
    })  # fmt: skip
    overview = corpus_summary(validate_corpus(docs))["overview"].set_index("item")["value"]
    assert overview["languages"] == "none given"
    labelled = validate_corpus(docs.assign(language=["en", "uk", "en"]))
    assert corpus_summary(labelled)["overview"].set_index("item").loc["languages", "value"] == (
        "en, uk"
    )


# ------------------------------------------------------- loading a large corpus faster (issue 22)


def _normalize_reference(text):
    """normalize_text as written before issue 22 (every substitution on every text)."""
    import html
    import re
    import unicodedata

    text = unicodedata.normalize("NFC", html.unescape(text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[^\S\n]+", " ", text)
    text = re.sub(r"\n\s*\n\s*(?:\n\s*)*", "\n\n", text)
    return re.sub(r" *\n *", "\n", text).strip()


_SPACES = [
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\u00a0",
    "\u3000",
    "\x0b",
    "\x0c",
    "\u2028",
    "\x85",
]


@given(st.lists(st.sampled_from([*_SPACES, "Talks", "&amp;", "e\u0301", ".", "Київ"]), max_size=40))
@settings(max_examples=500, deadline=None)
def test_normalize_text_equals_the_reference_gh22(parts):
    text = "".join(parts)
    assert normalize_text(text) == _normalize_reference(text)


def test_ids_are_generated_only_for_rows_without_one_gh22():
    from unittest import mock

    from framelab import corpus as corpus_module

    given_ids = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Talks.", "A truce."]})
    with mock.patch.object(corpus_module, "make_doc_id", side_effect=AssertionError("hashed")):
        assert validate_corpus(given_ids)["doc_id"].tolist() == ["a", "b"]
    partial = pd.DataFrame({"doc_id": ["a", None, 7.0], "text": ["Talks.", "A  truce.", "x"],
                            "outlet": ["X", "Y", "Z"]})  # fmt: skip
    out = validate_corpus(partial)
    assert out["doc_id"].tolist() == ["a", make_doc_id("A truce.", "Y", ""), "7"]
