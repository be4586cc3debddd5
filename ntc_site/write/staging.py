"""Reuse the previous output's folder as the next build's staging area.

A build writes a whole new tree beside `--out` and swaps it in; creating ~2,000 pretty-URL folders and
deleting the replaced tree cost more than rendering one changed page. After a swap the replaced tree is
kept as `.<out>.spare`; the next build renames it to its temporary folder and edits it until it equals the
new site. The spare is never published, and its files may be hard links shared with the live output, so
a file is only ever unlinked and written anew, never written in place. Anything unexpected (no spare, a
build killed while editing it) falls back to a fresh folder: leftovers are removed at the next start.
"""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path
from typing import Iterable, Mapping

from .. import faults
from ..stored import BuiltFile, place
from ..urls import folders_of


def spare_path(out: Path) -> Path:
    return out.parent / f".{out.name}.spare"


def take_spare(out: Path, tmp: Path) -> bool:
    """Move the spare tree to `tmp` (atomic rename); False when there is none to reuse."""
    spare = spare_path(out)
    if spare.is_symlink() or not spare.is_dir():
        return False
    try:
        os.rename(spare, tmp)
    except OSError:
        return False
    return True


def keep_spare(out: Path, replaced: Path) -> None:
    """After a swap: keep the replaced tree for the next build instead of deleting it."""
    spare = spare_path(out)
    shutil.rmtree(spare, ignore_errors=True)
    try:
        os.rename(replaced, spare)
    except OSError:
        shutil.rmtree(replaced, ignore_errors=True)


Scan = tuple[dict[str, int], set[str], list[str]]  # files (path -> inode), folders, other entries


def scan_spare(out: Path) -> tuple[int, Scan] | None:
    """The spare tree as `update` starts from, with its folder's inode (so that the tree taken later can be
    known for the one scanned); None when there is no spare."""
    spare = spare_path(out)
    try:
        st = os.lstat(spare)
        return (st.st_ino, _scan(spare)) if stat.S_ISDIR(st.st_mode) else None
    except OSError:
        return None


def _scan(root: Path) -> Scan:
    """Files (with their inode number), folders and other entries (links, devices) below `root`."""
    files: dict[str, int] = {}
    folders: set[str] = set()
    others: list[str] = []
    pending = [(str(root), "")]
    while pending:  # os.scandir and plain strings: this runs over every file of the site
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                path = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(path)
                    pending.append((entry.path, path + "/"))
                elif entry.is_file(follow_symlinks=False):
                    files[path] = entry.inode()  # from the listing: no system call
                else:
                    others.append(path)
    return files, folders, others


def clear(target: Path) -> None:
    """Make room for a new file at `target` in a staging tree: whatever is there (a file, a link, a folder)
    goes, and its parent folders are made. A staged file is never written into (it may be a hard link)."""
    try:
        os.unlink(target)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    except IsADirectoryError:
        shutil.rmtree(target)


def remove(tmp: Path, path: str) -> None:
    """Take the file `path` out of the staging tree `tmp`, and the folders it leaves empty."""
    os.unlink(tmp / path)
    parent = (tmp / path).parent
    while parent != tmp and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def update(tmp: Path, files: Mapping[str, BuiltFile], same: Mapping[str, Path | str],
           done: set[str] = frozenset(), inodes: Mapping[str, int] | None = None,
           scanned: Scan | None = None) -> set[str]:
    """Make the tree at `tmp` hold exactly `files`; gives the paths whose staged file was the live one
    already (left untouched). `same`: live-output files that already hold the new bytes; a staged file that
    is the very same inode is kept, otherwise it is linked to or written. `done`: files already staged with
    their final bytes during the build. `inodes`: the inode numbers of the `same` files, when the caller
    has just scanned the live output (saves a system call per file). `scanned`: `_scan(tmp)`, done
    already (`scan_spare`, by the build stamp's check in its child process)."""
    staged, folders, others = scanned if scanned is not None else _scan(tmp)
    device = os.stat(tmp).st_dev  # the spare's files and the live ones are compared on one device
    for path in others:
        os.unlink(tmp / path)
    for path in sorted(set(staged) - set(files)):
        os.unlink(tmp / path)
    for path in sorted(folders & set(files), key=len):  # a folder where a file must go
        shutil.rmtree(tmp / path)
    half = len(files) // 2
    root = str(tmp)
    untouched: set[str] = set()
    for i, path in enumerate(sorted(files)):
        if i == half:
            faults.reached("staging-half")
        if path in done:
            continue
        target = f"{root}/{path}"  # strings, not Paths: this runs over every file of the site
        old = staged.get(path)
        live = same.get(path)
        if old is not None and live is not None:
            try:
                if inodes is not None and path in inodes:
                    if old == inodes[path]:
                        untouched.add(path)
                        continue
                else:
                    st = os.lstat(live)
                    if (st.st_ino, st.st_dev) == (old, device):
                        untouched.add(path)
                        continue
            except OSError:
                pass
        if old is not None:
            os.unlink(target)
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
        if live is not None:
            try:
                os.link(live, target)
                continue
            except OSError:
                pass
        place(files[path], Path(target))
    _remove_empty_folders(tmp, folders, files)
    return untouched


def _remove_empty_folders(tmp: Path, folders: set[str], files: Iterable[str]) -> None:
    """Remove the folders that hold none of `files` (all of them empty by now), deepest first."""
    for path in sorted(folders - folders_of(files), key=lambda p: -p.count("/")):
        try:
            os.rmdir(tmp / path)  # only succeeds when empty
        except OSError:
            pass
