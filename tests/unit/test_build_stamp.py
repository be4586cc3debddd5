"""The build stamp's parts: the input digests (pipeline/fingerprint.py) and the output manifest
(pipeline/stamp.py), on small folders. The whole fast path: tests/e2e/test_nochange_rebuild.py."""
from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path

import pytest

from ntc_site.pipeline import fingerprint, stamp
from ntc_site.write import output, staging

FILES = {"index.html": b"<p>home</p>", "it/index.html": b"<p>casa</p>", "data/a.csv": b"a,b\n1,2\n"}


def make_tree(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "f.txt").write_text("one")
    (root / "g.md").write_text("two")
    return root


def inputs_digest(content: Path, templates: Path, datasets: Path, variant: str) -> str | None:
    found = stamp.read_inputs(content, templates, datasets, variant)
    return found.digest if found is not None else None


def unchanged(file: Path, out: Path, inputs: str | None) -> tuple[int, list[str]] | None:
    """What the command line decides from the stamp (cli.run_build): the stamp's count and notes when the
    inputs and the output are as it recorded them."""
    recorded = stamp.read(file)
    if inputs is None or recorded is None or recorded["inputs"] != inputs or not stamp.output_as_left(recorded, out):
        return None
    return recorded["files"], recorded["notes"]


def test_library_versions_are_those_the_package_metadata_gives():
    expected = [f"{name}={metadata.version(name)}" for name in fingerprint.LIBRARIES]
    assert fingerprint.library_versions() == expected


def test_code_digest_follows_the_library_versions(monkeypatch: pytest.MonkeyPatch):
    before = fingerprint.code_digest()
    monkeypatch.setattr(fingerprint, "library_versions", lambda: ["jinja2=99.0"])
    fingerprint.code_digest.cache_clear()
    try:
        assert fingerprint.code_digest() != before
    finally:
        monkeypatch.undo()
        fingerprint.code_digest.cache_clear()
    assert fingerprint.code_digest() == before


def test_strict_tree_digest_follows_names_bytes_and_folders_not_location_or_times(tmp_path: Path):
    a, b = make_tree(tmp_path / "a"), make_tree(tmp_path / "b")
    os.utime(b / "g.md", ns=(1, 1))
    assert fingerprint.strict_tree_digest(a) == fingerprint.strict_tree_digest(b)
    (b / "g.md").write_text("twO")  # the same size
    assert fingerprint.strict_tree_digest(a) != fingerprint.strict_tree_digest(b)
    (b / "g.md").write_text("two")
    (b / "sub" / "f.txt").rename(b / "sub" / "h.txt")
    assert fingerprint.strict_tree_digest(a) != fingerprint.strict_tree_digest(b)
    (b / "sub" / "h.txt").rename(b / "sub" / "f.txt")
    (b / "empty").mkdir()
    assert fingerprint.strict_tree_digest(a) != fingerprint.strict_tree_digest(b)
    (b / "empty").rmdir()
    (b / ".git").mkdir()  # the repository's own files: its state is read from git
    (b / ".git" / "index").write_text("changes all the time")
    assert fingerprint.strict_tree_digest(a) == fingerprint.strict_tree_digest(b)
    assert fingerprint.strict_tree_digest(tmp_path / "missing") == fingerprint.strict_tree_digest(tmp_path / "gone")
    assert fingerprint.strict_tree_digest(tmp_path / "missing") != fingerprint.strict_tree_digest(a)


def test_strict_tree_digest_has_no_answer_for_links_and_special_files(tmp_path: Path):
    a = make_tree(tmp_path / "a")
    (a / "link.md").symlink_to("g.md")
    assert fingerprint.strict_tree_digest(a) is None
    (a / "link.md").unlink()
    os.mkfifo(a / "sub" / "pipe")
    assert fingerprint.strict_tree_digest(a) is None
    (a / "sub" / "pipe").unlink()
    assert fingerprint.strict_tree_digest(a) is not None
    (tmp_path / "linked").symlink_to(a)
    assert fingerprint.strict_tree_digest(tmp_path / "linked") is None


def test_inputs_digest_covers_the_settings_the_folders_and_the_working_directory(tmp_path: Path,
                                                                                  monkeypatch: pytest.MonkeyPatch):
    content, templates, datasets = make_tree(tmp_path / "c"), make_tree(tmp_path / "t"), tmp_path / "d"
    monkeypatch.chdir(tmp_path)
    base = inputs_digest(content, templates, datasets, "base_url=None drafts=False")
    assert base == inputs_digest(content, templates, datasets, "base_url=None drafts=False")
    assert base != inputs_digest(content, templates, datasets, "base_url=None drafts=True")
    assert base != inputs_digest(templates, content, datasets, "base_url=None drafts=False")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert base != inputs_digest(content, templates, datasets, "base_url=None drafts=False")
    (templates / "sub" / "link").symlink_to(content)
    assert inputs_digest(content, templates, datasets, "base_url=None drafts=False") is None


def test_page_files_are_hashed_apart_and_the_whole_digest_still_covers_them(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch):
    content, templates, datasets = make_tree(tmp_path / "c"), make_tree(tmp_path / "t"), tmp_path / "d"
    (content / "it").mkdir()
    (content / "it" / "p.md").write_text("---\ntitle: P\n---\nbody\n")
    (content / "it" / "notes.txt").write_text("not a page")
    monkeypatch.chdir(tmp_path)
    first = stamp.read_inputs(content, templates, datasets, "v", ("it", "en"))
    assert first is not None and set(first.pages) == {"it/p.md"}  # g.md is not in a language folder
    (content / "it" / "p.md").write_text("---\ntitle: P\n---\nother body\n")
    second = stamp.read_inputs(content, templates, datasets, "v", ("it", "en"))
    assert second is not None and second.rest == first.rest and second.digest != first.digest
    assert second.pages["it/p.md"] != first.pages["it/p.md"]
    assert second.pages["it/p.md"] == fingerprint.file_digest(b"it/p.md", (content / "it/p.md").read_bytes())
    (content / "it" / "notes.txt").write_text("still not a page")
    third = stamp.read_inputs(content, templates, datasets, "v", ("it", "en"))
    assert third is not None and third.rest != second.rest and third.pages == second.pages


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    hash_file = fingerprint._hash_file
    monkeypatch.setattr(fingerprint, "_hash_file", lambda h, path, rel: read.append(path) or hash_file(h, path, rel))
    return read


def test_a_file_whose_status_is_unchanged_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = make_tree(tmp_path / "c")
    monkeypatch.setattr(fingerprint, "SETTLED_NS", -10**9)  # as if every file had been written long ago
    seen: fingerprint.Known = {}
    first = fingerprint.strict_tree_digest(root, seen=seen)
    assert len(seen) == 2
    read = _reads(monkeypatch)
    assert fingerprint.strict_tree_digest(root, known=seen) == first and read == []
    # The same size and modification time, other bytes: the change time tells.
    before = (root / "g.md").stat()
    (root / "g.md").write_text("TWO")
    os.utime(root / "g.md", ns=(before.st_atime_ns, before.st_mtime_ns))
    assert fingerprint.strict_tree_digest(root, known=seen) != first
    assert read == [str((root / "g.md").absolute())]
    # Replaced by another file (a new inode) with the old bytes: read again, the same digest.
    (root / "g.tmp").write_text("two")
    os.replace(root / "g.tmp", root / "g.md")
    assert fingerprint.strict_tree_digest(root, known=seen) == first


def test_a_file_changed_just_now_is_never_taken_on_its_status(tmp_path: Path):
    """Its next write could fall in the same clock tick and leave every field of its status as it is."""
    root = make_tree(tmp_path / "c")
    seen: fingerprint.Known = {}
    assert fingerprint.strict_tree_digest(root, seen=seen) is not None
    assert seen == {}


def written(tmp_path: Path, inputs: str = "inputs") -> tuple[Path, Path]:
    """An output written as a build writes it, stamped under the output lock."""
    out, file = tmp_path / "out", tmp_path / "cache" / "stamp"
    sizes = {path: len(data) for path, data in FILES.items()}
    output.write_site(out, FILES, then=lambda: stamp.record(file, out, inputs, sizes, ["a note"]))
    return out, file


def test_a_stamped_output_is_unchanged_until_anything_in_it_changes(tmp_path: Path):
    out, file = written(tmp_path)
    assert unchanged(file, out, "inputs") == (3, ["a note"])
    assert unchanged(file, out, "other inputs") is None
    assert unchanged(file, out, None) is None
    os.utime(out / "it")  # a folder touched
    assert unchanged(file, out, "inputs") is None


@pytest.mark.parametrize("change", ["touch", "chmod", "add", "remove", "marker", "folder", "root"])
def test_any_change_to_the_output_breaks_the_match(change: str, tmp_path: Path):
    out, file = written(tmp_path)
    target = out / "data/a.csv"
    if change == "touch":
        st = target.stat()
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))  # times set back as they were: ctime moves
    elif change == "chmod":
        target.chmod(0o600)
    elif change == "add":
        (out / "data/b.csv").write_bytes(b"")
    elif change == "remove":
        target.unlink()
    elif change == "marker":
        (out / output.MARKER).unlink()
    elif change == "folder":
        (out / "data").rename(out / "dati")
    else:
        (out / "index.html").rename(tmp_path / "index.html")
        (tmp_path / "index.html").rename(out / "index.html")
    assert unchanged(file, out, "inputs") is None


def test_a_damaged_stamp_is_no_stamp(tmp_path: Path):
    out, file = written(tmp_path)
    file.write_bytes(file.read_bytes()[:40])
    assert unchanged(file, out, "inputs") is None
    file.write_bytes(b"")
    assert unchanged(file, out, "inputs") is None


def test_nothing_is_stamped_when_the_output_is_not_the_built_files(tmp_path: Path):
    out, file = written(tmp_path)
    assert file.is_file()
    sizes = {path: len(data) for path, data in FILES.items()}
    (out / "stray").mkdir()  # another program at work in the output
    stamp.record(file, out, "inputs", sizes, [])
    assert not file.exists()  # and the stamp of before is gone
    (out / "stray").rmdir()
    stamp.record(file, out, "inputs", {**sizes, "index.html": 1}, [])
    assert not file.exists()
    stamp.record(file, out, "inputs", sizes, [])
    assert file.is_file()
    stamp.record(file, out, None, sizes, [])  # inputs that cannot be trusted: no stamp
    assert not file.exists()


class StuckClock:
    """The file system's clock as `stamp` reads it, coarse: for `stuck` readings it is still in the tick of
    every change to the output (the time of the earliest), then it moves past the latest; `during` runs
    while it is stuck, after the output was scanned."""

    def __init__(self, out: Path, stuck: int, during=None):
        times = [p.lstat().st_ctime_ns for p in [out, *out.rglob("*")]]
        self.earliest, self.latest = min(times), max(times)
        self.stuck, self.during, self.readings = stuck, during, 0

    def __call__(self, clock: Path) -> int:
        self.readings += 1
        if self.readings <= self.stuck:
            if self.during is not None and self.readings == 2:
                self.during()
            return self.earliest
        return self.latest + 1


def test_the_stamp_waits_for_the_clock_to_leave_the_tick_of_the_last_change(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch):
    out, file = written(tmp_path)
    sizes = {path: len(data) for path, data in FILES.items()}
    clock = StuckClock(out, stuck=3)
    monkeypatch.setattr(stamp, "_now", clock)
    stamp.record(file, out, "inputs", sizes, [])
    assert clock.readings == 4 and file.is_file()  # an entry stamped in that tick was read again after it


def _changed_after_scan(monkeypatch: pytest.MonkeyPatch, target: Path, seen_mid_change: bool) -> None:
    """`stamp.scan`, then `target` rewritten with the same bytes; `seen_mid_change`: the scan's entry for it
    carries the new ctime (it was read while the change happened)."""
    scan = stamp.scan

    def scan_then_change(folder: Path):
        found = scan(folder)
        target.write_bytes(target.read_bytes())
        if seen_mid_change:
            found[target.name] = (*found[target.name][:4], target.lstat().st_ctime_ns)
        return found
    monkeypatch.setattr(stamp, "scan", scan_then_change)


def test_an_entry_that_changes_in_the_tick_of_the_scan_is_read_again_and_not_stamped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Changed while the scan runs, in the very tick the clock shows: its ctime is that tick's, so it is read
    again once the clock has left it, and found changed."""
    out, file = written(tmp_path)
    _changed_after_scan(monkeypatch, out / "index.html", seen_mid_change=True)
    stamp.record(file, out, "inputs", {path: len(data) for path, data in FILES.items()}, [])
    assert not file.exists()


def test_a_change_after_the_scan_never_passes_for_what_was_stamped(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch):
    """The scan begins once the clock has left the tick of the build's writes: whatever changes later carries
    a later ctime than any entry recorded, so the next check sees it."""
    out, file = written(tmp_path)
    _changed_after_scan(monkeypatch, out / "index.html", seen_mid_change=False)
    stamp.record(file, out, "inputs", {path: len(data) for path, data in FILES.items()}, [])
    recorded = stamp.read(file)
    assert recorded is None or not stamp.output_as_left(recorded, out)


def test_the_scan_starts_after_the_tick_of_the_last_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """With a coarse clock (still in the tick of the build's writes for a few readings), the scan waits."""
    out, file = written(tmp_path)
    sizes = {path: len(data) for path, data in FILES.items()}
    clock = StuckClock(out, stuck=3)
    monkeypatch.setattr(stamp, "_now", clock)
    started: list[int] = []
    scan = stamp.scan
    monkeypatch.setattr(stamp, "scan", lambda folder: started.append(clock(output.lock_file(out))) or scan(folder))
    stamp.record(file, out, "inputs", sizes, [])
    assert file.is_file() and started[0] > clock.latest


def test_no_stamp_when_the_clock_does_not_move(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    out, file = written(tmp_path)
    sizes = {path: len(data) for path, data in FILES.items()}
    monkeypatch.setattr(stamp, "_SETTLE_S", 0.02)
    monkeypatch.setattr(stamp, "_now", StuckClock(out, stuck=10 ** 9))
    stamp.record(file, out, "inputs", sizes, [])
    assert not file.exists()


def test_the_stamp_modules_import_only_the_standard_library_and_light_modules_of_ours():
    import ast
    import sys
    for module in (fingerprint, stamp):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            else:
                continue
            for name in names:
                assert (name.split(".")[0] in sys.stdlib_module_names or name in ("..write", ".fingerprint", "..forked", "..urls")
                        or name == "__future__"), (module.__name__, name)


@pytest.mark.parametrize("fork", [True, False])
def test_the_output_check_gives_the_same_answer_in_a_child_process_or_here(tmp_path: Path, fork: bool,
                                                                           monkeypatch: pytest.MonkeyPatch):
    out, file = written(tmp_path)
    if not fork:  # a system without fork: the walk is done at once
        monkeypatch.delattr(stamp.os, "fork")
    recorded = stamp.read(file)
    assert recorded is not None
    check = stamp.output_check(recorded, out)
    assert (check._pid != 0) == fork
    assert check.result()[0] is True and check.result()[0] is True
    (out / "it/index.html").write_bytes(b"<p>edited</p>")
    assert stamp.output_check(recorded, out).result() == (False, None)


def test_an_output_check_no_longer_needed_leaves_no_process_behind(tmp_path: Path):
    out, file = written(tmp_path)
    recorded = stamp.read(file)
    assert recorded is not None
    check = stamp.output_check(recorded, out)
    pid = check._pid
    check.cancel()
    with pytest.raises(ChildProcessError):  # reaped: neither running nor a zombie
        os.waitpid(pid, os.WNOHANG)
    assert check.result() == (False, None)


def test_the_output_check_brings_the_spare_trees_scan_when_the_output_is_as_left(tmp_path: Path):
    """A one-page rebuild stages in the spare tree: the check's child walks it too (staging.scan_spare)."""
    out, file = written(tmp_path)
    sizes = {path: len(data) for path, data in FILES.items()}
    output.write_site(out, {**FILES, "index.html": b"<p>casa</p>"})  # the first output becomes the spare
    output.write_site(out, FILES, then=lambda: stamp.record(file, out, "inputs", sizes, []))
    recorded = stamp.read(file)
    assert recorded is not None
    assert stamp.output_check(recorded, out).result() == (True, staging.scan_spare(out)) != (True, None)
    (out / "index.html").write_bytes(b"<p>edited</p>")
    assert stamp.output_check(recorded, out).result() == (False, None)
