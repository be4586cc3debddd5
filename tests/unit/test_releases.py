"""Citable versions (issue 15): every version rebuilt from git, computed row changes, Atom feeds, strict checks.

Each test makes its own git repository in tmp_path from the synthetic fixture site: a first commit with the
sample package at 1.1.0, then a second commit that bumps it to 1.2.0 and changes one cell. Nothing here
reads the project's own history.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_datapackages import FIXTURE

from ntc_site.check import releases
from ntc_site.data import changes
from ntc_site.pipeline import run as pipeline
from ntc_site.stored import content

ATOM = "{http://www.w3.org/2005/Atom}"
BUMP = ('changelog:\n', 'changelog:\n  - version: "1.2.0"\n    date: 2024-03-05\n'
        '    note: {it: "Corretto il conteggio di 00123.", en: "Fixed the count of 00123."}\n')


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                          cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


OLDEST = ('  - version: "1.0.0"\n    date: 2024-01-01\n    note: {it: "Prima pubblicazione.", '
          'en: "First release."}\n')


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    """Two commits: sample 1.1.0, then 1.2.0 with the count of 00123 changed from 3 to 4. The working
    directory, so that messages name 'datasets/...'."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    edit(root / "datasets/sample/package.yaml", OLDEST, "")  # this history starts at 1.1.0
    monkeypatch.chdir(root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "sample 1.1.0")
    package = root / "datasets" / "sample"
    edit(package / "package.yaml", 'version: "1.1.0"', 'version: "1.2.0"')
    edit(package / "package.yaml", *BUMP)
    edit(package / "sample.csv", "00123,2020-01-31,alpha,3,", "00123,2020-01-31,alpha,4,")
    git(root, "commit", "-qam", "sample 1.2.0: a changed cell")
    return root


def build(root: Path, tmp_path: Path) -> pipeline.Result:
    result = pipeline.build(pipeline.Settings(content_dir=root / "content", cache_dir=tmp_path / "cache"))
    assert not result.problems, [p.format() for p in result.problems]
    return result


def rows(data) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content(data).decode("utf-8"))))


def test_every_version_is_published_unchanged(repo, tmp_path):
    result = build(repo, tmp_path)
    files = result.files
    assert not result.notes
    for version in ("1.1.0", "1.2.0"):
        for name in ("sample.csv", "sample.json", "sample.xlsx", "datapackage.json", "sample.zip"):
            assert f"data/sample/{version}/{name}" in files
    old, new = rows(files["data/sample/1.1.0/sample.csv"]), rows(files["data/sample/1.2.0/sample.csv"])
    assert old[0]["count"] == "3" and new[0]["count"] == "4"
    assert json.loads(content(files["data/sample/1.1.0/datapackage.json"]))["version"] == "1.1.0"
    for name in ("sample.csv", "datapackage.json", "sample.zip"):  # the latest, also where it always was
        assert content(files[f"data/sample/{name}"]) == content(files[f"data/sample/1.2.0/{name}"])


def test_old_version_files_do_not_change_when_a_new_one_is_built(repo, tmp_path):
    first = build(repo, tmp_path / "a").files
    edit(repo / "datasets/sample/package.yaml", 'version: "1.2.0"', 'version: "1.3.0"')
    edit(repo / "datasets/sample/package.yaml", "changelog:\n", 'changelog:\n  - version: "1.3.0"\n    date: 2024-03-05\n'
         '    note: {it: "Nota.", en: "Note."}\n')
    edit(repo / "datasets/sample/sample.csv", "alpha,4,", "alpha,5,")
    git(repo, "commit", "-qam", "1.3.0")
    second = build(repo, tmp_path / "b").files
    for name in ("sample.csv", "sample.xlsx", "datapackage.json", "sample.zip"):
        assert content(second[f"data/sample/1.2.0/{name}"]) == content(first[f"data/sample/1.2.0/{name}"])
        assert content(second[f"data/sample/1.1.0/{name}"]) == content(first[f"data/sample/1.1.0/{name}"])


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, str]] = []
        self.stack: list[str] = []
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag == "link":
            self.links.append(dict(attrs))

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and data.strip():
            self.tags.append((self.stack[-1], data.strip()))


def parsed(html: bytes) -> _Text:
    p = _Text()
    p.feed(html.decode("utf-8"))
    return p


def test_the_page_shows_the_computed_row_changes(repo, tmp_path):
    result = build(repo, tmp_path)
    page = next(p for p in result.site.pages if p.key == "dataset:sample" and p.lang == "en")
    html = parsed(result.files[page.path + "index.html"])
    assert ("del", "3") in html.tags and ("ins", "4") in html.tags
    text = " ".join(t for _, t in html.tags)
    assert "0 rows added, 0 removed, 1 changed" in text and "Row changes since version 1.1.0" in text
    assert "Fixed the count of 00123." in text  # the editor's note beside it
    site = result.site
    [package] = [p for p in site.datasets if p.name == "sample"]
    found = site.history.releases["sample"]
    [table] = changes.diff(found[0].package, found[1].package)
    assert table.added == () and table.removed == ()
    assert [(c.key, [(f.field, f.old, f.new) for f in c.fields]) for c in table.changed] == \
        [("00123", [("count", "3", "4")])]
    assert package.version == "1.2.0"
    changes_csv = rows(result.files["data/sample/1.2.0/changes.csv"])  # every change, cell by cell
    assert changes_csv == [{"resource": "sample", "change": "cell_changed", "key": "00123", "field": "count",
                            "old_value": "3", "new_value": "4"}]
    assert "data/sample/1.1.0/changes.csv" not in result.files  # the first version has nothing before it
    page_html = content(result.files[page.path + "index.html"]).decode()
    assert 'href="/ntc-site/data/sample/1.2.0/changes.csv"' in page_html or "/1.2.0/changes.csv\"" in page_html


def test_citation_names_the_version_and_its_url(repo, tmp_path):
    result = build(repo, tmp_path)
    page = next(p for p in result.site.pages if p.key == "dataset:sample" and p.lang == "it")
    html = result.files[page.path + "index.html"].decode()
    url = "https://example.org/ntc-site/data/sample/1.2.0/datapackage.json"
    assert "versione 1.2.0" in html and url in html
    assert f"url = {{{url}}}" in html and "version = {1.2.0}" in html
    assert "data/sample/1.2.0/datapackage.json" in result.files  # the cited URL answers


def test_atom_feeds(repo, tmp_path):
    result = build(repo, tmp_path)
    for lang in ("it", "en"):
        feed = ET.fromstring(content(result.files[f"data/releases.{lang}.atom"]))
        assert feed.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated", "author"):
            assert feed.find(f"{ATOM}{required}") is not None, required
        assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith(f"data/releases.{lang}.atom")
        entries = feed.findall(f"{ATOM}entry")
        for entry in entries:
            for required in ("id", "title", "updated"):
                assert entry.find(f"{ATOM}{required}").text, required
            link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
            assert link.startswith("https://example.org/ntc-site/") and "#version-" in link
        titles = [e.find(f"{ATOM}title").text for e in entries]
        sample = [t for t in titles if t.endswith(("1.2.0", "1.1.0")) and ("Sample" in t or "prova" in t)]
        assert sample == [sample[0], sample[1]] and sample[0].endswith("1.2.0")  # newest first
        stamps = [e.find(f"{ATOM}updated").text for e in entries]
        assert stamps == sorted(stamps, reverse=True)
        assert len({e.find(f"{ATOM}id").text for e in entries}) == len(entries)
    for path, data in result.files.items():  # linked from every page
        if path.endswith(".html") and b"<head>" in data:
            feeds = [link for link in parsed(data).links if link.get("type") == "application/atom+xml"]
            assert feeds and all(link["rel"] == "alternate" for link in feeds), path


def test_outside_git_only_the_current_version_and_one_line(tmp_path):
    root = tmp_path / "plain"
    shutil.copytree(FIXTURE, root)
    result = build(root, tmp_path)
    assert len(result.notes) == 1 and "not in a git checkout" in result.notes[0]
    assert "data/sample/1.1.0/sample.csv" in result.files
    assert not any(p.startswith("data/sample/1.0.0/") for p in result.files)
    assert releases.findings(result.site, root / "datasets") == []  # the past is unknown: nothing claimed


def test_shallow_clone_says_so(repo, tmp_path):
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    result = build(shallow, tmp_path)
    assert len(result.notes) == 1 and "shallow" in result.notes[0] and "fetch-depth: 0" in result.notes[0]
    assert not any(p.startswith("data/sample/1.1.0/") for p in result.files)


def strict(root: Path, tmp_path: Path) -> list[str]:
    result = build(root, tmp_path)
    return [p.format() for p in releases.findings(result.site, root / "datasets")]


def test_strict_is_quiet_on_a_clean_history(repo, tmp_path):
    assert strict(repo, tmp_path) == []


def test_strict_bump_without_changelog_entry(repo, tmp_path):
    yaml_file = repo / "datasets/sample/package.yaml"
    edit(yaml_file, '  - version: "1.1.0"\n    date: 2024-03-05\n    note: {it: "Aggiunta la colonna anno.", '
         'en: "Added the year column."}\n', "")
    [problem] = strict(repo, tmp_path)
    assert problem.startswith("datasets/sample/package.yaml:") and "version 1.1.0 was set in commit" in problem
    assert "the changelog has no entry for it" in problem


def test_strict_changelog_entry_for_a_version_never_set(repo, tmp_path):
    yaml_file = repo / "datasets/sample/package.yaml"
    edit(yaml_file, "timeline:", OLDEST.replace("1.0.0", "0.9.0") + "timeline:")
    problems = strict(repo, tmp_path)
    line = next(i for i, text in enumerate(yaml_file.read_text().splitlines(), 1) if '"0.9.0"' in text)
    assert problems == [f"datasets/sample/package.yaml:{line}:5: the changelog has an entry for version 0.9.0, "
                        "which 'version' never held — remove the entry, or fix its version number"]


def test_strict_data_changed_under_an_unchanged_version(repo, tmp_path):
    edit(repo / "datasets/sample/sample.csv", "alpha,4,", "alpha,5,")
    [problem] = strict(repo, tmp_path)
    setter = git(repo, "rev-parse", "HEAD")[:12]
    assert problem.startswith("datasets/sample/package.yaml:2:")
    assert f"the data changed under version 1.2.0 since commit {setter}, which set it" in problem
    git(repo, "commit", "-qam", "a silent change, committed")  # committed or not, it is found
    assert len(strict(repo, tmp_path / "again")) == 1
