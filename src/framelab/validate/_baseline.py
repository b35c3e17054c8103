"""A supervised baseline for the dictionary: TF-IDF + logistic regression, one classifier per frame.

Its word n-gram TF-IDF features, gold label matrix and cross-validation folds are the supervised
coder's (:mod:`framelab._learn_core`, :mod:`framelab._learn_labels`); what stays here is the
plain (uncalibrated, fixed-threshold) logistic regression that makes it a baseline.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from framelab import _learn_core as core
from framelab._cache import ResultCache, package_versions, table_sha256
from framelab._errors import NotFittedError
from framelab._learn_labels import gold_matrix
from framelab.schema import CODE_COLUMNS as FRAME_CODES_COLUMNS
from framelab.schema import frame_codes_table, metadata_columns
from framelab.text import tokenize
from framelab.validate._accuracy import _accuracy_table, align
from framelab.validate._common import (
    check_boot,
    check_level,
    check_table,
    coding_units,
    doc_id_of,
    framelab_version,
)

__all__ = ["FRAME_CODES_COLUMNS", "SupervisedBaseline"]

logger = logging.getLogger(__name__)

#: The fixed leading columns of a FrameCodes table (corpus metadata columns follow).
_CV_STAGE = "supervised_cv"


def _prepared(texts: list[str]) -> core.Prepared:
    """The supervised coder's container of unit texts and their lower-cased word tokens
    (:func:`framelab.text.tokenize` with ``lower=True, words_only=True``): what its word
    features read."""
    words = core.WordTokens()
    return core.Prepared(pd.DataFrame(index=range(len(texts))), texts, [words(t) for t in texts])


def _as_units(data: pd.DataFrame, level: str | None, caller: str) -> pd.DataFrame:
    """A units table from a units table (``unit_id``, ``text``) or from a Corpus."""
    if isinstance(data, pd.DataFrame) and "unit_id" in data.columns:
        check_table(
            data,
            caller,
            "units",
            ("unit_id", "text"),
            "Pass coding_units(corpus, level) or a Corpus.",
        )
        units = data.copy()
        if "doc_id" not in units.columns:
            units.insert(0, "doc_id", units["unit_id"].map(doc_id_of))
        if "level" not in units.columns:
            units.insert(2, "level", level or "document")
        units["unit_id"] = units["unit_id"].astype(str)
        if units["unit_id"].duplicated().any():
            dup = units.loc[units["unit_id"].duplicated(), "unit_id"].iloc[0]
            raise ValueError(
                f"{caller}(): unit {dup!r} appears twice in units; unit ids must be unique."
            )
        return units
    return coding_units(data, level or "document")


class SupervisedBaseline:
    """TF-IDF + logistic regression, one class-weighted classifier per frame (one-vs-rest).

    A yardstick for the dictionary: if a simple supervised model trained on the hand-coded units
    beats the codebook by a wide margin, the codebook's terms are missing how the frames are
    expressed. Learned state (``features_``, ``models_``, ``frames_``) exists only after
    :meth:`fit`.

    Parameters
    ----------
    C : float, default 1.0
        Inverse regularisation strength of the logistic regressions.
    ngram_range : tuple of int, default (1, 2)
        Word n-grams of the TF-IDF features (tokens from :func:`framelab.text.tokenize`,
        lower-cased, words only).
    min_df : int, default 2
        Ignore n-grams in fewer units than this.
    max_features : int or None, default 50000
        Keep at most this many n-grams (the most frequent).
    threshold : float, default 0.5
        A frame is coded present when its predicted probability is at least this.
    random_state : int, default 0
        Seed of the classifiers and of the cross-validation folds.

    Notes
    -----
    The features are the word block of :class:`framelab.learn.SupervisedCoder` (sublinear TF,
    smoothed idf, L2-normalised rows; ``char_ngrams=None``), so the two models see the same
    n-grams; the folds of :meth:`cross_validate` are drawn as the coder's (whole groups,
    shuffled by the seed). Each frame gets its own
    ``LogisticRegression(class_weight="balanced")`` on the shared TF-IDF matrix. A frame whose training labels are all 0 (or all 1) gets a constant prediction.
    The fits run with BLAS limited to one thread (``threadpoolctl``, restored afterwards): the
    problems are small, and extra BLAS threads only add overhead on a busy laptop.

    Examples
    --------
    >>> units = pd.DataFrame({"unit_id": list("abcdef"), "text": [
    ...     "truce agreed", "a truce holds", "ceasefire and truce", "aid fatigue grows",
    ...     "aid funding stalls", "fatigue over aid"]})
    >>> gold = pd.DataFrame({"unit_id": list("abcdef"), "frame": "ceasefire",
    ...                      "present": [1, 1, 1, 0, 0, 0]})
    >>> model = SupervisedBaseline(min_df=1).fit(units, gold)
    >>> codes = model.predict_codes(pd.DataFrame({"unit_id": ["x", "y"],
    ...                                           "text": ["truce talk", "aid fatigue"]}))
    >>> codes[["unit_id", "frame", "present", "codebook"]]  # doctest: +ELLIPSIS
      unit_id      frame  present                   codebook
    0       x  ceasefire        1  supervised-baseline@...
    1       y  ceasefire        0  supervised-baseline@...
    """

    def __init__(
        self,
        *,
        C: float = 1.0,
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int = 2,
        max_features: int | None = 50_000,
        threshold: float = 0.5,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.threshold = threshold
        self.random_state = random_state

    # ------------------------------------------------------------------ helpers

    @property
    def codebook(self) -> str:
        """The ``codebook`` value written into predicted FrameCodes."""
        return f"supervised-baseline@{framelab_version()}"

    def _settings(self) -> dict:
        """The constructor settings (part of the cache key of :meth:`cross_validate`)."""
        return {
            "C": self.C,
            "ngram_range": list(self.ngram_range),
            "min_df": self.min_df,
            "max_features": self.max_features,
            "threshold": self.threshold,
            "random_state": self.random_state,
        }

    def _check_params(self, caller: str) -> None:
        if not (isinstance(self.threshold, int | float) and 0 < self.threshold < 1):
            raise ValueError(
                f"{caller}(): threshold must be between 0 and 1, got {self.threshold!r}."
            )
        if not (isinstance(self.C, int | float) and self.C > 0):
            raise ValueError(f"{caller}(): C must be a positive number, got {self.C!r}.")

    def _labels(self, units: pd.DataFrame, gold: pd.DataFrame, caller: str):
        rows, y, frames = gold_matrix(
            pd.Index(units["unit_id"]),
            gold,
            caller,
            "among the units",
            "Build the units at the gold's level: coding_units(corpus, level='paragraph') for "
            "paragraph ids like '<doc>-p0'.",
        )
        return units.iloc[rows].reset_index(drop=True), y, frames

    def _fit_arrays(self, texts: list[str], y: np.ndarray):
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits

        features, x = core.Features.fit_words(
            _prepared(texts), self.ngram_range, self.min_df, self.max_features
        )
        models = []
        with threadpool_limits(limits=1, user_api="blas"):
            for j in range(y.shape[1]):
                column = y[:, j]
                if column.min() == column.max():
                    models.append(float(column[0]))
                    continue
                model = LogisticRegression(
                    C=self.C, class_weight="balanced", max_iter=2000, random_state=self.random_state
                )
                models.append(model.fit(x, column))
        return features, models

    @staticmethod
    def _proba(features, models, texts: list[str]) -> np.ndarray:
        x = features.transform(_prepared(texts))
        out = np.empty((len(texts), len(models)))
        for j, model in enumerate(models):
            out[:, j] = model if isinstance(model, float) else model.predict_proba(x)[:, 1]
        return out

    # ------------------------------------------------------------------ API

    def fit(self, units: pd.DataFrame, gold: pd.DataFrame) -> SupervisedBaseline:
        """Learn one classifier per gold frame from the hand-coded units.

        Parameters
        ----------
        units : pandas.DataFrame
            ``unit_id`` and ``text`` (e.g. :func:`coding_units`), or a Corpus (document level).
        gold : pandas.DataFrame
            Long gold labels ``unit_id, frame, present``; every gold unit must be in ``units``.

        Returns
        -------
        SupervisedBaseline
            ``self``, fitted.
        """
        caller = "SupervisedBaseline.fit"
        self._check_params(caller)
        units, y, frames = self._labels(_as_units(units, None, caller), gold, caller)
        self.features_, self.models_ = self._fit_arrays(units["text"].tolist(), y)
        self.frames_ = frames
        self.n_units_ = len(units)
        return self

    def predict_proba(self, units: pd.DataFrame, level: str = "document") -> pd.DataFrame:
        """Predicted probability of each frame: ``unit_id, frame, probability`` (long form)."""
        caller = "SupervisedBaseline.predict_proba"
        self._check_fitted(caller)
        units = _as_units(units, check_level(level, caller), caller)
        proba = self._proba(self.features_, self.models_, units["text"].tolist())
        return pd.DataFrame(
            {
                "unit_id": np.repeat(units["unit_id"].to_numpy(), len(self.frames_)),
                "frame": np.tile(self.frames_, len(units)),
                "probability": proba.reshape(-1),
            }
        )

    def _check_fitted(self, caller: str) -> None:
        if not hasattr(self, "models_"):
            raise NotFittedError(
                f"{caller}(): this SupervisedBaseline is not fitted yet; call "
                ".fit(units, gold) first."
            )

    def predict_codes(self, corpus_or_units: pd.DataFrame, level: str = "document") -> pd.DataFrame:
        """Code a corpus (or units) with the fitted model, as a FrameCodes table.

        Parameters
        ----------
        corpus_or_units : pandas.DataFrame
            A Corpus (split into units at ``level``) or a units table with ``unit_id`` and
            ``text``.
        level : {"document", "paragraph"}, default "document"
            Level of the units when a Corpus is given (and the label of a units table without a
            ``level`` column).

        Returns
        -------
        pandas.DataFrame
            FrameCodes: ``doc_id, unit_id, level, frame, count, n_tokens, per_1k, present,
            codebook`` and the corpus metadata columns. ``count`` is 1 when the frame is predicted
            (probability >= ``threshold``) else 0, ``n_tokens`` counts word tokens
            (:func:`framelab.text.tokenize`, ``words_only=True``), ``per_1k = 1000 count /
            n_tokens``, ``codebook`` is ``"supervised-baseline@<framelab version>"``.
        """
        caller = "SupervisedBaseline.predict_codes"
        self._check_fitted(caller)
        units = _as_units(corpus_or_units, check_level(level, caller), caller)
        proba = self._proba(self.features_, self.models_, units["text"].tolist())
        return self._frame_codes(units, proba >= self.threshold, self.frames_)

    def _frame_codes(self, units: pd.DataFrame, present: np.ndarray, frames: list) -> pd.DataFrame:
        n_tokens = np.array(
            [len(tokenize(t, words_only=True)) for t in units["text"]], dtype=np.int64
        )
        return frame_codes_table(
            units[["doc_id", "unit_id", "level"]].assign(n_tokens=n_tokens),
            frames,
            present.astype(np.int64).reshape(len(units), len(frames)),
            codebook=self.codebook,
            metadata=units[metadata_columns(units, exclude=("doc_id", "unit_id", "level"))],
        )

    def cross_validate(
        self,
        units: pd.DataFrame,
        gold: pd.DataFrame,
        folds: int = 5,
        seed: int | None = None,
        *,
        n_boot: int = 1000,
        ci: float = 0.95,
        group_by: str = "doc_id",
        cache_dir: str | Path | None = None,
    ) -> pd.DataFrame:
        """Cross-validated accuracy per frame, comparable with the dictionary's.

        Units are split into ``folds`` folds *by document* (paragraphs of one report never sit on
        both sides); each fold is coded by a model fitted on the other folds (a fresh TF-IDF
        vocabulary each time), and the pooled out-of-fold codes are scored with
        :func:`accuracy`. The model itself is not changed.

        Parameters
        ----------
        units, gold
            As in :meth:`fit`.
        folds : int, default 5
            Number of folds (at most the number of documents).
        seed : int, optional
            Seed of the fold assignment and of the bootstrap; defaults to ``random_state``.
        n_boot, ci
            Bootstrap replicates and confidence level of :func:`accuracy`.
        group_by : str, default "doc_id"
            Column of the units whose values never straddle folds. ``"text"`` keeps identical
            texts together (use it when the same paragraph occurs in several documents, e.g.
            syndicated copy, or the sample's reused paragraph bank: otherwise the model is
            tested on texts it was trained on and the scores are too optimistic).
        cache_dir : str or Path, optional
            Cache folder (a study's: :meth:`~framelab.config.StudyConfig.cache_dir`). The table
            is stored under ``<cache_dir>/supervised_cv/`` as Parquet, keyed by the units, the
            gold labels, every parameter above, the model's settings and the versions of
            framelab and scikit-learn, and read back when the same call is made again. None
            (the default) computes it every time.

        Returns
        -------
        pandas.DataFrame
            The :func:`accuracy` table (per-frame precision, recall and F1 with CIs, macro and
            micro rows) with ``codebook = "supervised-baseline@<version>"``.

        Examples
        --------
        >>> from framelab.datasets import load_sample, load_sample_gold
        >>> table = SupervisedBaseline().cross_validate(load_sample(), load_sample_gold(),
        ...                                             folds=3, n_boot=50)
        >>> table["frame"].iloc[-2:].tolist(), bool(table["f1"].iloc[-1] > 0.5)
        (['macro', 'micro'], True)
        """
        caller = "SupervisedBaseline.cross_validate"
        self._check_params(caller)
        check_boot(n_boot, ci, caller)
        seed = self.random_state if seed is None else seed
        all_units = _as_units(units, None, caller)
        fit_units, y, frames = self._labels(all_units, gold, caller)
        if group_by not in fit_units.columns:
            raise KeyError(
                f"{caller}(): group_by={group_by!r} is not a column of the units; columns: "
                f"{', '.join(map(str, fit_units.columns))}."
            )
        docs = fit_units[group_by].astype(str).to_numpy()
        n_groups = len(set(docs))
        if (
            isinstance(folds, bool)
            or not isinstance(folds, int | np.integer)
            or not (2 <= folds <= n_groups)
        ):
            raise ValueError(
                f"{caller}(): folds must be an integer from 2 to the number of "
                f"{group_by} groups ({n_groups}), got {folds!r}."
            )
        cache = ingredients = None
        if cache_dir is not None:
            cache = ResultCache(Path(cache_dir) / _CV_STAGE, _CV_STAGE)
            ingredients = {
                "units": table_sha256(all_units),
                "gold": table_sha256(gold),
                "model": self._settings(),
                "folds": int(folds),
                "seed": int(seed),
                "n_boot": int(n_boot),
                "ci": float(ci),
                "group_by": group_by,
                "packages": package_versions("scikit-learn", "numpy", "scipy", "pandas"),
            }
            hit = cache.load_tables(ingredients)
            if hit is not None and "accuracy" in hit:
                return hit["accuracy"]
        fold = core.folds_of(docs, int(folds), int(seed))  # the coder's folds
        present = np.zeros_like(y)
        texts = fit_units["text"].tolist()
        for k in range(folds):
            train, test = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
            features, models = self._fit_arrays([texts[i] for i in train], y[train])
            proba = self._proba(features, models, [texts[i] for i in test])
            present[test] = proba >= self.threshold
            logger.info("%s(): fold %d/%d done", caller, k + 1, folds)
        codes = self._frame_codes(fit_units, present.astype(bool), frames)
        gold_used = gold[gold["unit_id"].astype(str).isin(set(fit_units["unit_id"]))]
        data = align(codes, gold_used, None, caller)
        table = _accuracy_table(data, n_boot, ci, seed)
        if cache is not None:
            cache.save_tables(ingredients, {"accuracy": table})
        return table
