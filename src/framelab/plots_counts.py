"""Group labels that carry their sample size, for plots of comparison tables.

Kept apart from :mod:`framelab.plots` so it can be used with any plot: relabel the table, then
plot it (``plot_prevalence(label_with_n(table))``) and the legend reads ``"A (n=120)"``.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["label_with_n"]


def label_with_n(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of a prevalence-like table whose last group column reads ``"<group> (n=...)"``.

    ``n`` is the group's number of units (the largest ``n`` over its frames); when the table
    rests on gold labels (``n_gold > 0``), ``", gold=<n_gold>"`` is added.

    Examples
    --------
    >>> table = pd.DataFrame({"outlet": ["A", "A", "B", "B"], "frame": ["x", "y", "x", "y"],
    ...                       "estimate": [.2, .5, .4, .1], "n": [120, 120, 8, 8],
    ...                       "n_gold": [30, 30, 0, 0]})
    >>> label_with_n(table)["outlet"].tolist()
    ['A (n=120, gold=30)', 'A (n=120, gold=30)', 'B (n=8)', 'B (n=8)']
    """
    if not isinstance(table, pd.DataFrame) or not {"frame", "n"} <= set(table.columns):
        raise ValueError(
            "label_with_n(): expected a table from framelab.compare.prevalence() (with 'frame' "
            "and 'n' columns)."
        )
    groups = list(table.columns[: list(table.columns).index("frame")])
    if not groups:
        return table.copy()
    col = groups[-1]
    out = table.copy()
    n = out.groupby(groups, sort=False, dropna=False)["n"].transform("max")
    gold = (
        out.groupby(groups, sort=False, dropna=False)["n_gold"].transform("max")
        if "n_gold" in out.columns
        else pd.Series(0, index=out.index)
    )
    out[col] = [
        f"{g} (n={int(k)}" + (f", gold={int(m)})" if m > 0 else ")")
        for g, k, m in zip(out[col], n, gold, strict=True)
    ]
    return out
