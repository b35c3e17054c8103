"""Structure of the shipped notebooks (their outputs are checked by nbval in `make test`)."""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
EXPECTED = [
    "00_quickstart",
    "01_corpus",
    "02_frames",
    "03_compare",
    "04_language",
    "05_topics",
    "06_validation",
    "07_your_own_corpus",
]
present = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def test_the_numbered_notebooks_exist():
    assert present == EXPECTED


@pytest.mark.parametrize("name", present)
def test_notebook_and_its_py_percent_script_are_in_sync(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    script = jupytext.read(NOTEBOOKS / f"{name}.py")
    pairs = zip(nb.cells, script.cells, strict=True)
    for a, b in pairs:
        assert (a.cell_type, a.source.strip()) == (b.cell_type, b.source.strip())
    assert "py:percent" in nb.metadata["jupytext"]["formats"]


@pytest.mark.parametrize("name", present)
def test_notebook_follows_the_house_rules(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    cells = nb.cells
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# ")
    params = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "CONFIG" in params[0].source
    assert "provenance.study(" in cells[-1].source
    for cell in cells:
        if cell.cell_type != "code":
            continue
        assert not re.search(r"^\s*(def|class) ", cell.source, re.M), "no def/class in notebooks"
        assert len(cell.source.strip().splitlines()) <= 12, cell.source[:80]
        assert (
            cell.outputs
            or "parameters" in cell.metadata.get("tags", [])
            or cell.source.strip().startswith(("import", "from"))
        ), "committed with outputs"
    for i, cell in enumerate(cells):
        if cell.cell_type == "code" and "save_figure(" in cell.source:
            caption = cells[i + 1]
            assert caption.cell_type == "markdown" and caption.source.startswith("**Figure")


@pytest.mark.parametrize("name", present)
def test_committed_outputs_hold_no_machine_paths_or_errors(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.output_type != "error"
            assert not (out.output_type == "stream" and out.name == "stderr"), out.text[:200]
            text = str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", ""))
            assert not re.search(r"/(work|home|root|tmp)/", text), text[:200]


#: What only the bundled sample has: its columns, group values, outlets, frame ids of its
#: codebook, reference level and dates. Notebook code resolves all of these from the config.
SAMPLE_ONLY = re.compile(
    r"perspective|wire_story|russia_state|china_state|uk_eu|['\"](us|ukraine|other)['\"]"
    r"|Treatment\(['\"]|Herald|Gazette|Dispatch|Telegraph|Ledger|Review|Daily|Agency"
    r"|['\"](ceasefire|negotiations|concessions|security_guarantees|support_fatigue|stalemate"
    r"|escalation|eu_accession|civil_military|humanitarian)['\"]|['\"]20\d\d-\d\d",
)


@pytest.mark.parametrize("name", present)
def test_notebook_code_names_nothing_of_the_sample_gh15(name):
    """No code line names a column, group, outlet, frame, reference level or date of the sample."""
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    offending = [
        line
        for cell in nb.cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if SAMPLE_ONLY.search(line.split("#")[0])
    ]
    assert offending == []


def test_sample_names_check_catches_the_old_notebook_lines_gh15():
    for line in [
        'corpus[["doc_id", "date", "outlet", "perspective", "title"]].head()',
        'coefs = fl.regress(codes, "concessions", "~ C(group, Treatment(\'us\')) + log_tokens")',
        'fatigue = coded.codes[coded.codes["frame"] == "support_fatigue"]',
        'event = "2023-11-02"',
    ]:
        assert SAMPLE_ONLY.search(line), line
    assert not SAMPLE_ONLY.search("frame = study.frames(cfg, coded.codes, n=1)[0]")
