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
"""
from __future__ import annotations

import json
from typing import Any

from .search import KINDS, UI_KEYS, ordered

DOC_CHUNK = 32  # pages per docs file: about 4 kB; a panel of 8 results fetches at most 8 of them
SHARD_BYTES = 16 * 1024  # neighbouring prefixes share a terms file up to this size (fewer, fuller files)
MANIFEST = "manifest.json"


def folder(lang: str) -> str:
    """Where a language's index files live, below the site root."""
    return f"{lang}/search-index/"


def prefix(word: str) -> str:
    """The shard key of a (folded) word; the script computes the same over code points."""
    return word[:2]


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def shards(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Prefix -> {"stems": stem -> [page, weight, page, weight, ...], "forms": form -> stem}.

    A shard also carries the postings of every stem its forms point to, even when the stem begins
    differently (Snowball rarely changes a word's first letters, but may), so no lookup crosses shards."""
    postings: dict[str, list[int]] = {}
    forms: dict[str, str] = {}
    for number, doc in enumerate(docs):
        for root, weight in sorted(doc["terms"].items()):
            postings.setdefault(root, []).extend((number, weight))
        forms.update((form, root) for form, root in doc["forms"].items() if form != root)
    out: dict[str, dict[str, Any]] = {}
    for root, flat in postings.items():
        out.setdefault(prefix(root), {"stems": {}, "forms": {}})["stems"][root] = flat
    for form, root in forms.items():
        shard = out.setdefault(prefix(form), {"stems": {}, "forms": {}})
        shard["forms"][form] = root
        shard["stems"][root] = postings[root]
    return out


def _terms_files(by_prefix: dict[str, dict[str, Any]]) -> tuple[dict[str, int], dict[str, bytes]]:
    """Prefixes in order, packed into terms files of about SHARD_BYTES (a big prefix alone in its own):
    prefix -> file number, and the files."""
    numbers: dict[str, int] = {}
    out: dict[str, bytes] = {}
    group: dict[str, dict[str, Any]] = {"stems": {}, "forms": {}}
    size = 0
    for key in sorted(by_prefix):
        shard = by_prefix[key]
        weight = len(_dumps(shard))
        if size and size + weight > SHARD_BYTES:
            out[f"terms-{len(out)}.json"] = _dumps(group)
            group, size = {"stems": {}, "forms": {}}, 0
        group["stems"].update(shard["stems"])
        group["forms"].update(shard["forms"])
        numbers[key] = len(out)
        size += weight
    if size:
        out[f"terms-{len(out)}.json"] = _dumps(group)
    return numbers, out


def files(docs: list[dict[str, Any]], t: dict[str, str]) -> dict[str, bytes]:
    """The index folder of one language: file name -> bytes (deterministic for the same pages)."""
    docs = ordered(docs)
    numbers, out = _terms_files(shards(docs))
    for start in range(0, len(docs), DOC_CHUNK):
        chunk = [[d["t"], d["u"], d["k"], d["d"]] for d in docs[start:start + DOC_CHUNK]]
        out[f"docs-{start // DOC_CHUNK}.json"] = _dumps(chunk)
    out[MANIFEST] = _dumps({
        "pages": len(docs),
        "chunk": DOC_CHUNK,
        "shards": numbers,
        "kinds": {k: t[f"kind_{k}"] for k in ("page", *KINDS)},
        "ui": {key: t[key] for key in UI_KEYS},
    })
    return out
