# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app eap
STAMP  := $(VENV)/.installed
PO     := $(wildcard eap/translations/*/LC_MESSAGES/messages.po)
MO     := $(PO:.po=.mo)

README_SETTINGS := import re, pathlib; from eap.config import markdown_table; p = pathlib.Path('README.md'); t = p.read_text(); p.write_text(re.sub(r'(?s)(<!-- settings:start -->\n).*?(<!-- settings:end -->)', lambda m: m.group(1) + markdown_table() + m.group(2), t))

.PHONY: readme-settings run test test-fast test-browser test-pg install compile-translations extract-translations lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) compile-translations

%.mo: %.po | $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

compile-translations: $(MO)

extract-translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-location -o eap/translations/messages.pot .
	$(BIN)/pybabel update -i eap/translations/messages.pot -d eap/translations --no-fuzzy-matching

run: install
	$(FLASK) migrate
	$(FLASK) seed-demo
	@echo "Serving the portal on http://127.0.0.1:5000 (stop with Ctrl+C)"
	$(BIN)/python -m eap.billing.emulator $(FLASK) run --host 127.0.0.1 --port 5000

# The whole suite on SQLite, browser tests included (CI=true: a missing browser fails).
test: install
	$(BIN)/python -m coverage run -m pytest $(PYTEST_ARGS)
	$(BIN)/python -m coverage report --skip-covered --sort=cover | tail -n 25
	$(BIN)/python -m coverage report --format=total >/dev/null || \
		{ echo "branch coverage $$($(BIN)/python -m coverage report --format=total)% is below the floor in pyproject.toml"; exit 1; }

# The suite without the browser tests (used for the PostgreSQL round in CI).
test-fast: install
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

test-pg: install
	EAP_TEST_DATABASE_URL=$${EAP_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

# Only the browser tests (Playwright + Debian's /usr/bin/chromium + axe-core).
test-browser: install
	$(BIN)/python -m pytest -m browser tests/browser $(PYTEST_ARGS)

# The README's settings table, regenerated from eap/config.py SETTINGS.
readme-settings: $(STAMP)
	$(BIN)/python -c "$(README_SETTINGS)"

lint: install
	$(BIN)/ruff check eap tests bench
	$(BIN)/bandit -q -c pyproject.toml -r eap -ll

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) instance .pytest_cache dist build
	find eap/translations -name '*.mo' -delete
