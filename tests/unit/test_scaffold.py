"""Unit tests for `new`: page pairs and record skeletons are valid where they must be, complete, and
never overwrite anything."""
from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from ntc_site import scaffold
from ntc_site.load import content, yamlfile
from ntc_site.load import specs as schema
from ntc_site.load.records import SPECS


def args(content_dir: Path, kind: str, name: str, title: str | None = None) -> argparse.Namespace:
    return argparse.Namespace(kind=kind, name=name, title=title, content=content_dir)


def parse(files: dict[str, str], rel: str) -> content.SourcePage:
    lang, path = rel.split("/", 1)
    page, problems = content.parse_page(files[rel], lang, path, rel)
    assert problems == [], [p.format() for p in problems]
    return page


def test_page_pair_is_two_drafts_sharing_a_key_with_the_translation_recording_its_source() -> None:
    files, error = scaffold.plan("page", "it/percorso/nome", 'Un titolo: con "virgolette"')
    assert error == ""
    assert list(files) == ["it/percorso/nome.md", "en/percorso/nome.md"]
    italian, english = parse(files, "it/percorso/nome.md"), parse(files, "en/percorso/nome.md")
    assert italian.title == english.title == 'Un titolo: con "virgolette"'
    assert italian.translation_key == english.translation_key == "percorso/nome"
    assert italian.draft and english.draft
    assert italian.translation_of is None
    assert english.translation_of == content.source_hash(italian)


def test_asking_for_the_english_page_creates_the_same_pair() -> None:
    files, _ = scaffold.plan("page", "en/percorso/nome.md", "Title")
    assert list(files) == ["en/percorso/nome.md", "it/percorso/nome.md"]
    assert parse(files, "en/percorso/nome.md").translation_of == content.source_hash(parse(files, "it/percorso/nome.md"))


@pytest.mark.parametrize("name, title, expected", [
    ("percorso/nome", "T", "a page name starts with a language folder"),
    ("fr/nome", "T", "a page name starts with a language folder"),
    ("it/../fuori", "T", "'..' cannot be part of a URL"),
    ("it/con spazio", "T", "'con spazio' cannot be part of a URL"),
    ("it/nome", None, "a new page needs --title"),
    ("it/nome", "  ", "a new page needs --title"),
])
def test_bad_page_names_are_refused(name: str, title: str | None, expected: str) -> None:
    files, error = scaffold.plan("page", name, title)
    assert files == {} and expected in error


@pytest.mark.parametrize("kind", ["cluster", "area"])
def test_record_lists_every_field_and_is_only_missing_its_values(kind: str) -> None:
    files, error = scaffold.plan(kind, "nuovo-id", None)
    assert error == ""
    (rel, text), = files.items()
    assert rel == f"{scaffold.RECORD_FOLDERS[kind]}/nuovo-id.yaml"
    doc, problems = yamlfile.parse(text, rel)
    assert problems == [] and isinstance(doc.data, dict)
    spec = SPECS[scaffold.RECORD_FOLDERS[kind]]
    assert list(doc.data) == [name for name, _ in spec.fields]
    _, problems = schema.validate(doc, spec)
    messages = [p.message for p in problems]
    assert not [m for m in messages if "unknown field" in m or "missing required field" in m], messages
    assert all("must have a value" in m or "is missing" in m or "must be non-empty" in m for m in messages), messages
    for name, _ in spec.fields:
        line = next(line for line in text.split("\n") if line.startswith(f"{name}:"))
        assert "# required" in line or "# optional" in line


def test_cluster_record_comments_explain_the_fields() -> None:
    text = scaffold.record_text("cluster", "x")
    assert "area:" in text and "content/areas/" in text
    assert "website: null  # optional · an http:// or https:// address" in text
    assert "en may stay null when no official translation exists" in text


def test_bad_record_ids_are_refused() -> None:
    assert scaffold.plan("cluster", "Nome Con Spazi", None)[1].endswith("(lowercase letters, digits and single hyphens)")
    assert scaffold.plan("area", "../x", None)[0] == {}


def test_main_creates_the_files(tmp_path: Path, capsys) -> None:
    assert scaffold.main(args(tmp_path, "page", "it/percorso/nome", "Titolo")) == 0
    assert (tmp_path / "it" / "percorso" / "nome.md").is_file()
    assert (tmp_path / "en" / "percorso" / "nome.md").is_file()
    assert scaffold.main(args(tmp_path, "cluster", "nuovo")) == 0
    assert (tmp_path / "clusters" / "nuovo.yaml").is_file()
    assert "created" in capsys.readouterr().out


def test_main_refuses_to_overwrite_and_creates_nothing(tmp_path: Path, capsys) -> None:
    english = tmp_path / "en" / "percorso" / "nome.md"
    english.parent.mkdir(parents=True)
    english.write_text("already here", encoding="utf-8")
    assert scaffold.main(args(tmp_path, "page", "it/percorso/nome", "Titolo")) == 1
    assert english.read_text(encoding="utf-8") == "already here"
    assert not (tmp_path / "it" / "percorso" / "nome.md").exists()
    assert "already exists; nothing was created" in capsys.readouterr().err
    record = tmp_path / "areas" / "x.yaml"
    record.parent.mkdir()
    record.write_text("name: mine\n", encoding="utf-8")
    assert scaffold.main(args(tmp_path, "area", "x")) == 1
    assert record.read_text(encoding="utf-8") == "name: mine\n"


def test_main_usage_errors_exit_2(tmp_path: Path) -> None:
    assert scaffold.main(args(tmp_path, "page", "it/nome", None)) == 2
    assert scaffold.main(args(tmp_path / "missing", "area", "x")) == 2
