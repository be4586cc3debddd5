"""Open data that harvesters and tools take as they are (issue 15): the catalogue on every build, its
metadata quality as data.europa.eu scores it, zipped data packages, one schema.org @id per dataset.

The real site (no publisher identifier) is built once per module; the synthetic fixture site (with a
synthetic identifier) adds the DCAT-AP_IT profile. SHACL files: tests/fixtures/standards/ (offline copies).
"""
from __future__ import annotations

import json
import re
import zipfile

import pytest
import rdflib
from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF
from test_catalog import DCATAPIT, shacl
from test_datapackages import ROOT, data_bytes, load_site

from ntc_site.check import quality
from ntc_site.pipeline import run as pipeline
from ntc_site.stored import content


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> pipeline.Result:
    result = pipeline.build(pipeline.Settings(content_dir=ROOT / "content",
                                              cache_dir=tmp_path_factory.mktemp("cache")))
    assert not result.problems, [p.format() for p in result.problems]
    return result


@pytest.fixture(scope="module")
def real_graph(real) -> rdflib.Graph:
    return rdflib.Graph().parse(data=content(real.files["data/catalog.ttl"]), format="turtle")


PACKAGES = [p for p in (ROOT / "datasets").iterdir() if (p / "package.yaml").is_file()]


@pytest.mark.parametrize("shapes", ["dcat-ap-3.0.1/shapes.ttl", "dcat-ap-3.0.1/range.ttl",
                                    "dcat-ap-3.0.1/dcat-ap-SHACL.ttl"])
def test_real_site_catalogue_conforms_to_dcat_ap_3(real_graph, shapes):
    conforms, _, text = shacl(real_graph, shapes)
    assert conforms, text


def test_real_site_catalogue_is_dcat_ap_without_the_italian_profile(real_graph):
    assert not set(real_graph.subjects(RDF.type, DCATAPIT.Dataset))
    assert not list(real_graph.objects(None, DCTERMS.identifier))  # none invented
    publisher = next(real_graph.objects(None, DCTERMS.publisher))
    assert str(real_graph.value(publisher, rdflib.namespace.FOAF.name)) == "Redazione ntc-site"
    datasets = set(real_graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == len(PACKAGES)
    for ds in datasets:
        assert real_graph.value(ds, URIRef(f"{DCAT}version")) is not None


def test_a_dataset_links_its_previous_version(real, real_graph):
    """The project's own history decides which version came before (a shallow clone has none to link);
    tests/unit/test_releases.py checks the history itself on a repository made by the test."""
    clusters = next(ds for ds in real_graph.subjects(RDF.type, DCAT.Dataset) if "/clusters/" in str(ds))
    previous = real_graph.value(clusters, URIRef(f"{DCAT}previousVersion"))
    history = real.site.history
    if history is None or not history.complete or len(history.releases.get("clusters", ())) < 2:
        assert previous is None
        return
    before = history.releases["clusters"][-2].version
    assert str(previous).endswith(f"data/clusters/{before}/datapackage.json")
    assert str(previous).removeprefix(real.site.config.base_url) in real.files  # it answers


def test_italian_profile_only_with_an_identifier():
    site = load_site()
    g = rdflib.Graph().parse(data=data_bytes(site)["data/catalog.ttl"], format="turtle")
    assert set(g.subjects(RDF.type, DCATAPIT.Dataset)) == set(g.subjects(RDF.type, DCAT.Dataset))


# --- metadata quality (data.europa.eu MQA) -------------------------------------------------------------------

def test_every_real_dataset_scores_405(real):
    scores = quality.scores(content(real.files["data/catalog.ttl"]), real.site.config.base_url, real.files)
    assert len(scores) == len(PACKAGES)
    assert [(s.points, s.misses) for s in scores] == [(405, ())] * len(PACKAGES)


def test_fixture_datasets_score_405():
    site = load_site()
    files = data_bytes(site)
    files.update({f"{p.path}index.html": b"" for p in site.pages})  # the landing pages exist in a build
    assert {s.points for s in quality.scores(files["data/catalog.ttl"], site.config.base_url, files)} == {405}


def test_score_names_what_is_missing(real):
    g = rdflib.Graph().parse(data=content(real.files["data/catalog.ttl"]), format="turtle")
    g.remove((None, DCTERMS.temporal, None))
    g.remove((None, DCTERMS.accessRights, None))
    ds = next(iter(sorted(g.subjects(RDF.type, DCAT.Dataset))))
    base = real.site.config.base_url
    score = quality.score_dataset(g, ds, base, real.files)
    assert score.points == 405 - 20 - 10 - 5
    assert set(score.misses) == {"temporal coverage (dct:temporal) (-20)", "access rights (dct:accessRights) (-10)",
                                 "access rights from the EU vocabulary (-5)"}
    unbuilt = quality.score_dataset(g, ds, base, {})  # URLs that do not answer
    assert "access URL that answers (-50)" in unbuilt.misses and "download URL that answers (-30)" in unbuilt.misses
    assert re.match(r"metadata quality \(data.europa.eu MQA\) .+: 370/405 — missing: ", score.line())


# --- packages that tools take as they are -------------------------------------------------------------------

def test_package_zip_validates_as_a_data_package(real, tmp_path):
    from frictionless import validate
    for name in ("legal-acts", "clusters"):
        target = tmp_path / f"{name}.zip"
        target.write_bytes(content(real.files[f"data/{name}/{name}.zip"]))
        assert zipfile.ZipFile(target).namelist()[0] == "datapackage.json"
        report = validate(str(target), type="package")
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def _jsonld(html: bytes) -> list[dict]:
    return [json.loads(block) for block in re.findall(rb'<script type="application/ld\+json">(.*?)</script>', html,
                                                      re.S)]


def test_schema_org_one_id_per_dataset_and_a_data_catalog(real):
    site = real.site
    for package in site.datasets:
        ids = set()
        for lang in ("it", "en"):
            page = site.by_key(f"dataset:{package.name}", lang)
            [block] = [b for b in _jsonld(real.files[page.path + "index.html"]) if b["@type"] == "Dataset"]
            ids.add(block["@id"])
            assert len(block["variableMeasured"]) == len(set(block["variableMeasured"]))
        assert len(ids) == 1 and next(iter(ids)).endswith("#dataset")
    for lang in ("it", "en"):
        index = next(p for p in site.pages if p.template == "datasets" and p.lang == lang)
        [catalogue] = [b for b in _jsonld(real.files[index.path + "index.html"]) if b["@type"] == "DataCatalog"]
        assert catalogue["inLanguage"] == lang and catalogue["@id"].endswith("#catalog")
        assert {d["@id"] for d in catalogue["dataset"]} == {str(s) for s in rdflib.Graph().parse(
            data=content(real.files["data/catalog.ttl"]), format="turtle").subjects(RDF.type, DCAT.Dataset)}


def test_dataset_page_tells_excel_users_to_take_the_xlsx_and_links_the_catalogue(real):
    page = real.site.by_key("dataset:legal-acts", "it")
    html = content(real.files[page.path + "index.html"]).decode()
    assert "Usate Excel? Scaricate il file XLSX" in html
    assert "DCAT-AP 3.0.1" in html and "catalog.ttl" in html
