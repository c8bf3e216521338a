# Two commands do everything on a fresh machine with Python 3.11+ and make:
#   make chat   set up, then take an interview in the terminal
#   make test   set up, then lint, type-check and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CODE := bot flows storage

.PHONY: chat test lint typecheck pytest browser postgres bench soak clean screenshots lock audit

# Dependencies come from requirements.lock, pinned with hashes (pip refuses anything else);
# pyproject.toml keeps ranges for people using the package as a library. Refresh the lock
# with `make lock`; audit it with `make audit` on a machine that reaches an advisory database.
$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "exit-interviews needs Python 3.11 or newer; install it, or run make PYTHON=python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

lock: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --extra dev --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

audit: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip-audit
	$(BIN)/pip-audit --require-hashes -r requirements.lock

.env: | $(STAMP)
	$(BIN)/exit-interviews keygen --write-env .env

# A practice interview, kept in data/practice.sqlite3 apart from real ones.
# Carry on a paused one with: make chat RESUME=iv-...
FLOW ?= children-home
chat: $(STAMP) .env
	@$(BIN)/exit-interviews chat --flow $(FLOW) $(if $(RESUME),--resume $(RESUME))

lint: $(STAMP)
	$(BIN)/ruff check $(CODE) tests benchmarks
	$(BIN)/ruff format --check $(CODE) tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy --strict $(CODE)

# The browser checks need Debian's chromium. make test installs it where this machine allows
# (root with apt-get), says so first, and otherwise says those checks will be skipped.
# make chat never installs it.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && echo "Installing Debian's chromium with apt-get for the browser tests (running as root)..." \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji) >/dev/null 2>&1; } \
	  || echo "chromium could not be installed: the browser checks will be skipped"
	@test -f tests/web/node_modules/axe-core/axe.min.js || { command -v npm >/dev/null 2>&1 \
	  && echo "Installing axe-core from the npm registry for the accessibility checks..." \
	  && npm ci --prefix tests/web --no-audit --no-fund --silent >/dev/null 2>&1; } \
	  || echo "axe-core could not be installed (no npm, or no registry): the accessibility checks will be skipped"

# The storage tests run on PostgreSQL too: EXIT_TEST_POSTGRES_URL, else a server on
# 127.0.0.1:5432, else a throwaway one from Debian's postgresql binaries, installed here
# where this machine allows (root with apt-get); the pytest header says which was used.
postgres: $(STAMP)
	@[ -n "$$EXIT_TEST_POSTGRES_URL" ] || $(BIN)/python -c 'import psycopg; psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()' 2>/dev/null \
	  || command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	  || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && echo "Installing Debian's postgresql with apt-get for the PostgreSQL storage tests (running as root)..." \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/dev/null 2>&1; } \
	  || echo "No PostgreSQL server and none could be installed: the PostgreSQL storage tests will fail (set EXIT_TEST_POSTGRES_URL)"

# On every core (pytest-xdist; 2 workers on the 2-core development machine), each idle
# worker taking the next test, so the slow ones do not queue behind each other.
PYTEST_WORKERS ?= auto
pytest: $(STAMP) browser postgres
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist worksteal --durations=15

test: lint typecheck pytest

bench: $(STAMP) .env
	$(BIN)/python -m benchmarks.engine
	$(BIN)/python -m benchmarks.storage
	$(BIN)/python -m benchmarks.bot
	$(BIN)/python -m benchmarks.web

screenshots: $(STAMP) browser
	UPDATE_SCREENSHOTS=1 $(BIN)/pytest -q tests/bot/documents/test_reports.py -k chromium
	UPDATE_SCREENSHOTS=1 $(BIN)/pytest -q tests/e2e/test_web_browser.py -k "whole or second"

soak: $(STAMP)
	$(BIN)/python -m benchmarks.soak

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
