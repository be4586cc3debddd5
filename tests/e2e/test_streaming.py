"""End to end: pages are staged for writing while the worker pool still renders, and only a build that
succeeds as a whole publishes anything (write/output.py `Writer.write_early`, pipeline `Settings.stage`)."""
from __future__ import annotations

import concurrent.futures
import os
from pathlib import Path

import pytest
from support import run, tree

from ntc_site.pipeline import parallel
from ntc_site.write import output


@pytest.fixture
def project(data_project: Path) -> Path:
    return data_project


def build(project: Path, out: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> int:
    monkeypatch.setenv("NTC_CACHE_DIR", str(cache))
    return run("build", "--content", project / "content", "--out", out, *extra)


def test_pages_are_staged_while_the_pool_renders_and_the_site_equals_a_serial_build(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    assert build(project, tmp_path / "serial", tmp_path / "cache-1", monkeypatch, "--jobs", "1") == 0
    monkeypatch.setattr(parallel, "POOL_MIN", 1)
    monkeypatch.setattr(parallel, "CHUNK", 1)  # one page a chunk: results come back one by one
    events: list[str] = []
    real_pool, real_stage = concurrent.futures.ProcessPoolExecutor, output.Writer.write_early  # see parallel.run

    class Pool(real_pool):  # type: ignore[misc, valid-type]
        def shutdown(self, *args, **kwargs):
            events.append("pool done")
            return super().shutdown(*args, **kwargs)

    def stage(self, path: str, data: bytes) -> None:
        events.append(path)
        real_stage(self, path, data)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(output.Writer, "write_early", stage)
    assert build(project, tmp_path / "pool", tmp_path / "cache-2", monkeypatch, "--jobs", "2") == 0
    staged = [e for e in events if e != "pool done"]
    assert events.index("pool done") > events.index(staged[0])  # staged before the pool had finished
    pages = {p for p in tree(tmp_path / "pool") if p.endswith("index.html")}
    assert set(staged) <= pages and len(staged) == len(set(staged)) > len(pages) // 2
    assert tree(tmp_path / "pool") == tree(tmp_path / "serial")


def test_a_build_failing_after_pages_were_staged_publishes_nothing(project: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch, capsys):
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(project, out, cache, monkeypatch) == 0
    (project / "content/it/chi-siamo.md").write_text(
        (project / "content/it/chi-siamo.md").read_text(encoding="utf-8") + "\nNuova frase.\n", encoding="utf-8")
    assert build(project, out, cache, monkeypatch) == 0  # the spare tree now exists beside the output
    before = tree(out)
    inodes = {p: os.stat(out / p).st_ino for p in before}
    staged: list[str] = []
    real_stage = output.Writer.write_early
    monkeypatch.setattr(output.Writer, "write_early", lambda self, path, data: staged.append(path)
                        or real_stage(self, path, data))
    # Every page is rendered anew (new base template), and the record template fails at render time.
    base = project / "templates/base.html"
    base.write_text(base.read_text(encoding="utf-8").replace('<main id="main"', '<main class="x" id="main"'),
                    encoding="utf-8")
    record = project / "templates/cluster.html"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}{{ no_such_value.attribute }}", 1), encoding="utf-8")
    assert build(project, out, cache, monkeypatch) == 1
    assert "templates/cluster.html" in capsys.readouterr().err
    assert staged  # pages were staged before the failure was known
    assert tree(out) == before and {p: os.stat(out / p).st_ino for p in before} == inodes
    assert not list(tmp_path.glob(".out.tmp-*"))
