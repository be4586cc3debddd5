"""Hostile YAML (issue 9): every trap is refused with a located problem, in bounded time, never a crash."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from ntc_site.load import yamlfile


def parse(text: str):
    return yamlfile.parse(text, "x.yaml")


def only(problems):
    assert len(problems) >= 1
    return problems[0]


def test_duplicate_keys_tabs_and_merge_keys_are_located():
    _, problems = parse("a: 1\nb: 2\na: 3\n")
    assert (only(problems).line, only(problems).message) == (3, "duplicate key 'a'")
    _, problems = parse("a:\n  b: 1\n\t c: 2\n")
    assert only(problems).line == 3 and "tab" in only(problems).message
    _, problems = parse("base: {a: 1}\nother:\n  <<: {a: 2}\n")
    assert only(problems).line == 3 and "merge" in only(problems).message


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system [touch PWNED]", "!!python/object:os.system {}",
                                 "!!python/name:os.system", "!!binary aGk=", "!!set {a}", "!local 1"])
def test_tags_that_construct_objects_are_refused(tag: str, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    doc, problems = parse(f"title: ok\nvalue: {tag}\n")
    assert doc is None and only(problems).line == 2 and "tag" in only(problems).message
    assert not (tmp_path / "PWNED").exists()


def test_alias_bomb_is_refused_quickly_and_located():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{n}: &{n} [{', '.join(['*' + p] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi")]
    start = time.perf_counter()
    doc, problems = parse("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1.0
    assert doc is None and problems
    assert all("anchors and aliases" in p.message and 1 <= p.line <= len(lines) for p in problems)


def test_a_single_alias_is_refused_at_its_key():
    _, problems = parse("a: &x hello\nb: *x\n")
    assert only(problems).line == 2 and "aliases" in only(problems).message


def test_too_many_values_are_refused():
    text = "items:\n" + "".join(f"  - {i}\n" for i in range(yamlfile.MAX_NODES + 10))
    doc, problems = parse(text)
    assert doc is None and f"more than {yamlfile.MAX_NODES}" in only(problems).message
    assert only(problems).line > 1


@pytest.mark.parametrize("depth", [65, 600, 990])
@pytest.mark.parametrize("open_, close", [("[", "]"), ("{a: ", "}")])
def test_deep_nesting_is_a_problem_not_a_recursion_error(depth: int, open_: str, close: str):
    doc, problems = parse("a: " + open_ * depth + "1" + close * depth + "\n")
    assert doc is None and only(problems).line == 1 and "nested" in only(problems).message


def test_reasonable_nesting_still_parses():
    doc, problems = parse("a: " + "[" * 10 + "1" + "]" * 10 + "\n")
    assert problems == [] and doc is not None


def test_oversized_file_is_refused_before_parsing(tmp_path: Path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (yamlfile.MAX_BYTES + 1) + b"\n")
    doc, problems = yamlfile.load_file(big, "big.yaml")
    assert doc is None and "too large" in only(problems).message


def test_a_fifo_is_refused_instead_of_hanging(tmp_path: Path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    answer: list = []
    reader = threading.Thread(target=lambda: answer.append(yamlfile.load_file(fifo, "pipe.yaml")), daemon=True)
    reader.start()
    reader.join(timeout=5)
    assert answer, "reading a FIFO blocked"
    doc, problems = answer[0]
    assert doc is None and "not a regular file" in only(problems).message


def test_not_utf8_bom_crlf_and_nfc():
    assert yamlfile.decode(b"a: 1\nb: \xff\n", "x")[1][0].line == 2
    text, problems = yamlfile.decode(b"\xef\xbb\xbfa: 1\r\nb: e\xcc\x81\rc: 3", "x")
    assert problems == [] and text == "a: 1\nb: \u00e9\nc: 3"


def test_symbolic_link_is_named_as_itself_not_its_target(tmp_path: Path, monkeypatch):
    (tmp_path / "secret-target").write_text("x")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "secret-target")
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    monkeypatch.chdir(tmp_path)
    assert yamlfile.display_path(tmp_path / "link.yaml") == "link.yaml"
    assert yamlfile.display_path(tmp_path / "loop.yaml") == "loop.yaml"


def test_file_names_in_messages_one_namer_for_a_whole_run(tmp_path: Path, monkeypatch):
    """Issue 17: `display_namer` resolves each folder once; names stay those of `display_path`: relative to
    the working directory through linked folders, as written outside it, control characters escaped."""
    (tmp_path / "real" / "it").mkdir(parents=True)
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "content").symlink_to(tmp_path / "real")
    (tmp_path / "work" / "loop").symlink_to(tmp_path / "work" / "loop")
    monkeypatch.chdir(tmp_path / "work")
    name = yamlfile.display_namer()
    (tmp_path / "work" / "own").mkdir()
    (tmp_path / "work" / "inside").symlink_to(tmp_path / "work" / "own")
    cases = {Path("own/a.md"): "own/a.md", Path("inside/a.md"): "own/a.md", Path("own/../own/b.md"): "own/b.md",
             tmp_path / "work" / "x.md": "x.md", Path("content/it/a.md"): "content/it/a.md",  # outside: as written
             Path("/etc/passwd"): "/etc/passwd", Path("own/a\x1bb\u200b.md"): "own/a\\x1bb\\u200b.md",
             Path("loop/f.md"): "loop/f.md", Path("città/è.md"): "città/è.md"}
    assert {file: name(file) for file in cases} == cases
    assert all(yamlfile.display_path(file) == expected for file, expected in cases.items())
    monkeypatch.chdir(tmp_path)
    assert [name(Path("real/it/a.md")), name(Path("work/content/it/a.md"))] == ["real/it/a.md", "real/it/a.md"]
    assert name(Path("work/x\x07.md")) == "work/x\\x07.md"
