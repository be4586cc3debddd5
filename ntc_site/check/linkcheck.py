"""Links, anchors and drafts, checked on the rendered site: the strict checks that need every page.

Markdown links carry their source line (`MarkupResult.links`), so their findings point at it; everything
else a page links to (raw HTML in Markdown, and what templates write) is read back from the rendered HTML,
whose ids are also the anchors a link may name. Part of `check --strict` (see `strict.py`).
"""
from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from typing import Mapping
from urllib.parse import unquote, urlsplit

from ..model.site import Page, Site
from ..problems import Problem, did_you_mean
from ..render.markup import MarkupResult
from ..urls import output_file


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []  # a href and img src, in page order
        self.images_without_alt: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        url = found.get("href") if tag == "a" else found.get("src") if tag == "img" else None
        if url:
            self.links.append(url)
        if tag == "img" and "alt" not in found:
            self.images_without_alt.append(found.get("src") or "")


def scan(html: bytes) -> _Scan:
    parser = _Scan()
    parser.feed(html.decode("utf-8", "replace"))
    parser.close()
    return parser


def local_file(href: str, page_href: str, prefix: str) -> tuple[str, str] | None:
    """Output file and fragment an in-site link leads to, or None for links that leave the site."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = parts.path
    if not path:
        path = page_href
    elif not path.startswith("/"):
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page_href.rstrip("/") + "/x"), path)) + \
            ("/" if path.endswith("/") else "")
    if not path.startswith(prefix):
        return "", parts.fragment
    return output_file(unquote(path[len(prefix):])), unquote(parts.fragment)


def _where(site: Site, page: Page) -> str:
    if page.source is not None:
        return page.source.path
    record = next((r for r in site.records.clusters + site.records.areas  # type: ignore[operator]
                   if r.id == page.record_id and page.template in ("cluster", "area")), None)
    return record.path if record else f"templates/{page.template}.html"


def _line_of(page: Page, text: str, asked: dict[str, int]) -> int:
    """Line of `text` in the page's Markdown; the n-th time the same text is asked about (`asked` counts),
    its n-th line, so findings about a repeated link point at each of its places."""
    src = page.source
    if src is None:
        return 0
    nth = asked[text] = asked.get(text, 0) + 1
    found = src.body_line
    for number, line in enumerate(src.body.split("\n"), start=src.body_line):
        if text in line:
            found, nth = number, nth - 1
            if nth == 0:
                break
    return found


def findings(site: Site, bodies: Mapping[str, MarkupResult], files: Mapping[str, object]) -> list[Problem]:
    """Findings for every published page; links to drafts count only when an editor wrote them (a draft
    in a menu or list exists only in the preview)."""
    urls = site.urls
    by_file = {output_file(p.path): p for p in site.pages}
    scans = {name: scan(data) for name, data in files.items() if name.endswith(".html")}

    def ids(file: str) -> set[str]:
        page = by_file.get(file)
        if file in scans:
            return scans[file].ids
        body = bodies.get(page.path) if page else None
        return body.ids if body else set()

    problems = []
    for page in site.pages:
        if page.draft:
            continue
        where = _where(site, page)
        own = urls.href(page.path)
        body = bodies.get(page.path)
        checked: set[str] = set()
        for link in body.links if body else []:
            target_href = link.target or own
            checked.add(link.target + (f"#{link.fragment}" if link.fragment else ""))
            target = by_file.get(output_file(unquote(target_href[len(urls.prefix):])))
            if target is not None and target.draft:
                problems.append(Problem(where, link.line, 0, f"published page links to the draft "
                                        f"{_where(site, target)}", "publish that page first, or remove the link"))
            elif target is not None and link.fragment and link.fragment not in ids(output_file(target.path)):
                problems.append(_anchor_problem(where, link.line, link.fragment, target_href,
                                                ids(output_file(target.path))))
        html = scans.get(output_file(page.path))
        asked: dict[str, int] = {}
        for href in html.links if html else []:
            if href in checked:
                continue
            local = local_file(href, own, urls.prefix)
            if local is None:
                continue
            file, fragment = local
            target = by_file.get(file)
            if target is not None and target.draft:
                continue  # drafts are only in the preview; a draft in a menu is not on published pages
            if not file or file not in files:
                problems.append(Problem(where, _line_of(page, href, asked), 0,
                                        f"link '{href}' leads to no file of the site",
                                        "link to pages and media by their source file: [text](../page.md)"))
            elif fragment and fragment not in ids(file):
                problems.append(_anchor_problem(where, _line_of(page, href, asked), fragment, href, ids(file)))
        asked = {}  # images are counted apart from links: an image's src is in both lists
        for src in html.images_without_alt if html else []:
            problems.append(Problem(where, _line_of(page, src, asked), 0, f"image '{src}' has no alt attribute",
                                    "add alt=\"what it shows\""))
    return problems


def _anchor_problem(where: str, line: int, fragment: str, href: str, ids: set[str]) -> Problem:
    page = href.split("#")[0] or "this page"
    return Problem(where, line, 0, f"link to missing anchor '#{fragment}' on {page}",
                   did_you_mean(fragment, ids) or "anchors are made from headings: '## Contatti' gives #contatti")
