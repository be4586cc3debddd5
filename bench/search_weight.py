"""What the reader's first search costs on a large site: bytes fetched and time from last keystroke to results.

Builds the synthetic 2 × N-page corpus (bench/make_corpus.py) under a subpath, serves it on localhost as
GitHub Pages would (no compression: the figures are raw bytes, an upper bound), and for each query opens
a fresh browser context in Debian's chromium, loads the home page, types the query into the header box
and measures, in the page:

- the bytes of every response fetched after the page had loaded (the search's own requests);
- the time from the last keystroke to the result list of the whole query (search.js's 120 ms pause
  after typing included: that is what the reader waits).

With `--pagefind BIN` it also indexes the same build with the Pagefind binary and measures Pagefind's JS
API (`pagefind.search(q)` and the details of the first 8 results) the same way, for the comparison in
bench/README.md. Pagefind needs `'wasm-unsafe-eval'`, which the site's CSP does not allow, so that part
runs with the CSP bypassed. Not a test: a measurement.

    .venv/bin/python bench/search_weight.py [--pages 1000] [--work bench/_work/search] [--pagefind BIN]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from make_corpus import make_corpus

SUBPATH = "/ntc-site/"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
QUERIES = [("it", "città"), ("it", "lorem ipsum"), ("it", "energie"), ("it", "tecnologiche"),
           ("it", "consequat duis aute"), ("en", "technologies"), ("en", "synthetic page"),
           ("en", "consequat"), ("en", "smart factories")]
# Runs in the page before the reader types: stamps each key press and the moment the header panel shows
# the results of the whole query (its "all results" link then carries the query). The promise is wrapped
# in an object so that creating the watch does not wait for it.
WATCH_JS = """query => ({ done: new Promise(resolve => {
  const input = document.getElementById('search-q');
  let last = 0;
  input.addEventListener('keydown', () => { last = performance.now(); }, true);
  const done = () => {
    const more = document.querySelector('#search-panel .search-more');
    const want = '?q=' + encodeURIComponent(query);
    return more && !document.getElementById('search-panel').hidden
      && (more.getAttribute('href') || '').endsWith(want);
  };
  new MutationObserver((_, observer) => {
    if (done()) { observer.disconnect(); resolve(performance.now() - last); }
  }).observe(document.getElementById('search-panel') || document.body,
             { subtree: true, childList: true, attributes: true });
}) })"""
PAGEFIND_JS = """async ([bundle, query]) => {
  const t0 = performance.now();
  const pagefind = await import(bundle + 'pagefind.js');
  await pagefind.options({ baseUrl: '/' });
  const found = await pagefind.search(query);
  const shown = await Promise.all(found.results.slice(0, 8).map(r => r.data()));
  return shown.length >= 0 ? performance.now() - t0 : 0;
}"""


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".json": "application/json",
                      ".js": "text/javascript", ".wasm": "application/wasm", ".pagefind": "application/octet-stream",
                      ".pf_meta": "application/octet-stream", ".pf_index": "application/octet-stream",
                      ".pf_fragment": "application/octet-stream"}

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0]
        rest = clean[len(SUBPATH):] if clean.startswith(SUBPATH) else ".missing"
        return super().translate_path("/" + rest)

    def log_message(self, format, *args):
        pass


def build(corpus: Path, out: Path, base: str, cache: Path) -> None:
    env = {"PYTHONPATH": str(ROOT), "NTC_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"}
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(corpus), "--out", str(out),
                    "--base-url", base], check=True, env=env, cwd=ROOT, capture_output=True)
    print(f"built {out} in {time.perf_counter() - started:.1f} s")


def measure_own(browser, base: str, lang: str, query: str) -> tuple[int, int, float]:
    """(bytes, requests, ms from the last keystroke to results) of a first search in a fresh context."""
    context = browser.new_context()
    page = context.new_page()
    sizes: list[int] = []
    page.goto(base + f"{lang}/", wait_until="load")
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    waiting = page.evaluate_handle(WATCH_JS, query)
    page.locator("#search-q").click()
    page.locator("#search-q").press_sequentially(query, delay=30)
    elapsed = page.evaluate("watch => watch.done", waiting)
    page.wait_for_timeout(200)  # let late responses land
    context.close()
    return sum(sizes), len(sizes), elapsed


def measure_pagefind(browser, base: str, lang: str, query: str) -> tuple[int, int, float]:
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(base + f"{lang}/", wait_until="load")
    sizes: list[int] = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"]))
    elapsed = page.evaluate(PAGEFIND_JS, [base + "pagefind/", query])
    page.wait_for_timeout(200)
    context.close()
    return sum(sizes), len(sizes), elapsed


def repeated(measure, repeat: int) -> tuple[int, int, list[float]]:
    """Bytes and requests of the first run (the same every time), and the times of all runs."""
    runs = [measure() for _ in range(repeat)]
    return runs[0][0], runs[0][1], [r[2] for r in runs]


def report(rows: list[tuple[str, str, int, int, list[float]]], title: str) -> None:
    print(f"\n{title}\n| lang | query | bytes fetched | KiB | requests | ms median | ms max |\n"
          "| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for lang, query, size, requests, times in rows:
        print(f"| {lang} | {query} | {size} | {size / 1024:.1f} | {requests} | {statistics.median(times):.0f} "
              f"| {max(times):.0f} |")
    every = [t for r in rows for t in r[4]]
    print(f"max {max(r[2] for r in rows) / 1024:.1f} KiB; over {len(every)} runs: ms median "
          f"{statistics.median(every):.0f}, max {max(every):.0f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "_work" / "search")
    ap.add_argument("--pagefind", type=Path, help="the Pagefind binary (pip install 'pagefind[bin]')")
    ap.add_argument("--site", type=Path, help="measure this build (made with --base-url http://127.0.0.1:PORT"
                                               f"{SUBPATH}) instead of building the corpus")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--repeat", type=int, default=3, help="fresh-context runs per query")
    args = ap.parse_args(argv)
    base = f"http://127.0.0.1:{args.port}{SUBPATH}"
    site = args.site
    if site is None:
        corpus, site = args.work / "corpus", args.work / "site"
        if corpus.exists():
            shutil.rmtree(corpus)
        make_corpus(corpus, args.pages, ROOT / "content")
        args.work.mkdir(parents=True, exist_ok=True)
        cache = args.work / "cache"
        shutil.rmtree(cache, ignore_errors=True)
        build(corpus, site, base, cache)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port),
                                             functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            measure_own(browser, base, "it", "lorem")  # warm-up: the browser's first context is slower
            rows = [(lang, q, *repeated(functools.partial(measure_own, browser, base, lang, q), args.repeat))
                    for lang, q in QUERIES]
            report(rows, "ntc-site search (first search, fresh context; ms = last keystroke to results)")
            if args.pagefind:
                started = time.perf_counter()
                subprocess.run([str(args.pagefind), "--site", str(site)], check=True, capture_output=True)
                print(f"\npagefind indexed {site} in {time.perf_counter() - started:.1f} s")
                measure_pagefind(browser, base, "it", "lorem")
                found = [(lang, q, *repeated(functools.partial(measure_pagefind, browser, base, lang, q),
                                             args.repeat)) for lang, q in QUERIES]
                report(found, "Pagefind JS API (first search, fresh context; ms = search() + data() of 8 "
                       "results, no typing pause)")
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
