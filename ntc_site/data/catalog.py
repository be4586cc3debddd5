"""The DCAT catalogue of every package, for data.europa.eu, dati.gov.it and other harvesters.

One graph, three files: `data/catalog.ttl`, `data/catalog.rdf`, `data/catalog.jsonld`, published on every
build. It always conforms to the EU DCAT-AP 3.0.1 shapes: an independent publisher is an agent with a
name, which DCAT-AP allows without an identifier. Only when `site.yaml` gives the publisher's identifier
(IPA code or VAT number, never invented: standards.md §0 item 9) does the same graph also carry the
DCAT-AP_IT profile: the `dcatapit:` types, `dct:identifier`s, the rights holder and the Italian period
properties. Every node has an IRI built from `base_url` (no blank nodes); values come from the EU
vocabularies (file types, licences, access rights, themes, frequencies) and IANA media types, which is
what the EU Metadata Quality Assessment scores (check/quality.py).
"""
from __future__ import annotations

from typing import Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, SKOS, XSD

from ..model.site import Site
from .package import Package
from .rdfout import DCATAP, DCATAPIT, PREFIXES, SCHEMA, VCARD, to_jsonld, to_rdfxml

__all__ = ["DCATAPIT", "PREFIXES", "SCHEMA", "VCARD"]
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
THEME_LABELS = {  # from AgID's theme-subtheme-mapping.ttl (standards/dcat-ap-it/)
    "AGRI": ("Agricoltura, pesca, silvicoltura e prodotti alimentari", "Agriculture, fisheries, forestry and food"),
    "ECON": ("Economia e finanze", "Economy and finance"), "EDUC": ("Istruzione, cultura e sport",
                                                                   "Education, culture and sport"),
    "ENER": ("Energia", "Energy"), "ENVI": ("Ambiente", "Environment"),
    "GOVE": ("Governo e settore pubblico", "Government and public sector"), "HEAL": ("Salute", "Health"),
    "INTR": ("Tematiche internazionali", "International issues"),
    "JUST": ("Giustizia, sistema giuridico e sicurezza pubblica", "Justice, legal system and public safety"),
    "REGI": ("Regioni e città", "Regions and cities"), "SOCI": ("Popolazione e società", "Population and society"),
    "TECH": ("Scienze e tecnologia", "Science and technology"), "TRAN": ("Trasporti", "Transport"),
}
FILE_TYPES = {"csv": ("CSV", "text/csv"), "json": ("JSON", "application/json"),
              "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              "zip": ("ZIP", "application/zip")}
LICENCE_TYPE = URIRef("http://purl.org/adms/licencetype/Attribution")
DCAT_VERSION = URIRef(f"{DCAT}version")  # DCAT 3 terms, not in rdflib's closed namespace
DCAT_PREVIOUS = URIRef(f"{DCAT}previousVersion")
STABLE = URIRef("http://data.europa.eu/r5r/availability/stable")
PUBLIC = URIRef(f"{EU}access-right/PUBLIC")
ITALY = URIRef(f"{EU}country/ITA")
LANGUAGES = (URIRef(f"{EU}language/ITA"), URIRef(f"{EU}language/ENG"))
FILES = ("data/catalog.ttl", "data/catalog.rdf", "data/catalog.jsonld")


def _page_iri(site: Site, key: str, fallback: str) -> str:
    page = site.by_key(key, "it")
    return site.urls.absolute(page.path if page else fallback)


def dataset_iri(site: Site, name: str) -> str:
    return _page_iri(site, f"dataset:{name}", f"data/{name}/") + "#dataset"


def catalog_iri(site: Site) -> str:
    datasets = next((p for p in site.pages if p.template == "datasets" and p.lang == "it"), None)
    return site.urls.absolute(datasets.path if datasets else "data/") + "#catalog"


def version_iri(site: Site, name: str, version: str) -> str:
    """A published version: the descriptor in its folder of unchanging files (a URL that answers)."""
    return site.urls.absolute(f"data/{name}/{version}/datapackage.json")


def italian_profile(site: Site) -> bool:
    """DCAT-AP_IT needs the publisher's identifier: the profile is added only when it is known."""
    return bool(site.config.publisher_identifier)


def identifier(site: Site, package: Package) -> str | None:
    """`dct:identifier` of a dataset: '<publisher code>:<package name>' (standards.md §1.4)."""
    code = site.config.publisher_identifier
    return f"{code}:{package.name}" if code else None


class _Builder:
    """Adds the triples of one catalogue; `it` adds the DCAT-AP_IT types and properties."""

    def __init__(self, site: Site, stats: Mapping[str, tuple[int, str]], previous: Mapping[str, str]) -> None:
        self.site, self.stats, self.previous = site, stats, previous
        self.it = italian_profile(site)
        self.g = Graph(bind_namespaces="none")
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns, override=True, replace=True)
        base = site.config.base_url
        self.publisher, self.contact = URIRef(base + "#publisher"), URIRef(base + "#contact")
        self.rights = URIRef(base + "#rights")
        self.licence = URIRef(site.config.licence_info["eu"])

    def add(self, s: URIRef, p: URIRef, o: object) -> None:
        self.g.add((s, p, o))  # type: ignore[arg-type]

    def typed(self, node: URIRef, cls: URIRef, it_cls: URIRef | None = None) -> URIRef:
        self.add(node, RDF.type, cls)
        if it_cls is not None and self.it:
            self.add(node, RDF.type, it_cls)
        return node

    def texts(self, node: URIRef, prop: URIRef, values: Mapping[str, str]) -> None:
        for lang in ("it", "en"):
            self.add(node, prop, Literal(values[lang], lang=lang))

    def concept(self, node: URIRef, label: str, *more: URIRef) -> URIRef:
        self.typed(node, SKOS.Concept)
        for cls in more:
            self.add(node, RDF.type, cls)
        self.add(node, SKOS.prefLabel, Literal(label, lang="en"))
        return node

    def catalogue(self) -> Graph:
        site, config, add = self.site, self.site.config, self.add
        cat = self.typed(URIRef(catalog_iri(site)), DCAT.Catalog, DCATAPIT.Catalog)
        self.texts(cat, DCTERMS.title, config.title)
        self.texts(cat, DCTERMS.description, config.description)
        add(cat, DCTERMS.publisher, self.publisher)
        add(cat, FOAF.homepage, self.typed(URIRef(config.base_url), FOAF.Document))
        add(cat, DCTERMS.license, self.licence)
        add(cat, DCTERMS.spatial, self.typed(ITALY, DCTERMS.Location))
        scheme = self.typed(URIRef(f"{EU}data-theme"), SKOS.ConceptScheme)
        add(scheme, DCTERMS.title, Literal("Data theme", lang="en"))
        add(cat, DCAT.themeTaxonomy, scheme)
        for language in LANGUAGES:
            add(cat, DCTERMS.language, self.typed(language, DCTERMS.LinguisticSystem))
        packages = list(site.datasets)
        add(cat, DCTERMS.modified, Literal(max(p.updated for p in packages), datatype=XSD.date))
        add(cat, DCTERMS.issued, Literal(min(p.created for p in packages), datatype=XSD.date))
        self.agents()
        for package in packages:
            add(cat, DCAT.dataset, self.dataset(package))
        return self.g

    def agents(self) -> None:
        config, add = self.site.config, self.add
        self.typed(self.publisher, FOAF.Agent, DCATAPIT.Agent)
        add(self.publisher, FOAF.name, Literal(config.publisher_name))
        if self.it:
            add(self.publisher, DCTERMS.identifier, Literal(config.publisher_identifier))
        self.typed(self.contact, VCARD.Organization, DCATAPIT.Organization)
        add(self.contact, RDF.type, VCARD.Kind)
        add(self.contact, VCARD.fn, Literal(config.publisher_name))
        add(self.contact, VCARD.hasEmail, URIRef(f"mailto:{config.contact_email}"))
        info = config.licence_info
        self.typed(self.licence, DCTERMS.LicenseDocument, DCATAPIT.LicenseDocument)
        add(self.licence, DCTERMS.type, self.concept(LICENCE_TYPE, "Attribution"))
        add(self.licence, FOAF.name, Literal(info["name"]))
        add(self.licence, OWL.versionInfo, Literal("4.0"))
        add(self.licence, SKOS.exactMatch, URIRef(info["dcatapit"]))  # the same licence in AgID's vocabulary
        self.typed(self.rights, DCTERMS.RightsStatement)
        self.texts(self.rights, DCTERMS.description, {"it": info["rights_it"], "en": info["rights_en"]})
        self.concept(PUBLIC, "public", DCTERMS.RightsStatement)
        self.concept(STABLE, "stable")

    def dataset(self, package: Package) -> URIRef:
        site, add = self.site, self.add
        iri = dataset_iri(site, package.name)
        ds, page = URIRef(iri), URIRef(iri.split("#")[0])
        self.typed(ds, DCAT.Dataset, DCATAPIT.Dataset)
        if self.it:
            add(ds, DCTERMS.identifier, Literal(identifier(site, package)))
            add(ds, DCTERMS.rightsHolder, self.publisher)
        self.texts(ds, DCTERMS.title, package.title)
        self.texts(ds, DCTERMS.description, package.description)
        for lang in ("it", "en"):
            for word in package.keywords[lang]:
                add(ds, DCAT.keyword, Literal(word, lang=lang))
        add(ds, DCTERMS.modified, Literal(package.updated, datatype=XSD.date))
        add(ds, DCTERMS.issued, Literal(package.created, datatype=XSD.date))
        for code in package.themes:
            theme = URIRef(f"{EU}data-theme/{code}")
            add(ds, DCAT.theme, theme)
            add(theme, RDF.type, SKOS.Concept)
            add(theme, SKOS.inScheme, URIRef(f"{EU}data-theme"))
            self.texts(theme, SKOS.prefLabel, dict(zip(("it", "en"), THEME_LABELS[code])))
        frequency = URIRef(f"{EU}frequency/{package.frequency}")
        add(ds, DCTERMS.accrualPeriodicity, frequency)
        add(frequency, RDF.type, DCTERMS.Frequency)
        add(ds, DCTERMS.publisher, self.publisher)
        add(ds, DCAT.contactPoint, self.contact)
        add(ds, DCTERMS.accessRights, PUBLIC)
        for language in LANGUAGES:
            add(ds, DCTERMS.language, language)
        add(ds, OWL.versionInfo, Literal(package.version))
        add(ds, DCAT_VERSION, Literal(package.version))
        if package.name in self.previous:
            add(ds, DCAT_PREVIOUS, URIRef(version_iri(site, package.name, self.previous[package.name])))
        add(ds, DCAT.landingPage, self.typed(page, FOAF.Document))
        add(ds, DCTERMS.spatial, ITALY)
        if package.temporal:
            self.period(ds, URIRef(f"{page}#period"), package.temporal)
        for name, fragment, resource in _distributions(package):
            path = f"data/{package.name}/{name}"
            if path in self.stats:
                dist = URIRef(f"{page}#{fragment}")
                add(ds, DCAT.distribution, dist)
                self.distribution(package, resource, dist, page, path)
        return ds

    def period(self, ds: URIRef, period: URIRef, temporal: tuple) -> None:
        self.add(ds, DCTERMS.temporal, self.typed(period, DCTERMS.PeriodOfTime))
        for prop, value in zip(("startDate", "endDate"), temporal):
            if value:
                self.add(period, URIRef(f"{DCAT}{prop}"), Literal(value, datatype=XSD.date))
                if self.it:
                    for ns in (DCATAPIT, SCHEMA):
                        self.add(period, ns[prop], Literal(value, datatype=XSD.date))

    def distribution(self, package: Package, resource: object, dist: URIRef, page: URIRef, path: str) -> None:
        add = self.add
        code, media = FILE_TYPES[path.rsplit(".", 1)[-1]]
        self.typed(dist, DCAT.Distribution, DCATAPIT.Distribution)
        fmt, mediatype = URIRef(f"{EU}file-type/{code}"), URIRef(f"{IANA}{media}")
        add(dist, DCTERMS.format, self.typed(fmt, DCTERMS.MediaTypeOrExtent))
        add(dist, DCAT.mediaType, self.typed(mediatype, DCTERMS.MediaType))
        add(dist, DCAT.accessURL, page)
        add(dist, DCAT.downloadURL, URIRef(self.site.urls.absolute(path)))
        add(dist, DCTERMS.license, self.licence)
        add(dist, DCTERMS.rights, self.rights)
        add(dist, DCAT.byteSize, Literal(str(self.stats[path][0]), datatype=XSD.nonNegativeInteger))
        add(dist, DCTERMS.modified, Literal(package.updated, datatype=XSD.date))
        add(dist, DCTERMS.issued, Literal(package.created, datatype=XSD.date))
        add(dist, DCATAP.availability, STABLE)
        title = getattr(resource, "title", package.title)
        description = getattr(resource, "description", package.description)
        self.texts(dist, DCTERMS.title, {lang: f"{title[lang]} ({code})" for lang in ("it", "en")})
        self.texts(dist, DCTERMS.description, description)


def _distributions(package: Package) -> list[tuple[str, str, object]]:
    out: list[tuple[str, str, object]] = []
    for r in package.resources:
        out += [(f"{r.name}.csv", f"csv-{r.name}", r), (f"{r.name}.json", f"json-{r.name}", r)]
    return out + [(f"{package.name}.xlsx", "xlsx", None), (f"{package.name}.zip", "zip", None)]


def graph(site: Site, stats: Mapping[str, tuple[int, str]], previous: Mapping[str, str] | None = None) -> Graph:
    """The catalogue; `stats` maps site paths of the data files to (bytes, sha256); `previous` maps a package
    name to the version published before its current one."""
    return _Builder(site, stats, previous or {}).catalogue()


def serialisations(site: Site, stats: Mapping[str, tuple[int, str]],
                   previous: Mapping[str, str] | None = None) -> dict[str, bytes]:
    """The three catalogue files (none only when there is no package at all)."""
    if not site.datasets:
        return {}
    g = graph(site, stats, previous)
    turtle = g.serialize(format="turtle").encode("utf-8")
    return dict(zip(FILES, (turtle, to_rdfxml(g), to_jsonld(g))))
