"""`serve`: the live preview — build with drafts, serve from memory, rebuild and reload on every change.

Editors save a file and look at the browser. This process watches `content/`, `templates/` (with its
assets) and `datasets/` through the operating system's file events (watchfiles), waits until a burst of
saves is over, rebuilds through the same `pipeline.run.build` as `build`, and tells every open tab to
reload through livereload's websocket. When a change breaks the content
the last good build stays up and every HTML page gets an overlay listing every problem as
`path:line: message`, written into the served HTML so it shows without JavaScript; the next good build
clears it. Nothing the content does can stop the server.

Files are served from the build result in memory, never from disk: a request can only ever reach a file
the build produced, and paths with `..`, `.`, encoded slashes, backslashes or control characters are
refused before any lookup. The server binds 127.0.0.1 unless `--host` says otherwise, and answers only
requests addressed to it by name (127.0.0.1, localhost), so a web page cannot read the preview through DNS
rebinding.
"""
from __future__ import annotations

import errno
import logging
import mimetypes
import re
import sys
import threading
import time
import traceback
from dataclasses import replace
from pathlib import Path

import watchfiles
from livereload import Server
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher
from tornado import ioloop, web

from ..load.strings import load_strings
from ..pipeline.run import Settings, build
from ..pipeline.warm import Warm
from ..problems import Problem
from ..stored import content
from .overlay import Snapshot, decorate, unbuilt_page
from .requestpaths import lookup, site_file

QUIET_MS = 100  # a burst of saves is over when no file changed for this long
DEBOUNCE_MS = 1000  # a longer stream of changes is still rebuilt at least this often
FOLLOW_UP_S = 0.5  # after a reload, the work that can wait (search index, cache tables) waits this long
EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130
_EDITOR_TEMP = re.compile(r"(^\.#|~$|\.sw[a-p]$|^#.*#$|\.tmp$)")


class Preview:
    """Owns the snapshot and the rebuild cycle. `build` runs in a worker thread and returns a new snapshot;
    everything else runs on the server's IO loop, so the snapshot is only ever replaced there."""

    def __init__(self, settings: Settings):
        self.warm = settings.warm or Warm()
        self.settings = replace(settings, warm=self.warm)
        self.snapshot = Snapshot()
        self.pending = False
        self.building = False
        self.search_due = False  # the last build left a search index as it was: remake it next
        self.follow_up = False  # the build running or last applied only remakes that index
        self.saved = True  # the cache tables on disk are those of the last good build

    def build(self) -> tuple[Snapshot, float]:
        """One build (run in a worker thread); bugs become a problem on the overlay, not a dead server.
        After a change, the search index waits for the next build (pipeline/warm.py), so the page shows
        sooner; that build follows at once."""
        started = time.monotonic()
        strings, _ = load_strings(self.settings.templates_dir)
        with self.warm.lock:
            self.warm.defer_search = not self.search_due
            try:
                result = build(self.settings)
                problems = tuple(result.problems)
            except Exception as err:  # noqa: BLE001 — the preview must survive anything the content triggers
                traceback.print_exc()
                result, problems = None, (Problem("(build)", 0, 0, f"internal error: {err!r}",
                                                  "the traceback is in the terminal running serve"),)
        old = self.snapshot
        self.search_due = result is not None and result.search_deferred and not problems
        if problems or result is None:
            new = Snapshot(old.files, problems, strings or old.strings, old.built)
        else:
            new = Snapshot(result.files, (), strings, True)
            self.saved = self.search_due  # saved once the index is made too
        return new, time.monotonic() - started

    def apply(self, snapshot: Snapshot, seconds: float) -> None:
        self.snapshot = snapshot
        if snapshot.problems:
            what = "serving the last good build" if snapshot.built else "nothing built yet"
            print(f"build took {seconds:.2f} s: {len(snapshot.problems)} problem(s), {what}", file=sys.stderr)
            for problem in snapshot.problems:
                print(f"  {problem.format()}", file=sys.stderr)
        elif self.follow_up:
            print(f"search index remade in {seconds:.2f} s", file=sys.stderr)
        else:
            later = " (the search index follows)" if self.search_due else ""
            print(f"built {len(snapshot.files)} files in {seconds:.2f} s{later}", file=sys.stderr)

    def changed(self, paths: list[str]) -> None:
        """A burst of saves is over (the watcher groups them): rebuild now, or once the running build ends."""
        self.warm.changed(paths)  # what was reported is read again, whatever its times say
        if not self.pending and not self.building:
            print(f"change in {paths[0]}" + (f" and {len(paths) - 1} more" if len(paths) > 1 else ""),
                  file=sys.stderr)
        self.pending = True
        self._start()

    def _start(self) -> None:
        if self.building or not (self.pending or self.search_due or not self.saved):
            return
        loop = ioloop.IOLoop.current()
        self.building = True
        if self.pending or self.search_due:
            self.follow_up = not self.pending  # nothing changed since the last build: only the index is new
            self.pending = False
            loop.add_future(loop.run_in_executor(None, self.build), self._built)
        else:  # nothing left to build: write the cache tables, so the next `build` starts warm
            self.saved = True
            loop.add_future(loop.run_in_executor(None, self.warm.save), self._saved)

    def _built(self, future) -> None:
        self.building = False
        old = self.snapshot
        self.apply(*future.result())
        if _shows_differently(old, self.snapshot) and not self.pending:
            LiveReloadHandler.reload_waiters("*")  # every open tab, at once: livereload's own delay is 3 s
            # The search index and the cache tables wait until the tabs have reloaded: a build thread would
            # slow down this process's answers to them (one interpreter lock).
            ioloop.IOLoop.current().call_later(FOLLOW_UP_S, self._start)
            return
        self._start()  # saves that came in during the build, the search index, the cache tables

    def _saved(self, future) -> None:
        self.building = False
        future.result()
        self._start()


def _shows_differently(old: Snapshot, new: Snapshot) -> bool:
    """Whether open tabs must reload: not when only search index files changed (fetched on each search)."""
    if old.problems != new.problems or old.built != new.built:
        return True
    changed = (path for path in old.files.keys() | new.files.keys() if old.files.get(path) != new.files.get(path))
    return any("/search-index/" not in path for path in changed)


class _Watcher(Watcher):
    """Operating-system file events (watchfiles) in place of livereload's polling, through livereload's
    watcher contract: `start` returns True, so livereload never polls; changes go to the preview."""

    def __init__(self, preview: Preview, folders: list[Path]):
        super().__init__()
        self.preview = preview
        self.folders = folders
        self.stop = threading.Event()

    def start(self, callback) -> bool:  # noqa: ANN001 (livereload's signature)
        loop = ioloop.IOLoop.current()
        thread = threading.Thread(target=self._run, args=(loop,), name="ntc-site-watcher", daemon=True)
        thread.start()
        return True

    def _run(self, loop: ioloop.IOLoop) -> None:
        for changes in watchfiles.watch(*self.folders, watch_filter=_keep, step=QUIET_MS, debounce=DEBOUNCE_MS,
                                        stop_event=self.stop, raise_interrupt=False):
            paths = sorted({path for _, path in changes})
            loop.add_callback(self.preview.changed, paths)


def _keep(change: watchfiles.Change, path: str) -> bool:
    """Editors' swap, backup and lock files never trigger a rebuild."""
    return not _EDITOR_TEMP.search(Path(path).name) and watchfiles.DefaultFilter()(change, path)


class SiteHandler(web.RequestHandler):
    """Serves the snapshot: only files the build produced, HTML decorated for the preview."""

    def initialize(self, preview: Preview, script: bytes, hosts: frozenset[str] | None) -> None:
        self.preview = preview
        self.script = script
        self.hosts = hosts  # Host headers accepted; None when bound to every address

    def get(self) -> None:
        self._respond(with_body=True)

    def head(self) -> None:
        self._respond(with_body=False)

    def _respond(self, with_body: bool) -> None:
        snapshot = self.preview.snapshot
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        if self.hosts is not None and self.request.host.lower() not in self.hosts:
            # Another site's page reaching the preview through DNS rebinding.
            self._refuse(f"refused: the preview answers only to {sorted(self.hosts)[0]}", with_body)
            return
        path = site_file(self.request.path)
        if path is None:
            self._refuse("refused: the path leaves the site or is malformed", with_body)
            return
        if not snapshot.built:
            self.set_status(503)
            self._send(snapshot, unbuilt_page(snapshot), "index.html", with_body)
            return
        kind, name = lookup(snapshot.files, path)
        if kind == "redirect":
            self.redirect(name, permanent=False)
            return
        if kind == "missing":
            self.set_status(404)
            name = "404.html"
            if name not in snapshot.files:
                self.finish()
                return
        self._send(snapshot, content(snapshot.files[name]), name, with_body)

    def _refuse(self, message: str, with_body: bool) -> None:
        self.set_status(400)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish((message + "\n").encode() if with_body else None)

    def _send(self, snapshot: Snapshot, data: bytes, name: str, with_body: bool) -> None:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = decorate(data, snapshot, self.script)
        if kind.startswith("text/") or kind in ("application/json", "application/javascript", "image/svg+xml"):
            kind += "; charset=utf-8"
        self.set_header("Content-Type", kind)
        self.set_header("Content-Length", str(len(data)))
        self.finish(data if with_body else None)


class _Server(Server):
    """livereload's server with the site served by `SiteHandler` instead of a folder on disk.

    livereload would inject an inline script, which the site's Content-Security-Policy blocks; the
    handler adds `<script src="/livereload.js">` instead, which the policy allows ('self').
    """

    def __init__(self, preview: Preview, hosts: frozenset[str] | None):
        super().__init__(watcher=_Watcher(preview, watched(preview.settings)))
        self.preview = preview
        self.hosts = hosts

    def application(self, port, host, liveport=None, debug=None, live_css=True):  # noqa: ANN001 (livereload's)
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        script = f'<script src="/livereload.js?port={port}"></script>'.encode()
        app = web.Application([
            (r"/livereload", LiveReloadHandler),
            (r"/livereload\.js", LiveReloadJSHandler),
            (r".*", SiteHandler, {"preview": self.preview, "script": script, "hosts": self.hosts}),
        ], debug=False)
        app.listen(port, address=host)
        address = f"[{host}]" if ":" in host else host
        print(f"preview on http://{address}:{port}/ (drafts shown); Ctrl-C stops it", file=sys.stderr)
        if host not in ("127.0.0.1", "localhost", "::1"):
            print(f"note: bound to {host}, so other computers may reach the preview and its drafts",
                  file=sys.stderr)


def allowed_hosts(host: str, port: int) -> frozenset[str] | None:
    """Host headers a request may carry: the loopback names, or None (any) when bound to every address."""
    if host in ("0.0.0.0", "::", ""):
        return None
    address = f"[{host}]" if ":" in host else host
    return frozenset(f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]", address.lower()))


def watched(settings: Settings) -> list[Path]:
    return [p for p in (settings.content_dir, settings.templates_dir, settings.datasets) if p.is_dir()]


def main(settings: Settings, host: str, port: int) -> int:
    """Serve the site built from `settings` (the same folders as build and check) until interrupted."""
    address = f"[{host}]" if ":" in host else host
    settings = replace(settings, base_url=f"http://{address}:{port}/", include_drafts=True,
                       progress=None)  # each rebuild prints one line of its own
    preview = Preview(settings)
    preview.apply(*preview.build())
    preview.warm.save()  # the first build's cache tables, before anything is served
    server = _Server(preview, allowed_hosts(host, port))
    for folder in watched(settings):
        server.watch(str(folder))
    logging.getLogger("tornado.access").setLevel(logging.WARNING)  # one line per request is noise here
    try:
        server.serve(port=port, host=host, debug=False, restart_delay=0)
        server.watcher.stop.set()
    except OSError as err:
        if err.errno in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
            print(f"error: cannot listen on {address}:{port}: {err.strerror}", file=sys.stderr)
            return EXIT_USAGE
        raise
    print("preview stopped", file=sys.stderr)
    return EXIT_INTERRUPTED
