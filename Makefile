# Two commands do everything (see README.md):
#   make serve   set up, build both languages, serve http://127.0.0.1:8000/
#   make test    set up, install the test's system packages, build, run every test
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python
export PYTHONPATH := $(CURDIR)/src
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export NO_MKDOCS_2_WARNING := 1

.PHONY: help serve test check bench mutate site wheel setup sysdeps clean

help:
	@echo "make serve   build both languages and serve them at http://127.0.0.1:8000/"
	@echo "make test    run every test (installs missing Debian packages when root)"
	@echo "make check   the fast loop: models, CLI, parity, evidence marks, snippets (no browser, VM,"
	@echo "             real-tool or built-site tests)"
	@echo "make bench   measure calculator and site speed into bench/results.json"
	@echo "make mutate  mutation testing of the models with mutmut (slow; not part of make test)"

serve: setup site
	$(PY) -m opsnotes_site.serve

# The tests serve the site themselves, at the address it is built for (not 8000, so that
# `make serve` can keep running; TEST_PORT lets two checkouts test side by side).
TEST_PORT ?= 8765
test: export SITE_URL = http://127.0.0.1:$(TEST_PORT)/
# ... and into their own folder, so that a `make serve` beside them keeps its pages.
test: export OPSNOTES_SITE_DIR = $(CURDIR)/.cache/test-site
# As root every test must run: a skip fails the run (tests/skips.py).
test: export OPSNOTES_NO_SKIPS = 1
test: setup sysdeps site
	$(PY) -m pytest

# The edit-test loop: everything that needs neither a built site, a browser, a VM nor a real
# tool run (those are in `make test`).
check: setup
	$(PY) -m pytest -q -m "not browser and not real and not vm and not site"

bench: setup sysdeps site
	$(PY) -m opsnotes_site.bench

# Mutation testing: mutmut changes the models one mutant at a time (src/opsnotes, the modules
# listed under [tool.mutmut] in pyproject.toml) and runs the fast tests that reach each change;
# a mutant that survives is a change no test notices. Its own pinned packages, on top of .venv.
# mutants/src is made before mutmut starts: a PYTHONPATH entry missing when Python starts is
# cached as empty, and the tests would import the unmutated models.
mutate: export PYTHONPATH = $(CURDIR)/mutants/src
# MUTANTS narrows the run to a module, e.g. `make mutate MUTANTS='opsnotes.mode*'` (all: ~5,200
# mutants, hours on two cores).
MUTANTS ?=
mutate: setup
	$(PY) -m pip install -q --require-hashes --no-deps -r requirements-mutate.lock
	rm -rf mutants && mkdir -p mutants/src
	.venv/bin/mutmut run --max-children 2 $(MUTANTS)
	.venv/bin/mutmut results > mutants/survivors.txt
	.venv/bin/mutmut export-cicd-stats
	@cat mutants/mutmut-cicd-stats.json; echo; echo "survivors: mutants/survivors.txt (mutmut show NAME)"

site: setup
	$(PY) -m opsnotes_site.build

setup: .venv/.installed node_modules/.installed dist/.built

.venv/.installed: requirements.lock pyproject.toml
	python3 -m venv .venv
	$(PY) -m pip install -q --require-hashes -r requirements.lock
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The pure wheel Pyodide installs in the browser; rebuilt whenever src/opsnotes changes.
dist/.built: .venv/.installed $(shell find src/opsnotes -name '*.py') pyproject.toml
	rm -rf build dist
	$(PY) -m pip wheel -q --no-deps --no-build-isolation -w dist .
	rm -rf build
	touch $@

wheel: dist/.built

sysdeps: .venv/.installed
	$(PY) -m opsnotes_site.sysdeps

clean:
	rm -rf .venv node_modules site build dist .cache
