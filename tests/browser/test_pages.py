"""Every page of the real site in chromium, on a phone and on a desktop: accessible (axe-core, WCAG 2.1
A and AA), no sideways scrolling on the phone, no console error, no failed or foreign request."""
from __future__ import annotations

import pytest
from pagewatch import WIDTHS, Watch, axe_violations

pytestmark = pytest.mark.browser


def overflow(page) -> str | None:
    """Why the page scrolls sideways, or None when it fits its viewport."""
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    return f"horizontal scrolling: content {scroll} px wide in a {client} px viewport" if scroll > client else None


def sweep(page, watch: Watch, urls: list[str], phone: bool) -> dict[str, list[str]]:
    report: dict[str, list[str]] = {}
    for url in urls:
        watch.reset()
        response = page.goto(url, wait_until="load")
        found = [] if response and response.status == 200 else [f"HTTP {response.status if response else '?'}"]
        if phone and overflow(page):
            found.append(overflow(page))
        found += axe_violations(page)
        found += watch.problems()
        if found:
            report[url] = found
    return report


def format_report(report: dict[str, list[str]]) -> str:
    return "\n".join(f"{url}\n  " + "\n  ".join(lines) for url, lines in report.items())


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_every_page_passes_axe_without_errors_or_foreign_requests(real_site, new_page, width, lang):
    """Split by language (the root chooser goes with Italian) so `pytest -n` can spread the sweep."""
    urls = [u for u in real_site.sitemap_urls()
            if u.startswith(real_site.url(f"{lang}/")) or (lang == "it" and u == real_site.base)]
    assert len(urls) > 20, f"too few {lang} pages in the sitemap: {urls}"
    assert real_site.url("it/cerca/" if lang == "it" else "en/search/") in urls, "the search page is swept too"
    page = new_page(WIDTHS[width])
    watch = Watch(real_site.origin).attach(page)
    report = sweep(page, watch, urls, phone=width == "phone")
    assert not report, f"{len(report)} of {len(urls)} pages at {WIDTHS[width]} px:\n{format_report(report)}"


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_not_found_page_is_accessible_at_any_depth(real_site, new_page, width):
    page = new_page(WIDTHS[width])
    watch = Watch(real_site.origin).attach(page)
    url = real_site.url("it/cluster/non-esiste/")
    response = page.goto(url, wait_until="load")
    assert response.status == 404
    assert page.locator("link[rel=stylesheet]").count() == 1
    css_loaded = page.evaluate("Array.from(document.styleSheets).some(s => s.cssRules.length > 0)")
    assert css_loaded, "the 404 page's stylesheet did not load from a nested URL"
    assert axe_violations(page) == []
    assert [f for f in watch.failed if url not in f] == [] and watch.foreign == []


def test_the_checks_can_fail(real_site, new_page):
    """A 600 px element on a phone page is caught as sideways scrolling, an image without alt by axe."""
    page = new_page(WIDTHS["phone"])
    page.goto(real_site.url("it/"))
    assert overflow(page) is None and axe_violations(page) == []
    page.evaluate("""() => {
        const wide = document.createElement('div'); wide.style.width = '600px'; wide.textContent = 'x';
        document.querySelector('main').append(wide, document.createElement('img'));
    }""")
    assert overflow(page)
    assert any(line.startswith("image-alt") for line in axe_violations(page))
