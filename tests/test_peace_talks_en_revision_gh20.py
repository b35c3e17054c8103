"""The fourth-session revision of three English `peace_talks` frames (issue 20).

concessions, security_guarantees and eu_accession were revised on the false hits two readers
found on real war news (docs/codebooks.md, "Fourth session"). Each test codes short
real-style sentences written for the test (no third-party text): one sentence per error type
that the 1.4 lists of the third session counted, and one that must still count. The expected
hits follow from the codebook rules in ``docs/codebook_format.md`` (ambiguous entries need a
context cue in the same paragraph; an exclusion within 8 tokens vetoes a hit).
"""

from __future__ import annotations

import pandas as pd
import pytest

from framelab.codebook import load_codebook
from framelab.coding import code_frames


@pytest.fixture(scope="module")
def peace():
    return load_codebook("peace_talks")


def _hits(cb, frame, *texts):
    """Counted hits of ``frame`` per text, as the matched strings."""
    corpus = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})
    coded = code_frames(corpus, cb)
    hits = coded.hits[(coded.hits["frame"] == frame) & ~coded.hits["out_of_scope"]]
    return [
        [
            coded.texts[d][s:e]
            for d2, s, e in zip(hits["doc_id"], hits["start"], hits["end"], strict=True)
            if d2 == d
        ]
        for d in corpus["doc_id"]
    ]


def test_eu_accession_other_senses_of_accession_and_enlargement_not_counted_gh20(peace):
    got = _hits(
        peace,
        "eu_accession",
        # the occupied regions' "accession" to Russia, in a paragraph that names the EU
        "The EU called the referendums on accession to the Russian Federation in occupied "
        "Kherson a sham.",
        # NATO's enlargement: "enlargement" needs a paragraph that names the EU
        "Russia demanded an end to NATO enlargement, Ukraine's foreign minister said.",
        # past tense: another country that joined the EU
        "Finland joined the EU in 1995, long before Russia invaded Ukraine.",
        # Ukraine's path still counts
        "Kyiv hopes to join the EU once accession talks open in Brussels.",
    )
    assert got == [[], [], [], ["join the EU", "accession talks"]]


def test_concessions_ambiguous_words_need_a_settlement_cue_gh20(peace):
    got = _hits(
        peace,
        "concessions",
        # the nuclear plant's "demilitarisation" (also excluded: IAEA, plant words)
        "The IAEA called for the demilitarisation of the Zaporizhzhia plant in Ukraine.",
        # territory lost on the battlefield: no settlement cue in the paragraph
        "Ukraine ceded control of the town to Russian forces after weeks of shelling.",
        # "compromise" = discredit
        "The security service said Moscow tried to compromise the OSCE mission in Ukraine.",
        # a settlement cue ("peace deal") in the same paragraph: counts
        "Kyiv will not cede territory in any peace deal with Moscow, Zelensky said.",
    )
    assert got == [[], [], [], ["cede"]]


def test_security_guarantees_verbs_other_states_and_russias_own_demands_gh20(peace):
    got = _hits(
        peace,
        "security_guarantees",
        # the verb: bare "guaranteed"/"guarantee" are no longer entries
        "Success in the war is not guaranteed, Ukraine's commander said.",
        "Hungary says its own army can guarantee the security of the country despite the war "
        "in Ukraine.",
        # the guarantees Russia demanded for itself
        "Moscow demanded security guarantees for the Russian Federation before it invaded Ukraine.",
        # another state that joined NATO long ago
        "Poland joined NATO in 1999, long before Russia invaded Ukraine.",
        # Ukraine's guarantees still count
        "Kyiv wants binding security guarantees and NATO membership after the war with Russia.",
    )
    assert got == [[], [], [], [], ["security guarantees", "NATO membership"]]
