"""Publishing a few changed files of a site as safely as a whole build (for pipeline/delta.py).

The new site is staged beside `--out` like any build's (in the spare tree, every unchanged file a hard link
to the live one, so nothing is read or copied) and swapped in at once: a reader, or a build killed half-way,
sees the old site or the new one, never a mix.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterator, Mapping

from ..stored import BuiltFile, StoredFile
from . import staging
from .output import Writer


def publish(out: Path, changed: Mapping[str, bytes], kept: Mapping[str, int], inodes: Mapping[str, int],
            root: int, then: Callable[[set[str]], None] | None = None,
            spare: tuple[int, staging.Scan] | None = None) -> bool:
    """Make `out` hold `changed` and, as they are, its current files `kept` (path -> size), nothing else;
    `inodes`: the kept files' inode numbers, as scanned when `out` was the folder with inode `root`. False,
    with nothing done, when another build has replaced `out` since. `then` runs once `out` holds the files,
    under the output lock (as in `output.write_site`), with the kept files that were not even linked anew.
    `spare`: the spare tree as scanned meanwhile (`staging.scan_spare`)."""
    writer = Writer(out)
    try:
        if os.lstat(writer.out).st_ino != root:  # checked under the lock: no other build can swap now
            writer.keep_output()  # the spare goes back as it was
            return False
        live = str(writer.out)
        untouched = writer.write_all(_Site(live, changed, kept), {path: f"{live}/{path}" for path in kept},
                                     inodes, spare)
        writer.commit((lambda: then(untouched)) if then is not None else None)
    except BaseException:
        writer.abort()
        raise
    return True


class _Site(Mapping[str, BuiltFile]):
    """The new site's files: the changed ones' bytes, the kept ones where the live site has them (made on
    demand: the writer links those, and only needs one when a link fails)."""

    def __init__(self, live: str, changed: Mapping[str, bytes], kept: Mapping[str, int]):
        self.live, self.changed, self.kept = live, changed, kept

    def __getitem__(self, path: str) -> BuiltFile:
        if path in self.changed:
            return self.changed[path]
        return StoredFile(Path(self.live, path), self.kept[path], "")

    def __iter__(self) -> Iterator[str]:
        yield from self.changed
        yield from (path for path in self.kept if path not in self.changed)

    def __len__(self) -> int:
        return len(self.changed) + sum(1 for path in self.kept if path not in self.changed)
