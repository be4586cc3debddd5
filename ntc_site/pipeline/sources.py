"""The Markdown pages of `content/`, read through the build cache.

`content.load` decides what a page is and what is refused; this module only hands it a parser that looks
each file's parse up by the file's bytes, path and the working directory, so an unchanged page is never
parsed twice across builds.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from ..load import content, yamlfile
from ..problems import Problem
from ..processing import processing
from .cache import Store, digest
from .warm import Warm


def load_pages(content_dir: Path, store: Store, warm: Warm | None = None
               ) -> tuple[list[content.SourcePage], list[Problem]]:
    """`content.load`, with each file's parse looked up by its bytes, its path and the working directory.

    Only regular files of an acceptable size are read here; anything else goes through `yamlfile.read_text`
    uncached, so it is refused exactly as `content.load` refuses it (tests compare the two). In the preview
    (`warm`), a file unchanged since the previous build is not even read (see pipeline/warm.py).
    """
    cwd = os.getcwd()
    display_path = yamlfile.display_namer()

    def parse(file: Path, lang: str, rel: str) -> tuple[content.SourcePage | None, list[Problem]]:
        if warm is None:
            return parse_read(file, lang, rel)
        where = os.path.join(cwd, file)
        before = warm.stamp(where)  # taken before reading: a save during the read shows as a new stamp next time
        found = warm.parse(where, before)
        if found is None:
            found = parse_read(file, lang, rel)
            warm.keep(where, before, found)
        return found

    def parse_read(file: Path, lang: str, rel: str) -> tuple[content.SourcePage | None, list[Problem]]:
        display = display_path(file)
        with processing(display):
            raw = _plain_file_bytes(file)
            if raw is None:
                return content.parse_file(file, lang, rel)
            key = digest("page", cwd, str(file), lang, rel, raw)
            entry = store.get("parse", key)
            if entry is None:
                entry = content.parse_text(*yamlfile.decode(raw, display), lang, rel, display)
                store.put("parse", key, entry)
            return entry

    return content.load(content_dir, parse)


def _plain_file_bytes(file: Path) -> bytes | None:
    """The bytes of a regular file within the size limit; None for anything `read_text` must judge."""
    try:
        info = file.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > yamlfile.MAX_BYTES:
            return None
        with open(file, "rb") as f:
            raw = f.read(yamlfile.MAX_BYTES + 1)
    except OSError:
        return None
    return raw if len(raw) <= yamlfile.MAX_BYTES else None
