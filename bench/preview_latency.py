"""How long an editor waits: from saving one page to seeing it reloaded in the browser.

Starts `build.py serve` on a copy of the real project (content, templates, datasets) in a temporary folder,
opens a page in Debian's chromium through Playwright, appends a line to that page's Markdown file and
times until the reloaded page shows it. Prints min/median/max over N edits. Not a test: a measurement.
`--pages N` adds the benchmark's N synthetic page pairs (bench/make_corpus.py) and edits one of them.
`--breakdown` also prints where the time went, per step of an edit (medians): the server stamps each step
with the wall clock (NTC_PREVIEW_TRACE, ntc_site/preview/rebuilds.py), the browser its navigation timing.

    .venv/bin/python bench/preview_latency.py [--edits 15] [--pages 1000] [--breakdown]
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 120) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"preview did not answer at {url}")


# The reloaded page's navigation timing: its start as wall-clock milliseconds, then offsets from it.
NAVIGATION = """() => { const n = performance.getEntriesByType("navigation")[0];
  return [performance.timeOrigin, n.requestStart, n.responseEnd, n.loadEventEnd]; }"""
# (label, from, to): the server's trace steps, and the browser's navigation marks.
STEPS = [("save -> watcher reports it", "saved", "event"), ("-> build starts", "event", "build-start"),
         ("build", "build-start", "build-end"), ("-> reload sent", "build-end", "reload"),
         ("-> tab starts reloading", "reload", "navigation"), ("-> page requested", "navigation", "request"),
         ("-> page received", "request", "response"), ("-> load event", "response", "load")]


def breakdown(log: str, edits: list[tuple[float, list[float]]]) -> list[str]:
    """Median and range of each step of the edits, from the server's trace lines and the browser's timing."""
    stamps = [(step, float(at)) for _, step, at in (line.split() for line in log.splitlines()
                                                      if line.startswith("trace "))]
    spans: dict[str, list[float]] = {label: [] for label, _, _ in STEPS}
    for saved, (origin, request, response, load) in edits:
        marks = {"saved": saved, "navigation": origin / 1000, "request": (origin + request) / 1000,
                 "response": (origin + response) / 1000, "load": (origin + load) / 1000}
        for step in ("event", "build-start", "build-end", "reload"):  # the first of each after the save
            marks[step] = next((at for name, at in stamps if name == step and at >= saved), float("nan"))
        reload = max((at for name, at in stamps if name == "reload" and at <= marks["navigation"]), default=None)
        if reload is not None:  # the reload that made the page shown (a dropped build adds none)
            marks["reload"] = reload
            marks["build-end"] = max(at for name, at in stamps if name == "build-end" and at <= reload)
            marks["build-start"] = max(at for name, at in stamps if name == "build-start" and at <= marks["build-end"])
        for label, start, end in STEPS:
            spans[label].append((marks[end] - marks[start]) * 1000)
    return [f"  {label:28} median {statistics.median(v):5.0f} ms  ({min(v):.0f}-{max(v):.0f})"
            for label, v in spans.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--page", help="the page edited (default: it/informazioni.md, or a synthetic page)")
    parser.add_argument("--pages", type=int, default=0, help="synthetic page pairs added to the content")
    parser.add_argument("--log", type=Path, help="keep the server's output in this file")
    parser.add_argument("--breakdown", action="store_true", help="where the time went, step by step")
    args = parser.parse_args()
    (ROOT / "bench" / "_work").mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="ntc-preview-", dir=ROOT / "bench" / "_work"))
    for folder in ("templates", "datasets"):
        shutil.copytree(ROOT / folder, work / folder)
    if args.pages:
        make_corpus.make_corpus(work / "content", args.pages, ROOT / "content")
        args.page = args.page or make_corpus.page_path(Path(), "it", max(1, args.pages // 2)).as_posix()
    else:
        shutil.copytree(ROOT / "content", work / "content")
        args.page = args.page or "it/informazioni.md"
    port = free_port()
    log = args.log or (work / "serve.log" if args.breakdown else None)
    env = {**os.environ, "NTC_CACHE_DIR": str(work / "cache")}
    if args.breakdown:
        env["NTC_PREVIEW_TRACE"] = "1"
    server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--content", str(work / "content"),
                               "--port", str(port)], cwd=work, stdout=subprocess.DEVNULL,
                              stderr=log.open("w") if log else subprocess.DEVNULL, env=env)
    source = work / "content" / args.page
    url = f"http://127.0.0.1:{port}/{args.page[:-3].removesuffix('index')}/".replace("//", "/").replace(
        "http:/", "http://")
    try:
        wait_for(url, 600)
        times: list[float] = []
        edits: list[tuple[float, list[float]]] = []  # per edit: saved (wall clock), the page's navigation timing
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            page = browser.new_page()
            # Playwright polls for text less and less often (up to every 500 ms) while the old page is still
            # shown, so the time is that of the reloaded page's load event, once the text was found in it.
            loads: list[float] = []
            page.on("load", lambda: loads.append(time.perf_counter()))
            page.goto(url)
            page.wait_for_timeout(1000)
            for n in range(args.edits):
                marker = f"Misura {n} {time.time_ns()}"
                start, saved = time.perf_counter(), time.time()
                with source.open("a", encoding="utf-8") as f:
                    f.write(f"\n\n{marker}\n")
                page.get_by_text(marker).wait_for(timeout=30_000)
                times.append(loads[-1] - start)
                edits.append((saved, page.evaluate(NAVIGATION)))
                page.wait_for_timeout(1500)  # the search index and the cache tables follow each edit
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        steps = breakdown(log.read_text(), edits) if args.breakdown and log else []
        shutil.rmtree(work, ignore_errors=True)
    for line in steps:
        print(line)
    print(f"save -> reloaded page over {len(times)} edits ({args.page}, {args.pages} synthetic pairs): "
          f"min {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
