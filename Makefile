# huying — two commands: `make run` and `make test`. Everything else is a step of theirs.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HUYING_DATA ?= ../shared/data
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test setup migrate demo lint types contracts openapi openapi-check messages messages-check test-sqlite test-pg test-browser test-fuzz test-fuzz-prod run-prod stop-prod test-drills bench-load bandit security-matrix \
        bench-intake bench-dispatch bench-dispatch-transfer bench-dispatch-adapt bench-dispatch-variants bench-dedup bench-first-views bench-hot bench-replycheck bench-queue bench-licence bench-grids bench-points bench-deputies bench-panels bench-community bench-volunteers bench-map sweep clean

$(STAMP): requirements/base.txt requirements/dev.txt
	@command -v $(PY) >/dev/null || { echo "需要 Python 3.11（$(PY)）"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable

demo: migrate
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py demo --if-empty

## make run: virtualenv, dependencies, migrations, demo data and the demo accounts, then serve on http://127.0.0.1:8000
run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "截止期限巡检（超期督办）每60秒运行一次；后台任务（如模型训练）由 db_worker 执行；按 Ctrl+C 停止服务。"
	$(BIN)/python manage.py sweep --loop 60 & SWEEP=$$!; \
	$(BIN)/python manage.py db_worker & WORKER=$$!; \
	trap "kill $$SWEEP $$WORKER 2>/dev/null" EXIT; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

sweep: setup
	$(BIN)/python manage.py sweep

## make run-prod: the production profile on this host (PostgreSQL primary + replica, Redis, two gunicorn
## nodes behind nginx on 127.0.0.1:8088, task workers, a sweep per node); docs/deploy.md. make stop-prod stops it.
run-prod: setup
	scripts/prod/start.sh

stop-prod:
	scripts/prod/stop.sh

## make bench-load: Locust headless, the same mix against the production profile and the one-machine default
bench-load: setup
	$(BIN)/python bench/load.py

## make test-drills: a profile of its own; kill -9 of an app node, a worker and the PostgreSQL primary during
## 1,000 submissions; pg_dump/pg_restore and SQLite online backup; replica promotion (scripts/prod/drills.py)
test-drills: setup
	$(BIN)/python scripts/prod/drills.py

## make test: lint, types, import contracts, OpenAPI and message-catalogue checks, suite on SQLite and PostgreSQL, browser tests
test: setup lint types contracts bandit openapi-check messages-check test-sqlite test-pg test-browser

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	scripts/check-narration.sh

types: setup
	$(BIN)/mypy huying config

contracts: setup
	$(BIN)/lint-imports

# Security lint of the code that runs in production; findings are fixed or recorded in docs/security-findings.md
# and docs/bandit-baseline.json (a finding not in the baseline fails).
bandit: setup
	$(BIN)/bandit -q -r huying config -c pyproject.toml -b docs/bandit-baseline.json

openapi: setup
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py spectacular --file docs/openapi.yaml --validate --fail-on-warn

openapi-check: setup
	mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py spectacular --file var/openapi.generated.yaml --validate --fail-on-warn
	@diff -u docs/openapi.yaml var/openapi.generated.yaml > /dev/null || { \
	  diff -u docs/openapi.yaml var/openapi.generated.yaml | head -40; \
	  echo "docs/openapi.yaml 与代码不一致：运行 make openapi 并提交。"; exit 1; }

# The English catalogue (zh-Hans is the source language). `make messages` after changing any text a
# person reads, translate the new entries in locale/en/LC_MESSAGES/django.po, run it again, commit both.
MAKEMESSAGES = $(BIN)/python manage.py makemessages -l en --no-location --ignore=".venv/*" \
  --ignore="var/*" --ignore="staticfiles/*" --ignore="media/*" --ignore="test-artifacts/*" --ignore="bench/*" --ignore="tests/*" --ignore="*/tests/*"
PO := locale/en/LC_MESSAGES/django.po

messages: setup
	scripts/ensure-gettext.sh
	$(MAKEMESSAGES)
	$(BIN)/python manage.py compilemessages -l en --ignore=".venv" --ignore="var"
	@msgfmt --statistics -o /dev/null $(PO)

messages-check: setup
	scripts/ensure-gettext.sh
	mkdir -p var && cp $(PO) var/django.po.committed
	$(MAKEMESSAGES) >/dev/null
	@status=0; \
	diff -u -I '^"POT-Creation-Date:' var/django.po.committed $(PO) > var/messages.diff || status=1; \
	stats=$$(LC_ALL=C msgfmt --statistics -o /dev/null $(PO) 2>&1); \
	cp var/django.po.committed $(PO); \
	if [ $$status != 0 ]; then head -40 var/messages.diff; \
	  echo "$(PO) 与代码中的文字不一致：运行 make messages，翻译新条目后提交。"; exit 1; fi; \
	case "$$stats" in *untranslated*|*fuzzy*) echo "$$stats"; \
	  echo "$(PO) 有未翻译或待确认（fuzzy）的条目：翻译后运行 make messages 并提交。"; exit 1;; esac; \
	echo "英文翻译目录完整：$$stats"

test-sqlite: setup
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -m "not browser"

test-pg: setup
	source scripts/pg-test-server.sh && DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -m "not browser"

test-browser: setup
	scripts/ensure-chromium.sh
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -m browser

## make security-matrix: regenerate tests/security/matrix.csv (every URL pattern x every role, the status each
## answers) after adding pages or changing who may see what; review its diff. make test fails on any drift.
security-matrix: setup
	HUYING_MATRIX_WRITE=1 DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -q -p no:randomly \
	  tests/security/test_role_matrix.py -k every_endpoint
	@git diff --stat -- tests/security/matrix.csv

## make test-fuzz: schemathesis over docs/openapi.yaml against a live server, as anonymous, citizen, unit and
## operator; fails on any server error or undeclared answer (not part of make test: it takes minutes)
test-fuzz: setup
	scripts/fuzz.sh

## make test-fuzz-prod: the same fuzz against the production profile (make run-prod: two nodes behind nginx on
## PostgreSQL with its replica, Redis, workers), started for the run and stopped after it
test-fuzz-prod: setup
	scripts/prod/start.sh
	FUZZ_BASE_URL=http://127.0.0.1:8088 scripts/fuzz.sh; rc=$$?; scripts/prod/stop.sh; exit $$rc

bench-intake: setup
	$(BIN)/python bench/intake.py

## make bench-dispatch: train the dispatch classifier on train.csv, score it once on test.csv, beside the baseline
bench-dispatch: setup
	$(BIN)/python manage.py dispatch_eval --train $(HUYING_DATA)/dispatch/train.csv \
	  --test $(HUYING_DATA)/dispatch/test.csv --baseline --rewritten

## make bench-dispatch-transfer: no local data / 200 local corrections on another province's messages, and in-domain
bench-dispatch-transfer: setup
	HUYING_DATA=$(HUYING_DATA) $(BIN)/python bench/dispatch_transfer.py

## make bench-dispatch-adapt: the weight of local corrections, by cross-validation on the first 200 rows only
bench-dispatch-adapt: setup
	HUYING_DATA=$(HUYING_DATA) $(BIN)/python bench/dispatch_adapt_weight.py

## make bench-dedup: recall of exact and near duplicates in messages_with_votes.csv; 1,000,000-variant index vs brute force
bench-dedup: setup
	$(BIN)/python bench/dedup.py

## make bench-first-views: 热点问题 and the dashboard on a server that has just started (the demo city), then again;
## BENCH_ARGS=--cold empties the shared cache first
bench-first-views: setup
	$(BIN)/python bench/first_views.py $(BENCH_ARGS)

## make bench-hot: the hot-issues page over 20,000 generated appeals: cold, from the cache, the page
bench-hot: setup
	$(BIN)/python bench/hot_issues.py

## make bench-dispatch-variants: cross-validated macro-F1 of the classifier variants ADR 0005 compares (train.csv only)
bench-dispatch-variants: setup
	$(BIN)/python bench/dispatch_variants.py

## make bench-replycheck: the reply check calibrated on messages_with_replies.csv
bench-replycheck: setup
	$(BIN)/python bench/replycheck.py

## make bench-queue: pooled vs per-department windows; the planner's model (Allen–Cunneen) and plain Erlang C against a simulation with lognormal service times
bench-queue: setup
	$(BIN)/python bench/hall_queue.py

## make bench-deputies: parse a 1,260-article draft (the Civil Code's size) into its article tree
bench-deputies: setup
	$(BIN)/python bench/deputies_drafts.py

## make bench-licence: e-licence QR-token verifications per second against bare Ed25519
bench-licence: setup
	$(BIN)/python bench/licence.py

## make bench-map: 100,000 service points, 100,000 nearest-point queries through the STRtree against a linear scan
bench-map: setup
	$(BIN)/python bench/map.py

## make bench-grids: 10,000 grids, 1,000,000 residents imported, 100,000 points located, this month's visit coverage (--scale via GRIDS_SCALE)
bench-grids: setup
	$(BIN)/python bench/grids.py --scale $(or $(GRIDS_SCALE),1.0)

## make bench-points: 16 HTTP clients redeeming with one-time codes and crediting claims against gunicorn, beside raw INSERT+COMMIT of the same rows; overdrafts from the trial balance
bench-points: setup
	$(BIN)/python bench/points.py
## make bench-panels: LEXIMIN on the public sortition instances against the paper's minimum probabilities, and a generated open-day pool
SORTITION_DATA ?= ../shared/sortition/data
bench-panels: setup
	SORTITION_DATA=$(SORTITION_DATA) $(BIN)/python bench/panels.py
## make bench-community: a township's villages with five years of notice-board history: duty list and public board (--villages via COMMUNITY_VILLAGES)
bench-community: setup
	$(BIN)/python bench/community.py --villages $(or $(COMMUNITY_VILLAGES),40)
## make bench-volunteers: 120,000 volunteers, 10,000 open needs; suggestions by the index against scoring everyone
bench-volunteers: setup
	$(BIN)/python bench/volunteers.py

clean:
	rm -rf var/ .pytest_cache .mypy_cache .ruff_cache
