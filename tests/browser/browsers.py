"""Which Chromium the browser suite drives: the system's where there is one, else Playwright's own build.

CI and the project's machines run Debian, where `apt-get install chromium` gives `/usr/bin/chromium`; the
suite then never downloads anything. Elsewhere (macOS, another Linux) `make test` runs this file first,
which installs Playwright's Chromium once, so a newcomer needs no step beyond the README's two commands.
Kept free of pytest so the Makefile and the conftest share one decision.

    python tests/browser/browsers.py            # prints the browser the suite will use
    python tests/browser/browsers.py --install  # also installs Playwright's Chromium when there is no other
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import Callable, Sequence

SYSTEM_NAMES = ("chromium", "chromium-browser")  # Debian's package, then Ubuntu's and others' name


@dataclass(frozen=True)
class Browser:
    executable: str | None  # None: Playwright's own Chromium, launched without an executable path

    @property
    def describe(self) -> str:
        return f"system Chromium {self.executable}" if self.executable else "Playwright's own Chromium"


def find_browser(path: str | None = None) -> Browser:
    """The first system Chromium on `path` (default: $PATH), else Playwright's build."""
    for name in SYSTEM_NAMES:
        found = shutil.which(name, path=path)
        if found:
            return Browser(found)
    return Browser(None)


def install_command(browser: Browser) -> list[str] | None:
    """The command that installs Playwright's Chromium, or None when a system Chromium will be used.
    `playwright install` is a no-op once the build it wants is there, so running it again costs little."""
    if browser.executable:
        return None
    return [sys.executable, "-m", "playwright", "install", "chromium"]


def main(argv: Sequence[str], run: Callable[[list[str]], int] = lambda cmd: subprocess.call(cmd)) -> int:
    browser = find_browser()
    command = install_command(browser) if "--install" in argv else None
    if command:
        print("no system Chromium found: installing Playwright's (once)", flush=True)
        code = run(command)
        if code:
            return code
    print(f"browser tests will use: {browser.describe}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
