"""Comparing frames across outlets, countries and time: statistics with uncertainty.

Every function takes long tables plus column names and returns a tidy DataFrame whose columns
are fixed and documented (options never add or drop columns); random parts use one
``numpy.random.default_rng(seed)`` so the same seed gives the same table.

========================= ==============================================================
function                  what it returns
========================= ==============================================================
:func:`prevalence`        share (or rate per 1,000 tokens, or mean) by group, bootstrap CI;
                          with ``gold=``/``correction=`` corrected for coding error (PPI)
:func:`gold_needed`       gold units needed to narrow a corrected interval (e.g. by half)
:func:`mean_by`           mean of a per-unit value (tone) by group and frame, bootstrap CI
:func:`difference`        a - b and a / b between two groups, CIs, permutation p
:func:`pairwise`          :func:`difference` over all pairs, Holm / Benjamini-Hochberg
:func:`over_time`         prevalence per week/month, CIs, optional smoothing
:func:`before_after`      after minus before an event, within a window
:func:`regress`           logit / Poisson / negative binomial coefficients (statsmodels)
:func:`marginal_effects`  average predicted prevalence per level of a group, delta-method CI
:func:`distinguishing_terms` log-odds ratio with informative Dirichlet prior (Monroe et al.)
:func:`keyness`           chi2 and G2 keyness as in quanteda's textstat_keyness
:func:`cooccurrence`      frame x frame counts, Jaccard, lift (optional bootstrap CIs)
:func:`tone`              VADER compound tone per unit, offline
:func:`text_units`        documents, paragraphs or sentences with framelab's unit ids
========================= ==============================================================
"""

from framelab.compare._common import FRAMECODES_COLUMNS, check_codes
from framelab.compare._cooc import COOCCURRENCE_COLUMNS, cooccurrence
from framelab.compare._difference import DIFFERENCE_COLUMNS, difference, pairwise
from framelab.compare._gold_needed import GOLD_NEEDED_COLUMNS, correction_summary, gold_needed
from framelab.compare._prevalence import PREVALENCE_COLUMNS, mean_by, prevalence
from framelab.compare._regress import MARGINAL_COLUMNS, REGRESS_COLUMNS, marginal_effects, regress
from framelab.compare._terms import (
    DISTINGUISHING_COLUMNS,
    KEYNESS_COLUMNS,
    TEXT_UNIT_COLUMNS,
    distinguishing_terms,
    keyness,
    text_units,
)
from framelab.compare._time import before_after, over_time
from framelab.compare._tone import TONE_COLUMNS, tone, vader_nltk_root

__all__ = [
    "COOCCURRENCE_COLUMNS",
    "DIFFERENCE_COLUMNS",
    "DISTINGUISHING_COLUMNS",
    "FRAMECODES_COLUMNS",
    "GOLD_NEEDED_COLUMNS",
    "KEYNESS_COLUMNS",
    "MARGINAL_COLUMNS",
    "PREVALENCE_COLUMNS",
    "REGRESS_COLUMNS",
    "TEXT_UNIT_COLUMNS",
    "TONE_COLUMNS",
    "before_after",
    "check_codes",
    "cooccurrence",
    "correction_summary",
    "difference",
    "distinguishing_terms",
    "gold_needed",
    "keyness",
    "marginal_effects",
    "mean_by",
    "over_time",
    "pairwise",
    "prevalence",
    "regress",
    "text_units",
    "tone",
    "vader_nltk_root",
]
