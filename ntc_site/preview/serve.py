"""`serve`: the live preview — build with drafts, serve from memory, rebuild and reload on every change.

Editors save a file and look at the browser. This process watches `content/`, `templates/` (with its
assets) and `datasets/` through the operating system's file events (watchfiles), rebuilds through the same
`pipeline.run.build` as `build` (when, and which build is shown: rebuilds.py), and tells every open tab to
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
from dataclasses import replace
from pathlib import Path

import watchfiles
from livereload import Server
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher
from tornado import ioloop, web

from ..pipeline.run import Settings
from ..stored import content
from .overlay import Snapshot, decorate, unbuilt_page
from .rebuilds import Preview, tidy, trace
from .requestpaths import lookup, site_file

# watchfiles looks for new events every STEP_MS and reports them once a look finds no new (kind, path) pair,
# so a save is reported 1-2 steps after it happens; the preview waits for the end of a burst itself
# (rebuilds.py). GROUP_MS bounds how long a growing set of changes (a checkout) is held before it is reported.
STEP_MS, GROUP_MS = 10, 50
EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130
_EDITOR_TEMP = re.compile(r"(^\.#|~$|\.sw[a-p]$|^#.*#$|\.tmp$)")


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
        for changes in watchfiles.watch(*self.folders, watch_filter=_keep, step=STEP_MS, debounce=GROUP_MS,
                                        stop_event=self.stop, raise_interrupt=False):
            trace("event")
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
        if kind.startswith("text/html"):
            trace("html-sent")


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
    preview = Preview(settings, reload=lambda: LiveReloadHandler.reload_waiters("*"))  # every open tab, at once
    preview.apply(preview.build())
    preview.warm.save()  # the first build's cache tables, before anything is served
    tidy()
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
