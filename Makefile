# Two commands on a fresh machine with only python3: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test audit serve check bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(PY) build.py build $(if $(BASE_URL),--base-url $(BASE_URL))

test: $(STAMP)
	$(PY) -m pytest

# Audits against ../shared/reference/ (the project workspace); not part of `make test`.
audit: $(STAMP)
	$(PY) -m pytest tests/audit

check: $(STAMP)
	$(PY) build.py check --strict

serve: $(STAMP)
	$(PY) build.py serve

bench: $(STAMP)
	$(PY) bench/run.py --pages 1000 --runs 3

clean:
	rm -rf _site .cache _artifacts
