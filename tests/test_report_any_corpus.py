"""End to end: the report of a corpus shaped unlike the sample, driven by its config alone (gh15).

The corpus has its own column names, two text columns (joined as paragraphs), a group column
``camp`` with its own values, monthly periods, no events, no gold codes, duplicate ids (suffixed)
and web boilerplate lines (removed by the ``web`` clean preset). ``framelab report --config``
runs the repository's notebooks on it.
"""

from __future__ import annotations

import json
import random
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from framelab.cli import main

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

#: Words that belong to the bundled sample only: none may reach another corpus's report.
SAMPLE_WORDS = [
    "synthetic",
    "perspective",
    "wire_story",
    "russia_state",
    "china_state",
    "uk_eu",
    "Northern Star Agency",
    "Prairie Dispatch",
    "Volga Telegraph",
    "Dnipro Herald",
    "Bosporus Review",
    "Kingsbridge Post",
    "Harbor Ledger",
    "Eastern Horizon Daily",
    "Rhine Gazette",
    "Podil Daily",
]

SENTENCES = {
    "ceasefire": "Both sides said a ceasefire along the river could hold through the winter.",
    "negotiations": "Envoys met for peace talks, and mediation by a neutral capital continued.",
    "stalemate": "Commanders described a stalemate, a war of attrition with no breakthrough.",
    "escalation": "Analysts warned of escalation and of a wider regional war.",
    "support_fatigue": "Donors spoke of war fatigue as the aid package stalled in parliament.",
    None: "Local officials in Kyiv opened a new bridge and a school on Monday.",
}
#: Share of each camp's reports that carry each frame: the camps differ, as real camps do.
LEANINGS = {
    "westerly": {"ceasefire": 0.3, "negotiations": 0.6, "stalemate": 0.5, "escalation": 0.2},
    "easterly": {"ceasefire": 0.6, "negotiations": 0.4, "stalemate": 0.2, "escalation": 0.5},
    "nonaligned": {"ceasefire": 0.5, "negotiations": 0.7, "stalemate": 0.3, "support_fatigue": 0.4},
}
OUTLETS = {
    "westerly": ["alpha.example", "beta.example"],
    "easterly": ["gamma.example", "delta.example"],
    "nonaligned": ["epsilon.example"],
}
BOILERPLATE = ["Story continues below advertisement", "Click here to read our live blog."]


def _corpus(n_per_camp: int = 24) -> pd.DataFrame:
    rng = random.Random(17)
    rows = []
    for camp, leaning in LEANINGS.items():
        for i in range(n_per_camp):
            frames = [f for f, p in leaning.items() if rng.random() < p]
            lede = [SENTENCES[f] for f in frames] + [SENTENCES[None]]
            if i % 4 == 0:
                lede.insert(1, BOILERPLATE[i % 8 // 4])
            rows.append(
                {
                    "uid": f"{camp[:2]}{i:03d}",
                    "headline": f"Report {i} on the front and the talks",
                    "lede": "\n\n".join(lede),  # paragraphs: no 40-token fallback warning
                    "published": f"2024-{1 + i % 6:02d}-{1 + i % 27:02d}",
                    "site": OUTLETS[camp][i % len(OUTLETS[camp])],
                    "camp": camp,
                }
            )
    table = pd.DataFrame(rows)
    table.loc[1, "uid"] = table.loc[0, "uid"]  # a duplicate id, as scraped corpora have
    table.loc[5, "headline"] = ""  # an empty part is skipped, the row is kept
    return table


def _files(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def any_corpus_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("any_corpus")
    (root / "data" / "raw").mkdir(parents=True)
    _corpus().to_csv(root / "data" / "raw" / "news.csv", index=False)
    (root / "my_study.yml").write_text(
        textwrap.dedent("""\
        study: {name: camps, title: "Framing by camp"}
        seed: 3
        corpus:
          path: data/raw/news.csv
          columns: {doc_id: uid, text: [headline, lede], date: published, outlet: site,
                    language: detect}
          on_duplicate_ids: suffix
          clean: [web]
        codebook: peace_talks
        coding: {level: paragraph}
        compare: {group: camp, cluster: null, n_boot: 200}
        time: {freq: M, events: []}
        topics: {backend: tfidf-svd, preset: fast, n_topics: 3}
        validation: {gold: null, level: paragraph, n_boot: 200}
        output: {dir: reports}
        """),
        encoding="utf-8",
    )
    before, notebooks_before = _files(root), _files(NOTEBOOKS)
    status = main(["report", "--config", str(root / "my_study.yml"), "--notebooks",
                   str(NOTEBOOKS), "--workers", "2"])  # fmt: skip
    return root, status, before, notebooks_before


def test_report_of_any_corpus_runs_every_notebook_gh15(any_corpus_report):
    root, status, _, _ = any_corpus_report
    meta = json.loads((root / "reports" / "report.json").read_text(encoding="utf-8"))
    assert [(n["name"], n["error"]) for n in meta["notebooks"]] == [
        (p.stem, None) for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    ]
    assert status == 0
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Failed notebooks" not in index
    # no table came out empty for lack of a column the sample has (e.g. language), and nothing
    # went to stderr (progress bars, warnings), which report pages show in alarming pink boxes
    import nbformat

    for page in sorted((root / "reports" / "notebooks").glob("*.ipynb")):
        assert "Empty DataFrame" not in page.read_text(encoding="utf-8"), page.name
        outputs = [o for c in nbformat.read(page, as_version=4).cells for o in c.get("outputs", [])]
        stderr = [o.text[:80] for o in outputs if o.output_type == "stream" and o.name == "stderr"]
        assert stderr == [], page.name


def test_report_of_any_corpus_never_mentions_the_sample_gh15(any_corpus_report):
    root = any_corpus_report[0]
    pages = sorted((root / "reports").glob("*.html")) + sorted(
        (root / "reports" / "notebooks").glob("*.ipynb")
    )
    assert len(pages) == 1 + 2 * 8
    for page in pages:
        text = page.read_text(encoding="utf-8").lower()
        found = [w for w in SAMPLE_WORDS if w.lower() in text]
        assert found == [], f"{page.name} mentions {found}"


def test_report_of_any_corpus_writes_only_output_and_processed_gh15(any_corpus_report):
    root, _, before, notebooks_before = any_corpus_report
    new = _files(root) - before
    outside = sorted(
        str(p) for p in new if p.parts[0] != "reports" and p.parts[:2] != ("data", "processed")
    )
    assert outside == []
    assert Path("data/processed/coding/sheet.csv") in new  # notebook 06: the sheet to code next
    assert _files(NOTEBOOKS) == notebooks_before


def test_report_of_any_corpus_titles_follow_the_config_gh15(any_corpus_report):
    root = any_corpus_report[0]
    figures = root / "reports" / "figures"

    def titles(stem: str) -> list[str]:
        return json.loads((figures / f"{stem}.json").read_text(encoding="utf-8"))["titles"]

    assert titles("03-prevalence") == ["Frame prevalence by camp (95% bootstrap CI)"]
    # time.frames: null -> the two frames present in the most reports (pandas, independently)
    import framelab as fl

    cfg = fl.load_config(root / "my_study.yml")
    corpus = cfg.load_corpus()
    assert len(corpus) == 72 and {"we000", "we000~2"} <= set(corpus["doc_id"])  # suffixed id
    assert not corpus["text"].str.contains("continues below|Click here").any()  # clean: [web]
    codes = fl.code_frames(corpus, cfg.load_codebook(), level="document").codes
    top = codes.groupby("frame")["present"].mean().sort_values(ascending=False, kind="stable")
    assert top.iloc[1] > top.iloc[2]  # no tie decides the choice
    expected = f"{top.index[0]}, {top.index[1]}: monthly share of reports"
    assert titles("03-over-time") == [expected]
    assert titles("05-topics-over-time") == ["Topic shares, monthly"]
    assert titles("00-frame-heatmap") == ["Share of reports carrying each frame, by camp"]
    # no gold codes: the coding sheet instead of agreement and accuracy figures
    assert not (figures / "06-accuracy.png").exists()
    assert not (figures / "06-agreement.png").exists()
    sheet = pd.read_csv(root / "data" / "processed" / "coding" / "sheet.csv")
    assert sheet["unit_id"].str.match(r"^[a-z]{2}\d{3}(~2)?-p\d+$").all()
