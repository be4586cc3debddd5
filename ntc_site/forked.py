"""A value worked out on another core while this process goes on: `Forked(fn)` forks a child that runs `fn`
and sends its result back through a pipe; `result()` waits for it.

A rebuild that writes one page, or nothing, spends much of its time walking folders: `--out` for the build
stamp's check, then the spare tree it stages in (pipeline/stamp.py). Those walks are system calls, while
the process has other work meanwhile (hashing the inputs, importing and rendering), so one child on the
other core takes both, one after the other. (A second child for the spare gained nothing on two cores:
three processes then shared them.) Where there is no fork, or it fails, `fn` runs at once in this
process: the same value, later.
"""
from __future__ import annotations

import marshal
import os
import signal
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


class Forked(Generic[T]):
    """`fn()` in a forked child; its value must be marshal-able. A child that fails, or dies, gives
    `failed`; a child no longer needed is stopped with `cancel()`."""

    def __init__(self, fn: Callable[[], T], failed: T):
        self._failed = failed
        self._pid = 0
        self._read = -1
        self._value: Any = failed
        try:
            read, write = os.pipe()
        except OSError:  # no descriptor to spare: at once, here
            self._value = fn()
            return
        try:
            pid = os.fork() if hasattr(os, "fork") else -1
        except OSError:
            pid = -1
        if pid == 0:  # the child: its value on the pipe, then out, with nothing flushed or cleaned up twice
            os.close(read)
            try:
                data = marshal.dumps(fn())  # never empty: no bytes at all means it failed
            except BaseException:
                data = b""
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(write, view):]
            finally:
                os._exit(0)
        os.close(write)
        if pid < 0:
            os.close(read)
            self._value = fn()
            return
        self._pid, self._read = pid, read

    def result(self) -> T:
        if self._pid:
            chunks = []
            try:
                while chunk := os.read(self._read, 1 << 16):
                    chunks.append(chunk)
            finally:
                self._reap()
            data = b"".join(chunks)
            try:
                self._value = marshal.loads(data) if data else self._failed
            except (EOFError, ValueError, TypeError):  # cut short: the child died while writing
                self._value = self._failed
        return self._value

    def cancel(self) -> None:
        """Not needed after all: the child goes (at once, whatever it was doing)."""
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()
            self._value = self._failed

    def _reap(self) -> None:
        os.close(self._read)
        os.waitpid(self._pid, 0)
        self._pid, self._read = 0, -1
