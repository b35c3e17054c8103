"""Intervals for a proportion that hold up with small counts: Wilson score and Jeffreys.

One definition for the whole package (comparison tables, hit audits, presence tuning).

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
*JASA* 22(158), 209-212.
Brown, L. D., Cai, T. T. & DasGupta, A. (2001). Interval estimation for a binomial proportion.
*Statistical Science* 16(2), 101-133.
"""

from __future__ import annotations

import numpy as np

__all__ = ["jeffreys_interval", "normal_quantile", "wilson_interval"]


def normal_quantile(ci: float) -> float:
    """Two-sided standard normal quantile ``z`` of a ``ci`` confidence level.

    Examples
    --------
    >>> round(normal_quantile(0.95), 6)
    1.959964
    """
    from scipy.stats import norm

    return float(norm.ppf(0.5 + ci / 2.0))


def wilson_interval(k, n, ci: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for ``k`` successes out of ``n`` (arrays broadcast).

    ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)`` with ``p = k / n``; never
    ``[0, 0]`` for ``k = 0``. ``n = 0`` gives missing bounds.

    Examples
    --------
    >>> low, high = wilson_interval(27, 30)
    >>> round(float(low), 4), round(float(high), 4)
    (0.7438, 0.9654)
    >>> low, high = wilson_interval(0, 10)
    >>> float(low), round(float(high), 4)
    (0.0, 0.2775)
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = normal_quantile(ci)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    low = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(k == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    low, high = np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)
    return low, high


def jeffreys_interval(k, n, ci: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Jeffreys interval: ``Beta(k + 1/2, n - k + 1/2)`` quantiles (0 at ``k = 0``, 1 at ``k = n``).

    Examples
    --------
    >>> low, high = jeffreys_interval(0, 10)
    >>> float(low), round(float(high), 4)
    (0.0, 0.2172)
    """
    from scipy.stats import beta

    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    alpha = (1.0 - ci) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(k > 0, beta.ppf(alpha, k + 0.5, n - k + 0.5), 0.0)
        high = np.where(k < n, beta.ppf(1 - alpha, k + 0.5, n - k + 0.5), 1.0)
    return np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)
