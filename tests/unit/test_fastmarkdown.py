"""The faster Markdown passes (render/fastinline.py, fastblocks.py, fasttoc.py) give exactly the stock output.

Every real page, every fixture page, pages of the benchmark corpus, a list of block and inline constructs and
generated Markdown are converted by `Converter()` and by `Converter(fast=False)` (stock Python-Markdown with
the same extensions); the whole results must be equal: HTML, problems, ids, links, headings (issue 17).
"""
from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import TocTreeprocessor, slugify_unicode
from markdown.treeprocessors import InlineProcessor

from ntc_site.render import (
    fastblocks,
    fastinline,
    fastpasses,
    fastserialize,
    fasttoc,
    markup,
)

ROOT = Path(__file__).resolve().parents[2]
PAGES = {"it/a.md": "/it/a/", "en/a.md": "/en/a/", "it/b c.md": "/it/b-c/", "media/x.png": "/media/x.png"}
FAST, STOCK = markup.Converter(), markup.Converter(fast=False)
# Block constructs, each with and without what its processor looks for, and headings that collide.
CASES = [
    "# One\n\n## One\n\n## One\n\n### One_1\n\n## One_1\n\n#### One {#one}\n\n## Two {#one_2}\n\n## Two\n\nTwo\n---",
    "## Città e qualità — l'idea\n\n## \"Quoted\" *em* `code`\n\n## A &amp; B < C > D\n\n##   spaced   out   ##\n\n"
    "## a &amp b &copy c\n\n## x <3 y\n\n## [link](a.md) and ![img](../media/x.png)\n\n"
    "## <span>raw</span> tail\n\n## \\*escaped\\*\n\n##\n\n## 2020",
    "Title\n=====\n\nSub\n---\n\nnot a heading\n- no\n\ntext\n\n---\n\n- - -\n\n***\n\n___\n\n* * *\n\na - b _ c * d",
    "a | b\n--|--\n1 | 2\n\n| one |\n| --- |\n| x |\n\nno | table\nhere\n\n|a|\n|-|\n\npipe \\| escaped",
    "> quote\n> more\n\n>nested\n>> deeper\n\nnot > a quote\n\n  > indented quote",
    "Term\n: definition\n\nTerm 2\n:   def *em*\n\n    indented more\n\n: no term\n\na: b\n\n:colon",
    "*[HTML]: Hyper Text Markup\n*[W3C]:  World Wide Web\n\nHTML and W3C and HTMLX.\n\n*[x] not an abbr",
    "[r]: a.md \"Title\"\n[s]: <a.md>\n  'Other'\n\nUse [r] and [s][] and [x][r].\n\n[ not ]: a ref\n\ntext ]: here",
    "1. one\n2. two\n\n   para in item\n\n3. three\n\n- a\n    - nested\n        1. deep\n\n* star\n+ plus\n\n1) paren",
    "  1. indented one\n  2. two\n\n - dash\n - dash\n\n١. an Arabic-Indic digit\n\n   * three spaces",
    "    code\n\n\n\n    more code\n\n\n\n\nafter",
    "```python\ncode # not heading\n> not quote\n```\n\n~~~\ntilde\n~~~\n\n    indented\n    code\n\n\ttab code",
    "<div markdown=\"1\">\n# not a heading\n</div>\n\n<!-- comment -->\n\n<p>raw para</p>\n\ntext <b>bold</b>",
    "[TOC]\n\n# A\n\n## B\n\n### C",
    "Escapes in attributes only: [x](a.md \"t \\* t\") ![alt \\* x](../media/x.png)",
    "Para {: .cls #pid }\n\n## Heading {: .h data-toc-label=\"Label\" }\n\n- item {: .li }\n\n"
    "| a {: .x } |\n|---|\n| b |",
    "line  \nbreak\\\nand *em\nacross* lines\n\n\n\n\nmany blank lines\n \n \nspaces",
    "'Tis \"quoted\" 'single' '80s rock 'n' roll. l'anno, all'inizio: “già” «così».",
    "Dashes -- and --- and dots... stay as written (smarty without dashes and ellipses).",
    "_*1 *em* \\>*_ **a *b* `c`** *a [l](a.md) b* ***x* y** _[*l*](a.md)_ *a &amp; b* **\\* x**",
    "[link](a.md#frag) [same](#local) [ext](https://example.org/a?b=1&c=2) <https://x.org> <me@x.org>\n\n"
    "[bad](javascript:alert(1)) [abs](/it/a/) [missing](zz.md) ![](../media/x.png) ![alt](../media/x.png)",
    "",
    "   \n\n  ",
]


def _load_corpus_module():
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "bench" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _body(text: str) -> str:
    return text.split("---\n", 2)[2] if text.startswith("---\n") and text.count("---\n") >= 2 else text


def _bodies() -> list[tuple[str, str]]:
    bodies = [(f"{lang}/p.md", case) for case in CASES for lang in ("it", "en")]
    for folder in ("content", "tests/fixtures"):  # every real page, in both typographies
        for path in sorted((ROOT / folder).rglob("*.md")):
            body = _body(path.read_text(encoding="utf-8"))
            bodies += [(f"it/{path.name}", body), (f"en/{path.name}", body)]
    corpus = _load_corpus_module()
    for lang in corpus.LANGS:  # the benchmark's pages
        bodies += [(f"{lang}/p.md", _body(corpus.page_text(i, 40, lang, 1234))) for i in range(1, 41)]
    return bodies


def _result(converter: markup.Converter, source: str, body: str) -> markup.MarkupResult:
    return converter.convert(body, 3, source, PAGES.get, lambda path: f"no page {path}")


def test_the_converter_uses_the_fast_passes_and_the_stock_one_does_not():
    for md in FAST.by_lang.values():
        assert type(md.treeprocessors["inline"]) is type(md.treeprocessors["smarty"]) is fastinline.FastInline
        assert type(md.treeprocessors["toc"]) is fasttoc.HeadingIds
        assert "parse_blocks" in md.parser.parseBlocks.__qualname__
        assert md.serializer is fastserialize.to_html_string
        known = [fastblocks.needs(p) for p in md.parser.blockprocessors]
        assert known[-1] is None and None not in known[:-1], "a block processor changed: it is now always tried"
    for md in STOCK.by_lang.values():
        assert type(md.treeprocessors["inline"]) is InlineProcessor
        assert type(md.treeprocessors["toc"]) is TocTreeprocessor
    for fast, stock in zip(FAST.by_lang.values(), STOCK.by_lang.values()):  # every pass in its place
        for registry in ("preprocessors", "treeprocessors", "postprocessors", "inlinePatterns"):
            order = []
            for md in (fast, stock):
                getattr(md, registry)._sort()
                order.append([name for name, _ in getattr(md, registry)._priority])
            assert order[0] == order[1], registry


def test_every_page_gives_the_stock_result():
    bodies = _bodies()
    assert len(bodies) > 200
    for source, body in bodies:
        assert _result(FAST, source, body) == _result(STOCK, source, body), (source, body[:200])


def test_the_extensions_built_from_their_classes_are_those_named_with_their_settings():
    """Converter makes its extensions from their classes (a name costs a search of every installed package's
    entry points): the stock converter must give what the names with their settings give."""
    named = markup.Converter(fast=False)
    for lang, quotes in markup.QUOTES.items():
        named.by_lang[lang] = markdown.Markdown(
            extensions=["tables", "attr_list", "sane_lists", "fenced_code", "def_list", "abbr", "toc", "smarty",
                        markup._Extension(named.state)],
            extension_configs={"toc": {"slugify": slugify_unicode, "toc_depth": "2-4"},
                               "smarty": {"smart_dashes": False, "smart_ellipses": False, "substitutions": quotes}},
            output_format="html")
    for source, body in _bodies():
        assert _result(named, source, body) == _result(STOCK, source, body), (source, body[:200])


WORDS = st.sampled_from(["word", "città", "l'anno", '"q"', "'s'", "*em*", "**b**", "_u_", "`c`", "[l](a.md)",
                         "![i](../media/x.png)", "[r]", "&amp;", "&", "<b>x</b>", "<", ">", "\\*", "{#id}",
                         "{: .c }", "#", "|", ":", "-", "=", "*[", "]:", "  \n", "[TOC]", "1.", "~~~", "```",
                         "_*", "*_", "__", "**", "\\>", "\\_", "<https://x.org>", "&#39;", "\\'"])
LINE = st.lists(st.one_of(WORDS, st.text(alphabet="ab #*_-=>:|[]()!`'\"&<>\\{}.1~ ", max_size=6)),
                max_size=8).map(" ".join)
PREFIX = st.sampled_from(["", "", "", "# ", "## ", "### ", "> ", "- ", "* ", "1. ", ": ", "    ", "| ", "*[A]: ",
                          "[r]: ", "  ", "\t", " 2. ", "   - ", "٣. "])
BLOCK = st.lists(st.tuples(PREFIX, LINE).map("".join), min_size=1, max_size=4).map("\n".join)
UNDERLINE = st.sampled_from(["", "", "===", "---", "- - -", "***", "| --- | --- |", "--|--"])
DOCUMENT = st.lists(st.tuples(BLOCK, UNDERLINE).map(lambda b: f"{b[0]}\n{b[1]}" if b[1] else b[0]),
                    max_size=8).flatmap(lambda blocks: st.sampled_from(["\n\n", "\n", "\n\n\n"]).map(
                        lambda sep: sep.join(blocks)))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENT, st.sampled_from(["it/p.md", "en/p.md"]))
@example("## x\n\n## x\n\n## x_1", "it/p.md")
@example("_*1 *em* \\>*_", "it/p.md")  # emphasis in emphasis, the inner text holding only a placeholder
def test_generated_markdown_gives_the_stock_result(body: str, source: str):
    assert _result(FAST, source, body) == _result(STOCK, source, body)


def test_the_text_of_a_tree_holds_every_text_and_tail_with_either_elementtree(monkeypatch):
    """Whole passes are skipped on what `tree_text` holds: it must hold a comment's text too, which the C
    ElementTree's itertext gives and the Python one leaves out."""
    from test.support.import_helper import import_fresh_module
    for etree, has_comments in ((ET, fastpasses._ITERTEXT_HAS_COMMENTS),
                                (import_fresh_module("xml.etree.ElementTree", blocked=["_elementtree"]), False)):
        monkeypatch.setattr(fastpasses, "_ITERTEXT_HAS_COMMENTS", has_comments)
        root = etree.fromstring("<div>a<p>b<b>c</b>d</p>e<code>f</code></div>")
        comment = etree.Comment("'quoted'")
        comment.tail = "g"
        root[0].append(comment)
        text = fastpasses.tree_text(root)
        assert all(piece in text for piece in "abcdefg") and "'quoted'" in text


class Tag(str):
    """A tag that is a string of another type (the serializer writes it as any string)."""


TAGS = st.sampled_from(["p", "div", "a", "img", "br", "hr", "script", "style", "td", "SPAN", "Br", None,
                        ET.Comment, ET.ProcessingInstruction, ET.QName("{urn:x}svg"), Tag("em"), Tag("BR")])
TEXTS = st.one_of(st.none(), st.text(alphabet="ab <>&\"'\n;#x", max_size=8),
                  st.sampled_from(["&amp;", "&#169;", "&copy", "a & b"]))
ATTRS = st.dictionaries(st.sampled_from(["href", "id", "class", "checked", "open", "title", "reversed"]),
                        st.one_of(TEXTS, st.sampled_from(["checked", "open", "reversed"])), max_size=3)


@st.composite
def trees(draw, depth: int = 0):
    tag = draw(TAGS)
    if tag is ET.Comment or tag is ET.ProcessingInstruction:
        el = tag(draw(st.text(alphabet="ab<>&", max_size=5)))
    else:
        el = ET.Element(tag, {k: v for k, v in draw(ATTRS).items()})
        el.text = draw(TEXTS)
        if depth < 3:
            el.extend(draw(st.lists(trees(depth + 1), max_size=3)))
    el.tail = draw(TEXTS)
    return el


@settings(max_examples=300, deadline=None)
@given(trees())
def test_the_serializer_writes_any_tree_as_the_stock_one(tree):
    from markdown import serializers
    assert fastserialize.to_html_string(tree) == serializers.to_html_string(tree)


def test_a_tree_too_deep_for_the_recursion_is_written_by_the_stock_serializer():
    from markdown import serializers
    root = el = ET.Element("div")
    for _ in range(5000):
        el = ET.SubElement(el, "div")
    assert fastserialize.to_html_string(root) == serializers.to_html_string(root)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["javascript:", "JaVaScRiPt:", "data:", "vbscript:", "file:", "java",
                                           "script:", " ", "\t", "\n", "\x00", "\x7f", "\u00a0", "\u2028", "İ"]),
                          st.text(max_size=3)), max_size=6).map("".join))
def test_a_forbidden_scheme_is_found_as_by_the_plain_rule(url: str):
    """dangerous_url skips dropping characters from a link that has none to drop: the same answer."""
    squashed = "".join(c for c in url if c > " " and c != "\x7f").lower()
    assert markup.dangerous_url(url) == squashed.startswith(("javascript:", "vbscript:", "data:", "file:"))
