"""The search index as small files fetched on demand, so the first search on a large site stays light.

One file for the whole index grew to about 900 kB per language on the 2 × 1000-page benchmark corpus,
all of it fetched before the first result. Here each language's index is a folder of files:

- `manifest.json`: the number of pages, which shard holds which term prefix, the kind labels and the
  script's interface words (a few kB);
- `terms-N.json`: the postings of the stems and the word forms that begin with one prefix — the first two
  characters of a word (one for one-letter words). Every lookup the script makes for a typed word (its
  own form or stem, longer words it begins, the longest stem it begins with) only needs the shard of
  that word's prefix, so a query fetches one shard per word;
- `docs-N.json`: title, address, kind and description of DOC_CHUNK pages, fetched only for the results
  shown.

Pages are numbered in title order, the order of the no-JavaScript list, so the script breaks ties by
number and filters that list by position without loading any page's title.

`build` also gives the `Layout` the files were made with (picklable): when one page's body changes but
its title, address, kind and description do not, `Layout.replace` gives just the files that change, the
same bytes a full build would make (render/searchshards.py), in a few milliseconds instead of tens.
"""
from __future__ import annotations

from typing import Any

from .search import KINDS, UI_KEYS, ordered
from .searchshards import Forms, Terms, TermsFiles, dumps

DOC_CHUNK = 32  # pages per docs file: about 4 kB; a panel of 8 results fetches at most 8 of them
MANIFEST = "manifest.json"


def folder(lang: str) -> str:
    """Where a language's index files live, below the site root."""
    return f"{lang}/search-index/"


class Layout:
    """One language's index as a build left it: enough to rewrite its files when one page's terms change.

    Picklable; `replace` keeps it up to date, so replaces can follow each other."""

    def __init__(self, docs: list[dict[str, Any]], t: dict[str, str]):
        """`docs` in index order (search.ordered)."""
        self._numbers = {doc["u"]: number for number, doc in enumerate(docs)}
        self._unique = len(self._numbers) == len(docs)
        self._listing = [(doc["t"], doc["k"], doc["d"]) for doc in docs]
        self.terms = TermsFiles((doc["terms"], doc["forms"]) for doc in docs)
        self._manifest = {
            "pages": len(docs),
            "chunk": DOC_CHUNK,
            "kinds": {k: t[f"kind_{k}"] for k in ("page", *KINDS)},
            "ui": {key: t[key] for key in UI_KEYS},
        }

    def manifest(self) -> bytes:
        return dumps({**self._manifest, "shards": self.terms.numbers()})

    def lists(self, doc: dict[str, Any]) -> bool:
        """Whether the index shows `doc`'s page as `doc` does (address, title, kind, description), so that
        `replace` with its terms and forms gives the files a full build would."""
        number = self._numbers.get(doc["u"])
        return self._unique and number is not None and self._listing[number] == (doc["t"], doc["k"], doc["d"])

    def replace(self, url: str, terms: Terms, forms: Forms) -> tuple[dict[str, bytes], set[str]]:
        """The page at `url` (its title, address, kind and description unchanged: see `lists`) has these
        terms and forms now: the files whose bytes change (name -> bytes) and the names of those gone."""
        if not self._unique:
            raise ValueError("two pages of the index share an address")
        changed, gone, moved = self.terms.replace(self._numbers[url], terms, forms)
        if moved:
            changed[MANIFEST] = self.manifest()
        return changed, gone


def build(docs: list[dict[str, Any]], t: dict[str, str]) -> tuple[Layout, dict[str, bytes]]:
    """The index folder of one language (file name -> bytes, deterministic for the same pages) and the
    state that updates it."""
    docs = ordered(docs)
    layout = Layout(docs, t)
    out = layout.terms.files()
    for start in range(0, len(docs), DOC_CHUNK):
        chunk = [[d["t"], d["u"], d["k"], d["d"]] for d in docs[start:start + DOC_CHUNK]]
        out[f"docs-{start // DOC_CHUNK}.json"] = dumps(chunk)
    out[MANIFEST] = layout.manifest()
    return layout, out


def files(docs: list[dict[str, Any]], t: dict[str, str]) -> dict[str, bytes]:
    """The index folder of one language: file name -> bytes (deterministic for the same pages)."""
    return build(docs, t)[1]
