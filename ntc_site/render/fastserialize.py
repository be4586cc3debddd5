"""Python-Markdown's HTML serializer written as a plain recursion, same output.

Turning a page's element tree into HTML was a tenth of its conversion: the stock serializer
(`markdown.serializers.to_html_string`) walks the tree with a queue of elements and strings, checking the
type of each item it takes off, lowering each tag twice and calling the escaping function on every text.
`to_html_string` here writes the same pieces in the same order by recursion, remembers per tag its opening
and end tag, and escapes with the stock functions only the texts that hold `&`, `<` or `>` (the others they
give back unchanged); a tree too deep for the recursion goes to the stock serializer.
tests/unit/test_fastmarkdown.py converts the same Markdown with both.
"""
from __future__ import annotations

from typing import Any, Callable
from xml.etree.ElementTree import HTML_EMPTY, Comment, ProcessingInstruction, QName

import markdown
from markdown import serializers

_escape_cdata = serializers._escape_cdata
_escape_attrib = serializers._escape_attrib
_escape_attrib_html = serializers._escape_attrib_html
_BOOLEAN = serializers.BOOLEAN_ATTRIBUTES["html"]
_TAGS: dict[str, tuple[str, str, bool]] = {}  # tag -> (its opening, its end tag or '' if empty, raw text)


def _tag(tag: str) -> tuple[str, str, bool]:
    low = tag.lower()
    return _TAGS.setdefault(tag, (f"<{tag}", "" if low in HTML_EMPTY else f"</{tag}>", low in ("script", "style")))


def _text(text: str) -> str:
    """_escape_cdata, which only changes a text holding `&`, `<` or `>`, called only then."""
    return _escape_cdata(text) if "&" in text or "<" in text or ">" in text else text


def _write(write: Callable[[str], Any], el: Any) -> None:
    tag = el.tag
    if tag.__class__ is str:  # nearly every element
        opening, end, raw = _TAGS.get(tag) or _tag(tag)
        write(opening)
        items = el.items()
        if items:
            _attributes(write, items)
        write(">")
        text = el.text
        if text:
            write(text if raw else _text(text))
        for child in el:
            _write(write, child)
        if end:
            write(end)
    elif tag is Comment:
        write(f"<!--{_escape_cdata(el.text)}-->")
    elif tag is ProcessingInstruction:
        write(f"<?{_escape_cdata(el.text)}?>")
    elif tag is None:
        if el.text:
            write(_escape_cdata(el.text))
        for child in el:
            _write(write, child)
    else:  # a QName, or a tag of another type: as the stock serializer writes it
        namespace_uri = None
        if isinstance(tag, QName):
            if tag.text[:1] != "{":
                raise ValueError("QName objects must define a tag.")
            namespace_uri, tag = tag.text[1:].split("}", 1)
        write(f"<{tag}")
        items = el.items()
        if items:
            _attributes(write, items)
        if namespace_uri:
            write(f' xmlns="{_escape_attrib(namespace_uri)}"')
        write(">")
        if el.text:
            write(el.text if tag.lower() in ("script", "style") else _escape_cdata(el.text))
        for child in el:
            _write(write, child)
        if tag.lower() not in HTML_EMPTY:
            write(f"</{tag}>")
    tail = el.tail
    if tail:
        write(_text(tail))


def _attributes(write: Callable[[str], Any], items: list[tuple[Any, Any]]) -> None:
    for k, v in sorted(items):  # lexical order
        if isinstance(k, QName):
            k = k.text
        if isinstance(v, QName):
            v = v.text
        if v is None:  # a valueless attribute, written bare
            write(f" {k}")
        else:
            v = _escape_attrib_html(v)
            write(f" {v}" if k == v and k in _BOOLEAN else f' {k}="{v}"')


def to_html_string(element: Any) -> str:
    """markdown.serializers.to_html_string, by recursion (see the module)."""
    parts: list[str] = []
    try:
        _write(parts.append, element)
    except RecursionError:
        return serializers.to_html_string(element)
    return "".join(parts)


def install(md: markdown.Markdown) -> None:
    """Serialize with `to_html_string` when `md` writes HTML with the stock serializer."""
    if md.serializer is serializers.to_html_string:
        md.serializer = to_html_string
