"""Python-Markdown's small passes skipped on the pages that give them nothing to do, same output.

Several passes of a conversion look at every page for something most pages do not hold: raw HTML and
entities (`html_block`: the whole page through an HTML parser), fenced code (`fenced_code_block`), `{: …}`
attribute lists (`attr_list`: every element), backslash escapes (`unescape`: every text, tail and
attribute). Each costs about what a page's search terms do. `install` wraps them so that they run only when
the page's text (for a preprocessor) or any text, tail or attribute of its tree (for a treeprocessor)
holds a string without which their expressions cannot match; otherwise they would give the lines or the
tree back unchanged. `normalize_whitespace` searches for lines of spaces only when a space comes before a
line break (that search was most of its time). It also remembers `is_block_level` per tag, which the stock
method answers by a search of a 60-item list (it is asked ~180 times a page). tests/unit/test_fastmarkdown.py
converts the same Markdown with and without these.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import markdown
from markdown import preprocessors, treeprocessors, util
from markdown.extensions import attr_list, fenced_code

# Registry name -> (the class it must be, the string the page must hold for it to act, whether attribute
# values count).
_PREPROCESSORS: dict[str, tuple[type, tuple[str, ...]]] = {
    # without `<` and `&` the HTML parser sees one piece of text and gives the lines back as they were
    "html_block": (preprocessors.HtmlBlockPreprocessor, ("<", "&")),
    "fenced_code_block": (fenced_code.FencedBlockPreprocessor, ("```", "~~~")),  # its opening fence
}
_TREEPROCESSORS: dict[str, tuple[type, str, bool]] = {
    "attr_list": (attr_list.AttrListTreeprocessor, "{", False),  # its expressions all need `{`, in a text or tail
    "unescape": (treeprocessors.UnescapeTreeprocessor, "\x02", True),  # an escape's placeholder: STX digits ETX
}


def _on_lines(run: Any, needs: tuple[str, ...]) -> Any:
    def run_if_needed(lines: list[str]) -> list[str]:
        """The stock preprocessor's run, when the page's lines hold one of `needs`."""
        text = "\n".join(lines)
        return run(lines) if any(n in text for n in needs) else lines

    return run_if_needed


# ElementTree's C `itertext` gives the text of a comment too, its Python one does not.
_ITERTEXT_HAS_COMMENTS = "x" in "".join(ET.Comment("x").itertext())


def tree_text(root: Any) -> str:
    """Every text and tail of the tree (the root's tail aside) in one string: what a search for a string
    in any of them can search instead, in C."""
    text = "".join(root.itertext())
    if _ITERTEXT_HAS_COMMENTS:
        return text
    return text + "".join(el.text for el in root.iter() if el.tag.__class__ is not str and el.text)


def holds(root: Any, needle: str, attributes: bool) -> bool:
    """Whether a text or tail of the tree (or an attribute value, if asked) holds `needle`."""
    if needle in tree_text(root):
        return True
    return attributes and any(value and needle in value for el in root.iter() for value in el.attrib.values())


def _on_tree(run: Any, needle: str, attributes: bool) -> Any:
    def run_if_needed(root: Any) -> Any:
        """The stock treeprocessor's run, when the tree holds `needle`."""
        return run(root) if holds(root, needle, attributes) else None

    return run_if_needed


_BLANK_SPACES = re.compile(r"(?<=\n) +\n")  # NormalizeWhitespace's expression, as in Markdown 3.11


def _normalize_whitespace(md: markdown.Markdown) -> Any:
    def run(lines: list[str]) -> list[str]:
        """NormalizeWhitespace.run, whose expression (lines of spaces only) is only searched for when the page
        holds a space before a line break; the rest is its code."""
        source = "\n".join(lines)
        source = source.replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        source = source.expandtabs(md.tab_length)
        if " \n" in source:
            source = _BLANK_SPACES.sub("\n", source)
        return source.split("\n")

    return run


def _memo(stock: Any) -> Any:
    known: dict[Any, bool] = {}

    def is_block_level(tag: Any) -> bool:
        """Markdown.is_block_level, remembered per tag (the list of block-level tags is fixed once built)."""
        try:
            return known[tag]
        except KeyError:
            answer = known[tag] = stock(tag)
            return answer

    return is_block_level


def install(md: markdown.Markdown) -> None:
    """Wrap the passes of `md` listed above, when they are the stock ones (see the module)."""
    # Each pass stays in its place in its registry: only its `run` is wrapped.
    for name, (cls, needs) in _PREPROCESSORS.items():
        if name in md.preprocessors and type(md.preprocessors[name]) is cls:
            md.preprocessors[name].run = _on_lines(md.preprocessors[name].run, needs)  # type: ignore[method-assign]
    for name, (cls, needle, attributes) in _TREEPROCESSORS.items():
        if name in md.treeprocessors and type(md.treeprocessors[name]) is cls:
            md.treeprocessors[name].run = _on_tree(md.treeprocessors[name].run, needle,  # type: ignore[method-assign]
                                                   attributes)
    whitespace = md.preprocessors["normalize_whitespace"] if "normalize_whitespace" in md.preprocessors else None
    if type(whitespace) is preprocessors.NormalizeWhitespace:
        whitespace.run = _normalize_whitespace(md)  # type: ignore[method-assign]
    md.is_block_level = _memo(md.is_block_level)  # type: ignore[method-assign]
