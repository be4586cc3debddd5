"""Typographic quotes per language (issue 14): Italian «…» and ’, English “…” and ’, through Python-Markdown's
smarty extension; code, URLs and raw HTML attributes stay as written, and the sanitiser keeps the characters."""
from __future__ import annotations

from html.parser import HTMLParser

from ntc_site.render.markup import Converter

PAGES = {"it/altra.md": ("it/altra/", frozenset()), "en/other.md": ("en/other/", frozenset())}
BODY = """## L'area "nuova"

L'energia è "importante". Codice `l'x "y"` e [l'altra](https://example.org/a'b) <span title="it's &quot;q&quot;">x</span>

    code 'block' "q"
"""


class _Parts(HTMLParser):
    """Text outside code, text inside code, and attribute values of the converted HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.text, self.code, self.attributes, self.depth = [], [], [], 0

    def handle_starttag(self, tag, attrs):
        self.depth += tag == "code"
        self.attributes += [value for _, value in attrs if value]

    def handle_endtag(self, tag):
        self.depth -= tag == "code"

    def handle_data(self, data):
        (self.code if self.depth else self.text).append(data)


def parts(lang: str) -> _Parts:
    parser = _Parts()
    parser.feed(Converter().convert(BODY, 1, f"{lang}/p.md", PAGES.get, lambda _: "").html)
    return parser


def test_italian_gets_caporali_and_apostrophes():
    text = "".join(parts("it").text)
    assert "L’area «nuova»" in text and "L’energia è «importante»" in text and "l’altra" in text
    assert "'" not in text and '"' not in text and "“" not in text


def test_english_gets_curly_double_quotes_and_apostrophes():
    text = "".join(parts("en").text)
    assert "L’area “nuova”" in text and "«" not in text and "'" not in text and '"' not in text


def test_code_urls_and_html_attributes_are_left_as_written():
    for lang in ("it", "en"):
        p = parts(lang)
        assert "".join(p.code) == "l'x \"y\"code 'block' \"q\"\n"
        assert "https://example.org/a'b" in p.attributes and "it's \"q\"" in p.attributes


def test_one_converter_serves_both_languages_in_turn():
    converter = Converter()
    first = converter.convert('"a"', 1, "it/p.md", PAGES.get).html
    second = converter.convert('"a"', 1, "en/p.md", PAGES.get).html
    assert (first, second) == ("<p>«a»</p>", "<p>“a”</p>")
