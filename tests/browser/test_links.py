"""Every link, stylesheet, script and image a built page points to inside the site answers 200 from the
server under the subpath, and every #fragment names an element of its target page. Download links
(under /ntc-site/data/) are among them."""
from __future__ import annotations

import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser
ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action"}


class Targets(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        name = ATTRIBUTES.get(tag)
        if name and values.get(name) and not (tag == "link" and values.get("rel") in ("canonical", "alternate")):
            self.urls.append(values[name])


def parse(html: str) -> Targets:
    parser = Targets()
    parser.feed(html)
    return parser


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def site_links(site) -> dict[str, set[str]]:
    """Every in-site URL (fragment included) -> the pages that link to it."""
    found: dict[str, set[str]] = {}
    for file in site.html_files():
        page_url = site.url(site.site_path(file))
        for url in parse(file.read_text(encoding="utf-8")).urls:
            absolute = urljoin(page_url, url)
            if absolute.startswith(site.origin):
                found.setdefault(absolute, set()).add(page_url)
            else:
                assert urlsplit(absolute).scheme in ("https", "http", "mailto"), f"{url} on {page_url}"
    return found


@pytest.mark.parametrize("which", ["real_site", "fixture_site"])
def test_every_link_inside_the_site_resolves(which, request):
    site = request.getfixturevalue(which)
    links = site_links(site)
    assert any("/data/" in url for url in links) or which == "fixture_site", "no download link found"
    broken = []
    ids: dict[str, set[str]] = {}
    for url, pages in sorted(links.items()):
        plain, fragment = urldefrag(url)
        if not plain.startswith(site.base):
            broken.append(f"{url} leaves the subpath {site.base} (linked from {min(pages)})")
            continue
        code = status(plain)
        if code != 200:
            broken.append(f"{url}: HTTP {code} (linked from {min(pages)})")
        elif fragment and plain.endswith("/"):
            if plain not in ids:
                with urllib.request.urlopen(plain, timeout=10) as response:
                    ids[plain] = parse(response.read().decode("utf-8")).ids
            if fragment not in ids[plain]:
                broken.append(f"{url}: no element with id '{fragment}' (linked from {min(pages)})")
    assert not broken, "\n".join(broken)


def test_the_check_notices_a_missing_file(real_site):
    assert status(real_site.url("data/no-such-file.csv")) == 404
    assert status(real_site.url("it/")) == 200
    assert status(real_site.origin + "/it/") == 404, "the test server must not serve outside the subpath"
