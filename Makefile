# The two commands: `make run` and `make test`. Everything they need is installed from here.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast install install-dev chromium gettext messages lint bench bench-scale clean

## make run: install, migrate, load the seeds, build the demo, serve (worker + beat where Redis is reachable)
run: install messages
	@set -e; eval "$$($(PY) -m kzlearn.probe env run)"; \
	export DJANGO_DEBUG=$${DJANGO_DEBUG:-1}; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py load_seeds; \
	$(PY) manage.py seed_demo; \
	if [ -n "$${REDIS_URL:-}" ]; then \
	  $(VENV)/bin/celery -A kzlearn worker --beat --loglevel=INFO --concurrency=2 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	fi; \
	echo "KZLearn: http://$(HOST):$(PORT)/  (teachers: http://$(HOST):$(PORT)/admin/)"; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test: install the app, the test tools, Chromium and the GIFT parser, then run the whole suite
test: install-dev chromium messages tests/bank/node_modules/.installed tests/browser/node_modules/.installed tests/api/node_modules/.installed
	@set -e; eval "$$($(PY) -m kzlearn.probe env test)"; \
	$(VENV)/bin/pytest

## make test-fast: the inner loop: the suite without the browser, fault and slow tests (pytest -m "not browser and not faults and not slow"); ARGS=... passes more
test-fast: install-dev messages tests/bank/node_modules/.installed tests/api/node_modules/.installed
	@set -e; eval "$$($(PY) -m kzlearn.probe env test)"; \
	$(VENV)/bin/pytest -m "not browser and not faults and not slow" $(ARGS)

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

## gift-pegjs, the independent GIFT parser the export tests read our output back with (pinned by the lock)
tests/bank/node_modules/.installed: tests/bank/package.json tests/bank/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --prefix tests/bank --no-audit --no-fund --silent
	touch $@

## axe-core, injected into each page by the accessibility checks of the browser tests (pinned by the lock)
tests/browser/node_modules/.installed: tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	touch $@

## Redocly CLI, which lints the generated OpenAPI schema with its recommended rules (tests/api/test_redocly.py; pinned by the lock)
tests/api/node_modules/.installed: tests/api/package.json tests/api/package-lock.json
	npm ci --prefix tests/api --no-audit --no-fund --silent
	touch $@

## Debian's Chromium, driven by Playwright for the browser tests (no browser download of its own)
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

## Debian's gettext: msgfmt for compilemessages (and xgettext for makemessages)
gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  echo "Installing Debian's gettext for the translations"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gettext >/dev/null; }

## the interface's translations (locale/*/LC_MESSAGES/django.po) compiled to .mo; see docs/languages.md
messages: install gettext
	@DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=tests --ignore=staticfiles --verbosity 0

## make bench: the benchmarks in bench/; prints a table and writes the figures into README.md
bench: install-dev
	@set -e; eval "$$($(PY) -m kzlearn.probe env test)"; \
	$(PY) bench/run.py

## make bench-scale: a district (SIZE=M: 1,000 students, 40 classes, 10k attempts, 135k answers; SIZE=L: five times that)
## built with COPY into <database>_scale, checked and measured; writes the table into README.md (PostgreSQL only)
bench-scale: install-dev
	@set -e; eval "$$($(PY) -m kzlearn.probe env test)"; \
	SIZE=$${SIZE:-M} $(PY) bench/scale.py

## make lint: the static gates, exactly as CI runs them (.ci/lint: ruff check, ruff format --check,
## makemigrations --check, mypy, import-linter layers); `.ci/lint mypy` runs one gate
lint: install-dev
	@KZL_BIN=$(VENV)/bin ./.ci/lint

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles .pytest_cache
