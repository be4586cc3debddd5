"""The DCAT-AP_IT catalogue and the schema.org blocks (issue 5), checked offline.

SHACL files: `tests/fixtures/standards/` (copies, see its README). The DCAT-AP_IT checklist of
`shared/reference/standards.md` §1 is written as SPARQL ASK queries that look for a violation: each must
answer False on the fixture catalogue, and `test_checks_can_fail` shows that broken graphs trip them.
"""
from __future__ import annotations

import json

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF
from test_datapackages import ROOT, as_stored, data_bytes, load_site

from ntc_site.data import catalog
from ntc_site.data import packages as datapackages
from ntc_site.load.strings import load_strings
from ntc_site.render import dataset_views as dataset_pages

STANDARDS = ROOT / "tests" / "fixtures" / "standards"
DCATAPIT = rdflib.Namespace("http://dati.gov.it/onto/dcatapit#")
EU = "http://publications.europa.eu/resource/authority/"


@pytest.fixture(scope="module")
def site():
    return load_site()


@pytest.fixture(scope="module")
def data(site):
    return data_bytes(site)


@pytest.fixture(scope="module")
def graph(data) -> rdflib.Graph:
    return rdflib.Graph().parse(data=data["data/catalog.ttl"], format="turtle")


def shacl(graph: rdflib.Graph, shapes: str):
    import pyshacl
    shapes_graph = rdflib.Graph().parse(STANDARDS / shapes)
    return pyshacl.validate(graph, shacl_graph=shapes_graph, inference="none", advanced=False,
                            do_owl_imports=False)


# --- SHACL (EU DCAT-AP 3.0.1) --------------------------------------------------------------------------------

@pytest.mark.parametrize("shapes", ["dcat-ap-3.0.1/shapes.ttl", "dcat-ap-3.0.1/range.ttl",
                                    "dcat-ap-3.0.1/dcat-ap-SHACL.ttl"])
def test_conforms_to_dcat_ap_3_shapes(graph, shapes):
    conforms, _, text = shacl(graph, shapes)
    assert conforms, text


def test_recommended_shapes_only_warn(graph):
    _, results, _ = shacl(graph, "dcat-ap-3.0.1/shapes_recommended.ttl")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    severities = set(results.objects(None, sh.resultSeverity))
    assert severities <= {sh.Warning}


def test_base_shapes_can_fail(graph):
    broken = rdflib.Graph()
    for triple in graph:
        if triple[1] != DCAT.accessURL:
            broken.add(triple)
    assert not shacl(broken, "dcat-ap-3.0.1/shapes.ttl")[0]


# --- DCAT-AP_IT checklist (standards.md §1 and appendix A) as SPARQL ----------------------------------------------

PREFIXES = """PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/>
PREFIX dcatapit: <http://dati.gov.it/onto/dcatapit#> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX vcard: <http://www.w3.org/2006/vcard/ns#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""


def exactly_one(cls: str, prop: str) -> list[tuple[str, str]]:
    return [(f"{cls} {prop} missing", f"ASK {{ ?s a {cls} FILTER NOT EXISTS {{ ?s {prop} ?v }} }}"),
            (f"{cls} {prop} twice", f"ASK {{ ?s a {cls} ; {prop} ?a, ?b FILTER(?a != ?b) }}")]


def at_most_one(cls: str, prop: str) -> list[tuple[str, str]]:
    return exactly_one(cls, prop)[1:]


def per_language(cls: str, prop: str) -> list[tuple[str, str]]:
    return [(f"{cls} {prop} @{lang}", f'ASK {{ ?s a {cls} FILTER NOT EXISTS {{ ?s {prop} ?v FILTER(lang(?v) = "{lang}") }} }}')
            for lang in ("it", "en")]


def typed_objects(prop: str, cls: str) -> tuple[str, str]:
    return (f"{prop} is a {cls}", f"ASK {{ ?s {prop} ?o FILTER NOT EXISTS {{ ?o a {cls} }} }}")


CHECKS: list[tuple[str, str]] = [
    *[(f"exists {c}", f"ASK {{ FILTER NOT EXISTS {{ ?x a {c} }} }}") for c in
      ("dcatapit:Catalog", "dcatapit:Agent", "dcatapit:Dataset", "dcatapit:Distribution", "dcatapit:LicenseDocument",
       "dcatapit:Organization")],
    *[(f"{a} also {b}", f"ASK {{ ?x a {a} FILTER NOT EXISTS {{ ?x a {b} }} }}") for a, b in
      (("dcat:Catalog", "dcatapit:Catalog"), ("dcat:Dataset", "dcatapit:Dataset"),
       ("dcat:Distribution", "dcatapit:Distribution"), ("foaf:Agent", "dcatapit:Agent"),
       ("dct:LicenseDocument", "dcatapit:LicenseDocument"))],
    ("one catalogue", "ASK { ?a a dcatapit:Catalog . ?b a dcatapit:Catalog FILTER(?a != ?b) }"),
    *per_language("dcatapit:Catalog", "dct:title"), *per_language("dcatapit:Catalog", "dct:description"),
    *exactly_one("dcatapit:Catalog", "dct:publisher"), *exactly_one("dcatapit:Catalog", "dct:modified"),
    *at_most_one("dcatapit:Catalog", "foaf:homepage"), *at_most_one("dcatapit:Catalog", "dct:issued"),
    typed_objects("dcat:dataset", "dcatapit:Dataset"), typed_objects("dct:publisher", "dcatapit:Agent"),
    typed_objects("dct:rightsHolder", "dcatapit:Agent"), typed_objects("foaf:homepage", "foaf:Document"),
    typed_objects("dct:language", "dct:LinguisticSystem"), typed_objects("dcat:themeTaxonomy", "skos:ConceptScheme"),
    *exactly_one("dcatapit:Dataset", "dct:identifier"), *per_language("dcatapit:Dataset", "dct:title"),
    *per_language("dcatapit:Dataset", "dct:description"), *exactly_one("dcatapit:Dataset", "dct:modified"),
    *exactly_one("dcatapit:Dataset", "dct:rightsHolder"), *exactly_one("dcatapit:Dataset", "dct:accrualPeriodicity"),
    *at_most_one("dcatapit:Dataset", "dct:publisher"), *at_most_one("dcatapit:Dataset", "dct:temporal"),
    *at_most_one("dcatapit:Dataset", "dct:spatial"), *at_most_one("dcatapit:Dataset", "owl:versionInfo"),
    *at_most_one("dcatapit:Dataset", "dcat:landingPage"), *at_most_one("dcatapit:Dataset", "dct:issued"),
    ("dataset has a theme", "ASK { ?d a dcatapit:Dataset FILTER NOT EXISTS { ?d dcat:theme ?t } }"),
    ("dataset has a distribution", "ASK { ?d a dcatapit:Dataset FILTER NOT EXISTS { ?d dcat:distribution ?x } }"),
    typed_objects("dcat:distribution", "dcatapit:Distribution"), typed_objects("dcat:theme", "skos:Concept"),
    typed_objects("dct:accrualPeriodicity", "dct:Frequency"), typed_objects("dcat:contactPoint", "dcatapit:Organization"),
    typed_objects("dct:temporal", "dct:PeriodOfTime"), typed_objects("dct:spatial", "dct:Location"),
    typed_objects("dct:format", "dct:MediaTypeOrExtent"), typed_objects("dct:license", "dcatapit:LicenseDocument"),
    ("themes from the EU list", f'ASK {{ ?d dcat:theme ?t FILTER(!STRSTARTS(STR(?t), "{EU}data-theme/")) }}'),
    ("frequency from the EU list", f'ASK {{ ?d dct:accrualPeriodicity ?f FILTER(!STRSTARTS(STR(?f), "{EU}frequency/")) }}'),
    ("format from the EU list", f'ASK {{ ?d dct:format ?f FILTER(!STRSTARTS(STR(?f), "{EU}file-type/")) }}'),
    ("concepts have labels", "ASK { ?c a skos:Concept FILTER NOT EXISTS { ?c skos:prefLabel ?l } }"),
    ("identifier is a literal", "ASK { ?s dct:identifier ?i FILTER(!isLiteral(?i)) }"),
    ("dates are xsd:date", "ASK { ?s dct:modified|dct:issued|dcatapit:startDate|dcatapit:endDate ?v"
                           " FILTER(datatype(?v) != xsd:date) }"),
    ("keywords without , ' /", "ASK { ?d dcat:keyword ?k FILTER(REGEX(STR(?k), \"[,'/]\")) }"),
    ("no HTML in texts", "ASK { ?s dct:description|dct:title ?t FILTER(REGEX(STR(?t), \"<[a-zA-Z/!]\")) }"),
    ("texts carry a language", "ASK { ?s dct:title|dct:description ?t FILTER(lang(?t) = \"\") }"),
    *exactly_one("dcatapit:Distribution", "dct:format"), *exactly_one("dcatapit:Distribution", "dcat:accessURL"),
    *exactly_one("dcatapit:Distribution", "dct:license"), *exactly_one("dcatapit:Distribution", "dcat:downloadURL"),
    *at_most_one("dcatapit:Distribution", "dcat:byteSize"), *at_most_one("dcatapit:Distribution", "dct:modified"),
    ("byteSize is nonNegativeInteger", "ASK { ?d dcat:byteSize ?b FILTER(datatype(?b) != xsd:nonNegativeInteger) }"),
    *exactly_one("dcatapit:Agent", "foaf:name"), *exactly_one("dcatapit:Agent", "dct:identifier"),
    ("agent name is one plain literal", "ASK { ?a a dcatapit:Agent ; foaf:name ?n FILTER(!isLiteral(?n) || lang(?n) != \"\") }"),
    ("agent and contact point differ", "ASK { ?a a dcatapit:Agent . ?a a dcatapit:Organization }"),
    *exactly_one("dcatapit:Organization", "vcard:fn"), *exactly_one("dcatapit:Organization", "vcard:hasEmail"),
    ("e-mail is a mailto IRI", "ASK { ?c vcard:hasEmail ?e FILTER(!isIRI(?e) || !STRSTARTS(STR(?e), \"mailto:\")) }"),
    *at_most_one("dcatapit:LicenseDocument", "dct:type"), *at_most_one("dcatapit:LicenseDocument", "owl:versionInfo"),
    ("licence has a name", "ASK { ?l a dcatapit:LicenseDocument FILTER NOT EXISTS { ?l foaf:name ?n } }"),
    *exactly_one("dct:PeriodOfTime", "dcatapit:startDate"), *at_most_one("dct:PeriodOfTime", "dcatapit:endDate"),
    ("IRI-valued properties hold IRIs", "ASK { ?s dcat:theme|dct:format|dct:license|dct:accrualPeriodicity|dct:language|"
                                        "dcat:accessURL|dcat:downloadURL|vcard:hasEmail ?o FILTER(!isIRI(?o)) }"),
    ("no blank nodes", "ASK { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }"),
]


@pytest.mark.parametrize("name,query", CHECKS, ids=[c[0] for c in CHECKS])
def test_dcatapit_checklist(graph, name, query):
    assert not graph.query(PREFIXES + query).askAnswer, name


def _violations(graph: rdflib.Graph) -> set[str]:
    return {name for name, query in CHECKS if graph.query(PREFIXES + query).askAnswer}


def test_checks_can_fail(graph, site):
    dataset = URIRef(catalog.dataset_iri(site, "sample"))
    agent = URIRef(site.config.base_url + "#publisher")
    mutations = {
        "dcat:Dataset also dcatapit:Dataset": lambda g: g.remove((dataset, RDF.type, DCATAPIT.Dataset)),
        "dcatapit:Agent dct:identifier missing": lambda g: g.remove((agent, DCTERMS.identifier, None)),
        "dcatapit:Dataset dct:title @en": lambda g: g.remove((dataset, DCTERMS.title, None)),
        "IRI-valued properties hold IRIs": lambda g: g.add((dataset, DCAT.theme, Literal(f"{EU}data-theme/TECH"))),
        "keywords without , ' /": lambda g: g.add((dataset, DCAT.keyword, Literal("legge 190/2012", lang="it"))),
    }
    for name, mutate in mutations.items():
        broken = rdflib.Graph()
        for triple in graph:
            broken.add(triple)
        mutate(broken)
        assert name in _violations(broken), name


def test_codes_are_in_the_vocabularies(graph):
    themes = rdflib.Graph().parse(STANDARDS / "dcat-ap-it" / "theme-subtheme-mapping.ttl")
    licences = rdflib.Graph().parse(STANDARDS / "dcat-ap-it" / "licences.ttl")
    known_themes = {s for s in themes.subjects(RDF.type, rdflib.namespace.SKOS.Concept)
                    if str(s).startswith(f"{EU}data-theme/")}
    used = set(graph.objects(None, DCAT.theme))
    assert used and used <= known_themes
    eu_licences = {URIRef(f"{EU}licence/CC_BY_4_0")}  # the EU licence authority table (official IRIs)
    used_licences = set(graph.objects(None, DCTERMS.license))
    assert used_licences and used_licences <= eu_licences
    # ... and each names its match in AgID's vocabulary, for DCAT-AP_IT readers
    assert {graph.value(lic, rdflib.namespace.SKOS.exactMatch) for lic in used_licences} <= set(licences.subjects())
    frequencies = {f"{EU}frequency/{c}" for c in datapackages.FREQUENCIES}
    assert {str(o) for o in graph.objects(None, DCTERMS.accrualPeriodicity)} <= frequencies
    assert {str(o).rsplit("/", 1)[1] for o in graph.objects(None, DCTERMS.format)} <= {"CSV", "JSON", "XLSX", "ZIP"}


# --- files, IRIs, serialisations ------------------------------------------------------------------------------------

def test_three_files_hold_the_same_graph(data, graph):
    xml = rdflib.Graph().parse(data=data["data/catalog.rdf"], format="xml")
    jsonld = rdflib.Graph().parse(data=data["data/catalog.jsonld"], format="json-ld")
    assert len(graph) > 100
    assert isomorphic(graph, xml) and isomorphic(graph, jsonld)
    assert isinstance(json.loads(data["data/catalog.jsonld"])["@context"], dict)  # inline: no network to read it


def test_every_iri_is_under_the_base_url_or_a_vocabulary(graph, site):
    base = site.config.base_url
    assert base.endswith("/ntc-site/")
    vocabularies = ("http://publications.europa.eu/", "https://w3id.org/italia/", "http://purl.org/adms/",
                    "http://data.europa.eu/r5r/", "http://www.iana.org/assignments/media-types/", "mailto:",
                    "https://creativecommons.org/", *(str(ns) for ns in catalog.PREFIXES.values()))
    for s, _, o in graph:
        for node in (s, o):
            if isinstance(node, URIRef):
                assert str(node).startswith(base) or str(node).startswith(vocabularies), node


def test_distribution_urls_are_files_of_the_site(graph, data, site):
    downloads = [str(o) for o in graph.objects(None, DCAT.downloadURL)]
    # csv + json per resource, xlsx, zip: areas, clusters (3 tables: clusters, areas, regions), regions, sample
    assert len(downloads) == 4 + 8 + 4 + 4
    for url in downloads:
        path = url.removeprefix(site.config.base_url)
        assert path in data
    for dist in graph.subjects(RDF.type, DCAT.Distribution):
        size = int(graph.value(dist, DCAT.byteSize))
        path = str(graph.value(dist, DCAT.downloadURL)).removeprefix(site.config.base_url)
        assert size == len(data[path])
        page = str(graph.value(dist, DCAT.accessURL)).removeprefix(site.config.base_url)
        assert any(p.path == page for p in site.pages)


def test_real_site_settings_have_no_identifier():
    from ntc_site.load import config
    cfg, _ = config.load(ROOT / "content")
    assert cfg.publisher_identifier is None  # never invented: see content/site.yaml


# --- schema.org agrees with the catalogue and the descriptor ---------------------------------------------------------

@pytest.mark.parametrize("lang", ["it", "en"])
def test_schema_org_agrees_with_catalogue_and_descriptor(site, data, graph, lang):
    strings, problems = load_strings(ROOT / "templates")
    assert not problems
    for package in site.datasets:
        page = site.by_key(f"dataset:{package.name}", lang)
        block = json.loads(dataset_pages.context(site, page, strings[lang], as_stored(data))["jsonld"][0])
        dataset = URIRef(catalog.dataset_iri(site, package.name))
        descriptor = json.loads(data[f"data/{package.name}/datapackage.json"])
        assert block["@type"] == "Dataset" and block["inLanguage"] == lang
        assert 50 <= len(block["description"]) <= 5000
        assert Literal(block["name"], lang=lang) in set(graph.objects(dataset, DCTERMS.title))
        assert Literal(block["description"], lang=lang) in set(graph.objects(dataset, DCTERMS.description))
        assert block["name"] == (descriptor["title"] if lang == "it" else descriptor["x_title_en"])
        assert block["identifier"] == str(graph.value(dataset, DCTERMS.identifier))
        assert block["@id"] == str(dataset)  # one @id for the dataset, shared by both language pages
        assert len(block["variableMeasured"]) == len(set(block["variableMeasured"]))
        assert block["dateModified"] == str(graph.value(dataset, DCTERMS.modified)) == descriptor["x_updated"]
        assert block["version"] == descriptor["version"] == str(graph.value(dataset, rdflib.namespace.OWL.versionInfo))
        assert block["license"] == descriptor["licenses"][0]["path"] == site.config.licence_info["url"]
        assert {str(o) for o in graph.objects(dataset, DCTERMS.license)} == set()  # licence sits on distributions
        catalogue_urls = {str(graph.value(d, DCAT.downloadURL)) for d in graph.objects(dataset, DCAT.distribution)}
        assert {d["contentUrl"] for d in block["distribution"]} == catalogue_urls
        assert all("/" in d["encodingFormat"] for d in block["distribution"])
        assert block["url"] == site.urls.absolute(page.path)
        if lang == "it":
            assert block["url"] == descriptor["homepage"] == str(graph.value(dataset, DCAT.landingPage))


def test_schema_org_parses_offline_as_rdf(site, data):
    strings, _ = load_strings(ROOT / "templates")
    page = site.by_key("dataset:sample", "en")
    block = json.loads(dataset_pages.context(site, page, strings["en"], as_stored(data))["jsonld"][0])
    block["@context"] = {"@vocab": "https://schema.org/"}
    g = rdflib.Graph().parse(data=json.dumps(block), format="json-ld")
    assert (None, RDF.type, URIRef("https://schema.org/Dataset")) in g


def test_jsonld_string_cannot_close_the_script_element(site, data):
    from dataclasses import replace
    package = next(p for p in site.datasets if p.name == "sample")
    tricky = replace(package, title={"it": "</script><b>", "en": "</script><b>"})
    strings, _ = load_strings(ROOT / "templates")
    page = site.by_key("dataset:sample", "en")
    block = dataset_pages.context(replace(site, datasets=(tricky,)), page, strings["en"], as_stored(data))["jsonld"][0]
    assert "</script" not in block and "<" not in block
    assert json.loads(block)["name"] == "</script><b>"
