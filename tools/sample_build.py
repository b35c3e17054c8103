"""Deterministic assembler of the synthetic sample corpus (``framelab build-sample``).

A maintainer tool: it lives in ``tools/`` of a framelab checkout and is not part of the installed
package; ``framelab build-sample`` (``make sample``) loads it from the checkout.

Reads the paragraph bank (``data/sample/bank/*.yml``, written for framelab) and writes, byte for
byte the same on every run:

* ``corpus.csv`` - the reports (Corpus columns + ``perspective`` + ``wire_story``);
* ``gold_paragraphs.csv`` / ``gold_documents.csv`` - gold frame labels (0/1 per frame);
* ``coder2_paragraphs.csv`` - a simulated second coder for ~150 paragraphs.

Every planted parameter is a constant in this module and is written to ``ANSWER_KEY.md`` by
:func:`answer_key`; the tests read the same constants.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from framelab.datasets import FRAMES

SEED = 20231101
START, END = dt.date(2023, 9, 1), dt.date(2024, 3, 31)
#: fictional "event": a commander's published assessment of the war (used for before/after)
EVENT_DATE = dt.date(2023, 11, 2)
EVENT_WINDOW_DAYS = 42
FATIGUE_BREAK = dt.date(2023, 11, 1)


@dataclass(frozen=True)
class Outlet:
    name: str
    slug: str
    perspective: str
    country: str
    language: str
    n_reports: int


#: All outlets are fictional; URLs use the reserved ``.example`` domain.
OUTLETS = (
    Outlet("Harbor Ledger", "harbor-ledger", "us", "US", "en", 56),
    Outlet("Prairie Dispatch", "prairie-dispatch", "us", "US", "en", 54),
    Outlet("Kingsbridge Post", "kingsbridge-post", "uk_eu", "GB", "en", 55),
    Outlet("Rhine Gazette", "rhine-gazette", "uk_eu", "DE", "en", 55),
    Outlet("Dnipro Herald", "dnipro-herald", "ukraine", "UA", "en", 56),
    Outlet("Podil Daily", "podil-daily", "ukraine", "UA", "uk", 24),
    Outlet("Northern Star Agency", "northern-star", "russia_state", "RU", "en", 56),
    Outlet("Volga Telegraph", "volga-telegraph", "russia_state", "RU", "ru", 24),
    Outlet("Eastern Horizon Daily", "eastern-horizon", "china_state", "CN", "en", 50),
    Outlet("Bosporus Review", "bosporus-review", "other", "TR", "en", 45),
)

#: Probability that a report of each perspective group carries each frame (before trends/events).
PROPENSITY = {
    #            cf    neg   conc  sec   fat   stale esc   eu    civ
    "us": (0.30, 0.45, 0.15, 0.20, 0.15, 0.30, 0.25, 0.10, 0.08),
    "uk_eu": (0.30, 0.45, 0.15, 0.20, 0.20, 0.30, 0.25, 0.40, 0.08),
    "ukraine": (0.15, 0.30, 0.20, 0.55, 0.20, 0.25, 0.20, 0.35, 0.08),
    "russia_state": (0.25, 0.35, 0.55, 0.10, 0.50, 0.35, 0.25, 0.05, 0.08),
    "china_state": (0.35, 0.60, 0.20, 0.15, 0.15, 0.20, 0.30, 0.05, 0.05),
    "other": (0.35, 0.45, 0.20, 0.15, 0.25, 0.25, 0.25, 0.10, 0.08),
}
#: US support-fatigue propensity from FATIGUE_BREAK on (replaces 0.15).
US_FATIGUE_AFTER = 0.55
#: civil_military propensity in every group during the event window (replaces the base value).
EVENT_CIVIL_MILITARY = 0.40
#: stalemate propensity in every group during the event window (added to the base value).
EVENT_STALEMATE_BOOST = 0.20

#: Planted nulls: equal propensities that an analysis must NOT flag.
NULLS = (("us", "uk_eu", "escalation"), ("us", "uk_eu", "ceasefire"))

VOICES = {
    "us": ("us", "neutral"),
    "uk_eu": ("uk_eu", "neutral"),
    "ukraine": ("ukraine", "neutral"),
    "russia_state": ("russia_state", "neutral"),
    "china_state": ("china_state", "neutral"),
    "other": ("other", "neutral"),
}

#: Syndicated wire stories: (story id, date, outlets reprinting it). The text of each is
#: assembled once, then lightly edited per outlet.
WIRE_STORIES = (
    ("W1", dt.date(2023, 9, 19), ("Harbor Ledger", "Kingsbridge Post", "Bosporus Review")),
    ("W2", dt.date(2023, 10, 24), ("Prairie Dispatch", "Rhine Gazette", "Bosporus Review")),
    ("W3", dt.date(2023, 12, 6), ("Harbor Ledger", "Rhine Gazette", "Dnipro Herald")),
    ("W4", dt.date(2024, 1, 17), ("Prairie Dispatch", "Kingsbridge Post")),
    (
        "W5",
        dt.date(2024, 2, 21),
        ("Harbor Ledger", "Prairie Dispatch", "Kingsbridge Post", "Bosporus Review"),
    ),
)
WIRE_AGENCY = "Meridian Wire"  # fictional
CODER2_N = 150
CODER2_MISS, CODER2_MISS_HARD = 0.08, 0.25
CODER2_FALSE, CODER2_FALSE_HARD = 0.015, 0.06
MAX_SHARED_PARAGRAPHS = 2
MIN_PARAGRAPHS, MAX_PARAGRAPHS = 3, 8
#: probability that a drawn frame gets a second paragraph
SECOND_PARAGRAPH = 0.3

_EDITS = (  # light copy-editing applied to wire reprints
    (" said on ", " said on "),
    (" said ", " told reporters "),
    ("However, ", "But "),
    (" officials ", " government officials "),
    (" on Monday", " on Monday local time"),
)


@dataclass
class Paragraph:
    id: str
    voice: str
    register: str
    language: str
    frames: tuple[str, ...]
    stance: dict
    tags: tuple[str, ...]
    text: str


def read_bank(bank: Path) -> tuple[list[Paragraph], list[dict]]:
    """Read and check the paragraph bank and the headlines."""
    paragraphs: list[Paragraph] = []
    for file in sorted(bank.glob("*.yml")):
        if file.name == "headlines.yml":
            continue
        for rec in yaml.safe_load(file.read_text(encoding="utf-8")):
            frames = tuple(rec.get("frames") or ())
            unknown = set(frames) - set(FRAMES)
            if unknown:
                raise ValueError(f"{file.name}: {rec['id']} has unknown frames {sorted(unknown)}")
            paragraphs.append(
                Paragraph(
                    id=rec["id"],
                    voice=rec["voice"],
                    register=rec.get("register", ""),
                    language=rec.get("language", "en"),
                    frames=frames,
                    stance=dict(rec.get("stance") or {}),
                    tags=tuple(rec.get("tags") or ()),
                    text=" ".join(str(rec["text"]).split()),
                )
            )
    ids = [p.id for p in paragraphs]
    if len(set(ids)) != len(ids):
        raise ValueError("paragraph bank: duplicate ids")
    headlines = yaml.safe_load((bank / "headlines.yml").read_text(encoding="utf-8"))
    return paragraphs, headlines


def propensity(group: str, frame: str, day: dt.date) -> float:
    """The planted probability that a report of ``group`` on ``day`` carries ``frame``."""
    p = PROPENSITY[group][FRAMES.index(frame)]
    if group == "us" and frame == "support_fatigue" and day >= FATIGUE_BREAK:
        p = US_FATIGUE_AFTER
    in_event = EVENT_DATE <= day < EVENT_DATE + dt.timedelta(days=EVENT_WINDOW_DAYS)
    if in_event and frame == "civil_military":
        p = EVENT_CIVIL_MILITARY
    if in_event and frame == "stalemate":
        p = min(1.0, p + EVENT_STALEMATE_BOOST)
    return p


class _Assembler:
    def __init__(self, paragraphs: list[Paragraph], headlines: list[dict], rng: random.Random):
        self.paragraphs = paragraphs
        self.headlines = headlines
        self.rng = rng
        self.used_sets: list[frozenset[str]] = []
        self.overlap_failures = 0

    def pool(self, outlet: Outlet) -> list[Paragraph]:
        voices = VOICES[outlet.perspective]
        return [p for p in self.paragraphs if p.language == outlet.language and p.voice in voices]

    def _excess(self, chosen: list[Paragraph]) -> int:
        """How far the report breaks the overlap rule: at most MAX_SHARED_PARAGRAPHS shared with
        any earlier report, and at most a third of the shorter one (so that only the planted
        wire copies are near duplicates). 0 = fine."""
        ids = frozenset(p.id for p in chosen)
        return sum(
            max(
                0,
                len(ids & other)
                - min(MAX_SHARED_PARAGRAPHS, max(1, min(len(ids), len(other)) // 3)),
            )
            for other in self.used_sets
        )

    def report(self, outlet: Outlet, day: dt.date) -> list[Paragraph]:
        pool = self.pool(outlet)
        best: tuple[int, list[Paragraph]] | None = None
        # small (Cyrillic) pools may leave no report that keeps the overlap rule for a drawn
        # frame set; then the frames are drawn again (at most 5 times)
        for _draw in range(5):
            best = self._draw(pool, outlet, day, best)
            if best[0] == 0:
                break
        else:
            self.overlap_failures += 1
        chosen = best[1]
        self.used_sets.append(frozenset(p.id for p in chosen))
        return chosen

    def _draw(self, pool, outlet, day, best):
        rng = self.rng
        targets = [f for f in FRAMES if rng.random() < propensity(outlet.perspective, f, day)]
        extra_context = rng.randint(0, 2)
        seconds = {f for f in targets if rng.random() < SECOND_PARAGRAPH}
        for _attempt in range(200):
            chosen: list[Paragraph] = []
            covered: dict[str, int] = {}
            for frame in targets:
                want = 2 if frame in seconds else 1
                while covered.get(frame, 0) < want:
                    cands = [
                        p
                        for p in pool
                        if frame in p.frames and set(p.frames) <= set(targets) and p not in chosen
                    ]
                    if not cands:
                        break
                    pick = rng.choice(cands)
                    chosen.append(pick)
                    for f in pick.frames:
                        covered[f] = covered.get(f, 0) + 1
            chosen = chosen[:MAX_PARAGRAPHS]
            context = [p for p in pool if not p.frames and p not in chosen]
            n_context = min(
                MAX_PARAGRAPHS - len(chosen), max(0, MIN_PARAGRAPHS - len(chosen)) + extra_context
            )
            for _ in range(min(n_context, len(context))):
                pick = rng.choice(context)
                context.remove(pick)
                chosen.insert(rng.randint(1, len(chosen)) if chosen else 0, pick)
            # small (Cyrillic) pools can run out of context paragraphs: fill with more
            # paragraphs of the drawn frames, and as a last resort with any paragraph (its
            # frames then join the report's gold labels)
            for allow_other in (False, True):
                filler = [
                    p
                    for p in pool
                    if p not in chosen
                    and p.frames
                    and (allow_other or set(p.frames) <= set(targets))
                ]
                while len(chosen) < MIN_PARAGRAPHS and filler:
                    pick = rng.choice(filler)
                    filler.remove(pick)
                    chosen.append(pick)
            excess = self._excess(chosen)
            if best is None or excess < best[0]:
                best = (excess, chosen)
            if excess == 0:
                break
        return best

    def headline(self, outlet: Outlet, chosen: list[Paragraph]) -> str:
        frames = [f for p in chosen for f in p.frames]
        voices = VOICES[outlet.perspective]
        lead = frames[0] if frames else None
        cands = [
            h for h in self.headlines if h["voice"] in voices and lead in (h.get("frames") or [])
        ]
        if not cands:
            cands = [h for h in self.headlines if lead in (h.get("frames") or [])]
        if not cands:
            cands = [h for h in self.headlines if not h.get("frames")]
        return str(self.rng.choice(cands)["text"]).strip()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _dates(rng: random.Random, n: int) -> list[dt.date]:
    span = (END - START).days
    return sorted(START + dt.timedelta(days=rng.randrange(span + 1)) for _ in range(n))


def _edit(text: str, rng: random.Random) -> str:
    for old, new in _EDITS:
        if old in text and rng.random() < 0.5:
            text = text.replace(old, new, 1)
    return text


def assemble(bank: Path) -> dict[str, list[dict]]:
    """Build all rows of the sample files (deterministic for a given bank)."""
    paragraphs, headlines = read_bank(bank)
    rng = random.Random(SEED)
    asm = _Assembler(paragraphs, headlines, rng)
    reports: list[dict] = []

    outlets = {o.name: o for o in OUTLETS}
    wire_counts = {o.name: 0 for o in OUTLETS}
    for _sid, _day, names in WIRE_STORIES:
        for name in names:
            wire_counts[name] += 1

    for outlet in OUTLETS:
        for day in _dates(rng, outlet.n_reports - wire_counts[outlet.name]):
            chosen = asm.report(outlet, day)
            reports.append(
                {
                    "outlet": outlet,
                    "date": day,
                    "paras": chosen,
                    "title": asm.headline(outlet, chosen),
                    "wire_story": "",
                    "texts": [p.text for p in chosen],
                }
            )

    neutral_en = Outlet(WIRE_AGENCY, "meridian-wire", "other", "", "en", 0)
    for sid, day, names in WIRE_STORIES:
        pool = [p for p in asm.pool(neutral_en) if p.voice == "neutral"]
        asm_neutral = _Assembler(pool, headlines, rng)
        asm_neutral.used_sets = asm.used_sets
        base = asm_neutral.report(Outlet(WIRE_AGENCY, "", "us", "", "en", 0), day)
        base_title = asm.headline(neutral_en, base)
        dateline = rng.choice(["GENEVA", "BRUSSELS", "WASHINGTON", "ANKARA", "VIENNA"])
        for k, name in enumerate(names):
            outlet = outlets[name]
            paras = list(base)
            texts = [_edit(p.text, rng) for p in paras]
            if k > 0 and len(paras) > 4 and rng.random() < 0.5:  # one reprint trims the end
                paras, texts = paras[:-1], texts[:-1]
            texts[0] = f"{dateline} ({WIRE_AGENCY}) - {texts[0]}"
            reprint_day = day + dt.timedelta(days=rng.randint(0, 1))
            title = base_title if k == 0 else _edit(base_title, rng)
            reports.append(
                {
                    "outlet": outlet,
                    "date": reprint_day,
                    "paras": paras,
                    "title": title,
                    "wire_story": sid,
                    "texts": texts,
                }
            )

    reports.sort(key=lambda r: (r["date"], r["outlet"].name, r["title"], r["texts"][0]))
    corpus, gold_p, gold_d = [], [], []
    for i, rep in enumerate(reports, start=1):
        outlet, day = rep["outlet"], rep["date"]
        doc_id = f"S{i:04d}"
        corpus.append(
            {
                "doc_id": doc_id,
                "date": day.isoformat(),
                "outlet": outlet.name,
                "country": outlet.country,
                "language": outlet.language,
                "perspective": outlet.perspective,
                "title": rep["title"],
                "url": f"https://{outlet.slug}.example/{day:%Y/%m/%d}/{_slug(rep['title'])}-{i}",
                "wire_story": rep["wire_story"],
                "text": "\n\n".join(rep["texts"]),
            }
        )
        doc_frames = set()
        for k, para in enumerate(rep["paras"]):
            doc_frames.update(para.frames)
            gold_p.append(
                {
                    "doc_id": doc_id,
                    "unit_id": f"{doc_id}-p{k}",
                    "paragraph": k,
                    "bank_id": para.id,
                    **{f: int(f in para.frames) for f in FRAMES},
                    "stance": ";".join(f"{f}:{s}" for f, s in sorted(para.stance.items())),
                    "tags": ";".join(para.tags),
                }
            )
        gold_d.append(
            {"doc_id": doc_id, "unit_id": doc_id, **{f: int(f in doc_frames) for f in FRAMES}}
        )
    coder2 = _second_coder(gold_p, {p.id: p for p in paragraphs}, random.Random(SEED + 2))
    return {
        "corpus": corpus,
        "gold_paragraphs": gold_p,
        "gold_documents": gold_d,
        "coder2_paragraphs": coder2,
    }


def _second_coder(gold_p: list[dict], bank: dict[str, Paragraph], rng: random.Random) -> list[dict]:
    """Simulated second coder: misses and false alarms, more of both on tagged hard cases."""
    hard = [r for r in gold_p if r["tags"]]
    easy = [r for r in gold_p if not r["tags"]]
    sample = rng.sample(hard, min(len(hard), CODER2_N // 3))
    sample += rng.sample(easy, CODER2_N - len(sample))
    sample.sort(key=lambda r: r["unit_id"])
    out = []
    for row in sample:
        is_hard = bool(row["tags"])
        coded = {}
        for f in FRAMES:
            if row[f]:
                coded[f] = int(rng.random() >= (CODER2_MISS_HARD if is_hard else CODER2_MISS))
            else:
                coded[f] = int(rng.random() < (CODER2_FALSE_HARD if is_hard else CODER2_FALSE))
        out.append(
            {
                "doc_id": row["doc_id"],
                "unit_id": row["unit_id"],
                "paragraph": row["paragraph"],
                "bank_id": row["bank_id"],
                "coder": "coder2",
                **coded,
            }
        )
    return out


def _csv_bytes(rows: list[dict]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def build_sample(bank: Path, out: Path) -> list[Path]:
    """Write the sample files into ``out``; return their paths."""
    from framelab._files import ensure_writable

    tables = assemble(bank)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        path = ensure_writable(out / f"{name}.csv")
        path.write_bytes(_csv_bytes(rows))
        written.append(path)
    key = ensure_writable(out / "ANSWER_KEY.md")
    key.write_text(answer_key(tables), encoding="utf-8")
    written.append(key)
    return written


def answer_key(tables: dict[str, list[dict]]) -> str:
    """The planted parameters, and what the gold labels show for each, as Markdown."""
    lines = [
        "# Answer key of the synthetic sample corpus",
        "",
        "Generated by `framelab build-sample` from the constants in",
        "`tools/sample_build.py`; do not edit by hand. **All text is synthetic; every outlet",
        "is fictional.**",
        "",
        f"Seed {SEED}; {len(tables['corpus'])} reports dated {START} to {END}; "
        f"{len(tables['gold_paragraphs'])} paragraphs.",
        "",
        "## Planted frame propensities",
        "",
        "Probability that a report of a perspective group carries each frame (gold, document level).",
        "A report's gold labels are exactly the frames of its paragraphs, and paragraphs are chosen so",
        "that they carry no frame outside the report's drawn set.",
        "",
        "| group | " + " | ".join(FRAMES) + " |",
        "|---|" + "---|" * len(FRAMES),
    ]
    for group, probs in PROPENSITY.items():
        lines.append(f"| {group} | " + " | ".join(f"{p:.2f}" for p in probs) + " |")
    lines += [
        "",
        "Language-specific outlets (Podil Daily, Ukrainian; Volga Telegraph, Russian) draw from a",
        "smaller Cyrillic bank; a drawn frame with no suitable paragraph there is left out, so their",
        "realised shares can fall below the table.",
        "",
        "## Planted differences (what an analysis should find)",
        "",
        f"1. **Support fatigue rises in US outlets** from {FATIGUE_BREAK}: "
        f"{PROPENSITY['us'][4]:.2f} before, {US_FATIGUE_AFTER:.2f} after.",
        "2. **Russian state-aligned outlets emphasise concessions** (0.55 vs 0.15 in US and UK/EU) "
        "**and Western support fatigue** (0.50 vs 0.20 in UK/EU).",
        "3. **Ukrainian outlets emphasise security guarantees** (0.55 vs at most 0.20 elsewhere) and "
        "their concession paragraphs mostly reject concessions (stance `reject`).",
        "4. **UK/EU outlets emphasise EU accession** (0.40 vs 0.10 in US outlets; Ukrainian 0.35).",
        "5. **Chinese state-aligned outlets emphasise negotiations** (0.60, the highest).",
        f"6. **Event**: a fictional commander's published assessment on {EVENT_DATE}. For "
        f"{EVENT_WINDOW_DAYS} days from it, civil_military is {EVENT_CIVIL_MILITARY:.2f} in every "
        f"group (base 0.05-0.08) and stalemate is {EVENT_STALEMATE_BOOST:+.2f} higher.",
        "",
        "## Planted nulls (must not be flagged)",
        "",
    ]
    for a, b, frame in NULLS:
        p = PROPENSITY[a][FRAMES.index(frame)]
        lines.append(f"- `{a}` vs `{b}` on `{frame}`: both {p:.2f}.")
    lines += [
        "",
        "## Syndicated wire copy (near duplicates)",
        "",
        f"{len(WIRE_STORIES)} stories of the fictional agency {WIRE_AGENCY} are reprinted, lightly "
        "edited (dateline, a few words, sometimes the last paragraph dropped), by several outlets. "
        "Column `wire_story` names the story; any other two reports share at most "
        f"{MAX_SHARED_PARAGRAPHS} paragraphs, and at most a third of the shorter one.",
        "",
        "| story | date | reprinted by |",
        "|---|---|---|",
    ]
    for sid, day, names in WIRE_STORIES:
        lines.append(f"| {sid} | {day} | {', '.join(names)} |")
    lines += [
        "",
        "## Realised gold shares (document level)",
        "",
        "| group | n | " + " | ".join(FRAMES) + " |",
        "|---|---|" + "---|" * len(FRAMES),
    ]
    persp = {r["doc_id"]: r["perspective"] for r in tables["corpus"]}
    for group in PROPENSITY:
        rows = [r for r in tables["gold_documents"] if persp[r["doc_id"]] == group]
        shares = [sum(r[f] for r in rows) / len(rows) for f in FRAMES]
        lines.append(f"| {group} | {len(rows)} | " + " | ".join(f"{s:.2f}" for s in shares) + " |")
    lines += [
        "",
        "## Simulated second coder",
        "",
        f"`coder2_paragraphs.csv` codes {CODER2_N} paragraphs (a third of them tagged hard cases). "
        f"For each frame it misses a true label with probability {CODER2_MISS} "
        f"({CODER2_MISS_HARD} on hard cases) and adds a false one with probability "
        f"{CODER2_FALSE} ({CODER2_FALSE_HARD} on hard cases). It is simulated, not a human coder.",
        "",
    ]
    return "\n".join(lines)
