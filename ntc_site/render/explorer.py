"""The rows of a table on its dataset page: a plain table of the first rows, and what the explorer needs.

The HTML holds at most PREVIEW_ROWS rows and about PREVIEW_CHARS characters of cells (at least one row),
so a page weighs the same for ten rows or a million, and wide rows of long text do not swell it. The
explorer script (`assets/explorer.js`) reads everything else from attributes written here: where the rows
are published (the CSV, or its chunks for a big table), how many there are, each column's type, and every
word it shows, in the page language, so the script itself holds no text.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from ..data import chunks, csvrows
from ..data.package import Field, Package, Resource
from ..languages import number_text
from ..model.site import Site
from ..urls import download_path

PREVIEW_ROWS = 10
PREVIEW_CHARS = 6000
PAGE_ROWS = 25  # rows per page of the explorer
# the words the script writes itself (the controls carry theirs in the markup)
WORDS = ("status", "status_loading", "status_failed", "page_status", "cell_more", "cell_less", "empty_cell")


def link_text(url: str) -> str:
    """A URL shortened to its host (without 'www.'), for cells; the full address stays in the link."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def cell(value: Any, field: Field, lang: str) -> dict[str, Any]:
    """One cell as text and links, ready for the template ({'text': '', 'links': []} = unknown)."""
    if value is None:
        return {"text": "", "links": []}
    if field.type == "list" or (field.type == "string" and _is_url(value)):
        items = value if field.type == "list" else [value]
        if all(_is_url(item) for item in items):
            return {"text": "", "links": [{"href": item, "text": link_text(item)} for item in items]}
        return {"text": " ".join(items), "links": []}
    if field.type == "date":
        return {"text": value.isoformat(), "links": []}
    if field.type in ("integer", "number"):
        return {"text": number_text(value, lang), "links": []}
    if field.type == "boolean":
        return {"text": "true" if value else "false", "links": []}
    return {"text": str(value), "links": []}


def preview_rows(resource: Resource, chars: int = PREVIEW_CHARS) -> list[dict[str, Any]]:
    """The first rows, while they fit PREVIEW_ROWS and `chars` characters of cells (at least one row)."""
    rows: list[dict[str, Any]] = []
    size = 0
    for cells, row in zip(csvrows.iter_cells(resource), csvrows.iter_rows(resource)):
        size += sum(len(c) for c in cells)
        if rows and (len(rows) == PREVIEW_ROWS or size > chars):
            break
        rows.append(row)
    return rows


def table(site: Site, package: Package, resource: Resource, lang: str, t: dict[str, str],
          chars: int = PREVIEW_CHARS) -> dict[str, Any]:
    """The explorer of one resource: header, first rows (within `chars` characters of cells: a package of
    several tables shares one page's budget), and the attributes the script reads."""
    fields = resource.schema.fields
    first = preview_rows(resource, chars)
    caption = t["data_preview_caption"].format(count=number_text(len(first), lang),
                                               total=number_text(resource.row_count, lang))
    count = chunks.chunk_count(resource.row_count)
    chunk_base = site.urls.href(download_path(package.name, chunks.chunk_name(resource.name, 1)))
    return {
        "id": f"rows-{resource.name}",
        "caption": f"{resource.title[lang]} — {caption}",
        "header": [{"name": f.name, "title": f.title[lang], "type": f.type, "delimiter": f.delimiter or ""}
                   for f in fields],
        "rows": [[cell(row[f.name], f, lang) for f in fields] for row in first],
        "attributes": {
            "data-name": resource.name, "data-title": resource.title[lang], "data-lang": lang, "data-total": str(resource.row_count),
            "data-page-rows": str(PAGE_ROWS),
            "data-csv": site.urls.href(download_path(package.name, f"{resource.name}.csv")),
            "data-chunks": str(count), "data-chunk-rows": str(chunks.CHUNK_ROWS),
            "data-chunk-base": chunk_base.removesuffix("0001.csv") if count else "",
            **{f"data-t-{word.replace('_', '-')}": t[f"data_{word}"] for word in WORDS},
        },
    }
