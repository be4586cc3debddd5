"""Property-based tests (issue 9): whatever an editor writes, the answer is a value or a located problem.

Front matter, records, slugs and URLs are fed generated input; no input may raise, and every problem must
name the file and a line inside it.
"""
from __future__ import annotations

import string
import unicodedata
from html.parser import HTMLParser
from urllib.parse import unquote

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ntc_site import urls
from ntc_site.load import content, records, yamlfile
from ntc_site.load import specs as schema
from ntc_site.problems import Problem
from ntc_site.render import markup

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEYS = ["title", "description", "slug", "translation_key", "date", "updated", "draft", "menu", "weight",
        "template", "acronym", "name", "area", "website", "founded", "headquarters", "sources", "url", "fields",
        "it", "en", "call_year", "city", "x"]
# Characters that matter to YAML, Markdown, URLs and paths, plus anything at all.
TRICKY = st.sampled_from(list(":-#&*!|>'\"%@`{}[],?\t\r\n \\/.\x00\x1b\u202e\ufeff\u00e9e\u0301") +
                         ["---", "&a", "*a", "!!python/object:os.system", "<<: ", "javascript:", "\xff"])
TEXT = st.lists(st.one_of(TRICKY, st.text(max_size=5)), max_size=25).map("".join)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                    st.dates(), TEXT, st.sampled_from(["https://example.org/", "javascript:alert(1)", "2012"]))
DOCS = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)), max_leaves=25)


def located(problems: list[Problem], path: str, lines: int) -> None:
    assert problems, "a refusal without a problem"
    for problem in problems:
        assert isinstance(problem, Problem) and problem.path == path and problem.message
        assert 0 <= problem.line <= lines + 1, problem


@SETTINGS
@given(st.one_of(TEXT, DOCS.map(lambda d: "---\n" + yaml.safe_dump(d, allow_unicode=True) + "---\nbody\n"),
                 st.tuples(DOCS, TEXT).map(lambda p: f"---\n{yaml.safe_dump(p[0])}---\n{p[1]}")))
def test_front_matter_gives_a_page_or_located_problems(text: str):
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    page, problems = content.parse_page(text, "it", "sezione/pagina.md", "content/it/sezione/pagina.md")
    if page is None:
        located(problems, "content/it/sezione/pagina.md", text.count("\n") + 1)
    else:
        assert problems == [] and page.title and page.body_line >= 3
        assert all(content.segment_problem(s) == "" for s in page.segments)


@SETTINGS
@given(st.integers(0, 1500), st.sampled_from([("[", "]"), ("{a: ", "}"), ("- ", "")]))
def test_nesting_of_any_depth_gives_a_value_or_a_located_problem(depth: int, brackets: tuple[str, str]):
    open_, close = brackets
    nested = open_ * depth + "1" + close * depth if close else "".join(f"\n{'  ' * i}- " for i in range(depth)) + "1"
    text = f"---\ntitle: x\nmenu: {nested}\n---\n"
    page, problems = content.parse_page(text, "it", "a.md", "content/it/a.md")
    assert page is None  # `menu` is text: a number, a list or a mapping at any depth is refused
    located(problems, "content/it/a.md", text.count("\n") + 1)
    assert len(problems) == 1 and problems[0].line >= 3
    assert ("'menu' must be text" in problems[0].message) == (depth < 64), problems[0].message


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_decode_to_text_or_a_located_problem(raw: bytes):
    text, problems = yamlfile.decode(raw, "f.yaml")
    if text is None:
        located(problems, "f.yaml", raw.count(b"\n") + 1)
    else:
        assert "\r" not in text and not text.startswith("\ufeff") and unicodedata.is_normalized("NFC", text)


@SETTINGS
@given(st.one_of(TEXT, DOCS.map(lambda d: yaml.safe_dump(d, allow_unicode=True))),
       st.sampled_from(sorted(records.SPECS)))
def test_records_validate_to_a_value_or_located_problems(text: str, kind: str):
    text, problems = yamlfile.decode(text.encode("utf-8", "surrogatepass"), "content/x.yaml")
    if text is None:  # lone surrogates are not UTF-8
        located(problems, "content/x.yaml", 1)
        return
    lines = text.count("\n") + 1
    doc, problems = yamlfile.parse(text, "content/x.yaml")
    if doc is None:
        located(problems, "content/x.yaml", lines)
        return
    value, problems = schema.validate(doc, records.SPECS[kind])
    if problems:
        located(problems, "content/x.yaml", lines)
    else:
        assert isinstance(value, dict) and set(value) == {k for k, _ in records.SPECS[kind].fields}
        for key in ("website",):
            assert value.get(key) is None or schema.url_problem(value[key]) == ""


@SETTINGS
@given(st.text(max_size=30))
def test_a_slug_is_refused_or_gives_a_safe_ascii_url(segment: str):
    segment = unicodedata.normalize("NFC", segment)
    if content.segment_problem(segment):
        return
    path = urls.page_path("it", ("sezione", segment))
    href = urls.Urls("https://example.org/ntc-site/").href(path)
    assert href.isascii() and not set(href) & set(" \"'<>\\?#\x00")
    parts = href.split("/")
    assert ".." not in parts and "." not in parts and "" not in parts[1:-1]
    assert unquote(href) == "/ntc-site/" + path
    assert href.startswith("/ntc-site/it/sezione/") and href.endswith("/") and href.count("/") == 5


def browser_scheme(url: str) -> str:
    """The scheme a browser reads (WHATWG URL parsing): tab and newline removed anywhere, C0 controls and
    spaces trimmed at the ends, then the letters before the first ':'."""
    cleaned = "".join(c for c in url if c not in "\t\n\r").strip("".join(map(chr, range(0x21))))
    scheme, colon, _ = cleaned.partition(":")
    return scheme.lower() if colon else ""


URLS = st.one_of(
    st.text(alphabet=string.printable + "\x00\x01\x0b\u00a0\u200b\u202e", max_size=40),
    st.tuples(st.sampled_from(["javascript", "JavaScript", "vbscript", "data", "file", "http", "https", "mailto"]),
              st.sampled_from(["", " ", "\t", "\n", "\x00", "\x1f"]), st.text(max_size=10)).map(
        lambda t: f"{t[1]}{t[0][:2]}{t[1] if t[1] in chr(9) + chr(10) else ''}{t[0][2:]}:{t[2]}"))


@SETTINGS
@given(URLS)
def test_url_checks_never_crash_and_agree(url: str):
    problem = schema.url_problem(url)
    assert isinstance(problem, str)
    if not problem:
        assert url.strip().lower().startswith(("http://", "https://")) and not markup.dangerous_url(url)
    if browser_scheme(url) in ("javascript", "vbscript", "data", "file"):  # what a browser would run or open
        assert markup.dangerous_url(url) and problem, url
    if markup.dangerous_url(url):
        assert problem, url


@SETTINGS
@given(st.sampled_from(["javascript", "vbscript", "data"]), st.lists(st.sampled_from(
    ["", " ", "\t", "\n", "\x00", "\x01", "\x1f", "\x7f"]), min_size=10, max_size=10), st.randoms())
def test_dangerous_schemes_are_caught_however_they_are_spelled(scheme: str, noise: list[str], rnd):
    spelled = "".join(c.upper() if rnd.random() < 0.5 else c for c in scheme + ":")
    mangled = "".join(noise[i % len(noise)] + c for i, c in enumerate(spelled)) + "alert(1)"
    assert markup.dangerous_url(mangled)
    assert schema.url_problem(mangled)


CONVERTER = markup.Converter()


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.found += [(tag, name, value or "") for name, value in attrs]


@SETTINGS
@given(TEXT, TEXT)
def test_markdown_links_become_safe_hrefs_or_located_problems(label: str, url: str):
    body = f"Testo\n\n[{label}]({url}) e <a href=\"{url}\" onclick=\"{label}\">{label}</a>\n"
    result = CONVERTER.convert(body, 4, "it/p.md", {"it/a.md": "/s/it/a/"}.get)
    for line, message, _hint in result.problems:
        assert 4 <= line <= 4 + body.count("\n") and message
    parser = _Attributes()
    parser.feed(result.html)
    for tag, name, value in parser.found:
        assert tag in markup.ALLOWED_TAGS and not name.startswith("on")
        assert not markup.dangerous_url(value), (tag, name, value)
