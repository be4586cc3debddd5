"""Moving around in chromium: the language switcher, the skip link, visible keyboard focus."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from pagewatch import SM, WIDTHS

pytestmark = pytest.mark.browser
XHTML = "{http://www.w3.org/1999/xhtml}"


def translations(site) -> list[tuple[str, str, str]]:
    """(page URL, its translation's URL, the translation's language) for every sitemap entry that has one."""
    pairs = []
    for entry in ET.parse(site.root / "sitemap.xml").iter(f"{SM}url"):
        loc = entry.findtext(f"{SM}loc")
        links = {link.get("hreflang"): link.get("href") for link in entry.iter(f"{XHTML}link")}
        own = next((lang for lang, href in links.items() if href == loc and lang != "x-default"), None)
        for lang, href in links.items():
            if own and lang not in (own, "x-default"):
                pairs.append((loc, href, lang))
    return pairs


def test_language_switcher_points_every_page_to_its_translation(real_site):
    pairs = translations(real_site)
    assert len(pairs) >= 2 * 12, "every cluster page should have its translation"
    wrong = []
    for url, other, lang in pairs:
        html = (real_site.root / url[len(real_site.base):] / "index.html").read_text(encoding="utf-8")
        switch = re.search(r'<nav class="lang"[^>]*>\s*<a href="([^"]+)" hreflang="([^"]+)"', html)
        if not switch or real_site.origin + switch.group(1) != other or switch.group(2) != lang:
            wrong.append(f"{url}: switcher {switch.groups() if switch else None}, expected {other}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", ["it/", "it/cluster/", "en/clusters/aerospazio/", "it/aree/energia/",
                                  "en/data/", "it/cronologia/"])
def test_language_switcher_click_lands_on_the_translated_page(real_site, new_page, path):
    other = {url: (href, lang) for url, href, lang in translations(real_site)}[real_site.url(path)]
    page = new_page()
    page.goto(real_site.url(path))
    with page.expect_navigation():
        page.locator(f"nav.lang a[hreflang={other[1]}]").click()
    assert page.url == other[0] and page.get_attribute("html", "lang") == other[1]
    with page.expect_navigation():
        page.locator("nav.lang a[hreflang]").click()
    assert page.url == real_site.url(path), "the way back should land on the page we came from"


def test_a_page_without_translation_says_so_and_offers_the_other_home(fixture_site, new_page):
    page = new_page()
    page.goto(fixture_site.url("it/solo-italiano/"))
    switcher = page.locator("nav.lang")
    assert "inglese" in switcher.inner_text()
    with page.expect_navigation():
        switcher.locator("a[hreflang=en]").click()
    assert page.url == fixture_site.url("en/") and page.get_attribute("html", "lang") == "en"


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_skip_link_is_first_visible_on_focus_and_moves_focus_to_main(real_site, new_page, width):
    page = new_page(WIDTHS[width])
    page.goto(real_site.url("it/cluster/"))
    skip = page.locator(".skip-link")
    assert not skip.is_visible() or skip.bounding_box()["y"] + skip.bounding_box()["height"] <= 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[width], "skip link off screen"
    page.keyboard.press("Enter")
    page.wait_for_url("**#main")  # following a same-page link finishes after the key press returns
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)"), \
        "after the skip link, Tab should continue inside the main content"


FOCUS_STYLE = """() => { const s = getComputedStyle(document.activeElement);
  return [document.activeElement.outerHTML.slice(0, 80), s.outlineStyle, s.outlineWidth, s.boxShadow]; }"""


@pytest.mark.parametrize("path", ["it/", "en/clusters/aerospazio/", "it/dati/"])
def test_every_focusable_element_shows_where_focus_is(real_site, new_page, path):
    page = new_page(WIDTHS["phone"])
    page.goto(real_site.url(path))
    seen = set()
    invisible = []
    for _ in range(200):
        page.keyboard.press("Tab")
        handle = page.evaluate("document.activeElement === document.body ? null : document.activeElement.outerHTML")
        if handle is None or handle in seen:
            break
        seen.add(handle)
        html, style, width, shadow = page.evaluate(FOCUS_STYLE)
        if (style == "none" or width == "0px") and shadow == "none":
            invisible.append(html)
    assert len(seen) > 10, "Tab reached too few elements"
    assert not invisible, "focus is not visible on:\n" + "\n".join(invisible)
