# Two commands do everything on a fresh machine with Python 3.11+ and make:
#   make chat   set up, then take an interview in the terminal
#   make test   set up, then lint, type-check and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CODE := bot flows storage

.PHONY: chat test lint typecheck pytest bench soak clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "exit-interviews needs Python 3.11 or newer; install it, or run make PYTHON=python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

.env: | $(STAMP)
	$(BIN)/exit-interviews keygen --write-env .env

chat: $(STAMP) .env
	@$(BIN)/exit-interviews chat --flow children-home

lint: $(STAMP)
	$(BIN)/ruff check $(CODE) tests benchmarks
	$(BIN)/ruff format --check $(CODE) tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy --strict $(CODE)

pytest: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: $(STAMP) .env
	$(BIN)/python -m benchmarks.engine
	$(BIN)/python -m benchmarks.storage
	$(BIN)/python -m benchmarks.bot

soak: $(STAMP)
	$(BIN)/python -m benchmarks.soak

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
