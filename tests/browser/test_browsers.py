"""The choice of browser, with PATH faked: a system Chromium when there is one, else Playwright's own,
which `make test` installs first. (No Chromium is launched here: this runs on any machine.)"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import browsers
import pytest

ROOT = Path(__file__).resolve().parents[2]


def fake_path(tmp_path: Path, *names: str, executable: bool = True) -> str:
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in names:
        program = folder / name
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755 if executable else 0o644)
    return str(folder)


def test_debian_chromium_is_used_when_on_path(tmp_path: Path):
    path = fake_path(tmp_path, "chromium", "chromium-browser")
    chosen = browsers.find_browser(path)
    assert chosen.executable == str(Path(path) / "chromium")
    assert browsers.install_command(chosen) is None
    assert "system Chromium" in chosen.describe and chosen.executable in chosen.describe


def test_chromium_browser_is_the_second_choice(tmp_path: Path):
    path = fake_path(tmp_path, "chromium-browser")
    assert browsers.find_browser(path).executable == str(Path(path) / "chromium-browser")


@pytest.mark.parametrize("names, executable", [((), True), (("chromium",), False), (("google-chrome",), True)])
def test_without_a_system_chromium_playwrights_own_is_installed(tmp_path: Path, names, executable: bool):
    chosen = browsers.find_browser(fake_path(tmp_path, *names, executable=executable))
    assert chosen.executable is None and chosen.describe == "Playwright's own Chromium"
    assert browsers.install_command(chosen) == [sys.executable, "-m", "playwright", "install", "chromium"]


def test_main_installs_only_when_asked_and_needed(tmp_path: Path, monkeypatch, capsys):
    ran: list[list[str]] = []

    def run(command: list[str]) -> int:
        ran.append(command)
        return 0

    monkeypatch.setenv("PATH", fake_path(tmp_path))
    assert browsers.main([], run) == 0 and ran == []
    assert browsers.main(["--install"], run) == 0
    assert ran == [[sys.executable, "-m", "playwright", "install", "chromium"]]
    assert capsys.readouterr().out.splitlines()[-1] == "browser tests will use: Playwright's own Chromium"
    assert browsers.main(["--install"], lambda command: 7) == 7  # a failed download stops `make test`
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    (tmp_path / "bin" / "chromium").write_text("#!/bin/sh\n")
    (tmp_path / "bin" / "chromium").chmod(0o755)
    ran.clear()
    assert browsers.main(["--install"], run) == 0 and ran == []


def test_make_test_asks_for_a_browser_before_running_the_suite():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "Makefile has no test target"
    lines = [line.strip() for line in recipe.group(1).splitlines()]
    assert lines[0] == "$(PY) tests/browser/browsers.py --install"
    assert lines[1].startswith("$(PY) -m pytest")
