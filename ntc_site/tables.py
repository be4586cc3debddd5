"""Table Schemas written by editors (`datasets/<name>/<resource>.schema.yaml`) and the CSV files they describe.

A schema is YAML so that every field can carry its title and description in Italian and English and every
mistake can be reported with its line. This module turns it into a frozen `TableSchema`, emits the
Frictionless v2 Table Schema (Italian `title`/`description`, English in `x_title_en`/`x_description_en`),
reads CSV sources as a stream of rows (memory does not grow with the row count), and converts cell text
to typed values for JSON, XLSX and the pages.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .problems import Problem, did_you_mean
from .schema import load_checked, mapping, opt, req

TYPES = ("string", "integer", "number", "boolean", "date", "year", "list")
FORMATS = ("default", "uri", "email")
DELIMITERS = {"space": " ", "comma": ",", "semicolon": ";", "pipe": "|"}  # list fields; YAML names, not bare spaces
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_TRUE = ("true", "1")  # frictionless default trueValues, lower-cased

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


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: dict[str, str]
    description: dict[str, str]
    format: str | None = None
    example: str | None = None
    delimiter: str | None = None  # list fields only
    constraints: tuple[tuple[str, Any], ...] = ()

    def constraint(self, key: str, default: Any = None) -> Any:
        return dict(self.constraints).get(key, default)


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class TableSchema:
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


@dataclass(frozen=True)
class Resource:
    """One table of a package: its schema and where its rows come from."""

    name: str
    title: dict[str, str]
    description: dict[str, str]
    schema: TableSchema
    path: str  # where the rows come from, as named in messages
    source: Path | None = None  # curated CSV file, streamed on every use
    cells: tuple[tuple[str, ...], ...] = ()  # rows of a record table, as CSV text ('' = unknown)
    origins: tuple[str, ...] = ()  # record file of each row of a record table
    row_count: int = 0


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


# --- CSV sources -------------------------------------------------------------------------------------------

def check_csv(file: Path, display: str, schema: TableSchema) -> tuple[int, list[Problem]]:
    """Structure of a CSV source, streamed: UTF-8, a header equal to the schema, the same width on every row.

    Returns the number of data rows. Cell values and keys are checked afterwards by frictionless.
    """
    problems: list[Problem] = []
    count = 0
    try:
        with file.open("r", encoding="utf-8", newline="") as stream:
            reader = csv.reader(stream, strict=True)
            header = next(reader, None)
            if header is None:
                return 0, [Problem(display, 1, 0, "file is empty", "the first line names the columns")]
            if header and header[0].startswith("\ufeff"):
                header[0] = header[0][1:]
            if header != list(schema.names):
                problems.append(Problem(display, 1, 0, f"header is {','.join(header)}",
                                        f"expected {','.join(schema.names)} (the fields of the table schema, in order)"))
                return 0, problems
            line = reader.line_num
            for cells in reader:
                count += 1
                if len(cells) != len(header):
                    problems.append(Problem(display, line + 1, 0, f"row has {len(cells)} values, the header has"
                                            f" {len(header)}", "quote values that contain commas"))
                    if len(problems) >= 50:
                        break
                line = reader.line_num
    except UnicodeDecodeError as err:
        return count, [Problem(display, count + 2, 0, f"file is not valid UTF-8 ({err.reason})",
                               "save it with UTF-8 encoding")]
    except csv.Error as err:
        return count, [Problem(display, count + 2, 0, f"invalid CSV: {err}")]
    except OSError as err:
        return 0, [Problem(display, 0, 0, f"cannot read file: {err.strerror}")]
    return count, problems


def row_lines(file: Path, row_numbers: set[int]) -> dict[int, int]:
    """File line where each of the given rows starts (row 1 = header, as frictionless counts)."""
    found: dict[int, int] = {}
    with file.open("r", encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        start = 1
        for row_number, _ in enumerate(reader, start=1):
            if row_number in row_numbers:
                found[row_number] = start
                if len(found) == len(row_numbers):
                    break
            start = reader.line_num + 1
    return found


def iter_file_rows(file: Path) -> Iterator[list[str]]:
    """Data rows of a checked CSV source, one at a time."""
    with file.open("r", encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        next(reader, None)
        yield from reader


def iter_cells(resource: Resource) -> Iterator[list[str]]:
    """The data rows of a resource as text, streamed for file sources."""
    if resource.source is not None:
        yield from iter_file_rows(resource.source)
    else:
        for row in resource.cells:
            yield list(row)


def iter_rows(resource: Resource) -> Iterator[dict[str, Any]]:
    fields = resource.schema.fields
    for cells in iter_cells(resource):
        yield {f.name: typed(cell, f) for f, cell in zip(fields, cells)}


def write_csv(resource: Resource, target: Path) -> None:
    """The canonical CSV: RFC 4180, comma, CRLF, UTF-8 without BOM, header = field names; streamed."""
    with target.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(resource.schema.names)
        for cells in iter_cells(resource):
            writer.writerow(cells)


# --- typed values ------------------------------------------------------------------------------------------

def typed(text: str, field: Field) -> Any:
    """The logical value of a checked cell: None for '', numbers as numbers, dates as dates."""
    if text == "":
        return None
    kind = field.type
    if kind == "integer" or kind == "year":
        return int(text)
    if kind == "number":
        return float(text) if any(c in text for c in ".eE") else int(text)
    if kind == "boolean":
        return text.lower() in _TRUE
    if kind == "date":
        return dt.date.fromisoformat(text)
    if kind == "list":
        return [item for item in text.split(field.delimiter or ",") if item]
    return text


def json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value
