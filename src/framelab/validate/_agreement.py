"""Inter-coder agreement: Krippendorff's alpha (coincidence matrix), percent agreement, Cohen's kappa."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from framelab.validate._common import (
    boot_counts,
    check_boot,
    check_table,
    frame_rng,
    percentile_ci,
)
from framelab.validate._sheets import CODINGS_COLUMNS

__all__ = ["AGREEMENT_COLUMNS", "METRICS", "agreement", "krippendorff_alpha"]

logger = logging.getLogger(__name__)

#: Levels of measurement of Krippendorff's alpha.
METRICS = ("nominal", "ordinal", "interval", "ratio")

#: Columns of the table returned by :func:`agreement`.
AGREEMENT_COLUMNS = (
    "frame",
    "alpha",
    "ci_low",
    "ci_high",
    "percent_agreement",
    "kappa",
    "n_units",
    "n_coders",
    "metric",
)


def _check_metric(metric: object, caller: str) -> str:
    if metric not in METRICS:
        raise ValueError(
            f"{caller}(): metric must be one of {', '.join(map(repr, METRICS))}, got {metric!r}."
        )
    return str(metric)


def _value_counts(units: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-unit counts of each distinct value: ``(N, domain)`` with ``N`` units x values."""
    unit_codes, unit_index = np.unique(units, return_inverse=True)
    domain, value_index = np.unique(values, return_inverse=True)
    counts = np.zeros((len(unit_codes), len(domain)))
    np.add.at(counts, (unit_index, value_index), 1.0)
    return counts, domain


def _pair_contributions(counts: np.ndarray) -> np.ndarray:
    """Each pairable unit's contribution to the coincidence matrix, flattened (units x V*V).

    Unit u adds ``(n_uc n_uk - [c == k] n_uc) / (m_u - 1)`` to ``o_ck`` (Krippendorff 2011, eq. for
    the coincidence matrix); units with fewer than two values are not pairable and add nothing.
    """
    m = counts.sum(axis=1)
    keep = m >= 2
    counts, m = counts[keep], m[keep]
    outer = counts[:, :, None] * counts[:, None, :]
    idx = np.arange(counts.shape[1])
    outer[:, idx, idx] -= counts
    return (outer / (m - 1)[:, None, None]).reshape(len(counts), -1)


def _alpha_from_coincidences(o: np.ndarray, domain: np.ndarray, metric: str) -> np.ndarray:
    """Alpha from (stacked) coincidence matrices ``o`` of shape ``(..., V, V)``."""
    o = np.asarray(o, dtype=float)
    n_c = o.sum(axis=-1)
    n = n_c.sum(axis=-1)
    if metric == "nominal":
        d2 = 1.0 - np.eye(len(domain))
    elif metric == "ordinal":
        cum = np.cumsum(n_c, axis=-1)
        # sum_{g=c}^{k} n_g - (n_c + n_k)/2 == cum_k - cum_c + (n_c - n_k)/2, squared (symmetric)
        d2 = (
            cum[..., None, :] - cum[..., :, None] + (n_c[..., :, None] - n_c[..., None, :]) / 2.0
        ) ** 2
    else:
        v = np.asarray(domain, dtype=float)
        diff = v[:, None] - v[None, :]
        if metric == "interval":
            d2 = diff**2
        else:
            total = v[:, None] + v[None, :]
            d2 = np.zeros_like(diff)
            np.divide(diff, total, out=d2, where=total != 0)
            d2 = d2**2
    observed = (o * d2).sum(axis=(-2, -1))
    expected = (n_c[..., :, None] * n_c[..., None, :] * d2).sum(axis=(-2, -1))
    out = np.full(np.shape(n), np.nan)
    ok = expected > 0
    np.divide((n - 1) * observed, expected, out=out, where=ok)
    return np.where(ok, 1.0 - out, np.nan)


def krippendorff_alpha(reliability_data: object, metric: str = "nominal") -> float:
    """Krippendorff's alpha for a coders x units matrix with missing values.

    Parameters
    ----------
    reliability_data : array-like, shape (n_coders, n_units)
        One row per coder, one column per unit; missing values are NaN or None. Values are
        numbers (any metric) or strings (nominal only).
    metric : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement; sets the difference function delta.

    Returns
    -------
    float
        alpha; NaN when it is undefined (fewer than two pairable values, or no variation at all).

    Notes
    -----
    With ``o_ck`` the coincidence matrix of pairable values (each unit with ``m_u >= 2`` values
    adds every ordered pair of values from different coders with weight ``1/(m_u - 1)``),
    ``n_c = sum_k o_ck`` and ``n = sum_c n_c``::

        alpha = 1 - D_o / D_e = 1 - (n - 1) * sum_ck o_ck delta2_ck / sum_ck n_c n_k delta2_ck

    ``delta2`` is ``[c != k]`` (nominal), ``(sum_{g=c..k} n_g - (n_c + n_k)/2)^2`` over the sorted
    values (ordinal), ``(c - k)^2`` (interval) or ``((c - k)/(c + k))^2`` (ratio).

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
    Communication, University of Pennsylvania.
    Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard reliability measure
    for coding data. Communication Methods and Measures, 1(1), 77-89.

    Examples
    --------
    The worked example of Krippendorff (2011): 4 coders, 12 units, missing values.

    >>> nan = float("nan")
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...         [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> [round(krippendorff_alpha(data, m), 3) for m in ("nominal", "ordinal", "interval", "ratio")]
    [0.743, 0.815, 0.849, 0.797]
    """
    metric = _check_metric(metric, "krippendorff_alpha")
    data = np.asarray(reliability_data, dtype=object)
    if data.ndim != 2:
        raise ValueError(
            "krippendorff_alpha(): reliability_data must be 2-dimensional (coders x "
            f"units), got {data.ndim} dimension(s). For a long table use agreement()."
        )
    present = ~pd.isna(data)
    unit_idx = np.nonzero(present)[1]
    values = data[present]
    if metric != "nominal" or all(isinstance(v, int | float | np.number) for v in values):
        try:
            values = values.astype(float)
        except (TypeError, ValueError):
            raise ValueError(
                f"krippendorff_alpha(): metric={metric!r} needs numeric values; "
                "use metric='nominal' for categories."
            ) from None
    if metric == "ratio" and (values < 0).any():
        raise ValueError("krippendorff_alpha(): the ratio metric needs non-negative values.")
    if len(values) == 0:
        return float("nan")
    counts, domain = _value_counts(unit_idx, values)
    o = _pair_contributions(counts).sum(axis=0).reshape(len(domain), len(domain))
    return float(_alpha_from_coincidences(o, domain, metric))


def _kappa(first: np.ndarray, second: np.ndarray) -> float:
    if len(first) == 0:
        return float("nan")
    cats = np.union1d(first, second)
    p_o = float(np.mean(first == second))
    p_e = float(sum(np.mean(first == c) * np.mean(second == c) for c in cats))
    return float("nan") if p_e == 1 else (p_o - p_e) / (1 - p_e)


def agreement(
    codings: pd.DataFrame,
    *,
    metric: str = "nominal",
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Inter-coder agreement per frame: Krippendorff's alpha with a bootstrap CI, percent agreement
    and, for exactly two coders, Cohen's kappa.

    Parameters
    ----------
    codings : pandas.DataFrame
        ``unit_id, doc_id, coder, frame, value`` from :func:`read_codings` (or :func:`as_codings`
        for existing labels); missing values are ignored.
    metric : {"nominal", "ordinal", "interval", "ratio"}, default "nominal"
        Level of measurement of alpha (0/1 frame codes are nominal).
    n_boot : int, default 1000
        Bootstrap replicates for the CI of alpha.
    ci : float, default 0.95
        Confidence level.
    seed : int, default 0
        Seed of the bootstrap.

    Returns
    -------
    pandas.DataFrame
        One row per frame: ``frame, alpha, ci_low, ci_high, percent_agreement, kappa, n_units,
        n_coders, metric``. ``n_units`` counts pairable units (coded by at least two coders),
        ``n_coders`` the coders with at least one code for the frame. ``kappa`` is NaN unless
        exactly two coders coded the frame; alpha is NaN when it is undefined (e.g. every code of
        the frame is 0).

    Notes
    -----
    The CI is a percentile bootstrap over *units* (units are resampled with replacement and alpha
    recomputed; replicates in which alpha is undefined are skipped). This differs from
    Krippendorff's own bootstrap, which resamples pairs of values.

    Percent agreement is the share of agreeing pairs of codes among all pairs of codes of the same
    unit; with two coders it is the share of units on which they agree. Kappa uses the units coded
    by both coders (Cohen 1960).

    Conventions (Krippendorff 2004): alpha >= .800 reliable; >= .667 for tentative conclusions.

    Examples
    --------
    >>> from framelab.datasets import load_sample_gold
    >>> from framelab.validate import as_codings
    >>> both = pd.concat([as_codings(load_sample_gold("paragraph"), "coder1"),
    ...                   as_codings(load_sample_gold("paragraph", coder=2), "coder2")])
    >>> table = agreement(both, n_boot=200)
    >>> list(table.columns)
    ['frame', 'alpha', 'ci_low', 'ci_high', 'percent_agreement', 'kappa', 'n_units', 'n_coders', 'metric']
    >>> table[["frame", "n_coders", "metric"]].head(2)
              frame  n_coders   metric
    0     ceasefire         2  nominal
    1  negotiations         2  nominal
    """
    caller = "agreement"
    if (
        isinstance(codings, pd.DataFrame)
        and "present" in codings.columns
        and not {"coder", "value"} <= set(codings.columns)
    ):
        raise ValueError(
            f"{caller}(): codings has no 'coder'/'value' columns; this looks like a gold or "
            "FrameCodes table (unit_id, frame, present). Convert each coder's labels with "
            "as_codings(table, coder='...') and concatenate them."
        )
    check_table(
        codings,
        caller,
        "codings",
        ("unit_id", "coder", "frame", "value"),
        f"Pass the table read_codings() returns ({', '.join(CODINGS_COLUMNS)}).",
    )
    metric = _check_metric(metric, caller)
    check_boot(n_boot, ci, caller)
    data = codings[codings["value"].notna()]
    dup = data.duplicated(["unit_id", "coder", "frame"])
    if dup.any():
        row = data[dup].iloc[0]
        raise ValueError(
            f"{caller}(): unit {row['unit_id']!r} has two codes by coder "
            f"{row['coder']!r} for frame {row['frame']!r}. Keep one code per unit, "
            "coder and frame."
        )
    rows = []
    for frame in pd.unique(codings["frame"]):
        part = data[data["frame"] == frame]
        coders = pd.unique(part["coder"])
        values = part["value"].to_numpy(dtype=float)
        row = {
            "frame": frame,
            "alpha": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "percent_agreement": np.nan,
            "kappa": np.nan,
            "n_units": 0,
            "n_coders": len(coders),
            "metric": metric,
        }
        if len(part):
            counts, domain = _value_counts(part["unit_id"].astype(str).to_numpy(), values)
            m = counts.sum(axis=1)
            pairable = counts[m >= 2]
            row["n_units"] = len(pairable)
            if len(pairable):
                pairs = pairable.sum(axis=1) * (pairable.sum(axis=1) - 1) / 2
                agree = (pairable * (pairable - 1) / 2).sum(axis=1)
                row["percent_agreement"] = float(agree.sum() / pairs.sum())
                contrib = _pair_contributions(pairable)
                v = len(domain)
                row["alpha"] = float(
                    _alpha_from_coincidences(contrib.sum(axis=0).reshape(v, v), domain, metric)
                )
                boot = boot_counts(frame_rng(seed, frame), len(contrib), n_boot) @ contrib
                alphas = _alpha_from_coincidences(boot.reshape(n_boot, v, v), domain, metric)
                low, high = percentile_ci(alphas, ci)
                row["ci_low"], row["ci_high"] = float(low[0]), float(high[0])
            if len(coders) == 2:
                wide = part.pivot(index="unit_id", columns="coder", values="value").dropna()
                row["kappa"] = _kappa(wide[coders[0]].to_numpy(), wide[coders[1]].to_numpy())
        if np.isnan(row["alpha"]):
            logger.info(
                "agreement(): alpha is undefined for frame %r (no variation or no pairable units)",
                frame,
            )
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS))
    return table.astype({"n_units": "int64", "n_coders": "int64", "frame": str, "metric": str})
