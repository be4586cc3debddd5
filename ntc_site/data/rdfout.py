"""Canonical RDF/XML and JSON-LD of the catalogue graph.

rdflib's own output of these two formats changes with the hash seed (standards.md §6.1), so two builds of
the same site would differ; this module writes them in a fixed order (subjects, then predicates, then
objects, sorted), with prefixes from `PREFIXES` and an inline JSON-LD context (no network to read it).
"""
from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from rdflib import Graph, Literal, Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, SKOS, XSD

DCATAPIT = Namespace("http://dati.gov.it/onto/dcatapit#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SCHEMA = Namespace("http://schema.org/")
PREFIXES = {"dcat": DCAT, "dcatap": DCATAP, "dcatapit": DCATAPIT, "dct": DCTERMS, "foaf": FOAF, "owl": OWL,
            "rdf": RDF, "schema": SCHEMA, "skos": SKOS, "vcard": VCARD, "xsd": XSD}


def curie(iri: str) -> str:
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
            tag = curie(p)
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
                node.setdefault("@type", []).append(curie(str(o)))  # type: ignore[union-attr]
                continue
            if isinstance(o, Literal):
                value: dict[str, str] = {"@value": str(o)}
                if o.language:
                    value["@language"] = o.language
                elif o.datatype:
                    value["@type"] = curie(str(o.datatype))
            else:
                value = {"@id": str(o)}
            node.setdefault(curie(p), []).append(value)  # type: ignore[union-attr]
        nodes.append(node)
    doc = {"@context": {prefix: str(ns) for prefix, ns in PREFIXES.items()}, "@graph": nodes}
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
