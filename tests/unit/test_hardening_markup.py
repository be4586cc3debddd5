"""Hostile Markdown (issue 9): dangerous links refused with their line; raw HTML reduced to the allow-list."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from ntc_site.render import markup
from ntc_site.render.markup import Converter

PAGES = {"it/a.md": "/s/it/a/", "media/x.png": "/s/media/x.png"}


def convert(body: str) -> markup.MarkupResult:
    return Converter().convert(body, 10, "it/p.md", PAGES.get)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                                 "java\tscript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>x</script>",
                                 "DATA:image/svg+xml;base64,PHN2Zz4=", "file:///etc/passwd"])
def test_dangerous_urls_are_detected(url: str):
    assert markup.dangerous_url(url)


@pytest.mark.parametrize("body, line", [
    ("intro\n\n[x](javascript:alert(1))", 12), ("[x](vbscript:msgbox(1))", 10),
    ("![i](data:image/png;base64,AAAA)", 10), ("[x][r]\n\n[r]: javascript:alert(1)", 12),
    ("[x](<javascript:alert(1)>)", 10), ("[x](JAVASCRIPT:alert(1) \"t\")", 10),
])
def test_dangerous_markdown_links_are_refused_with_their_line(body: str, line: int):
    result = convert(body)
    assert [(l, "forbidden scheme" in m) for l, m, _ in result.problems] == [(line, True)]
    assert "javascript" not in result.html.lower() and "data:" not in result.html


@pytest.mark.parametrize("url, message", [
    ("/etc/passwd", "relative path"), ("..\\..\\x.md", "relative path"), ("C:/x.md", "relative path"),
    ("../../../etc/passwd", "outside the content folder"), ("&#106;avascript:alert(1)", "missing source"),
])
def test_absolute_backslash_and_escaping_link_paths_are_refused(url: str, message: str):
    result = convert(f"[x]({url})")
    assert len(result.problems) == 1 and message in result.problems[0][1]
    assert result.html == '<p><a href="#">x</a></p>'


HOSTILE_HTML = """<script>alert(1)</script>
<iframe src="https://evil.example/"></iframe>
<img src="x.png" onerror="alert(1)" alt="a">
<a href="javascript:alert(1)" onclick="alert(1)">a</a>
<a href="&#x6A;avascript:alert(1)">b</a>
<a href="data:text/html,x">c</a>
<svg onload="alert(1)"><circle r="1"/></svg>
<object data="x.swf"></object><embed src="x.swf">
<form action="https://evil.example/"><input name="q"></form>
<style>body{display:none}</style>
<div style="background:url(javascript:alert(1))">styled</div>
<base href="https://evil.example/">
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<math><mi xlink:href="javascript:alert(1)">m</mi></math>
<p>Para</p>
{: onclick="alert(1)" }
"""


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def elements(fragment: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(fragment)
    return parser.elements


def test_raw_html_loses_scripts_frames_handlers_and_dangerous_urls():
    found = elements(convert(HOSTILE_HTML).html)
    assert {tag for tag, _ in found} <= markup.ALLOWED_TAGS
    assert {tag for tag, _ in found} == {"p", "img", "a", "div"}
    for tag, attrs in found:
        assert not [a for a in attrs if a.startswith("on") or a in ("style", "xlink:href")], (tag, attrs)
        for name in ("href", "src"):
            assert not markup.dangerous_url(attrs.get(name, "")), (tag, attrs)


def test_the_allowed_subset_survives():
    kept = ('<details><summary>More</summary><p>x</p></details>'
            '<table><caption>C</caption><tbody><tr><th scope="col">h</th></tr><tr><td colspan="2">d</td></tr></tbody>'
            '</table>'
            '<p><abbr title="Cluster Tecnologici Nazionali">CTN</abbr> <a href="https://example.org/" hreflang="it">'
            'l</a> <time datetime="2024-01-01">1 gen</time> <img src="x.png" alt="a" width="10" height="5"></p>')
    assert markup.sanitize(kept) == kept


def test_links_to_other_hosts_get_no_rel_or_target_added_and_keep_http():
    assert markup.sanitize('<a href="https://example.org/" target="_blank">x</a>') == \
        '<a href="https://example.org/">x</a>'


def test_the_editors_documentation_names_every_allowed_element_and_attribute():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "hardening.md").read_text(encoding="utf-8")
    allowed = doc.split("## Raw HTML allowed in Markdown")[1].split("## Refused")[0]
    names = markup.ALLOWED_TAGS - {f"h{n}" for n in range(2, 7)}
    names |= {a for attrs in markup.ALLOWED_ATTRIBUTES.values() for a in attrs}
    assert not [n for n in sorted(names) if f"`{n}`" not in allowed]
    assert "`h2` to `h6`" in allowed
    assert not [s for s in sorted(markup.URL_SCHEMES) if f"`{s}:`" not in allowed]
