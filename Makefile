# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app eap
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
UV     := "uv>=0.9,<1"
PO     := $(wildcard eap/translations/*/LC_MESSAGES/messages.po)
MO     := $(PO:.po=.mo)

README_SETTINGS := import re, pathlib; from eap.settings import markdown_table; p = pathlib.Path('docs/settings.md'); t = p.read_text(); p.write_text(re.sub(r'(?s)(<!-- settings:start -->\n).*?(<!-- settings:end -->)', lambda m: m.group(1) + markdown_table() + m.group(2), t))

.PHONY: readme-settings run test test-fast test-browser test-pg install lock lock-upgrade compile-translations extract-translations lint bench bench-chat clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs exactly what requirements.lock pins, each file checked against its hash; then the
# portal itself without dependencies (docs/operations.md, "Dependencies and the lock file").
$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(PYTHON) .ci/lock_check.py pyproject.toml $(LOCK)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP) compile-translations

# After changing dependencies in pyproject.toml: pin what is new, keep every other pin.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet $(UV)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
		--python-version 3.11 --quiet -o $(LOCK)

# Move every pin to the newest release pyproject.toml allows (then run the tests).
lock-upgrade: | $(BIN)/python
	$(BIN)/pip install --quiet $(UV)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
		--python-version 3.11 --quiet --upgrade -o $(LOCK)

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

# docs/settings.md (linked from the README), regenerated from eap/config.py SETTINGS.
readme-settings: $(STAMP)
	$(BIN)/python -c "$(README_SETTINGS)"

lint: install
	$(BIN)/ruff check eap tests bench
	$(BIN)/bandit -q -c pyproject.toml -r eap -ll

# Installs Debian's wrk when it is missing (as .ci/run installs Chromium): as root, or with sudo.
bench: install
	@command -v wrk >/dev/null || { \
		echo "bench: installing the load generator wrk (apt-get install wrk)"; \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(BIN)/python -m bench.run

# The live chat (bench/chat.py): 200 event streams through nginx (deploy/nginx/eap.conf) to the
# threaded chat gunicorn with Redis pub/sub; delivery latency and memory per open stream. Needs
# PostgreSQL on 127.0.0.1:5432, Redis on 127.0.0.1:6379 (db 14) and nginx (nginx-light).
bench-chat: install
	$(BIN)/python -m bench.chat

clean:
	rm -rf $(VENV) instance .pytest_cache dist build
	find eap/translations -name '*.mo' -delete
