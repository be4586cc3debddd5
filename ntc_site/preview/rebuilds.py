"""The preview's rebuild cycle: when to build, which build to show, when to reload the open tabs.

Editors save a file and look at the browser, so the time from a save to the reloaded tab is what counts.
Waiting for a burst of saves to end before building would add that wait to every edit; instead a build
starts as soon as a change is reported (serve.py's watcher reports within about 20 ms), and the waiting
happens beside it:

- a build during which more changes were reported is outdated: it is dropped, never shown, and the next
  build starts at once;
- a finished build is shown (served, printed and announced to the tabs) only once no change was reported
  for `QUIET_S`; a change in that time drops it, and the next build covers both. So a burst of saves gives
  one shown build and one reload, and on a big site, where a build takes longer than `QUIET_S`, the quiet
  period costs nothing;
- a stream of changes that never pauses is still shown every `LONGEST_S`.

Builds run one at a time in a worker thread; everything else runs on the server's IO loop, so the snapshot
is only ever replaced there. After a reload, the work that can wait (the search index of the edited
language, the cache tables on disk: see pipeline/warm.py) follows `FOLLOW_UP_S` later.
"""
from __future__ import annotations

import gc
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace

from tornado import ioloop

from ..pipeline.run import Settings, build
from ..pipeline.warm import Warm
from ..problems import Problem
from .overlay import Snapshot

QUIET_S = 0.1  # a build is shown once no file changed for this long: a burst of saves is one reload
LONGEST_S = 1.0  # a stream of changes that never pauses is still shown at least this often
FOLLOW_UP_S = 0.5  # after a reload, the work that can wait (search index, cache tables) waits this long
_TRACE = bool(os.environ.get("NTC_PREVIEW_TRACE"))


def trace(step: str) -> None:
    """With NTC_PREVIEW_TRACE set, one wall-clock stamped line per step of an edit, for
    `bench/preview_latency.py --breakdown`; nothing otherwise."""
    if _TRACE:
        print(f"trace {step} {time.time():.4f}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Built:
    """One finished build: what it would serve, how long it took, whether it left a search index as it was."""

    snapshot: Snapshot
    seconds: float
    search_deferred: bool = False


class Preview:
    """Owns the snapshot and the rebuild cycle. `reload` tells every open tab to reload."""

    def __init__(self, settings: Settings, reload: Callable[[], None] = lambda: None):
        self.warm = settings.warm or Warm()
        self.settings = replace(settings, warm=self.warm)
        self.reload = reload
        self.snapshot = Snapshot()
        self.pending = False  # a change was reported since the running or last build started
        self.building = False
        self.held: Built | None = None  # finished, up to date, waiting for the quiet period
        self.last_change = 0.0  # time.monotonic() of the last reported change
        self.first_change: float | None = None  # of the first change not shown yet
        self.search_due = False  # the shown build left a search index as it was: remake it next
        self.follow_up = False  # the build running only remakes that index
        self.saved = True  # the cache tables on disk are those of the shown build

    def build(self, remake_search: bool = False) -> Built:
        """One build (run in a worker thread); bugs become a problem on the overlay, not a dead server.
        An edited language's search index is left as it was, so that the edit shows sooner, unless
        `remake_search` (the follow-up, once no change is waiting)."""
        started = time.monotonic()
        trace("build-start")
        with self.warm.lock:
            strings, _ = self.warm.strings(self.settings.templates_dir)  # for the overlay, even if the build fails
            self.warm.defer_search = not remake_search
            try:
                result = build(self.settings)
                problems = tuple(result.problems)
            except Exception as err:  # noqa: BLE001 — the preview must survive anything the content triggers
                traceback.print_exc()
                result, problems = None, (Problem("(build)", 0, 0, f"internal error: {err!r}",
                                                  "the traceback is in the terminal running serve"),)
        trace("build-end")
        old = self.snapshot
        if problems or result is None:
            return Built(Snapshot(old.files, problems, strings or old.strings, old.built), time.monotonic() - started)
        return Built(Snapshot(result.files, (), strings, True), time.monotonic() - started, result.search_deferred)

    def apply(self, built: Built) -> None:
        """Serve `built` from now on, and say so in the terminal."""
        snapshot = self.snapshot = built.snapshot
        self.search_due = built.search_deferred  # never after a failed build, which would only fail again
        if snapshot.problems:
            what = "serving the last good build" if snapshot.built else "nothing built yet"
            print(f"build took {built.seconds:.2f} s: {len(snapshot.problems)} problem(s), {what}", file=sys.stderr)
            for problem in snapshot.problems:
                print(f"  {problem.format()}", file=sys.stderr)
            return
        if self.follow_up:
            print(f"search index remade in {built.seconds:.2f} s", file=sys.stderr)
        else:
            later = " (the search index follows)" if built.search_deferred else ""
            print(f"built {len(snapshot.files)} files in {built.seconds:.2f} s{later}", file=sys.stderr)
        self.saved = self.search_due  # saved once the index is made too

    def changed(self, paths: list[str]) -> None:
        """Files changed (reported by the watcher): build now, or once the running build ends."""
        trace("changed")
        self.warm.changed(paths)  # what was reported is read again, whatever its times say
        self.last_change = time.monotonic()
        if self.first_change is None:
            self.first_change = self.last_change
            print(f"change in {paths[0]}" + (f" and {len(paths) - 1} more" if len(paths) > 1 else ""),
                  file=sys.stderr)
        self.pending = True
        self.held = None  # built before this change
        self._start()

    def _start(self) -> None:
        if self.building or self.held is not None or not (self.pending or self.search_due or not self.saved):
            return
        loop = ioloop.IOLoop.current()
        self.building = True
        if self.pending or self.search_due:
            self.follow_up = not self.pending  # nothing changed since the last build: only the index is new
            self.pending = False
            loop.add_future(loop.run_in_executor(None, self.build, self.follow_up), self._built)
        else:  # nothing left to build: write the cache tables, so the next `build` starts warm
            self.saved = True
            loop.add_future(loop.run_in_executor(None, self.warm.save), self._saved)

    def _built(self, future) -> None:  # noqa: ANN001 (a tornado future)
        self.building = False
        built: Built = future.result()
        now = time.monotonic()
        overdue = self.first_change is not None and now - self.first_change >= LONGEST_S
        if self.pending and not overdue:  # files changed while it ran
            self._start()
            return
        wait = self.last_change + QUIET_S - now
        if wait > 0 and not overdue:
            self.held = built
            ioloop.IOLoop.current().call_later(wait, self._release, built)
            return
        self._show(built, announce=overdue)  # changes that never pause are still shown now and then

    def _release(self, built: Built) -> None:
        """The quiet period after the last change is over: show the build held for it, unless a change
        dropped it meanwhile."""
        if self.held is built:
            self.held = None
            self._show(built)

    def _show(self, built: Built, announce: bool = False) -> None:
        """Serve `built`, reload the tabs if they would show something else, then go on with what is left."""
        old = self.snapshot
        self.apply(built)
        self.first_change = None if not self.pending else time.monotonic()
        if shows_differently(old, self.snapshot) and (announce or not self.pending):
            trace("reload")
            self.reload()
            if self.pending:
                self._start()
                return
            # The search index and the cache tables wait until the tabs have reloaded: a build thread would
            # slow down this process's answers to them (one interpreter lock).
            ioloop.IOLoop.current().call_later(FOLLOW_UP_S, self._start)
            return
        self._start()  # saves that came in during the build, the search index, the cache tables

    def _saved(self, future) -> None:  # noqa: ANN001 (a tornado future)
        self.building = False
        future.result()
        if not (self.pending or self.search_due):
            tidy()  # nothing left to do until the next save
        self._start()


def tidy() -> None:
    """Collect the garbage of the last builds while nothing waits, then freeze what is left: the automatic
    collections during the next build skip the warm site (tens of thousands of objects) instead of walking it
    once more. What the site holds is freed as usual when dropped; only reference cycles among frozen objects
    would stay, and the builds leave almost none (10 objects over 25 edits on 2 x 1000 pages)."""
    gc.collect()
    gc.freeze()


def shows_differently(old: Snapshot, new: Snapshot) -> bool:
    """Whether open tabs must reload: not when only search index files changed (fetched on each search)."""
    if old.problems != new.problems or old.built != new.built:
        return True
    changed = (path for path in old.files.keys() | new.files.keys()
               if old.files.get(path) is not new.files.get(path) and old.files.get(path) != new.files.get(path))
    return any("/search-index/" not in path for path in changed)
