"""Search in chromium, under the /ntc-site/ subpath: stemmed Italian and English queries from the header
box, the known queries' first results, what the first search fetches, keyboard use, the live region,
and the plain list of everything when JavaScript is off."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from pagewatch import WIDTHS, Watch, axe_violations
from playwright.sync_api import expect
from searchindex_reader import RELEVANCE, Index

pytestmark = pytest.mark.browser


def type_query(page, text: str) -> list[str]:
    """Type into the header box like a reader and return the result links' hrefs once shown."""
    page.locator("#search-q").click()
    page.locator("#search-q").press_sequentially(text, delay=20)
    return results_for(page, text)


def results_for(page, text: str) -> list[str]:
    """Results show while typing: wait for those of the whole query (the panel's link carries it)."""
    more = page.locator("#search-panel .search-more")
    expect(more).to_have_attribute("href", re.compile(re.escape("?q=" + quote(text)) + "$"))
    expect(page.locator("#search-status")).not_to_have_text("")
    return page.eval_on_selector_all("#search-panel .search-results a", "links => links.map(a => a.href)")


def page_text(site, url: str) -> str:
    html = (site.root / url[len(site.base):] / "index.html").read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", " ", html).lower()


@pytest.mark.parametrize("lang, query, expected, status", [
    # The Italian aerospace cluster page says 'tecnologici' and 'tecnologico', never 'tecnologiche'.
    ("it", "tecnologiche", "it/cluster/aerospazio/", r"^\d+ risultat[oi]$"),
    # The English aerospace cluster page says 'technology', never 'technologies'.
    ("en", "technologies", "en/clusters/aerospazio/", r"^\d+ results?$"),
])
def test_header_search_finds_other_forms_of_the_word(real_site, new_page, lang, query, expected, status):
    page = new_page()
    watch = Watch(real_site.origin).attach(page)
    page.goto(real_site.url(f"{lang}/"))
    hrefs = type_query(page, query)
    assert hrefs and all(h.startswith(real_site.base) for h in hrefs), f"result links miss the subpath: {hrefs}"
    count = page.locator("#search-status").inner_text()
    assert re.match(status, count), f"the count is not announced: {count!r}"
    target = real_site.url(expected)
    assert query not in page_text(real_site, target), "the test needs a page without the typed form"
    with page.expect_navigation():
        page.locator("#search-panel .search-more").click()
    assert page.url == real_site.url(f"{page.url[len(real_site.base):].split('?')[0]}?q={query}")
    expect(page.locator("#search-status")).not_to_have_text("")
    shown = page.eval_on_selector_all("#search-all li:not([hidden]) a", "links => links.map(a => a.href)")
    assert target in shown, f"{query!r} did not find {expected} through its stem: {shown}"
    assert f"{len(shown)} " in count and page.locator("#search-status").inner_text() == count
    assert watch.problems() == []


def test_results_are_announced_by_a_polite_live_region(real_site, new_page):
    page = new_page()
    watch = Watch(real_site.origin).attach(page)
    page.goto(real_site.url("it/"))
    region = page.locator("#search-status")
    assert region.get_attribute("role") == "status" and region.get_attribute("aria-live") == "polite"
    assert region.inner_text() == "", "the live region must exist, empty, before the reader types"
    type_query(page, "aerospazio")
    assert re.match(r"^\d+ risultat[oi]$", region.inner_text())
    page.locator("#search-q").fill("zzzqqq")
    expect(region).to_have_text("Nessun risultato.")
    page.locator("#search-q").fill("aerospazio")
    expect(region).not_to_have_text("Nessun risultato.")
    page.locator("#search-q").fill("constructor")  # a property of every JavaScript object, not a word here
    expect(region).to_have_text("Nessun risultato.")
    assert watch.problems() == []


def test_search_is_usable_by_keyboard_alone(real_site, new_page):
    page = new_page()
    page.goto(real_site.url("en/"))
    page.keyboard.press("Tab")  # skip link
    while page.evaluate("document.activeElement.id") != "search-q":
        page.keyboard.press("Tab")
    page.keyboard.type("cluster", delay=20)
    results_for(page, "cluster")
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.href")
    assert first == page.eval_on_selector("#search-panel .search-results a", "a => a.href")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.href") == first
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "search-q"
    page.keyboard.press("Escape")
    assert page.locator("#search-panel").is_hidden()
    assert page.evaluate("document.activeElement.id") == "search-q"
    page.keyboard.type("s", delay=20)
    results_for(page, "clusters")
    page.keyboard.press("ArrowDown")
    target = page.evaluate("document.activeElement.href")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == target and target.startswith(real_site.base)


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_open_results_pass_axe_and_fit_the_phone(real_site, new_page, width):
    page = new_page(WIDTHS[width])
    page.goto(real_site.url("it/"))
    type_query(page, "energia")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_search_page_filters_its_list_from_the_address(real_site, new_page):
    page = new_page()
    page.goto(real_site.url("it/cerca/?q=tecnologiche"))
    expect(page.locator("#search-status")).not_to_have_text("")
    shown = page.eval_on_selector_all("#search-all li:not([hidden]) a", "links => links.map(a => a.href)")
    total = page.locator("#search-all li").count()
    assert real_site.url("it/cluster/aerospazio/") in shown
    assert 0 < len(shown) < total
    assert page.locator("#search-q").input_value() == "tecnologiche"
    assert page.locator("#search-status").inner_text() == f"{len(shown)} risultati"


@pytest.mark.parametrize("lang", ["it", "en"])
def test_without_javascript_the_form_opens_the_list_of_everything(real_site, new_page, lang):
    page = new_page(javascript=False)
    page.goto(real_site.url(f"{lang}/"))
    page.locator("#search-q").fill("cluster")
    with page.expect_navigation():
        page.locator("#search-q").press("Enter")
    assert page.url.startswith(real_site.base + lang + "/") and page.url.endswith("/?q=cluster")
    docs = Index(real_site.root / lang / "search-index").all_docs()
    listed = page.eval_on_selector_all("#search-all li a", "links => links.map(a => a.getAttribute('href'))")
    assert sorted(listed) == sorted(d["u"] for d in docs)
    assert page.locator("#search-all li:not([hidden])").count() == len(docs)


def test_search_page_switches_to_the_other_search_page(real_site, new_page):
    page = new_page()
    page.goto(real_site.url("it/cerca/"))
    with page.expect_navigation():
        page.locator("nav.lang a[hreflang=en]").click()
    assert page.url == real_site.url("en/search/") and page.get_attribute("html", "lang") == "en"


def test_arrow_down_right_after_typing_reaches_the_results_of_the_whole_query(real_site, new_page):
    page = new_page()
    page.goto(real_site.url("it/"))
    page.locator("#search-q").focus()
    page.keyboard.type("energia")
    page.keyboard.press("ArrowDown")  # before the results of the last keystroke have been shown
    expect(page.locator("#search-panel .search-results a").first).to_be_focused()
    page.wait_for_timeout(300)  # nothing re-renders under the reader's focus afterwards
    expect(page.locator("#search-panel .search-results a").first).to_be_focused()
    assert page.locator("#search-panel .search-more").get_attribute("href").endswith("?q=energia")


@pytest.mark.parametrize("lang, query, expected, why", RELEVANCE)
def test_known_queries_show_the_expected_page_first(real_site, new_page, lang, query, expected, why):
    """The same cases as the unit test's reader of the index, here ranked by the script itself."""
    page = new_page()
    page.goto(real_site.url(f"{lang}/"))
    page.locator("#search-q").fill(query)
    hrefs = results_for(page, query)
    assert hrefs[:1] == [real_site.url(expected)], f"{query!r} ({why}): {hrefs[:5]}"


def test_the_first_search_fetches_the_manifest_one_terms_file_per_word_and_the_shown_pages(real_site, new_page):
    page = new_page()
    watch = Watch(real_site.origin).attach(page)
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(real_site.url("it/"))
    page.locator("#search-q").fill("energie tecnologiche")
    shown = results_for(page, "energie tecnologiche")
    folder = real_site.url("it/search-index/")
    index = [u[len(folder):] for u in fetched if u.startswith(folder)]
    assert index[0] == "manifest.json" and len(set(index)) == len(index), index
    terms = [n for n in index if n.startswith("terms-")]
    docs = [n for n in index if n.startswith("docs-")]
    assert 1 <= len(terms) <= 2 and 1 <= len(docs) <= len(shown), index
    assert len(index) == 1 + len(terms) + len(docs), f"nothing else is fetched: {index}"
    assert watch.problems() == []


def test_the_all_results_link_has_an_address_before_any_search(real_site, new_page):
    """Lighthouse wants every link crawlable: the panel's link goes to the search page from the start."""
    page = new_page()
    page.goto(real_site.url("en/"))
    more = page.locator("#search-panel .search-more")
    expect(more).to_have_attribute("href", real_site.base[len(real_site.origin):] + "en/search/")
    assert page.locator("#search-panel").is_hidden()
