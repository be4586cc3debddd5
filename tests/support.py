"""Helpers shared by the unit and end-to-end tests (imported as `support`; fixtures live in conftest.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "site"
DATA_FIXTURE = ROOT / "tests" / "fixtures" / "data-site"  # the fixture project with data packages


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` as relative path -> bytes, to compare whole outputs."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(*args: str) -> int:
    from ntc_site import cli
    return cli.main([str(a) for a in args])


def edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    """A change to a content file: replace the first `old` with `new` (which must be there)."""
    def change(content: Path) -> None:
        file = content / rel
        text = file.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def write(rel: str, data: str | bytes) -> Callable[[Path], None]:
    """A change that writes (or adds) a content file."""
    def change(content: Path) -> None:
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_bytes(data.encode() if isinstance(data, str) else data)
    return change


def plain_text(html: str) -> str:
    """A page body's text as the search read it first: tags out, entities decoded, spaces collapsed."""
    import re
    from html import unescape
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def plain_terms(lang: str, fields: list[tuple[str, int]]) -> tuple[dict[str, int], dict[str, str]]:
    """The search-term rule as first written, to compare the fast one with: each distinct word of each
    field, in order, from the whole text, folded and stemmed; a stem keeps the highest weight it was seen with."""
    from ntc_site.render import search
    weights: dict[str, int] = {}
    forms: dict[str, str] = {}
    for text, weight in fields:
        for raw in dict.fromkeys(search._WORD.findall(text)):
            word = search.fold(raw)
            root = forms.get(word)
            if root is None:
                root = forms[word] = search.stem(lang, word)
            if weights.get(root, 0) < weight:
                weights[root] = weight
    return weights, forms
