"""The only writer refuses dangerous targets and clashing paths before it writes anything (issue 9)."""
from __future__ import annotations

from pathlib import Path

import pytest

from ntc_site import urls
from ntc_site.write import output


def test_a_path_that_is_both_file_and_folder_is_refused_before_any_write(tmp_path: Path):
    out = tmp_path / "_site"
    output.write_site(out, {"it/index.html": b"old"})
    files = {"it/index.html": b"new", "it/search-index.json": b"{}", "it/search-index.json/index.html": b"x"}
    assert "it/search-index.json" in urls.layout_problem(files)
    with pytest.raises(output.OutputError, match="both a file and a folder"):
        output.write_site(out, files)
    assert (out / "it/index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["._site.lock", "_site"]


def test_layout_is_fine_for_an_ordinary_site():
    assert urls.layout_problem(["index.html", "it/index.html", "it/a/index.html", "assets/site.css"]) == ""


def test_leftover_cleanup_does_not_match_other_folders_through_glob_syntax(tmp_path: Path):
    other = tmp_path / ".s1.tmp-1"  # would match the pattern '.s[1].tmp-*' if it were not escaped
    other.mkdir()
    (other / "keep.txt").write_text("keep")
    mine = tmp_path / ".s[1].tmp-2"
    mine.mkdir()
    output.write_site(tmp_path / "s[1]", {"a.html": b"x"})
    assert (other / "keep.txt").read_text() == "keep"
    assert not mine.exists()


def test_home_and_symbolic_links_are_refused(tmp_path: Path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    with pytest.raises(output.OutputError, match="refusing"):
        output.check_target(home, [])
    previous = tmp_path / "previous"
    output.write_site(previous, {"a.html": b"x"})
    (tmp_path / "link").symlink_to(previous)
    with pytest.raises(output.OutputError, match="symbolic link"):
        output.check_target(tmp_path / "link", [])
    output.check_target(previous, [])


def test_an_unknown_home_is_not_a_crash(tmp_path: Path, monkeypatch):
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(output.Path, "home", staticmethod(no_home))
    output.check_target(tmp_path / "_site", [])
    with pytest.raises(output.OutputError):
        output.check_target(Path("/"), [])
