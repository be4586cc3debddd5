"""Measure one whole child process: wall time, CPU time and peak memory.

Why this exists: the benchmark compares whole builds (interpreter start-up,
imports, worker pools and all), so each build runs as a child process and is
measured from outside, not with in-process timers.

* wall time: ``time.perf_counter`` around spawn .. reap;
* CPU: ``ru_utime + ru_stime`` from ``os.wait4``, which includes the child's
  own waited-for descendants (e.g. a multiprocessing pool);
* ``maxrss_mib``: ``ru_maxrss`` from ``os.wait4`` = the peak RSS of the
  largest single process in that tree (Linux semantics);
* ``tree_rss_mib``: the peak of the *sum* of VmRSS over the child and all its
  descendants, sampled from ``/proc`` every ``interval`` seconds.  It double
  counts pages shared after ``fork`` so it is an upper bound, and it can miss
  spikes shorter than the interval; it matters when the build uses workers.
* ``tree_pss_mib``: the same peak of the sum of Pss (``/proc/PID/smaps_rollup``):
  each page shared by n processes counts 1/n in each, so the sum is the memory
  the whole tree really holds.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence


@dataclass
class Sample:
    """One measured run of one command."""
    wall_s: float
    cpu_s: float
    maxrss_mib: float
    tree_rss_mib: float
    returncode: int
    output_tail: str
    tree_pss_mib: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children", encoding="ascii") as fh:
                kids.extend(int(k) for k in fh.read().split())
    except OSError:
        pass
    return kids


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_rss_kib(root: int, measure=_rss_kib) -> int:
    """Sum of VmRSS (KiB, or what ``measure`` gives) over ``root`` and its live descendants."""
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += measure(pid)
        stack.extend(_children(pid))
    return total


class _TreeSampler(threading.Thread):
    def __init__(self, pid: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kib = self.peak_pss_kib = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak_kib = max(self.peak_kib, tree_rss_kib(self.pid))
            self.peak_pss_kib = max(self.peak_pss_kib, tree_rss_kib(self.pid, _pss_kib))
            self.stop.wait(self.interval)


def run_measured(cmd: Sequence[str], env: Mapping[str, str] | None = None,
                 cwd: str | Path | None = None, interval: float = 0.05) -> Sample:
    """Run ``cmd`` to completion and measure it; output goes to a temp file."""
    with tempfile.TemporaryFile() as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(cmd), env=dict(env) if env is not None else None,
                                cwd=cwd, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT)
        sampler = _TreeSampler(proc.pid, interval)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        sampler.stop.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        tail = log.read()[-4000:].decode("utf-8", "replace")
    return Sample(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        maxrss_mib=usage.ru_maxrss / 1024.0,
        tree_rss_mib=sampler.peak_kib / 1024.0,
        tree_pss_mib=sampler.peak_pss_kib / 1024.0,
        returncode=proc.returncode,
        output_tail=tail,
    )


if __name__ == "__main__":  # tiny self-check: python bench/measure.py CMD...
    import sys
    print(run_measured(sys.argv[1:] or ["python3", "-c", "x = bytearray(50 << 20)"]))
