# The README's commands. `make run` serves the embedded default; `make test` runs the suite.
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEV_ENV := DEBUG=true

.PHONY: run test install lint messages check-migrations clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Casework needs Python 3.12 or newer (see .python-version)"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	mkdir -p var
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	@echo "Casework: http://127.0.0.1:$(PORT)/"
	$(DEV_ENV) EMBEDDED_SCHEDULER=true SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: install
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l ru --no-obsolete --ignore=.venv --ignore=node_modules --ignore=static/vendor
	$(DEV_ENV) $(BIN)/python manage.py compilemessages -l ru --ignore=.venv

check-migrations: install
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles
