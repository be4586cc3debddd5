from pathlib import Path

from ntc_site.load import content


def parse(text: str, rel: str = "pagina.md"):
    return content.parse_page(text, "it", rel, f"content/it/{rel}")


def test_front_matter_is_split_and_body_line_kept():
    page, problems = parse("---\ntitle: Ciao\ndescription: Una pagina.\n---\n\nTesto\n")
    assert not problems
    assert page.title == "Ciao" and page.body_line == 5 and page.body.strip() == "Testo"
    assert page.translation_key == "pagina.md" and page.template == "page"


def test_missing_title_is_reported_on_front_matter():
    _, problems = parse("---\ndescription: x\n---\nTesto\n")
    assert "missing required field 'title'" in problems[0].message


def test_unknown_front_matter_field_has_hint_and_line():
    _, problems = parse("---\ntitle: Ciao\ntranslation_kye: x\n---\n")
    assert problems[0].line == 3 and problems[0].hint == "did you mean 'translation_key'?"


def test_no_front_matter_and_unclosed_front_matter():
    assert "missing front matter" in parse("Testo\n")[1][0].message
    assert "not closed" in parse("---\ntitle: x\n")[1][0].message


def test_empty_page_is_a_problem():
    assert parse("")[1][0].message == "file is empty"


def test_slug_replaces_the_last_segment_and_index_is_the_folder():
    page, _ = parse("---\ntitle: x\nslug: nuovo\n---\n", "sezione/vecchio.md")
    assert page.segments == ("sezione", "nuovo")
    page, _ = parse("---\ntitle: x\n---\n", "sezione/index.md")
    assert page.segments == ("sezione",)


def test_unsafe_slugs_are_refused():
    for slug in ("../x", "a/b", "a b", "a\\\\b", "%2e"):
        _, problems = parse(f"---\ntitle: x\nslug: \"{slug}\"\n---\n")
        assert problems and "slug" in problems[0].message, slug


def test_symlink_outside_content_is_refused(tmp_path: Path):
    (tmp_path / "content" / "it").mkdir(parents=True)
    (tmp_path / "secret.md").write_text("---\ntitle: s\n---\n")
    (tmp_path / "content" / "it" / "link.md").symlink_to(tmp_path / "secret.md")
    found, problems = content.find_sources(tmp_path / "content", "it")
    assert found == [] and "outside the content folder" in problems[0].message
