"""A supervised frame coder: learn the frames from hand-coded units, code a corpus with them.

:class:`SupervisedCoder` is the alternative to a dictionary when the frames are expressed in ways
no word list catches (van Atteveldt et al. 2021): one class-weighted logistic regression per frame
on word and character n-gram TF-IDF (plus, optionally, the dictionary's hit counts), calibrated
probabilities, and a threshold per frame chosen by cross-validation. :meth:`SupervisedCoder.code`
returns a :class:`SupervisedCoded` whose ``.codes`` are FrameCodes with a ``probability`` column,
so every comparison, correction and plot accepts them unchanged.

References
----------
van Atteveldt, W., van der Velden, M. A. C. G., & Boukes, M. (2021). The validity of sentiment
analysis: comparing manual annotation, crowd-coding, dictionary approaches, and machine learning
algorithms. Communication Methods and Measures, 15(2), 121-140.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from framelab import _learn_core as core
from framelab._errors import NotFittedError, suggest
from framelab._learn_coded import (
    EXPLAIN_COLUMNS,
    SUPERVISED_CODE_COLUMNS,
    THRESHOLD_COLUMNS,
    SupervisedCoded,
    coded_result,
    top_feature_rows,
)
from framelab._learn_eval import study_gold
from framelab._learn_labels import gold_matrix, hybrid_codebook
from framelab.coding import LEVELS
from framelab.corpus import check_corpus
from framelab.schema import LEARNING_CURVE_COLUMNS  # columns of learning_curve

__all__ = [
    "EXPLAIN_COLUMNS",
    "LEARNING_CURVE_COLUMNS",
    "SUPERVISED_CODE_COLUMNS",
    "THRESHOLD_COLUMNS",
    "ModelFileError",
    "SupervisedCoded",
    "SupervisedCoder",
    "code_study",
    "fit_study_coder",
    "learning_curve",
    "study_gold",
]

logger = logging.getLogger(__name__)

ModelFileError = core.ModelFileError


class SupervisedCoder:
    """Frame codes learned from hand-coded units: TF-IDF + calibrated logistic regression.

    Parameters
    ----------
    level : {"document", "paragraph", "sentence"}, default "document"
        Unit of the gold codes and of the output; units are split as by
        :func:`framelab.code_frames` (same ``unit_id``).
    codebook : Codebook or str, optional
        Hybrid: add the dictionary's hit counts (``log1p``) of this codebook as features. The
        gold's frames must be frames of the codebook.
    word_ngrams : tuple of int, default (1, 2)
        Word n-grams (lower-cased word tokens of :func:`framelab.tokenize`).
    char_ngrams : tuple of int or None, default (3, 5)
        Character n-grams within word boundaries; None: words only.
    min_df : int, default 2
        Ignore n-grams found in fewer training units.
    max_features : int or None, default 50000
        Keep at most this many word n-grams and as many character n-grams (the most frequent).
    C : float, default 1.0
        Inverse regularisation strength of the logistic regressions.
    calibration : {"auto", "sigmoid", "isotonic"}, default "auto"
        How scores become probabilities; "auto", per frame: isotonic when at least 500 training
        units carry the frame and 500 do not, else sigmoid (the scikit-learn guidance: isotonic
        overfits small samples - and for a rare frame the positives are the small sample).
    cv : int, default 5
        Folds (whole documents per fold) of the out-of-fold scores used for calibration and
        thresholds.
    target_precision : float, optional
        Choose each frame's threshold for the most recall at this cross-validated precision
        (default: the threshold with the best cross-validated F1).
    seed : int, default 0
        Seed of the folds and of the classifiers. Same data and seed, same model.
    name : str, default "supervised"
        Prefix of the model identifier written to the ``codebook`` column.
    group_by : {"doc_id", "text"}, default "doc_id"
        What the calibration folds (and the folds of :meth:`cross_validate`) keep together:
        the units of one document, or identical units ("text": syndicated copy, reused
        paragraphs), so that no score comes from a model trained on the same text.

    Attributes
    ----------
    frames_ : list of str
        Frames learned (gold order).
    thresholds_ : pandas.DataFrame
        ``THRESHOLD_COLUMNS``: threshold per frame with its cross-validated precision, recall, F1.
    model_id_ : str
        ``<name>@<12 hex>``, a content hash of the fitted model; the ``codebook`` of its codes.
    codebook_ : Codebook or None
        The hybrid's dictionary.
    n_units_ : int
        Training units.

    Notes
    -----
    Calibration and thresholds follow ``CalibratedClassifierCV(ensemble=False)``: the final
    coefficients are fitted on all training units; the calibration map (Platt's sigmoid or
    isotonic regression, scikit-learn's) and the threshold are fitted on the out-of-fold scores
    of ``cv`` folds. Vocabularies and idf weights come from all training units (no labels are
    used). Predictions are computed from the saved arrays (vocabulary, idf, coefficients,
    calibration map), so a model read back by :meth:`load` codes identically.

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(12)], "text": [
    ...     "the truce holds", "a truce was agreed", "truce talks resume", "truce again",
    ...     "ceasefire and truce", "truce lines", "aid money runs short", "aid fatigue",
    ...     "funding for aid", "aid stalls", "aid debate", "aid budget"]})
    >>> gold = pd.DataFrame({"unit_id": corpus["doc_id"], "frame": "ceasefire",
    ...                      "present": [1] * 6 + [0] * 6})
    >>> coder = SupervisedCoder(min_df=1, char_ngrams=None, cv=3).fit(corpus, gold)
    >>> new = pd.DataFrame({"doc_id": ["x", "y"], "text": ["truce news", "aid news"]})
    >>> coder.code(new).codes[["unit_id", "frame", "present"]]
      unit_id      frame  present
    0       x  ceasefire        1
    1       y  ceasefire        0
    """

    def __init__(
        self,
        *,
        level: str = "document",
        codebook=None,
        word_ngrams: tuple[int, int] = (1, 2),
        char_ngrams: tuple[int, int] | None = (3, 5),
        min_df: int = 2,
        max_features: int | None = 50_000,
        C: float = 1.0,
        calibration: str = "auto",
        cv: int = 5,
        target_precision: float | None = None,
        seed: int = 0,
        name: str = "supervised",
        group_by: str = "doc_id",
    ) -> None:
        self.level = level
        self.codebook = codebook
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_features = max_features
        self.C = C
        self.calibration = calibration
        self.cv = cv
        self.target_precision = target_precision
        self.seed = seed
        self.name = name
        self.group_by = group_by

    # ------------------------------------------------------------------ checks

    def _settings(self) -> dict:
        return {
            "level": self.level,
            "word_ngrams": list(self.word_ngrams),
            "char_ngrams": None if self.char_ngrams is None else list(self.char_ngrams),
            "min_df": self.min_df,
            "max_features": self.max_features,
            "C": self.C,
            "calibration": self.calibration,
            "cv": self.cv,
            "target_precision": self.target_precision,
            "seed": self.seed,
            "name": self.name,
            "group_by": self.group_by,
        }

    def _check_params(self, caller: str) -> None:
        if self.level not in LEVELS:
            raise ValueError(
                f"{caller}(): level must be one of {', '.join(LEVELS)}, got {self.level!r}."
                f"{suggest(str(self.level), LEVELS, 'level')}"
            )
        if self.group_by not in ("doc_id", "text"):
            raise ValueError(
                f"{caller}(): group_by must be 'doc_id' or 'text', got {self.group_by!r}. 'text' "
                "keeps identical units (syndicated copy, reused paragraphs) in one fold."
            )
        if self.calibration not in ("auto", "sigmoid", "isotonic"):
            raise ValueError(
                f"{caller}(): calibration must be 'auto', 'sigmoid' or 'isotonic', got "
                f"{self.calibration!r}."
            )
        if not (isinstance(self.C, int | float) and self.C > 0):
            raise ValueError(f"{caller}(): C must be a positive number, got {self.C!r}.")
        if isinstance(self.cv, bool) or not isinstance(self.cv, int | np.integer) or self.cv < 2:
            raise ValueError(f"{caller}(): cv must be an integer of at least 2, got {self.cv!r}.")
        tp = self.target_precision
        if tp is not None and not (isinstance(tp, int | float) and 0 < tp < 1):
            raise ValueError(
                f"{caller}(): target_precision must be between 0 and 1 (or None), got {tp!r}."
            )

    def _check_fitted(self, caller: str) -> None:
        if not hasattr(self, "linear_"):
            raise NotFittedError(
                f"{caller}(): this SupervisedCoder is not fitted yet; call .fit(corpus, gold) "
                "first, or SupervisedCoder.load(path)."
            )

    def check_gold_frames(self, gold: pd.DataFrame, caller: str) -> None:
        """Refuse gold whose frames are not the frames this model was trained on."""
        self._check_fitted(caller)
        frames = list(pd.unique(gold["frame"].astype(str)))
        if set(frames) != set(self.frames_):
            book = f" (codebook {self.codebook_.id})" if self.codebook_ is not None else ""
            other = [f for f in frames if f not in self.frames_]
            hint = suggest(other[0], self.frames_, "frame") if other else ""
            raise ValueError(
                f"{caller}(): the gold has frames {', '.join(frames)}, but this model "
                f"({self.model_id_}) was trained on {', '.join(self.frames_)}{book}.{hint} "
                "Use gold of the same frames, or fit a new SupervisedCoder on this gold."
            )

    def _gold_matrix(self, prep: core.Prepared, gold: pd.DataFrame, caller: str):
        return gold_matrix(
            pd.Index(prep.units["unit_id"]),
            gold,
            caller,
            f"{self.level} units of the corpus",
            "Use the level of the gold: level='paragraph' for ids like '<doc>-p0', "
            "level='document' for document ids.",
        )

    def _load_codebook(self, frames: list[str], caller: str):
        return hybrid_codebook(self.codebook, frames, caller)

    # ------------------------------------------------------------------ fit / predict

    def fit(self, corpus: pd.DataFrame, gold: pd.DataFrame) -> SupervisedCoder:
        """Learn one classifier per gold frame from the hand-coded units of ``corpus``.

        Parameters
        ----------
        corpus : pandas.DataFrame
            A Corpus holding (at least) the documents of the gold units.
        gold : pandas.DataFrame
            Long gold labels ``unit_id, frame, present`` at ``level`` (e.g.
            :func:`framelab.load_sample_gold`); every unit needs a label for every frame.

        Returns
        -------
        SupervisedCoder
            ``self``, fitted.
        """
        caller = "SupervisedCoder.fit"
        self._check_params(caller)
        self._fit_prepared(*self._training_units(corpus, gold, caller), caller)
        return self

    def _training_units(self, corpus: pd.DataFrame, gold: pd.DataFrame, caller: str):
        """``(units, y, frames, codebook)``: the gold units of ``corpus`` prepared for fitting
        (:class:`~framelab._learn_core.Prepared`), their 0/1 labels, the frames, the hybrid's
        codebook (None for a plain coder)."""
        check_corpus(corpus, caller)
        frames = list(pd.unique(gold["frame"].astype(str))) if "frame" in gold else []
        book = self._load_codebook(frames, caller)
        prep = core.prepare(corpus, self.level, book)
        rows, y, frames = self._gold_matrix(prep, gold, caller)
        return prep.take(rows), y, frames, book

    def _fit_prepared(self, prep, y, frames, book, caller) -> None:
        groups = core.groups_of(prep, self.group_by)
        n_groups = len(set(groups))
        if n_groups < 2:
            raise ValueError(
                f"{caller}(): the gold units form one {self.group_by} group; need >= 2."
            )
        folds = core.folds_of(groups, min(int(self.cv), n_groups), int(self.seed))
        dict_frames = [] if book is None else self._dict_frames(prep, book)
        features = core.Features.fit(
            prep, self.word_ngrams, self.char_ngrams, self.min_df, self.max_features, dict_frames
        )
        x = features.transform(prep)
        linear, stats = core.fit_linear(
            x,
            y,
            frames,
            folds,
            C=float(self.C),
            calibration=self.calibration,
            target_precision=self.target_precision,
            seed=int(self.seed),
        )
        self.features_, self.linear_, self.codebook_ = features, linear, book
        self.frames_ = list(frames)
        self.n_units_ = len(prep.units)
        self.thresholds_ = pd.DataFrame(
            {
                "frame": frames,
                "threshold": linear.threshold,
                "calibration": linear.kind,
                "n_positive": y.sum(axis=0).astype(np.int64),
                "cv_precision": [s[0] for s in stats],
                "cv_recall": [s[1] for s in stats],
                "cv_f1": [s[2] for s in stats],
            }
        )[list(THRESHOLD_COLUMNS)]
        self.model_id_ = core.model_id(self.name, self._settings(), features, linear)

    @staticmethod
    def _dict_frames(prep, book) -> list[str]:
        n = prep.dict_counts.shape[1]
        frames = list(book.frames)
        return frames if len(frames) == n else [f"{f}:{i}" for i, f in enumerate(frames)][:n]

    def _prepare(self, corpus: pd.DataFrame, caller: str, splitter=None) -> core.Prepared:
        self._check_fitted(caller)
        check_corpus(corpus, caller)
        return core.prepare(corpus, self.level, self.codebook_, splitter)

    def _proba(self, prep: core.Prepared, batch: int = 10_000) -> np.ndarray:
        """Probabilities of each unit and frame, ``batch`` units at a time (bounded memory;
        every row is computed on its own, so batching does not change a value)."""
        out = np.zeros((len(prep.units), len(self.frames_)))
        for start in range(0, len(prep.units), batch):
            rows = np.arange(start, min(start + batch, len(prep.units)))
            part = prep if len(rows) == len(prep.units) else prep.take(rows)
            out[rows] = self.linear_.proba(self.features_.transform(part))
        return out

    def predict_proba(self, corpus: pd.DataFrame) -> pd.DataFrame:
        """Calibrated probability of each frame: ``unit_id, frame, probability`` (long form)."""
        prep = self._prepare(corpus, "SupervisedCoder.predict_proba")
        proba = self._proba(prep)
        return pd.DataFrame(
            {
                "unit_id": np.repeat(prep.units["unit_id"].to_numpy(), len(self.frames_)),
                "frame": np.tile(np.asarray(self.frames_, dtype=object), len(prep.units)),
                "probability": proba.reshape(-1),
            }
        )

    def code(self, corpus: pd.DataFrame, *, splitter=None) -> SupervisedCoded:
        """Code every unit of ``corpus``: FrameCodes with the calibrated ``probability``.

        ``splitter`` (sentence level): as in :func:`framelab.code_frames`; by default the
        pretrained Punkt model, else Punkt trained on this corpus.

        Returns
        -------
        SupervisedCoded
            ``.codes``: ``SUPERVISED_CODE_COLUMNS`` then the corpus metadata (as
            :func:`framelab.code_frames`); ``count = present = int(probability >= threshold)``,
            ``per_1k = 1000 count / n_tokens``, ``codebook`` = :attr:`model_id_`.
        """
        prep = self._prepare(corpus, "SupervisedCoder.code", splitter)
        return coded_result(self, prep, self._proba(prep))

    # ------------------------------------------------------------------ inspection

    def top_features(self, frame: str | None = None, n: int = 20) -> pd.DataFrame:
        """The ``n`` most positively weighted features of each frame (``EXPLAIN_COLUMNS``;
        ``unit_id`` empty, ``value`` 1, ``contribution = weight``)."""
        caller = "SupervisedCoder.top_features"
        self._check_fitted(caller)
        return top_feature_rows(self, frame, n, caller)

    # ------------------------------------------------------------------ persistence

    def save(self, path: str | Path) -> Path:
        """Write the fitted model to the folder ``path`` (no pickle).

        ``arrays.safetensors`` (idf weights, coefficients, calibration maps, thresholds),
        ``model.json`` (settings, frames, vocabularies), ``codebook.yml`` (hybrid only) and
        ``manifest.json`` with the SHA-256 of each, checked by :meth:`load`, which reads only
        the files the manifest lists. The folder is written anew and swapped in atomically, so
        no file of a model saved there before remains. Saving never changes the model.
        """
        self._check_fitted("SupervisedCoder.save")
        payload = {
            "settings": self._settings(),
            "frames": self.frames_,
            "model_id": self.model_id_,
            "n_units": self.n_units_,
            "thresholds": self.thresholds_.astype(object)
            .where(self.thresholds_.notna(), None)
            .to_dict("list"),
        }
        path = Path(path)
        core.save_model(path, payload, self.features_, self.linear_, self.codebook_)
        logger.info("SupervisedCoder.save(): wrote %s to %s", self.model_id_, path)
        return path

    @classmethod
    def load(cls, path: str | Path) -> SupervisedCoder:
        """Read a model written by :meth:`save`, verifying every file's SHA-256 first.

        Raises
        ------
        ModelFileError
            A file is missing or differs from its checksum (the message names the file).
        """
        payload, features, linear, book = core.load_model(Path(path), "SupervisedCoder.load")
        settings = dict(payload["settings"])
        for key in ("word_ngrams", "char_ngrams"):
            if settings[key] is not None:
                settings[key] = tuple(settings[key])
        coder = cls(**settings, codebook=book)
        coder.features_, coder.linear_, coder.codebook_ = features, linear, book
        coder.frames_ = list(payload["frames"])
        coder.n_units_ = int(payload["n_units"])
        coder.thresholds_ = pd.DataFrame(payload["thresholds"])[list(THRESHOLD_COLUMNS)]
        for col in ("threshold", "cv_precision", "cv_recall", "cv_f1"):
            coder.thresholds_[col] = coder.thresholds_[col].astype(np.float64)
        coder.thresholds_["n_positive"] = coder.thresholds_["n_positive"].astype(np.int64)
        coder.model_id_ = payload["model_id"]
        if core.model_id(coder.name, coder._settings(), features, linear) != coder.model_id_:
            raise ModelFileError(
                f"SupervisedCoder.load(): the arrays in {path} do not give model id "
                f"{coder.model_id_}; the folder mixes files of different models."
            )
        return coder

    def __repr__(self) -> str:
        state = f"fitted={self.model_id_}" if hasattr(self, "model_id_") else "not fitted"
        return f"SupervisedCoder(level={self.level!r}, {state})"

    def score(
        self,
        corpus: pd.DataFrame,
        gold: pd.DataFrame,
        *,
        n_boot: int = 1000,
        ci: float = 0.95,
        seed: int | None = None,
    ) -> pd.DataFrame:
        """Accuracy of this model's codes against held-out gold (:func:`framelab.validate.accuracy`).

        Refuses gold whose frames are not the model's (e.g. coded with another codebook).
        Score only gold the model was not trained on; :meth:`cross_validate` does that for you.
        """
        from framelab.validate._accuracy import accuracy

        caller = "SupervisedCoder.score"
        self.check_gold_frames(gold, caller)
        codes = self.code(corpus).codes
        seed = self.seed if seed is None else seed
        return accuracy(codes, gold, n_boot=n_boot, ci=ci, seed=seed)

    def get_params(self) -> dict:
        """The constructor arguments (as in scikit-learn)."""
        return {**{k: v for k, v in self._settings().items()}, "codebook": self.codebook}

    def cross_validate(
        self,
        corpus: pd.DataFrame,
        gold: pd.DataFrame,
        folds: int = 5,
        seed: int | None = None,
        *,
        n_boot: int = 1000,
        ci: float = 0.95,
        group_by: str | None = None,
    ) -> pd.DataFrame:
        """Nested cross-validated accuracy per frame (the :func:`framelab.validate.accuracy`
        table), comparable with the dictionary's.

        Gold units are split into ``folds`` folds by document; each fold is coded by a fresh
        coder fitted on the other folds, whose vocabulary, calibration and thresholds come from
        those folds only (thresholds from their own inner ``cv`` folds): no threshold is tuned
        on the units it is scored on. The pooled out-of-fold codes are scored with bootstrap CIs
        (``n_boot``, ``ci``). This coder is not changed. ``group_by`` (default: the coder's):
        ``"text"`` keeps identical units together instead of documents (whitespace-normalised
        text: syndicated copy, the sample's reused paragraphs), so that no unit is scored by a
        model trained on its twin.

        Examples
        --------
        >>> from framelab.datasets import load_sample, load_sample_gold
        >>> table = SupervisedCoder(char_ngrams=None, cv=3).cross_validate(
        ...     load_sample(), load_sample_gold(), folds=3, n_boot=50)
        >>> table["frame"].iloc[-2:].tolist(), bool(table["f1"].iloc[-1] > 0.5)
        (['macro', 'micro'], True)
        """
        from framelab._learn_eval import cross_validated

        return cross_validated(self, corpus, gold, folds, seed, None, n_boot, ci, group_by)

    def learning_curve(
        self,
        corpus: pd.DataFrame,
        gold: pd.DataFrame,
        sizes=(50, 100, 200),
        cv: int = 5,
        seed: int | None = None,
        *,
        n_boot: int = 1000,
        ci: float = 0.95,
        group_by: str | None = None,
    ) -> pd.DataFrame:
        """Cross-validated F1 by the number of gold units trained on (see :func:`learning_curve`)."""
        from framelab._learn_eval import cross_validated

        return cross_validated(self, corpus, gold, cv, seed, sizes, n_boot, ci, group_by)


def learning_curve(
    corpus: pd.DataFrame,
    gold: pd.DataFrame,
    sizes=(50, 100, 200),
    cv: int = 5,
    seed: int = 0,
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    group_by: str | None = None,
    **params,
) -> pd.DataFrame:
    """How the supervised coder's F1 grows with the number of hand-coded units.

    For each size ``n`` and each of ``cv`` folds (whole documents), a :class:`SupervisedCoder`
    (``params``) is fitted on ``n`` units drawn at random (``seed``) from the other folds and codes
    the held-out fold; the pooled out-of-fold codes give precision, recall and F1 with bootstrap
    CIs, per frame and as ``macro``/``micro`` rows. ``group_by="text"`` keeps identical units in
    one fold (see :meth:`SupervisedCoder.cross_validate`).

    Returns
    -------
    pandas.DataFrame
        ``LEARNING_CURVE_COLUMNS``: ``n_gold`` (training units per fold: ``n``, or all training
        units when fewer), ``frame``, ``precision``, ``recall``, ``f1``, ``f1_low``, ``f1_high``,
        ``n_units`` (units scored), ``codebook``.

    Examples
    --------
    >>> from framelab.datasets import load_sample, load_sample_gold
    >>> curve = learning_curve(load_sample(), load_sample_gold(), sizes=[60, 300], cv=3,
    ...                        n_boot=50, char_ngrams=None)
    >>> micro = curve[curve["frame"] == "micro"]
    >>> micro["n_gold"].tolist(), bool(micro["f1"].iloc[1] > micro["f1"].iloc[0])
    ([60, 300], True)
    """
    params = {"seed": seed, **params, **({} if group_by is None else {"group_by": group_by})}
    coder = SupervisedCoder(**params)
    return coder.learning_curve(
        corpus, gold, sizes, cv, seed, n_boot=n_boot, ci=ci, group_by=group_by
    )


# ----------------------------------------------------------------- the study's coder


def fit_study_coder(cfg, corpus=None, gold=None, *, save: bool = False, **params):
    """A :class:`~framelab.learn.SupervisedCoder` fitted as the study config says.

    Level ``validation.level``, seed ``seed``; ``corpus``/``gold`` default to the study's corpus
    and ``validation.gold``; ``params`` go to the coder. With ``save=True`` the model is written
    to ``coding.model``.

    Parameters
    ----------
    cfg : StudyConfig
        The study config (:func:`framelab.config.load_config`).
    corpus, gold : pandas.DataFrame, optional
        Training corpus and gold labels (``unit_id, frame, present``); default: the study's.
    save : bool, default False
        Write the fitted model to ``coding.model`` (read back by :func:`code_study`).
    **params
        Passed to :class:`SupervisedCoder` (they override the config's level and seed).

    Returns
    -------
    SupervisedCoder
        Fitted.

    Raises
    ------
    ConfigError
        ``save=True`` while ``coding.model`` is null.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from framelab.config import StudyConfig
    >>> corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(12)], "text": [
    ...     "the truce holds", "a truce was agreed", "truce talks resume", "truce again",
    ...     "ceasefire and truce", "truce lines", "aid money runs short", "aid fatigue",
    ...     "funding for aid", "aid stalls", "aid debate", "aid budget"]})
    >>> gold = pd.DataFrame({"unit_id": corpus["doc_id"], "frame": "ceasefire",
    ...                      "present": [1] * 6 + [0] * 6})
    >>> folder = Path(tempfile.mkdtemp()) / "model"
    >>> cfg = StudyConfig.from_dict({"seed": 7, "validation": {"level": "document"},
    ...                              "coding": {"model": str(folder)}})
    >>> coder = fit_study_coder(cfg, corpus, gold, save=True, min_df=1, char_ngrams=None, cv=3)
    >>> coder.level, coder.seed, sorted(p.name for p in folder.iterdir())
    ('document', 7, ['arrays.safetensors', 'manifest.json', 'model.json'])
    >>> SupervisedCoder.load(folder).code(corpus.iloc[:1]).codes["present"].tolist()
    [1]
    """
    from framelab.config import ConfigError

    corpus = cfg.load_corpus() if corpus is None else corpus
    gold = study_gold(cfg) if gold is None else gold
    params = {"level": cfg.validation.level, "seed": cfg.seed, **params}
    coder = SupervisedCoder(**params).fit(corpus, gold)
    if save:
        if cfg.coding.model is None:
            raise ConfigError(
                f"{cfg.source or '<config>'}: coding.model is null · nowhere to save the model · set "
                "coding.model to a folder, e.g. data/processed/models/supervised."
            )
        coder.save(cfg.resolve(cfg.coding.model))
    return coder


def code_study(cfg, corpus=None):
    """Code the study corpus with ``coding.method``.

    Returns
    -------
    Coded or dict
        ``"dictionary"``: :func:`framelab.code_frames` with the study codebook at
        ``coding.level``; ``"supervised"``: the saved model of ``coding.model`` (its level must be
        ``coding.level``); ``"both"``: ``{"dictionary": ..., "supervised": ...}``.

    Examples
    --------
    >>> from framelab.config import StudyConfig
    >>> coded = code_study(StudyConfig.from_dict({"coding": {"level": "document"}}))
    >>> coded.level, coded.units["doc_id"].nunique(), coded.codebook.id.split("@")[0]
    ('document', 475, 'peace_talks')
    """
    from framelab.coding import code_frames
    from framelab.config import ConfigError

    corpus = cfg.load_corpus() if corpus is None else corpus
    method = cfg.coding.method
    out = {}
    if method in ("dictionary", "both"):
        out["dictionary"] = code_frames(corpus, cfg.load_codebook(), level=cfg.coding.level)
    if method in ("supervised", "both"):
        if cfg.coding.model is None:
            raise ConfigError(
                f"{cfg.source or '<config>'}: coding.method is {method!r} but coding.model is null · set "
                "coding.model to a folder written by SupervisedCoder.save() (train one with "
                "framelab.learn.fit_study_coder(cfg, save=True))."
            )
        path = cfg.resolve(cfg.coding.model)
        if not path.is_dir():
            raise ConfigError(
                f"{cfg.source or '<config>'}: coding.model: no saved model at {path} · train one with "
                "framelab.learn.fit_study_coder(cfg, save=True)."
            )
        coder = SupervisedCoder.load(path)
        if coder.level != cfg.coding.level:
            raise ConfigError(
                f"{cfg.source or '<config>'}: the model in coding.model codes {coder.level} units but "
                f"coding.level is {cfg.coding.level!r} · set coding.level: {coder.level} or "
                f"retrain the model at level {cfg.coding.level!r}."
            )
        out["supervised"] = coder.code(corpus)
    return out if method == "both" else out[method]
