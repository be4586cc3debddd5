"""`make test` runs in a fresh clone with nothing beside it; the editorial audit is its own target.

The repository is copied into an empty folder (no ../shared/, no .venv, no cache) and pytest is asked to
collect the default suite there: a test module that reads outside the repository at import fails this.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from support import ROOT

IGNORED = shutil.ignore_patterns(".git", ".venv", "_site", ".cache", "_artifacts", "__pycache__", "*.pyc",
                                 ".pytest_cache", ".hypothesis")


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository in a folder of its own: nothing is beside it."""
    target = tmp_path_factory.mktemp("alone") / "ntc-site"
    shutil.copytree(ROOT, target, ignore=IGNORED)
    assert [p.name for p in target.parent.iterdir()] == ["ntc-site"]
    return target


def in_copy(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NTC_REFERENCE", "PYTEST_ADDOPTS")}
    env["PYTHONPATH"] = str(copy)  # the copy's ntc_site, not an installed one
    return subprocess.run(args, cwd=copy, env=env, capture_output=True, text=True, timeout=300)


def test_the_default_suite_collects_in_a_clone_with_nothing_beside_it(alone: Path):
    done = in_copy(alone, sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    collected = [line for line in done.stdout.splitlines() if "::" in line]
    folders = {line.split("/")[1] for line in collected}
    assert folders == {"unit", "e2e", "browser"}, folders  # never tests/audit
    assert len(collected) > 500


def test_the_audit_alone_stops_with_one_clear_line_without_the_research_files(alone: Path):
    done = in_copy(alone, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/audit")
    assert done.returncode == pytest.ExitCode.USAGE_ERROR
    assert "audit not run: the editorial audit needs the research files in" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_make_audit_is_a_no_op_that_says_so_without_the_research_files(alone: Path):
    done = in_copy(alone, "make", "--no-print-directory", "-o", ".venv/.installed", "audit", f"PY={sys.executable}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "audit skipped: no research files in ../shared/reference (set REFERENCE=folder" \
                                  " to run it)"


def test_test_and_audit_are_separate_targets_and_ci_runs_both():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = dict(re.findall(r"^(test|audit):(.*)$", makefile, re.M))
    assert targets == {"test": " $(STAMP) $(LIGHTHOUSE)", "audit": " $(STAMP)"}  # neither depends on the other
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert ci.index("make test") < ci.index("make audit")
    testpaths = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert "tests/audit" not in testpaths["testpaths"] and "tests" not in testpaths["testpaths"]
