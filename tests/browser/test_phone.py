"""On a phone (issue 16): the header fits in 200 px at 375 px on every page type, the menu folds behind a
button that works without JavaScript (and stays open on a wide screen), and a dataset page offers its
CSV in the first screen with the checksums folded away."""
from __future__ import annotations

import re

import pytest
from pagewatch import WIDTHS

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 667}
HEADER_MAX = 200
PAGE_TYPES = ["it/", "en/", "it/cluster/", "en/areas/", "it/cluster/aerospazio/", "en/areas/energia/",
              "it/cronologia/", "en/timeline/", "it/dati/", "en/data/clusters/", "it/dati/legal-acts/"]


def dataset_pages(site) -> list[str]:
    pattern = re.compile(re.escape(site.base) + r"(it/dati|en/data)/[^/]+/$")
    return sorted(u for u in site.sitemap_urls() if pattern.match(u))


def phone_page(browser, javascript: bool = True):
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript, service_workers="block")
    return context, context.new_page()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_header_fits_in_200_px_on_a_phone(real_site, browser, javascript):
    context, page = phone_page(browser, javascript)
    try:
        urls = [real_site.url(p) for p in PAGE_TYPES] + [real_site.url("it/cerca/"), real_site.url("en/search/")] + [real_site.url("it/x/404")]
        tall = {}
        for url in urls:
            page.goto(url)
            height = page.locator("header.site-header").bounding_box()["height"] if \
                page.locator("header.site-header").count() else 0
            if height > HEADER_MAX:
                tall[url] = height
        assert not tall, f"headers taller than {HEADER_MAX} px at 375 px: {tall}"
    finally:
        context.close()


def test_the_menu_folds_behind_a_button_that_works_without_javascript(real_site, browser, new_page):
    context, page = phone_page(browser, javascript=False)
    try:
        page.goto(real_site.url("it/"))
        link = page.locator("nav.menu a").first
        assert not link.is_visible()
        page.locator("details.menu-fold summary").click()
        assert link.is_visible() and page.locator("nav.menu a").count() >= 5
        with page.expect_navigation():
            link.click()
    finally:
        context.close()
    wide = new_page(WIDTHS["desktop"], javascript=False)
    wide.goto(real_site.url("it/"))
    assert wide.locator("nav.menu a").first.is_visible(), "on a wide screen the menu is open"
    assert not wide.locator("details.menu-fold summary").is_visible()


def test_a_dataset_page_offers_its_csv_in_the_first_screen_with_checksums_folded(real_site, browser):
    context, page = phone_page(browser)
    heights = {}
    try:
        for url in dataset_pages(real_site):
            page.goto(url)
            link = page.locator(".main-download a[download]")
            box = link.bounding_box()
            assert box and box["y"] + box["height"] <= PHONE["height"], f"{url}: CSV link at {box}"
            assert link.get_attribute("href").endswith(".csv") and re.search(r"\d", page.locator(
                ".main-download .size").inner_text())
            sums = page.locator("table.downloads details.checksum")
            assert sums.count() >= 3 and not sums.first.locator("code").is_visible()
            sums.first.locator("summary").click()
            assert re.fullmatch(r"[0-9a-f]{64}", sums.first.locator("code").inner_text())
            heights[url] = page.evaluate("document.documentElement.scrollHeight")
    finally:
        context.close()
    assert len(heights) >= 8
    print("dataset page heights at 375 px:", heights)  # for the record (was about 19,600 px for clusters)
