"""Python-Markdown's `toc` pass reduced to what the site uses: the headings' ids, byte for byte the same.

The `toc` extension gives every heading an id (which the pages' #anchors and the link checks rely on) and
also builds a table of contents: each heading rendered to HTML and stripped again to its name, a nested
list, a `<div>` serialized through every postprocessor, kept as `md.toc` and `md.toc_tokens`. No page shows
that table and nothing reads those two attributes, and building it was a tenth of a page's conversion.
`HeadingIds` keeps the stock pass's ids: the same walk, the same slugify and de-duplication (ids already
set by `{#id}` are kept and taken), and a heading whose content is plain text (no child element, no `&`,
`<`, `>` or placeholder) gets its name without the render-and-strip round trip, which would give it back
unchanged. Any other heading goes through the stock code, and a page holding the `[TOC]` marker (which asks
for the table in the page) gets the whole stock pass. `md.toc` and `md.toc_tokens` stay as reset: empty.
tests/unit/test_fastmarkdown.py converts the same Markdown both ways.
"""
from __future__ import annotations

import html
import xml.etree.ElementTree as ET

import markdown
from markdown.extensions import toc

from . import fastpasses

_ABSENT = object()
_NOT_PLAIN = ("&", "<", ">", "\x02", "\x03")  # entities, markup, Python-Markdown's placeholders (STX/ETX)


class HeadingIds(toc.TocTreeprocessor):
    """The stock `toc` treeprocessor without the table of contents (see the module)."""

    def run(self, doc: ET.Element) -> None:
        if self.marker and self.marker in fastpasses.tree_text(doc):  # a [TOC] to replace: the stock pass does it
            return super().run(doc)
        if self.use_anchors or self.use_permalinks not in (False, None):  # links added to headings
            return super().run(doc)
        used_ids = set()
        headings = []
        is_heading = self.header_rgx.match
        for el in doc.iter():
            id_ = el.get("id", _ABSENT)
            if id_ is not _ABSENT:
                used_ids.add(id_)
            if isinstance(el.tag, str) and is_heading(el.tag):
                headings.append(el)
        counters: dict[str, int] = {}
        for el in headings:
            self.set_level(el)
            if "id" not in el.attrib:
                el.attrib["id"] = toc.unique(self.slugify(html.unescape(self._name(el)), self.sep), used_ids, counters)
            if "data-toc-label" in el.attrib:  # it only names the heading in the table
                del el.attrib["data-toc-label"]

    def _name(self, el: ET.Element) -> str:
        """The heading's text as the stock pass finds it: rendered to HTML, tags stripped, spaces collapsed."""
        text = el.text
        if not len(el) and isinstance(text, str) and not any(c in text for c in _NOT_PLAIN):
            return " ".join(text.split())
        return toc.strip_tags(toc.render_inner_html(toc.remove_fnrefs(el), self.md))


def install(md: markdown.Markdown) -> None:
    """Put `HeadingIds` in place of the `toc` treeprocessor of `md`, keeping its configuration."""
    if "toc" not in md.treeprocessors or type(md.treeprocessors["toc"]) is not toc.TocTreeprocessor:
        return
    old = md.treeprocessors["toc"]
    light = HeadingIds.__new__(HeadingIds)  # the same object but for its class: its settings are copied
    light.__dict__.update(old.__dict__)
    md.treeprocessors.register(light, "toc", md.treeprocessors._priority[
        md.treeprocessors.get_index_for_name("toc")].priority)
