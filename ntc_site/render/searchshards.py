"""The terms files of one language's search index, kept so that one page's new words cost milliseconds.

render/searchindex.py lays the index out; this module makes its `terms-N.json` files, and keeps what it
made them from so that a rebuild where one page's body changed (its title, address, kind and description
unchanged) rewrites only the files that change, byte for byte what a full build would write:

- each prefix's shard (its stems with their postings, its word forms) is kept as two pieces of JSON, the
  inside of `{"stems": …}` and of `{"forms": …}`. A terms file is its prefixes' pieces joined: every key
  of a shard begins with the shard's prefix and prefixes sort as their keys do, so the joined pieces are
  already in the order `sort_keys` gives. A shard that carries a stem beginning with another prefix (a
  form pointing to it) is "mixed": the files holding one are merged and dumped instead;
- a change re-dumps only the shards whose postings or forms changed (a stem lives in the shard of its
  prefix and in the shard of every form pointing to it), re-packs the files by the kept sizes and joins
  again only the files whose prefixes changed.

The files' bytes are kept too, so that only files whose bytes differ are returned. Pickled, the state is
bytes (the pieces, the files, each page's terms as marshal data) and a few small tables, quick to load; a
shard is parsed again only when a change touches it. Forms of the same word pointing to
different stems (never made by one stemmer) make the state rebuild everything on each change: correct,
just not fast.
"""
from __future__ import annotations

import bisect
import json
import marshal
from typing import Any, Iterable

SHARD_BYTES = 16 * 1024  # neighbouring prefixes share a terms file up to this size (fewer, fuller files)
_FRAME = len(b'{"forms":{},"stems":{}}')  # a shard's size is this plus its two pieces

Terms = dict[str, int]  # stem -> weight on one page
Forms = dict[str, str]  # word form -> stem
Piece = tuple[bytes, bytes]  # the inside of a shard's stems object, of its forms object


def prefix(word: str) -> str:
    """The shard key of a (folded) word; the script computes the same over code points."""
    return word[:2]


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def file_name(number: int) -> str:
    return f"terms-{number}.json"


def pack(sizes: dict[str, int]) -> list[list[str]]:
    """Prefixes in order, packed into files of about SHARD_BYTES (a big prefix alone in its own)."""
    groups: list[list[str]] = []
    group: list[str] = []
    size = 0
    for key in sorted(sizes):
        if size and size + sizes[key] > SHARD_BYTES:
            groups.append(group)
            group, size = [], 0
        group.append(key)
        size += sizes[key]
    if group:
        groups.append(group)
    return groups


class TermsFiles:
    """The terms files of the pages given in index order, as (terms, forms) pairs.

    The pairs are kept, not copied, until the state is pickled: the caller must not change them."""

    def __init__(self, pages: Iterable[tuple[Terms, Forms]]):
        postings: dict[str, list[int]] = {}
        self._root: dict[str, str] = {}  # form -> stem, for forms that differ from their stem
        self._count: dict[str, int] = {}  # form -> pages that have it
        self._consistent = True
        self._pages: list[tuple[Terms, Forms] | bytes] = []
        for number, (terms, all_forms) in enumerate(pages):
            for root, weight in terms.items():
                flat = postings.get(root)
                if flat is None:
                    postings[root] = [number, weight]
                else:
                    flat += (number, weight)
            forms = {form: root for form, root in all_forms.items() if form != root}
            for form, root in forms.items():
                if self._root.setdefault(form, root) != root:
                    self._consistent = False
                    self._root[form] = root  # the last page's, as a plain dict update keeps
                self._count[form] = self._count.get(form, 0) + 1
            self._pages.append((terms, forms))
        self._own: dict[str, dict[str, list[int]]] = {}  # prefix -> its own stems' postings (parsed)
        self._forms: dict[str, Forms] = {}  # prefix -> its forms (parsed)
        for root, flat in postings.items():
            self._own.setdefault(prefix(root), {})[root] = flat
        for form, root in self._root.items():
            self._forms.setdefault(prefix(form), {})[form] = root
        self._pieces: dict[str, Piece] = {}
        self._sizes: dict[str, int] = {}
        self._mixed: set[str] = set()
        for key in self._own.keys() | self._forms.keys():
            self._own.setdefault(key, {})
            self._forms.setdefault(key, {})
            self._dump(key)
        self._groups = pack(self._sizes)
        self._files = [self._file(group) for group in self._groups]

    def numbers(self) -> dict[str, int]:
        """Prefix -> the number of its terms file."""
        return {key: number for number, group in enumerate(self._groups) for key in group}

    def files(self) -> dict[str, bytes]:
        return {file_name(number): data for number, data in enumerate(self._files)}

    def replace(self, number: int, terms: Terms, forms: Forms) -> tuple[dict[str, bytes], set[str], bool]:
        """Page `number` has these terms and forms now: the terms files whose bytes change, the names of
        those that are gone, and whether any prefix moved to another file (the manifest's map)."""
        forms = {form: root for form, root in forms.items() if form != root}
        if not set(forms.values()) <= terms.keys():
            raise ValueError("a word form points to a stem the page does not have")
        terms = dict(terms)
        old_terms, old_forms = self._page(number)
        if terms == old_terms and forms == old_forms:
            return {}, set(), False
        if not self._consistent or any(self._root.get(form, root) != root
                                       and self._count[form] > (old_forms.get(form) == self._root[form])
                                       for form, root in forms.items()):
            return self._rebuild(number, terms, forms)
        self._pages[number] = (terms, forms)
        touched = self._replace_forms(old_forms, forms)
        stems = set()
        for root in old_terms.keys() | terms.keys():
            if old_terms.get(root) != terms.get(root):
                self._post(root, number, terms.get(root))
                stems.add(root)
        touched.update(prefix(root) for root in stems)
        if stems:
            touched.update(prefix(form) for form, root in self._root.items() if root in stems)
        changed = {key for key in touched if self._dump(key)}
        if not changed:
            return {}, set(), False
        old_groups, self._groups = self._groups, pack(self._sizes)
        old_files, self._files = self._files, []
        out = {}
        for n, group in enumerate(self._groups):
            same = n < len(old_groups) and group == old_groups[n] and changed.isdisjoint(group)
            self._files.append(old_files[n] if same else self._file(group))
            if n >= len(old_files) or self._files[n] != old_files[n]:
                out[file_name(n)] = self._files[n]
        gone = {file_name(n) for n in range(len(self._files), len(old_files))}
        return out, gone, self._groups != old_groups

    def _replace_forms(self, old: Forms, new: Forms) -> set[str]:
        """Counts the pages of each form; a form that appears or disappears touches its prefix."""
        touched = set()
        for form, root in old.items():
            if new.get(form) != root:
                if self._count[form] > 1:
                    self._count[form] -= 1
                else:
                    del self._count[form], self._root[form], self._forms_of(prefix(form))[form]
                    touched.add(prefix(form))
        for form, root in new.items():
            if old.get(form) != root:
                if form in self._count:
                    self._count[form] += 1
                else:
                    self._count[form], self._root[form] = 1, root
                    self._forms_of(prefix(form))[form] = root
                    touched.add(prefix(form))
        return touched

    def _post(self, root: str, number: int, weight: int | None) -> None:
        """Sets (or, with None, removes) page `number`'s posting of `root`, keeping pages in order."""
        own = self._own_of(prefix(root))
        flat = own.get(root, [])
        at = bisect.bisect_left(flat[::2], number)
        if at * 2 < len(flat) and flat[at * 2] == number:
            del flat[at * 2:at * 2 + 2]
        if weight is not None:
            flat[at * 2:at * 2] = (number, weight)
        if flat:
            own[root] = flat
        else:
            own.pop(root, None)

    def _rebuild(self, number: int, terms: Terms, forms: Forms) -> tuple[dict[str, bytes], set[str], bool]:
        """Everything again from the pages (only when a form points to different stems on different pages)."""
        pages = [self._page(n) for n in range(len(self._pages))]
        pages[number] = (terms, forms)
        old, old_groups = self.files(), self._groups
        self.__dict__.update(TermsFiles(pages).__dict__)
        new = self.files()
        return ({name: data for name, data in new.items() if old.get(name) != data}, old.keys() - new.keys(),
                self._groups != old_groups)

    def _page(self, number: int) -> tuple[Terms, Forms]:
        page = self._pages[number]
        if isinstance(page, bytes):
            page = self._pages[number] = marshal.loads(page)
        return page

    def _own_of(self, key: str) -> dict[str, list[int]]:
        own = self._own.get(key)
        if own is None:
            stems = json.loads(b"{" + self._pieces[key][0] + b"}") if key in self._pieces else {}
            own = self._own[key] = ({root: flat for root, flat in stems.items() if prefix(root) == key}
                                    if key in self._mixed else stems)
        return own

    def _forms_of(self, key: str) -> Forms:
        forms = self._forms.get(key)
        if forms is None:
            forms = self._forms[key] = json.loads(b"{" + self._pieces[key][1] + b"}") if key in self._pieces else {}
        return forms

    def _stems(self, key: str) -> dict[str, list[int]]:
        """A shard's stems: its own, and those its forms point to wherever they begin."""
        own = self._own_of(key)
        others = [root for root in self._forms_of(key).values() if root not in own]
        if not others:
            return own
        return {**own, **{root: self._own_of(prefix(root))[root] for root in others}}

    def _dump(self, key: str) -> bool:
        """Dumps a shard's pieces again; whether they changed."""
        stems, forms = self._stems(key), self._forms_of(key)
        old = self._pieces.get(key)
        if not stems and not forms:
            self._pieces.pop(key, None)
            self._sizes.pop(key, None)
            self._mixed.discard(key)
            return old is not None
        piece = (dumps(stems)[1:-1], dumps(forms)[1:-1])
        self._pieces[key] = piece
        self._sizes[key] = _FRAME + len(piece[0]) + len(piece[1])
        if stems is self._own[key]:
            self._mixed.discard(key)
        else:
            self._mixed.add(key)
        return piece != old

    def _file(self, group: list[str]) -> bytes:
        if self._mixed.isdisjoint(group):
            pieces = [self._pieces[key] for key in group]
            return b''.join((b'{"forms":{', b",".join(p[1] for p in pieces if p[1]), b'},"stems":{',
                             b",".join(p[0] for p in pieces if p[0]), b"}}"))
        stems: dict[str, list[int]] = {}
        forms: Forms = {}
        for key in group:
            stems.update(self._stems(key))
            forms.update(self._forms_of(key))
        return dumps({"stems": stems, "forms": forms})

    def __getstate__(self) -> dict[str, Any]:
        """The parsed shards stay behind (the pieces hold them); each page's terms go as marshal bytes."""
        state = self.__dict__.copy()
        state["_own"], state["_forms"] = {}, {}
        state["_pages"] = [page if isinstance(page, bytes) else marshal.dumps(page) for page in self._pages]
        return state
