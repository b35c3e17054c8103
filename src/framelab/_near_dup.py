"""MinHash signatures of word shingles, fast, and the disk cache of near-duplicate clusters
(private; used by :func:`framelab.find_near_duplicates`, issue 22).

The signatures are exactly those of ``datasketch.MinHash(num_perm, seed).update_batch(shingles)``
(the SHA-1 32-bit hash of each shingle, then datasketch's own permutation step), computed
without its per-document costs: the permutations are drawn once per call instead of once per
document, and each distinct shingle is hashed once with one C-level SHA-1 call. On a 20,000
document corpus of ~900-word reports this takes the search from ~70 s to about a third.

The clusters of a study corpus (tagged by :meth:`framelab.config.StudyConfig.load_corpus`) are
kept under ``data/processed/cache/near_duplicates``, keyed by a hash of the columns they
depend on (``doc_id``, ``text``, ``outlet``, ``date``), the parameters and the versions of
datasketch and numpy (plus framelab's version and source hash), as Parquet: a rerun of
notebook 01 reads them.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

from framelab._cache import ResultCache, package_versions, table_sha256

__all__ = ["CLUSTER_COLUMNS", "cache_folder", "ingredients", "shingles", "signatures"]

_WORD = re.compile(r"\w+", re.UNICODE)
#: the columns of find_near_duplicates' result
CLUSTER_COLUMNS = ["cluster", "doc_id", "outlet", "date", "cluster_size", "similarity"]
STAGE = "near_duplicates"


def shingles(text: str, size: int) -> set[bytes]:
    """The word ``size``-grams of ``text`` (lower-cased ``\\w+`` words joined by one space),
    UTF-8 encoded; a text shorter than ``size`` words is one shingle, an empty one none.

    Examples
    --------
    >>> sorted(shingles("Talks resume, talks resume.", 2))
    [b'resume talks', b'talks resume']
    >>> shingles("Truce", 5), shingles("...", 5)
    ({b'truce'}, set())
    """
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    grams = zip(*(words[k:] for k in range(size)), strict=False)
    return {" ".join(gram).encode("utf-8") for gram in grams}


def _fmix32(hv):
    """MurmurHash3's 32-bit finalizer (datasketch's pre-mix of the ``affine32`` scheme)."""
    import numpy as np

    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def _minima(hv, scheme: str, a, b, empty):
    """datasketch's update step of an empty MinHash for the 32-bit hashes ``hv``."""
    import numpy as np

    if not len(hv):
        return empty.copy()
    if scheme == "affine32":
        phv = _fmix32(hv)[:, None] * a + b  # wraps modulo 2**32, as in datasketch
    else:  # "legacy"
        prime, top = np.uint64((1 << 61) - 1), np.uint64((1 << 32) - 1)
        phv = np.bitwise_and((hv.astype(np.uint64)[:, None] * a + b) % prime, top)
    return np.minimum(empty, phv.min(axis=0))


def signatures(texts, shingle_size: int, num_perm: int, seed: int) -> list:
    """One ``datasketch.MinHash`` per text, equal to hashing its :func:`shingles` with
    ``MinHash(num_perm=num_perm, seed=seed).update_batch`` (same hash values, seed and scheme).

    Examples
    --------
    >>> from datasketch import MinHash
    >>> fast = signatures(["Envoys met in Geneva on Monday to talk."], 3, 16, 0)[0]
    >>> slow = MinHash(num_perm=16, seed=0)
    >>> slow.update_batch(shingles("Envoys met in Geneva on Monday to talk.", 3))
    >>> bool((fast.hashvalues == slow.hashvalues).all()), fast.jaccard(slow)
    (True, 1.0)
    """
    import numpy as np
    from datasketch import MinHash

    template = MinHash(num_perm=num_perm, seed=seed)
    scheme = template.scheme
    if scheme not in ("affine32", "legacy"):  # a scheme this code does not know: slow path
        out = []
        for text in texts:
            mh = MinHash(num_perm, seed, permutations=template.permutations, scheme=scheme)
            mh.update_batch(shingles(text, shingle_size))
            out.append(mh)
        return out
    a, b = template.permutations
    empty = template.hashvalues
    sha1 = hashlib.sha1
    out = []
    for text in texts:
        # datasketch's sha1_hash32 (first 4 bytes of SHA-1, little-endian) of each shingle,
        # then its permutation and minimum, on arrays: no Python work per shingle but the hash
        grams = shingles(text, shingle_size)
        hv = np.frombuffer(b"".join([sha1(g).digest()[:4] for g in grams]), dtype="<u4")
        values = _minima(hv, scheme, a, b, empty)
        perms = template.permutations
        out.append(MinHash(seed=seed, hashvalues=values, permutations=perms, scheme=scheme))
    return out


def cache_folder(cache_dir, corpus: pd.DataFrame) -> Path | None:
    """Where to cache the clusters: ``cache_dir``; else, for a study corpus (tagged with its
    coded-table folder ``<cache>/coded``), ``<cache>/near_duplicates``; else None.
    ``cache_dir=False`` never caches.

    Examples
    --------
    >>> tagged = pd.DataFrame({"doc_id": ["a"]})
    >>> tagged.attrs["framelab_coded_cache"] = "proj/data/processed/cache/coded"
    >>> cache_folder(None, tagged).as_posix(), cache_folder(False, tagged)
    ('proj/data/processed/cache/near_duplicates', None)
    >>> cache_folder(None, pd.DataFrame()) is None
    True
    """
    from framelab._coded_cache import ATTR

    if cache_dir is False:
        return None
    if cache_dir is not None:
        return Path(cache_dir)
    coded = corpus.attrs.get(ATTR)
    return None if coded is None else Path(coded).parent / STAGE


def ingredients(corpus: pd.DataFrame, **params) -> dict:
    """What the clusters depend on: the corpus columns they read, the parameters, versions."""
    columns = [c for c in ("doc_id", "text", "outlet", "date") if c in corpus.columns]
    return {
        "corpus": table_sha256(corpus[columns]),
        "params": params,
        "versions": package_versions("datasketch", "numpy", "pandas"),
    }


def load(folder: Path, key: dict) -> pd.DataFrame | None:
    """The cached clusters for ``key``, or None."""
    tables = ResultCache(folder, STAGE).load_tables(key)
    if tables is None or list(tables.get("clusters", pd.DataFrame()).columns) != CLUSTER_COLUMNS:
        return None
    return tables["clusters"]


def save(folder: Path, key: dict, clusters: pd.DataFrame) -> None:
    """Store ``clusters`` for ``key``."""
    ResultCache(folder, STAGE).save_tables(key, {"clusters": clusters})
