# metastasis-kg: `make run` serves the curated graph, `make test` runs the suite.
# Both set everything up on a fresh machine with Python 3.11+; a second run reuses .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
IMAGE  ?= metastasis-kg
SOURCES ?= ../shared/seeds
STAMP  := $(VENV)/.installed-stamp
GRAPH  := kg/built/metastasis-kg.nt

.PHONY: install graph run chromium test test-e2e lint bench bench-quick bench-http bench-serve verify docker-build docker-test test-scale clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,fast,build]'
	touch $(STAMP)

install: $(STAMP)

$(GRAPH): $(STAMP) $(shell find data -type f) $(shell find kg -name "*.py") kg/curation/shapes.ttl
	$(BIN)/kg build

graph: $(GRAPH)

run: graph
	@echo "serving on http://$(HOST):$(PORT)  (API docs /docs, SPARQL /sparql, explorer /)"
	MALLOC_ARENA_MAX=2 $(BIN)/kg serve --host $(HOST) --port $(PORT)

# The browser test (tests/e2e) runs whenever Debian's Chromium is present and skips otherwise;
# E2E=1 installs Chromium first (root, apt). Playwright never downloads a browser here.
chromium:
	if [ "$(E2E)" = 1 ] && [ ! -x /usr/bin/chromium ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi

test: graph chromium
	$(BIN)/python -m pytest

test-e2e: graph chromium
	$(BIN)/python -m pytest -rs tests/e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/hadolint Dockerfile deploy/proxy/Dockerfile

verify: install
	$(BIN)/kg verify-citations --sources $(SOURCES)

bench: graph
	$(BIN)/python bench/bench_queries.py

bench-quick: graph
	$(BIN)/python bench/bench_queries.py --quick

# REST and SPARQL over HTTP side by side (/health, neighbourhood, k shortest paths, SPARQL; 1 and 32 clients)
bench-http: graph
	$(BIN)/python -m bench.http

# kg serve on the Hetionet-sized synthetic graph (written to build/synthetic.nt first): start-up time,
# memory of the whole process tree, depth-2 neighbourhood and shortest path p50 over HTTP
bench-serve: install
	$(BIN)/python -m bench.serve

docker-build:
	bash .ci/docker.sh build $(IMAGE)

docker-test:
	bash .ci/docker.sh test $(IMAGE)

# compose.yaml: 2 API replicas behind nginx, checked through the proxy, one replica killed under load
test-scale:
	bash .ci/scale.sh

clean:
	rm -rf $(VENV) kg/built build dist *.egg-info .pytest_cache .ruff_cache
