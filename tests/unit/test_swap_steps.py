"""The swap that publishes a build, observed step by step: after every file-system call made while the
new site replaces the old one, `--out` holds one whole site, the old or the new, never a mix or nothing.

The killed-build tests (tests/e2e/test_killed_build.py) kill the process at named points; this test also
covers the steps between those points, so replacing the atomic exchange by, say, delete-then-rename fails
here even if no fault point was added around the new calls.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from support import tree

from ntc_site.write import exchange as exchange_module
from ntc_site.write import output

OLD = {"index.html": b"old home", "it/index.html": b"vecchia", "gone/index.html": b"removed page"}
NEW = {"index.html": b"new home", "it/index.html": b"nuova", "en/index.html": b"new english"}


def observed_states(out: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, bytes] | None]:
    """Write NEW over OLD and record what `out` holds after each rename, delete or removal."""
    output.write_site(out, OLD)
    states: list[dict[str, bytes] | None] = []

    def record() -> None:
        states.append({k: v for k, v in tree(out).items() if k != output.MARKER} if out.is_dir() else None)

    def watch(name: str, module=os) -> None:
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            result = original(*args, **kwargs)
            record()
            return result
        monkeypatch.setattr(module, name, wrapper)

    for name in ("rename", "replace", "unlink", "rmdir", "link"):
        watch(name)
    watch("rmtree", shutil)
    real_exchange = exchange_module.exchange

    def swap(a: Path, b: Path) -> bool:
        done = real_exchange(a, b)
        record()
        return done
    monkeypatch.setattr(exchange_module, "exchange", swap)
    output.write_site(out, NEW)
    monkeypatch.undo()
    return states


def test_every_step_of_the_swap_leaves_one_whole_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    states = observed_states(tmp_path / "_site", monkeypatch)
    assert states, "no step observed"
    assert all(state in (OLD, NEW) for state in states), [s and sorted(s) for s in states]
    assert states[-1] == NEW


def test_the_fallback_swap_is_only_ever_missing_while_the_old_site_waits_beside_it(tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NTC_NO_EXCHANGE", "1")
    out = tmp_path / "_site"
    states = observed_states(out, monkeypatch)
    missing = [i for i, state in enumerate(states) if state is None]
    assert len(missing) == 1  # exactly the moment between the two renames
    assert all(state in (OLD, NEW) for state in states if state is not None)
    assert states[-1] == NEW


def test_a_site_moved_aside_is_put_back_before_the_next_build(tmp_path: Path):
    out = tmp_path / "_site"
    output.write_site(out, OLD)
    moved = tmp_path / f".{out.name}.old-12345"
    os.rename(out, moved)  # as a fallback swap killed between its renames leaves it
    output.recover(out)
    assert {k: v for k, v in tree(out).items() if k != output.MARKER} == OLD and not moved.exists()
