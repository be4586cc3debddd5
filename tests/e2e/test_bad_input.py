"""Every kind of bad input: exit 1, each problem located as path:line, and the old output untouched."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import edit, run, tree, write

CASES = {
    "broken_yaml": (edit("clusters/alpha.yaml", 'acronym: "ALF"', 'acronym: "ALF'), "clusters/alpha.yaml", 0,
                    "invalid YAML"),
    "broken_front_matter": (edit("it/chi-siamo.md", "menu: main", "menu: [main"), "it/chi-siamo.md", 0,
                            "invalid YAML"),
    "duplicate_key": (edit("areas/alpha.yaml", "call_year: 2012", "call_year: 2012\ncall_year: 2013"), "areas/alpha.yaml", 5,
                      "duplicate key 'call_year'"),
    "tab": (edit("areas/alpha.yaml", "call_year: 2012", "call_year:\n\t2012"), "areas/alpha.yaml", 5, "tab"),
    "wrong_type": (edit("clusters/alpha.yaml", "founded: 2012", "founded: twenty"), "clusters/alpha.yaml", 6,
                   "must be a year"),
    "unknown_field": (edit("clusters/alpha.yaml", "website:", "webiste:"), "clusters/alpha.yaml", 5,
                      "unknown field 'webiste'"),
    "missing_field": (edit("it/chi-siamo.md", "title: Chi siamo\n", ""), "it/chi-siamo.md", 2,
                      "missing required field 'title'"),
    "unknown_area": (edit("clusters/alpha.yaml", "area: alpha", "area: alpah"), "clusters/alpha.yaml", 4,
                     "unknown area id 'alpah'"),
    "non_http_url": (edit("clusters/alpha.yaml", '"https://example.org/alpha"', '"ftp://example.org/alpha"'),
                     "clusters/alpha.yaml", 5, "http"),
    "empty_file": (write("it/vuota.md", b""), "it/vuota.md", 1, "file is empty"),
    "not_utf8": (write("it/latin1.md", "---\ntitle: Città\n---\n".encode("latin-1")), "it/latin1.md", 2,
                 "not valid UTF-8"),
    "same_url": (write("it/doppia.md", b"---\ntitle: Doppia\nslug: chi-siamo\n---\n"), "it/", 1,
                 "same URL /it/chi-siamo/"),
    "missing_link": (edit("en/about.md", "[home](index.md)", "[home](indx.md)"), "en/about.md", 10,
                     "link to missing source 'indx.md'"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_located_and_keeps_old_output(name: str, site_copy: Path, tmp_path: Path, capsys):
    change, path, line, message = CASES[name]
    content = site_copy / "content"
    out = tmp_path / "_site"
    assert run("build", "--content", content, "--out", out) == 0
    before = tree(out)
    capsys.readouterr()
    change(content)
    assert run("build", "--content", content, "--out", out) == 1
    err = capsys.readouterr().err
    hits = [l for l in err.splitlines() if path in l and message in l]
    assert hits, err
    if line:
        assert any(f":{line}:" in h.split(" ")[0] + " " for h in hits), err
    assert tree(out) == before
    assert not list(tmp_path.glob("._site.tmp-*"))


def test_all_problems_of_a_run_are_reported(site_copy: Path, capsys):
    content = site_copy / "content"
    edit("clusters/alpha.yaml", "website:", "webiste:")(content)
    edit("areas/alpha.yaml", "call_year: 2012", "call_year: soon")(content)
    edit("en/about.md", "[home](index.md)", "[home](indx.md)")(content)
    assert run("check", "--content", content) == 1
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert lines[-1] == "3 problems found; nothing was written."
    assert len(lines) == 4 and "Traceback" not in err
    clusters, areas, about = sorted(lines[:3], key=lambda l: ("clusters/" not in l, "areas/" not in l))
    assert "clusters/alpha.yaml:" in clusters and "did you mean 'website'?" in clusters
    assert "areas/alpha.yaml:4" in areas and "call_year" in areas
    assert "en/about.md:" in about and "indx.md" in about


def test_interface_string_missing_in_one_language(site_copy: Path, tmp_path: Path, capsys):
    import shutil

    from support import ROOT
    shutil.copytree(ROOT / "templates", site_copy / "templates")
    strings = site_copy / "templates" / "i18n" / "en.yaml"
    strings.write_text(strings.read_text().replace('skip_link: "Skip to content"\n', ""))
    assert run("build", "--content", site_copy / "content", "--out", tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert "it.yaml" in err and "'skip_link' has no 'en' version" in err
    assert not (tmp_path / "out").exists()


def test_refuses_dangerous_out(site_copy: Path, tmp_path: Path, capsys):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("keep")
    content = site_copy / "content"
    for out in (content, site_copy, precious, Path("/")):
        assert run("build", "--content", content, "--out", out) == 2
    assert (precious / "keep.txt").read_text() == "keep"
    assert "refusing" in capsys.readouterr().err


def test_page_cannot_take_the_search_page_url(site_copy: Path, tmp_path: Path, capsys):
    write("it/cerca.md", b"---\ntitle: Cerca\n---\nTesto.\n")(site_copy / "content")
    assert run("build", "--content", site_copy / "content", "--out", tmp_path / "out") == 1
    assert "it/cerca.md:1: URL /it/cerca/ is reserved for the search page" in capsys.readouterr().err


def test_link_out_of_datasets_is_refused(tmp_path: Path, capsys):
    import shutil

    from support import ROOT
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "data-site", project)
    secret = tmp_path / "secret.csv"
    secret.write_text("id\r\nsecret-value\r\n")
    package = next(p for p in (project / "datasets").iterdir() if p.is_dir() and any(p.glob("*.csv")))
    csv = sorted(package.glob("*.csv"))[0]
    csv.unlink()
    csv.symlink_to(secret)
    assert run("check", "--content", project / "content") == 1
    err = capsys.readouterr().err
    assert "symbolic link leads outside the datasets folder" in err and "secret-value" not in err
