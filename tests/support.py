"""Helpers shared by the unit and end-to-end tests (imported as `support`; fixtures live in conftest.py)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "site"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` as relative path -> bytes, to compare whole outputs."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(*args: str) -> int:
    from ntc_site import cli

    return cli.main([str(a) for a in args])
