"""The page-weight budget, on the real content's build, in raw bytes (before the server's compression).

Chosen numbers, with what the real content measured when they were set (82 pages; median page 6 kB;
largest 52.4 kB, the clusters dataset page with its table preview; site.css 5.8 kB; search.js 8.0 kB;
search index 56.7 kB Italian, 48.3 kB English; heaviest load 66 kB, 123 kB after a search):
- each HTML page at most 64 KiB;
- the stylesheet at most 20 KiB, every script together at most 30 KiB;
- what the first search of a language can fetch at most (its index manifest, its largest terms file,
  and as many of its largest page-detail files as results are shown) at most 200 KiB;
- one page load — the HTML and every stylesheet, script, icon and image it references — at most
  300 KiB, and still at most 300 KiB once the reader has searched (plus that first search).
The index itself is a folder of files fetched on demand (ntc_site/render/searchindex.py), so its total
size is no budget; bench/search_weight.py measures the first search on the 2 × 1000-page corpus.
Dataset pages (issue 16) hold at most the first rows of each table (render/explorer.py), so their weight
does not grow with the rows: test_explorer.py checks a synthetic 2,600-row table against LOAD_MAX with
its first chunk of rows. Measured then: clusters dataset page 46.8 kB (with its three charts), explorer.js
about 13 kB.
"""
from __future__ import annotations

import re
from pathlib import Path

KIB = 1024
SHOWN = 8  # results the header panel shows (search.js MAX_SHOWN): at most that many page-detail files
HTML_MAX, CSS_MAX, JS_MAX, INDEX_MAX, LOAD_MAX = 64 * KIB, 20 * KIB, 30 * KIB, 200 * KIB, 300 * KIB
REFERENCE = re.compile(r'<(?:link[^>]*rel="(?:stylesheet|icon)"[^>]*href|script[^>]*src|img[^>]*src)="([^"]+)"')


def referenced(site, html: str) -> list[Path]:
    """Files a page makes the browser fetch on load (all root-relative under the subpath)."""
    prefix = site.base[len(site.origin):]
    return [site.root / url[len(prefix):] for url in REFERENCE.findall(html) if url.startswith(prefix)]


def first_search(folder: Path) -> int:
    """The most one first search can fetch from an index folder, in bytes (one word: one terms file)."""
    def largest(pattern: str, count: int) -> int:
        return sum(sorted((f.stat().st_size for f in folder.glob(pattern)), reverse=True)[:count])
    return (folder / "manifest.json").stat().st_size + largest("terms-*.json", 1) + largest("docs-*.json", SHOWN)


def test_page_weight_stays_within_budget(real_site):
    over = []
    for file in real_site.html_files():
        html = file.read_text(encoding="utf-8")
        size = len(html.encode("utf-8"))
        if size > HTML_MAX:
            over.append(f"{file.relative_to(real_site.root)}: {size} bytes of HTML > {HTML_MAX}")
        load = size + sum(f.stat().st_size for f in referenced(real_site, html))
        lang = file.relative_to(real_site.root).parts[0]
        index = real_site.root / lang / "search-index"
        searched = load + (first_search(index) if index.is_dir() and 'id="search-q"' in html else 0)
        if load > LOAD_MAX or searched > LOAD_MAX:
            over.append(f"{file.relative_to(real_site.root)}: {load} bytes per load, {searched} after a search")
    css = sum(f.stat().st_size for f in real_site.root.glob("assets/**/*.css"))
    js = sum(f.stat().st_size for f in real_site.root.glob("assets/**/*.js"))
    if css > CSS_MAX:
        over.append(f"CSS {css} bytes > {CSS_MAX}")
    if js > JS_MAX:
        over.append(f"JavaScript {js} bytes > {JS_MAX}")
    for lang in ("it", "en"):
        size = first_search(real_site.root / lang / "search-index")
        if size > INDEX_MAX:
            over.append(f"{lang}: a first search can fetch {size} bytes of index > {INDEX_MAX}")
    assert css and js, "no stylesheet or script found: the budget would measure nothing"
    assert not over, "\n".join(over)


def test_referenced_finds_what_a_page_loads(real_site):
    html = (real_site.root / "it" / "index.html").read_text(encoding="utf-8")
    names = sorted(f.name for f in referenced(real_site, html))
    assert names == ["favicon.svg", "search.js", "site.css"]
    assert all(f.is_file() for f in referenced(real_site, html))
