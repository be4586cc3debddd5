# Two commands on a fresh machine with only python3: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The editorial audit's research files, outside the repository (tests/audit/reference.py reads the same).
REFERENCE ?= ../shared/reference

.PHONY: site test audit serve check bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(PY) build.py build $(if $(BASE_URL),--base-url $(BASE_URL))

# The whole suite; the browser is the system Chromium, else Playwright's (installed here, once).
test: $(STAMP)
	$(PY) tests/browser/browsers.py --install
	$(PY) -m pytest

# Records against the research files: only where they exist (the project workspace), never in `make test`.
audit: $(STAMP)
	@if [ -d "$(REFERENCE)" ]; then \
		NTC_REFERENCE="$(abspath $(REFERENCE))" $(PY) -m pytest tests/audit; \
	else \
		echo "audit skipped: no research files in $(REFERENCE) (set REFERENCE=folder to run it)"; \
	fi

check: $(STAMP)
	$(PY) build.py check --strict

serve: $(STAMP)
	$(PY) build.py serve

bench: $(STAMP)
	$(PY) bench/run.py --pages 1000 --runs 3

clean:
	rm -rf _site .cache _artifacts
