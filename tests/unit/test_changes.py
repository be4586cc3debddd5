"""write/changes.py: a few changed files published like a whole build (staged, swapped in at once)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from ntc_site.write import changes, output, staging

FILES = {"index.html": b"<p>home</p>", "it/a/index.html": b"<p>a</p>", "it/b/index.html": b"<p>b</p>"}


def _built(out: Path) -> None:
    output.write_site(out, FILES)
    output.write_site(out, {**FILES, "it/b/index.html": b"<p>b2</p>"})  # so that a spare tree exists
    output.write_site(out, FILES)


def test_the_changed_files_are_written_and_the_rest_kept_as_they_are(tmp_path: Path):
    out = tmp_path / "_site"
    _built(out)
    inodes = {path: os.stat(out / path).st_ino for path in FILES}
    got: list[set[str]] = []
    kept = {path: len(data) for path, data in FILES.items() if path != "it/a/index.html"}
    assert changes.publish(out, {"it/a/index.html": b"<p>new</p>"}, kept, inodes, os.stat(out).st_ino,
                           then=got.append)
    assert (out / "it/a/index.html").read_bytes() == b"<p>new</p>"
    assert {path: os.stat(out / path).st_ino for path in kept} == {path: inodes[path] for path in kept}
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == \
        sorted([*FILES, output.MARKER])
    # The spare held the same inode as the live site for index.html only (it/b was changed and back).
    assert got == [{"index.html"}]


def test_nothing_is_published_when_another_build_replaced_the_output_meanwhile(tmp_path: Path):
    out = tmp_path / "_site"
    _built(out)
    root = os.stat(out).st_ino
    inodes = {path: os.stat(out / path).st_ino for path in FILES}
    output.write_site(out, {**FILES, "index.html": b"<p>other build</p>"})  # swapped in: a new folder
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    spare = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    kept = {path: len(data) for path, data in FILES.items() if path != "it/a/index.html"}
    assert not changes.publish(out, {"it/a/index.html": b"<p>new</p>"}, kept, inodes, root)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == spare  # spare given back



def test_a_scan_of_the_spare_taken_earlier_is_used_only_for_that_very_tree(tmp_path: Path):
    out = tmp_path / "_site"
    _built(out)
    spare = staging.spare_path(out)
    scanned = staging.scan_spare(out)
    assert scanned == (os.stat(spare).st_ino, staging._scan(spare))
    # Another tree takes the spare's place (another build's, say): the earlier scan no longer describes it.
    shutil.copytree(spare, tmp_path / "other")
    (tmp_path / "other" / "stray.html").write_bytes(b"not of this site")
    shutil.rmtree(spare)
    os.rename(tmp_path / "other", spare)
    inodes = {path: os.stat(out / path).st_ino for path in FILES}
    kept = {path: len(data) for path, data in FILES.items() if path != "it/a/index.html"}
    assert changes.publish(out, {"it/a/index.html": b"<p>new</p>"}, kept, inodes, os.stat(out).st_ino,
                           spare=scanned)
    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == \
        {**FILES, "it/a/index.html": b"<p>new</p>", output.MARKER: output.MARKER_TEXT}
