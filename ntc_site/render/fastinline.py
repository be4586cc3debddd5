"""Python-Markdown's inline pass with the patterns that cannot match a text skipped, same output.

Inline patterns are most of a page's conversion: Python-Markdown tries each of its ~14 patterns (and
smarty's 15 quote patterns, in a second pass over the whole tree) on every piece of text, through a
regular-expression search and several Python calls each, though most texts hold none of the characters a
given pattern needs (a quote pattern needs a quote, a link a `[`). `FastInline` replaces the stock
`InlineProcessor` and first asks, with `str.__contains__`, whether the characters without which a
pattern's expression cannot match are in the text; when none is, the pattern is skipped exactly as when
its search finds nothing; a text or tail in which no pattern can match (most of them in smarty's pass, and
the line breaks that follow every block there) is not even taken out of the tree and put back. Patterns
not listed in `_needs` are always tried, so an unknown or changed pattern costs speed, never output;
tests/unit/test_fastinline.py and test_fastmarkdown.py convert the same Markdown both ways.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import markdown
from markdown import inlinepatterns as ip
from markdown import util
from markdown.extensions import smarty
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString

from . import fastpasses

_QUOTES = ("'", '"')
# A pattern's expression -> the strings of which it cannot match without at least one.
_NEEDS: dict[str, tuple[str, ...]] = {
    ip.BACKTICK_RE: ("`",), ip.ESCAPE_RE: ("\\",), ip.LINK_RE: ("[",), ip.IMAGE_LINK_RE: ("![",),
    ip.AUTOLINK_RE: ("<",), ip.AUTOMAIL_RE: ("<",), ip.HTML_RE: ("<",), ip.ENTITY_RE: ("&",),
    ip.LINE_BREAK_RE: ("  \n",),
    **{expr: _QUOTES for expr in (
        smarty.singleQuoteStartRe, smarty.doubleQuoteStartRe, smarty.doubleQuoteSetsRe, smarty.singleQuoteSetsRe,
        smarty.doubleQuoteSetsRe2, smarty.singleQuoteSetsRe2, smarty.decadeAbbrRe,
        smarty.openingSingleQuotesRegex, smarty.closingSingleQuotesRegex, smarty.closingSingleQuotesRegex2,
        smarty.remainingSingleQuotesRegex, smarty.openingDoubleQuotesRegex, smarty.closingDoubleQuotesRegex,
        smarty.closingDoubleQuotesRegex2, smarty.remainingDoubleQuotesRegex)},
}


def _needs(pattern: Any) -> tuple[str, ...] | None:
    """What `pattern` needs in a text to match, or None when that is not known (then it is always tried)."""
    if not isinstance(pattern, ip.InlineProcessor):  # old-style patterns match differently
        return None
    if type(pattern) is ip.DelimiterProcessor:  # emphasis: its expression is its tokens, escaped and or-ed
        return tuple(pattern.tokens) or None
    return _NEEDS.get(getattr(pattern, "pattern", None))  # type: ignore[arg-type]


class FastInline(InlineProcessor):
    """The stock inline pass; its loops over the texts and over the patterns skip what cannot match."""

    def _prepare(self) -> None:
        self._patterns = list(self.inlinePatterns)  # the registry is fixed once the converter is built
        needs = [_needs(p) for p in self._patterns]
        # A single string is tested with one `in`; `_any`: what a text needs for any pattern to match.
        self._needed = [n[0] if n is not None and len(n) == 1 else n for n in needs]
        self._any = None if None in needs else tuple({s for n in needs for s in n})  # type: ignore[union-attr]
        # A text is left alone when no pattern can match in it and it holds no placeholder (STX): a pattern's
        # element comes back with placeholders of the elements inside it in its text, which this pass
        # replaces when it reaches that text.
        wanted = sorted({*self._any, util.STX}, key=len, reverse=True) if self._any is not None else None
        anything = re.compile("|".join(map(re.escape, wanted))) if wanted is not None else None
        self._may_match = anything.search if anything is not None else (lambda text: True)

    # Python-Markdown's `run`: a text or tail in which no pattern can match and no placeholder waits is left as
    # it is (the stock loop would take it out, find nothing in it and put the same string back), a tree in
    # none of whose texts that can happen is given back at once, and no map from every element to its parent
    # is made: the stock pass only reads it for the ancestors of `tree`, which is no one's child in it. The
    # rest is its code.
    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        if not hasattr(self, "_patterns"):
            self._prepare()
        may_match = self._may_match
        if not may_match(fastpasses.tree_text(tree)):  # (smarty on a page without quotes)
            self.stashed_nodes, self.parent_map = {}, {}
            return tree
        handle = self._InlineProcessor__handleInline
        place = self._InlineProcessor__processPlaceholders  # type: ignore[attr-defined]
        self.stashed_nodes = {}
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = {}
        stack = [(tree, tree_parents)]
        self._InlineProcessor__build_ancestors(tree, tree_parents)  # type: ignore[attr-defined]
        while stack:
            current, parents = stack.pop(0)
            self.ancestors = parents
            if current is not tree:
                self.ancestors.append(current.tag.lower())
            queue = []
            for child in current:
                text = child.text
                if text and not isinstance(text, AtomicString) and may_match(text):
                    self.ancestors.append(child.tag.lower())
                    child.text = None
                    found = place(handle(text), child)
                    stack += found
                    queue.append((child, found))
                    self.ancestors.pop()
                tail = child.tail
                if tail and may_match(tail):
                    tail = handle(tail)
                    dummy = ET.Element("d")
                    child.tail = None
                    after = place(tail, dummy, False)
                    if dummy.tail:
                        child.tail = dummy.tail
                    pos = list(current).index(child) + 1
                    after.reverse()
                    for new in after:
                        current.insert(pos, new[0])
                if len(child):
                    stack.append((child, self.ancestors[:]))
            for element, found in queue:
                for i, item in enumerate(found):
                    element.insert(i, item[0])
        return tree

    # Python-Markdown's private `__handleInline`, name-mangled, with the skip added; the rest is its code.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802,N803
        if isinstance(data, AtomicString):
            return data
        if self._any is not None and not any(n in data for n in self._any):
            return data  # (smarty's quotes on a text without quotes)
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        patterns, needed = self._patterns, self._needed
        start = 0
        while patternIndex < len(patterns):
            need = needed[patternIndex]
            if need is not None and (need not in data if need.__class__ is str
                                     else not any(n in data for n in need)):
                patternIndex += 1
                start = 0  # as after a search that found nothing
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def install(md: markdown.Markdown) -> None:
    """Put `FastInline` in place of the inline passes of `md` (the core one and smarty's, if present)."""
    if not hasattr(InlineProcessor, "_InlineProcessor__applyPattern"):  # another Markdown: keep the stock
        return
    for name in ("inline", "smarty"):
        if name not in md.treeprocessors:
            continue
        old = md.treeprocessors[name]
        if type(old) is not InlineProcessor:
            continue
        fast = FastInline(md)
        fast.inlinePatterns = old.inlinePatterns
        md.treeprocessors.register(fast, name, md.treeprocessors._priority[
            md.treeprocessors.get_index_for_name(name)].priority)
