"""A 24-document toy corpus with three obvious themes, for doctests and quick examples."""

from __future__ import annotations

import pandas as pd

__all__ = ["toy_corpus"]

_THEMES = {
    "grain": [
        "Grain exports through the Black Sea resumed as ships left Odesa.",
        "Insurers raised premiums for grain ships in the Black Sea corridor.",
        "The grain corridor carried wheat exports past the Black Sea mines.",
        "Wheat and grain exports rose as Black Sea ports reopened.",
        "Ships loaded grain at Odesa for exports across the Black Sea.",
        "Black Sea shipping of grain exports doubled in the autumn.",
        "Farmers welcomed grain exports by sea after the corridor opened.",
        "A new grain deal would protect exports leaving Black Sea ports.",
    ],
    "ceasefire": [
        "Envoys discussed a ceasefire and a truce along the front line.",
        "A truce on the front line collapsed hours after the ceasefire began.",
        "Commanders said the ceasefire would freeze the front line.",
        "Talks on a ceasefire stalled over monitoring of the truce.",
        "The truce held for a week along most of the front line.",
        "Observers would monitor any ceasefire and truce on the front line.",
        "Both sides accused each other of breaking the ceasefire and truce.",
        "A ceasefire proposal would freeze the front line until talks.",
    ],
    "sanctions": [
        "New sanctions targeted Russian oil and the price cap on crude.",
        "The price cap on Russian oil was tightened with fresh sanctions.",
        "Sanctions on Russian oil exports cut revenue below the price cap.",
        "Tankers evaded sanctions by selling Russian oil above the price cap.",
        "Officials debated sanctions and a lower price cap for Russian oil.",
        "The price cap and sanctions squeezed Russian oil income.",
        "Banks faced sanctions for financing Russian oil above the price cap.",
        "Ministers agreed new sanctions and enforcement of the oil price cap.",
    ],
}


def toy_corpus() -> pd.DataFrame:
    """24 short reports: 8 per theme (grain exports, ceasefire, oil sanctions), 2 outlets,
    2 months; ``doc_id`` d01-d24 in theme order.

    Examples
    --------
    >>> toy = toy_corpus()
    >>> len(toy), toy["outlet"].value_counts().to_dict()
    (24, {'Daily A': 12, 'Daily B': 12})
    """
    rows = []
    k = 0
    for theme, texts in _THEMES.items():
        for i, text in enumerate(texts):
            k += 1
            rows.append(
                {
                    "doc_id": f"d{k:02d}",
                    "text": text,
                    "outlet": "Daily A" if i % 2 == 0 else "Daily B",
                    "date": pd.Timestamp("2024-01-10") + pd.DateOffset(months=i // 4, days=i % 4),
                    "title": f"{theme} {i}",
                    "url": f"https://example.org/{k}",
                    "country": "XX",
                    "language": "en",
                    "source_file": "toy",
                    "theme": theme,
                }
            )
    corpus = pd.DataFrame(rows)
    corpus["date"] = corpus["date"].astype("datetime64[ns]")
    return corpus
