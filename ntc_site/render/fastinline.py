"""Python-Markdown's inline pass with the patterns that cannot match a text skipped, same output.

Inline patterns are most of a page's conversion: Python-Markdown tries each of its ~14 patterns (and
smarty's 15 quote patterns, in a second pass over the whole tree) on every piece of text, through a
regular-expression search and several Python calls each, though most texts hold none of the characters a
given pattern needs (a quote pattern needs a quote, a link a `[`). `FastInline` replaces the stock
`InlineProcessor` and first asks, with `str.__contains__`, whether the characters without which a
pattern's expression cannot match are in the text; when none is, the pattern is skipped exactly as when
its search finds nothing. Patterns not listed in `_needs` are always tried, so an unknown or changed
pattern costs speed, never output; tests/unit/test_fastinline.py converts the same Markdown both ways.
"""
from __future__ import annotations

from typing import Any

import markdown
from markdown import inlinepatterns as ip
from markdown.extensions import smarty
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString

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
    """The stock inline pass; only its per-text loop over the patterns is replaced (see the module)."""

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        if not hasattr(self, "_patterns"):  # the registry is fixed once the converter is built
            self._patterns = list(self.inlinePatterns)
            needs = [_needs(p) for p in self._patterns]
            # A single string is tested with one `in`; `_any`: what a text needs for any pattern to match.
            self._needed = [n[0] if n is not None and len(n) == 1 else n for n in needs]
            self._any = None if None in needs else tuple({s for n in needs for s in n})  # type: ignore[union-attr]
        return super().run(tree, ancestors)

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
