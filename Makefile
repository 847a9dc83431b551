# Tasks a maintainer runs; CI runs `make lint typecheck` and then the README's test command.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install lint format typecheck test-fast test

install:  ## a virtualenv with exactly the locked versions
	python3 -m venv $(VENV)
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .

lint:  ## ruff's rules and its formatting, checked (not applied)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck:  ## mypy over the whole tree (strict on domain/ and commands/)
	$(BIN)/mypy

test-fast:  ## unit tests and the API in process: seconds, no servers needed
	$(BIN)/python -m pytest tests/unit tests/api -m "not slow"

test:  ## everything, as CI runs it
	$(BIN)/python -m pytest
