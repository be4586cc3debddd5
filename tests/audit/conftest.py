"""The editorial audit compares content/ with the research files outside the repository.

It runs only through `make audit` (or `pytest tests/audit`); without the reference folder the session stops
at once with one clear line instead of a traceback per module.
"""
from __future__ import annotations

import pytest
import reference


def pytest_sessionstart(session: pytest.Session) -> None:
    why = reference.missing()
    if why:
        pytest.exit(f"audit not run: {why}", returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.fixture(scope="session")
def reference_dir():
    """The reference folder (../shared/reference/), for audit tests that read it in a fixture."""
    return reference.folder()
