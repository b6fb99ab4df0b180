# Coalition — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: run test lint format venv dev-venv translations update-translations bench bench-profile bench-plans clean

$(BIN)/activate: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/activate

$(VENV)/.dev: $(BIN)/activate requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.dev

venv: $(BIN)/activate

dev-venv: $(VENV)/.dev

translations: $(BIN)/activate
	$(BIN)/pybabel -q compile -d coalition/translations

## Re-extract the strings and merge them into every catalog (then translate the new ones)
update-translations: $(BIN)/activate
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.* __pycache__' -o coalition/translations/messages.pot .
	$(BIN)/pybabel update -w 120 -i coalition/translations/messages.pot -d coalition/translations

## Serve the seeded demo on SQLite at http://127.0.0.1:5000
run: venv translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## Lint, then run every test (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)
test: dev-venv translations lint
	$(BIN)/pytest $(PYTEST_ARGS)

lint: dev-venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: dev-venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Side by side under gunicorn: every benchmark page vs hello world and a bare Flask+SQL page (DB=sqlite for SQLite)
DB ?= postgresql
bench: venv translations
	$(BIN)/python bench/compare.py --database $(DB) $(BENCH_ARGS)

## In-process timings and the slowest SQL of every benchmark page (SQLite file by default)
bench-profile: venv translations
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## PostgreSQL: the benchmark pages' statements whose generic plan is far slower, and whether they are marked
bench-plans: venv translations
	$(BIN)/python bench/plans.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
