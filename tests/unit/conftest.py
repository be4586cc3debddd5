"""Fixtures of the unit tests."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "data-site"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the data fixture site; the working directory, so messages name 'datasets/...'."""
    target = tmp_path / "project"
    shutil.copytree(DATA_FIXTURE, target)
    monkeypatch.chdir(target)
    return target
