# Two commands on a fresh machine with only python3: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

LIGHTHOUSE := tests/browser/node_modules/.bin/lighthouse

.PHONY: site test lighthouse serve check bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(PY) build.py build $(if $(BASE_URL),--base-url $(BASE_URL))

# Lighthouse for the browser tests, pinned in tests/browser/package-lock.json (run on Debian's chromium).
$(LIGHTHOUSE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --ignore-scripts
	touch $(LIGHTHOUSE)

test: $(STAMP) $(LIGHTHOUSE)
	$(PY) -m pytest

# Every page type in both languages (the suite scores each page type in Italian only, to stay fast).
lighthouse: $(STAMP) $(LIGHTHOUSE)
	NTC_LIGHTHOUSE_LANGS=it,en $(PY) -m pytest tests/browser/test_lighthouse.py

check: $(STAMP)
	$(PY) build.py check --strict

serve: $(STAMP)
	$(PY) build.py serve

bench: $(STAMP)
	$(PY) bench/run.py --pages 1000 --runs 3

clean:
	rm -rf _site .cache _artifacts tests/browser/node_modules
