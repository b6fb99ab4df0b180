# Coalition — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: run test lint format venv dev-venv translations bench clean

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
	$(BIN)/pybabel compile --use-fuzzy -d coalition/translations -f >/dev/null 2>&1 || true

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

bench: venv
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) instance .pytest_cache
