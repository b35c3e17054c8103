"""How :func:`framelab.coding.explain` shows a document: its hits highlighted by frame
(private; the public names live in :mod:`framelab.coding`)."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

_PALETTE = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#999999",
    "#000000",
)


@dataclass
class Explanation:
    """A document with highlighted hits: HTML in a notebook, bracketed text in a terminal."""

    doc_id: str
    text: str
    hits: pd.DataFrame
    frames: tuple[str, ...]

    def _segments(self):
        pos = 0
        ordered = self.hits.sort_values(["start", "end"], kind="mergesort")
        for start, end, group in _merge_spans(ordered):
            if start < pos:
                continue
            yield self.text[pos:start], None
            yield self.text[start:end], group
            pos = end
        yield self.text[pos:], None

    def __str__(self) -> str:
        parts = []
        for seg, group in self._segments():
            if group is None:
                parts.append(seg)
            else:
                labels = ",".join(f"{f}{'(neg)' if n else ''}" for f, n in group)
                parts.append(f"[[{seg}|{labels}]]")
        return f"{self.doc_id}: " + "".join(parts)

    def _repr_html_(self) -> str:
        colours = {f: _PALETTE[i % len(_PALETTE)] for i, f in enumerate(self.frames)}
        parts = []
        for seg, group in self._segments():
            text = html.escape(seg).replace("\n\n", "<br><br>")
            if group is None:
                parts.append(text)
                continue
            f0, neg = group[0]
            labels = ", ".join(f"{f}{' (negated)' if n else ''}" for f, n in group)
            style = (
                f"background:{colours.get(f0, '#ddd')}55;border-bottom:2px "
                f"{'dashed' if neg else 'solid'} {colours.get(f0, '#999')};"
            )
            parts.append(
                f'<span style="{style}" title="{html.escape(labels)}">{text}'
                f'<sub style="font-size:70%">{html.escape(labels)}</sub></span>'
            )
        legend = " ".join(
            f'<span style="background:{c}55;padding:0 4px">{html.escape(f)}</span>'
            for f, c in colours.items()
        )
        return (
            f"<div><b>{html.escape(self.doc_id)}</b> &middot; {len(self.hits)} hits "
            f"&middot; {legend}<p>{''.join(parts)}</p></div>"
        )

    __repr__ = __str__


def _merge_spans(hits: pd.DataFrame):
    spans: list[list] = []
    for s, e, f, n in zip(hits["start"], hits["end"], hits["frame"], hits["negated"], strict=True):
        if spans and s < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], e)
            spans[-1][2].append((f, bool(n)))
        else:
            spans.append([s, e, [(f, bool(n))]])
    return [(s, e, g) for s, e, g in spans]
