"""End to end: the fixture site built once, asserted on parsed HTML, sitemap and files."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from support import FIXTURE, run, tree


class Parsed(HTMLParser):
    """Just enough of an HTML parse for assertions: tags with attributes, and text per tag."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def page(site: Path, path: str) -> Parsed:
    return Parsed((site / path).read_text(encoding="utf-8"))


def test_pretty_urls_for_pages_records_and_lists(built_site: Path):
    for path in ("it/index.html", "en/index.html", "it/chi-siamo/index.html", "en/about/index.html",
                 "it/cluster/index.html", "it/cluster/alpha/index.html", "en/clusters/alpha/index.html",
                 "it/aree/alpha/index.html", "en/areas/alpha/index.html", "404.html", "index.html",
                 "sitemap.xml", "robots.txt", ".nojekyll", "assets/site.css", "media/logo.svg"):
        assert (built_site / path).is_file(), path


def test_html_lang_canonical_and_reciprocal_hreflang(built_site: Path):
    it, en = page(built_site, "it/chi-siamo/index.html"), page(built_site, "en/about/index.html")
    assert it.find("html")[0]["lang"] == "it" and en.find("html")[0]["lang"] == "en"
    it_url, en_url = "https://example.org/ntc-site/it/chi-siamo/", "https://example.org/ntc-site/en/about/"
    assert it.find("link", rel="canonical")[0]["href"] == it_url
    for doc in (it, en):
        alternates = {a["hreflang"]: a["href"] for a in doc.find("link", rel="alternate")}
        assert alternates == {"it": it_url, "en": en_url, "x-default": it_url}


def test_switcher_lands_on_the_partner_or_says_there_is_none(built_site: Path):
    it = page(built_site, "it/chi-siamo/index.html")
    assert it.find("a", hreflang="en", lang="en")[0]["href"] == "/ntc-site/en/about/"
    lonely = page(built_site, "it/solo-italiano/index.html")
    assert "Questa pagina non è tradotta in inglese." in "".join(lonely.text)
    assert not lonely.find("link", hreflang="en")


def test_source_links_are_rewritten_under_the_subpath(built_site: Path):
    home = page(built_site, "it/index.html")
    hrefs = [a.get("href") for a in home.find("a")]
    assert "/ntc-site/it/chi-siamo/#contatti" in hrefs and "/ntc-site/it/cluster/" in hrefs
    assert all(not h.startswith("/it/") for h in hrefs if h)
    about = page(built_site, "it/chi-siamo/index.html")
    assert about.find("img", src="/ntc-site/media/logo.svg")
    assert about.find("h2", id="contatti") and about.find("table")


def test_locale_dates(built_site: Path):
    assert "5 marzo 2024" in "".join(page(built_site, "it/index.html").text)
    assert "March 5, 2024" in "".join(page(built_site, "en/index.html").text)


def test_root_index_chooses_language_without_javascript(built_site: Path):
    root = page(built_site, "index.html")
    hrefs = [a["href"] for a in root.find("a")]
    assert hrefs == ["/ntc-site/it/", "/ntc-site/en/"]
    assert not root.find("script")


def test_404_works_at_any_depth(built_site: Path):
    doc = page(built_site, "404.html")
    links = [a["href"] for a in doc.find("a")] + [l["href"] for l in doc.find("link")]
    assert all(h.startswith("/ntc-site/") for h in links)


def test_sitemap_lists_pages_with_alternates(built_site: Path):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = ET.parse(built_site / "sitemap.xml").getroot().findall("s:url", ns)
    locs = {u.find("s:loc", ns).text: u for u in urls}
    about = locs["https://example.org/ntc-site/it/chi-siamo/"]
    alternates = {l.get("hreflang"): l.get("href") for l in about.findall("x:link", ns)}
    assert alternates["en"] == "https://example.org/ntc-site/en/about/" and "x-default" in alternates
    assert "https://example.org/ntc-site/it/solo-italiano/" in locs
    assert (built_site / "robots.txt").read_text().endswith("Sitemap: https://example.org/ntc-site/sitemap.xml\n")


def test_cluster_page_shows_record_and_organization_json_ld(built_site: Path):
    import json
    html = (built_site / "it/cluster/alpha/index.html").read_text()
    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    data = json.loads(block)
    assert data["@type"] == "Organization" and data["foundingDate"] == "2012"
    assert data["address"]["addressLocality"] == "Roma" and "https://example.org/source-b" in html


def test_builds_are_deterministic_each_from_an_empty_cache(tmp_path: Path, built_site: Path, monkeypatch):
    trees = []
    for name in ("first", "second"):
        cache = tmp_path / f"cache-{name}"
        monkeypatch.setenv("NTC_CACHE_DIR", str(cache))
        assert not cache.exists()
        assert run("build", "--content", FIXTURE / "content", "--out", tmp_path / name) == 0
        assert any(cache.glob("build-*.pickle"))  # the build really used this (empty) cache
        trees.append(tree(tmp_path / name))
    assert trees[0] == trees[1]
    assert trees[0] == tree(built_site)  # and a build from the suite's shared cache makes the same bytes


def test_base_url_override_and_cname(site_copy: Path, tmp_path: Path):
    settings = site_copy / "content" / "site.yaml"
    settings.write_text(settings.read_text().replace("cname: null", "cname: dati.example.org"))
    out = tmp_path / "out"
    assert run("build", "--content", site_copy / "content", "--out", out, "--base-url", "https://dati.example.org") == 0
    assert (out / "CNAME").read_text() == "dati.example.org\n"
    assert page(out, "it/index.html").find("link", rel="stylesheet")[0]["href"] == "/assets/site.css"


def test_check_validates_without_writing(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("check", "--content", FIXTURE / "content") == 0
    assert list(tmp_path.iterdir()) == []


def test_usage_errors_exit_2(tmp_path: Path):
    assert run("bogus") == 2
    assert run("build", "--content", tmp_path / "missing") == 2


def test_media_with_spaces_hash_and_question_mark_are_linked_to_the_file(site_copy: Path, tmp_path: Path):
    from urllib.parse import unquote, urlsplit
    content = site_copy / "content"
    (content / "media" / "my file.png").write_bytes(b"\x89PNG\r\n\x1a\nspace")
    (content / "media" / "a#b?.pdf").write_bytes(b"%PDF-1.4 hash")
    page = content / "it" / "chi-siamo.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![uno](../media/my%20file.png) e [due](../media/a%23b%3F.pdf)"
                    "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run("build", "--content", content, "--out", out) == 0
    parsed = Parsed((out / "it/chi-siamo/index.html").read_text(encoding="utf-8"))
    src = [a["src"] for a in parsed.find("img") if a.get("alt") == "uno"]
    href = [a["href"] for a in parsed.find("a") if "media/" in a.get("href", "")]
    assert src == ["/ntc-site/media/my%20file.png"] and href == ["/ntc-site/media/a%23b%3F.pdf"]
    for url, data in ((src[0], b"\x89PNG\r\n\x1a\nspace"), (href[0], b"%PDF-1.4 hash")):
        parts = urlsplit(url)
        assert not parts.fragment and not parts.query  # the whole name is the path a browser asks for
        assert (out / unquote(parts.path.removeprefix("/ntc-site/"))).read_bytes() == data
