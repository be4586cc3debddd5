"""The DCAT-AP_IT catalogue of every package, for dati.gov.it and other harvesters.

One graph, three files: `data/catalog.ttl`, `data/catalog.rdf`, `data/catalog.jsonld`. Only published
when `site.yaml` gives the publisher's identifier (IPA code or VAT number): the profile requires it and the
standards forbid inventing one (standards.md §0 item 9). Every node has an IRI built from `base_url` (no
blank nodes), every class is given both its DCAT and its `dcatapit:` type, and RDF/XML and JSON-LD are
written in a canonical order by this module, because rdflib's own output of those two formats changes
with the hash seed (standards.md §6.1).
"""
from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, SKOS, XSD

from ..model.site import Site
from .package import Package

DCATAPIT = Namespace("http://dati.gov.it/onto/dcatapit#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SCHEMA = Namespace("http://schema.org/")
EU = "http://publications.europa.eu/resource/authority/"
PREFIXES = {"dcat": DCAT, "dcatap": DCATAP, "dcatapit": DCATAPIT, "dct": DCTERMS, "foaf": FOAF, "owl": OWL,
            "rdf": RDF, "schema": SCHEMA, "skos": SKOS, "vcard": VCARD, "xsd": XSD}
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
STABLE = URIRef("http://data.europa.eu/r5r/availability/stable")
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


def identifier(site: Site, package: Package) -> str | None:
    """`dct:identifier` of a dataset: '<publisher code>:<package name>' (standards.md §1.4)."""
    code = site.config.publisher_identifier
    return f"{code}:{package.name}" if code else None


def graph(site: Site, stats: dict[str, tuple[int, str]]) -> Graph:
    """The catalogue; `stats` maps site paths of the data files to (bytes, sha256)."""
    config = site.config
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    add = g.add
    base = URIRef(config.base_url)
    publisher, contact = URIRef(config.base_url + "#publisher"), URIRef(config.base_url + "#contact")
    licence = URIRef(config.licence_info["dcatapit"])
    cat = URIRef(catalog_iri(site))

    def typed(node: URIRef, *classes: URIRef) -> URIRef:
        for cls in classes:
            add((node, RDF.type, cls))
        return node

    def texts(node: URIRef, prop: URIRef, values: dict[str, str]) -> None:
        for lang in ("it", "en"):
            add((node, prop, Literal(values[lang], lang=lang)))

    typed(cat, DCAT.Catalog, DCATAPIT.Catalog)
    texts(cat, DCTERMS.title, config.title)
    texts(cat, DCTERMS.description, config.description)
    add((cat, DCTERMS.publisher, publisher))
    add((cat, FOAF.homepage, typed(base, FOAF.Document)))
    add((cat, DCTERMS.license, licence))
    add((cat, DCTERMS.spatial, typed(ITALY, DCTERMS.Location)))
    scheme = typed(URIRef(f"{EU}data-theme"), SKOS.ConceptScheme)
    add((scheme, DCTERMS.title, Literal("Data theme", lang="en")))
    add((cat, DCAT.themeTaxonomy, scheme))
    for language in LANGUAGES:
        add((cat, DCTERMS.language, typed(language, DCTERMS.LinguisticSystem)))
    packages = list(site.datasets)
    add((cat, DCTERMS.modified, Literal(max(p.updated for p in packages), datatype=XSD.date)))
    add((cat, DCTERMS.issued, Literal(min(p.created for p in packages), datatype=XSD.date)))

    typed(publisher, FOAF.Agent, DCATAPIT.Agent)
    add((publisher, FOAF.name, Literal(config.publisher_name)))
    add((publisher, DCTERMS.identifier, Literal(config.publisher_identifier)))
    typed(contact, DCATAPIT.Organization, VCARD.Organization, VCARD.Kind)
    add((contact, VCARD.fn, Literal(config.publisher_name)))
    add((contact, VCARD.hasEmail, URIRef(f"mailto:{config.contact_email}")))
    typed(licence, DCTERMS.LicenseDocument, DCATAPIT.LicenseDocument)
    add((licence, DCTERMS.type, typed(LICENCE_TYPE, SKOS.Concept)))
    add((LICENCE_TYPE, SKOS.prefLabel, Literal("Attribution", lang="en")))
    add((licence, FOAF.name, Literal(config.licence_info["name"])))
    add((licence, OWL.versionInfo, Literal("4.0")))
    add((typed(STABLE, SKOS.Concept), SKOS.prefLabel, Literal("stable", lang="en")))

    for package in packages:
        add((cat, DCAT.dataset, _dataset(g, site, package, stats, publisher, contact, licence)))
    return g


def _dataset(g: Graph, site: Site, package: Package, stats: dict[str, tuple[int, str]], publisher: URIRef,
             contact: URIRef, licence: URIRef) -> URIRef:
    add = g.add
    iri = dataset_iri(site, package.name)
    ds, page = URIRef(iri), URIRef(iri.split("#")[0])
    for cls in (DCAT.Dataset, DCATAPIT.Dataset):
        add((ds, RDF.type, cls))
    add((ds, DCTERMS.identifier, Literal(identifier(site, package))))
    for lang in ("it", "en"):
        add((ds, DCTERMS.title, Literal(package.title[lang], lang=lang)))
        add((ds, DCTERMS.description, Literal(package.description[lang], lang=lang)))
        for word in package.keywords[lang]:
            add((ds, DCAT.keyword, Literal(word, lang=lang)))
    add((ds, DCTERMS.modified, Literal(package.updated, datatype=XSD.date)))
    add((ds, DCTERMS.issued, Literal(package.created, datatype=XSD.date)))
    for code in package.themes:
        theme = URIRef(f"{EU}data-theme/{code}")
        add((ds, DCAT.theme, theme))
        add((theme, RDF.type, SKOS.Concept))
        add((theme, SKOS.inScheme, URIRef(f"{EU}data-theme")))
        for lang, label in zip(("it", "en"), THEME_LABELS[code]):
            add((theme, SKOS.prefLabel, Literal(label, lang=lang)))
    frequency = URIRef(f"{EU}frequency/{package.frequency}")
    add((ds, DCTERMS.accrualPeriodicity, frequency))
    add((frequency, RDF.type, DCTERMS.Frequency))
    add((ds, DCTERMS.publisher, publisher))
    add((ds, DCTERMS.rightsHolder, publisher))
    add((ds, DCAT.contactPoint, contact))
    for language in LANGUAGES:
        add((ds, DCTERMS.language, language))
    add((ds, OWL.versionInfo, Literal(package.version)))
    add((ds, URIRef(f"{DCAT}version"), Literal(package.version)))  # DCAT 3 term, not in rdflib's closed namespace
    add((ds, DCAT.landingPage, page))
    add((page, RDF.type, FOAF.Document))
    add((ds, DCTERMS.spatial, ITALY))
    if package.temporal:
        period = URIRef(f"{page}#period")
        add((ds, DCTERMS.temporal, period))
        add((period, RDF.type, DCTERMS.PeriodOfTime))
        start, end = package.temporal
        for prop, value in (("startDate", start), ("endDate", end)):
            if value:
                for ns in (DCATAPIT, SCHEMA, DCAT):
                    add((period, ns[prop], Literal(value, datatype=XSD.date)))
    for name, fragment, resource in _distributions(package):
        path = f"data/{package.name}/{name}"
        if path not in stats:
            continue
        dist = URIRef(f"{page}#{fragment}")
        add((ds, DCAT.distribution, dist))
        _distribution(g, site, package, resource, dist, page, path, stats[path][0], licence)
    return ds


def _distributions(package: Package) -> list[tuple[str, str, object]]:
    out: list[tuple[str, str, object]] = []
    for r in package.resources:
        out += [(f"{r.name}.csv", f"csv-{r.name}", r), (f"{r.name}.json", f"json-{r.name}", r)]
    return out + [(f"{package.name}.xlsx", "xlsx", None), (f"{package.name}.zip", "zip", None)]


def _distribution(g: Graph, site: Site, package: Package, resource: object, dist: URIRef, page: URIRef,
                  path: str, size: int, licence: URIRef) -> None:
    add = g.add
    code, media = FILE_TYPES[path.rsplit(".", 1)[-1]]
    for cls in (DCAT.Distribution, DCATAPIT.Distribution):
        add((dist, RDF.type, cls))
    fmt, mediatype = URIRef(f"{EU}file-type/{code}"), URIRef(f"http://www.iana.org/assignments/media-types/{media}")
    add((dist, DCTERMS.format, fmt))
    add((fmt, RDF.type, DCTERMS.MediaTypeOrExtent))
    add((dist, DCAT.mediaType, mediatype))
    add((mediatype, RDF.type, DCTERMS.MediaType))
    add((dist, DCAT.accessURL, page))
    add((dist, DCAT.downloadURL, URIRef(site.urls.absolute(path))))
    add((dist, DCTERMS.license, licence))
    add((dist, DCAT.byteSize, Literal(str(size), datatype=XSD.nonNegativeInteger)))
    add((dist, DCTERMS.modified, Literal(package.updated, datatype=XSD.date)))
    add((dist, DCATAP.availability, STABLE))
    title = getattr(resource, "title", package.title)
    description = getattr(resource, "description", package.description)
    for lang in ("it", "en"):
        add((dist, DCTERMS.title, Literal(f"{title[lang]} ({code})", lang=lang)))
        add((dist, DCTERMS.description, Literal(description[lang], lang=lang)))


# --- canonical serialisations -----------------------------------------------------------------------------------

def _curie(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if iri.startswith(str(ns)) and iri[len(str(ns)):].replace("_", "a").isalnum():
            return f"{prefix}:{iri[len(str(ns)):]}"
    raise ValueError(f"no prefix for {iri}")


def _sorted(g: Graph) -> list[tuple[str, list[tuple[str, object]]]]:
    subjects: dict[str, list[tuple[str, object]]] = {}
    for s, p, o in g:
        subjects.setdefault(str(s), []).append((str(p), o))
    key = (lambda po: (po[0], isinstance(po[1], Literal), str(po[1]), getattr(po[1], "language", None) or "",
                       str(getattr(po[1], "datatype", None) or "")))
    return [(s, sorted(subjects[s], key=key)) for s in sorted(subjects)]


def to_rdfxml(g: Graph) -> bytes:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    lines += [f'  xmlns:{prefix}={quoteattr(str(ns))}' for prefix, ns in sorted(PREFIXES.items())]
    lines[-1] += ">"
    for subject, pairs in _sorted(g):
        lines.append(f"  <rdf:Description rdf:about={quoteattr(subject)}>")
        for p, o in pairs:
            tag = _curie(p)
            if isinstance(o, Literal):
                attrs = f" xml:lang={quoteattr(o.language)}" if o.language else ""
                attrs += f" rdf:datatype={quoteattr(str(o.datatype))}" if o.datatype else ""
                lines.append(f"    <{tag}{attrs}>{escape(str(o))}</{tag}>")
            else:
                lines.append(f"    <{tag} rdf:resource={quoteattr(str(o))}/>")
        lines.append("  </rdf:Description>")
    lines.append("</rdf:RDF>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def to_jsonld(g: Graph) -> bytes:
    """JSON-LD with an inline context (no network needed to read it), nodes sorted by @id."""
    nodes = []
    for subject, pairs in _sorted(g):
        node: dict[str, object] = {"@id": subject}
        for p, o in pairs:
            if p == str(RDF.type):
                node.setdefault("@type", []).append(_curie(str(o)))  # type: ignore[union-attr]
                continue
            if isinstance(o, Literal):
                value: dict[str, str] = {"@value": str(o)}
                if o.language:
                    value["@language"] = o.language
                elif o.datatype:
                    value["@type"] = _curie(str(o.datatype))
            else:
                value = {"@id": str(o)}
            node.setdefault(_curie(p), []).append(value)  # type: ignore[union-attr]
        nodes.append(node)
    doc = {"@context": {prefix: str(ns) for prefix, ns in PREFIXES.items()}, "@graph": nodes}
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def serialisations(site: Site, stats: dict[str, tuple[int, str]]) -> dict[str, bytes]:
    """The three catalogue files, or none when the publisher has no identifier."""
    if not site.config.publisher_identifier or not site.datasets:
        return {}
    g = graph(site, stats)
    turtle = g.serialize(format="turtle").encode("utf-8")
    return dict(zip(FILES, (turtle, to_rdfxml(g), to_jsonld(g))))
