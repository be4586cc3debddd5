"""Metadata quality of each dataset, scored as data.europa.eu scores it, before anything is published.

The EU portal grades every harvested dataset with its Metadata Quality Assessment (MQA: methodology at
https://data.europa.eu/mqa/methodology, explained in the data provider manual,
https://dataeuropa.gitlab.io/data-provider-manual/metadata-quality-dashboard/). Five dimensions, 405 points:
findability (keywords 30, themes 30, spatial 20, temporal 20), accessibility (access URL answers 50, download
URL given 20, download URL answers 30), interoperability (format 20, media type 10, both from their
vocabularies 10, non-proprietary 20, machine-readable 20, DCAT-AP compliant 30), reusability (licence 20,
licence from the EU vocabulary 10, access rights 10, access rights from the EU vocabulary 5, contact point
20, publisher 10) and contextuality (rights 5, byte size 5, issued 5, modified 5).

Read as the portal reads it: a distribution property earns the dataset its points when at least one
distribution has it. "Answers" is checked offline: the URL must be a file of the site being built (the
portal sends HTTP requests; no request leaves this machine). DCAT-AP compliance here checks the mandatory
properties of DCAT-AP 3.0.1; the tests validate the same graph against the full SHACL shapes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from ..urls import output_file

EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
# The file types the MQA counts as non-proprietary / machine-readable, for the formats this site can publish
# (EU file-type authority table codes).
NON_PROPRIETARY = {"CSV", "JSON", "JSON_LD", "RDF_TURTLE", "RDF_XML", "XML", "ODS"}
MACHINE_READABLE = {"CSV", "JSON", "JSON_LD", "RDF_TURTLE", "RDF_XML", "XML", "ODS", "XLSX", "XLS"}
LICENCES = {f"{EU}licence/{code}" for code in ("CC_BY_4_0", "CC_BYSA_4_0", "CC0", "CC_BY_3_0", "ODC_BY",
                                               "ODC_ODBL", "IODL_2_0")}
ACCESS_RIGHTS = {f"{EU}access-right/{code}" for code in ("PUBLIC", "RESTRICTED", "NON_PUBLIC")}
TOTAL = 405


@dataclass(frozen=True)
class Score:
    dataset: str  # its IRI
    title: str
    points: int
    misses: tuple[str, ...]  # '<indicator> (-N)'

    def line(self) -> str:
        text = f"metadata quality (data.europa.eu MQA) {self.title}: {self.points}/{TOTAL}"
        return text + (f" — missing: {'; '.join(self.misses)}" if self.misses else "")


def _answers(url: URIRef, base: str, files: Mapping[str, object]) -> bool:
    text = str(url).split("#")[0]
    if not text.startswith(base):
        return False
    path = text[len(base):]
    return output_file(path) in files or path in files


def score_dataset(g: Graph, ds: URIRef, base: str, files: Mapping[str, object]) -> Score:
    dists = list(g.objects(ds, DCAT.distribution))

    def has(prop: URIRef) -> bool:
        return g.value(ds, prop) is not None

    def any_dist(test: Callable[[URIRef], bool]) -> bool:
        return any(test(d) for d in dists)

    def codes(d: URIRef) -> set[str]:
        return {str(f).rsplit("/", 1)[-1] for f in g.objects(d, DCTERMS.format) if str(f).startswith(f"{EU}file-type/")}

    publisher = g.value(ds, DCTERMS.publisher)
    indicators: list[tuple[str, int, bool]] = [
        ("keywords (dcat:keyword)", 30, has(DCAT.keyword)),
        ("themes (dcat:theme)", 30, has(DCAT.theme)),
        ("spatial coverage (dct:spatial)", 20, has(DCTERMS.spatial)),
        ("temporal coverage (dct:temporal)", 20, has(DCTERMS.temporal)),
        ("access URL that answers", 50, any_dist(lambda d: any(_answers(u, base, files)
                                                             for u in g.objects(d, DCAT.accessURL)))),
        ("download URL", 20, any_dist(lambda d: g.value(d, DCAT.downloadURL) is not None)),
        ("download URL that answers", 30, any_dist(lambda d: any(_answers(u, base, files)
                                                               for u in g.objects(d, DCAT.downloadURL)))),
        ("format (dct:format)", 20, any_dist(lambda d: g.value(d, DCTERMS.format) is not None)),
        ("media type (dcat:mediaType)", 10, any_dist(lambda d: g.value(d, DCAT.mediaType) is not None)),
        ("format and media type from their vocabularies", 10, any_dist(
            lambda d: bool(codes(d)) and all(str(m).startswith(IANA) for m in g.objects(d, DCAT.mediaType)))),
        ("non-proprietary format", 20, any_dist(lambda d: bool(codes(d) & NON_PROPRIETARY))),
        ("machine-readable format", 20, any_dist(lambda d: bool(codes(d) & MACHINE_READABLE))),
        ("DCAT-AP compliance (mandatory properties)", 30, _dcat_ap_mandatory(g, ds, dists)),
        ("licence (dct:license)", 20, any_dist(lambda d: g.value(d, DCTERMS.license) is not None)),
        ("licence from the EU vocabulary", 10, any_dist(lambda d: str(g.value(d, DCTERMS.license)) in LICENCES)),
        ("access rights (dct:accessRights)", 10, has(DCTERMS.accessRights)),
        ("access rights from the EU vocabulary", 5, str(g.value(ds, DCTERMS.accessRights)) in ACCESS_RIGHTS),
        ("contact point (dcat:contactPoint)", 20, has(DCAT.contactPoint)),
        ("publisher (dct:publisher)", 10, publisher is not None and g.value(publisher, FOAF.name) is not None),
        ("rights (dct:rights)", 5, any_dist(lambda d: g.value(d, DCTERMS.rights) is not None)),
        ("byte size (dcat:byteSize)", 5, any_dist(lambda d: g.value(d, DCAT.byteSize) is not None)),
        ("date of issue (dct:issued)", 5, has(DCTERMS.issued) or any_dist(lambda d: g.value(d, DCTERMS.issued)
                                                                         is not None)),
        ("modification date (dct:modified)", 5, has(DCTERMS.modified) or any_dist(
            lambda d: g.value(d, DCTERMS.modified) is not None)),
    ]
    assert sum(w for _, w, _ in indicators) == TOTAL
    points = sum(w for _, w, ok in indicators if ok)
    titles = [str(t) for t in g.objects(ds, DCTERMS.title) if getattr(t, "language", None) == "en"]
    return Score(str(ds), titles[0] if titles else str(ds), points,
                 tuple(f"{name} (-{w})" for name, w, ok in indicators if not ok))


def _dcat_ap_mandatory(g: Graph, ds: URIRef, dists: list) -> bool:
    """DCAT-AP 3.0.1 mandatory properties of a dataset and its distributions."""
    if g.value(ds, DCTERMS.title) is None or g.value(ds, DCTERMS.description) is None:
        return False
    return all((d, RDF.type, DCAT.Distribution) in g and g.value(d, DCAT.accessURL) is not None for d in dists)


def scores(catalogue_ttl: bytes, base: str, files: Mapping[str, object]) -> list[Score]:
    """One score per dataset of the catalogue, in catalogue order (by IRI)."""
    g = Graph().parse(data=catalogue_ttl, format="turtle")
    return [score_dataset(g, ds, base, files) for ds in sorted(g.subjects(RDF.type, DCAT.Dataset))]
