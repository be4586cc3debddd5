"""Python-Markdown's block parser with the block processors that cannot match a block skipped, same output.

The block parser offers every block (the text between blank lines) to each of its ~15 processors in turn
until one takes it; most of them search the whole block with a regular expression (a `#` heading may be on
any line of a block, and so may `>`, `:`, `*[` and `]:`) and most blocks are plain paragraphs that every
search fails on. `install` replaces the parser's `parseBlocks` with the same loop that first asks, with
`str.__contains__`, whether the block holds the characters without which a processor's test cannot pass
(or, for processors whose test always passes, without which its run gives the block back untouched); when
none is there, the processor is skipped, exactly as when its test fails. A processor of a class not in
`_NEEDS`, or whose expression is not the one listed there, is always tried, so an unknown or changed
processor costs speed, never output; tests/unit/test_fastmarkdown.py converts the same Markdown both ways.
"""
from __future__ import annotations

from typing import Any

import markdown
from markdown import blockprocessors as bp
from markdown.extensions import abbr, def_list, tables

# A processor class -> (the expression its test or run searches with, as in Markdown 3.11, or None when it has
# none; the strings of which at least one must be in a block for the test to pass or the run to take it).
_NEEDS: dict[type, tuple[str | None, tuple[str, ...]]] = {
    tables.TableProcessor: (None, ("|",)),  # a first row without `|` is one cell and no border: not a table
    bp.HashHeaderProcessor: (
        r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)", ("#",)),
    bp.SetextHeaderProcessor: (r"^.*?\n(?:=+|-+)[ ]*(\n|$)", ("\n=", "\n-")),
    bp.HRProcessor: (r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))"
                     r"(?P=atomicgroup)[ ]*$", ("-", "_", "*")),
    def_list.DefListProcessor: (r"(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)", (":",)),
    bp.BlockQuoteProcessor: (r"(^|\n)[ ]{0,3}>[ ]?(.*)", (">",)),
    abbr.AbbrBlockprocessor: (r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$", ("*[",)),
    bp.ReferenceProcessor: (r"^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?"
                            r'((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$', ("]:",)),
}


def needs(processor: Any) -> tuple[str, ...] | None:
    """What a block must hold for `processor` to take it, or None when that is not known (always tried)."""
    known = _NEEDS.get(type(processor))
    if known is None:
        return None
    expression, strings = known
    pattern = getattr(getattr(processor, "SEARCH_RE", None) or getattr(processor, "RE", None), "pattern", None)
    if expression is not None and pattern != expression:
        return None
    return strings


def install(md: markdown.Markdown) -> None:
    """Give the block parser of `md` the loop that skips processors a block cannot satisfy (see the module)."""
    parser = md.parser
    processors = list(parser.blockprocessors)  # the registry is fixed once the converter is built
    steps = []
    for processor in processors:
        need = needs(processor)
        steps.append((processor.test, processor.run, need[0] if need and len(need) == 1 else need))

    def parse_blocks(parent: Any, blocks: list[str]) -> None:
        """BlockParser.parseBlocks, with the skip added; the rest is its code."""
        while blocks:
            for test, run, need in steps:
                block = blocks[0]
                if need is not None and (need not in block if need.__class__ is str
                                         else not any(n in block for n in need)):
                    continue  # as when its test fails, or its run gives the block back
                if test(parent, block):
                    if run(parent, blocks) is not False:
                        break

    parser.parseBlocks = parse_blocks  # type: ignore[method-assign]  # parseChunk and the processors call it

