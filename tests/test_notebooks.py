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
