"""A bug inside the build (an exception, never a content problem) exits 70, with one line naming the file
being processed and the file holding the trace; the old output stays as it was."""
from __future__ import annotations

import re
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from support import FIXTURE, ROOT, run, tree

from ntc_site import cli
from ntc_site.processing import file_of, processing

LINE = re.compile(r"internal error while processing (?P<file>.+?): (?P<what>.+) — a bug in ntc-site, not in the"
                  r" content; the trace is in (?P<trace>\S+)")


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the fixture site as the working directory, an empty cache (so every page is really rendered)
    and the trace files kept in the test's folder."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target)
    monkeypatch.chdir(target)
    monkeypatch.setenv("NTC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return target


def failing_build(out: Path, capsys) -> tuple[re.Match[str], str]:
    capsys.readouterr()
    assert run("build", "--content", "content", "--out", out) == cli.EXIT_BUG == 70
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    found = LINE.fullmatch(err.strip())
    assert found, err
    trace = Path(found["trace"]).read_text(encoding="utf-8")
    return found, trace


def test_a_bug_while_rendering_a_page_names_the_page_and_the_trace(project: Path, tmp_path: Path, capsys,
                                                                     monkeypatch):
    out = tmp_path / "_site"
    assert run("build", "--content", "content", "--out", out) == 0
    before = tree(out)
    from ntc_site.pipeline import parallel
    real = parallel.render_page

    def render_page(env, site, page, *args):
        if page.source is not None and page.source.path == "content/en/about.md":
            raise RuntimeError("boom in the renderer\nsecond line")
        return real(env, site, page, *args)

    monkeypatch.setattr(parallel, "render_page", render_page)
    (project / "content" / "en" / "about.md").write_text(
        (project / "content" / "en" / "about.md").read_text(encoding="utf-8") + "\nChanged.\n", encoding="utf-8")
    found, trace = failing_build(out, capsys)
    assert found["file"] == "content/en/about.md"
    assert found["what"] == "RuntimeError: boom in the renderer"
    assert "Traceback" in trace and "in render_page" in trace and "second line" in trace
    assert "processing: content/en/about.md" in trace
    assert tree(out) == before


def test_a_bug_while_reading_a_record_names_the_record(project: Path, tmp_path: Path, capsys, monkeypatch):
    from ntc_site.load import specs

    real = specs.validate

    def validate(doc, spec):
        if doc.path == "content/clusters/alpha.yaml":
            raise KeyError("a key nobody expected")
        return real(doc, spec)

    monkeypatch.setattr(specs, "validate", validate)
    found, trace = failing_build(tmp_path / "_site", capsys)
    assert found["file"] == "content/clusters/alpha.yaml"
    assert found["what"] == "KeyError: 'a key nobody expected'"
    assert not (tmp_path / "_site").exists()


def test_a_bug_while_writing_a_data_package_names_the_package(tmp_path: Path, capsys, monkeypatch):
    project = tmp_path / "data-site"
    shutil.copytree(ROOT / "tests" / "fixtures" / "data-site", project)
    monkeypatch.chdir(project)
    monkeypatch.setenv("NTC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    from ntc_site.data import downloads

    def write_xlsx(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(downloads, "write_xlsx", write_xlsx)
    found, _ = failing_build(tmp_path / "_site", capsys)
    assert found["file"] == "datasets/areas/package.yaml"


def _raise_in_a_worker(path: str) -> None:
    with processing("content/outer.md"):
        with processing(path):
            raise ValueError("in a worker")


def test_the_file_travels_with_the_exception_out_of_a_worker_process():
    with ProcessPoolExecutor(max_workers=1) as pool:
        future = pool.submit(_raise_in_a_worker, "content/it/inner.md")
        with pytest.raises(ValueError) as caught:
            future.result()
    assert file_of(caught.value) == "content/it/inner.md"  # the innermost file wins


def test_a_re_raised_bug_keeps_the_file_and_a_bug_outside_any_file_says_so():
    try:
        try:
            with processing("content/site.yaml"):
                raise OSError("first")
        except OSError as err:
            raise RuntimeError("second") from err
    except RuntimeError as err:
        assert file_of(err) == "content/site.yaml"
    assert file_of(RuntimeError("nowhere")) is None
