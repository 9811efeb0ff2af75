# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# The message catalogues are compiled from locale/*/LC_MESSAGES/django.po (needs GNU gettext: apt-get install gettext).
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
I18N_IGNORE := --ignore=.venv --ignore=staticfiles --ignore=var --ignore=bench --ignore=docs --ignore=tests

.PHONY: run test lint format bench bench-admin bench-activation bench-api install migrate demo messages screenshots clean

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(BIN)/.installed
	$(BIN)/python manage.py compilemessages --locale $* $(I18N_IGNORE) --verbosity 0

install: $(BIN)/.installed $(CATALOGUES)

# The cache table holds allauth's rate limits when CACHE_URL is unset (every process shares it).
migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable

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

# Collect the strings marked for translation into the catalogues; translate the new ones, then `make install`.
messages: install
	$(BIN)/python manage.py makemessages --locale zh_Hans $(I18N_IGNORE) --add-location file --no-wrap --verbosity 0

# Retake the README's screenshots of the merchant's journey (needs Debian's chromium, PostgreSQL and a broker).
screenshots: install
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	PORTAL_SCREENSHOTS=1 $(BIN)/python -m pytest tests/onboarding/e2e/test_merchant_journey.py tests/onboarding/e2e/test_merchant_pages.py tests/onboarding/e2e/test_officer_journey.py -k "en or officer"

bench: install
	$(BIN)/python bench/screening.py

# The review admin over 100,000 applications, in its own PostgreSQL database (BENCH_DATABASE_URL; default
# postgres://postgres@127.0.0.1:5432/portal_bench, created and filled on the first run, reused after).
bench-admin: install
	$(BIN)/python bench/admin.py

clean:
	rm -rf var staticfiles .pytest_cache

# Boarding and terminal activation through the local acquirer (PostgreSQL and Redis; about 4 minutes).
bench-activation: install
	$(BIN)/python bench/activation.py

# The partner API: create and submit under load beside a plain DRF floor, and the list over 100,000
# applications (PostgreSQL and Redis; a database of its own, portal_bench_api, made again; a few minutes).
bench-api: install
	$(BIN)/python bench/api.py
