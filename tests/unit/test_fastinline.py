"""The faster inline pass (render/fastinline.py) gives exactly the stock Python-Markdown output (issue 17)."""
from __future__ import annotations

from pathlib import Path

import pytest
from markdown.treeprocessors import InlineProcessor

from ntc_site.render import fastinline, markup

ROOT = Path(__file__).resolve().parents[2]
PAGES = {"it/a.md": "/it/a/", "en/a.md": "/en/a/", "media/x.png": "/media/x.png"}
# Every inline construct, each next to and without the characters its pattern needs.
CASES = [
    "plain words only, nothing to do",
    "l'innovazione e l’altra: 'virgolette' e \"doppie\" e '80s, \"'misti'\" e '\"altri\"'",
    "'Tis the start. \"Quoted\". 'single'. \"'nested'\" and '\"nested\"'. rock 'n' roll. It's 'x'.",
    "\"starts quoted.\" ' lone ' \" lone \" end'", "'.x '. \"!y\"", "x\u2014'dash' &mdash;\"ent\"",
    "code `a 'b' \"c\"` and ``double `tick` `` and \\`not code\\` \\\\`esc`",
    "escapes \\* \\_ \\[ \\] \\' \\\" \\\\ \\< \\& \\`",
    "[link](a.md) ![img](../media/x.png) [ref][r] [short] ![alt][i] [r]\n\n[r]: a.md\n[i]: ../media/x.png\n"
    "[short]: a.md",
    "[link with 'quotes' and *em*](a.md \"title 'x'\")",
    "<https://example.org/x?a=1&b=2> <me@example.org> <span class=\"x\">raw 'html'</span> <!-- c -->",
    "entities &amp; &#169; &#x2014; &nbsp; &bogus and a & b",
    "line one  \nline two\\\nline three",
    "*em* **strong** ***both*** _u_ __uu__ a*b*c snake_case_word * not em * _ not _ **'q'**",
    "| a | 'b' |\n|---|---|\n| *c* | [d](a.md) |\n| `e` | \"f\" |",
    "# Heading 'one' {#h1}\n\n## Two \"x\" *em*\n\nText {: .cls }\n\nPara with attr\n{: #pid }",
    "Term 'x'\n:   Definition \"y\" with *em*\n\n*[HTML]: Hyper Text\n\nHTML is 'here'.",
    "```\ncode 'block' \"x\" *not em* [not link](a.md)\n```\n\n    indented 'code' *x*",
    "> quote 'x'\n> *em* [l](a.md)\n\n- item 'a'\n- item *b*\n\n1. one \"x\"\n2. two",
    "<div>block 'html' *x*</div>\n\nafter \"it\"",
    "",
]


def _convert_all(converter: markup.Converter, bodies: list[tuple[str, str]]) -> list[tuple[str, list]]:
    out = []
    for source, body in bodies:
        r = converter.convert(body, 1, source, PAGES.get, lambda _: "")
        out.append((r.html, r.problems))
    return out


def _bodies() -> list[tuple[str, str]]:
    bodies = [(f"{lang}/p.md", case) for case in CASES for lang in ("it", "en")]
    for folder in ("content", "tests/fixtures"):  # every real page, in both typographies
        for path in sorted((ROOT / folder).rglob("*.md")):
            text = path.read_text(encoding="utf-8")
            body = text.split("---\n", 2)[2] if text.startswith("---\n") and text.count("---\n") >= 2 else text
            bodies += [(f"it/{path.name}", body), (f"en/{path.name}", body)]
    return bodies


def test_the_fast_inline_pass_gives_the_stock_output(monkeypatch: pytest.MonkeyPatch):
    bodies = _bodies()
    assert len(bodies) > 60
    fast = markup.Converter()
    assert all(type(md.treeprocessors[name]) is fastinline.FastInline
               for md in fast.by_lang.values() for name in ("inline", "smarty"))
    monkeypatch.setattr(fastinline, "install", lambda md: None)
    stock = markup.Converter()
    assert type(stock.md.treeprocessors["inline"]) is InlineProcessor
    assert _convert_all(fast, bodies) == _convert_all(stock, bodies)


def test_every_pattern_of_the_converter_is_known():
    """A pattern without a known need is always tried (correct but slow): say so when Markdown changes."""
    md = markup.Converter().md
    for name in ("inline", "smarty"):
        patterns = list(md.treeprocessors[name].inlinePatterns)
        assert patterns and all(fastinline._needs(p) for p in patterns), name
