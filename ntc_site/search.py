"""The client-side search index: one small JSON file per language, written at build time.

Search runs in the reader's browser (assets/search.js) with no third-party service; this module decides
what is searchable and keeps it compact and deterministic.
"""
from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

from .model import Page, Site

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
TEXT_LIMIT = 2000
KINDS = {"cluster": "kind_cluster", "area": "kind_area", "dataset": "kind_dataset"}


def plain_text(html: str) -> str:
    return _SPACE.sub(" ", unescape(_TAG.sub(" ", html))).strip()


def kind(page: Page) -> str:
    return page.template if page.template in KINDS else "page"


def documents(site: Site, lang: str, bodies: dict[str, str]) -> list[dict[str, Any]]:
    """One entry per page of `lang`: title, href, kind, description and the start of its text."""
    docs = []
    for page in site.pages:
        if page.lang != lang or page.draft:
            continue
        text = plain_text(bodies.get(page.path, ""))[:TEXT_LIMIT]
        docs.append({"t": page.title, "u": site.urls.href(page.path), "k": kind(page),
                     "d": page.description, "x": text})
    return docs


def index_json(docs: list[dict[str, Any]]) -> bytes:
    return json.dumps(docs, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def list_items(docs: list[dict[str, Any]], t: dict[str, str]) -> list[dict[str, str]]:
    """The no-JavaScript fallback: every page, sorted by title."""
    return [{"title": d["t"], "href": d["u"], "kind": d["k"], "kind_label": t.get(f"kind_{d['k']}", "")}
            for d in sorted(docs, key=lambda d: (d["t"].casefold(), d["u"]))]
