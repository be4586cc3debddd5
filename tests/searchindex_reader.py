"""A reader of the built search index that looks words up and ranks pages as templates/assets/search.js
does, so tests can ask the index what a query finds (shared by the unit and browser tests), and the
relevance cases both check: known queries and the page each must rank first, in both languages."""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

# On the real content: (language, query, site path of the page that must rank first, what it shows).
RELEVANCE = [
    ("it", "fabbriche intelligenti", "it/cluster/fabbrica-intelligente/", "plurals find the singular title"),
    ("it", "energie", "it/cluster/energia/", "plural finds the singular"),
    ("it", "citta", "it/cluster/smart-communities/", "unaccented finds 'città'"),
    ("it", "città", "it/cluster/smart-communities/", "accented finds 'città'"),
    ("it", "accessibilita", "it/accessibilita/", "unaccented finds the accented title"),
    ("it", "agroalimentare", "it/cluster/agrifood/", "a cluster by its sector"),
    ("it", "decreti", "it/dati/legal-acts/", "plural of 'decreto', a dataset"),
    ("it", "cronolog", "it/cronologia/", "a word still being typed"),
    ("en", "smart factories", "en/areas/fabbrica-intelligente/", "plurals find the singular title"),
    ("en", "cities", "en/clusters/smart-communities/", "a word of the cluster's description"),
    ("en", "chemistry", "en/areas/chimica-verde/", "an area by its name"),
    ("en", "licence", "en/licence/", "a page by its title"),
    ("en", "health", "en/clusters/scienze-della-vita/", "a cluster by its field"),
]


def fold(text: str) -> str:
    """As the script folds: lower case, accents dropped."""
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not "\u0300" <= c <= "\u036f")


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text))


class Index:
    """One language's index folder, read file by file as the script reads it; `fetched` lists the files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.fetched: list[str] = []
        self.manifest = self.read("manifest.json")

    def read(self, name: str) -> Any:
        self.fetched.append(name)
        return json.loads((self.folder / name).read_text(encoding="utf-8"))

    def shard(self, word: str) -> dict[str, Any] | None:
        number = self.manifest["shards"].get(word[:2])
        return None if number is None else self.read(f"terms-{number}.json")

    @staticmethod
    def stems_for(word: str, shard: dict[str, Any] | None) -> dict[str, float]:
        if shard is None:
            return {}
        forms, stems = shard["forms"], shard["stems"]
        found: dict[str, float] = {}
        exact = forms.get(word) or (word if word in stems else None)
        if exact:
            found[exact] = 1
        if len(word) >= 3:
            for key, root in [*forms.items(), *((s, s) for s in stems)]:
                if len(key) > len(word) and key.startswith(word):
                    found.setdefault(root, 0.5)
        if not found:
            best = max((r for r in stems if len(r) >= 4 and word.startswith(r)), key=len, default="")
            if best:
                found[best] = 0.8
        return found

    def search(self, query: str) -> list[int]:
        """Page numbers matching every word, best first, ties in page order."""
        scores: dict[int, float] | None = None
        for word in words(query):
            shard = self.shard(word)
            here: dict[int, float] = {}
            for root, factor in self.stems_for(word, shard).items():
                flat = shard["stems"][root] if shard else []
                for i in range(0, len(flat), 2):
                    here[flat[i]] = max(here.get(flat[i], 0), flat[i + 1] * factor)
            scores = here if scores is None else {d: s + here[d] for d, s in scores.items() if d in here}
        return sorted(scores or {}, key=lambda d: (-(scores or {})[d], d))

    def doc(self, number: int) -> dict[str, str]:
        size = self.manifest["chunk"]
        t, u, k, d = self.read(f"docs-{number // size}.json")[number % size]
        return {"t": t, "u": u, "k": k, "d": d}

    def all_docs(self) -> list[dict[str, str]]:
        return [self.doc(n) for n in range(self.manifest["pages"])]
