# The two commands of the README. Both install what they need into .venv/ first.
.PHONY: run test lint setup setup-dev ingest serve

run: setup ingest serve

test: setup-dev
	.venv/bin/pytest

# What CI checks besides the tests: lint, formatting, and the one direction of imports.
lint: setup-dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

setup:
	scripts/setup.sh

setup-dev:
	scripts/setup.sh --dev

ingest:
	.venv/bin/danvan ingest

serve:
	.venv/bin/danvan serve
