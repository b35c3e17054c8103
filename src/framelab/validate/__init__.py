"""Validation against human coding: coding sheets, agreement, accuracy with CIs, a supervised baseline.

"Validate, validate, validate" (Grimmer & Stewart 2013). The workflow:

1. :func:`coding_sheet` draws a (stratified) random sample of documents or paragraphs and writes
   a blind coding sheet (CSV + Excel with the codebook) for human coders.
2. :func:`read_codings` reads the filled sheets back into a long, validated table;
   :func:`as_codings` turns existing labels (e.g. the sample's gold) into the same shape.
3. :func:`agreement` reports Krippendorff's alpha with a bootstrap CI, percent agreement and
   Cohen's kappa per frame (:func:`krippendorff_alpha` for a plain coders x units matrix).
4. :func:`consensus` turns codings into gold labels; :func:`accuracy` scores automated codes
   against them (precision, recall, F1 with bootstrap CIs); :func:`errors` lists the misses.
5. :class:`SupervisedBaseline` (TF-IDF + logistic regression) is the yardstick for the
   dictionary; its ``predict_codes`` returns FrameCodes like the dictionary's.
6. :func:`audit_sheet` / :func:`read_audit`: read a random sample of each frame's hits in
   context for its precision (Wilson CIs) and the entries that produce false hits.
7. :func:`tune_presence` picks each frame's presence rule (``min_count``, ``min_units``) by
   cross-validated F1 on gold labels.
8. :func:`next_to_code` picks the units to hand-code next for a
   :class:`framelab.learn.SupervisedCoder` (uncertainty, disagreement, random share kept);
   :func:`suspect_labels` flags gold labels that cross-validated predictions contradict.
9. :func:`ci_width_by_n` shows how the CI width shrinks with the number of hand-coded units.

Plots live in :mod:`framelab.plots` (:mod:`framelab.plots.validate`).

References
----------
Grimmer, J., & Stewart, B. M. (2013). Text as data. Political Analysis, 21(3), 267-297.
Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability.
"""

from framelab.validate._accuracy import ACCURACY_COLUMNS, ERROR_COLUMNS, accuracy, errors
from framelab.validate._active import (
    DESIGN_COLUMNS,
    STRATEGIES,
    SUSPECT_COLUMNS,
    next_to_code,
    suspect_labels,
)
from framelab.validate._agreement import (
    AGREEMENT_COLUMNS,
    METRICS,
    agreement,
    krippendorff_alpha,
)
from framelab.validate._audit import AUDIT_COLUMNS, AUDIT_SHEET_COLUMNS, audit_sheet, read_audit
from framelab.validate._baseline import FRAME_CODES_COLUMNS, SupervisedBaseline
from framelab.validate._common import LEVELS, coding_units
from framelab.validate._guidance import CI_WIDTH_COLUMNS, ci_width_by_n
from framelab.validate._presence import TUNE_COLUMNS, tune_presence
from framelab.validate._sheets import (
    CODINGS_COLUMNS,
    as_codings,
    coding_sheet,
    consensus,
    read_codings,
)

__all__ = [
    "ACCURACY_COLUMNS",
    "AGREEMENT_COLUMNS",
    "AUDIT_COLUMNS",
    "AUDIT_SHEET_COLUMNS",
    "CI_WIDTH_COLUMNS",
    "CODINGS_COLUMNS",
    "DESIGN_COLUMNS",
    "ERROR_COLUMNS",
    "FRAME_CODES_COLUMNS",
    "LEVELS",
    "METRICS",
    "STRATEGIES",
    "SUSPECT_COLUMNS",
    "SupervisedBaseline",
    "TUNE_COLUMNS",
    "accuracy",
    "agreement",
    "as_codings",
    "audit_sheet",
    "ci_width_by_n",
    "coding_sheet",
    "coding_units",
    "consensus",
    "errors",
    "krippendorff_alpha",
    "next_to_code",
    "read_audit",
    "read_codings",
    "suspect_labels",
    "tune_presence",
]
