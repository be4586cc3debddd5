"""Where the editorial audit finds the research files: `../shared/reference/` beside the repository.

The folder is part of the project workspace, not of the repository, so the audit is its own suite
(`make audit`), never collected by `make test`. `NTC_REFERENCE` points elsewhere when needed.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def folder() -> Path:
    """The reference folder: $NTC_REFERENCE, else ../shared/reference beside the repository root."""
    configured = os.environ.get("NTC_REFERENCE")
    return Path(configured) if configured else ROOT.parent / "shared" / "reference"


def missing() -> str:
    """Why the audit cannot run here, or '' when it can."""
    where = folder()
    if not where.is_dir():
        return (f"the editorial audit needs the research files in {where} (the project workspace's"
                " shared/reference/); set NTC_REFERENCE to their folder")
    return ""


def file(name: str) -> Path:
    """A file of the reference folder, which the session start has checked exists."""
    path = folder() / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from the reference folder")
    return path
