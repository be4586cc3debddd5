"""What the live preview keeps between its rebuilds, so that an edit costs what it touches.

`serve` rebuilds on every save. A build started from nothing reads the build cache's tables from disk,
reads and hashes every page file, and writes the tables back: on a 2 x 1000-page site that is most of a
one-page rebuild. The preview process owns one `Warm` and passes it in `Settings.warm`; with it:

- the cache `Store` stays in memory from one build to the next (`Store.next_build`), and is written to
  disk by the preview after the browser was told to reload (`save`), not inside the build;
- the search index and search page of a language are remade after the edited page is shown
  (`defer_search`);
- a page file whose size, modification time, inode and change time are those of the previous build, and
  that watchfiles did not report as changed (`changed`), keeps its previous parse without being read;
  so do the records and the interface strings (`records`, `strings`), as long as every file of their
  folders keeps its stamp and no other file than a page was reported.
  Only the preview may trust file times: it is told about every change. `build` and `check` never do.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Any, Callable, Iterable

from ..load import records as records_mod
from ..load.strings import load_strings
from ..problems import Problem
from .cache import Store, body_key

Stamp = tuple[int, int, int, int]


def stamp(path: str) -> Stamp | None:
    """What identifies one version of a regular file without reading it; None for anything else."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns) if S_ISREG(info.st_mode) else None


@dataclass(eq=False)
class Warm:
    store: Store | None = None
    parses: dict[str, tuple[Stamp, Any]] = field(default_factory=dict)  # file -> (stamp, parse result)
    lock: threading.Lock = field(default_factory=threading.Lock)  # one build or save at a time
    # The last search index made per language. While `defer_search` is on, a language whose pages changed
    # keeps it (the build says so in `Result.search_deferred`): the edited page is shown first, and the
    # preview's follow-up build, once no change waits, remakes it with `defer_search` off.
    search: dict[str, dict[str, bytes]] = field(default_factory=dict)
    defer_search: bool = False
    kept: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # name -> (what identified the files, value)
    # cache.body_key by page source object, as the last build asked for them: a page whose parse is kept
    # (`parse`) keeps its object, so its key is not hashed again.
    body_keys: dict[int, tuple[Any, str]] = field(default_factory=dict)
    asked: dict[int, tuple[Any, str]] = field(default_factory=dict)

    def store_for(self, make: Store) -> Store:
        """The kept store when it is the one `make` stands for (same folder and tables), else `make`.
        Called once at the start of each build."""
        if self.asked:  # only what the last build asked for is kept
            self.body_keys, self.asked = self.asked, {}
        kept = self.store
        if kept is not None and (kept.folder, kept.prefix) == (make.folder, make.prefix):
            kept.next_build()
            return kept
        self.store = make
        return make

    stamp = staticmethod(stamp)

    def parse(self, path: str, now: Stamp | None) -> Any | None:
        """The previous parse of `path` if the file is as it was then (`now`: its stamp), else None."""
        known = self.parses.get(path)
        if known is not None and now is not None and known[0] == now:
            return known[1]
        return None

    def keep(self, path: str, before: Stamp | None, result: Any) -> None:
        """Remember a parse under the stamp the file had before it was read."""
        if before is not None:
            self.parses[path] = (before, result)

    def records(self, content_dir: Path) -> tuple[Any, list[Problem]]:
        """`load.records.load(content_dir)`, again only when a file of the record folders changed."""
        recs, problems = self._unless_changed("records", [content_dir / kind for kind in records_mod.SPECS],
                                              lambda: records_mod.load(content_dir))
        return recs, list(problems)

    def strings(self, templates_dir: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
        """`load.strings.load_strings(templates_dir)`, again only when an interface strings file changed."""
        tables, problems = self._unless_changed("strings", [templates_dir / "i18n"],
                                                lambda: load_strings(templates_dir))
        return {lang: dict(table) for lang, table in tables.items()}, list(problems)

    def _unless_changed(self, name: str, folders: list[Path], make: Callable[[], Any]) -> Any:
        """`make()`, remembered while every entry of `folders` keeps its stamp (taken before `make` reads:
        a save during the read shows next time) and no file but a page was reported (`changed`)."""
        key = (os.getcwd(), [(str(folder.absolute()), _listing(folder)) for folder in folders])
        kept = self.kept.get(name)
        if kept is None or kept[0] != key:
            kept = self.kept[name] = (key, make())
        return kept[1]

    def body_key(self, source: Any) -> str:
        """`cache.body_key(source)`, computed once per source object."""
        known = self.body_keys.get(id(source))
        if known is None or known[0] is not source:  # the object is held, so its id is not reused meanwhile
            known = (source, body_key(source))
        self.asked[id(source)] = known
        return known[1]

    def changed(self, paths: Iterable[str]) -> None:
        """Files watchfiles reported: never taken from memory again, whatever their times say."""
        for path in paths:
            self.parses.pop(os.path.abspath(path), None)
            if not path.endswith(".md"):
                self.kept.clear()

    def save(self) -> None:
        """Write the cache tables of the last successful build (the next `build` or `check` starts warm)."""
        with self.lock:
            if self.store is not None:
                self.store.save()


def _listing(folder: Path) -> tuple[tuple[str, Stamp | None], ...] | None:
    """Every entry of `folder` with its stamp; None when it is not a folder."""
    try:
        with os.scandir(folder) as entries:
            return tuple(sorted((entry.name, stamp(entry.path)) for entry in entries))
    except OSError:
        return None
