from pathlib import Path

import pytest

from ntc_site.write import output


def test_refuses_root_content_and_parents(tmp_path: Path):
    content = tmp_path / "content"
    content.mkdir()
    for bad in (Path("/"), content, tmp_path):
        with pytest.raises(output.OutputError):
            output.check_target(bad, [content])


def test_refuses_non_empty_folder_that_is_not_a_build(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "thesis.txt").write_text("precious")
    with pytest.raises(output.OutputError, match="not a previous ntc-site build"):
        output.check_target(tmp_path / "docs", [])


def test_swap_replaces_the_whole_tree(tmp_path: Path):
    out = tmp_path / "_site"
    output.write_site(out, {"a.html": b"1", "sub/b.html": b"2"})
    output.write_site(out, {"a.html": b"3"})
    assert (out / "a.html").read_bytes() == b"3" and not (out / "sub").exists()
    assert (out / output.MARKER).is_file()
    output.check_target(out, [])  # a previous build may be replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["._site.lock", "._site.spare", "_site"]


def test_failed_write_leaves_previous_output(tmp_path: Path):
    out = tmp_path / "_site"
    output.write_site(out, {"a.html": b"old"})
    with pytest.raises(output.OutputError):
        output.write_site(out, {"a.html": b"new", "../escape.html": b"x"})
    assert (out / "a.html").read_bytes() == b"old"
    assert not list(tmp_path.glob("._site.tmp-*"))


def test_leftovers_of_a_killed_build_are_removed(tmp_path: Path):
    out = tmp_path / "_site"
    (tmp_path / "._site.tmp-99999").mkdir()
    output.write_site(out, {"a.html": b"x"})
    assert not (tmp_path / "._site.tmp-99999").exists()


def test_refuses_output_inside_the_content_folder(tmp_path: Path):
    content = tmp_path / "content"
    (content / "media").mkdir(parents=True)
    with pytest.raises(output.OutputError, match="lies inside"):
        output.check_target(content / "media" / "site", [content], (content,))


def listing(folder: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and every folder (None) below `folder`: a stale empty folder counts."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None
            for p in sorted(folder.rglob("*"))}


def test_the_replaced_tree_is_reused_and_ends_equal_to_a_fresh_write(tmp_path: Path):
    out = tmp_path / "_site"
    sites = [{"a/index.html": b"1", "b/index.html": b"2", "c.txt": b"3"},
             {"a/index.html": b"1", "b/index.html": b"two", "d/e/f.txt": b"4"},
             {"a/index.html": b"one", "b": b"now a file", "d/e/f.txt": b"4", "g.txt": b"5"},  # a folder -> file
             {"a/index.html": b"one", "b/c/index.html": b"a folder again", "g.txt": b"5"}]  # d/e/ emptied
    for step, files in enumerate(sites):
        output.write_site(out, files)
        fresh = tmp_path / f"fresh-{step}"
        output.write_site(fresh, files)
        assert listing(out) == listing(fresh), step
        assert {k for k, v in listing(out).items() if v is not None} == set(files) | {output.MARKER}, step
        if step:
            assert (tmp_path / "._site.spare").is_dir()  # the replaced tree, kept for the next build
    assert "d" not in listing(out) and listing(out)["b"] is None and "c.txt" not in listing(out)


def test_editing_the_spare_never_changes_the_live_output(tmp_path: Path):
    out = tmp_path / "_site"
    output.write_site(out, {"x.html": b"same", "y.html": b"old"})
    output.write_site(out, {"x.html": b"same", "y.html": b"new"})  # x is a hard link shared with the spare
    live = {p.name: p.read_bytes() for p in out.iterdir()}
    output.write_site(tmp_path / "other", {"z": b"z"})  # unrelated output: its own spare
    output.write_site(out, {"x.html": b"changed", "y.html": b"new"})
    assert (out / "x.html").read_bytes() == b"changed"
    assert live["x.html"] == b"same" and (tmp_path / "._site.spare" / "x.html").read_bytes() == b"same"


def _site_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.parametrize("spare", [False, True])
def test_files_staged_early_end_up_exactly_as_the_final_site(tmp_path: Path, spare: bool):
    out = tmp_path / "_site"
    if spare:  # a spare tree to reuse, with a folder where a file will go and a file that must go
        output.write_site(out, {"a/index.html": b"0", "p/index.html/x": b"folder", "gone.html": b"g"})
        output.write_site(out, {"a/index.html": b"1"})
    final = {"a/index.html": b"A", "p/index.html": b"P", "q/index.html": b"Q", "r.css": b"R"}
    writer = output.Writer(out)
    writer.write_early("a/index.html", final["a/index.html"])
    writer.write_early("p/index.html", final["p/index.html"])
    writer.write_early("q/index.html", b"an earlier version")  # replaced: the final bytes are other bytes
    writer.write_early("stray/index.html", b"not in the final site")
    output.write_site(out, final, writer)
    assert _site_files(out) == {**final, output.MARKER: output.MARKER_TEXT}
    assert sorted(p.name for p in out.iterdir()) == [output.MARKER, "a", "p", "q", "r.css"]


def test_staging_early_never_touches_the_live_output_before_the_swap(tmp_path: Path):
    out = tmp_path / "_site"
    output.write_site(out, {"x.html": b"same", "y.html": b"old"})
    output.write_site(out, {"x.html": b"same", "y.html": b"new"})  # the spare's x.html is the live inode
    before = _site_files(out)
    writer = output.Writer(out)
    assert writer.reused
    writer.write_early("x.html", b"changed")
    assert _site_files(out) == before  # staged only
    writer.abort()  # the build failed: nothing published
    assert _site_files(out) == before
    assert not list(tmp_path.glob("._site.tmp-*"))


@pytest.mark.parametrize("spare", [False, True])
@pytest.mark.parametrize("bad", ["/etc/passwd", "../outside.html", "it/../../outside.html", "a\\b.html", "",
                                 ".", "./", "//x"])
def test_a_path_that_escapes_the_site_is_refused_before_anything_is_published(tmp_path: Path, bad: str,
                                                                              spare: bool):
    out = tmp_path / "site" / "_site"
    output.write_site(out, {"a.html": b"1"})
    if spare:  # a second build: the next one edits the spare tree
        output.write_site(out, {"a.html": b"2"})
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(output.OutputError, match="escapes the site"):
        output.write_site(out, {"a.html": b"3", bad: b"x"})
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not (tmp_path / "site" / "outside.html").exists() and not (tmp_path / "outside.html").exists()


@pytest.mark.parametrize("good", ["a/./b.html", "a//b.html", "./c.html"])
def test_paths_that_stay_inside_are_written_where_they_point(tmp_path: Path, good: str):
    out = tmp_path / "_site"
    output.write_site(out, {good: b"ok"})
    assert (out / good).read_bytes() == b"ok"
