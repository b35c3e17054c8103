"""Logistic regression of frame presence corrected for coding error (PPI / PPI++ for GLMs).

With machine codes ``Ŷ`` on all ``N`` units and gold labels ``Y`` on ``n`` of them (weights ``w =
1/π`` normalised to mean 1), the coefficients minimise the rectified logistic loss

    L(θ) = λ/N Σ_all ℓ(θ; x, Ŷ) − λ/n Σ_gold w·ℓ(θ; x, Ŷ) + 1/n Σ_gold w·ℓ(θ; x, Y)

(convex for ``0 <= λ <= 1``: its Hessian is ``λ H_all + (1 − λ) H_gold``), solved here by Newton's
method. The covariance is the sandwich ``H⁻¹ (n/N·Cov(λ∇ℓ_all(Ŷ)) + Cov(∇ℓ_gold(Y) −
λ∇ℓ_gold(Ŷ))) H⁻¹ / n`` and the power-tuned ``λ`` minimises its trace (clipped to ``[0, 1]``),
both exactly as ``ppi-python``'s ``ppi_logistic_ci`` computes them (the tests compare the two).

References
----------
Angelopoulos, A. N., Bates, S., Fannjiang, C., Jordan, M. I. & Zrnic, T. (2023).
Prediction-powered inference. *Science* 382(6671), 669-674.
Angelopoulos, A. N., Duchi, J. C. & Zrnic, T. (2023). PPI++: Efficient prediction-powered
inference. arXiv:2311.01453.
Egami, N., Hinck, M., Stewart, B. M. & Wei, H. (2023). Using imperfect surrogates for downstream
inference (design-based supervised learning). *NeurIPS* 36.
"""

from __future__ import annotations

import numpy as np


def _expit(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _solve(x_all, yh_all, x_g, y_g, yh_g, w, lam, start):
    """Newton's method on the rectified loss; returns (theta, converged)."""
    n_all, n = len(x_all), len(x_g)
    theta = np.array(start, dtype=float)
    for _ in range(100):
        mu_all, mu_g = _expit(x_all @ theta), _expit(x_g @ theta)
        grad = lam / n_all * x_all.T @ (mu_all - yh_all)
        grad += x_g.T @ (w * ((1 - lam) * mu_g + lam * yh_g - y_g)) / n
        hess = lam / n_all * (x_all * (mu_all * (1 - mu_all))[:, None]).T @ x_all
        hess += (1 - lam) / n * (x_g * (w * mu_g * (1 - mu_g))[:, None]).T @ x_g
        step = np.linalg.solve(hess, grad)
        theta = theta - step
        if np.max(np.abs(step)) < 1e-13:
            return theta, True
    return theta, False


def _stats(theta, x_all, yh_all, x_g, y_g, yh_g, w, use_all):
    n_all, n = len(x_all), len(x_g)
    mu_all, mu_g = _expit(x_all @ theta), _expit(x_g @ theta)
    if use_all:
        hess = (x_all * (mu_all * (1 - mu_all))[:, None]).T @ x_all / (n_all + n)
        hess += (x_g * (w * mu_g * (1 - mu_g))[:, None]).T @ x_g / (n_all + n)
        g_all = x_all * (mu_all - yh_all)[:, None]
    else:
        hess = (x_g * (w * mu_g * (1 - mu_g))[:, None]).T @ x_g / n
        g_all = np.zeros_like(x_all)
    grads = x_g * (w * (mu_g - y_g))[:, None]
    grads_hat = x_g * (w * (mu_g - yh_g))[:, None]
    return grads, grads_hat, g_all, np.linalg.inv(hess)


def _tuned_lambda(grads, grads_hat, g_all, inv_h) -> float:
    n, n_all = len(grads), len(g_all)
    gc, hc = grads - grads.mean(0), grads_hat - grads_hat.mean(0)
    cov = (gc.T @ hc + hc.T @ gc) / n
    var = np.atleast_2d(np.cov(np.concatenate([grads_hat, g_all]).T))
    num = np.trace(inv_h @ cov @ inv_h)
    den = 2 * (1 + n / n_all) * np.trace(inv_h @ var @ inv_h)
    return float(np.clip(num / den, 0.0, 1.0)) if den > 0 else 0.0


def ppi_logistic(x_all, yh_all, x_g, y_g, yh_g, w=None, lam=None):
    """PPI(++) logistic coefficients: ``(theta, se, lambda, converged)``.

    ``lam=None`` power-tunes ``λ`` the way ``ppi_py.ppi_logistic_ci`` does: fit with ``λ = 1``,
    tune at that fit, refit, tune again at the refit, and fit with that ``λ``.
    """
    x_all, x_g = np.asarray(x_all, float), np.asarray(x_g, float)
    yh_all, y_g, yh_g = (np.asarray(a, float) for a in (yh_all, y_g, yh_g))
    n, d = x_g.shape
    w = np.ones(n) if w is None else np.asarray(w, float) / np.sum(w) * n
    start = np.zeros(d)
    ok = True
    if lam is None:
        theta, ok1 = _solve(x_all, yh_all, x_g, y_g, yh_g, w, 1.0, start)
        lam1 = _tuned_lambda(*_stats(theta, x_all, yh_all, x_g, y_g, yh_g, w, True))
        theta, ok2 = _solve(x_all, yh_all, x_g, y_g, yh_g, w, lam1, theta)
        lam = _tuned_lambda(*_stats(theta, x_all, yh_all, x_g, y_g, yh_g, w, True))
        ok = ok1 and ok2
    theta, ok3 = _solve(x_all, yh_all, x_g, y_g, yh_g, w, float(lam), start)
    grads, grads_hat, g_all, inv_h = _stats(theta, x_all, yh_all, x_g, y_g, yh_g, w, lam != 0)
    var_all = np.atleast_2d(np.cov((lam * g_all).T))
    var = np.atleast_2d(np.cov((grads - lam * grads_hat).T))
    sigma = inv_h @ (n / len(x_all) * var_all + var) @ inv_h
    return theta, np.sqrt(np.diag(sigma) / n), float(lam), ok and ok3
