"""Table Schemas written by editors (`datasets/<name>/<resource>.schema.yaml`), checked and turned into
a frozen `TableSchema`, and the Frictionless v2 Table Schema the build publishes for each.

A schema is YAML so that every field can carry its title and description in Italian and English and every
mistake can be reported with its line.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..load.specs import load_checked, mapping, opt, req
from ..problems import Problem, did_you_mean
from .package import Field, ForeignKey, TableSchema

TYPES = ("string", "integer", "number", "boolean", "date", "year", "list")
FORMATS = ("default", "uri", "email")
DELIMITERS = {"space": " ", "comma": ",", "semicolon": ";", "pipe": "|"}  # list fields; YAML names, not bare spaces
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

_CONSTRAINTS = mapping(
    ("required", opt("bool")), ("unique", opt("bool")), ("enum", opt("list", item=req("str"))),
    ("pattern", opt("str")), ("minimum", opt("int")), ("maximum", opt("int")),
    ("minLength", opt("int")), ("maxLength", opt("int")),
)
_FIELD = mapping(
    ("name", req("str")), ("type", req("str", choices=TYPES)), ("format", opt("str", choices=FORMATS)),
    ("title", req("text")), ("description", req("text")), ("example", opt("str")),
    ("delimiter", opt("str", choices=tuple(DELIMITERS))), ("constraints", _CONSTRAINTS),
    required=True, nullable=False,
)
SCHEMA_SPEC = mapping(
    ("fields", req("list", item=_FIELD)),
    ("primary_key", opt("list", item=req("str"))),
    ("foreign_keys", opt("list", item=mapping(
        ("fields", req("list", item=req("str"))),
        ("reference", mapping(("resource", req("str")), ("fields", req("list", item=req("str"))),
                              required=True, nullable=False)),
        required=True, nullable=False))),
)


def load_schema(file: Path, display: str) -> tuple[TableSchema | None, list[Problem]]:
    doc, value, problems = load_checked(file, display, SCHEMA_SPEC)
    if doc is None:
        return None, problems or [Problem(display, 0, 0, "missing table schema")]
    if problems:
        return None, problems
    fields = []
    for i, f in enumerate(value["fields"]):
        where = ("fields", i)
        if not _NAME.match(f["name"]):
            problems.append(doc.problem(where + ("name",), f"field name '{f['name']}' must use lowercase letters,"
                                        " digits and '_' and start with a letter"))
        constraints = tuple((k, v) for k, v in (f["constraints"] or {}).items() if v not in (None, ()))
        if dict(constraints).get("enum") and f["type"] != "string":
            problems.append(doc.problem(where + ("constraints", "enum"), "'enum' is only allowed on string fields"))
        pattern = dict(constraints).get("pattern")
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as err:
                problems.append(doc.problem(where + ("constraints", "pattern"), f"invalid pattern: {err}"))
        if (f["type"] == "list") != (f["delimiter"] is not None):
            problems.append(doc.problem(where, "a 'list' field needs a 'delimiter', and only list fields have one"))
        constraints = tuple((k, tuple(v) if isinstance(v, tuple) else v) for k, v in constraints)
        delimiter = DELIMITERS[f["delimiter"]] if f["delimiter"] else None
        fields.append(Field(f["name"], f["type"], f["title"], f["description"], f["format"], f["example"],
                            delimiter, constraints))
    names = [f.name for f in fields]
    for i, name in enumerate(names):
        if name in names[:i]:
            problems.append(doc.problem(("fields", i, "name"), f"duplicate field name '{name}'"))
    key = tuple(value["primary_key"] or ())
    for j, name in enumerate(key):
        if name not in names:
            problems.append(doc.problem(("primary_key", j), f"primary key field '{name}' is not a field",
                                        did_you_mean(name, names)))
    fks = []
    for i, fk in enumerate(value["foreign_keys"] or ()):
        for j, name in enumerate(fk["fields"]):
            if name not in names:
                problems.append(doc.problem(("foreign_keys", i, "fields", j), f"foreign key field '{name}' is not"
                                            " a field", did_you_mean(name, names)))
        fks.append(ForeignKey(tuple(fk["fields"]), fk["reference"]["resource"], tuple(fk["reference"]["fields"])))
    if problems:
        return None, problems
    return TableSchema(tuple(fields), key, tuple(fks)), []


def descriptor(schema: TableSchema) -> dict[str, Any]:
    """Frictionless v2 Table Schema: Italian in the standard properties, English in `x_*_en`."""
    fields = []
    for f in schema.fields:
        d: dict[str, Any] = {"name": f.name, "type": f.type, "title": f.title["it"], "x_title_en": f.title["en"],
                             "description": f.description["it"], "x_description_en": f.description["en"]}
        if f.format and f.format != "default":
            d["format"] = f.format
        if f.type == "list":
            d["delimiter"] = f.delimiter
            d["itemType"] = "string"
        if f.example is not None:
            d["example"] = f.example
        if f.constraints:
            d["constraints"] = {k: list(v) if isinstance(v, tuple) else v for k, v in f.constraints}
        fields.append(d)
    out: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if schema.primary_key:
        out["primaryKey"] = list(schema.primary_key)
    if schema.foreign_keys:
        out["foreignKeys"] = [{"fields": list(fk.fields), "reference": {"resource": fk.resource,
                                                                      "fields": list(fk.reference_fields)}}
                              for fk in schema.foreign_keys]
    return out
