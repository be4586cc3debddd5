"""Python-Markdown's small passes skipped on the pages that give them nothing to do, same output.

Several passes of a conversion look at every page for something most pages do not hold: raw HTML and
entities (`html_block`: the whole page through an HTML parser), fenced code (`fenced_code_block`), `{: …}`
attribute lists (`attr_list`: every element), backslash escapes (`unescape`: every text, tail and
attribute). Each costs about what a page's search terms do. `install` wraps them so that they run only when
the page's text (for a preprocessor) or any text, tail or attribute of its tree (for a treeprocessor)
holds a string without which their expressions cannot match; otherwise they would give the lines or the
tree back unchanged. It also remembers `is_block_level` per tag, which the stock method answers by a
search of a 60-item list (it is asked ~180 times a page). tests/unit/test_fastmarkdown.py converts the same
Markdown with and without these.
"""
from __future__ import annotations

from typing import Any

import markdown
from markdown import preprocessors, treeprocessors
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


def holds(root: Any, needle: str, attributes: bool) -> bool:
    """Whether a text or tail of the tree (or an attribute value, if asked) holds `needle`."""
    if needle in "".join(root.itertext()):  # every text and tail, joined in C
        return True
    for el in root.iter():  # what itertext may leave out: the text of a comment, attribute values
        if el.tag.__class__ is not str and el.text and needle in el.text:
            return True
        if attributes and any(value and needle in value for value in el.attrib.values()):
            return True
    return False


def _on_tree(run: Any, needle: str, attributes: bool) -> Any:
    def run_if_needed(root: Any) -> Any:
        """The stock treeprocessor's run, when the tree holds `needle`."""
        return run(root) if holds(root, needle, attributes) else None

    return run_if_needed


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
    md.is_block_level = _memo(md.is_block_level)  # type: ignore[method-assign]
