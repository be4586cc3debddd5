"""The persistent build cache: what a build computed, keyed by content hashes of everything it read.

A rebuild looks every expensive result up by a key made from the bytes it depends on (source text, templates,
interface strings, records, settings, the generator's own code and library versions), so an unchanged page is
never parsed, converted or rendered again, and a key can never match stale inputs: modification times are
not used at all. One file per content folder under `.cache/` (or `$NTC_CACHE_DIR`) holds the tables; it is
read at the start of a build and rewritten at the end only when something was added or went unused, so it
never grows beyond the current site. A missing, foreign or damaged file is simply an empty cache.
"""
from __future__ import annotations

import atexit
import os
import pickle
import shutil
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Any, Iterator, Mapping

from .. import faults
from ..load import content
from ..model.site import Page, Site
from .fingerprint import code_digest, digest, tree_digest

FORMAT = 1  # bump when the layout of the cached values changes
_MISSING = object()
# Every field of a page but the Markdown body, found by introspection so a field added later is covered;
# and but the digest of the front matter as written, whose fields are here (a comment there changes nothing).
_SOURCE_FIELDS = tuple(f.name for f in fields(content.SourcePage) if f.name not in ("body", "front"))
_PAGE_FIELDS = tuple(f.name for f in fields(Page) if f.name != "source")


class Store:
    """Memo tables for one content folder: `get` what a previous build stored, `put` what this one made.

    Each table is its own file, read on first use, so a build that needs no search entries never reads
    them. Every entry is a pure function of its key, so tables written by different builds mix safely.
    Only entries read or written during this build are kept when it is saved, so deleted pages and old
    versions drop out by themselves.
    """

    def __init__(self, folder: Path | None, prefix: str = "build"):
        self.folder = folder
        self.prefix = prefix
        self._old: dict[str, dict[str, Any]] = {}
        self._new: dict[str, dict[str, Any]] = {}
        self._added: set[str] = set()
        self._scratch: Path | None = None

    @classmethod
    def for_site(cls, root: Path, content_dir: Path, templates_dir: Path, variant: str = "") -> "Store":
        """One set of tables per project and variant (drafts, base URL), so that alternating `check --strict`
        and `build` do not each throw away what the other keeps."""
        return cls(root, "build-" + digest(str(content_dir.resolve()), str(templates_dir.resolve()), variant)[:20])

    def folder_for(self, table: str, key: str) -> Path:
        """A folder for files too big to pickle, kept as long as `key` stays in `table` (see `save`)."""
        if self.folder is None:
            if self._scratch is None:
                self._scratch = Path(tempfile.mkdtemp(prefix="ntc-site-files-"))
                atexit.register(shutil.rmtree, self._scratch, True)
            return self._scratch / table / key
        return self.folder / f"{self.prefix}-{table}" / key

    def _file(self, table: str) -> Path | None:
        return self.folder / f"{self.prefix}-{table}.pickle" if self.folder is not None else None

    def _table(self, table: str) -> dict[str, Any]:
        if table not in self._old:
            self._old[table] = {}
            file = self._file(table)
            if file is not None:
                try:
                    with open(file, "rb") as f:
                        data = pickle.load(f)
                    if isinstance(data, dict) and data.get("format") == (FORMAT, code_digest(), table):
                        self._old[table] = data["entries"]
                except Exception:  # absent, truncated or written by another version: start empty
                    pass
        return self._old[table]

    def get(self, table: str, key: str) -> Any:
        new = self._new.setdefault(table, {})
        value = new.get(key, _MISSING)
        if value is _MISSING:
            value = self._table(table).get(key, _MISSING)
            if value is _MISSING:
                return None
            new[key] = value
        return value

    def next_build(self) -> None:
        """Start another build in this process (the preview's): what this one used joins what was read, so
        nothing is read from disk twice."""
        for table, entries in self._new.items():
            self._table(table).update(entries)
        self._new, self._added = {}, set()

    def put(self, table: str, key: str, value: Any) -> None:
        self._new.setdefault(table, {})[key] = value
        self._added.add(table)

    def save(self) -> None:
        """Write each table this build changed, atomically; a table it only read stays as it is."""
        if self.folder is None:
            return
        for table, entries in self._new.items():
            file = self._file(table)
            assert file is not None
            if table not in self._added and len(entries) == len(self._table(table)):
                continue
            file.parent.mkdir(parents=True, exist_ok=True)
            tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
            try:
                with open(tmp, "wb") as f:
                    pickle.dump({"format": (FORMAT, code_digest(), table), "entries": entries}, f,
                                protocol=pickle.HIGHEST_PROTOCOL)
                    faults.reached("cache-writing")  # a kill now leaves a temporary file, never a torn table
                os.replace(tmp, file)
            except OSError:  # a read-only or full disk costs speed next time, never correctness
                tmp.unlink(missing_ok=True)
            self._drop_folders(table, set(entries))

    def _drop_folders(self, table: str, keep: set[str]) -> None:
        """Remove the file folders of keys that went out of `table`."""
        root = self.folder / f"{self.prefix}-{table}" if self.folder is not None else None
        if root is None or not root.is_dir():
            return
        for folder in root.iterdir():
            if folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)


def site_key(site: Site, templates_dir: Path, datasets_dir: Path, content_dir: Path, include_drafts: bool) -> str:
    """Everything a page can show except the Markdown bodies: code, templates and interface strings, data
    packages, settings, records, media and every page's metadata (so the titles and URLs of all pages, hence
    menus, switchers and links, are covered). A page's key adds its own body to this."""
    meta = []
    for page in site.pages:
        src = page.source
        own = tuple(getattr(page, name) for name in _PAGE_FIELDS)
        meta.append(repr((own, tuple(getattr(src, name) for name in _SOURCE_FIELDS) if src else None)))
    return digest(
        code_digest(), tree_digest(templates_dir), tree_digest(datasets_dir),
        tree_digest(content_dir, skip_suffix=".md"), repr(site.config), repr(site.records), repr(site.media),
        str(include_drafts), *meta)


def body_key(src: content.SourcePage) -> str:
    """What a Markdown conversion depends on besides link lookups (which are recorded and re-checked)."""
    return digest("body", src.lang, src.rel, str(src.body_line), src.body)


class Packed(bytes):
    """A cached value kept pickled until someone needs it (most rebuilds never look at most bodies)."""


def pack(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def unpack(packed: bytes) -> Any:
    return pickle.loads(packed)


class Unpacking(Mapping[str, Any]):
    """A read-only mapping that unpickles `Packed` values on first access."""

    def __init__(self, items: dict[str, Any]):
        self._items = items

    def __getitem__(self, key: str) -> Any:
        value = self._items[key]
        if isinstance(value, Packed):
            value = self._items[key] = unpack(value)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)
