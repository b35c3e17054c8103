"""Regression of frame prevalence on covariates (statsmodels), and average predictions by group.

The frame analogue of ``stm``'s ``estimateEffect``: a logistic regression for whether a unit
carries a frame, or a Poisson / negative binomial regression for how many frame terms it has
with ``log(n_tokens)`` as exposure offset.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from framelab._errors import suggest
from framelab.compare._common import (
    _as_list,
    _check_choice,
    _check_level,
    _frame_order,
    _unwrap,
    check_codes,
)
from framelab.compare._corrected import check_correction, gold_rows
from framelab.compare._corrected_glm import ppi_logistic

__all__ = ["MARGINAL_COLUMNS", "REGRESS_COLUMNS", "marginal_effects", "regress"]

logger = logging.getLogger(__name__)

_FAMILIES = ("logit", "poisson", "negbin")
#: Columns of :func:`regress`.
REGRESS_COLUMNS = (
    "frame",
    "term",
    "estimate",
    "std_error",
    "statistic",
    "p_value",
    "ci_low",
    "ci_high",
    "exp_estimate",
    "exp_ci_low",
    "exp_ci_high",
    "n",
    "family",
    "formula",
    "cov_type",
    "converged",
    "method",
    "n_gold",
)
#: Columns of :func:`marginal_effects`, after the group column.
MARGINAL_COLUMNS = (
    "frame",
    "estimate",
    "std_error",
    "ci_low",
    "ci_high",
    "n",
    "measure",
    "method",
    "family",
    "formula",
    "converged",
)


def _model_data(codes: pd.DataFrame, family: str, period_freq: str, caller: str) -> pd.DataFrame:
    """Codes with ``log_tokens`` and ``period`` added, ready for a formula."""
    need = ["doc_id", "unit_id", "level", "frame", "present" if family == "logit" else "count"]
    need += ["n_tokens"] if family != "logit" else []
    check_codes(codes, caller, need)
    _check_level(codes, caller)
    data = codes.copy()
    if "n_tokens" in data:
        tokens = data["n_tokens"].astype(float)
        with np.errstate(divide="ignore"):
            data["log_tokens"] = np.log(tokens.where(tokens > 0))
    if (
        "date" in data
        and "period" not in data
        and pd.api.types.is_datetime64_any_dtype(data["date"])
    ):
        data["period"] = data["date"].dt.to_period(period_freq).astype(str)
    if family != "logit":
        empty = ~(data["n_tokens"] > 0)
        if empty.any():
            logger.info("%s(): %d units without tokens are left out", caller, int(empty.sum()))
            data = data.loc[~empty.to_numpy()]
    return data


def _rhs(formula: str, caller: str) -> str:
    if not isinstance(formula, str) or not formula.strip().startswith("~"):
        raise ValueError(
            f"{caller}(): formula must be a right-hand side starting with '~', such as "
            f"'~ C(country) + C(period) + log_tokens'; got {formula!r}. The response (present "
            "or count) is set by family."
        )
    return formula.strip()


def _fit(data: pd.DataFrame, frame: str, rhs: str, family: str, cluster: str | None, caller: str):
    """Fit one frame's model; return (results, converged, fit data)."""
    import statsmodels.formula.api as smf

    try:
        from patsy import PatsyError
    except ImportError:  # pragma: no cover - a statsmodels using formulaic only
        PatsyError = ValueError
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        HessianInversionWarning,
        PerfectSeparationWarning,
    )

    sub = data[data["frame"].astype(str) == frame].reset_index(drop=True)
    response = "present" if family == "logit" else "count"
    kwargs = {} if family == "logit" else {"offset": np.log(sub["n_tokens"].astype(float))}
    builder = {"logit": smf.logit, "poisson": smf.poisson, "negbin": smf.negativebinomial}[family]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = builder(f"{response} {rhs}", sub, **kwargs)
        except (PatsyError, NameError, KeyError) as exc:
            raise ValueError(
                f"{caller}(): cannot build the design from formula {rhs!r}: "
                f"{str(exc).splitlines()[0]}. Columns: "
                f"{', '.join(map(str, data.columns))}.{_formula_hint(rhs, data.columns)}"
            ) from None
        fit_kw: dict = {"disp": 0, "maxiter": 200}
        if cluster is not None:
            rows = np.asarray(model.data.row_labels)
            groups = pd.factorize(sub.loc[rows, cluster])[0]
            fit_kw.update(cov_type="cluster", cov_kwds={"groups": groups})
        try:
            results = model.fit(**fit_kw)
        except np.linalg.LinAlgError as exc:
            raise ValueError(
                f"{caller}(): the {family} model for frame {frame!r} cannot be estimated ({exc}); "
                "a level with no or only carrying units makes the design singular. Merge or drop "
                "levels, or simplify the formula."
            ) from None
    flagged = (ConvergenceWarning, PerfectSeparationWarning, HessianInversionWarning)
    bad = [w for w in caught if issubclass(w.category, flagged)]
    reasons = [str(w.message).splitlines()[0] for w in bad]
    if not np.all(np.isfinite(np.asarray(results.bse, dtype=float))):
        reasons.append(
            "some standard errors could not be computed"
            + (" (dispersion alpha near 0: use family='poisson')" if family == "negbin" else "")
        )
    converged = bool(results.mle_retvals.get("converged", True)) and not reasons
    for w in caught:
        if w not in bad and not issubclass(w.category, (RuntimeWarning, DeprecationWarning)):
            logger.info("%s(): statsmodels: %s", caller, w.message)
    if not converged:
        warnings.warn(
            f"{caller}(): the {family} model for frame {frame!r} did not converge cleanly "
            f"({'; '.join(reasons) or 'no convergence'}); "
            "its row(s) have converged=False. Usually a group level where the frame never (or "
            "always) occurs: merge or drop that level.",
            UserWarning,
            stacklevel=3,
        )
    return results, converged, sub


def _formula_hint(rhs: str, columns) -> str:
    import re

    for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", rhs):
        if name not in columns and name not in {"C", "np", "log", "Treatment", "Sum", "I"}:
            hint = suggest(name, columns)
            if hint:
                return hint
    return ""


def _frames_arg(codes: pd.DataFrame, frame, caller: str) -> list[str]:
    order = _frame_order(codes)
    frames = order if frame is None else _as_list(frame)
    for f in frames:
        if f not in order:
            raise ValueError(
                f"{caller}(): frame {f!r} is not in the codes. Frames: {', '.join(order)}."
                f"{suggest(f, order, 'frame')}"
            )
    return frames


def regress(
    codes: pd.DataFrame,
    frame: str | Sequence[str] | None = None,
    formula: str = "~ C(perspective)",
    family: str = "logit",
    *,
    cluster: str | None = None,
    ci: float = 0.95,
    period_freq: str = "M",
    gold: pd.DataFrame | None = None,
    correction: str | None = None,
) -> pd.DataFrame:
    """Regress a frame's presence (logit) or term count (Poisson, negative binomial) on covariates.

    Parameters
    ----------
    codes : pandas.DataFrame
        FrameCodes (one unit level) with the covariates among their metadata columns.
    frame : str or list of str, optional
        Frame(s) to model, one model each; default: every frame.
    formula : str, default "~ C(perspective)"
        Right-hand side in patsy syntax. Two derived columns are available: ``log_tokens``
        (``log(n_tokens)``) and ``period`` (the unit's date as a ``period_freq`` period, a
        string such as ``"2023-11"``), e.g. ``"~ C(country) + C(period) + log_tokens"``. Pick the
        reference level with ``C(perspective, Treatment('us'))``.
    family : {"logit", "poisson", "negbin"}, default "logit"
        ``"logit"`` models ``present``; ``"poisson"`` and ``"negbin"`` (NB2, dispersion
        ``alpha`` estimated) model ``count`` with offset ``log(n_tokens)``, so coefficients are
        log rate ratios.
    cluster : str, optional
        Column for cluster-robust standard errors (e.g. ``"outlet"``); default: the model's
        standard errors.
    ci : float, default 0.95
        Confidence level of the Wald intervals.
    period_freq : str, default "M"
        Frequency of the derived ``period`` column.
    gold, correction
        Gold labels and ``"ppi++"`` / ``"ppi"`` as in :func:`prevalence` (``family="logit"``
        only, without ``cluster``): the coefficients of the logistic model of the *true*
        presence, from machine codes on all units and gold labels on a random (or stratified,
        ``inclusion_prob``) subsample - prediction-powered inference for GLMs, see
        :mod:`framelab.compare._corrected_glm`. ``"rogan_gladen"`` is not available here.

    Returns
    -------
    pandas.DataFrame
        :data:`REGRESS_COLUMNS`, one row per frame and term: ``estimate`` (log odds ratio or log
        rate ratio), ``std_error``, ``statistic`` (z), ``p_value``, ``ci_low``/``ci_high``, their
        exponentials ``exp_*`` (odds or rate ratios; missing for the dispersion ``alpha``), ``n``
        (units in the model), ``family``, ``formula``, ``cov_type``, ``converged``, ``method``
        (``"maximum likelihood"``, or the correction with its ``lambda``) and ``n_gold`` (gold
        units behind a corrected fit; 0 otherwise).

    See Also
    --------
    marginal_effects : predicted prevalence per group level from the same model.

    References
    ----------
    Roberts, M. E., Stewart, B. M. & Tingley, D. (2019). stm: An R package for structural topic
    models. *Journal of Statistical Software* 91(2).
    Seabold, S. & Perktold, J. (2010). statsmodels: Econometric and statistical modeling with
    Python. *Proceedings of the 9th Python in Science Conference*.

    Examples
    --------
    >>> codes = pd.DataFrame({
    ...     "doc_id": list("abcdefgh"), "unit_id": list("abcdefgh"), "level": "document",
    ...     "frame": "escalation", "present": [1, 1, 1, 0, 1, 0, 0, 0],
    ...     "outlet": ["X"] * 4 + ["Y"] * 4})
    >>> table = regress(codes, "escalation", "~ C(outlet)")
    >>> table[["term", "estimate", "std_error"]].round(4)
                 term  estimate  std_error
    0       Intercept    1.0986     1.1547
    1  C(outlet)[T.Y]   -2.1972     1.6330
    """
    caller = "regress"
    _check_choice(family, "family", _FAMILIES, caller)
    if isinstance(ci, bool) or not isinstance(ci, (int, float)) or not 0 < ci < 1:
        raise ValueError(f"{caller}(): ci must be between 0 and 1, got {ci!r}.")
    rhs = _rhs(formula, caller)
    codes = _unwrap(codes)
    check_codes(codes, caller, ["frame"], named={"cluster": cluster})
    frames = _frames_arg(codes, frame, caller)
    data = _model_data(codes, family, period_freq, caller)
    coding = check_correction(gold, correction, "present", cluster, caller)
    if coding is not None:
        if family != "logit" or coding == "rogan_gladen":
            raise ValueError(
                f"{caller}(): correction={coding!r} with family={family!r} is not available; "
                "corrected regression is PPI for the logistic model: family='logit', "
                "correction='ppi++' or 'ppi'."
            )
        matched = gold_rows(data.assign(_num=data["present"]), gold, frames, caller)
        tables = [_corrected_fit(data, matched, f, rhs, coding, ci, caller) for f in frames]
        table = pd.concat(tables, ignore_index=True)[list(REGRESS_COLUMNS)]
        return table.astype({"n": "int64", "n_gold": "int64"})
    tables = []
    for f in frames:
        results, converged, _ = _fit(data, f, rhs, family, cluster, caller)
        conf = results.conf_int(alpha=1 - ci)
        params = results.params
        is_alpha = params.index == "alpha"
        with np.errstate(over="ignore"):
            exp = np.where(is_alpha, np.nan, np.exp(params.to_numpy()))
            exp_low = np.where(is_alpha, np.nan, np.exp(conf[0].to_numpy()))
            exp_high = np.where(is_alpha, np.nan, np.exp(conf[1].to_numpy()))
        tables.append(
            pd.DataFrame(
                {
                    "frame": f,
                    "term": params.index.astype(str),
                    "estimate": params.to_numpy(),
                    "std_error": results.bse.to_numpy(),
                    "statistic": results.tvalues.to_numpy(),
                    "p_value": results.pvalues.to_numpy(),
                    "ci_low": conf[0].to_numpy(),
                    "ci_high": conf[1].to_numpy(),
                    "exp_estimate": exp,
                    "exp_ci_low": exp_low,
                    "exp_ci_high": exp_high,
                    "n": int(results.nobs),
                    "family": family,
                    "formula": rhs,
                    "cov_type": results.cov_type,
                    "converged": converged,
                    "method": "maximum likelihood",
                    "n_gold": 0,
                }
            )
        )
    table = pd.concat(tables, ignore_index=True)[list(REGRESS_COLUMNS)]
    return table.astype({"n": "int64", "n_gold": "int64"})


def _corrected_fit(data, gold, frame, rhs, correction, ci, caller) -> pd.DataFrame:
    """One frame's PPI logistic regression as rows of :data:`REGRESS_COLUMNS`."""
    import statsmodels.formula.api as smf
    from scipy.stats import norm

    sub = data[data["frame"].astype(str) == frame].reset_index(drop=True)
    try:
        model = smf.logit(f"present {rhs}", sub)
    except Exception as exc:  # patsy/formulaic errors have no common base class
        raise ValueError(
            f"{caller}(): cannot build the design from formula {rhs!r}: "
            f"{str(exc).splitlines()[0]}.{_formula_hint(rhs, data.columns)}"
        ) from None
    units = sub.loc[np.asarray(model.data.row_labels), "unit_id"].astype(str).to_numpy()
    labels = gold[gold["frame"] == frame].set_index("unit_id")
    pos = np.flatnonzero(pd.Index(labels.index).get_indexer(units) >= 0)
    rows = labels.loc[units[pos]]
    x_all, yh_all = np.asarray(model.exog), np.asarray(model.endog)
    lam = 1.0 if correction == "ppi" else None
    theta, se, lam, ok = ppi_logistic(
        x_all, yh_all, x_all[pos], rows["_y"], yh_all[pos], rows["_w"], lam
    )
    z = norm.ppf(0.5 + ci / 2)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        stat = theta / se
        low, high = theta - z * se, theta + z * se
        exp = np.exp(np.column_stack([theta, low, high]))
    if not ok:
        warnings.warn(
            f"{caller}(): the corrected logistic model for frame {frame!r} did not converge; "
            "its rows have converged=False. Merge or drop levels with no carrying units.",
            UserWarning,
            stacklevel=3,
        )
    return pd.DataFrame(
        {
            "frame": frame,
            "term": list(model.exog_names),
            "estimate": theta,
            "std_error": se,
            "statistic": stat,
            "p_value": 2 * norm.sf(np.abs(stat)),
            "ci_low": low,
            "ci_high": high,
            "exp_estimate": exp[:, 0],
            "exp_ci_low": exp[:, 1],
            "exp_ci_high": exp[:, 2],
            "n": len(units),
            "family": "logit",
            "formula": rhs,
            "cov_type": "ppi sandwich",
            "converged": ok,
            "method": f"{correction} (lambda={lam:.3f})",
            "n_gold": len(pos),
        }
    )


def marginal_effects(
    codes: pd.DataFrame,
    frame: str | Sequence[str] | None = None,
    formula: str = "~ C(perspective)",
    by: str = "perspective",
    family: str = "logit",
    *,
    cluster: str | None = None,
    ci: float = 0.95,
    period_freq: str = "M",
) -> pd.DataFrame:
    """Average predicted prevalence per level of ``by``, holding the other covariates as observed.

    For each level, every unit of the model is given that level of ``by`` (everything else as
    observed), the model's predictions are averaged, and a delta-method interval is computed
    (statsmodels ``get_prediction(..., average=True)``). This is the "average marginal effect
    by group" of ``stm``'s ``estimateEffect``, on the prevalence scale.

    Parameters
    ----------
    by : str, default "perspective"
        The grouping variable; it must appear in ``formula``.
    codes, frame, formula, family, cluster, ci, period_freq
        As in :func:`regress`.

    Returns
    -------
    pandas.DataFrame
        The ``by`` column, then :data:`MARGINAL_COLUMNS`: ``frame``, ``estimate`` (probability
        for ``"logit"``; frame terms per 1,000 tokens for count families), ``std_error``,
        ``ci_low``, ``ci_high`` (Wald intervals from the delta method; they can cross 0 or 1
        for extreme shares), ``n`` (units observed at that level), ``measure``
        (``"probability"`` or ``"per_1k"``), ``method``, ``family``, ``formula``,
        ``converged``.

    Notes
    -----
    A frame whose model does not converge cleanly (typically quasi-separation: a level of
    ``by`` where the frame always or never occurs) gets ``converged=False`` and missing
    ``estimate``, ``std_error``, ``ci_low``, ``ci_high`` on its rows, with a warning naming the
    frame: such a model has no finite estimate, and its delta-method values (near 0, 1 or 1e9)
    would be wrong. Merge or drop that level, use fewer covariates or more data; a
    Firth-penalised logit is not available in statsmodels.

    With ``formula = "~ C(by)"`` alone (a saturated logit) the estimate for each level equals
    the observed share and its standard error ``sqrt(p (1 - p) / n)``.

    Examples
    --------
    >>> codes = pd.DataFrame({
    ...     "doc_id": list("abcdefgh"), "unit_id": list("abcdefgh"), "level": "document",
    ...     "frame": "escalation", "present": [1, 1, 1, 0, 1, 0, 0, 0],
    ...     "outlet": ["X"] * 4 + ["Y"] * 4})
    >>> table = marginal_effects(codes, "escalation", "~ C(outlet)", by="outlet")
    >>> table[["outlet", "estimate", "std_error"]].round(4)
      outlet  estimate  std_error
    0      X      0.75     0.2165
    1      Y      0.25     0.2165
    """
    caller = "marginal_effects"
    _check_choice(family, "family", _FAMILIES, caller)
    if isinstance(ci, bool) or not isinstance(ci, (int, float)) or not 0 < ci < 1:
        raise ValueError(f"{caller}(): ci must be between 0 and 1, got {ci!r}.")
    rhs = _rhs(formula, caller)
    codes = _unwrap(codes)
    check_codes(codes, caller, ["frame"], named={"by": by, "cluster": cluster})
    if by not in rhs:
        raise ValueError(
            f"{caller}(): by={by!r} does not appear in formula {rhs!r}; the predictions would "
            f"not vary with it. Add it, e.g. '{rhs} + C({by})'."
        )
    frames = _frames_arg(codes, frame, caller)
    data = _model_data(codes, family, period_freq, caller)
    rows = []
    for f in frames:
        results, converged, sub = _fit(data, f, rhs, family, cluster, caller)
        used = sub.loc[np.asarray(results.model.data.row_labels)]
        levels = sorted(pd.unique(used[by]), key=str)
        for level in levels:
            cf = used.copy()
            cf[by] = level
            kw = {} if family == "logit" else {"offset": np.full(len(cf), np.log(1000.0))}
            pred = results.get_prediction(cf, average=True, **kw)
            frame_ = pred.summary_frame(alpha=1 - ci)
            # a model without a finite maximum (separation) has no meaningful prediction or
            # standard error: its rows are flagged and left missing, never reported as numbers
            cols = ["predicted", "se", "ci_lower", "ci_upper"]
            est, se, low, high = frame_[cols].iloc[0].astype(float) if converged else [np.nan] * 4
            rows.append(
                {
                    by: level,
                    "frame": f,
                    "estimate": est,
                    "std_error": se,
                    "ci_low": low,
                    "ci_high": high,
                    "n": int((used[by] == level).sum()),
                    "converged": converged,
                }
            )
    table = pd.DataFrame(rows)
    table["measure"] = "probability" if family == "logit" else "per_1k"
    table["method"] = "average prediction, delta method"
    table["family"] = family
    table["formula"] = rhs
    table = table[[by, *MARGINAL_COLUMNS]]
    table["n"] = table["n"].astype("int64")
    table["converged"] = table["converged"].astype(bool)
    return table
