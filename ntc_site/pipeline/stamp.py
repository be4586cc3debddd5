"""The build stamp: a rebuild where nothing changed writes nothing and costs little more than start-up.

After a `build` has put a site in `--out`, `record` keeps, in the build cache folder (one file per output
folder and settings variant), a digest of every input that build read (`fingerprint.py`: the content,
templates and datasets folders by name and bytes, the generator's code and library versions, the
settings, the working directory, the git state of the datasets) and a manifest of `--out` as written:
every file and folder, the build marker included, with its type, size, mtime_ns, inode and ctime_ns.

The next `build` computes the same digest and scans `--out` (`output_check`, in a forked child meanwhile):
when both equal the stamp, the output is already what the build would make, and the command line stops
there. When the inputs differ only in the bytes of page files, the stamp's `extra` (the page digests and
the tokens of the state the build kept) lets pipeline/delta.py re-render those pages alone. Any doubt (no
stamp, a damaged one, a link or unreadable file among the inputs) means the normal build. The stamp also
keeps each input file's status with its digest, so the next build reads only the files whose status
changed (`fingerprint.strict_tree_digest`, by the same ctime argument as below).

Why the output check is sound without reading the files: ctime cannot be set by user tools; the kernel
sets it to the current time on every change to a file or folder (writing, truncating, touching, chmod,
renaming, linking). So an edit in place, a touch, a file or folder replaced, added or removed in the
output (a folder's own times change too, and the scan sees every path) all break the match. One race
remains: a change made within the same clock tick as the stat that the stamp recorded would carry the
same ctime. `record` therefore reads the file system's clock (by touching the output lock file) and
waits for it to leave the tick of the build's last change *before* it scans, so that every entry the
build wrote is older than the clock; an entry changed during the scan is read again once the clock has
moved past it, as git does for its index ("racy git"). Not guarded against: a clock set back by hand, and
another program editing a file of the output in place, keeping its size, in the instant between the swap
and the scan (files added, removed or resized then are seen: the scan must match the built files). A
one-page rebuild records a manifest made from the check's scan and a stat of what it touched (`restat`):
out of date where another program changed something meanwhile, which only means a rebuild next time.
"""
from __future__ import annotations

import marshal
import os
import stat
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, NamedTuple

from ..forked import Forked
from ..urls import folders_of
from ..write import output, staging
from .fingerprint import Known, code_digest, digest, git_state, strict_tree_digest

FORMAT = 2
Entry = tuple[int, int, int, int, int]  # st_mode, size, mtime_ns, inode, ctime_ns
_SETTLE_S = 0.5  # longest wait for the clock to leave the tick of the last writes


class Inputs(NamedTuple):
    digest: str  # everything a build reads
    rest: str  # the same but the bytes of the page files (pipeline/delta.py re-renders those alone)
    pages: dict[str, str]  # page file, relative to the content folder ('it/x.md') -> digest of its bytes
    seen: Known  # for the next build: the files read, to read again only those whose status changed


def read_inputs(content_dir: Path, templates_dir: Path, datasets_dir: Path, variant: str,
                page_folders: tuple[str, ...] = (), known: Known | None = None) -> Inputs | None:
    """Everything a build reads (see the module docstring); None when the inputs cannot be trusted.
    `page_folders`: the folders of the content holding pages (one per language), hashed file by file.
    `known`: the `seen` of a previous build (see `fingerprint.strict_tree_digest`)."""
    parts = [str(FORMAT), code_digest(), os.getcwd(), variant]
    pages: dict[str, str] = {}
    seen: Known = {}
    for folder in (content_dir, templates_dir, datasets_dir):
        tree = strict_tree_digest(folder, pages if folder is content_dir else None, page_folders, known, seen)
        if tree is None:
            return None
        parts += [str(folder), str(folder.absolute()), os.path.realpath(folder), tree]
    parts.append(git_state(datasets_dir))
    rest = digest(*parts)
    return Inputs(digest(rest, *(part for item in sorted(pages.items()) for part in item)), rest, pages, seen)


def stamp_file(cache_dir: Path, out: Path, variant: str) -> Path:
    return cache_dir / f"stamp-{digest(os.path.realpath(out), variant)[:20]}.marshal"


def scan(out: Path) -> dict[str, Entry]:
    """Every folder and file at or below `out` ('' is `out` itself), not following links."""
    found = {"": _stat(out, "")}
    pending = [(str(out), "")]
    while pending:  # os.scandir, plain strings, no calls of our own: this runs over every file
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for item in entries:
                path = prefix + item.name
                st = item.stat(follow_symlinks=False)
                found[path] = (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
                if item.is_dir(follow_symlinks=False):
                    pending.append((item.path, path + "/"))
    return found


def read(file: Path) -> dict[str, Any] | None:
    """The stamp a build left, or None."""
    try:
        with open(file, "rb") as f:
            stamp = marshal.loads(f.read())  # marshal.load would read the file in tiny pieces
    except Exception:  # absent, truncated or written by another version: no stamp
        return None
    return stamp if isinstance(stamp, dict) and stamp.get("format") == FORMAT else None


def output_as_left(stamp: dict[str, Any], out: Path) -> bool:
    """Whether `out` is exactly as the build that left `stamp` wrote it (see the module docstring)."""
    try:
        return scan(out) == stamp["manifest"]
    except OSError:  # no output any more, or an unreadable folder in it
        return False


def output_check(stamp: dict[str, Any], out: Path) -> Forked[tuple[bool, Any]]:
    """`output_as_left`, worked out on another core while this process hashes the inputs and, for a
    one-page rebuild, renders; then, when it is, the scan of the spare tree a one-page rebuild stages in
    (`staging.scan_spare`). `.result()` waits for both: (as left, the spare's scan or None)."""
    def check() -> tuple[bool, Any]:
        left = output_as_left(stamp, out)
        return left, staging.scan_spare(out) if left else None
    return Forked(check, (False, None))


def restat(out: Path, known: Mapping[str, Entry], others: Iterable[str]) -> dict[str, Entry]:
    """A manifest of `out` without walking it, for a build that knows what it left: the `known` entries are
    as a scan of this same build found them (files it kept without touching them), the `others` ('' is
    `out`) are read now. An entry changed since that scan has a later ctime than the one kept here, so the
    next comparison sees it: such a manifest can be out of date, never ahead of the files."""
    manifest = dict(known)
    for path in others:
        manifest[path] = _stat(out, path)
    return manifest


def record(file: Path, out: Path, inputs: str | None, sizes: Mapping[str, int], notes: list[str],
           extra: Mapping[str, Any] | None = None, entries: Callable[[], dict[str, Entry]] | None = None) -> None:
    """Stamp the output a build has just written (`sizes`: its files), while the build still holds the
    output lock. Nothing is recorded when the output is not exactly those files (another program is
    changing it) or the clock does not move on; the old stamp is removed first, so a failure leaves none.
    `extra`: more to keep (marshal-able), for the next build (pipeline/delta.py). `entries`: makes the
    manifest instead of a scan (`restat`)."""
    try:
        file.unlink(missing_ok=True)
        if inputs is None:
            return
        clock = output.lock_file(out)
        before = _past(clock, _now(clock))  # every change of this build is in an earlier tick: none racy
        manifest = entries() if entries is not None else scan(out)
        if not _is_site(manifest, sizes) or not _settled(out, manifest, before, clock):
            return
        # marshal: built in, so reading it back costs no import
        data = marshal.dumps({"format": FORMAT, "inputs": inputs, "files": len(sizes), "notes": list(notes),
                              "manifest": manifest, "extra": dict(extra or {})})
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, file)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError:  # a read-only or full cache disk costs speed next time, never correctness
        return


def _now(clock: Path) -> int:
    """The file system's current time, as it would stamp a change: `clock` is touched and read back."""
    os.utime(clock)
    return os.stat(clock).st_ctime_ns


def _is_site(manifest: Mapping[str, Entry], sizes: Mapping[str, int]) -> bool:
    """Whether the scanned output holds exactly the built files (sizes compared), the marker and the
    folders they need: nothing added, removed or linked since the build wrote it."""
    folders = {"", *folders_of(sizes)}
    expected = {**sizes, output.MARKER: len(output.MARKER_TEXT)}
    for path, (mode, size, *_) in manifest.items():
        if stat.S_ISDIR(mode):
            if path not in folders:
                return False
        elif not stat.S_ISREG(mode) or expected.get(path) != size:
            return False
    return len(manifest) == len(folders) + len(expected)


def _past(clock: Path, tick: int) -> int:
    """The file system's time once it has left `tick` (waiting a tick at most; `tick` if it does not move)."""
    deadline = time.monotonic() + _SETTLE_S
    while (now := _now(clock)) <= tick and time.monotonic() <= deadline:
        time.sleep(0.0005)
    return max(now, tick)


def _settled(out: Path, manifest: dict[str, Entry], before: int, clock: Path) -> bool:
    """Make sure no entry shares its ctime with a change still to come: an entry changed in the tick of
    `before` (or later) is read again once the clock has moved past it, and must not have changed."""
    racy = {path: entry for path, entry in manifest.items() if entry[4] >= before}
    if not racy:
        return True
    latest = max(entry[4] for entry in racy.values())
    if _past(clock, latest) <= latest:  # the clock does not move on
        return False
    return all(_stat(out, path) == entry for path, entry in racy.items())


def _stat(out: Path, path: str) -> Entry:
    """The manifest entry of `path` below `out` ('' is `out` itself), read now."""
    st = os.lstat(os.path.join(out, path) if path else out)
    return st.st_mode, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns
