"""`check --strict` end to end: a fixture that passes, and one edit per kind of finding that must fail it
with the right file and line."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ntc_site import cli

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "strict-clean" / "content"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def strict(content: Path, capsys) -> tuple[int, list[str], str]:
    code = cli.main(["check", "--strict", "--content", str(content)])
    out, err = capsys.readouterr()
    problems = [line for line in err.splitlines() if ": " in line and not line.endswith("written.")
                and not line.startswith(("rendering pages: ", "note: "))]  # progress and build notes
    return code, problems, out


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def drop_english_about(site: Path) -> None:
    """Delete the English partner of it/chi-siamo.md, and the one link to it."""
    (site / "en" / "about.md").unlink()
    edit(site / "en" / "index.md", "[link](about.md#contact)", "link")


def line_of(file: Path, text: str) -> int:
    return next(i for i, line in enumerate(file.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def test_the_fixture_passes_and_prints_a_parity_summary(site: Path, capsys) -> None:
    code, problems, out = strict(site, capsys)
    assert (code, problems) == (0, [])
    assert "pages (top level): 2 in both languages" in out
    assert "records clusters/: 1 bilingual fields in both languages, 1 declared with no translation (null)" in out


def test_plain_check_ignores_what_strict_reports(site: Path, capsys) -> None:
    drop_english_about(site)
    assert cli.main(["check", "--content", str(site)]) == 0
    capsys.readouterr()
    assert strict(site, capsys)[0] == 1


def test_page_in_one_language_only(site: Path, capsys) -> None:
    drop_english_about(site)
    code, problems, out = strict(site, capsys)
    assert code == 1
    assert problems == [f"{site}/it/chi-siamo.md:1: page has no 'en' version — create content/en/chi-siamo.md "
                        "with translation_key: about"]
    assert "pages (top level): 1 in both languages, 1 only in it" in out


def test_front_matter_field_in_one_language_only(site: Path, capsys) -> None:
    edit(site / "en" / "about.md", "description: Who makes the test site.\n", "")
    code, problems, _ = strict(site, capsys)
    assert code == 1
    assert problems == [f"{site}/en/about.md:1: 'description' is set in the 'it' version ({site}/it/chi-siamo.md:3)"
                        " but not here — add 'description:' to this page"]


def test_record_field_in_one_language_only(site: Path, capsys) -> None:
    record = site / "clusters" / "alpha.yaml"
    edit(record, 'name: {it: "Cluster Alfa", en: null}', 'name: {it: "Cluster Alfa"}')
    code, problems, out = strict(site, capsys)
    assert code == 1
    assert len(problems) == 1
    assert problems[0].startswith(f"{record}:{line_of(record, 'name:')}:")
    assert "'name' has no 'en' text" in problems[0]
    assert "1 with a language missing" in out


def test_translation_older_than_its_source(site: Path, capsys) -> None:
    edit(site / "it" / "chi-siamo.md", "Via di prova 1.", "Via di prova 2.")
    code, problems, _ = strict(site, capsys)
    assert code == 1
    assert len(problems) == 1
    line = line_of(site / "en" / "about.md", "translation_of:")
    assert problems[0].startswith(f"{site}/en/about.md:{line}: translation is older than its source "
                                  f"{site}/it/chi-siamo.md (translation_of a6df89f0a2be, source is now ")


def test_translation_without_translation_of(site: Path, capsys) -> None:
    edit(site / "en" / "index.md", "translation_of: d2bec195cde7\n", "")
    code, problems, _ = strict(site, capsys)
    assert code == 1
    assert problems == [f"{site}/en/index.md:1: translation does not record which version of {site}/it/index.md "
                        "it translates — once it matches, add 'translation_of: d2bec195cde7'"]


def test_translation_of_without_a_source_page(site: Path, capsys) -> None:
    page = site / "en" / "about.md"
    edit(page, "translation_key: about", "translation_key: about-us")
    code, problems, _ = strict(site, capsys)
    assert code == 1
    assert f"{page}:{line_of(page, 'translation_of:')}: 'translation_of' is set but no page in the other language " \
           "has translation_key 'about-us'" in problems
    assert f"{page}:1: page has no 'it' version — create content/it/about.md with translation_key: about-us" in problems


def test_broken_anchor(site: Path, capsys) -> None:
    page = site / "en" / "index.md"
    edit(page, "about.md#contact", "about.md#contacts")
    code, problems, _ = strict(site, capsys)
    assert code == 1
    assert problems == [f"{page}:{line_of(page, '#contacts')}: link to missing anchor '#contacts' on "
                        "/ntc-site/en/about/ — did you mean 'contact'?"]


def test_broken_anchor_on_the_same_page(site: Path, capsys) -> None:
    page = site / "en" / "about.md"
    edit(page, "(#contact)", "(#contacts-and-more)")
    code, problems, _ = strict(site, capsys)
    assert code == 1
    assert len(problems) == 1
    assert problems[0].startswith(f"{page}:{line_of(page, '#contacts-and-more')}: link to missing anchor "
                                  "'#contacts-and-more' on /ntc-site/en/about/")


def test_broken_link_in_raw_html(site: Path, capsys) -> None:
    page = site / "it" / "chi-siamo.md"
    edit(page, "Via di prova 1.", 'Via di prova 1. <a href="../non-esiste/">Altro</a>')
    code, problems, _ = strict(site, capsys)
    assert code == 1
    broken = [p for p in problems if "leads to no file" in p]
    assert broken == [f"{page}:{line_of(page, 'non-esiste')}: link '../non-esiste/' leads to no file of the site"
                      " — link to pages and media by their source file: [text](../page.md)"]


def test_image_without_alt_text(site: Path, capsys) -> None:
    page = site / "en" / "about.md"
    edit(page, "![Test logo](../media/logo.svg)", "![](../media/logo.svg)")
    code, problems, _ = strict(site, capsys)
    assert code == 1
    assert problems == [f"{page}:{line_of(page, 'logo.svg')}: image without alt text — describe the image: "
                        "![what it shows](../media/file.png)"]


def test_raw_html_image_without_alt_attribute_and_missing_file(site: Path, capsys) -> None:
    page = site / "en" / "about.md"
    edit(page, "Via di prova 1.", 'Via di prova 1. <img src="../../media/nope.png">')
    code, problems, _ = strict(site, capsys)
    assert code == 1
    line = line_of(page, "nope.png")
    assert problems == [
        f"{page}:{line}: image '../../media/nope.png' has no alt attribute — add alt=\"what it shows\"",
        f"{page}:{line}: link '../../media/nope.png' leads to no file of the site — link to pages and media by "
        "their source file: [text](../page.md)",
    ]


def test_heading_levels_that_skip(site: Path, capsys) -> None:
    page = site / "en" / "about.md"
    edit(page, "### Address", "#### Address")
    edit(page, "## Areas", "# Areas")
    code, problems, _ = strict(site, capsys)
    assert code == 1
    assert problems == [
        f"{page}:{line_of(page, '#### Address')}: heading level skips from 2 to 4 — use '###' here",
        f"{page}:{line_of(page, '# Areas')}: heading level 1 in the text: the page title is already the level-1 "
        "heading — start headings in the text at '##'",
    ]


def test_published_page_linking_to_a_draft(site: Path, capsys) -> None:
    page = site / "en" / "index.md"
    edit(page, "and a [list]", "a [draft](../it/bozza.md) and a [list]")
    code, problems, _ = strict(site, capsys)
    assert code == 1
    assert problems == [f"{page}:{line_of(page, 'bozza.md')}: published page links to the draft "
                        f"{site}/it/bozza.md — publish that page first, or remove the link"]


def test_published_page_whose_translation_is_a_draft(site: Path, capsys) -> None:
    edit(site / "en" / "about.md", "menu: main\n", "menu: main\ndraft: true\n")
    code, problems, _ = strict(site, capsys)
    assert code == 1
    assert f"{site}/it/chi-siamo.md:1: page is published but its 'en' version {site}/en/about.md is a draft " \
           "— finish the translation and remove 'draft: true', or make both drafts" in problems


def test_every_finding_of_a_run_is_reported(site: Path, capsys) -> None:
    drop_english_about(site)
    edit(site / "en" / "index.md", "[list](clusters/index.md)", "[list](clusters/index.md#nowhere)")
    edit(site / "en" / "clusters" / "index.md", "Intro.", "Intro.\n\n### Too deep")
    code, problems, _ = strict(site, capsys)
    assert code == 1
    assert len(problems) == 3


def test_command_line_exit_code_and_stderr(site: Path) -> None:
    drop_english_about(site)
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--strict", "--content", str(site)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 1
    assert f"{site}/it/chi-siamo.md:1: page has no 'en' version" in run.stderr


def test_shipped_content_passes_strict(capsys) -> None:
    code, problems, _ = strict(ROOT / "content", capsys)
    assert problems == []
    assert code == 0


def lines_of(file: Path, text: str) -> list[int]:
    return [i for i, line in enumerate(file.read_text(encoding="utf-8").split("\n"), 1) if text in line]


def test_a_repeated_broken_link_is_reported_at_each_of_its_lines(site: Path, capsys) -> None:
    page = site / "en" / "about.md"
    edit(page, "Via di prova 1.", 'Via di prova 1. <a href="../nowhere/">Other</a>\n\nText.\n\n'
                                  '<a href="../nowhere/">Again</a> and [here](#gone)\n\nAnd [here](#gone).')
    code, problems, _ = strict(site, capsys)
    assert code == 1
    links, anchors = lines_of(page, "nowhere"), lines_of(page, "#gone")
    assert len(links) == len(anchors) == 2
    assert sorted(problems) == sorted(
        [f"{page}:{line}: link '../nowhere/' leads to no file of the site — link to pages and media by their"
         " source file: [text](../page.md)" for line in links] +
        [f"{page}:{line}: link to missing anchor '#gone' on /ntc-site/en/about/ — anchors are made from headings:"
         " '## Contatti' gives #contatti" for line in anchors])


def test_a_repeated_heading_is_reported_at_its_own_line(site: Path, capsys) -> None:
    page = site / "en" / "about.md"
    edit(page, "The [areas](areas/index.md).", "The [areas](areas/index.md).\n\nThe Address in a paragraph.\n\n"
                                               "#### Address\n\nText.")
    code, problems, _ = strict(site, capsys)
    assert code == 1
    assert problems == [f"{page}:{line_of(page, '#### Address')}: heading level skips from 2 to 4 — use '###'"
                        " here"]
