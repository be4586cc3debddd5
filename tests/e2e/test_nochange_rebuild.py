"""End to end: a build where nothing changed stops on the build stamp, and any change means a real build.

The fast path (ntc_site/pipeline/stamp.py) is taken when inputs and output are exactly as the previous build
left them: the command says "(unchanged)" and not one file or folder of the output is touched. After every
kind of change to an input, to the settings or to the output, it is not taken: the build runs, and its
output equals a clean build of the same project (new output folder, new empty cache), byte for byte.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from support import ROOT, run, tree

from ntc_site.pipeline import fingerprint, stamp
from ntc_site.write import output

UNCHANGED = "(unchanged)"


@pytest.fixture
def project(data_project: Path) -> Path:
    return data_project


@pytest.fixture
def build(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
          ) -> Callable[..., str]:
    """`build(out, cache, *options)`: runs `build` in this process; gives its stdout (it must succeed)."""
    def build_(out: Path, cache: Path, *options: str) -> str:
        monkeypatch.setenv("NTC_CACHE_DIR", str(cache))
        capsys.readouterr()
        code = run("build", "--content", project / "content", "--out", out, *options)
        printed = capsys.readouterr()
        assert code == 0, printed.err
        return printed.out
    return build_


def stats(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry below `folder` (itself included) with its inode, mtime_ns and ctime_ns."""
    found = {}
    for entry in [folder, *folder.rglob("*")]:
        st = entry.lstat()
        found[entry.relative_to(folder).as_posix()] = (st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
    return found


def replace_keeping_times(file: Path, old: str, new: str) -> None:
    """An edit of the same size that also puts the modification time back: only the bytes tell it."""
    assert len(old.encode()) == len(new.encode())
    before = file.stat()
    data = file.read_bytes()
    assert old.encode() in data, (file, old)
    file.write_bytes(data.replace(old.encode(), new.encode(), 1))
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert file.stat().st_size == before.st_size


def test_a_rebuild_where_nothing_changed_writes_nothing(project: Path, tmp_path: Path, build):
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build(out, cache)
    assert UNCHANGED not in first
    before = stats(out)
    again = build(out, cache)
    assert again.strip() == first.strip() + f" {UNCHANGED}"
    assert stats(out) == before  # not one file or folder replaced, written or touched
    assert build(out, cache) == again


def test_the_fast_path_repeats_the_notes_of_the_build(project: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch, capsys):
    out, cache = tmp_path / "out", tmp_path / "cache"
    monkeypatch.setenv("NTC_CACHE_DIR", str(cache))
    assert run("build", "--content", project / "content", "--out", out) == 0
    first = capsys.readouterr().err
    assert "note: datasets/ is not in a git checkout" in first
    assert run("build", "--content", project / "content", "--out", out) == 0
    printed = capsys.readouterr()
    assert UNCHANGED in printed.out and printed.err == first


def _page_edited_same_size(p: Path) -> None:
    replace_keeping_times(p / "content/it/chi-siamo.md", "Una tabella:", "Una tabellA:")


def _page_added(p: Path) -> None:
    (p / "content/it/nuova.md").write_text("---\ntitle: Nuova\n---\nUna pagina nuova.\n", encoding="utf-8")


def _page_removed(p: Path) -> None:
    (p / "content/it/solo-italiano.md").unlink()


def _media_added(p: Path) -> None:
    (p / "content/media/extra.txt").write_text("extra\n", encoding="utf-8")


def _record_changed(p: Path) -> None:
    replace_keeping_times(p / "content/clusters/alpha.yaml", "founded: 2012", "founded: 2013")


def _template_edited(p: Path) -> None:
    replace_keeping_times(p / "templates/base.html", '<main id="main"', '<main id="mein"')


def _template_file_added(p: Path) -> None:
    (p / "templates/assets/extra.txt").write_text("extra\n", encoding="utf-8")


def _template_file_removed(p: Path) -> None:
    (p / "templates/assets/favicon.svg").unlink()


def _interface_string(p: Path) -> None:
    file = p / "templates/i18n/it.yaml"
    file.write_text(file.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def _dataset_cell(p: Path) -> None:
    replace_keeping_times(p / "datasets/sample/sample.csv", "Città di prova", "Città di prove")


def _dataset_added(p: Path) -> None:
    shutil.copytree(p / "datasets/sample", p / "datasets/sample-bis")


def _dataset_removed(p: Path) -> None:
    shutil.rmtree(p / "datasets/sample")


INPUT_CHANGES: dict[str, Callable[[Path], None]] = {
    "content page edited, same size and time": _page_edited_same_size, "content page added": _page_added,
    "content page removed": _page_removed, "content media added": _media_added,
    "record changed": _record_changed, "template edited": _template_edited,
    "template file added": _template_file_added, "template file removed": _template_file_removed,
    "interface string file": _interface_string, "dataset cell": _dataset_cell,
    "dataset added": _dataset_added, "dataset removed": _dataset_removed,
}


@pytest.mark.parametrize("change", list(INPUT_CHANGES))
def test_a_changed_input_means_a_real_build(change: str, project: Path, tmp_path: Path, build):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(out, cache)
    assert UNCHANGED in build(out, cache)  # the stamp is there: the change alone must undo the fast path
    before = tree(out)
    INPUT_CHANGES[change](project)
    assert UNCHANGED not in build(out, cache)
    build(tmp_path / "clean", tmp_path / "empty-cache")
    assert tree(out) == tree(tmp_path / "clean")
    if change != "interface string file":  # a new line at the end of the strings shows nowhere
        assert tree(out) != before


def _output_edited_same_size(out: Path) -> None:
    file = out / "it/index.html"
    before = file.stat()
    data = bytearray(file.read_bytes())
    data[-2:-1] = b" " if data[-2:-1] != b" " else b"\n"
    file.write_bytes(bytes(data))  # in place: the same inode
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert file.stat().st_ino == before.st_ino and file.stat().st_size == before.st_size


def _output_file_deleted(out: Path) -> None:
    (out / "en/about/index.html").unlink()


def _output_file_added(out: Path) -> None:
    (out / "stray.html").write_text("not from the build", encoding="utf-8")


def _output_folder_added(out: Path) -> None:
    (out / "it/empty").mkdir()


def _output_file_replaced(out: Path) -> None:
    file = out / "sitemap.xml"
    copy = out / "sitemap.copy"
    shutil.copy2(file, copy)
    os.replace(copy, file)  # the same bytes and times, another inode


def _marker_removed(out: Path) -> None:
    (out / output.MARKER).unlink()


OUTPUT_CHANGES: dict[str, Callable[[Path], None]] = {
    "file edited in place, same size and time": _output_edited_same_size, "file deleted": _output_file_deleted,
    "file added": _output_file_added, "empty folder added": _output_folder_added,
    "file replaced by a copy": _output_file_replaced, "build marker removed": _marker_removed,
}


@pytest.mark.parametrize("change", list(OUTPUT_CHANGES))
def test_a_changed_output_means_a_real_build(change: str, project: Path, tmp_path: Path, build):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(out, cache)  # a clean build: new folder, empty cache
    clean = tree(out)
    OUTPUT_CHANGES[change](out)
    if change == "build marker removed":  # not a previous build any more: refused, never replaced
        assert run("build", "--content", project / "content", "--out", out) == 2
        return
    assert UNCHANGED not in build(out, cache)
    assert tree(out) == clean and not (out / "it/empty").exists()
    assert UNCHANGED in build(out, cache)


def test_other_settings_mean_a_real_build(project: Path, tmp_path: Path, build):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(out, cache)
    other = "https://example.org/elsewhere/"
    assert UNCHANGED not in build(out, cache, "--base-url", other)
    build(tmp_path / "clean", tmp_path / "empty-cache", "--base-url", other)
    assert tree(out) == tree(tmp_path / "clean")
    assert UNCHANGED in build(out, cache, "--base-url", other)
    assert UNCHANGED not in build(out, cache)  # back to the site's own address
    assert UNCHANGED not in build(out, tmp_path / "another-cache")  # the stamp lives in the cache
    assert UNCHANGED in build(out, cache, "--jobs", "1")  # the number of workers changes nothing


def test_another_generator_means_a_real_build(project: Path, tmp_path: Path, build,
                                              monkeypatch: pytest.MonkeyPatch):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(out, cache)
    clean = tree(out)
    real = fingerprint.library_versions
    monkeypatch.setattr(fingerprint, "library_versions", lambda: [*real(), "jinja2=99.0"])
    fingerprint.code_digest.cache_clear()  # as in a new process after an upgrade
    try:
        assert UNCHANGED not in build(out, cache)
        assert tree(out) == clean
    finally:
        monkeypatch.undo()
        fingerprint.code_digest.cache_clear()
    assert UNCHANGED not in build(out, cache)  # and back


def git(folder: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


def test_a_new_commit_of_the_datasets_means_a_real_build(project: Path, tmp_path: Path, build):
    """The history of published versions comes from git: a commit that changes no file of the working tree
    (here a package version set and set back) still changes what the build reads."""
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "first")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(out, cache)
    assert UNCHANGED in build(out, cache)
    git(project, "commit", "-q", "--allow-empty", "-m", "second")
    assert UNCHANGED not in build(out, cache)
    build(tmp_path / "clean", tmp_path / "empty-cache")
    assert tree(out) == tree(tmp_path / "clean")
    assert UNCHANGED in build(out, cache)


def test_a_link_among_the_inputs_means_a_real_build_every_time(project: Path, tmp_path: Path, build):
    (project / "content/media/logo-link.svg").symlink_to("logo.svg")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(out, cache)
    assert UNCHANGED not in build(out, cache)
    assert not list(cache.glob("stamp-*"))


def test_the_fast_path_imports_no_part_of_the_pipeline(project: Path, tmp_path: Path, build):
    """In a new process, as the command line runs: none of the heavy libraries is imported."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(out, cache)
    heavy = ["jinja2", "markdown", "yaml", "frictionless", "rdflib", "babel", "nh3", "importlib.metadata",
             "ntc_site.pipeline.run", "ntc_site.pipeline.cache"]
    script = ("import json, sys\nfrom ntc_site import cli\ncode = cli.main(sys.argv[1:])\n"
              f"print(json.dumps([code, [m for m in {heavy!r} if m in sys.modules]]))\n")
    done = subprocess.run([sys.executable, "-c", script, "build", "--content", str(project / "content"),
                           "--out", str(out)], capture_output=True, text=True, check=True,
                          env={**os.environ, "NTC_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)})
    first, last = done.stdout.strip().splitlines()[0], done.stdout.strip().splitlines()[-1]
    assert UNCHANGED in first
    assert json.loads(last) == [0, []]


def test_stamps_name_the_output_and_settings(tmp_path: Path):
    cache = tmp_path / "cache"
    names = {stamp.stamp_file(cache, tmp_path / out, variant)
             for out in ("a", "b") for variant in ("base_url=None drafts=False", "base_url=None drafts=True")}
    assert len(names) == 4 and all(name.parent == cache for name in names)
