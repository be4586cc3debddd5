"""What a build reads, hashed with the standard library only: the generator, its inputs, the git state.

Two users. The build cache (`cache.py`) keys its entries by `digest`s of the bytes they depend on, among
them `code_digest` (the generator's source, the versions of the libraries it renders with, Python's
version). The build stamp (`stamp.py`) needs the same digests *before* the pipeline is imported, so that a
rebuild where nothing changed costs little more than starting the interpreter: hence this module imports
nothing heavy (no importlib.metadata either, whose import alone costs more than reading every version:
the versions are read from the `*.dist-info` folder names on `sys.path`).

Inputs are hashed by name and bytes. A file's bytes are read again unless its status, change time included,
is exactly as when they were last read (`strict_tree_digest`): modification times alone are never trusted.
"""
from __future__ import annotations

import hashlib
import os
import stat
import sys
import time
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the whole ntc_site package
PROJECT_ROOT = PACKAGE_DIR.parent  # the project: default templates/, the build cache's default home
# Every distribution whose version can change what a build makes: those the build imports (the test
# tests/unit/test_cache.py compares this with the imports of ntc_site/, preview/ aside, which only serves), and
# markupsafe, which does Jinja's escaping, and pystemmer, which snowballstemmer stems with. A library missing here
# would let a cache outlive its upgrade.
LIBRARIES = ("babel", "frictionless", "jinja2", "markdown", "markupsafe", "nh3", "pystemmer", "pyyaml", "rdflib",
             "snowballstemmer")
_SKIPPED = ".git"  # a repository's own database, below an input folder: its state is `git_state`
_CHUNK = 1 << 18


def digest(*parts: str | bytes) -> str:
    """A 128-bit BLAKE2 of the parts; each is length-prefixed so ('ab', 'c') and ('a', 'bc') differ."""
    chunks = []
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        chunks += (len(data).to_bytes(8, "little"), data)
    return hashlib.blake2b(b"".join(chunks), digest_size=16).hexdigest()  # one call: this runs per page


def tree_digest(root: Path, skip_suffix: str | None = None) -> str:
    """Hash of every file below `root` (names and bytes); `skip_suffix` leaves out files hashed elsewhere."""
    h = hashlib.blake2b(digest_size=16)
    if root.is_dir():
        for folder, dirs, names in os.walk(root):
            dirs.sort()
            base = os.path.relpath(folder, root)
            for name in sorted(names):
                if skip_suffix and name.endswith(skip_suffix):
                    continue
                rel = (name if base == "." else f"{base}/{name}").encode("utf-8", "surrogateescape")
                try:
                    with open(os.path.join(folder, name), "rb") as f:
                        data = f.read()
                except OSError:  # unreadable: the loaders report it; the key must still change
                    data = b"\0unreadable"
                h.update(len(rel).to_bytes(8, "little") + rel + len(data).to_bytes(8, "little"))
                h.update(data)
    return h.hexdigest()


Known = dict[str, tuple]  # absolute path -> (st_dev, st_ino, size, mtime_ns, ctime_ns, digest of the file)
SETTLED_NS = 3 * 10**9  # a file changed this recently is always read (coarser than any file system's clock)


def strict_tree_digest(root: Path, apart: dict[str, str] | None = None, folders: tuple[str, ...] = (),
                       known: Known | None = None, seen: Known | None = None) -> str | None:
    """Hash of every folder and file below `root` (names and bytes; `.git` left out), or None when
    something there cannot be hashed with certainty: a symbolic link (what the loaders make of it depends
    on where it leads), a device or pipe, or an unreadable entry. A missing `root` has a digest of its own.

    With `apart`, the Markdown files below `folders` (the pages) are hashed on their own: the tree's hash
    takes only their names, and `apart` maps each (relative, posix) to the digest of its bytes.

    `known`: what a previous run put in `seen`. As git's index does, a file whose status (device, inode,
    size, modification and change times) is exactly as then is not read again: its bytes cannot have
    changed, since the kernel sets the change time (ctime) on every write and no user tool can set it. A
    file changed in the last SETTLED_NS is never put in `seen`, so a write in the same clock tick as the
    read that stamped it cannot go unseen."""
    h = hashlib.blake2b(digest_size=16)
    pages = tuple(os.fsencode(f"{folder}/") for folder in folders) if apart is not None else ()
    if not os.path.lexists(root):
        return "absent"
    if os.path.islink(root) or not root.is_dir():
        return None
    settled = time.time_ns() - SETTLED_NS
    pending = [(os.path.abspath(root), b"")]
    try:
        while pending:
            folder, prefix = pending.pop()
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
            for entry in entries:  # the entry types come with the listing: no system call per file
                if entry.name == _SKIPPED:
                    continue
                rel = prefix + os.fsencode(entry.name)
                if entry.is_symlink():
                    return None
                if entry.is_dir(follow_symlinks=False):
                    h.update(b"d" + len(rel).to_bytes(8, "little") + rel)
                    pending.append((entry.path, rel + b"/"))
                    continue
                own = _file(entry, rel, known, seen, settled) if entry.is_file(follow_symlinks=False) else None
                if own is None:
                    return None
                if apart is not None and rel.endswith(b".md") and rel.startswith(pages):
                    h.update(b"p" + len(rel).to_bytes(8, "little") + rel)
                    apart[os.fsdecode(rel)] = own
                else:
                    h.update(b"f" + len(rel).to_bytes(8, "little") + rel + own.encode())
    except OSError:
        return None
    return h.hexdigest()


def _file(entry: os.DirEntry, rel: bytes, known: Known | None, seen: Known | None, settled: int) -> str | None:
    """The digest of a regular file's name, size and bytes (`file_digest`), from `known` when its status
    is unchanged; None when it is not a regular file or changes while read."""
    st = entry.stat(follow_symlinks=False)
    status = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    old = known.get(entry.path) if known else None
    if old is not None and tuple(old[:5]) == status:
        found = old[5]
    else:
        h = hashlib.blake2b(digest_size=16)
        info = _hash_file(h, entry.path, rel)
        if info is None:
            return None
        found = h.hexdigest()
        status = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    if seen is not None and status[4] < settled:
        seen[entry.path] = (*status, found)
    return found


def _file_header(rel: bytes, size: int) -> bytes:
    return b"f" + len(rel).to_bytes(8, "little") + rel + size.to_bytes(8, "little")


def file_digest(rel: bytes, data: bytes) -> str:
    """The digest `strict_tree_digest` takes of the file `rel` holding `data`."""
    h = hashlib.blake2b(_file_header(rel, len(data)), digest_size=16)
    h.update(data)
    return h.hexdigest()


def _hash_file(h: hashlib.blake2b, path: str, rel: bytes) -> os.stat_result | None:
    """Add the file's name, size and bytes; its status as read, or None when it is not a regular file or
    changes while read."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)  # a file swapped for a pipe cannot hang
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        h.update(_file_header(rel, info.st_size))
        read = 0
        while chunk := os.read(fd, _CHUNK):
            h.update(chunk)
            read += len(chunk)
        return info if read == info.st_size else None
    finally:
        os.close(fd)


def _normal(name: str) -> str:
    """A distribution name as its `.dist-info` folder spells it, lowercased (PyYAML -> pyyaml)."""
    return name.lower().replace("-", "_").replace(".", "_")


def library_versions() -> list[str]:
    """`name=version` of each of LIBRARIES, every copy on `sys.path` in path order ('name=none' if absent)."""
    wanted = {_normal(name): name for name in LIBRARIES}
    found: dict[str, list[str]] = {name: [] for name in LIBRARIES}
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:  # a zip file or a folder that went away: no distributions there
            continue
        for name in names:
            stem, _, suffix = name.rpartition(".")
            if suffix in ("dist-info", "egg-info"):
                project, _, version = stem.partition("-")
                library = wanted.get(_normal(project))
                if library is not None:
                    found[library].append(version.partition("-")[0] or "?")
    versions = []
    for library, copies in found.items():
        if not copies or "?" in copies:  # an install without its version in the folder name: ask for it
            from importlib import metadata
            try:
                copies = [*copies, metadata.version(library)]
            except metadata.PackageNotFoundError:
                copies = [*copies, "none"]
        versions.append(f"{library}={','.join(copies)}")
    return versions


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The generator itself: its source files, the libraries it renders with and the Python version."""
    return digest(sys.version, ";".join(library_versions()), tree_digest(PACKAGE_DIR, skip_suffix=".pyc"))


def cache_dir(configured: Path | None, project_root: Path) -> Path:
    """Where the build cache (and the build stamps) live: the setting, else $NTC_CACHE_DIR, else .cache/."""
    if configured is not None:
        return configured
    env = os.environ.get("NTC_CACHE_DIR")
    return Path(env) if env else project_root / ".cache"


def git_state(folder: Path) -> str:
    """The repository around `folder` as the build's history of data releases sees it (data/versions.py):
    its top folder, whether the clone is shallow, and the commit checked out. Commits never change, so
    these name the whole history."""
    if not folder.is_dir():
        return "no folder"
    import subprocess  # only here: a site without datasets never needs it
    try:
        done = subprocess.run(["git", "rev-parse", "--show-toplevel", "--is-shallow-repository", "HEAD"],
                              cwd=folder, capture_output=True, check=False)
    except OSError as err:  # no git at all: the build finds none either
        return f"no git: {err.errno}"
    return f"{done.returncode}\n" + done.stdout.decode("utf-8", "replace")
