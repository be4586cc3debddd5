"""How long an editor waits: from saving one page to seeing it reloaded in the browser.

Starts `build.py serve` on a copy of the real project (content, templates, datasets) in a temporary folder,
opens a page in Debian's chromium through Playwright, appends a line to that page's Markdown file and
times until the reloaded page shows it. Prints min/median/max over N edits. Not a test: a measurement.

    .venv/bin/python bench/preview_latency.py [--edits 15]
"""
from __future__ import annotations

import argparse
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
    parser.add_argument("--page", default="it/informazioni.md")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ntc-preview-", dir=ROOT / "bench"))
    for folder in ("content", "templates", "datasets"):
        shutil.copytree(ROOT / folder, work / folder)
    port = free_port()
    server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--content", str(work / "content"),
                               "--port", str(port)], cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    source = work / "content" / args.page
    url = f"http://127.0.0.1:{port}/{args.page[:-3].removesuffix('index')}/".replace("//", "/").replace(
        "http:/", "http://")
    try:
        wait_for(url)
        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url)
            page.wait_for_timeout(1000)
            for n in range(args.edits):
                marker = f"Misura {n} {time.time_ns()}"
                start = time.perf_counter()
                with source.open("a", encoding="utf-8") as f:
                    f.write(f"\n\n{marker}\n")
                page.get_by_text(marker).wait_for(timeout=30_000)
                times.append(time.perf_counter() - start)
                page.wait_for_timeout(500)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    print(f"save -> reloaded page over {len(times)} edits: min {min(times):.2f} s, "
          f"median {statistics.median(times):.2f} s, max {max(times):.2f} s")


if __name__ == "__main__":
    main()
