"""Shared helpers of the framelab.validate tests (moved from tests/test_validate.py)."""

from __future__ import annotations

import pandas as pd

TINY_CORPUS = pd.DataFrame(
    {
        "doc_id": ["d1", "d2", "d3"],
        "text": ["A truce was agreed.\n\nTalks resume.", "Aid fatigue grows.", "=SUM(A1) is text"],
        "outlet": ["X", "Y", "X"],
        "title": ["t1", "t2", "t3"],
        "url": ["u1", "u2", "u3"],
        "source_file": ["f", "f", "f"],
        "perspective": ["us", "uk_eu", "us"],
    }
)


# Known-answer table for accuracy (worked out by hand, see test_accuracy_known_answers).
GOLD_TINY = pd.DataFrame(
    {
        "unit_id": [f"u{i}" for i in range(6)] * 2,
        "frame": ["x"] * 6 + ["y"] * 6,
        "present": [1, 1, 1, 0, 0, 0] + [1, 0, 0, 0, 0, 0],
    }
)


CODES_TINY = GOLD_TINY.assign(present=[1, 1, 0, 1, 0, 0] + [0, 0, 0, 0, 0, 0])


# A crude stand-in dictionary for the sample (until the coding engine is wired into these tests).
STAND_IN = {
    "ceasefire": r"ceasefire|cease-fire|truce|armistice",
    "negotiations": r"talks|negotiat|envoy|mediat",
    "concessions": r"concession|cede|territor",
    "security_guarantees": r"guarantee|assurance|article 5",
    "support_fatigue": r"fatigue|funding|aid package",
    "stalemate": r"stalemate|deadlock|attrition",
    "escalation": r"escalat|nuclear|spillover",
    "eu_accession": r"accession|candidate status|membership talks",
    "civil_military": r"commander|general staff",
}
