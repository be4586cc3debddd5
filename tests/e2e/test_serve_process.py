"""`serve` end to end: a real server process on a free port, driven by editing files and reading pages.

Covers: pages appear, change and disappear without a restart; broken content leaves the last good build
up with an overlay of every problem, which clears once mended; drafts carry their mark; a burst of saves
gives one rebuild and one reload message; only the built site is served and traversal is refused; the
default bind address is 127.0.0.1.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterator

import pytest
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "strict-clean" / "content"
TIMEOUT = 20.0


class Preview:
    def __init__(self, folder: Path, port: int, process: subprocess.Popen, log: Path):
        self.folder, self.port, self.process, self.log = folder, port, process, log
        self.content = folder / "content"

    def get(self, path: str, method: str = "GET", host: str | None = None) -> tuple[int, str, dict[str, str]]:
        """A raw request: http.client sends the path exactly as given (no '..' clean-up)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, headers={"Host": host} if host else {})
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", "replace"), dict(response.getheaders())
        finally:
            conn.close()

    def wait_for(self, path: str, condition: Callable[[int, str], bool]) -> tuple[int, str]:
        deadline = time.monotonic() + TIMEOUT
        status, body = 0, ""
        while time.monotonic() < deadline:
            try:
                status, body, _ = self.get(path)
            except OSError:  # not listening yet
                status, body = 0, ""
            if condition(status, body):
                return status, body
            time.sleep(0.05)
        raise AssertionError(f"{path} never matched; last status {status}; server log:\n{self.log.read_text()}")

    def builds(self) -> int:
        return len(re.findall(r"^(built \d+ files|build took)", self.log.read_text(), re.M))


class Elements(HTMLParser):
    """The text of each element of a page, by tag, and its links as (href, text)."""

    def __init__(self, page: str):
        super().__init__()
        self.open: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.done: list[tuple[str, dict[str, str | None], str]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("meta", "link", "br", "img", "input", "hr"):
            self.open.append((tag, dict(attrs), []))

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            name, attrs, text = self.open.pop()
            self.done.append((name, attrs, " ".join("".join(text).split())))
            if self.open:
                self.open[-1][2].extend(text)
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.open:
            self.open[-1][2].append(data)

    def texts(self, tag: str) -> list[str]:
        return [text for name, _, text in self.done if name == tag]

    def links(self) -> list[tuple[str | None, str]]:
        return [(attrs.get("href"), text) for name, attrs, text in self.done if name == "a"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(folder: Path) -> Preview:
    """`serve` in `folder` (holding content/ and templates/) on a free port, once it answers."""
    port = free_port()
    log = folder / "serve.log"
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--content", "content",
                                    "--port", str(port)], cwd=folder, stdout=out, stderr=subprocess.STDOUT)
    return Preview(folder, port, process, log)


def stop(server: Preview) -> None:
    server.process.terminate()
    server.process.wait(timeout=10)


def running(folder: Path) -> Iterator[Preview]:
    shutil.copytree(FIXTURE, folder / "content")
    # Templates beside the content are the ones used: the test is kept apart from edits elsewhere.
    shutil.copytree(ROOT / "templates", folder / "templates")
    server = start(folder)
    try:
        server.wait_for("/it/", lambda status, _: status == 200)
        yield server
    finally:
        stop(server)


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    """A server of its own, for tests that edit the content."""
    yield from running(tmp_path)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """One server for the tests that only read."""
    yield from running(tmp_path_factory.mktemp("shared"))


def has_overlay(body: str) -> bool:
    return 'class="problems"' in body


def title(body: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", body)
    return match.group(1) if match else ""


def test_new_page_appears_changes_and_disappears(preview: Preview) -> None:
    page = preview.content / "it" / "nuova.md"
    assert preview.get("/it/nuova/")[0] == 404
    page.write_text("---\ntitle: Pagina nuova\ntranslation_key: new\n---\nTesto.\n", encoding="utf-8")
    preview.wait_for("/it/nuova/", lambda s, b: s == 200 and title(b) == "Pagina nuova")
    page.write_text("---\ntitle: Pagina cambiata\ntranslation_key: new\n---\nTesto.\n", encoding="utf-8")
    preview.wait_for("/it/nuova/", lambda s, b: s == 200 and title(b) == "Pagina cambiata")
    page.unlink()
    preview.wait_for("/it/nuova/", lambda s, b: s == 404)
    assert preview.process.poll() is None


def test_broken_content_keeps_the_last_good_build_with_an_overlay_until_mended(preview: Preview) -> None:
    record = preview.content / "clusters" / "alpha.yaml"
    good = record.read_text(encoding="utf-8")
    record.write_text(good.replace("founded: 2012", "founded: duemiladodici\nwebiste: x"), encoding="utf-8")
    page = preview.content / "en" / "about.md"
    page.write_bytes(page.read_bytes().replace(b"Via di prova", b"Via di prova \xff"))
    status, body = preview.wait_for("/it/", lambda s, b: has_overlay(b) and "webiste" in b and "UTF-8" in b)
    assert status == 200 and title(body) == "Benvenuti"  # the last good page, still served
    overlay = re.search(r'<section class="problems".*?</section>', body, re.S).group(0)
    founded = good.split("\n").index("founded: 2012") + 1
    assert re.search(rf"<code>content/clusters/alpha.yaml:{founded}(:\d+)?: &#x27;founded&#x27; must be a year", overlay)
    assert re.search(rf"<code>content/clusters/alpha.yaml:{founded + 1}(:\d+)?: unknown field &#x27;webiste&#x27;",
                     overlay)
    assert "content/en/about.md:" in overlay and "not valid UTF-8" in overlay
    assert "l&#x27;ultima versione valida" in overlay  # the overlay title in the page's language
    english = preview.get("/en/areas/")[1]
    assert has_overlay(english) and "the last good version" in english
    assert preview.process.poll() is None
    record.write_text(good, encoding="utf-8")
    preview.wait_for("/it/", lambda s, b: has_overlay(b) and "alpha.yaml" not in b)  # one problem left
    page.write_bytes(page.read_bytes().replace(b" \xff", b""))
    preview.wait_for("/it/", lambda s, b: s == 200 and not has_overlay(b))
    assert not has_overlay(preview.get("/en/areas/")[1])


def test_a_broken_template_shows_in_the_overlay_and_clears(preview: Preview) -> None:
    template = preview.folder / "templates" / "page.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good + "{% if %}\n", encoding="utf-8")
    status, body = preview.wait_for("/it/chi-siamo/", lambda s, b: has_overlay(b))
    assert status == 200 and "templates/page.html" in body and title(body) == "Chi siamo"
    template.write_text(good, encoding="utf-8")
    preview.wait_for("/it/chi-siamo/", lambda s, b: s == 200 and not has_overlay(b))
    assert preview.process.poll() is None


def test_overlay_when_the_first_build_already_fails(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "content")
    (tmp_path / "content" / "site.yaml").write_text("title: [\n", encoding="utf-8")
    server = start(tmp_path)
    try:
        status, body = server.wait_for("/it/", lambda s, b: s == 503)
        assert "content/site.yaml:" in body and has_overlay(body)
        shutil.copy(FIXTURE / "site.yaml", tmp_path / "content" / "site.yaml")
        server.wait_for("/it/", lambda s, b: s == 200 and title(b) == "Benvenuti" and not has_overlay(b))
    finally:
        stop(server)


def test_drafts_are_served_with_their_mark(shared: Preview) -> None:
    status, body, _ = shared.get("/it/bozza/")
    assert status == 200
    assert re.search(r'<p class="draft-mark"><strong>Bozza</strong></p>', body)
    assert "draft-mark" not in shared.get("/it/chi-siamo/")[1]


async def _reload_after(port: int, action: Callable[[], None]) -> tuple[dict, float, bool]:
    """Connect as livereload.js does, run `action`, return the first message, its delay, and whether a
    second message followed within a second."""
    ws = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    await ws.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    assert json.loads(await ws.read_message())["command"] == "hello"
    await ws.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/it/", "plugins": {}}))
    await asyncio.sleep(0.5)
    started = time.monotonic()
    action()
    message = json.loads(await asyncio.wait_for(ws.read_message(), TIMEOUT))
    delay = time.monotonic() - started
    try:
        await asyncio.wait_for(ws.read_message(), 1.0)
        another = True
    except asyncio.TimeoutError:
        another = False
    ws.close()
    return message, delay, another


def test_a_burst_of_saves_gives_one_rebuild_and_one_reload(preview: Preview) -> None:
    page = preview.content / "it" / "chi-siamo.md"
    text = page.read_text(encoding="utf-8")
    before = preview.builds()

    def burst() -> None:
        for n in range(5):
            page.write_text(text.replace("Via di prova 1.", f"Via di prova {n + 10}."), encoding="utf-8")
            time.sleep(0.02)

    # A thread of its own: Playwright's session fixture may keep an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        message, delay, another = pool.submit(asyncio.run, _reload_after(preview.port, burst)).result()
    assert message["command"] == "reload"
    assert not another
    assert preview.builds() == before + 1
    assert "Via di prova 14." in preview.get("/it/chi-siamo/")[1]


def test_when_the_tabs_reload_the_edited_page_and_the_pages_that_show_it_are_already_new(preview: Preview) -> None:
    """The reload is sent only once the build with the whole edit (two saves) is served: no tab reloads into
    stale output. The search page, left for a moment after an edit, follows by itself."""
    page = preview.content / "it" / "chi-siamo.md"
    text = page.read_text(encoding="utf-8").replace("title: Chi siamo", "title: Chi siamo adesso")

    def edit() -> None:
        page.write_text(text, encoding="utf-8")
        time.sleep(0.04)  # the first save's build is under way, or done and waiting for the quiet period
        page.write_text(text.replace("Scrivici.", "Scrivi."), encoding="utf-8")

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        message, _, _ = pool.submit(asyncio.run, _reload_after(preview.port, edit)).result()
    assert message["command"] == "reload"
    edited = Elements(preview.get("/it/chi-siamo/")[1])
    assert edited.texts("h1") == ["Chi siamo adesso"] and edited.texts("p")[0].startswith("Scrivi. ")
    assert ("/it/chi-siamo/", "Chi siamo adesso") in Elements(preview.get("/it/")[1]).links()  # the menu
    preview.wait_for("/it/cerca/", lambda s, b: s == 200 and "Chi siamo adesso" in b)


def test_livereload_script_is_local_and_allowed_by_the_page_policy(shared: Preview) -> None:
    body = shared.get("/it/")[1]
    assert f'<script src="/livereload.js?port={shared.port}"></script></head>' in body
    assert "script-src 'self'" in body
    assert not re.search(r"<script>|<script type=\"text/javascript\">", body)  # no inline script
    status, script, headers = shared.get(f"/livereload.js?port={shared.port}")
    assert status == 200 and "LiveReload" in script


@pytest.mark.parametrize("path", [
    "/../../../../etc/passwd", "/it/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/it/..%2f..%2fetc/passwd", "/..%5c..%5cetc%5cpasswd", "/it/%2e/",
    "/it/./", "//etc/passwd", "/it/%00", "/%ff%fe/", "/it\\..\\..\\etc\\passwd",
])
def test_traversal_is_refused(shared: Preview, path: str) -> None:
    status, body, _ = shared.get(path)
    assert status == 400
    assert "root:" not in body


@pytest.mark.parametrize("path", ["/content/site.yaml", "/site.yaml", "/templates/base.html", "/serve.log",
                                  "/%252e%252e/content/site.yaml", "/.ntc-site-build"])
def test_only_the_built_site_is_served(shared: Preview, path: str) -> None:
    status, body, _ = shared.get(path)
    assert status == 404
    assert "base_url" not in body and "{%" not in body


def test_built_files_and_folders_are_served(shared: Preview) -> None:
    assert shared.get("/")[0] == 200
    assert shared.get("/assets/site.css")[2]["Content-Type"] == "text/css; charset=utf-8"
    status, _, headers = shared.get("/it/chi-siamo")
    assert status in (301, 302) and headers["Location"] == "/it/chi-siamo/"
    assert shared.get("/it/chi-siamo/", method="HEAD")[0] == 200
    assert shared.get("/it/chi-siamo/", method="POST")[0] == 405


def test_binds_127_0_0_1_by_default(shared: Preview) -> None:
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if os.path.exists(table):
            for line in Path(table).read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, port = local.split(":")
                if state == "0A" and int(port, 16) == shared.port:  # 0A: LISTEN
                    listening.add(address)
    assert listening == {"0100007F"}  # 127.0.0.1, little-endian hex; nothing on other addresses


def test_requests_for_another_host_name_are_refused(shared: Preview) -> None:
    assert shared.get("/it/", host=f"localhost:{shared.port}")[0] == 200
    status, body, _ = shared.get("/it/", host=f"attacker.example:{shared.port}")
    assert status == 400 and "Benvenuti" not in body
