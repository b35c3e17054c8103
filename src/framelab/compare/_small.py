"""Intervals that hold up with few hits or few clusters (``METHODS.md``, "Small counts and few
clusters").

- A share with 0 hits (or hits in every unit) has a degenerate bootstrap: every replicate is 0
  (or 1) and the percentile interval is ``[0, 0]``. Such rows get the Wilson score interval of
  ``k / n`` units instead, and a difference involving one gets Newcombe's hybrid score interval
  (Newcombe 1998, method 10) built from the two Wilson intervals.
- A cluster bootstrap with ``G`` clusters cannot represent between-cluster variance when ``G``
  is small (Cameron, Gelbach & Miller 2008). With ``cluster=`` and ``2 <= G < 5`` clusters in a
  group, framelab warns and widens the percentile interval around the estimate by
  ``t_{G-1} / z * sqrt(G / (G - 1))``: the small-sample ``G / (G - 1)`` variance correction and
  ``t`` critical values with ``G - 1`` degrees of freedom that Cameron et al. recommend.
  (``cluster="doc_id"``/``"unit_id"`` - the default resampling units - are not clusters here.)
  Groups with a single cluster keep missing bounds, as before.

References
----------
Newcombe, R. G. (1998). Interval estimation for the difference between independent
proportions: comparison of eleven methods. *Statistics in Medicine* 17(8), 873-890.
Cameron, A. C., Gelbach, J. B. & Miller, D. L. (2008). Bootstrap-based improvements for
inference with clustered errors. *Review of Economics and Statistics* 90(3), 414-427.
"""

from __future__ import annotations

import warnings

import numpy as np

from framelab._intervals import normal_quantile, wilson_interval

#: Fewer clusters than this in a group (with ``cluster=``) widen the interval and warn.
MIN_CLUSTERS = 5
WILSON = "wilson score (0 or all units carry the frame)"
NEWCOMBE = "newcombe hybrid score (0 or all units carry the frame in a group)"
#: Suffix of the method when ``cluster=`` made the clusters the effective sample size.
ON_CLUSTERS = ", on the number of clusters"


def effective_counts(num, den, n_clusters, clustered: bool):
    """``(k, n)`` for a Wilson/Newcombe interval: with ``cluster=``, the number of clusters is
    the effective sample size (units of a cluster are not independent), ``n = min(den, G)`` and
    ``k = n * num / den``; without, the unit counts unchanged.

    Examples
    --------
    >>> effective_counts(np.array([0.0, 60.0]), np.array([60.0, 60.0]), 3, True)
    (array([0., 3.]), array([3., 3.]))
    """
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    if not clustered:
        return num, den
    n_eff = np.minimum(den, float(n_clusters))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / den * n_eff, 0.0), n_eff


def degenerate(num: np.ndarray, n: np.ndarray, measure: str) -> np.ndarray:
    """Frames whose share is 0 or 1 in a group (measure ``"present"`` only)."""
    num, n = np.asarray(num, dtype=float), np.asarray(n, dtype=float)
    if measure != "present":
        return np.zeros(num.shape, dtype=bool)
    return (n > 0) & ((num == 0) | (num == n))


def widen_factor(n_clusters: int, ci: float) -> float:
    """``t_{G-1} / z * sqrt(G / (G - 1))`` for ``G`` clusters; 1 from :data:`MIN_CLUSTERS` on.

    Examples
    --------
    >>> round(widen_factor(3, 0.95), 4)
    2.6886
    >>> widen_factor(5, 0.95)
    1.0
    """
    if n_clusters >= MIN_CLUSTERS or n_clusters < 2:
        return 1.0
    from scipy.stats import t

    g = float(n_clusters)
    return float(t.ppf(0.5 + ci / 2, g - 1) / normal_quantile(ci) * np.sqrt(g / (g - 1)))


def widen(est, low, high, factor: float, measure: str):
    """The interval stretched around ``est`` by ``factor``, kept within the measure's range."""
    low = est - (est - np.asarray(low, dtype=float)) * factor
    high = est + (np.asarray(high, dtype=float) - est) * factor
    if measure == "present":
        return np.clip(low, 0.0, 1.0), np.clip(high, 0.0, 1.0)
    if measure == "per_1k":
        return np.maximum(low, 0.0), high
    return low, high


def is_cluster(cluster: str | None) -> bool:
    """Whether ``cluster`` groups units (not ``None`` and not the default ``doc_id``/``unit_id``)."""
    return cluster is not None and cluster not in ("doc_id", "unit_id")


def warn_few_clusters(keys: list[tuple], counts: list[int], cluster: str, caller: str) -> None:
    """Warn about groups with ``2 <= G <`` :data:`MIN_CLUSTERS` values of ``cluster``."""
    few = [(k, g) for k, g in zip(keys, counts, strict=True) if 2 <= g < MIN_CLUSTERS]
    if few:
        names = ", ".join(f"{'/'.join(map(str, k)) or '(all)'} ({g})" for k, g in few[:5])
        warnings.warn(
            f"{caller}(): group(s) {names} have fewer than {MIN_CLUSTERS} values of "
            f"{cluster!r} to resample; a cluster bootstrap cannot show the variation between so "
            "few clusters, so their intervals are widened (t with G-1 df, G/(G-1); see the "
            "'method' column). Prefer reporting the clusters themselves as groups.",
            UserWarning,
            stacklevel=4,
        )


def newcombe(num_a, n_a, num_b, n_b, ci: float):
    """Newcombe's hybrid score interval for ``num_a/n_a - num_b/n_b``.

    Examples
    --------
    >>> low, high = newcombe(0, 10, 0, 10, 0.95)
    >>> round(float(low), 4), round(float(high), 4)
    (-0.2775, 0.2775)
    """
    p_a, p_b = np.asarray(num_a, float) / n_a, np.asarray(num_b, float) / n_b
    l_a, u_a = wilson_interval(num_a, n_a, ci)
    l_b, u_b = wilson_interval(num_b, n_b, ci)
    d = p_a - p_b
    return (
        d - np.sqrt((p_a - l_a) ** 2 + (u_b - p_b) ** 2),
        d + np.sqrt((u_a - p_a) ** 2 + (p_b - l_b) ** 2),
    )
