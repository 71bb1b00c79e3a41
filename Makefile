# socmon: `make run` sets everything up and serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
PY := .venv/bin/python
LANGS := en ru az kk ro
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
export SOCMON_DEBUG ?= 1
# Two cores here: the suite runs in two workers (PYTEST_ARGS="" for one, "-k name" to narrow).
PYTEST_ARGS ?= -n 2
# `make bench`: clients in the synthetic world of the list benchmarks (and a world of a tenth of it).
BENCH_SCALE ?= 70000
BENCH_SEED ?= 1

.PHONY: run test lint messages bench setup migrate demo clean
.DEFAULT_GOAL := run

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --locked --quiet
	@touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/build/socmon.css: node_modules/.installed $(wildcard static/src/scss/*.scss)
	npm run --silent build:css

# Front-end packages are served by us (no CDN): copied from node_modules at set-up, never committed.
static/vendor/.copied: node_modules/.installed
	rm -rf static/vendor && mkdir -p static/vendor/govuk-frontend static/vendor/leaflet static/vendor/zxing static/vendor/vega
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk-frontend/
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images \
		static/vendor/leaflet/
	cp -r node_modules/barcode-detector/dist/es static/vendor/barcode-detector
	cp node_modules/zxing-wasm/dist/reader/zxing_reader.wasm static/vendor/zxing/
	cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
		node_modules/vega-embed/build/vega-embed.min.js static/vendor/vega/
	# Vega's expression interpreter (no eval, so the CSP needs no 'unsafe-eval') ships as a module importing
	# vega-util by its bare name: take those three names from the vega bundle the page has already loaded.
	sed "s#^import { ascending, isString, DisallowedObjectProperties } from 'vega-util';#const { ascending, isString, DisallowedObjectProperties } = globalThis.vega;#" \
		node_modules/vega-interpreter/build/vega-interpreter.js > static/vendor/vega/vega-interpreter.js
	grep -q "globalThis.vega;" static/vendor/vega/vega-interpreter.js
	@touch $@

MO_FILES := $(foreach l,$(LANGS),locale/$(l)/LC_MESSAGES/django.mo)
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po .venv/.synced
	$(PY) manage.py compiletranslations

setup: .venv/.synced static/build/socmon.css static/vendor/.copied $(MO_FILES)
	@mkdir -p var

migrate: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py install_questionnaires

# The demo runs as production does (DEBUG off: socmon's own error pages; WhiteNoise serves collected static files).
DEMO_ENV := SOCMON_DEBUG=0 SOCMON_DEMO=1
run: migrate
	$(PY) manage.py demo --if-empty
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py indicators_rebuild
	@# The indicator worker runs beside the server and stops with it (Ctrl+C stops both).
	trap 'kill 0' EXIT INT TERM; \
	$(DEMO_ENV) $(PY) manage.py indicators_worker & \
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: .venv/.synced
	.venv/bin/ruff check .

# Update the five catalogues from the code, then fail on any missing or fuzzy translation.
messages: .venv/.synced
	$(PY) manage.py makemessages $(foreach l,$(LANGS),-l $(l)) --no-location --no-obsolete \
		--ignore='.venv/*' --ignore='.tools/*' --ignore='node_modules/*' --ignore='static/*' --ignore='var/*'
	$(PY) manage.py compiletranslations --check

# BENCH_SCALE=700000 (clients) for national scale, on PostgreSQL (DATABASE_URL=postgres://…); BENCH_ONLY=lists|routes|indicators|visit_reports.
bench: setup
	BENCH_SCALE=$(BENCH_SCALE) BENCH_SEED=$(BENCH_SEED) $(PY) -m bench

clean:
	rm -rf .venv .tools node_modules static/build static/vendor var

# Screenshots for docs/: a throwaway demo server on port 8020 (its own SQLite file), then
# docs/screenshots.py against it; the server stops afterwards whatever happens.
SHOTS_DB := /tmp/socmon-shots.sqlite3
.PHONY: screenshots
screenshots: setup
	rm -f $(SHOTS_DB) $(SHOTS_DB)-wal $(SHOTS_DB)-shm
	export SOCMON_SQLITE_PATH=$(SHOTS_DB); \
	$(PY) manage.py migrate --noinput >/dev/null && $(PY) manage.py demo >/dev/null && \
	$(PY) manage.py indicators_rebuild >/dev/null && $(PY) manage.py indicators_worker --once || exit 1; \
	$(PY) manage.py runserver 127.0.0.1:8020 --noreload >/tmp/socmon-shots.log 2>&1 & server=$$!; \
	trap "kill $$server" EXIT; \
	for i in $$(seq 100); do $(PY) -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8020/accounts/login/')" \
		2>/dev/null && break; sleep 0.2; done; \
	$(PY) docs/screenshots.py http://127.0.0.1:8020
