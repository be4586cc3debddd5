"""A built file kept on disk instead of in memory.

Most of what a build makes is small HTML held as bytes; the data downloads can be hundreds of megabytes
(a million-row table as CSV, JSON, XLSX and zip). Those are written once, streamed, into a folder the build
cache owns, and travel through the pipeline as a `StoredFile`: where the bytes are, how many, and their
sha256. The writer links or copies them into the new site; nothing reads them whole.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Union

CHUNK = 1 << 16  # 64 KiB: copying, comparing and hashing never hold a whole file


@dataclass(frozen=True)
class StoredFile:
    path: Path
    size: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> "StoredFile":
        size, digest = file_stats(path)
        return cls(path, size, digest)

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


BuiltFile = Union[bytes, StoredFile]  # what a build gives for one output path


def file_stats(file: Path) -> tuple[int, str]:
    """Byte size and sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with file.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def size_of(data: BuiltFile) -> int:
    return data.size if isinstance(data, StoredFile) else len(data)


def same_bytes(file: Path, data: BuiltFile) -> bool:
    """Whether `file` holds exactly `data`, compared in chunks (a hard link to it is the same at once)."""
    try:
        if file.stat().st_size != size_of(data):
            return False
        if isinstance(data, bytes):
            return file.read_bytes() == data
        if file.samefile(data.path):
            return True
        with file.open("rb") as a, data.path.open("rb") as b:
            while True:
                x, y = a.read(CHUNK), b.read(CHUNK)
                if x != y:
                    return False
                if not x:
                    return True
    except OSError:
        return False


def place(data: BuiltFile, target: Path) -> None:
    """Create `target` holding `data`: bytes are written; a stored file is hard-linked (the build cache and
    the site share one copy on the same disk) or else copied in chunks."""
    if isinstance(data, bytes):
        target.write_bytes(data)
        return
    try:
        os.link(data.path, target)
    except OSError:
        shutil.copyfile(data.path, target)


def content(data: BuiltFile) -> bytes:
    """The bytes of a built file (read from disk for a stored one: small files only)."""
    return data if isinstance(data, bytes) else data.read_bytes()
