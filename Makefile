# framelab — every set-up step lives here, so a fresh clone needs only `make demo` or `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.framelab-installed
LOCK := requirements.lock
export PYTHONHASHSEED := 0

.DEFAULT_GOAL := help
.PHONY: help demo test test-slow lint lab bench lock sample notebooks clean-venv venv

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# (Re)create the virtual environment when it is missing or older than the lock / pyproject.
$(STAMP): $(LOCK) pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "framelab needs Python 3.11 ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP) ## create .venv from the lock (done automatically by the other targets)

demo: $(STAMP) ## run the study on the bundled synthetic sample and write the report under reports/
	$(VENV)/bin/framelab demo --out reports
	$(VENV)/bin/framelab report --config study.yml
	@echo "Open reports/index.html in a browser."

NBVAL := $(PY) -m pytest -q -o addopts="" -p no:cacheprovider --nbval notebooks \
	--nbval-sanitize-with notebooks/sanitize.cfg

test: $(STAMP) ## run the whole test suite (unit tests, doctests, notebooks)
	$(PY) -m pytest -q
	cd . && $(NBVAL)

notebooks: $(STAMP) ## re-execute the notebooks in place (after changing code or data)
	@for nb in notebooks/[0-9]*.ipynb; do echo "== $$nb"; \
	  $(VENV)/bin/jupytext --sync $$nb -q && \
	  $(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace $$nb || exit 1; done

test-slow: $(STAMP) ## also run tests marked slow (real models, big data)
	$(PY) -m pytest -q -m "slow or not slow"

lint: $(STAMP) ## ruff check + format check
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

# Lab serves the project root (so data/raw/ and your config copy are reachable) and opens the
# notebooks folder; as root (e.g. in a container) Jupyter refuses to start without --allow-root.
LAB_ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: $(STAMP) ## JupyterLab on the project root (notebooks/ opened), "framelab" kernel registered
	$(PY) -m ipykernel install --user --name framelab --display-name "framelab"
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=. --FileContentsManager.preferred_dir=notebooks $(LAB_ROOT_FLAG)

bench: $(STAMP) ## run the benchmarks (they print ratios against baselines)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

sample: $(STAMP) ## rebuild data/sample/ from the paragraph bank (byte-identical)
	$(VENV)/bin/framelab build-sample

lock: $(STAMP) ## regenerate requirements.lock from pyproject.toml (+ the CPU torch pin)
	$(PY) -m piptools compile --quiet --extra dev --extra uk-lemmas --strip-extras --allow-unsafe \
	    --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
	    --output-file $(LOCK) pyproject.toml requirements/pins.in
	@# pip-compile writes the local build tag of a locally available wheel (torch==X+cpu);
	@# the public index has no such builds, so keep the plain version.
	sed -i -E 's/^torch==([0-9][0-9.]*)\+[a-z0-9]+/torch==\1/' $(LOCK)

clean-venv: ## remove .venv
	rm -rf $(VENV)
