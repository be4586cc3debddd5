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
from ..problems import Problem
from ..stored import content
from .overlay import Snapshot, decorate, unbuilt_page
from .requestpaths import lookup, site_file

QUIET_MS = 100  # a burst of saves is over when no file changed for this long
DEBOUNCE_MS = 1000  # a longer stream of changes is still rebuilt at least this often
EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130
_EDITOR_TEMP = re.compile(r"(^\.#|~$|\.sw[a-p]$|^#.*#$|\.tmp$)")


class Preview:
    """Owns the snapshot and the rebuild cycle. `build` runs in a worker thread and returns a new snapshot;
    everything else runs on the server's IO loop, so the snapshot is only ever replaced there."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.snapshot = Snapshot()
        self.pending = False
        self.building = False

    def build(self) -> tuple[Snapshot, float]:
        """One build (run in a worker thread); bugs become a problem on the overlay, not a dead server."""
        started = time.monotonic()
        strings, _ = load_strings(self.settings.templates_dir)
        try:
            result = build(self.settings)
            problems = tuple(result.problems)
        except Exception as err:  # noqa: BLE001 — the preview must survive anything the content triggers
            traceback.print_exc()
            result, problems = None, (Problem("(build)", 0, 0, f"internal error: {err!r}",
                                              "the traceback is in the terminal running serve"),)
        old = self.snapshot
        if problems or result is None:
            new = Snapshot(old.files, problems, strings or old.strings, old.built)
        else:
            new = Snapshot(result.files, (), strings, True)
        return new, time.monotonic() - started

    def apply(self, snapshot: Snapshot, seconds: float) -> None:
        self.snapshot = snapshot
        if snapshot.problems:
            what = "serving the last good build" if snapshot.built else "nothing built yet"
            print(f"build took {seconds:.2f} s: {len(snapshot.problems)} problem(s), {what}", file=sys.stderr)
            for problem in snapshot.problems:
                print(f"  {problem.format()}", file=sys.stderr)
        else:
            print(f"built {len(snapshot.files)} files in {seconds:.2f} s", file=sys.stderr)

    def changed(self, paths: list[str]) -> None:
        """A burst of saves is over (the watcher groups them): rebuild now, or once the running build ends."""
        if not self.pending and not self.building:
            print(f"change in {paths[0]}" + (f" and {len(paths) - 1} more" if len(paths) > 1 else ""),
                  file=sys.stderr)
        self.pending = True
        self._start()

    def _start(self) -> None:
        if not self.pending or self.building:
            return
        self.pending = False
        self.building = True
        loop = ioloop.IOLoop.current()
        loop.add_future(loop.run_in_executor(None, self.build), self._built)

    def _built(self, future) -> None:
        self.building = False
        self.apply(*future.result())
        LiveReloadHandler.reload_waiters("*")  # every open tab, at once: livereload's own delay is 3 s
        self._start()  # saves that came in during the build


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
