"""Deterministic fault injection for the killed-build tests.

A build promises that a kill at any moment leaves the output whole (the old site or the new one) and that
the next build succeeds. Killing a process after a delay only ever lands where the build happens to be,
so the tests name a point instead: with `NTC_KILL_AT=<point>` in the environment the build sends itself
SIGKILL when it reaches that point. Unset (always, outside tests), `reached()` is one dictionary lookup.
"""
from __future__ import annotations

import os
import signal

POINTS = (
    "cache-writing",      # a table of the build cache is in its temporary file, not yet renamed
    "staging-taken",      # the previous output's spare tree has been taken as the staging folder
    "staging-half",       # half of the new files are in the staging folder
    "staging-written",    # every file is staged, the build marker not yet
    "before-swap",        # the staged tree is complete and marked
    "between-renames",    # fallback swap only: the old site moved aside, the new one not yet in place
    "after-swap",         # the new site is in place, the replaced tree not yet kept as the spare
)


def reached(point: str) -> None:
    if os.environ.get("NTC_KILL_AT") == point:
        os.kill(os.getpid(), signal.SIGKILL)


def exchange_disabled() -> bool:
    """`NTC_NO_EXCHANGE=1` forces the two-rename swap used where renameat2 is missing (macOS, some
    filesystems), so that path is tested on Linux too."""
    return os.environ.get("NTC_NO_EXCHANGE") == "1"
