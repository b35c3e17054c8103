"""The HTML report: execute the study notebooks with papermill and export them with nbconvert.

``framelab report --config study.yml`` (and ``make demo``) runs every numbered notebook in
``notebooks/`` with the config injected as the ``CONFIG`` parameter, writes the executed
notebooks and one HTML page per notebook under the config's output folder, and an
``index.html`` that links them and shows the key figures (which the notebooks save as PNG and
SVG under ``<output>/figures/``; an executing run empties that folder first, so no figure of an
earlier run is shown).

A notebook that fails does not stop the report: the others still run, ``index.html`` lists the
failure (the exception line and the source of the failing cell) and :func:`build_report` then
raises :class:`ReportError` (``framelab report`` exits with status 1). The kernels run with
``TQDM_DISABLE=1``, so no progress bar lands in the report (in JupyterLab they still show).
"""

from __future__ import annotations

import datetime
import html
import json
import logging
import os
import re
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

__all__ = ["NotebookRun", "ReportError", "build_report", "find_notebooks"]

_CDN_SCRIPT = re.compile(r"<script[^>]*\ssrc=\"https?://[^\"]*\"[^>]*>\s*</script>", re.I)
#: Thread-pool sizes of the BLAS and OpenMP libraries, set for the notebook kernels.
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NotebookRun:
    """What happened to one notebook: its name, title, HTML page and seconds spent.

    ``error`` is ``None`` when the notebook ran; else the exception line
    (``"KeyError: 'camp'"``), and ``cell`` the source of the cell that raised it.

    Examples
    --------
    >>> run = NotebookRun("03_compare", "Compare", None, 1.5, error="KeyError: 'camp'")
    >>> run.name, run.error, run.cell
    ('03_compare', "KeyError: 'camp'", '')
    """

    name: str
    title: str
    html: Path | None
    seconds: float
    error: str | None = None
    cell: str = ""


class ReportError(ValueError):
    """Some notebooks failed; ``index`` is the report written anyway, ``failed`` their runs.

    Examples
    --------
    >>> run = NotebookRun("03_compare", "Compare", None, 1.5, error="KeyError: 'camp'")
    >>> err = ReportError("1 notebook failed", Path("reports/index.html"), [run])
    >>> isinstance(err, ValueError), err.index.name, [r.name for r in err.failed]
    (True, 'index.html', ['03_compare'])
    """

    def __init__(self, message: str, index: Path, failed: list[NotebookRun]):
        super().__init__(message)
        self.index = index
        self.failed = failed


def find_notebooks(folder: str | Path, config: str | Path | None = None) -> list[Path]:
    """The numbered study notebooks (``NN_name.ipynb``) of ``folder``, in order.

    A relative ``folder`` that is not in the working directory is looked up next to
    ``config`` too, so ``framelab report --config project/study.yml`` finds
    ``project/notebooks`` from any directory.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("02_frames.ipynb", "00_quickstart.ipynb", "notes.ipynb"):
    ...     _ = (folder / name).write_text("{}")
    >>> [p.name for p in find_notebooks(folder)]
    ['00_quickstart.ipynb', '02_frames.ipynb']
    """
    folder = Path(folder)
    tried = [folder]
    if config is not None and not folder.is_absolute() and not folder.is_dir():
        tried.append(Path(config).resolve().parent / folder)
    for candidate in tried:
        found = sorted(p for p in candidate.glob("[0-9][0-9]_*.ipynb"))
        if found:
            return found
    where = " or ".join(str(p.resolve()) for p in tried)
    raise FileNotFoundError(
        f"build_report(): no numbered notebooks (NN_name.ipynb) in {where}. Pass the "
        "notebooks/ folder of your framelab copy (`framelab report --notebooks PATH`, or "
        "build_report(..., notebooks=PATH)), or run the command from the folder that holds it."
    )


def _recorded_seconds(path: Path) -> float:
    """Seconds the cells of ``path`` took when it was last executed (0.0 when not recorded).

    Read from the timing metadata that papermill (``papermill.duration``) and nbclient
    (``execution``) store in each code cell.
    """
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0.0
    total = 0.0
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        duration = meta.get("papermill", {}).get("duration")
        if isinstance(duration, int | float):
            total += duration
            continue
        timing = meta.get("execution", {})
        start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        try:
            elapsed = datetime.datetime.fromisoformat(end) - datetime.datetime.fromisoformat(start)
        except (TypeError, ValueError):
            continue
        total += max(elapsed.total_seconds(), 0.0)
    return total


def _longest_first(paths: list[Path], out_dir: Path) -> list[Path]:
    """``paths`` ordered by expected run time, longest first (ties keep the numbered order).

    The expected time of a notebook is its time in the previous report in ``out_dir``
    (``report.json``), else the execution time recorded in the notebook itself, else 0.
    Starting the slowest notebooks first keeps one long notebook from running alone at the end.
    """
    previous: dict[str, float] = {}
    try:
        meta = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
        if meta.get("executed"):
            previous = {n["name"]: float(n["seconds"]) for n in meta["notebooks"]}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    expected = {p: previous.get(p.stem, _recorded_seconds(p)) for p in paths}
    return sorted(paths, key=lambda p: -expected[p])


def _share_cores(threads: int) -> None:
    """Worker initializer: the kernels this worker starts use ``threads`` BLAS/OpenMP threads.

    Two kernels that each start one BLAS thread per core make the threads wait for each other
    (they spin while waiting); giving each kernel its share of the cores avoids that. Variables
    the user has set are kept.
    """
    for name in _THREAD_VARIABLES:
        os.environ.setdefault(name, str(threads))
    # progress bars are for people watching a terminal or JupyterLab, not for report pages
    os.environ["TQDM_DISABLE"] = "1"


def _title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):  # plain text: the index is not rendered markdown
                    return re.sub(r"[*`]", "", line[2:]).strip()
    return "Untitled notebook"


def _failure(exc: BaseException) -> tuple[str, str]:
    """The exception line and the failing cell's source of a failed notebook run."""
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename is None:  # not an error inside a cell: the kernel died, a timeout, a bad notebook
        lines = str(exc).strip().splitlines()
        ename, evalue = type(exc).__name__, lines[-1] if lines else ""
    line = f"{ename}: {evalue}" if evalue else str(ename)
    return line, str(getattr(exc, "source", "") or "")


def _run_one(path: Path, out_dir: Path, config: Path, execute: bool, timeout: int):
    import nbformat
    from nbconvert import HTMLExporter

    started = time.perf_counter()
    executed = out_dir / "notebooks" / path.name
    executed.parent.mkdir(parents=True, exist_ok=True)
    error, cell = None, ""
    if execute:
        import papermill

        try:
            papermill.execute_notebook(
                str(path),
                str(executed),
                parameters={"CONFIG": os.path.relpath(config, path.parent)},
                cwd=str(path.parent),
                kernel_name="python3",
                progress_bar=False,
                execution_timeout=timeout,
                log_output=False,
            )
        except Exception as exc:  # any failure is reported; the other notebooks still run
            error, cell = _failure(exc)
            logger.warning("report: %s failed: %s", path.stem, error)
        if not executed.is_file():
            return NotebookRun(
                path.stem, path.stem, None, time.perf_counter() - started, error, cell
            )
        nb = nbformat.read(executed, as_version=4)
    else:
        nb = nbformat.read(path, as_version=4)
        nbformat.write(nb, executed)
    body, _ = HTMLExporter(template_name="lab", embed_images=True).from_notebook_node(nb)
    # the report must work offline: drop the template's CDN scripts (MathJax, require.js);
    # the notebooks use neither, and figures are embedded as data URIs
    body = _CDN_SCRIPT.sub("", body)
    page = out_dir / f"{path.stem}.html"
    page.write_text(body, encoding="utf-8")
    return NotebookRun(path.stem, _title(nb), page, time.perf_counter() - started, error, cell)


def build_report(
    config: str | Path,
    *,
    notebooks: str | Path = "notebooks",
    execute: bool = True,
    workers: int = 2,
    timeout: int = 900,
) -> Path:
    """Execute the study notebooks and write the HTML report; return the index page.

    Everything is written under the config's ``output.dir`` (the notebooks save their figures
    there too), so that one config describes one complete, reproducible report.

    Parameters
    ----------
    config : path
        The study config (``study.yml``).
    notebooks : path
        Folder of the numbered notebooks; a relative folder missing from the working directory
        is looked up next to ``config`` too.
    execute : bool, default True
        Run the notebooks (papermill). ``False`` exports the committed notebooks as they are.
    workers : int, default 2
        Notebooks executed in parallel (each in its own kernel process), the slowest first:
        as timed by the previous report in the output folder (``report.json``), else as
        recorded in the notebooks. The index and ``report.json`` keep the numbered order.
        Each kernel gets an equal share of the cores for its BLAS/OpenMP threads
        (``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS``; values you set
        yourself are kept), so parallel notebooks do not oversubscribe the machine.
    timeout : int
        Seconds allowed per cell.

    Returns
    -------
    pathlib.Path
        ``<output.dir>/index.html``.

    Raises
    ------
    ReportError
        When a notebook failed, after the report was written: ``index.html`` lists each failed
        notebook with its exception line and the source of the failing cell.

    Examples
    --------
    A study folder with one notebook, exported as committed (``execute=False``: no kernel):

    >>> import tempfile, nbformat
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "notebooks").mkdir()
    >>> cells = [nbformat.v4.new_markdown_cell("# Quick look")]
    >>> notebook = nbformat.v4.new_notebook(cells=cells)
    >>> nbformat.write(notebook, folder / "notebooks" / "01_quick.ipynb")
    >>> _ = (folder / "study.yml").write_text("output:\\n  dir: report\\n", encoding="utf-8")
    >>> index = build_report(folder / "study.yml", notebooks=folder / "notebooks",
    ...                      execute=False, workers=1)
    >>> index.relative_to(folder).as_posix(), sorted(p.name for p in index.parent.iterdir())
    ('report/index.html', ['01_quick.html', 'figures', 'index.html', 'notebooks', 'report.json'])
    >>> record = json.loads((index.parent / "report.json").read_text(encoding="utf-8"))
    >>> record["executed"], [(nb["name"], nb["title"]) for nb in record["notebooks"]]
    (False, [('01_quick', 'Quick look')])
    """
    from framelab._files import ensure_writable
    from framelab.config import load_config

    config = Path(config).resolve()
    cfg = load_config(config)
    out_dir = ensure_writable(cfg.output_dir(), raw_dir=cfg.raw_dirs())
    # before anything is removed: a wrong folder must not cost the figures of the last report
    paths = [p.resolve() for p in find_notebooks(notebooks, config)]
    out_dir.mkdir(parents=True, exist_ok=True)
    if execute:  # this run's notebooks save the figures again: drop those of earlier runs
        shutil.rmtree(out_dir / "figures", ignore_errors=True)
    (out_dir / "figures").mkdir(exist_ok=True)
    out_dir = out_dir.resolve()
    order = _longest_first(paths, out_dir)
    n_workers = max(1, min(workers, len(paths)))
    threads = max(1, (os.cpu_count() or 1) // n_workers)
    logger.info(
        "report: running %s (%d at a time, %d BLAS thread(s) each)",
        ", ".join(p.stem for p in order),
        n_workers,
        threads,
    )
    # papermill changes the working directory, so each notebook runs in its own process
    with ProcessPoolExecutor(
        max_workers=n_workers, initializer=_share_cores, initargs=(threads,)
    ) as pool:
        futures = {p: pool.submit(_run_one, p, out_dir, config, execute, timeout) for p in order}
        runs = [futures[p].result() for p in paths]
    for run in runs:
        logger.info("report: %s in %.1f s%s", run.name, run.seconds, " (failed)" * bool(run.error))
    index = out_dir / "index.html"
    index.write_text(_index_html(cfg, runs, out_dir), encoding="utf-8")
    (out_dir / "report.json").write_text(
        json.dumps(
            {
                "config": config.name,
                "seed": cfg.seed,
                "executed": execute,
                "notebooks": [
                    {
                        "name": r.name,
                        "title": r.title,
                        "seconds": round(r.seconds, 1),
                        "error": r.error,
                    }
                    for r in runs
                ],
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    failed = [r for r in runs if r.error]
    if failed:
        lines = "\n".join(f"  {r.name}: {r.error}" for r in failed)
        raise ReportError(
            f"build_report(): {len(failed)} of {len(runs)} notebooks failed:\n{lines}\n"
            f"The report was written anyway ({index}); each failure is listed there with the cell "
            "that raised it. Fix the config or the data and run the report again.",
            index,
            failed,
        )
    return index


def _item(run: NotebookRun) -> str:
    title = html.escape(run.title)
    link = f'<a href="{html.escape(run.html.name)}">{title}</a>' if run.html else title
    return f"<li>{link}{' &middot; <b>failed</b>' * bool(run.error)}</li>"


def _index_html(cfg, runs: list[NotebookRun], out_dir: Path) -> str:
    from framelab._version import __version__

    items = "\n".join(_item(r) for r in runs)
    failed = [r for r in runs if r.error]
    failures = ""
    if failed:
        failures = f"<h2>Failed notebooks ({len(failed)} of {len(runs)})</h2>\n" + "\n".join(
            f"<div class=failed><b>{html.escape(r.name)}</b>: <code>{html.escape(r.error)}</code>"
            f"<pre>{html.escape(r.cell)}</pre></div>"
            for r in failed
        )
    figures = sorted((out_dir / "figures").glob("*.png"))
    cards = "\n".join(
        f'<figure><a href="figures/{html.escape(f.name)}"><img src="figures/{html.escape(f.name)}"'
        f' alt="{html.escape(f.stem)}" loading="eager"></a><figcaption>{html.escape(f.stem)}'
        f' &middot; <a href="figures/{html.escape(f.stem)}.svg">SVG</a></figcaption></figure>'
        for f in figures
    )
    note = ""
    if cfg.corpus.path == "sample":
        note = (
            "<p class=note>The bundled sample corpus is <b>synthetic</b>: fictional outlets, "
            "text written for framelab, planted differences. It is not evidence about any "
            "real outlet.</p>"
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(cfg.study.title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }}
.note {{ background: #fff4d6; padding: .6em 1em; border-left: 4px solid #E69F00; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 1em; }}
figure {{ margin: 0; border: 1px solid #ddd; padding: .5em; }}
img {{ max-width: 100%; }}
figcaption {{ font-size: 85%; color: #555; }}
.failed {{ background: #fde8e8; padding: .4em 1em; border-left: 4px solid #D55E00; margin: .5em 0; }}
</style></head>
<body>
<h1>{html.escape(cfg.study.title)}</h1>
{note}
{failures}
<p>Study <code>{html.escape(cfg.study.name)}</code>, seed {cfg.seed}, framelab {__version__},
built {datetime.date.today().isoformat()}.</p>
<h2>Notebooks</h2>
<ol>
{items}
</ol>
<h2>Key figures</h2>
<div class="grid">
{cards}
</div>
</body></html>
"""
