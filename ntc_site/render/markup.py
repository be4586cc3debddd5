"""Markdown -> safe HTML, with links written as source paths turned into page URLs.

Editors link to `../chi-siamo.md`; readers need `/it/chi-siamo/`. The conversion also records what the
strict checks need (heading levels, anchors, internal links, images without alt text), and ends with an
allow-list sanitiser so raw HTML in Markdown can never put scripts or handlers on a page.
"""
from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import unquote

import markdown
import nh3
from markdown.extensions import (
    abbr,
    attr_list,
    def_list,
    fenced_code,
    sane_lists,
    smarty,
    tables,
    toc,
)
from markdown.treeprocessors import Treeprocessor

from . import fastblocks, fastinline, fastpasses, fastserialize, fasttoc

_BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
_EXTERNAL = re.compile(r"^(https?:|mailto:|tel:)", re.I)
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "dfn", "div", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"}, "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "headers"}, "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "time": {"datetime"}, "ol": {"start", "reversed"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_URL_ATTRIBUTES = {"a": "href", "img": "src"}


@dataclass(frozen=True)
class Link:
    target: str  # site path of the page, or '' for the same page
    fragment: str
    line: int


@dataclass
class MarkupResult:
    html: str
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, message, hint)
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    headings: list[tuple[int, int]] = field(default_factory=list)  # (level, line)
    images_without_alt: list[int] = field(default_factory=list)


# Resolves a content path such as 'it/cluster/index.md' or 'media/x.png' to a site href, or None.
Resolver = Callable[[str], "str | None"]


def dangerous_url(url: str) -> bool:
    """Whether the link's scheme, once browsers have dropped spaces and control characters, is forbidden."""
    plain = url.isascii() and url.isprintable() and " " not in url  # nothing to drop (the usual link)
    squashed = url if plain else "".join(c for c in url if c > " " and c != "\x7f")
    return squashed.lower().startswith(_BAD_SCHEMES)


class _Links(Treeprocessor):
    def __init__(self, md: markdown.Markdown, state: dict):
        super().__init__(md)
        self.state = state

    def run(self, root: ET.Element) -> None:
        st = self.state
        result: MarkupResult = st["result"]
        line_of, first_line = st["line_of"], st["body_line"]
        for el in root.iter():
            tag = el.tag
            level = _HEADINGS.get(tag)
            if level:
                result.headings.append((level, line_of("".join(el.itertext())[:40], True)))
            id_ = el.get("id")
            if id_:
                result.ids.add(id_)
            attr = _URL_ATTRIBUTES.get(tag)
            if attr is None:
                continue
            url = el.get(attr)
            line = line_of(url) if url else first_line  # once per element: each lookup moves past what it finds
            if tag == "img" and not (el.get("alt") or "").strip():
                result.images_without_alt.append(line)
            if url is not None:
                el.set(attr, self._rewrite(url, line, result))

    def _rewrite(self, url: str, line: int, result: MarkupResult) -> str:
        st = self.state
        if dangerous_url(url):
            result.problems.append((line, f"link {url[:40]!r} uses a forbidden scheme",
                                    "only http, https, mailto and tel links are allowed"))
            return "#"
        if _EXTERNAL.match(url) or not url:
            return url
        if url.startswith("#"):
            result.links.append(Link("", url[1:], line))
            return url
        written, _, fragment = url.partition("#")
        path = unquote(written)  # `my%20file.png` names `my file.png`, `a%23b.md` names `a#b.md`
        if path.startswith("/") or "\\" in path or re.match(r"^[a-z][a-z0-9+.-]*:", path, re.I):
            result.problems.append((line, f"link {url!r} must be a relative path to a source file",
                                    "link to pages by their .md file, e.g. ../chi-siamo.md"))
            return "#"
        joined = posixpath.normpath(posixpath.join(st["folder"], path))
        if joined.startswith("../") or joined == "..":
            result.problems.append((line, f"link {url!r} points outside the content folder", ""))
            return "#"
        href = st["resolve"](joined)
        if href is None:
            hint = st["hint"](joined)
            result.problems.append((line, f"link to missing source {url!r}", hint))
            return "#"
        if joined.endswith(".md"):
            result.links.append(Link(href, unquote(fragment), line))
        return href + (f"#{fragment}" if fragment else "")


class _Extension(markdown.Extension):
    def __init__(self, state: dict):
        super().__init__()
        self.state = state

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_Links(md, self.state), "ntc_links", 0)


# Typographic quotes per language (Python-Markdown's smarty): Italian «caporali» and English “curly” double
# quotes, ’ for apostrophes in both. Code spans, code blocks, raw HTML and URLs are left as written.
QUOTES = {
    "it": {"left-double-quote": "&laquo;", "right-double-quote": "&raquo;"},
    "en": {"left-double-quote": "&ldquo;", "right-double-quote": "&rdquo;"},
}


class Converter:
    """One reusable Markdown instance per language (building one is slower than converting a page).

    `fast=False` gives stock Python-Markdown, without the faster passes of fastinline.py, fastblocks.py,
    fasttoc.py, fastpasses.py and fastserialize.py (which give the same HTML): the tests compare the two."""

    def __init__(self, fast: bool = True) -> None:
        self.state: dict = {}
        self.by_lang = {lang: self._markdown(quotes, fast) for lang, quotes in QUOTES.items()}
        self.md = self.by_lang["it"]

    def _markdown(self, quotes: dict[str, str], fast: bool) -> markdown.Markdown:
        # Extensions as objects: a name would be looked up in every installed package's entry points
        # (importlib.metadata), ~10 ms a process.
        md = markdown.Markdown(
            extensions=[
                tables.TableExtension(), attr_list.AttrListExtension(), sane_lists.SaneListExtension(),
                fenced_code.FencedCodeExtension(), def_list.DefListExtension(), abbr.AbbrExtension(),
                toc.TocExtension(slugify=toc.slugify_unicode, toc_depth="2-4"),
                smarty.SmartyExtension(smart_dashes=False, smart_ellipses=False, substitutions=quotes),
                _Extension(self.state)],
            output_format="html",
        )
        if fast:
            fastinline.install(md)
            fastblocks.install(md)
            fasttoc.install(md)
            fastpasses.install(md)
            fastserialize.install(md)
        return md

    def convert(self, body: str, body_line: int, source: str, resolve: Resolver,
                hint: Callable[[str], str] = lambda _: "") -> MarkupResult:
        """`source` is the page's content path ('it/cluster/index.md'); links resolve from its folder."""
        result = MarkupResult("")
        after: dict[str, int] = {}  # text -> where its next occurrence is searched from

        def line_of(text: str, heading: bool = False) -> int:
            """Line of `text`; asked again for the same text (a repeated link or heading), the next occurrence,
            as the tree is walked in document order (str.find runs in C: this is called per element). A
            heading's text is looked for on heading lines, past the same words in a paragraph above it."""
            if not text:
                return body_line
            key = ("h" if heading else "") + text
            at = body.find(text, after.get(key, 0))
            while heading and at >= 0 and not _heading_at(body, at):
                at = body.find(text, at + 1)
            if at < 0:  # a heading as written elsewhere; a link written once, used twice (reference link)
                at = body.find(text) if heading else body.rfind(text)
            if at < 0:
                return body_line
            after[key] = at + len(text)
            return body_line + body.count("\n", 0, at)

        self.state.update(result=result, folder=posixpath.dirname(source), resolve=resolve, hint=hint,
                          line_of=line_of, body_line=body_line)
        self.md = self.by_lang.get(source.split("/", 1)[0], self.by_lang["it"])
        self.md.reset()
        html = self.md.convert(body)
        result.html = sanitize(html)
        return result


def _heading_at(body: str, at: int) -> bool:
    """Whether position `at` of the Markdown is on a heading line: '## text', or text underlined with = or -."""
    start = body.rfind("\n", 0, at) + 1
    if body[start:at].lstrip(" ").startswith("#"):
        return True
    end = body.find("\n", at)
    if end < 0:
        return False
    after = body.find("\n", end + 1)
    underline = body[end + 1:after if after >= 0 else len(body)].strip()
    return len(set(underline)) == 1 and underline[0] in "=-"


def sanitize(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel=None, strip_comments=True)
