"""The browser suite's set-up: build the real content and the fixture site under the `/ntc-site/` subpath,
serve each with a small threaded HTTP server as GitHub Pages would, and drive Chromium.

Both sites are built once per session with the same `--base-url` shape as the Pages deploy, so a link
that forgets the subpath fails here. The browser is the system `chromium` where there is one (Debian, CI),
else Playwright's own build, which `make test` installs (browsers.py); the header of the run names it.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from browsers import find_browser
from pagewatch import SM, SUBPATH, WIDTHS
from synthetic import write_big_package

ROOT = Path(__file__).resolve().parents[2]
REAL_CONTENT = ROOT / "content"
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "site" / "content"
DATA_SITE = ROOT / "tests" / "fixtures" / "data-site"
ARTIFACTS = ROOT / "_artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _SubpathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` below SUBPATH only, answers misses with the site's 404.html like Pages,
    and never lists a directory."""
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".json": "application/json", ".jsonld": "application/ld+json", ".ttl": "text/turtle",
                      ".rdf": "application/rdf+xml", ".csv": "text/csv", ".svg": "image/svg+xml",
                      ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      ".zip": "application/zip", ".js": "text/javascript", ".xml": "application/xml"}

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(SUBPATH):
            return str(Path(self.directory) / ".missing")
        return super().translate_path("/" + path[len(SUBPATH):])

    def list_directory(self, path):  # a folder without index.html is a 404, as on Pages
        self.send_error(404)
        return None

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # keep pytest output readable
        pass


@dataclass(frozen=True)
class Served:
    """A built site and the address it answers on."""
    root: Path  # the build output folder
    origin: str  # http://127.0.0.1:PORT
    base: str  # origin + SUBPATH

    def url(self, site_path: str = "") -> str:
        return self.base + site_path

    def sitemap_urls(self) -> list[str]:
        tree = ET.parse(self.root / "sitemap.xml")
        return [loc.text or "" for loc in tree.iter(f"{SM}loc")]

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def site_path(self, file: Path) -> str:
        rel = file.relative_to(self.root).as_posix()
        return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def _serve(content: Path, out: Path) -> Iterator[Served]:
    from ntc_site import cli
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SubpathHandler,
                                                                                 directory=str(out)))
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    code = cli.main(["build", "--content", str(content), "--out", str(out), "--base-url", origin + SUBPATH])
    assert code == 0, f"building {content} under {origin}{SUBPATH} failed (exit {code})"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(out, origin, origin + SUBPATH)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    yield from _serve(REAL_CONTENT, tmp_path_factory.mktemp("real") / "_site")


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    yield from _serve(FIXTURE_CONTENT, tmp_path_factory.mktemp("fixture") / "_site")


def pytest_report_header(config: pytest.Config) -> str:
    return f"browser: {find_browser().describe}"


@pytest.fixture(scope="session")
def data_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The data-site fixture plus a synthetic package of many rows (written here, never committed)."""
    project = tmp_path_factory.mktemp("data-site") / "project"
    shutil.copytree(DATA_SITE, project)
    write_big_package(project / "datasets")
    yield from _serve(project / "content", project / "_site")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    chosen = find_browser()
    with sync_playwright() as p:
        # executable_path=None: Playwright's own build (`make test` installs it when there is no system one)
        browser = p.chromium.launch(executable_path=chosen.executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Factory for pages in fresh contexts: new_page(width=375, javascript=True)."""
    contexts = []

    def make(width: int = WIDTHS["desktop"], javascript: bool = True):
        context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=javascript,
                                      service_workers="block")
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
