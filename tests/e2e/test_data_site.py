"""End to end for the open data (issue 5): build `tests/fixtures/data-site/` and read the pages as a browser would.

Also: a broken `datasets/` file stops the build with `path:line` and leaves the old output as it was, and the
real site (no publisher identifier in content/site.yaml) publishes no catalogue and says why.
"""
from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support import ROOT, run, tree

DATA_SITE = ROOT / "tests" / "fixtures" / "data-site"
PREFIX = "/ntc-site/"  # the fixture's base_url has a subpath


class Page(HTMLParser):
    @property
    def text(self) -> str:
        return " ".join(" ".join(self.words).split())

    """The parts of a page the tests look at: ids, links, tables, JSON-LD."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[dict[str, str]] = []
        self.tables: list[dict[str, object]] = []
        self.jsonld: list[str] = []
        self.words: list[str] = []
        self._script = False
        self._caption: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a":
            self.links.append(a)
        if tag == "table":
            self.tables.append({"caption": "", "th": []})
        if tag == "caption":
            self._caption = []
        if tag == "th" and self.tables:
            self.tables[-1]["th"].append(a.get("scope", ""))  # type: ignore[union-attr]
        self._script = tag == "script" and a.get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = "".join(self._caption).strip()
            self._caption = None
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        self.words.append(data)
        if self._caption is not None:
            self._caption.append(data)
        if self._script:
            self.jsonld.append(data)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("data") / "_site"
    assert run("build", "--content", DATA_SITE / "content", "--out", out) == 0
    return out


def read(out: Path, path: str) -> Page:
    return Page((out / path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", ["it/dati/sample/index.html", "en/data/sample/index.html",
                                  "en/data/clusters/index.html"])
def test_dataset_page(built, path):
    page = read(built, path)
    assert "field-code" in page.ids or "field-id" in page.ids  # anchors of the data dictionary
    assert any(link.get("rel") == "license" and "creativecommons.org/licenses/by/4.0/" in link["href"]
               for link in page.links)
    for table in page.tables:  # accessible tables: a caption and scoped header cells
        assert table["caption"] and all(scope in ("col", "row") for scope in table["th"])  # type: ignore[union-attr]
    [block] = [json.loads(text) for text in page.jsonld if '"Dataset"' in text]
    assert block["@type"] == "Dataset" and block["inLanguage"] == path[:2]
    for download in block["distribution"]:
        assert (built / download["contentUrl"].split(PREFIX, 1)[1]).is_file()
    files = [link["href"] for link in page.links if link["href"].startswith(PREFIX + "data/")]
    assert len(files) >= 5
    for href in files:
        assert (built / href.removeprefix(PREFIX)).is_file(), href


def test_clusters_page_anchors_both_tables(built):
    page = read(built, "it/dati/clusters/index.html")
    assert {"field-area", "field-source_urls", "field-areas-id", "field-areas-name_en"} <= page.ids


def test_founding_month_on_the_cluster_page_in_the_csv_and_json_ld(built):
    import csv
    assert "ottobre 2017" in read(built, "it/cluster/beta/index.html").text
    page = read(built, "en/clusters/beta/index.html")
    assert "October 2017" in page.text
    [org] = [json.loads(text) for text in page.jsonld if '"Organization"' in text]
    assert org["foundingDate"] == "2017-10"
    with (built / "data/clusters/clusters.csv").open(encoding="utf-8", newline="") as f:
        rows = {row["id"]: row for row in csv.DictReader(f)}
    assert rows["beta"]["founded_on"] == "2017-10" and rows["alpha"]["founded_on"] == ""


def test_index_lists_every_package_and_the_catalogue(built):
    page = read(built, "en/data/index.html")
    hrefs = {link["href"] for link in page.links}
    assert {f"{PREFIX}en/data/{name}/" for name in ("areas", "clusters", "sample")} <= hrefs
    assert {f"{PREFIX}data/{name}" for name in ("all.zip", "SHA256SUMS", "catalog.ttl", "catalog.rdf",
                                                "catalog.jsonld")} <= hrefs


def test_broken_dataset_fails_with_location_and_keeps_old_output(built, tmp_path, capsys, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(DATA_SITE, project)
    out = tmp_path / "_site"
    shutil.copytree(built, out)
    before = tree(out)
    csv_file = project / "datasets/sample/sample.csv"
    csv_file.write_bytes(csv_file.read_bytes().replace(b"2021-02-28", b"28/02/2021"))
    monkeypatch.chdir(project)
    capsys.readouterr()
    assert run("build", "--content", "content", "--out", out) == 1
    err = capsys.readouterr().err
    assert "datasets/sample/sample.csv:3: field 'day': '28/02/2021' is not a valid date" in err
    assert tree(out) == before


def test_real_site_publishes_the_dcat_ap_catalogue_and_says_which_profile(tmp_path):
    from ntc_site.pipeline import run as pipeline
    result = pipeline.build(pipeline.Settings(content_dir=ROOT / "content", cache_dir=tmp_path))
    assert not result.problems, [p.format() for p in result.problems]
    assert {"data/catalog.ttl", "data/catalog.rdf", "data/catalog.jsonld"} <= set(result.files)
    assert {"data/legal-acts/legal-acts.csv", "data/clusters/clusters.xlsx", "data/all.zip"} <= set(result.files)
    index = next(p for p in result.site.pages if p.template == "datasets" and p.lang == "it")
    html = result.files[index.path + "index.html"].decode()
    assert "DCAT-AP 3.0.1" in html and "DCAT-AP_IT" not in html  # no identifier: the EU profile only


# Cells frictionless takes as numbers but no writer can publish (JSON has no NaN, XLSX no infinity).
BAD_CELLS = [("alpha,3,1.5,", "alpha,3,NaN,", 2, "share", "NaN", "is not a number"),
             ("beta,,0.25,", "beta,,-inf,", 3, "share", "-inf", "is not a number"),
             ("alpha,7,2,", "alpha,7,+Infinity,", 4, "share", "+Infinity", "is not a number"),
             ("beta,0,,", "beta,nan,,", 6, "count", "nan", "is not a number"),
             ("beta,0,,", "beta,0,1e999,", 6, "share", "1e999", "is too large for a number")]


@pytest.mark.parametrize("old, new, line, field, cell, says", BAD_CELLS)
def test_a_cell_no_writer_can_publish_is_a_located_problem(built, tmp_path, capsys, monkeypatch, old, new, line,
                                                           field, cell, says):
    project = tmp_path / "project"
    shutil.copytree(DATA_SITE, project)
    out = tmp_path / "_site"
    shutil.copytree(built, out)
    before = tree(out)
    csv_file = project / "datasets/sample/sample.csv"
    text = csv_file.read_text(encoding="utf-8")
    assert text.count(old) == 1
    csv_file.write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.chdir(project)
    monkeypatch.setenv("NTC_CACHE_DIR", str(tmp_path / "cache"))
    capsys.readouterr()
    assert run("build", "--content", "content", "--out", out) == 1
    err = capsys.readouterr().err.splitlines()
    hint = "use an empty cell for unknown"
    assert err == [f"datasets/sample/sample.csv:{line}: field '{field}': '{cell}' {says} — {hint}",
                   "1 problem found; nothing was written."]
    assert tree(out) == before
