"""Loading the data packages: the hand-curated tables in `datasets/` and the two tables built from the records.

`load` reads every package's metadata (`package.yaml`), Table Schemas and CSV sources, checks them, and
validates each package with frictionless, reporting bad input as `path:row: field 'x': message`. It gives
frozen `Package`s (data/package.py); the writers, the catalogue and the dataset pages take it from there.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..load import content, yamlfile
from ..load.config import SiteConfig
from ..load.records import Records
from ..load.specs import ID_PATTERN, load_checked, mapping, opt, req
from ..problems import Problem, did_you_mean
from ..processing import processing
from . import csvrows, frictionless_check, record_tables, tableschema
from .package import Change, Package, Resource, Source, Timeline

THEMES = ("AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI", "TECH", "TRAN")
FREQUENCIES = ("ANNUAL", "ANNUAL_2", "BIENNIAL", "IRREG", "MONTHLY", "QUARTERLY", "UNKNOWN", "UPDATE_CONT")
RECORD_TABLES = ("clusters", "areas")
_SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
_KEYWORD = re.compile(r"^[\w\- ]+$")  # DCAT-AP_IT: no commas, apostrophes or slashes in keywords
DESCRIPTION_MIN, DESCRIPTION_MAX = 50, 5000  # schema.org Dataset description length (standards.md §2)

_TEXT_ITEM = req("str")
PACKAGE_SPEC = mapping(
    ("version", req("str")),
    ("title", req("text")),
    ("description", req("text")),
    ("keywords", mapping(("it", req("list", item=_TEXT_ITEM)), ("en", req("list", item=_TEXT_ITEM)),
                         required=True, nullable=False)),
    ("themes", req("list", item=req("str", choices=THEMES))),
    ("frequency", req("str", choices=FREQUENCIES)),
    ("temporal", mapping(("start", req("date")), ("end", opt("date")))),
    ("created", req("date")),
    ("updated", req("date")),
    ("sources", req("list", item=mapping(("url", req("url")), ("title", req("str")), required=True,
                                         nullable=False))),
    ("completeness", opt("text")),
    ("caveats", opt("text")),
    ("changelog", req("list", item=mapping(("version", req("str")), ("date", req("date")), ("note", req("text")),
                                           required=True, nullable=False))),
    ("records", opt("bool")),
    ("timeline", mapping(("resource", req("id")), ("date", req("str")), ("title", req("text")),
                         ("source", req("str")), ("number", opt("str")))),
    ("resources", req("list", item=mapping(("name", req("id")), ("title", req("text")),
                                           ("description", req("text")), ("schema", opt("str")),
                                           ("path", opt("str")), required=True, nullable=False))),
)


# --- load ----------------------------------------------------------------------------------------------------

def load(datasets_dir: Path, records: Records, config: SiteConfig) -> tuple[list[Package], list[Problem]]:
    """Every package of `datasets/`, checked and validated; no packages at all when the folder is absent."""
    if not datasets_dir.is_dir():
        return [], []
    packages: list[Package] = []
    problems: list[Problem] = content.outside_links(datasets_dir)
    if problems:  # never read a table through a link that leaves datasets/
        return [], problems
    folders = sorted(p for p in datasets_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    region_codes = record_tables.region_codes(datasets_dir)
    if region_codes:
        problems += record_tables.region_problems(records, region_codes)
    for folder in folders:
        with processing(yamlfile.display_path(folder / "package.yaml")):
            package, found = load_package(folder, datasets_dir, records, region_codes)
        problems += found
        if package is not None and not found:
            found = frictionless_check.validate_package(package)
            problems += found
            if not found:
                packages.append(package)
    names = {f.name for f in folders}
    for table in RECORD_TABLES:
        if table not in names:
            display = yamlfile.display_path(datasets_dir / table / "package.yaml")
            problems.append(Problem(display, 0, 0, f"missing metadata of the record package '{table}'",
                                    "copy another package.yaml and set 'records: true'"))
    return packages, problems


def load_package(folder: Path, datasets_dir: Path, records: Records,
                 region_codes: dict[str, str] | None = None, past_content: Path | None = None
                 ) -> tuple[Package | None, list[Problem]]:
    """One package; `past_content` (the content folder of an earlier commit) loads a version from the git
    history, whose record tables are read from that commit's record files with the columns of its schema."""
    file = folder / "package.yaml"
    display = yamlfile.display_path(file)
    if not file.is_file():
        return None, [Problem(display, 0, 0, "missing package metadata", f"every folder of datasets/ needs {file.name}")]
    if not ID_PATTERN.match(folder.name):
        return None, [Problem(display, 0, 0, f"package name '{folder.name}' (the folder name) must use lowercase"
                              " letters, digits and single hyphens")]
    doc, v, problems = load_checked(file, display, PACKAGE_SPEC)
    if doc is None or problems:
        return None, problems
    problems += _metadata_problems(doc, v, folder.name)
    names = [r["name"] for r in v["resources"]]
    resources = []
    for i, r in enumerate(v["resources"]):
        resource, found = _load_resource(doc, i, r, folder, datasets_dir, records, bool(v["records"]),
                                         region_codes or {}, past_content)
        problems += found
        if resource is not None:
            resources.append(resource)
    loaded = {r.name for r in resources}
    # a timeline over a table that failed to load would only repeat that table's own problem
    checkable = v["timeline"] and (v["timeline"]["resource"] in loaded or v["timeline"]["resource"] not in names)
    timeline, found = _timeline(doc, v["timeline"], resources) if checkable else (None, [])
    problems += found
    for resource in resources:
        for fk in resource.schema.foreign_keys:
            if fk.resource not in names:
                problems.append(doc.problem(("resources",), f"resource '{resource.name}' has a foreign key to"
                                            f" '{fk.resource}', which is not a resource of this package"))
    if problems:
        return None, problems
    temporal = (v["temporal"]["start"], v["temporal"]["end"]) if v["temporal"] else None
    if temporal is None and v["records"] and resources:
        temporal = record_tables.record_period(resources[0])
    return Package(
        name=folder.name, title=v["title"], description=v["description"], updated=v["updated"],
        version=v["version"], created=v["created"],
        keywords={lang: tuple(v["keywords"][lang]) for lang in ("it", "en")}, themes=tuple(v["themes"]),
        frequency=v["frequency"], temporal=temporal,
        sources=tuple(Source(s["url"], s["title"]) for s in v["sources"]),
        completeness=v["completeness"], caveats=v["caveats"],
        changelog=tuple(Change(c["version"], c["date"], c["note"]) for c in v["changelog"]),
        resources=tuple(resources), path=display, from_records=bool(v["records"]), timeline=timeline,
    ), []


def _timeline(doc: yamlfile.YamlDoc, t: dict[str, Any], resources: list[Resource]) -> tuple[Timeline | None,
                                                                                           list[Problem]]:
    """The columns named under `timeline:` must exist in the table, the date column as a date."""
    resource = next((r for r in resources if r.name == t["resource"]), None)
    if resource is None:
        return None, [doc.problem(("timeline", "resource"), f"no resource '{t['resource']}' in this package",
                                  did_you_mean(t["resource"], [r.name for r in resources]))]
    types = {f.name: f.type for f in resource.schema.fields}
    wanted = [(("date",), t["date"]), (("source",), t["source"]), (("number",), t["number"])]
    wanted += [(("title", lang), column) for lang, column in t["title"].items()]
    problems = [doc.problem(("timeline", *where), f"the table '{resource.name}' has no column '{column}'",
                            did_you_mean(column, types) or f"its columns: {', '.join(types)}")
                for where, column in wanted if column is not None and column not in types]
    if not problems and types[t["date"]] != "date":
        problems.append(doc.problem(("timeline", "date"), f"column '{t['date']}' must have type date,"
                                    f" not {types[t['date']]}"))
    if problems:
        return None, problems
    return Timeline(resource.name, t["date"], t["title"], t["source"], t["number"]), []


def _metadata_problems(doc: yamlfile.YamlDoc, v: dict[str, Any], name: str) -> list[Problem]:
    problems = []
    if not _SEMVER.match(v["version"]):
        problems.append(doc.problem(("version",), f"version '{v['version']}' must be three numbers like 1.2.0"))
    for lang in ("it", "en"):
        size = len(v["description"][lang])
        if not DESCRIPTION_MIN <= size <= DESCRIPTION_MAX:
            problems.append(doc.problem(("description", lang), f"'description.{lang}' has {size} characters;"
                                        f" dataset search engines need {DESCRIPTION_MIN} to {DESCRIPTION_MAX}"))
        for j, word in enumerate(v["keywords"][lang]):
            if not _KEYWORD.match(word):
                problems.append(doc.problem(("keywords", lang, j), f"keyword '{word}' may only hold letters,"
                                            " digits, spaces and hyphens", "write 'legge 190-2012', not '190/2012'"))
    versions = [c["version"] for c in v["changelog"]]
    if v["version"] not in versions:
        problems.append(doc.problem(("changelog",), f"the changelog has no entry for version {v['version']}"))
    for i, change in enumerate(v["changelog"]):
        if change["date"] > v["updated"]:
            problems.append(doc.problem(("changelog", i, "date"), "a change is dated after 'updated'"))
    if v["created"] > v["updated"]:
        problems.append(doc.problem(("created",), "'created' is after 'updated'"))
    if v["temporal"] and v["temporal"]["end"] and v["temporal"]["end"] < v["temporal"]["start"]:
        problems.append(doc.problem(("temporal", "end"), "the period ends before it starts"))
    if v["records"] and name not in RECORD_TABLES:
        problems.append(doc.problem(("records",), f"only {', '.join(RECORD_TABLES)} are built from records"))
    return problems


def _inside(file: Path, datasets_dir: Path) -> bool:
    return datasets_dir.resolve() in file.resolve().parents


def _load_resource(doc: yamlfile.YamlDoc, i: int, r: dict[str, Any], folder: Path, datasets_dir: Path,
                   records: Records, from_records: bool, region_codes: dict[str, str],
                   past_content: Path | None = None) -> tuple[Resource | None, list[Problem]]:
    name = r["name"]
    schema_file = (folder / (r["schema"] or f"{name}.schema.yaml")).resolve()
    if not _inside(schema_file, datasets_dir):
        return None, [doc.problem(("resources", i, "schema"), "the schema must be a file inside datasets/")]
    # `path:` lets a package carry another package's table (e.g. ../regions/regions.csv) for a foreign key.
    csv_file = folder / (r["path"] or f"{name}.csv")
    if r["path"] is not None and (not r["path"].endswith(".csv") or not _inside(csv_file, datasets_dir)):
        return None, [doc.problem(("resources", i, "path"), f"'path' {r['path']!r} must name a .csv file inside"
                                  " datasets/", "e.g. ../regions/regions.csv")]
    schema_display = yamlfile.display_path(schema_file)
    if not schema_file.is_file():
        return None, [doc.problem(("resources", i), f"missing table schema {schema_display}")]
    schema, problems = tableschema.load_schema(schema_file, schema_display)
    if schema is None:
        return None, problems
    common = dict(name=name, title=r["title"], description=r["description"], schema=schema)
    if from_records and r["path"] is None:
        if name not in RECORD_TABLES:
            return None, [doc.problem(("resources", i, "name"), f"no record table '{name}'",
                                      did_you_mean(name, RECORD_TABLES))]
        if past_content is not None:
            past = record_tables.past_table(past_content / name, schema.names, region_codes)
            if past is None:
                return None, [Problem(schema_display, 1, 0, f"the record table '{name}' of this version cannot be"
                                      " made from its record files")]
            cells, origins = past
            return Resource(**common, path=f"content/{name}/", cells=cells, origins=origins,
                            row_count=len(cells)), []
        columns, cells, origins = record_tables.record_table(records, name, region_codes)
        if schema.names != columns:
            return None, [Problem(schema_display, 1, 0, f"fields are {', '.join(schema.names)}",
                                  f"the record table '{name}' has {', '.join(columns)}")]
        return Resource(**common, path=f"content/{name}/", cells=cells, origins=origins, row_count=len(cells)), []
    csv_file = csv_file.resolve() if r["path"] else csv_file
    display = yamlfile.display_path(csv_file)
    if not csv_file.is_file():
        return None, [doc.problem(("resources", i, "path" if r["path"] else "name"), f"missing data file {display}")]
    count, problems = csvrows.check_csv(csv_file, display, schema)
    if problems:
        return None, problems
    home = csv_file.parent.name if r["path"] and csv_file.parent != folder.resolve() else None
    return Resource(**common, path=display, source=csv_file, row_count=count, home=home), []
