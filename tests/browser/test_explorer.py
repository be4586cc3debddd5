"""The rows explorer of the dataset pages (issue 16), in chromium: sorting, filtering, the live region, the
download of the rows shown, the view in the URL, the keyboard, the page without JavaScript, and the
big-table path that loads rows chunk by chunk.

Runs on the data-site fixture (synthetic) plus a synthetic package of BIG_ROWS rows made by the test, and
on the real site's clusters page for long cells.
"""
from __future__ import annotations

import csv
import io
import re

import pytest
from pagewatch import WIDTHS, Watch, axe_violations
from synthetic import BIG_ROWS, big_row
from test_budget import LOAD_MAX, referenced

pytestmark = pytest.mark.browser
SAMPLE, BIG = "it/dati/sample/", "it/dati/big/"


def open_explorer(new_page, site, path: str, width: int = WIDTHS["desktop"], name: str | None = None):
    page = new_page(width)
    watch = Watch(site.origin).attach(page)
    page.goto(site.url(path), wait_until="load")
    root = page.locator(f"#rows-{name or path.rstrip('/').rsplit('/', 1)[-1]}")
    root.scroll_into_view_if_needed()
    root.locator(".explorer-status").filter(has_text=re.compile(r"\d")).wait_for()
    return page, root, watch


def column(root, field: str) -> list[str]:
    index = root.locator("thead th").evaluate_all(f"ths => ths.findIndex(th => th.dataset.field === '{field}')")
    return root.locator(f"tbody tr td:nth-child({index + 1})").all_inner_texts()


def sort_by(root, field: str) -> None:
    root.locator(f"th[data-field={field}] button").click()


def wait_status(root, text: str) -> None:
    root.locator(".explorer-status").filter(has_text=text).wait_for()


def published(site, path: str) -> tuple[bytes, list[list[str]]]:
    raw = (site.root / path).read_bytes()
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))


def test_sorting_says_its_order_and_sorts_numbers_dates_and_italian_text(data_site, new_page):
    page, root, watch = open_explorer(new_page, data_site, BIG)
    sort_by(root, "amount")
    # The status already says "pagina 1 di" before the sort: wait for the sorted state itself.
    root.locator("th[data-field=amount][aria-sort=ascending]").wait_for()
    wait_status(root, "pagina 1 di")
    assert root.locator("th[aria-sort]").count() == 1
    amounts = [int(a.replace(".", "")) for a in column(root, "amount")]
    assert amounts == sorted(int(big_row(i)[2]) for i in range(BIG_ROWS))[:25]  # numbers, not text order
    sort_by(root, "amount")
    root.locator("th[data-field=amount][aria-sort=descending]").wait_for()
    assert [int(a.replace(".", "")) for a in column(root, "amount")][0] == max(int(big_row(i)[2]) for i in range(BIG_ROWS))
    sort_by(root, "day")
    root.locator("th[data-field=day][aria-sort=ascending]").wait_for()
    assert column(root, "day")[0] == min(big_row(i)[3] for i in range(BIG_ROWS))
    sort_by(root, "name")
    root.locator("th[data-field=name][aria-sort=ascending]").wait_for()
    names = column(root, "name")
    # Italian collation: accented initials among their letters (code points would put them after 'z'),
    # digits by value ('Álamo 10' after 'Álamo 4')
    assert names[:2] == ["Álamo 4", "Álamo 10"]
    assert root.locator("th[data-field=amount]").get_attribute("aria-sort") is None
    assert watch.problems() == []


@pytest.mark.parametrize("typed, column_name, count", [("citta", "", 1), ("CITTÀ", "note", 1), ("citta", "kind", 0),
                                                       ("ALPHA", "", 2)])
def test_filter_ignores_case_and_accents_over_all_or_one_column(data_site, new_page, typed, column_name, count):
    page, root, watch = open_explorer(new_page, data_site, SAMPLE)
    label = root.locator("label[for=rows-sample-q]")
    assert label.is_visible() and label.inner_text().strip()
    root.locator("select").select_option(column_name)
    root.locator("input[type=search]").fill(typed)
    wait_status(root, f"Righe mostrate: {count} su 4")
    assert root.locator("tbody tr").count() == count
    if typed == "citta" and count:
        assert "Città di prova" in root.locator("tbody").inner_text()
    assert watch.problems() == []


def test_the_count_is_announced_in_a_polite_live_region(data_site, new_page):
    page, root, _ = open_explorer(new_page, data_site, SAMPLE)
    status = root.locator(".explorer-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert status.inner_text() == "Righe mostrate: 4 su 4"
    root.locator("input[type=search]").fill("beta")
    wait_status(root, "Righe mostrate: 2 su 4")


def test_download_of_the_rows_shown_has_the_published_header_and_exactly_those_rows(data_site, new_page):
    page, root, _ = open_explorer(new_page, data_site, SAMPLE)
    root.locator("input[type=search]").fill("alpha")
    sort_by(root, "code")
    sort_by(root, "code")
    root.locator("th[data-field=code][aria-sort=descending]").wait_for()
    wait_status(root, "Righe mostrate: 2 su 4")
    with page.expect_download() as info:
        root.locator(".explorer-download").click()
    got = info.value.path().read_bytes()
    raw, rows = published(data_site, "data/sample/sample.csv")
    expected_rows = [rows[0]] + sorted((r for r in rows[1:] if r[2] == "alpha"), key=lambda r: r[0], reverse=True)
    assert [r[0] for r in expected_rows[1:]] == ["00890", "00123"]
    parsed = list(csv.reader(io.StringIO(got.decode("utf-8"), newline="")))
    assert parsed == expected_rows  # the same header, those rows, in the order shown
    lines = io.StringIO(newline="")
    csv.writer(lines, lineterminator="\r\n").writerows(expected_rows)
    assert got == lines.getvalue().encode("utf-8")  # byte for byte as the published CSV writes them
    assert got.split(b"\r\n", 1)[0] == raw.split(b"\r\n", 1)[0]
    assert info.value.suggested_filename == "sample-rows.csv"


def test_the_view_is_kept_in_the_url_and_a_link_opens_the_same_view(data_site, new_page):
    page, root, _ = open_explorer(new_page, data_site, BIG)
    root.locator("input[type=search]").fill("zeta")
    page.wait_for_url("**big.q=zeta**")  # the filter waits for typing to pause before it applies
    sort_by(root, "amount")
    sort_by(root, "amount")
    root.locator("th[data-field=amount][aria-sort=descending]").wait_for()
    root.locator(".explorer-pages [data-step='1']").click()
    wait_status(root, "pagina 2 di")
    shown = column(root, "id")
    url = page.url
    assert "big.q=zeta" in url and "big.sort=amount" in url and "big.dir=desc" in url and "big.page=2" in url
    other = new_page()
    other.goto(url)
    again = other.locator("#rows-big")
    again.locator(".explorer-status").filter(has_text="pagina 2 di").wait_for()
    assert again.locator("input[type=search]").input_value() == "zeta"
    assert again.locator("th[data-field=amount]").get_attribute("aria-sort") == "descending"
    assert column(again, "id") == shown


def test_everything_works_from_the_keyboard(data_site, new_page):
    page = new_page()
    page.goto(data_site.url(SAMPLE))
    for _ in range(150):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "rows-sample-q":
            break
    else:
        pytest.fail("Tab never reached the filter box")
    page.keyboard.type("beta")
    root = page.locator("#rows-sample")
    wait_status(root, "Righe mostrate: 2 su 4")
    for _ in range(10):  # on through the column choice, the download button, the table region…
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('th') !== null"):
            break
    assert page.evaluate("document.activeElement.closest('th').dataset.field") == "code"
    page.keyboard.press("Enter")
    root.locator("th[data-field=code][aria-sort=ascending]").wait_for()
    page.keyboard.press("Space")
    root.locator("th[data-field=code][aria-sort=descending]").wait_for()
    assert column(root, "code") == ["04567", "01000"]


def test_without_javascript_a_plain_table_of_the_first_rows_and_the_downloads(data_site, new_page):
    page = new_page(javascript=False)
    page.goto(data_site.url(BIG))
    root = page.locator("#rows-big")
    assert not root.locator(".explorer-controls").is_visible()
    assert root.locator("th button").count() == 0
    assert column(root, "id") == [big_row(i)[0] for i in range(10)]
    assert "prime 10 righe su 2.600" in root.locator("caption").inner_text()
    download = page.locator(".main-download a[download]")
    assert download.is_visible() and download.get_attribute("href").endswith("/data/big/big.csv")


def test_a_big_table_loads_only_the_chunks_a_page_needs_and_the_page_stays_within_budget(data_site, new_page):
    html = (data_site.root / BIG / "index.html").read_text(encoding="utf-8")
    assert html.count("<tr>") - html.count("<thead>") <= 40  # the few first rows, not thousands
    page_load = len(html.encode()) + sum(f.stat().st_size for f in referenced(data_site, html))
    chunk = (data_site.root / "data/big/big/rows-0001.csv").stat().st_size
    assert page_load + chunk <= LOAD_MAX, f"{page_load} bytes + a {chunk}-byte chunk > {LOAD_MAX}"

    def rows_fetched(page) -> list[str]:
        return sorted(r.split("/data/big/", 1)[1] for r in page.fetched if "/data/big/" in r)

    page = new_page()
    page.fetched = []
    page.on("requestfinished", lambda request: page.fetched.append(request.url))
    page.goto(data_site.url(BIG))
    root = page.locator("#rows-big")
    root.scroll_into_view_if_needed()
    wait_status(root, "pagina 1 di 104")
    assert rows_fetched(page) == ["big/rows-0001.csv"]
    assert column(root, "id")[0] == "r00000"

    later = new_page()
    later.fetched = []
    later.on("requestfinished", lambda request: later.fetched.append(request.url))
    later.goto(data_site.url(BIG) + "?big.page=100")
    root = later.locator("#rows-big")
    wait_status(root, "pagina 100 di 104")
    assert rows_fetched(later) == ["big/rows-0003.csv"]
    assert column(root, "id")[0] == "r02475"
    sort_by(root, "id")  # a sort needs every row: the other chunks come, never the whole CSV
    root.locator("th[data-field=id][aria-sort=ascending]").wait_for()
    wait_status(root, "Righe mostrate: 2600 su 2600")
    assert rows_fetched(later) == ["big/rows-0001.csv", "big/rows-0002.csv", "big/rows-0003.csv"]


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_long_cells_are_clamped_with_a_control_and_the_explorer_passes_axe(real_site, new_page, width):
    page, root, watch = open_explorer(new_page, real_site, "it/dati/clusters/", WIDTHS[width], name="clusters")
    more = root.locator("button.more").first
    cell = more.locator("xpath=preceding-sibling::div[1]")
    closed = cell.bounding_box()["height"]
    assert more.get_attribute("aria-expanded") == "false"
    more.click()
    assert more.get_attribute("aria-expanded") == "true" and cell.bounding_box()["height"] > closed
    links = root.locator("tbody a")
    assert links.count() and all(not t.startswith("http") for t in links.all_inner_texts())  # hosts only
    root.locator("input[type=search]").fill("energia")
    sort_by(root, "founded")
    root.locator("th[data-field=founded][aria-sort]").wait_for()
    assert axe_violations(page) == []
    if width == "phone":
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= client, "the table should scroll inside its region, not the page"
    assert watch.problems() == []
