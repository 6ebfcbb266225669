# Keikaku — the two commands a city needs: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# pytest-xdist workers for `make test` (the slow tests start first, see conftest.py)
PYTEST_WORKERS ?= 2
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint typecheck unit browser bench lock clean worker messages

$(BIN)/python:
	@PY=$$(scripts/find-python) && echo "Using $$PY" && $$PY -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

run: install
	@mkdir -p var
	$(BIN)/keikaku migrate --noinput
	$(BIN)/keikaku compilemessages --ignore=.venv >/dev/null 2>&1 || true
	$(BIN)/keikaku setup-demo
	@echo ""
	@echo "Keikaku: http://$(HOST):$(PORT)/  (staff: http://$(HOST):$(PORT)/staff/)"
	$(BIN)/keikaku runserver $(HOST):$(PORT)

worker: install
	$(BIN)/keikaku db_worker

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy keikaku config
	$(BIN)/lint-imports

unit: install
	$(BIN)/pytest -m "not browser" -q

browser: install
	scripts/ensure-test-system-deps
	$(BIN)/pytest -m browser -q

test: install
	scripts/ensure-test-system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy keikaku config
	$(BIN)/lint-imports
	$(BIN)/keikaku makemigrations --check --dry-run
	$(BIN)/pytest -q -p no:randomly -n $(PYTEST_WORKERS) --durations=15 $(PYTEST_ARGS)

bench: install
	scripts/ensure-test-system-deps
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

lock: $(BIN)/python
	@tmp=$$(mktemp -d) && $$(scripts/find-python) -m venv $$tmp/v && $$tmp/v/bin/pip install -q --upgrade pip && \
	  $$tmp/v/bin/pip install -q ".[dev]" && \
	  $$tmp/v/bin/pip freeze --exclude-editable | grep -v '^keikaku' > requirements.lock && rm -rf $$tmp
	@echo "requirements.lock updated"

messages: install
	$(BIN)/keikaku makemessages -l ja -l en --ignore=.venv --ignore=var

clean:
	rm -rf $(VENV) var/static
