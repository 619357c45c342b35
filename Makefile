# Paperlane. Needs GNU make, python3 (3.11+) and, for the web app, Node 20+ with npm.
# Everything Python runs from .venv; installs happen only when pyproject.toml or
# web/package-lock.json changed since the last install (stamp files).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARGS   ?=

PY_STAMP  := $(VENV)/.installed
WEB       := $(if $(wildcard web/package.json),web,)
WEB_LOCK  := $(wildcard web/package-lock.json)
WEB_STAMP := $(if $(WEB),web/node_modules/.installed,)

.PHONY: install dev test lint codegen codegen-check e2e bench bench-extract soak scale-test fuzz migrate clean distclean

install: $(PY_STAMP) $(WEB_STAMP)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

web/node_modules/.installed: web/package.json $(WEB_LOCK)
	cd web && $(if $(WEB_LOCK),npm ci,npm install) --no-audit --no-fund
	@touch $@

dev: install
	$(BIN)/paperlane dev $(ARGS)

# pytest exits 5 when it collected no test: make only says "Error 5", so name it.
NO_TESTS = || { rc=$$?; [ $$rc -ne 5 ] || echo "ERROR: pytest collected no tests" >&2; exit $$rc; }

test: install
	$(BIN)/python -m pytest $(ARGS) $(NO_TESTS)
ifneq ($(WEB),)
	cd web && npm test
endif

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
ifneq ($(WEB),)
	cd web && npm run lint && npx tsc --noEmit
endif

codegen: install
	$(BIN)/paperlane export-schema
ifneq ($(WEB),)
	cd web && npm run codegen
endif

# Fails when the committed SDL or generated web types differ from what the code produces.
codegen-check: codegen
	@if [ -n "$$(git status --porcelain -- codegen web/src/gql)" ]; then \
	  echo "codegen drift: run 'make codegen' and commit the result"; \
	  git status --short -- codegen web/src/gql; git --no-pager diff --stat -- codegen web/src/gql; \
	  exit 1; fi

e2e: install
	$(BIN)/python -m pytest tests/e2e $(ARGS) $(NO_TESTS)

# Schemathesis over every REST operation (no 5xx, answers match the OpenAPI document), with many
# more examples per operation than the short run inside `make test`.
FUZZ_EXAMPLES ?= 300
fuzz: install
	PAPERLANE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/api/test_openapi_fuzz.py -p no:cacheprovider $(ARGS) $(NO_TESTS)

bench: install
	$(BIN)/python tests/bench/run_all.py $(BENCH_ARGS)

bench-extract: install
	$(BIN)/python tests/bench/bench_extract.py $(BENCH_ARGS)

soak: install
	$(BIN)/python tests/bench/soak.py $(SOAK_ARGS)

# Two APIs, two workers, separate local folders, files in S3 (moto); API 1 and a worker SIGKILLed
# mid-job. `make test` runs a short form (12 documents); this one uploads SCALE_DOCUMENTS.
SCALE_DOCUMENTS ?= 60
scale-test: install
	PAPERLANE_SCALE_DOCUMENTS=$(SCALE_DOCUMENTS) $(BIN)/python -m pytest tests/scale -s $(ARGS) $(NO_TESTS)

migrate: install
	$(BIN)/paperlane migrate

# Caches and build output. `distclean` also drops .venv, node_modules and the dev data (.paperlane).
clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache build *.egg-info web/.next web/out test-results
	find . -name __pycache__ -not -path './$(VENV)/*' -not -path './web/node_modules/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) web/node_modules .paperlane
