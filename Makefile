# Reti: `make run` starts the site on SQLite with the presentation's facts and demo data;
# `make test` runs every test. Both install what they need (uv, then the locked environment).
# `make run ADDR=0.0.0.0:8080` serves on another address; `make reset` deletes the local data.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
RUN := $(UV) run --frozen
ADDR ?= 127.0.0.1:8000
# The host part of ADDR (everything before the last ":port"), accepted as a Host header, and
# ADDR itself as the address in e-mailed links, unless ALLOWED_HOSTS / RETI_SITE_URL are set.
ADDR_HOST = $(patsubst %:$(lastword $(subst :, ,$(ADDR))),%,$(ADDR))
LOCAL_ENV = RETI_LOCAL=1 DEBUG=1 RETI_SITE_URL="$${RETI_SITE_URL:-http://$(ADDR)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost,[::1],$(ADDR_HOST)}"

.PHONY: install run reset test test-postgres lint format bench load fuzz browser saml clean fresh-database

install:
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 \
		|| $(PYTHON) -m pip install --quiet --user uv || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --python $(PYTHON)

run: install
	@echo "Preparing the local site (make reset starts afresh)…"
	$(LOCAL_ENV) $(RUN) reti prepare-local --url http://$(ADDR)/it/admin/
	@echo "Serving http://$(ADDR)/it/ (Ctrl-C stops the server and the background worker)"
# The background worker (attachment text, participant imports) runs beside the server and
# stops with it.
	$(LOCAL_ENV) $(RUN) reti worker & WORKER=$$!; trap "kill $$WORKER" EXIT; \
		$(LOCAL_ENV) $(RUN) reti serve $(ADDR)

browser:
	@bash .ci/install-chromium

# xmlsec1, which signs and verifies SPID and CIE messages (pysaml2, spid-sp-test).
saml:
	@command -v xmlsec1 >/dev/null 2>&1 || bash .ci/install-debian-package xmlsec1

test: install browser saml
	RETI_LOCAL=1 $(RUN) reti collectstatic --no-input -v0
	RETI_LOCAL=1 $(RUN) pytest --durations=30

test-postgres: install browser saml
	RETI_LOCAL=1 $(RUN) reti collectstatic --no-input -v0
	RETI_LOCAL=1 DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(RUN) pytest --durations=30

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
	RETI_LOCAL=1 $(RUN) python -m bench.grids --backend both
	RETI_LOCAL=1 $(RUN) python -m bench.grants --backend both
# Spark local[2] against DuckDB on every analytics query (needs Java; docs/benchmarks.md).
	RETI_LOCAL=1 $(RUN) python -m bench.spark
# The partitioned snapshot: full write, and the refresh after a 10,000-record import.
	RETI_LOCAL=1 $(RUN) python -m bench.partitions
	RETI_LOCAL=1 $(RUN) python -m bench.csr --backend both
	$(RUN) python -m bench.grants_officer
	RETI_LOCAL=1 $(RUN) python -m bench.opencoesione
	RETI_LOCAL=1 $(RUN) python -m bench.reports

# load: gunicorn with production settings on the PostgreSQL benchmark database (national demo
# data, made once), 50 connections of wrk on home, a network, search, an API list and the
# indicators (docs/benchmarks.md, "Load"). LOAD_ARGS passes options, e.g. --seconds 30.
load: install
	@command -v wrk >/dev/null 2>&1 || bash .ci/install-debian-package wrk
	$(RUN) python -m bench.load $(LOAD_ARGS)

# fuzz: the API fuzzed from its OpenAPI schema with many examples per operation (CI runs a few).
fuzz: install
	RETI_LOCAL=1 RETI_FUZZ_EXAMPLES=$${RETI_FUZZ_EXAMPLES:-100} $(RUN) pytest -p no:cacheprovider \
		reti/lib/tests/test_api_schema_fuzz.py

# After adding a migration: the snapshot a first `make run` starts from (reti/portal/fresh_database.py).
fresh-database: install
	@tmp=$$(mktemp -d) && trap "rm -rf $$tmp" EXIT && \
		RETI_VAR_DIR=$$tmp RETI_LOCAL=1 $(RUN) reti migrate --no-input -v0 && \
		RETI_VAR_DIR=$$tmp RETI_LOCAL=1 $(RUN) reti fresh_database

# reset: the local data (database, uploads, generated keys, monitoring snapshot) are in var/;
# the next `make run` builds them again. clean also removes test caches.
reset:
	rm -rf var/

clean: reset
	rm -rf .pytest_cache
