"""Python-Markdown's block parser with the block processors that cannot take a block skipped, same output.

The block parser offers every block (the text between blank lines) to each of its ~15 processors in turn
until one takes it; most of them search the whole block with a regular expression (a `#` heading may be on
any line of a block, and so may `>`, `:`, `*[` and `]:`), the others look at its first characters, and most
blocks are plain paragraphs that every processor but the last turns down. `install` replaces the parser's
`parseBlocks` with the same loop that first searches the block, in C, for what a processor's test cannot
pass without (or, for processors whose test always passes, what their run gives the block back without):
`#` for a heading, a space at the start for indented code, a digit or space at the start for a numbered
list; when it is not there, the processor is skipped, exactly as when its test fails. A processor of a class
not in `_NEEDS`, or whose expression is not the one listed there, is always tried, so an unknown or changed
processor costs speed, never output; tests/unit/test_fastmarkdown.py converts the same Markdown both ways.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import markdown
from markdown import blockprocessors as bp
from markdown.extensions import abbr, def_list, sane_lists, tables

_OLIST = r"^[ ]{0,3}\d+\.[ ]+(.*)"  # the list expressions with the default tab length (4)
_ULIST = r"^[ ]{0,3}[*+-][ ]+(.*)"
# A processor class -> (the expression its test or run looks with, as in Markdown 3.11, or None when it has
# none; an expression that finds something in every block the processor can take).
_NEEDS: dict[type, tuple[str | None, str]] = {
    bp.EmptyBlockProcessor: (None, r"\A(?:\n|\Z)"),  # an empty block, or one that starts with a blank line
    bp.ListIndentProcessor: (None, r"\A "),  # these three take blocks indented by a tab length of spaces
    def_list.DefListIndentProcessor: (None, r"\A "),
    bp.CodeBlockProcessor: (None, r"\A "),
    tables.TableProcessor: (None, r"\|"),  # a first row without `|` is one cell and no border: not a table
    bp.HashHeaderProcessor: (
        r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)", "#"),
    bp.SetextHeaderProcessor: (r"^.*?\n(?:=+|-+)[ ]*(\n|$)", r"\n[=-]"),
    bp.HRProcessor: (r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))"
                     r"(?P=atomicgroup)[ ]*$", r"[-_*]"),
    bp.OListProcessor: (_OLIST, r"\A[ \d]"),
    sane_lists.SaneOListProcessor: (_OLIST, r"\A[ \d]"),
    bp.UListProcessor: (_ULIST, r"\A[ *+\-]"),
    sane_lists.SaneUListProcessor: (_ULIST, r"\A[ *+\-]"),
    def_list.DefListProcessor: (r"(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)", ":"),
    bp.BlockQuoteProcessor: (r"(^|\n)[ ]{0,3}>[ ]?(.*)", ">"),
    abbr.AbbrBlockprocessor: (r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$", r"\*\["),
    bp.ReferenceProcessor: (r"^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?"
                            r'((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$', r"\]:"),
}


def needs(processor: Any) -> str | None:
    """An expression that finds something in every block `processor` can take, or None when that is not known
    (then it is always tried)."""
    known = _NEEDS.get(type(processor))
    if known is None:
        return None
    expression, need = known
    pattern = getattr(getattr(processor, "SEARCH_RE", None) or getattr(processor, "RE", None), "pattern", None)
    if expression is not None and pattern != expression:
        return None
    return need


def install(md: markdown.Markdown) -> None:
    """Give the block parser of `md` the loop that skips processors a block cannot satisfy (see the module)."""
    parser = md.parser
    steps: list[tuple[Callable, Callable, Callable | None]] = []
    for processor in parser.blockprocessors:  # the registry is fixed once the converter is built
        need = needs(processor)
        steps.append((processor.test, processor.run, re.compile(need).search if need is not None else None))

    def parse_blocks(parent: Any, blocks: list[str]) -> None:
        """BlockParser.parseBlocks, with the skip added; the rest is its code."""
        while blocks:
            for test, run, can_take in steps:
                block = blocks[0]
                if can_take is not None and can_take(block) is None:
                    continue  # as when its test fails, or its run gives the block back
                if test(parent, block):
                    if run(parent, blocks) is not False:
                        break

    parser.parseBlocks = parse_blocks  # type: ignore[method-assign]  # parseChunk and the processors call it
