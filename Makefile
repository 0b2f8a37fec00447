# 星火科普 — the README's words as targets. `make run` serves the demo; `make test` runs every test.
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup run serve test test-sqlite test-postgres lint fmt bench migrations-check clean

help:
	@echo "make run     搭建环境、准备演示数据并在 http://$(HOST):$(PORT) 启动平台"
	@echo "make test    搭建环境并运行全部测试（SQLite 与 PostgreSQL）"
	@echo "make bench   运行性能基准并打印数据"

$(BIN)/python:
	@command -v $(PY) >/dev/null || { echo "需要 Python 3.11（$(PY)）"; exit 1; }
	$(PY) -m venv $(VENV)

$(VENV)/.installed: requirements/base.txt requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --require-hashes -r requirements/base.txt -r requirements/dev.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

setup: $(VENV)/.installed node_modules/.package-lock.json
	@scripts/system-deps.sh run
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0; fi
	$(BIN)/python manage.py collectstatic --noinput -v 0

run: setup
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py load_regions 3709
	$(BIN)/python manage.py load_base_data
	$(BIN)/python manage.py load_worklist
	XINGHUO_ENV=demo $(BIN)/python manage.py seed_demo --scale small
	@echo ""
	@echo "星火科普已启动：http://$(HOST):$(PORT)/ （管理后台 /console/ ，系统管理员 sysadmin）"
	@echo "演示环境已关闭工作人员动态口令（XINGHUO_OTP_REQUIRED=0）；生产环境不可关闭。按 Ctrl+C 停止。"
	XINGHUO_ENV=demo XINGHUO_OTP_REQUIRED=0 $(BIN)/gunicorn xinghuo.config.wsgi:application --chdir src \
		--bind $(HOST):$(PORT) --workers 2 --threads 4 --worker-class gthread --access-logfile - --log-level warning

test: setup
	@scripts/system-deps.sh test
	$(MAKE) --no-print-directory lint migrations-check test-sqlite test-postgres

lint:
	$(BIN)/ruff check src bench tests conftest.py
	$(BIN)/ruff format --check src bench tests conftest.py

fmt:
	$(BIN)/ruff format src bench tests conftest.py
	$(BIN)/ruff check --fix src bench tests conftest.py

migrations-check:
	XINGHUO_ENV=test $(BIN)/python manage.py makemigrations --check --dry-run -v 1

test-sqlite:
	XINGHUO_ENV=test $(BIN)/pytest -n 2 -q

test-postgres:
	@scripts/postgres-up.sh "$(TEST_DATABASE_URL)"
	XINGHUO_ENV=test DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest -n 2 -q

bench: setup
	@scripts/postgres-up.sh "$(TEST_DATABASE_URL)"
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles var/*.sqlite3*
