# Fazhi Online · 法制在线
#   make run    install everything into .venv, migrate, load demo content, build the search
#               index and serve http://127.0.0.1:$(PORT)/
#   make test   run the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: run test install serve demo lint format check ci bench help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the project with its test tools
	mkdir -p var
	$(MANAGE) compile_catalogues -v0

run: install  ## install, migrate, load demo content, index, and serve on PORT (default 8000)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_data
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install  ## run the whole test suite
	$(BIN)/python -m pytest -p no:cacheprovider

lint: install  ## ruff lint and format check, and the dead-code check (vulture)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/vulture

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install  ## Django checks, migrations up to date, production deploy check
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=ci-check-$$(date +%s)-not-a-real-secret-0123456789abcdef DJANGO_ALLOWED_HOSTS=fazhi.example $(MANAGE) check --deploy --fail-level WARNING

ci:  ## what CI runs
	bash .ci/run
