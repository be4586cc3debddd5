"""Screenshots of the main page types at phone and desktop width, saved under _artifacts/screenshots/
for a person to review (the gates themselves are in the other browser tests)."""
from __future__ import annotations

import re

import pytest
from pagewatch import WIDTHS

pytestmark = pytest.mark.browser
PAGES = {"home": "it/", "clusters": "it/cluster/", "cluster": "it/cluster/aerospazio/",
         "area": "it/aree/aerospazio/", "data": "it/dati/", "timeline": "it/cronologia/",
         "search": "it/cerca/?q=cluster", "home-en": "en/"}


def dataset_page(site) -> str:
    """The first dataset page in the sitemap: the data pages are named after their package."""
    pattern = re.compile(re.escape(site.url("it/dati/")) + r"[^/]+/$")
    found = sorted(u for u in site.sitemap_urls() if pattern.match(u))
    assert found, "no dataset page under /it/dati/ in the sitemap"
    return found[0][len(site.base):]


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_screenshots_of_the_main_page_types(real_site, new_page, artifacts, width):
    page = new_page(WIDTHS[width])
    for name, path in {**PAGES, "dataset": dataset_page(real_site)}.items():
        response = page.goto(real_site.url(path), wait_until="load")
        assert response and response.status == 200, path
        if name == "search":
            page.locator("#search-status").filter(has_text=re.compile(r"\d")).wait_for()
        target = artifacts / f"{name}-{WIDTHS[width]}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 1000
