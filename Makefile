# Safeguard — `make demo` runs the platform with demo data; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.8
# Secrets and keys of the local installation, generated once and kept in var/ (never committed).
ENV_FILE := var/safeguard.env
WITH_TEST_ENV := SAFEGUARD_SECRET_KEY=makemigrations-check-only-0123456789abcdef SAFEGUARD_FIELD_KEYS=k1:$(shell printf "%032d" 0 | base64 -w0) SAFEGUARD_BLIND_INDEX_KEY=$(shell printf "%032d" 0 | base64 -w0)
# Two workers: the suite is mostly waiting on the database and the browser.
PYTEST_ARGS ?= -n 2 --dist loadfile
WITH_ENV := set -a && . ./$(ENV_FILE) && set +a &&

.PHONY: demo serve test typecheck lint check-migrations messages makemessages bench install install-dev clean-demo

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed-base: requirements/base.lock | $(VENV)/bin/python
	$(UV) pip sync --quiet --python $(PY) requirements/base.lock
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	rm -f $(VENV)/.installed-dev
	touch $@

$(VENV)/.installed-dev: requirements/dev.lock | $(VENV)/bin/python
	$(UV) pip sync --quiet --python $(PY) requirements/dev.lock
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed-base
install-dev: $(VENV)/.installed-dev

$(ENV_FILE):
	@mkdir -p var
	@$(PYTHON) bin/make-env > $@.tmp && mv $@.tmp $@
	@echo "Wrote $@ (keys for this installation; back it up: without it encrypted data is lost)."

messages: | $(VENV)/bin/python
	@$(PY) bin/compile-messages

# Every language with a project catalogue, in each app with a locale/ of its own. The project
# catalogue (safeguard/locale: accounts, portal, the shared templates) is kept by hand: a string
# missing from any catalogue fails tests/test_translations.py with its text.
LOCALES := $(notdir $(wildcard safeguard/locale/*))
APPS_WITH_CATALOGUES := $(filter-out locale,$(notdir $(patsubst %/locale/,%,$(wildcard safeguard/*/locale/))))
makemessages: install-dev
	@for app in $(APPS_WITH_CATALOGUES); do \
	  (cd safeguard/$$app && $(WITH_TEST_ENV) ../../$(PY) ../../manage.py makemessages $(addprefix -l ,$(LOCALES)) --no-obsolete -v 0) || exit 1; \
	done; echo "Updated .po files; translate the new entries, then make messages."

demo: install $(ENV_FILE) messages
	@$(WITH_ENV) $(PY) manage.py migrate --no-input -v 0
	@$(WITH_ENV) $(PY) manage.py createcachetable
	@$(WITH_ENV) $(PY) manage.py collectstatic --no-input -v 0
	@$(WITH_ENV) $(PY) manage.py seed_demo
	@$(MAKE) --no-print-directory serve

serve:
	@$(WITH_ENV) PORT=$(PORT) bin/serve

test: install-dev messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(WITH_TEST_ENV) $(VENV)/bin/mypy safeguard tests conftest.py
	$(WITH_TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

typecheck: install-dev
	$(WITH_TEST_ENV) $(VENV)/bin/mypy safeguard tests conftest.py

bench: install-dev $(ENV_FILE)
	@for script in bench/*/bench_*.py; do echo "== $$script"; $(WITH_ENV) PYTHONPATH=. $(PY) $$script || exit 1; done

clean-demo:
	rm -rf var/safeguard.sqlite3* var/static
