# Caseport: `make run` serves the demo network; `make test` runs the whole suite.
PORT ?= 5000
# Links in emails point at the port make run serves on, unless PUBLIC_BASE_URL is given.
PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
export PUBLIC_BASE_URL
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
export FLASK_APP := wsgi.py
# Two processes of four threads: Python runs one thread at a time per process, so one process serves pages
# on one core; on 2 cores 2x4 serves 1.6-2x the pages a second of 1x8 (README "What a request costs").
# gunicorn.conf.py caps each worker at 2 connections per thread, so a burst of keep-alive connections is
# shared by both workers instead of queueing behind one.
# The sign-in throttles count in a SQLite file both workers share (portal_app/throttle_store.py);
# production shares them in Redis.
RUN_WORKERS := --workers 2 --threads 4

# Exact versions with hashes (ranges stay in pyproject.toml); `make lock` refreshes them.
LOCK := requirements/lock.txt
LOCK_TEST := requirements/lock-test.txt
# `make lock LOCK_ARGS=--upgrade` takes every newer version the ranges allow (a deliberate commit).
LOCK_ARGS ?=
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 --universal -q $(LOCK_ARGS)

.PHONY: setup run test bench translations messages clean lock bench-load mutation

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml $(LOCK_TEST) | $(BIN)/python
	$(BIN)/python -m pip install -q --require-hashes -r $(LOCK_TEST)
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

# After changing dependencies in pyproject.toml (or to take upgrades): one command rewrites both lock
# files; commit them with the change, and CI installs exactly that.
lock: | $(BIN)/python
	$(BIN)/python -m pip install -q 'uv>=0.5,<1'
	$(UV_COMPILE) -o $(LOCK)
	$(UV_COMPILE) --extra test -o $(LOCK_TEST)

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d portal_app/translations

# After changing user-visible strings: refresh the catalogue, translate, commit the .po.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs ".* ._" -o portal_app/translations/messages.pot .
	$(BIN)/pybabel update -i portal_app/translations/messages.pot -d portal_app/translations

setup: $(VENV)/.installed translations

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask demo --if-empty
	$(BIN)/flask welcome --port $(PORT)
	@$(BIN)/flask outbox-worker --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c gunicorn.conf.py --bind 127.0.0.1:$(PORT) $(RUN_WORKERS) wsgi:app

test: setup
	CASEPORT_ENV=test $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup
	CASEPORT_ENV=test $(BIN)/python -m pytest tests/bench -p no:cacheprovider -o addopts="" -s $(PYTEST_ARGS)

# Load benchmark (P4, P6; not part of `make test`): demo size and 10k under gunicorn as `make run` serves,
# against hello-world. SQLite under instance/bench/ by default; DATABASE_URL=postgresql+psycopg://... to use
# (and empty) a PostgreSQL database. BENCH_SECONDS per page.
BENCH_SECONDS ?= 5
bench-load: setup
	BENCH_SECONDS=$(BENCH_SECONDS) $(BIN)/python -m tests.bench.load

# Mutation testing of the policy, token and sanitizer modules (not part of `make test`; about 20-40 minutes
# on 2 cores): fails under a 95 % kill rate. MUTATION_ARGS="--sample 60 --no-slow" for a quick look.
MUTATION_ARGS ?= --jobs 2
mutation: setup
	$(BIN)/python -m tests.mutation.runner $(MUTATION_ARGS)

clean:
	rm -rf $(VENV) instance/caseport.sqlite3* instance/outbox instance/audit-checkpoints
