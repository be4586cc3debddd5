"""Shared test helpers: the fixture site is built once per test run; copies of it are cheap to break."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "site"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` as relative path -> bytes, to compare whole outputs."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(*args: str) -> int:
    from ntc_site import cli

    return cli.main([str(a) for a in args])


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A private copy of the fixture project (content/ and datasets/) to modify."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "_site"
    code = run("build", "--content", FIXTURE / "content", "--out", out)
    assert code == 0
    return out
