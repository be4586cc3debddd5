"""Fixtures for the whole suite: the fixture site is built once per test run; copies of it are cheap to break."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from support import DATA_FIXTURE, FIXTURE, ROOT, run


def pytest_configure(config: pytest.Config) -> None:
    """Builds made by tests keep their cache in a temporary folder, never in the repository."""
    os.environ.setdefault("NTC_CACHE_DIR", tempfile.mkdtemp(prefix="ntc-test-cache-"))


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A private copy of the fixture project (content/ and datasets/) to modify."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture
def data_project(tmp_path: Path) -> Path:
    """A private copy of the data fixture project (pages, records, datasets/) with its own templates, so that
    every input folder can change."""
    target = tmp_path / "project"
    shutil.copytree(DATA_FIXTURE, target, ignore=shutil.ignore_patterns(".cache"))
    shutil.copytree(ROOT / "templates", target / "templates")
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "_site"
    code = run("build", "--content", FIXTURE / "content", "--out", out)
    assert code == 0
    return out
