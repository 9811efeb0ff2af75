# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format bench install migrate demo clean

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_sanctions
	$(BIN)/python manage.py load_demo_data

# Web (gunicorn), worker and beat together at http://127.0.0.1:8000; Ctrl-C stops them all.
run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/honcho start -f Procfile 2>&1 || true

# The whole suite; uses DATABASE_URL and CELERY_BROKER_URL when they are set.
test: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/screening.py

clean:
	rm -rf var staticfiles .pytest_cache
