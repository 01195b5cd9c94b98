# Signpost: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SIGNPOST := $(BIN)/signpost
STAMP_PY := $(VENV)/.installed
STAMP_NPM := node_modules/.installed
ASSETS := signpost/static/dist/signpost.css

.PHONY: install run test test-sqlite test-postgres test-browser lint bench deploy-check messages clean

install: $(STAMP_PY) $(STAMP_NPM) $(ASSETS) messages

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel

$(STAMP_PY): $(VENV)/bin/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

$(STAMP_NPM): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(ASSETS): $(STAMP_NPM) scripts/build-assets.mjs $(wildcard signpost/assets/scss/*.scss)
	npm run --silent build

messages: $(STAMP_PY)
	@cd signpost && ../$(SIGNPOST) compilemessages --ignore '.venv' -v 0

run: install
	$(SIGNPOST) migrate --no-input -v 0
	$(SIGNPOST) createcachetable
	$(SIGNPOST) demo --if-empty
	$(SIGNPOST) serve

test: install
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy signpost

bench: install
	bash scripts/bench.sh

deploy-check: install
	bash scripts/deploy-check.sh

clean:
	rm -rf $(VENV) node_modules signpost/static/dist var/static
