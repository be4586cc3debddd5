"""The build cache: content-hash keys, the memo tables on disk, and the cached page loader."""
from __future__ import annotations

import ast
import os
import shutil
import sys
from importlib import metadata
from pathlib import Path

from support import FIXTURE

from ntc_site.load import content
from ntc_site.pipeline import cache, fingerprint, sources


def test_digest_separates_parts():
    assert cache.digest("ab", "c") != cache.digest("a", "bc")
    assert cache.digest("x") == cache.digest(b"x")
    assert len(cache.digest("x")) == 32


def test_tree_digest_follows_names_and_bytes_not_location(tmp_path: Path):
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        (root / "sub").mkdir(parents=True)
        (root / "sub" / "f.txt").write_text("one")
        (root / "g.md").write_text("two")
    assert cache.tree_digest(a) == cache.tree_digest(b)
    (b / "sub" / "f.txt").write_text("One")
    assert cache.tree_digest(a) != cache.tree_digest(b)
    (b / "sub" / "f.txt").write_text("one")
    (b / "sub" / "f.txt").rename(b / "sub" / "h.txt")
    assert cache.tree_digest(a) != cache.tree_digest(b)
    (b / "sub" / "h.txt").rename(b / "sub" / "f.txt")
    (b / "g.md").write_text("changed")
    assert cache.tree_digest(a) != cache.tree_digest(b)
    assert cache.tree_digest(a, skip_suffix=".md") == cache.tree_digest(b, skip_suffix=".md")
    assert cache.tree_digest(tmp_path / "missing") == cache.tree_digest(tmp_path / "also-missing")


def test_cache_dir_prefers_setting_then_environment(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("NTC_CACHE_DIR", str(tmp_path / "env"))
    assert fingerprint.cache_dir(tmp_path / "set", tmp_path) == tmp_path / "set"
    assert fingerprint.cache_dir(None, tmp_path) == tmp_path / "env"
    monkeypatch.delenv("NTC_CACHE_DIR")
    assert fingerprint.cache_dir(None, tmp_path) == tmp_path / ".cache"


def test_store_round_trip_keeps_only_what_the_last_build_used(tmp_path: Path):
    first = cache.Store(tmp_path)
    first.put("page", "k1", b"one")
    first.put("page", "k2", b"two")
    first.save()
    second = cache.Store(tmp_path)
    assert second.get("page", "k1") == b"one"
    assert second.get("page", "missing") is None
    second.save()  # k2 went unused: it is dropped
    third = cache.Store(tmp_path)
    assert third.get("page", "k1") == b"one"
    assert third.get("page", "k2") is None


def test_store_does_not_rewrite_a_table_it_only_read(tmp_path: Path):
    store = cache.Store(tmp_path)
    store.put("page", "k", b"v")
    store.save()
    file = next(tmp_path.glob("*-page.pickle"))
    before = os.stat(file).st_ino
    again = cache.Store(tmp_path)
    assert again.get("page", "k") == b"v"
    again.save()
    assert os.stat(file).st_ino == before


def test_damaged_or_foreign_tables_are_empty(tmp_path: Path):
    store = cache.Store(tmp_path)
    store.put("page", "k", b"v")
    store.save()
    file = next(tmp_path.glob("*-page.pickle"))
    file.write_bytes(file.read_bytes()[:20])
    assert cache.Store(tmp_path).get("page", "k") is None
    file.write_bytes(b"\x80\x05K\x01.")  # a valid pickle of the wrong shape
    assert cache.Store(tmp_path).get("page", "k") is None


def test_store_without_folder_works_in_memory():
    store = cache.Store(None)
    store.put("t", "k", 1)
    assert store.get("t", "k") == 1
    store.save()


def test_load_pages_equals_content_load_cold_and_warm(tmp_path: Path):
    store = cache.Store(tmp_path / "cache")
    direct = content.load(FIXTURE / "content")
    assert sources.load_pages(FIXTURE / "content", store) == direct
    store.save()
    assert sources.load_pages(FIXTURE / "content", cache.Store(tmp_path / "cache")) == direct


def test_load_pages_sees_changed_bytes_and_problems(tmp_path: Path):
    project = tmp_path / "content"
    shutil.copytree(FIXTURE / "content", project)
    store = cache.Store(tmp_path / "cache")
    sources.load_pages(project, store)
    store.save()
    page = project / "it" / "solo-italiano.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Solo in italiano", "Cambiato"), encoding="utf-8")
    (project / "en" / "broken.md").write_text("no front matter\n", encoding="utf-8")
    pages, problems = sources.load_pages(project, cache.Store(tmp_path / "cache"))
    assert "Cambiato" in [p.title for p in pages]
    assert (pages, problems) == content.load(project)
    assert [p.message for p in problems] == ["missing front matter"]


def _site(content_dir: Path):
    from ntc_site.model.site import build
    from ntc_site.pipeline import run as pipeline
    settings = pipeline.Settings(content_dir=content_dir, cache_dir=None)
    parts, problems = pipeline.load(settings)
    assert not problems
    site, problems = build(parts.config, parts.records, parts.pages, parts.packages,
                           list(parts.media), False)
    return site, settings


def _key(site, settings) -> str:
    return cache.site_key(site, settings.templates_dir, settings.datasets, settings.content_dir, False)


def test_site_key_follows_metadata_not_bodies():
    from dataclasses import replace
    site, settings = _site(FIXTURE / "content")
    key = _key(site, settings)
    assert _key(site, settings) == key
    i = next(i for i, p in enumerate(site.pages) if p.source)
    page = site.pages[i]

    def with_page(new):
        return replace(site, pages=site.pages[:i] + (new,) + site.pages[i + 1:])

    assert _key(with_page(replace(page, source=replace(page.source, body="other"))), settings) == key
    assert _key(with_page(replace(page, title="Other")), settings) != key
    assert _key(with_page(replace(page, source=replace(page.source, weight=99))), settings) != key
    other_menu = None if page.source.menu else "main"
    assert _key(with_page(replace(page, source=replace(page.source, menu=other_menu))), settings) != key
    assert _key(replace(site, media=()), settings) != key
    assert cache.body_key(page.source) != cache.body_key(replace(page.source, body="other"))
    assert cache.body_key(page.source) != cache.body_key(replace(page.source, body_line=99))


def test_load_pages_refuses_what_content_load_refuses(tmp_path: Path):
    project = tmp_path / "content"
    shutil.copytree(FIXTURE / "content", project)
    os.mkfifo(project / "it" / "fifo.md")  # must not hang the build
    (project / "en" / "huge.md").write_bytes(b"---\ntitle: x\n---\n" + b"a" * 1_000_001)
    (project / "en" / "latin1.md").write_bytes("---\ntitle: caff\xe8\n---\n".encode("latin-1"))
    (project / "media" / "outside.svg").symlink_to("/etc/hostname")
    expected = content.load(project)
    assert len(expected[1]) >= 3
    store = cache.Store(tmp_path / "cache")
    assert sources.load_pages(project, store) == expected
    store.save()
    assert sources.load_pages(project, cache.Store(tmp_path / "cache")) == expected


# Libraries that shape the output without being imported by ntc_site itself: Jinja escapes through markupsafe,
# snowballstemmer stems through pystemmer.
USED_THROUGH_ANOTHER = {"markupsafe", "pystemmer"}


def third_party_imports(package: Path) -> dict[str, set[str]]:
    """Distribution name (lower case) -> modules of `package` importing it, top-level or inside functions.
    preview/ only serves what the build made, so what it imports cannot change a cached value."""
    names = metadata.packages_distributions()
    found: dict[str, set[str]] = {}
    for file in sorted(package.rglob("*.py")):
        if "preview" in file.relative_to(package).parts:
            continue
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top == "ntc_site":
                    continue
                for dist in names.get(top, [top]):
                    found.setdefault(dist.lower(), set()).add(file.name)
    return found


def test_cache_key_lists_exactly_the_libraries_the_build_uses():
    used = third_party_imports(fingerprint.PACKAGE_DIR)
    assert {"snowballstemmer", "pyyaml", "frictionless"} <= set(used), used  # the scan sees lazy imports too
    assert set(fingerprint.LIBRARIES) == set(used) | USED_THROUGH_ANOTHER, used


def test_every_cached_library_is_installed_and_a_runtime_dependency():
    import tomllib
    pyproject = fingerprint.PROJECT_ROOT / "pyproject.toml"
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    runtime = {d.split(">")[0].split("=")[0].strip().lower() for d in project["dependencies"]}
    for name in fingerprint.LIBRARIES:
        assert metadata.version(name)
    assert set(fingerprint.LIBRARIES) - USED_THROUGH_ANOTHER <= runtime
    assert "openpyxl" not in runtime  # only the tests read workbooks back
