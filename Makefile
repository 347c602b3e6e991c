# The two commands of the README. Both install what they need into .venv/ first.
.PHONY: run test setup setup-dev ingest serve

run: setup ingest serve

test: setup-dev
	.venv/bin/pytest

setup:
	scripts/setup.sh

setup-dev:
	scripts/setup.sh --dev

ingest:
	.venv/bin/danvan ingest

serve:
	.venv/bin/danvan serve
