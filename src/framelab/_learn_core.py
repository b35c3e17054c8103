"""Arrays behind :class:`framelab.learn.SupervisedCoder`: units, features, fits, calibration, files.

Everything the coder predicts with is a plain array or list (vocabularies, idf weights, linear
coefficients, calibration maps, thresholds), so the prediction path is written out here once and
is the same for a freshly fitted model and for one read back from disk: no pickle, no fitted
scikit-learn object is stored.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from framelab.schema import TEXT_COLUMNS as _META_SKIP
from framelab.schema import UNIT_COLUMNS
from framelab.text import _POSSESSIVE, _TOKEN_RE, SentenceSplitter
from framelab.text import unit_spans as _units

__all__: list[str] = []

logger = logging.getLogger(__name__)

#: Files of a saved model folder (the manifest lists the SHA-256 of the others).
ARRAYS_FILE = "arrays.safetensors"
MODEL_FILE = "model.json"
CODEBOOK_FILE = "codebook.yml"
MANIFEST_FILE = "manifest.json"
FORMAT = "framelab-supervised-coder/1"


class ModelFileError(ValueError):
    """A saved model folder is incomplete, altered or of another format.

    Examples
    --------
    >>> issubclass(ModelFileError, ValueError)
    True
    """


# ----------------------------------------------------------------------------- units


@dataclass
class Prepared:
    """Units of a corpus with what the features need (computed once, sliced by row)."""

    units: pd.DataFrame  # UNIT_COLUMNS
    texts: list[str]  # unit texts
    tokens: list[list[str]]  # lower-cased word tokens per unit
    dict_counts: np.ndarray | None = None  # units x dictionary frames (hybrid)
    meta: pd.DataFrame | None = None  # doc_id + corpus metadata
    doc_texts: pd.Series = field(default_factory=lambda: pd.Series(dtype=str))

    def take(self, rows: np.ndarray) -> Prepared:
        return Prepared(
            self.units.iloc[rows].reset_index(drop=True),
            [self.texts[i] for i in rows],
            [self.tokens[i] for i in rows],
            None if self.dict_counts is None else self.dict_counts[rows],
            self.meta,
            self.doc_texts,
        )


class WordTokens:
    """``tokenize(text, lower=True, words_only=True)``, with each distinct token's verdict
    remembered (the same tokens, several times faster on many texts)."""

    MAX_TOKENS = 500_000

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def __call__(self, text: str) -> list[str]:
        seen, out = self.seen, []
        for tok in _TOKEN_RE.findall(text):
            word = seen.get(tok)
            if word is None:
                keep = any(ch.isalnum() for ch in tok) and not _POSSESSIVE.fullmatch(tok)
                word = tok.lower() if keep else ""
                if len(seen) < self.MAX_TOKENS:
                    seen[tok] = word
            if word:
                out.append(word)
        return out


def prepare(corpus: pd.DataFrame, level: str, codebook=None, splitter=None) -> Prepared:
    """Split a Corpus into units exactly as :func:`framelab.code_frames` does (same ids)."""
    docs = (
        corpus.sort_values("doc_id", kind="mergesort")
        if not corpus["doc_id"].is_monotonic_increasing
        else corpus
    )
    ids = docs["doc_id"].astype(str).tolist()
    texts = docs["text"].fillna("").astype(str).tolist()
    if level == "sentence" and splitter is None:
        splitter = SentenceSplitter.for_corpus(texts[:2000])
    rows, unit_texts, tokens = [], [], []
    tokenize = WordTokens()
    tag = {"paragraph": "p", "sentence": "s"}.get(level)
    for doc_id, text in zip(ids, texts, strict=True):
        spans = _units(text, level, splitter)
        for k, (s, e) in enumerate(spans):
            uid = doc_id if tag is None else f"{doc_id}-{tag}{k}"
            words = tokenize(text[s:e])
            rows.append((doc_id, uid, level, s, e, len(words)))
            unit_texts.append(text[s:e])
            tokens.append(words)
    units = pd.DataFrame(rows, columns=list(UNIT_COLUMNS))
    units = units.astype({"start": "int64", "end": "int64", "n_tokens": "int64"})
    dict_counts = None
    if codebook is not None:
        from framelab.coding import code_frames

        coded = code_frames(corpus, codebook, level=level, splitter=splitter, progress=False)
        wide = coded.to_wide("count").set_index("unit_id").drop(columns="doc_id")
        dict_counts = wide.reindex(units["unit_id"]).fillna(0).to_numpy(dtype=np.float64)
    meta_cols = [c for c in corpus.columns if c not in _META_SKIP and c != "doc_id"]
    meta = corpus[["doc_id", *meta_cols]] if meta_cols else None
    doc_texts = pd.Series(texts, index=pd.Index(ids, name="doc_id"), name="text")
    return Prepared(units, unit_texts, tokens, dict_counts, meta, doc_texts)


def word_ngrams(lo: int, hi: int):
    """An analyzer turning a token list into its ``lo..hi`` word n-grams (space-joined)."""

    def analyze(tokens: list[str]) -> list[str]:
        if lo == hi == 1:
            return tokens
        out = tokens[:] if lo == 1 else []
        for n in range(max(lo, 2), hi + 1):
            out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        return out

    return analyze


# ----------------------------------------------------------------------------- features


def _counts(kind: str, ngrams: tuple[int, int], vocab: dict | None, docs, **fit_kw):
    from sklearn.feature_extraction.text import CountVectorizer

    if kind == "word":
        vec = CountVectorizer(
            analyzer=word_ngrams(*ngrams), vocabulary=vocab, dtype=np.float64, **fit_kw
        )
    else:
        vec = CountVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(ngrams),
            lowercase=True,
            vocabulary=vocab,
            dtype=np.float64,
            **fit_kw,
        )
    if vocab is None:
        x = vec.fit_transform(docs)
        terms = [t for t, _ in sorted(vec.vocabulary_.items(), key=lambda kv: kv[1])]
        return x.tocsr(), terms
    return vec.transform(docs).tocsr(), None


class CharIndex:
    """Counts of a fixed vocabulary of ``char_wb`` n-grams, computed word by word.

    scikit-learn's ``char_wb`` n-grams never cross a word boundary (each whitespace-separated
    word is padded with one space on each side), so a text's n-grams are the union of its
    words'. Each distinct word is analysed once (with scikit-learn's own analyzer) and its
    n-gram ids are remembered, which makes coding many texts several times faster than
    ``CountVectorizer.transform`` while giving the same counts.
    """

    MAX_WORDS = 200_000

    def __init__(self, vocab: list[str], ngrams: tuple[int, int]) -> None:
        from sklearn.feature_extraction.text import CountVectorizer

        self.vocab = {t: i for i, t in enumerate(vocab)}
        self.analyze = CountVectorizer(
            analyzer="char_wb", ngram_range=tuple(ngrams), lowercase=True
        ).build_analyzer()
        self.words: dict[str, list[int]] = {}

    def ids(self, word: str) -> list[int]:
        got = self.words.get(word)
        if got is None:
            vocab = self.vocab
            got = [vocab[g] for g in self.analyze(word) if g in vocab]
            if len(self.words) < self.MAX_WORDS:
                self.words[word] = got
        return got

    def counts(self, texts: list[str]):
        import scipy.sparse as sp

        indptr, indices = [0], []
        ids = self.ids
        for text in texts:
            for word in text.split():
                indices.extend(ids(word))
            indptr.append(len(indices))
        x = sp.csr_matrix(
            (
                np.ones(len(indices), dtype=np.float64),
                np.asarray(indices, dtype=np.int64),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(len(texts), len(self.vocab)),
        )
        x.sum_duplicates()
        return x


def _fit_block(kind: str, ngrams, docs, kw: dict):
    """``(counts, vocabulary, idf)`` of one feature block fitted on ``docs``."""
    from sklearn.feature_extraction.text import TfidfTransformer

    counts, vocab = _counts(kind, ngrams, None, docs, **kw)
    return counts, vocab, TfidfTransformer(sublinear_tf=True).fit(counts).idf_


def tfidf(counts, idf: np.ndarray):
    """Sublinear TF-IDF with L2-normalised rows (``TfidfTransformer(sublinear_tf=True)``)."""
    from sklearn.preprocessing import normalize

    x = counts.astype(np.float64, copy=True).tocsr()
    x.data = np.log(x.data) + 1.0
    x.data *= idf[x.indices]
    return normalize(x, norm="l2", copy=False)


@dataclass
class Features:
    """Vocabularies and idf weights of the word and character TF-IDF blocks (+ dictionary)."""

    word_ngrams: tuple[int, int]
    char_ngrams: tuple[int, int] | None
    word_vocab: list[str]
    word_idf: np.ndarray
    char_vocab: list[str]
    char_idf: np.ndarray
    dict_frames: list[str]
    _word_index: dict | None = field(default=None, repr=False, compare=False)
    _char_index: CharIndex | None = field(default=None, repr=False, compare=False)

    @classmethod
    def fit(cls, prep: Prepared, word_ng, char_ng, min_df: int, max_features, dict_frames):
        kw = {"min_df": min(min_df, len(prep.texts)), "max_features": max_features}
        _, wv, widf = _fit_block("word", word_ng, prep.tokens, kw)
        cv, cidf = [], np.zeros(0)
        if char_ng is not None:
            _, cv, cidf = _fit_block("char", char_ng, prep.texts, kw)
        return cls(tuple(word_ng), char_ng and tuple(char_ng), wv, widf, cv, cidf, dict_frames)

    @classmethod
    def fit_words(cls, prep: Prepared, word_ng, min_df: int, max_features):
        """Word n-gram features only, with the TF-IDF matrix of ``prep`` counted while fitting.

        The matrix is ``TfidfVectorizer.fit_transform``'s: the terms of a row in the order they
        were first seen, so its values may differ from :meth:`transform`'s in the last bits
        (:class:`framelab.validate.SupervisedBaseline` trains on it).
        """
        kw = {"min_df": min(min_df, len(prep.texts)), "max_features": max_features}
        wc, wv, widf = _fit_block("word", word_ng, prep.tokens, kw)
        return cls(tuple(word_ng), None, wv, widf, [], np.zeros(0), []), tfidf(wc, widf)

    @property
    def names(self) -> list[str]:
        return [*self.word_vocab, *self.char_vocab, *self.dict_frames]

    @property
    def kinds(self) -> np.ndarray:
        return np.repeat(
            np.array(["word", "char", "dictionary"], dtype=object),
            [len(self.word_vocab), len(self.char_vocab), len(self.dict_frames)],
        )

    def transform(self, prep: Prepared):
        import scipy.sparse as sp

        if self._word_index is None:
            self._word_index = {t: i for i, t in enumerate(self.word_vocab)}
        words = _counts("word", self.word_ngrams, self._word_index, prep.tokens)[0]
        blocks = [tfidf(words, self.word_idf)]
        if self.char_ngrams is not None and self.char_vocab:
            if self._char_index is None:
                self._char_index = CharIndex(self.char_vocab, self.char_ngrams)
            blocks.append(tfidf(self._char_index.counts(prep.texts), self.char_idf))
        if self.dict_frames:
            blocks.append(sp.csr_matrix(np.log1p(prep.dict_counts)))
        return sp.hstack(blocks, format="csr")


# ----------------------------------------------------------------------------- classifiers


@dataclass
class Linear:
    """Per-frame linear scores, calibration maps and thresholds (rows follow ``frames``)."""

    frames: list[str]
    coef: np.ndarray  # frames x features
    intercept: np.ndarray
    kind: list[str]  # "sigmoid" | "isotonic" | "none" | "constant"
    sig_a: np.ndarray
    sig_b: np.ndarray
    iso: list[tuple[np.ndarray, np.ndarray]]
    threshold: np.ndarray

    def decision(self, x) -> np.ndarray:
        return np.asarray(x @ self.coef.T) + self.intercept

    def proba(self, x) -> np.ndarray:
        return self.calibrate(self.decision(x))

    def calibrate(self, d: np.ndarray) -> np.ndarray:
        out = np.empty_like(d)
        for j, kind in enumerate(self.kind):
            out[:, j] = calibrated(kind, d[:, j], self.sig_a[j], self.sig_b[j], self.iso[j])
        return out


def calibrated(kind: str, d: np.ndarray, a: float, b: float, iso) -> np.ndarray:
    if kind in ("sigmoid", "none"):  # "none": expit(d), the classifier's own probability
        from scipy.special import expit

        return expit(-(a * d + b))
    if kind == "isotonic":
        return np.interp(d, iso[0], iso[1])
    return np.full(len(d), b)  # constant: b holds the training share


def fit_calibration(kind: str, d: np.ndarray, y: np.ndarray):
    """``(a, b, (x, y))`` of a sigmoid (Platt) or isotonic map from scores to probabilities."""
    empty = (np.zeros(0), np.zeros(0))
    if kind == "sigmoid":
        from sklearn.calibration import _sigmoid_calibration

        a, b = _sigmoid_calibration(d, y)
        return float(a), float(b), empty
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(d, y)
    return np.nan, np.nan, (iso.X_thresholds_.astype(np.float64), iso.y_thresholds_)


def pick_threshold(p: np.ndarray, y: np.ndarray, target_precision: float | None):
    """The probability cut with the best F1 (or the most recall at ``target_precision``)."""
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(ps) != 0), len(ps) - 1]  # end of each tie block
    tp = np.cumsum(ys)[last].astype(float)
    k = (last + 1).astype(float)
    pos = float(ys.sum())
    precision = tp / k
    recall = tp / pos if pos else np.zeros_like(tp)
    f1 = np.divide(2 * tp, k + pos, out=np.zeros_like(tp), where=(k + pos) > 0)
    if target_precision is None:
        best = int(np.argmax(f1))
    else:
        ok = np.flatnonzero(precision >= target_precision)
        best = int(ok[np.argmax(recall[ok])]) if len(ok) else int(np.argmax(precision))
    return float(ps[last[best]]), float(precision[best]), float(recall[best]), float(f1[best])


def groups_of(prep: Prepared, group_by: str) -> np.ndarray:
    """What folds keep together: the unit's document, or its whitespace-normalised text."""
    if group_by == "text":
        return np.array([" ".join(t.split()) for t in prep.texts], dtype=object)
    return prep.units["doc_id"].to_numpy(dtype=object)


def folds_of(groups: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Fold of every unit: whole groups (documents) per fold, groups shuffled by ``seed``."""
    unique = np.array(sorted(set(groups)), dtype=object)
    shuffled = unique[np.random.default_rng(seed).permutation(len(unique))]
    fold_of = {g: i % k for i, g in enumerate(shuffled)}
    return np.array([fold_of[g] for g in groups], dtype=np.int64)


#: ``calibration="auto"`` is isotonic only with at least this many positive and negative units.
ISOTONIC_MIN_CLASS = 500


def auto_calibration(y: np.ndarray) -> str:
    """``"isotonic"`` when both classes of the 0/1 labels ``y`` have :data:`ISOTONIC_MIN_CLASS`
    units, else ``"sigmoid"``: isotonic regression fits a step per run of labels and overfits
    the rarer class (a rare frame among many units is still a small sample).

    Examples
    --------
    >>> auto_calibration(np.array([1] * 100 + [0] * 1900)), auto_calibration(np.repeat([0, 1], 500))
    ('sigmoid', 'isotonic')
    """
    n_pos = int(np.sum(y))
    return "isotonic" if min(n_pos, len(y) - n_pos) >= ISOTONIC_MIN_CLASS else "sigmoid"


def fit_linear(x, y: np.ndarray, frames, folds, *, C, calibration, target_precision, seed):
    """One class-weighted logistic regression per frame, calibrated and thresholded on the
    out-of-fold scores of ``folds`` (the final coefficients are fitted on all rows)."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    n, k = y.shape

    def lr(xx, yy):
        model = LogisticRegression(
            C=C,
            class_weight="balanced",
            solver="liblinear",
            dual=xx.shape[1] > xx.shape[0],  # liblinear's advice: dual when features > units
            max_iter=1000,
            random_state=seed,
        )
        return model.fit(xx, yy)

    coef = np.zeros((k, x.shape[1]))
    intercept = np.zeros(k)
    kinds, sig_a, sig_b, iso, thr = [], np.zeros(k), np.zeros(k), [], np.zeros(k)
    stats = []
    n_folds = int(folds.max()) + 1
    with threadpool_limits(limits=1, user_api="blas"):
        for j in range(k):
            yj = y[:, j]
            n_pos = int(yj.sum())
            if n_pos < 2 or n - n_pos < 2:
                kinds.append("constant")
                sig_b[j] = n_pos / n
                iso.append((np.zeros(0), np.zeros(0)))
                thr[j] = 0.5
                stats.append((np.nan, np.nan, np.nan))
                logger.warning(
                    "SupervisedCoder.fit(): frame %r has %d positive of %d units; it gets a "
                    "constant probability of %.3f. Hand-code more units that carry it.",
                    frames[j],
                    n_pos,
                    n,
                    n_pos / n,
                )
                continue
            d = np.zeros(n)
            valid = np.zeros(n, dtype=bool)
            for f in range(n_folds):
                train, test = folds != f, folds == f
                if yj[train].min() < yj[train].max():  # no score without both classes
                    d[test] = lr(x[train], yj[train]).decision_function(x[test])
                    valid[test] = True
            dv, yv = d[valid], yj[valid]
            a, b, m = np.nan, np.nan, (np.zeros(0), np.zeros(0))
            kind = auto_calibration(yj) if calibration == "auto" else calibration
            kind_j = kind
            if min(int(yv.sum()), int(len(yv) - yv.sum())) < 2:
                kind_j = "none"
            else:
                a, b, m = fit_calibration(kind, dv, yv)
                if kind == "sigmoid" and not a < 0:  # scores do not rank the frame: no map
                    kind_j = "none"
            if kind_j == "none":
                a, b, m, t = -1.0, 0.0, (np.zeros(0), np.zeros(0)), 0.5
                p = calibrated(kind_j, dv, a, b, m)
                pred = p >= t
                tp = float((pred & (yv == 1)).sum())
                prec = tp / pred.sum() if pred.sum() else np.nan
                rec = tp / yv.sum() if yv.sum() else np.nan
                f1 = 2 * tp / (pred.sum() + yv.sum()) if (pred.sum() + yv.sum()) else np.nan
                logger.warning(
                    "SupervisedCoder.fit(): frame %r: too few out-of-fold scores of both classes "
                    "(%d positive units) for calibration; probabilities are the class-weighted "
                    "logistic regression's, threshold 0.5.",
                    frames[j],
                    n_pos,
                )
            else:
                p = calibrated(kind_j, dv, a, b, m)
                t, prec, rec, f1 = pick_threshold(p, yv, target_precision)
            model = lr(x, yj)
            coef[j], intercept[j] = model.coef_[0], model.intercept_[0]
            kinds.append(kind_j)
            sig_a[j], sig_b[j], thr[j] = a, b, t
            iso.append(m)
            stats.append((prec, rec, f1))
    linear = Linear(list(frames), coef, intercept, kinds, sig_a, sig_b, iso, thr)
    return linear, stats


# ----------------------------------------------------------------------------- files


def _arrays(features: Features, linear: Linear) -> dict[str, np.ndarray]:
    arrays = {
        "word_idf": features.word_idf.astype(np.float64),
        "char_idf": features.char_idf.astype(np.float64),
        "coef": np.ascontiguousarray(linear.coef, dtype=np.float64),
        "intercept": linear.intercept.astype(np.float64),
        "sigmoid_a": linear.sig_a.astype(np.float64),
        "sigmoid_b": linear.sig_b.astype(np.float64),
        "threshold": linear.threshold.astype(np.float64),
    }
    for j, (xs, ys) in enumerate(linear.iso):
        arrays[f"isotonic_x_{j}"] = np.asarray(xs, dtype=np.float64)
        arrays[f"isotonic_y_{j}"] = np.asarray(ys, dtype=np.float64)
    return arrays


def model_id(name: str, settings: dict, features: Features, linear: Linear) -> str:
    """``<name>@<12 hex>``: a content hash of the settings, vocabularies and arrays."""
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    digest.update(json.dumps([features.word_vocab, features.char_vocab, linear.kind]).encode())
    for key, arr in sorted(_arrays(features, linear).items()):
        digest.update(key.encode())
        digest.update(np.ascontiguousarray(arr).tobytes())
    return f"{name}@{digest.hexdigest()[:12]}"


def save_model(path: Path, payload: dict, features: Features, linear: Linear, codebook) -> None:
    """Write the model folder atomically: a fresh folder replaces ``path`` as a whole.

    So no file of an earlier model (e.g. the ``codebook.yml`` of a hybrid saved there before a
    plain coder) is left behind. ``model.json`` records the codebook id (``null``: plain coder).
    """
    from safetensors.numpy import save_file

    from framelab._files import atomic_write_dir
    from framelab.io.manifest import ensure_writable, file_sha256

    path = ensure_writable(path)
    payload = {
        **payload,
        "format": FORMAT,
        "word_vocab": features.word_vocab,
        "char_vocab": features.char_vocab,
        "dict_frames": features.dict_frames,
        "calibration_kind": linear.kind,
        "codebook_id": None if codebook is None else codebook.id,
    }

    def write(tmp: Path) -> None:
        save_file(_arrays(features, linear), str(tmp / ARRAYS_FILE))
        (tmp / MODEL_FILE).write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
        files = [ARRAYS_FILE, MODEL_FILE]
        if codebook is not None:
            codebook.to_yaml(tmp / CODEBOOK_FILE)
            files.append(CODEBOOK_FILE)
        manifest = {"format": FORMAT, "sha256": {f: file_sha256(tmp / f) for f in files}}
        (tmp / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n")

    atomic_write_dir(path, write)


def load_model(path: Path, caller: str):
    """``(payload, features, linear, codebook)`` of a saved folder, checksums verified first."""
    from safetensors.numpy import load_file

    from framelab.io.manifest import file_sha256

    path = Path(path)
    man_path = path / MANIFEST_FILE
    if not man_path.is_file():
        raise ModelFileError(
            f"{caller}(): {man_path} not found · {path} is not a saved SupervisedCoder · "
            "pass the folder written by SupervisedCoder.save(path)."
        )
    manifest = json.loads(man_path.read_text())
    if manifest.get("format") != FORMAT:
        raise ModelFileError(
            f"{caller}(): {man_path} has format {manifest.get('format')!r}, expected {FORMAT!r}."
        )
    listed = manifest.get("sha256") or {}
    unlisted = [f for f in (MODEL_FILE, ARRAYS_FILE) if f not in listed]
    if unlisted:
        raise ModelFileError(
            f"{caller}(): {man_path} does not list {', '.join(unlisted)} · a saved "
            "SupervisedCoder lists model.json and arrays.safetensors with their SHA-256 · save "
            "the model again with SupervisedCoder.save(path)."
        )
    for name, expected in listed.items():
        file = path / name
        if not file.is_file():
            raise ModelFileError(f"{caller}(): {file} is missing (listed in {man_path}).")
        if file_sha256(file) != expected:
            raise ModelFileError(
                f"{caller}(): {file} does not match its SHA-256 in {man_path}: the file was "
                "changed after saving. Refit and save the model again, or restore the file."
            )
    payload = json.loads((path / MODEL_FILE).read_text())
    arrays = load_file(str(path / ARRAYS_FILE))
    k = len(payload["frames"])
    ng = payload["settings"]
    features = Features(
        tuple(ng["word_ngrams"]),
        None if ng["char_ngrams"] is None else tuple(ng["char_ngrams"]),
        payload["word_vocab"],
        arrays["word_idf"],
        payload["char_vocab"],
        arrays["char_idf"],
        payload["dict_frames"],
    )
    linear = Linear(
        payload["frames"],
        arrays["coef"],
        arrays["intercept"],
        payload["calibration_kind"],
        arrays["sigmoid_a"],
        arrays["sigmoid_b"],
        [(arrays[f"isotonic_x_{j}"], arrays[f"isotonic_y_{j}"]) for j in range(k)],
        arrays["threshold"],
    )
    codebook = None
    if CODEBOOK_FILE in listed:  # only files the manifest lists (and checks) are read
        from framelab.codebook import Codebook

        codebook = Codebook.from_yaml(path / CODEBOOK_FILE)
    book_id = None if codebook is None else codebook.id
    if "codebook_id" in payload and payload["codebook_id"] != book_id:
        raise ModelFileError(
            f"{caller}(): {path / MODEL_FILE} was saved with codebook "
            f"{payload['codebook_id']!r} but the folder's manifest gives {book_id!r} · save the "
            "model again with SupervisedCoder.save(path)."
        )
    return payload, features, linear, codebook
