# Caseport: `make run` serves the demo network; `make test` runs the whole suite.
PORT ?= 5000
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
# Access log lines carry the path without its query string: searches hold client names (S14).
ACCESS_LOG_FORMAT := '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
export FLASK_APP := wsgi.py

.PHONY: setup run test bench translations messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

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
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - \
	  --access-logformat $(ACCESS_LOG_FORMAT) wsgi:app

test: setup
	CASEPORT_ENV=test $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup
	CASEPORT_ENV=test $(BIN)/python -m pytest tests/bench -p no:cacheprovider -o addopts="" -s $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance/caseport.sqlite3* instance/outbox instance/audit-checkpoints
