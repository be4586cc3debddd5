"""ntc_site/forked.py: a value worked out in a forked child, or here when there is no fork."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from support import ROOT

from ntc_site.forked import Forked


def test_the_value_comes_back_from_the_child_whole():
    big = {f"path/{i}/index.html": i for i in range(20_000)}  # well over a pipe's buffer
    forked = Forked(lambda: (os.getpid(), big, {"a", "b"}), None)
    assert forked._pid != 0
    pid, value, names = forked.result()
    assert pid != os.getpid() and value == big and names == {"a", "b"}
    assert forked.result()[1] == big  # asked again: the same answer, no second wait


def test_without_fork_the_value_is_worked_out_here(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delattr(os, "fork")
    forked = Forked(lambda: os.getpid(), None)
    assert forked._pid == 0 and forked.result() == os.getpid()


def _raise() -> int:
    raise RuntimeError("boom")


def _die() -> int:
    os.kill(os.getpid(), signal.SIGKILL)
    return 1


@pytest.mark.parametrize("fn", [_raise, _die], ids=["raises", "dies"])
def test_a_child_that_fails_gives_the_failed_value(fn):
    assert Forked(fn, "failed").result() == "failed"


def test_a_child_no_longer_needed_is_stopped_and_reaped():
    forked = Forked(lambda: __import__("time").sleep(60), "failed")
    pid = forked._pid
    forked.cancel()
    with pytest.raises(ChildProcessError):  # neither running nor a zombie
        os.waitpid(pid, os.WNOHANG)
    assert forked.result() == "failed"


def test_what_the_parent_had_not_yet_written_is_written_once():
    script = ("import sys\nfrom ntc_site.forked import Forked\nsys.stdout.write('before ')\n"
              "print(Forked(lambda: 42, 0).result())\n")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}  # buffered, as usual
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          env={**env, "PYTHONPATH": str(ROOT)})
    assert done.stdout == "before 42\n"
