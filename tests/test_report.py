"""The HTML report: built from the notebooks, checked in a real browser (headless Chromium)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import textwrap
from pathlib import Path

import pytest

from framelab.report import _longest_first, build_report, find_notebooks

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "study.yml"
    path.write_text(
        textwrap.dedent("""\
        study: {name: e2e, title: "framelab report (test)"}
        seed: 20231101
        corpus: {path: sample}
        compare: {cluster: null}
        output: {dir: reports}
        """),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def exported_report(tmp_path_factory):
    """The report built from the committed notebooks (nbval checks that they reproduce)."""
    tmp = tmp_path_factory.mktemp("report")
    figures = tmp / "reports" / "figures"
    figures.mkdir(parents=True)
    # the committed notebooks already hold their figures; give the index a few PNGs to show
    import matplotlib.pyplot as plt

    for name in ("00-frame-heatmap", "03-prevalence"):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1])
        fig.savefig(figures / f"{name}.png")
        fig.savefig(figures / f"{name}.svg")
        plt.close(fig)
    return build_report(_config(tmp), notebooks=NOTEBOOKS, execute=False, workers=2)


def test_report_index_links_every_notebook(exported_report):
    index = exported_report.read_text(encoding="utf-8")
    names = [p.stem for p in find_notebooks(NOTEBOOKS)]
    for name in names:
        assert f'href="{name}.html"' in index
        assert (exported_report.parent / f"{name}.html").is_file()
    assert "synthetic" in index
    meta = json.loads((exported_report.parent / "report.json").read_text(encoding="utf-8"))
    assert [n["name"] for n in meta["notebooks"]] == names and meta["executed"] is False


def test_report_refuses_missing_notebooks(tmp_path):
    with pytest.raises(FileNotFoundError, match="no numbered notebooks"):
        build_report(_config(tmp_path), notebooks=tmp_path, execute=False)


def test_report_executes_notebooks_with_the_injected_config(tmp_path):
    """papermill runs the notebook with CONFIG set to the given config."""
    src = tmp_path / "nbs"
    src.mkdir()
    shutil.copy(NOTEBOOKS / "01_corpus.ipynb", src / "01_corpus.ipynb")
    index = build_report(_config(tmp_path), notebooks=src, execute=True, workers=1)
    executed = (index.parent / "notebooks" / "01_corpus.ipynb").read_text(encoding="utf-8")
    assert "CONFIG = " in executed and "study.yml" in executed
    assert (index.parent / "figures" / "01-months.png").is_file()
    assert (index.parent / "figures" / "01-months.svg").is_file()


def _timed_notebook(folder: Path, name: str, seconds: float) -> Path:
    """A one-cell notebook whose cell took ``seconds`` when executed (nbclient's metadata)."""
    import nbformat

    start = dt.datetime(2026, 1, 5, 10, 0, 0)
    timing = {
        "iopub.execute_input": start.isoformat() + "Z",
        "shell.execute_reply": (start + dt.timedelta(seconds=seconds)).isoformat() + "Z",
    }
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {name}"),
        nbformat.v4.new_code_cell("1 + 1", metadata={"execution": timing}),
    ]
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def test_report_schedules_the_slowest_notebooks_first(tmp_path):
    folder = tmp_path / "nbs"
    folder.mkdir()
    paths = [
        _timed_notebook(folder, name, seconds)
        for name, seconds in [("00_a", 1.0), ("01_b", 5.0), ("02_c", 3.0), ("03_d", 3.0)]
    ]
    out = tmp_path / "out"
    out.mkdir()
    # no previous report: the times recorded in the notebooks (ties keep the numbered order)
    assert [p.stem for p in _longest_first(paths, out)] == ["01_b", "02_c", "03_d", "00_a"]
    # a previous executed report in the output folder wins
    previous = {"executed": True, "notebooks": [{"name": "00_a", "seconds": 9.0}]}
    (out / "report.json").write_text(json.dumps(previous), encoding="utf-8")
    assert [p.stem for p in _longest_first(paths, out)] == ["00_a", "01_b", "02_c", "03_d"]
    # an export-only report has no timings worth using; a broken one is ignored
    (out / "report.json").write_text(json.dumps({**previous, "executed": False}))
    assert [p.stem for p in _longest_first(paths, out)] == ["01_b", "02_c", "03_d", "00_a"]
    (out / "report.json").write_text("{broken")
    assert [p.stem for p in _longest_first(paths, out)] == ["01_b", "02_c", "03_d", "00_a"]


def test_report_runs_longest_first_but_lists_notebooks_in_numbered_order(tmp_path):
    folder = tmp_path / "nbs"
    folder.mkdir()
    for name, seconds in [("00_a", 0.5), ("01_b", 0.1), ("02_c", 7.0)]:
        _timed_notebook(folder, name, seconds)
    index = build_report(_config(tmp_path), notebooks=folder, execute=False, workers=1)
    written = sorted(index.parent.glob("0*.html"), key=lambda p: p.stat().st_mtime_ns)
    assert [p.stem for p in written] == ["02_c", "00_a", "01_b"]  # one worker: run order
    meta = json.loads((index.parent / "report.json").read_text(encoding="utf-8"))
    assert [n["name"] for n in meta["notebooks"]] == ["00_a", "01_b", "02_c"]
    html = index.read_text(encoding="utf-8")
    assert html.index("00_a.html") < html.index("01_b.html") < html.index("02_c.html")


def test_report_kernels_share_the_cores_for_blas_threads(tmp_path, monkeypatch):
    """Two notebooks at a time: each kernel gets half the cores; a value set by the user stays."""
    import nbformat

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.delenv("MKL_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    folder = tmp_path / "nbs"
    folder.mkdir()
    code = (
        'import os\nprint([os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")])'
    )
    for name in ("00_a", "01_b"):
        nb = nbformat.v4.new_notebook(
            metadata={
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            }
        )
        nb.cells = [
            nbformat.v4.new_code_cell('CONFIG = "x"', metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell(code),
        ]
        nbformat.write(nb, folder / f"{name}.ipynb")
    index = build_report(_config(tmp_path), notebooks=folder, execute=True, workers=2)
    share = str(max(1, (os.cpu_count() or 1) // 2))
    for name in ("00_a", "01_b"):
        executed = nbformat.read(index.parent / "notebooks" / f"{name}.ipynb", as_version=4)
        assert executed.cells[-1].outputs[0]["text"].strip() == str([share, "3"])


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.e2e
def test_report_in_a_real_browser(exported_report):
    chromium = _chromium()
    if chromium is None:
        pytest.skip("Chromium not installed (.ci/run installs the Debian package 'chromium')")
    from playwright.sync_api import sync_playwright

    pages = [exported_report] + [
        exported_report.parent / f"{p.stem}.html" for p in find_notebooks(NOTEBOOKS)
    ]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            for path in pages:
                page = browser.new_page()
                errors: list[str] = []
                page.on(
                    "console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None
                )
                page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
                page.route("http*://**", lambda route: route.abort())  # offline: no CDN fetches
                page.goto(path.as_uri(), wait_until="load")
                images = page.eval_on_selector_all(
                    "img",
                    "els => els.map(e => [e.getAttribute('src') || '', e.complete, "
                    "e.naturalWidth])",
                )
                if path == exported_report:
                    assert images, "the index shows the key figures"
                broken = [src[:60] for src, done, width in images if not done or width == 0]
                assert broken == [], f"{path.name}: images not loaded: {broken}"
                real_errors = [e for e in errors if "ERR_FAILED" not in e]
                assert real_errors == [], f"{path.name}: console errors: {real_errors}"
                if path == exported_report:
                    hrefs = page.eval_on_selector_all("ol a", "els => els.map(e => e.href)")
                    for href in hrefs:
                        assert Path(href.removeprefix("file://")).is_file(), href
                page.close()
        finally:
            browser.close()


def _notebook(folder: Path, name: str, *cells: str) -> Path:
    """A notebook with a CONFIG parameters cell and the given code cells."""
    import nbformat

    nb = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        }
    )
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# Notebook {name}"),
        nbformat.v4.new_code_cell('CONFIG = "x"', metadata={"tags": ["parameters"]}),
        *(nbformat.v4.new_code_cell(c) for c in cells),
    ]
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def test_report_survives_a_failing_notebook_gh15(tmp_path):
    """A failing notebook: the others run, index.html lists the failure, the exit code is 1."""
    from framelab.cli import main
    from framelab.report import ReportError

    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder, "00_fine", 'import os\nprint("tqdm off:", os.environ.get("TQDM_DISABLE"))')
    _notebook(folder, "01_broken", "table = {'camp': 1}\ntable['perspective']", "print('never')")
    stale = tmp_path / "reports" / "figures" / "06-agreement.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"a figure from an earlier run")
    with pytest.raises(ReportError, match=r"1 of 2 notebooks failed:\n  01_broken: KeyError") as e:
        build_report(_config(tmp_path), notebooks=folder, execute=True, workers=1)
    index = e.value.index
    assert index == tmp_path / "reports" / "index.html"
    page = index.read_text(encoding="utf-8")
    assert "Failed notebooks (1 of 2)" in page
    assert "<code>KeyError: &#x27;perspective&#x27;</code>" in page
    assert "<pre>table = {&#x27;camp&#x27;: 1}\ntable[&#x27;perspective&#x27;]</pre>" in page
    assert 'href="00_fine.html"' in page and 'href="01_broken.html"' in page
    assert "Traceback" not in page and "PapermillExecutionError" not in page
    assert not stale.exists()  # each executing run starts with an empty figures folder
    meta = json.loads((index.parent / "report.json").read_text(encoding="utf-8"))
    assert [n["error"] for n in meta["notebooks"]] == [None, "KeyError: 'perspective'"]
    import nbformat

    fine = nbformat.read(index.parent / "notebooks" / "00_fine.ipynb", as_version=4)
    assert fine.cells[-1].outputs[0]["text"] == "tqdm off: 1\n"
    status = main(
        [
            "report",
            "--config",
            str(tmp_path / "study.yml"),
            "--notebooks",
            str(folder),
            "--workers",
            "1",
        ]
    )
    assert status == 1


def test_report_lists_a_notebook_that_cannot_even_start_gh15(tmp_path):
    """A notebook papermill cannot read: listed by name (no page to link), the others still run."""
    from framelab.report import ReportError

    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder, "00_fine", "print(1 + 1)")
    (folder / "01_garbled.ipynb").write_text("{not a notebook", encoding="utf-8")
    with pytest.raises(ReportError, match=r"1 of 2 notebooks failed:\n  01_garbled: ") as e:
        build_report(_config(tmp_path), notebooks=folder, execute=True, workers=1)
    page = e.value.index.read_text(encoding="utf-8")
    assert "<li>01_garbled &middot; <b>failed</b></li>" in page
    assert '<li><a href="00_fine.html">Notebook 00_fine</a></li>' in page
    assert [r.name for r in e.value.failed] == ["01_garbled"] and e.value.failed[0].html is None
