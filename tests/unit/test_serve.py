"""Unit tests for the preview server's pure parts: which request paths are refused, how a path finds its
file, and how pages are decorated with the reload script and the problem overlay."""
from __future__ import annotations

from pathlib import Path

import pytest

from ntc_site.preview.overlay import Snapshot, decorate, overlay
from ntc_site.preview.requestpaths import lookup, site_file
from ntc_site.preview.serve import allowed_hosts
from ntc_site.problems import Problem


@pytest.mark.parametrize("raw, expected", [
    ("/", ""), ("/it/", "it/"), ("/it/chi-siamo/", "it/chi-siamo/"), ("/assets/site.css", "assets/site.css"),
    ("/it/perch%C3%A9/", "it/perché/"), ("/it/a%20b", "it/a b"), ("/it/%252e%252e/", "it/%2e%2e/"),
])
def test_ordinary_paths_are_decoded(raw: str, expected: str) -> None:
    assert site_file(raw) == expected


@pytest.mark.parametrize("raw", [
    "/../etc/passwd", "/it/../../x", "/it/..", "/./it/", "/it/.", "/%2e%2e/x", "/%2E%2E/x", "/it/%2e/",
    "/it%2fchi-siamo/", "/it%2Fx", "/..%5cx", "/it\\..\\x", "//etc/passwd", "/it//x", "/it/%00", "/it/%0a",
    "/%ff/", "it/", "",
])
def test_traversal_and_malformed_paths_are_refused(raw: str) -> None:
    assert site_file(raw) is None


def test_lookup_serves_index_files_redirects_folders_and_misses_the_rest() -> None:
    files = {"index.html": b"", "it/index.html": b"", "it/x/index.html": b"", "assets/a.css": b""}
    assert lookup(files, "") == ("file", "index.html")
    assert lookup(files, "it/") == ("file", "it/index.html")
    assert lookup(files, "it/x") == ("redirect", "/it/x/")
    assert lookup(files, "assets/a.css") == ("file", "assets/a.css")
    assert lookup(files, "it/y/") == ("missing", "")
    assert lookup(files, "assets/") == ("missing", "")


PAGE = b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>T</title>\n</head>\n<body class="x">\n<h1>T</h1>\n</body>\n</html>\n'
SCRIPT = b'<script src="/livereload.js?port=1"></script>'
STRINGS = {"it": {"problems_title": "Errori"}, "en": {"problems_title": "Errors"}}


def test_a_good_build_only_gets_the_reload_script() -> None:
    page = decorate(PAGE, Snapshot({}, (), STRINGS, True), SCRIPT)
    assert page == PAGE.replace(b"</head>", SCRIPT + b"</head>")


def test_problems_are_listed_after_body_in_the_page_language_and_escaped() -> None:
    problems = (Problem("content/it/a.md", 3, 0, "link to missing source '<x>.md'"),
                Problem("content/clusters/b.yaml", 7, 1, "unknown field 'webiste'", "did you mean 'website'?"))
    page = decorate(PAGE, Snapshot({}, problems, STRINGS, True), SCRIPT).decode()
    body = page.index('<body class="x">') + len('<body class="x">')
    assert page[body:].startswith('\n<section class="problems" role="alert" aria-labelledby="problems-title">')
    assert '<h2 id="problems-title">Errors</h2>' in page
    assert "<li><code>content/it/a.md:3: link to missing source &#x27;&lt;x&gt;.md&#x27;</code></li>" in page
    assert "<li><code>content/clusters/b.yaml:7:1: unknown field &#x27;webiste&#x27; — did you mean " in page
    assert page.index("<h1>T</h1>") > page.index("</section>")


def test_overlay_without_interface_strings_still_lists_the_problems() -> None:
    html = overlay((Problem("templates/i18n/it.yaml", 2, 0, "invalid YAML"),), None).decode()
    assert "<h2" not in html and "aria-labelledby" not in html
    assert "<code>templates/i18n/it.yaml:2: invalid YAML</code>" in html


def test_allowed_hosts_are_the_loopback_names_unless_bound_everywhere() -> None:
    assert allowed_hosts("127.0.0.1", 8000) == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert "[::1]:9000" in allowed_hosts("::1", 9000)
    assert "192.168.1.5:8000" in allowed_hosts("192.168.1.5", 8000)
    assert allowed_hosts("0.0.0.0", 8000) is None and allowed_hosts("::", 8000) is None


def test_the_watcher_hands_every_save_to_the_preview_but_not_editor_files(tmp_path: Path) -> None:
    """OS file events: five quick saves and an editor's swap file reach the preview as the page alone, as
    they come (the preview merges a burst itself: tests/unit/test_rebuilds.py)."""
    import asyncio
    import time

    from tornado import ioloop

    from ntc_site.preview.serve import _Watcher

    calls: list[list[str]] = []

    class FakePreview:
        def changed(self, paths: list[str]) -> None:
            calls.append(paths)

    async def scenario() -> None:
        watcher = _Watcher(FakePreview(), [tmp_path])  # type: ignore[arg-type]
        assert watcher.start(lambda: None) is True  # livereload must not poll
        await asyncio.sleep(0.3)  # the OS watch is in place
        for n in range(5):
            (tmp_path / "page.md").write_text(f"version {n}")
            (tmp_path / ".page.md.swp").write_text("editor state")
            time.sleep(0.02)
        await asyncio.sleep(0.5)
        watcher.stop.set()

    ioloop.IOLoop.current().run_sync(scenario)
    assert calls and all(paths == [str(tmp_path / "page.md")] for paths in calls)


def test_the_preview_uses_only_public_names_of_livereload() -> None:
    """A livereload upgrade must not break the preview: no reaching into its private state."""
    import ast
    import inspect

    from ntc_site.preview import rebuilds, serve
    private = set()
    for module in (serve, rebuilds):
        tree = ast.parse(inspect.getsource(module))
        private |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
                    and node.attr.startswith("_") and not node.attr.startswith("__")}
    assert private <= {"_start", "_built", "_saved", "_release", "_show", "_run", "_respond", "_refuse", "_send"}, \
        private
