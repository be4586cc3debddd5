"""How long an editor waits: from saving one page to seeing it reloaded in the browser.

Starts `build.py serve` on a copy of the real project (content, templates, datasets) in a temporary folder,
opens a page in Debian's chromium through Playwright, appends a line to that page's Markdown file and
times until the reloaded page shows it. Prints min/median/max over N edits. Not a test: a measurement.
`--pages N` adds the benchmark's N synthetic page pairs (bench/make_corpus.py) and edits one of them.

    .venv/bin/python bench/preview_latency.py [--edits 15] [--pages 1000]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--page", help="the page edited (default: it/informazioni.md, or a synthetic page)")
    parser.add_argument("--pages", type=int, default=0, help="synthetic page pairs added to the content")
    parser.add_argument("--log", type=Path, help="keep the server's output in this file")
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
    server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--content", str(work / "content"),
                               "--port", str(port)], cwd=work, stdout=subprocess.DEVNULL,
                              stderr=args.log.open("w") if args.log else subprocess.DEVNULL,
                              env={**os.environ, "NTC_CACHE_DIR": str(work / "cache")})
    source = work / "content" / args.page
    url = f"http://127.0.0.1:{port}/{args.page[:-3].removesuffix('index')}/".replace("//", "/").replace(
        "http:/", "http://")
    try:
        wait_for(url, 600)
        times = []
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
                start = time.perf_counter()
                with source.open("a", encoding="utf-8") as f:
                    f.write(f"\n\n{marker}\n")
                page.get_by_text(marker).wait_for(timeout=30_000)
                times.append(loads[-1] - start)
                page.wait_for_timeout(1500)  # the search index and the cache tables follow each edit
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    print(f"save -> reloaded page over {len(times)} edits ({args.page}, {args.pages} synthetic pairs): "
          f"min {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
