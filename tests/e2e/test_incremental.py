"""End to end: a build with a warm cache after any kind of change equals a clean build, byte for byte.

For each change: build the fixture project into A with cache X; change it; build again into the same
folder with the warm cache X (B); build the changed project into a new folder with a new, empty cache (C);
B and C must be the same tree. Also: clean builds are deterministic, the pool gives what one process gives,
and an unchanged rebuild renders nothing and leaves the output untouched.
"""
from __future__ import annotations

import concurrent.futures
import os
import re
import shutil
from pathlib import Path
from typing import Callable

import pytest
from support import run, tree

from ntc_site.pipeline import parallel
from ntc_site.pipeline import run as pipeline


@pytest.fixture
def project(data_project: Path) -> Path:
    return data_project


def build(project: Path, out: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> None:
    monkeypatch.setenv("NTC_CACHE_DIR", str(cache))
    assert run("build", "--content", project / "content", "--out", out, *extra) == 0


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _page_body(p: Path) -> None:
    edit(p / "content/it/chi-siamo.md", "Una tabella:", "Una tabella, con una frase nuova:")


def _record(p: Path) -> None:
    # a field that no page title or description shows: only the record pages, lists and data change
    edit(p / "content/clusters/alpha.yaml", "founded: 2012", "founded: 2013")


def _template(p: Path) -> None:
    edit(p / "templates/base.html", '<main id="main"', '<main class="changed" id="main"')


def _interface_string(p: Path) -> None:
    file = p / "templates/i18n/it.yaml"
    text = file.read_text(encoding="utf-8")
    new = re.sub(r"^(skip_link: *)(.*)$", r"\1Vai al contenuto, cambiato", text, count=1, flags=re.M)
    assert new != text
    file.write_text(new, encoding="utf-8")


def _site_setting(p: Path) -> None:
    edit(p / "content/site.yaml", '"Sito di prova"', '"Sito di prova rinominato"')


def _deleted_page(p: Path) -> None:
    (p / "content/it/solo-italiano.md").unlink()


def _renamed_slug(p: Path) -> None:
    # chi-siamo is linked from the home page by its source path, so the link there must follow the slug
    edit(p / "content/it/chi-siamo.md", "translation_key: about", "translation_key: about\nslug: chi-lo-fa")


def _new_page(p: Path) -> None:
    (p / "content/it/nuova.md").write_text("---\ntitle: Nuova\nmenu: main\n---\nVedi [chi siamo](chi-siamo.md).\n",
                                            encoding="utf-8")


def _csv_cell(p: Path) -> None:
    edit(p / "datasets/sample/sample.csv", "Città di prova", "Città di prova corretta")


def _table_schema(p: Path) -> None:
    edit(p / "datasets/sample/sample.schema.yaml", 'title: {it: "Nota"', 'title: {it: "Nota del curatore"')


def _package_field(p: Path) -> None:
    edit(p / "datasets/sample/package.yaml", "frequency: IRREG", "frequency: ANNUAL")


def _new_package(p: Path) -> None:
    shutil.copytree(p / "datasets/sample", p / "datasets/sample-bis")


def _removed_package(p: Path) -> None:
    shutil.rmtree(p / "datasets/sample")


CHANGES: dict[str, Callable[[Path], None]] = {
    "page body": _page_body, "record": _record, "template": _template, "interface string": _interface_string,
    "site setting": _site_setting, "deleted page": _deleted_page, "renamed slug": _renamed_slug,
    "new page in the menu": _new_page, "csv cell": _csv_cell, "table schema": _table_schema,
    "package field": _package_field, "new package": _new_package, "removed package": _removed_package,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_warm_rebuild_after_a_change_equals_a_clean_build(change: str, project: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(project, out, cache, monkeypatch)
    before = tree(out)
    CHANGES[change](project)
    build(project, out, cache, monkeypatch)
    clean_out = tmp_path / "clean"
    build(project, clean_out, tmp_path / "empty-cache", monkeypatch)
    warm, clean = tree(out), tree(clean_out)
    assert warm == clean
    assert warm != before  # the change is visible, so the comparison above means something


def test_renamed_slug_moves_the_page_and_the_links_to_it(project: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(project, out, cache, monkeypatch)
    _renamed_slug(project)
    build(project, out, cache, monkeypatch)
    assert (out / "it/chi-lo-fa/index.html").is_file() and not (out / "it/chi-siamo").exists()
    assert "/ntc-site/it/chi-lo-fa/#contatti" in (out / "it/index.html").read_text(encoding="utf-8")


def test_two_clean_builds_are_byte_identical(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    build(project, tmp_path / "a", tmp_path / "cache-a", monkeypatch)
    build(project, tmp_path / "b", tmp_path / "cache-b", monkeypatch)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_the_pool_gives_what_one_process_gives(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(parallel, "POOL_MIN", 1)  # the fixture is small: force the pool
    started: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor  # parallel.run imports it when it starts a pool

    def counting(*args, **kwargs):
        started.append(kwargs.get("max_workers", 0))
        return real(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", counting)
    build(project, tmp_path / "serial", tmp_path / "cache-1", monkeypatch, "--jobs", "1")
    assert started == []
    build(project, tmp_path / "pool", tmp_path / "cache-2", monkeypatch, "--jobs", "2")
    assert started == [2]
    assert tree(tmp_path / "pool") == tree(tmp_path / "serial")


def test_unchanged_rebuild_renders_nothing_and_leaves_the_output_alone(project: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(project, out, cache, monkeypatch)
    inodes = {p: os.stat(out / p).st_ino for p in tree(out)}
    folder = os.stat(out).st_ino
    counts: list[int] = []
    real = parallel.run
    monkeypatch.setattr(parallel, "run", lambda site, strings, templates, tasks, *a: counts.append(len(tasks))
                        or real(site, strings, templates, tasks, *a))
    for stamp in cache.glob("stamp-*"):  # without the stamp (test_nochange_rebuild.py), the pipeline itself runs
        stamp.unlink()
    build(project, out, cache, monkeypatch)
    assert counts == [0]
    assert os.stat(out).st_ino == folder
    assert {p: os.stat(out / p).st_ino for p in tree(out)} == inodes


def test_one_page_change_renders_one_page_and_links_the_rest(project: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(project, out, cache, monkeypatch)
    unchanged = os.stat(out / "en/about/index.html").st_ino
    counts: list[int] = []
    real = parallel.run
    monkeypatch.setattr(parallel, "run", lambda site, strings, templates, tasks, *a: counts.append(len(tasks))
                        or real(site, strings, templates, tasks, *a))
    _page_body(project)
    for stamp in cache.glob("stamp-*"):  # without the stamp, neither the delta path (test_delta_rebuild.py)
        stamp.unlink()                   # nor the no-change one: the pipeline itself runs
    build(project, out, cache, monkeypatch)
    assert counts == [1]
    assert "una frase nuova" in (out / "it/chi-siamo/index.html").read_text(encoding="utf-8")
    assert os.stat(out / "en/about/index.html").st_ino == unchanged  # hard-linked from the previous output


def test_a_damaged_cache_is_an_empty_cache(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(project, out, cache, monkeypatch)
    for file in cache.glob("*.pickle"):
        file.write_bytes(b"not a pickle")
    _page_body(project)
    build(project, out, cache, monkeypatch)
    build(project, tmp_path / "clean", tmp_path / "empty", monkeypatch)
    assert tree(out) == tree(tmp_path / "clean")


def test_settings_default_cache_is_beside_the_content(project: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("NTC_CACHE_DIR", raising=False)
    settings = pipeline.Settings(content_dir=project / "content", templates_dir=project / "templates")
    result = pipeline.build(settings)
    assert not result.problems
    assert any((project / ".cache").glob("build-*-page.pickle"))


def test_unchanged_rebuild_still_removes_what_others_put_in_the_output(project: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(project, out, cache, monkeypatch)
    expected = tree(out)
    (out / "stray.txt").write_text("not from the build")
    (out / "empty-folder").mkdir()
    (out / "it/index.html").write_text("edited by hand")
    build(project, out, cache, monkeypatch)
    assert tree(out) == expected and not (out / "empty-folder").exists()


def test_jobs_must_not_be_negative(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NTC_CACHE_DIR", str(tmp_path / "cache"))
    assert run("build", "--content", project / "content", "--out", tmp_path / "out", "--jobs", "-1") == 2
    assert not (tmp_path / "out").exists()


def test_progress_line_once_the_build_is_slow(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]):
    from ntc_site import cli
    build(project, tmp_path / "quick", tmp_path / "cache-1", monkeypatch)
    assert "rendering pages" not in capsys.readouterr().err  # a quick build stays quiet
    monkeypatch.setattr(cli._Progress, "DELAY", 0.0)
    build(project, tmp_path / "slow", tmp_path / "cache-2", monkeypatch)
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("rendering pages: ")]
    assert lines and lines[-1].split(": ")[1].split("/")[0] == lines[-1].split("/")[1]


def test_a_download_edited_in_place_in_the_output_is_restored(project: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch):
    """The published data files share their disk blocks with the build cache (hard links): an edit made
    in place in the output must not survive, nor poison the cache for later builds."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(project, out, cache, monkeypatch)
    expected = tree(out)
    target = out / "data/sample/sample.csv"
    with target.open("r+b") as f:  # in place: the same inode, as an editor saving over it might
        f.write(b"XXXX")
    build(project, out, cache, monkeypatch)
    assert tree(out) == expected
    build(project, tmp_path / "again", cache, monkeypatch)
    assert tree(tmp_path / "again") == expected


def test_the_cache_keeps_data_files_on_disk_not_in_its_tables(project: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch):
    import pickle
    cache = tmp_path / "cache"
    build(project, tmp_path / "out", cache, monkeypatch)
    csv_bytes = (tmp_path / "out/data/sample/sample.csv").read_bytes()
    for table in cache.glob("*.pickle"):
        assert csv_bytes not in table.read_bytes(), table.name
    [manifest] = [pickle.loads(t.read_bytes())["entries"] for t in cache.glob("*-data.pickle")]
    [entry] = manifest.values()
    size, digest, _ = entry["data/sample/sample.csv"]
    assert size == len(csv_bytes) and len(digest) == 64
