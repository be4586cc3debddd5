"""Areas and clusters: the record schemas (in one place) and their cross-checks.

Each record is one YAML file, `content/areas/<id>.yaml` or `content/clusters/<id>.yaml`; the id is the file
name. Every fact a record states must name the source it was checked against (`sources[].fields`).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..problems import Problem, did_you_mean
from . import yamlfile
from .specs import ID_PATTERN, Spec, load_checked, mapping, opt, req

SOURCE = req("list", item=mapping(("url", req("url")), ("title", opt("str")),
                                  ("fields", req("list", item=req("str"))), required=True, nullable=False))

PNR_GROUPS = ("priority", "high-potential", "in-transition", "consolidated")  # PNR 2015-2020 area groups
SEATS = ("registered", "operational")  # sede legale, sede operativa: as the source says

AREA_SPEC = mapping(
    ("name", req("text")),
    ("description", req("text")),
    ("call_year", opt("year")),
    ("pnr_group", opt("str", choices=PNR_GROUPS)),
    ("sources", SOURCE),
)
CLUSTER_SPEC = mapping(
    ("acronym", req("str")),
    ("name", req("text", partial=True)),
    ("area", req("id")),
    ("website", opt("url")),
    ("founded", opt("year")),
    ("founded_on", opt("isodate")),
    ("call_year", opt("year")),
    ("selection_year", opt("year")),
    ("pnr_area", opt("str")),
    ("recognition_decree", opt("str")),
    ("headquarters", mapping(("city", opt("str")), ("region", opt("str")), ("seat", opt("str", choices=SEATS)))),
    ("legal_form", opt("str")),
    ("president", mapping(("name", req("str")), ("as_of", opt("isodate")), ("note", opt("text")))),
    ("members", mapping(("it", req("str")), ("en", req("str")), ("as_of", opt("isodate")))),
    ("description", req("text")),
    ("sources", SOURCE),
)
SPECS: dict[str, Spec] = {"areas": AREA_SPEC, "clusters": CLUSTER_SPEC}


@dataclass(frozen=True)
class Source:
    url: str
    title: str | None
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Area:
    id: str
    path: str
    name: dict[str, str]
    description: dict[str, str]
    call_year: int | None  # year of the first call that listed the area
    pnr_group: str | None  # one of PNR_GROUPS
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Cluster:
    id: str
    path: str
    acronym: str
    name: dict[str, str | None]
    area: str
    website: str | None
    founded: int | None
    founded_on: str | None  # the founding day or month (ISO 8601) where the sources give it
    call_year: int | None  # year of the call the cluster answered (2012 or 2016)
    selection_year: int | None  # year of the ministry's selection decree
    pnr_area: str | None  # its area in the Programma Nazionale per la Ricerca 2015-2020, as the source names it
    recognition_decree: str | None
    city: str | None
    region: str | None
    seat: str | None  # one of SEATS, or None when the source does not say which office the city is
    legal_form: str | None
    president: dict[str, Any] | None
    members: dict[str, Any] | None
    description: dict[str, str]
    sources: tuple[Source, ...]
    lines: dict[str, int] = dataclasses.field(default_factory=dict)  # "president.as_of" -> line in the record file

    def display_name(self, lang: str) -> str:
        return self.name.get(lang) or self.name["it"] or self.acronym


@dataclass(frozen=True)
class Records:
    areas: tuple[Area, ...]
    clusters: tuple[Cluster, ...]

    def area(self, area_id: str) -> Area:
        return next(a for a in self.areas if a.id == area_id)

    def clusters_in(self, area_id: str) -> tuple[Cluster, ...]:
        return tuple(c for c in self.clusters if c.area == area_id)


def load(content_dir: Path) -> tuple[Records, list[Problem]]:
    problems: list[Problem] = []
    loaded: dict[str, list[tuple[str, str, dict[str, Any], yamlfile.YamlDoc]]] = {"areas": [], "clusters": []}
    for kind, spec in SPECS.items():
        folder = content_dir / kind
        for file in sorted(folder.glob("*")) if folder.is_dir() else []:
            display = yamlfile.display_path(file)
            if file.suffix == ".yml":
                problems.append(Problem(display, 0, 0, "records use the .yaml extension", f"rename to {file.stem}.yaml"))
                continue
            if file.suffix != ".yaml" or file.name.startswith("."):
                continue
            record_id = file.stem
            doc, value, found = load_checked(file, display, spec)
            problems += found
            if doc is None:
                continue
            if not _id_ok(record_id):
                problems.append(Problem(display, 1, 0, f"record id '{record_id}' (the file name) must use lowercase"
                                        " letters, digits and hyphens"))
            if not found:
                problems += _source_problems(doc, value, spec)
                loaded[kind].append((record_id, display, value, doc))
    area_ids = {rid for rid, *_ in loaded["areas"]}
    for rid, display, value, doc in loaded["clusters"]:
        if value["founded_on"] and value["founded"] and not value["founded_on"].startswith(str(value["founded"])):
            problems.append(doc.problem(("founded_on",), f"'founded_on' {value['founded_on']} is not in the year"
                                        f" 'founded' gives ({value['founded']})", "make the two agree"))
        if value["area"] not in area_ids:
            problems.append(doc.problem(("area",), f"unknown area id '{value['area']}'",
                                        did_you_mean(value["area"], area_ids) or "areas are the files in areas/"))
    areas = tuple(_area(rid, d, v) for rid, d, v, _ in loaded["areas"])
    clusters = tuple(_cluster(rid, d, v, doc) for rid, d, v, doc in loaded["clusters"] if v["area"] in area_ids)
    return Records(areas, clusters), problems


def _id_ok(record_id: str) -> bool:
    return bool(ID_PATTERN.match(record_id))


def _source_problems(doc: yamlfile.YamlDoc, value: dict[str, Any], spec: Spec) -> list[Problem]:
    """Every stated fact must be covered by a source, and sources may only name real fields."""
    problems = []
    names = [k for k, _ in spec.fields if k != "sources"]
    covered: set[str] = set()
    for i, source in enumerate(value["sources"]):
        for j, field in enumerate(source["fields"]):
            if field not in names:
                problems.append(doc.problem(("sources", i, "fields", j), f"unknown field '{field}' in sources",
                                            did_you_mean(field, names)))
            covered.add(field)
    for name in names:
        if value.get(name) not in (None, {}, ()) and name not in covered and not _all_null(value[name]):
            problems.append(doc.problem((name,), f"'{name}' has no source",
                                        f"add '{name}' to the fields of the source it was checked against"))
    return problems


def _all_null(value: Any) -> bool:
    return isinstance(value, dict) and all(v is None for v in value.values())


def _sources(value: dict[str, Any]) -> tuple[Source, ...]:
    return tuple(Source(s["url"], s["title"], tuple(s["fields"])) for s in value["sources"])


def _area(rid: str, display: str, v: dict[str, Any]) -> Area:
    return Area(rid, display, v["name"], v["description"], v["call_year"], v["pnr_group"], _sources(v))


# Fields later stages point at (the stale check, the region codes): their lines in the record file.
LOCATED = (("founded_on",), ("president", "as_of"), ("members", "as_of"), ("headquarters", "region"))


def _cluster(rid: str, display: str, v: dict[str, Any], doc: yamlfile.YamlDoc) -> Cluster:
    hq = v["headquarters"] or {}
    lines = {".".join(keys): doc.lines[keys][0] for keys in LOCATED if keys in doc.lines}
    return Cluster(rid, display, v["acronym"], v["name"], v["area"], v["website"], v["founded"], v["founded_on"],
                   v["call_year"], v["selection_year"], v["pnr_area"], v["recognition_decree"],
                   hq.get("city"), hq.get("region"), hq.get("seat"), v["legal_form"], v["president"], v["members"],
                   v["description"], _sources(v), lines)
