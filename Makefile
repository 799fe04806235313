# Reti: `make run` starts the site on SQLite with the presentation's facts and demo data;
# `make test` runs every test. Both install what they need (uv, then the locked environment).
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
RUN := $(UV) run --frozen
ADDR ?= 127.0.0.1:8000

.PHONY: install run test test-postgres lint format bench browser clean

install:
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 \
		|| $(PYTHON) -m pip install --quiet --user uv || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --python $(PYTHON)

run: install
	RETI_LOCAL=1 DEBUG=1 $(RUN) reti migrate --no-input
	RETI_LOCAL=1 DEBUG=1 $(RUN) reti load-territories
	RETI_LOCAL=1 DEBUG=1 $(RUN) reti load-presentation
	RETI_LOCAL=1 DEBUG=1 $(RUN) reti load-indicators
	RETI_LOCAL=1 DEBUG=1 $(RUN) reti demo --scale small
	RETI_LOCAL=1 DEBUG=1 $(RUN) reti demo-user
# The background worker (attachment text, participant imports) runs beside the server and
# stops with it.
	RETI_LOCAL=1 DEBUG=1 $(RUN) reti worker & WORKER=$$!; trap "kill $$WORKER" EXIT; \
		RETI_LOCAL=1 DEBUG=1 $(RUN) reti serve $(ADDR)

browser:
	@command -v chromium >/dev/null 2>&1 || bash .ci/install-chromium

test: install browser
	RETI_LOCAL=1 $(RUN) reti collectstatic --no-input -v0
	RETI_LOCAL=1 $(RUN) pytest

test-postgres: install browser
	RETI_LOCAL=1 $(RUN) reti collectstatic --no-input -v0
	RETI_LOCAL=1 DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(RUN) pytest

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	RETI_LOCAL=1 $(RUN) reti check
	RETI_LOCAL=1 $(RUN) reti makemigrations --check --dry-run

format: install
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

bench: install browser
	@command -v wrk >/dev/null 2>&1 || bash .ci/install-debian-package wrk
	RETI_LOCAL=1 $(RUN) python -m bench

clean:
	rm -rf var/ .pytest_cache
