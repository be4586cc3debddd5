"""Hostile file names, slugs and symbolic links (issue 9): refused with the file named, never followed."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ntc_site.load import content


def page(front: str, rel: str = "x.md"):
    return content.parse_page(f"---\ntitle: T\n{front}\n---\nbody\n", "it", rel, "it/x.md")


@pytest.mark.parametrize("slug", ["..", ".", "../etc", "/etc/passwd", "a/b", "a\\\\b", "a\\tb", "a\\x00b",
                                  "a\\x1bb", "a\\x7fb", "a\\u202eb", "a\\u200bb", "\\ufeffa", "a\\u2028b",
                                  "a b", "a?b", "a#b", "a%2e", "<x>", "a\\\"b", "a'b"])
def test_unsafe_slugs_are_refused_at_the_slug_line(slug: str):
    result, problems = page(f'slug: "{slug}"')
    assert result is None
    assert [(p.path, p.line) for p in problems] == [("it/x.md", 3)], problems
    assert "cannot be part of a URL" in problems[0].message or "control characters" in problems[0].message


@pytest.mark.parametrize("rel", ["a\\b.md", "sub/a\x01b.md", "a\u202eb.md", "a b.md", "../x.md"])
def test_unsafe_file_names_are_refused(rel: str):
    result, problems = content.parse_page("---\ntitle: T\n---\n", "it", rel, "it/x.md")
    assert result is None and "file name" in problems[0].message


def test_control_characters_are_escaped_in_messages():
    _, problems = content.parse_page("---\ntitle: T\n---\n", "it", "a\x1b[31mred.md", "it/x.md")
    assert "\x1b" not in problems[0].format() and "\\x1b" in problems[0].format()


def test_unicode_slugs_are_nfc():
    decomposed = unicodedata.normalize("NFD", "città")
    result, problems = page(f"slug: {decomposed}")
    assert problems == [] and result.slug == "città" and result.segments == ("città",)


def test_symbolic_links_leading_outside_are_reported_wherever_they_are(tmp_path: Path):
    root = tmp_path / "content"
    for folder in ("it", "en", "media", "clusters"):
        (root / folder).mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    (root / "media" / "leak.txt").symlink_to(secret)
    (root / "clusters" / "x.yaml").symlink_to(secret)
    (root / "site.yaml").symlink_to(secret)
    (root / "media" / "dir").symlink_to(tmp_path)
    (root / "media" / "loop").symlink_to(root / "media" / "loop")
    (root / "media" / "inside.txt").symlink_to(root / "clusters")
    problems = content.outside_links(root)
    found = {p.path.split("/content/")[-1]: p.message for p in problems}
    assert found == {
        "media/leak.txt": "symbolic link leads outside the content folder",
        "clusters/x.yaml": "symbolic link leads outside the content folder",
        "site.yaml": "symbolic link leads outside the content folder",
        "media/dir": "symbolic link leads outside the content folder",
        "media/loop": "symbolic link is broken or loops",
    }


def test_language_folder_links_are_refused_and_not_read(tmp_path: Path):
    root = tmp_path / "content"
    (root / "it").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.md").write_text("---\ntitle: secret\n---\n")
    (root / "en").symlink_to(elsewhere)
    (root / "it" / "sub").symlink_to(elsewhere)
    (root / "it" / "loop.md").symlink_to(root / "it" / "loop.md")
    (root / "it" / "ok.md").write_text("---\ntitle: ok\n---\n")
    (root / "it" / "alias.md").symlink_to(root / "it" / "ok.md")
    pages, problems = content.load(root)
    assert sorted(p.rel for p in pages) == ["alias.md", "ok.md"]
    assert sorted(p.path.split("/content/")[-1] for p in problems) == ["en", "it/loop.md", "it/sub"]
