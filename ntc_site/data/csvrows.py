"""CSV sources and their values: the structure check, rows streamed one at a time, and cell text turned
into typed values (numbers, dates, lists) for JSON, XLSX and the pages.

Reading is streamed, so memory does not grow with the row count. Every cell is converted once up front
(`cell_problems`), stricter than frictionless (which takes `NaN`, `inf` or `1_000` as numbers), so the
writers never meet a cell they cannot publish.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
import re
from pathlib import Path
from typing import Any, Iterator

from ..problems import Problem
from .package import Field, Resource, TableSchema

_TRUE = ("true", "1")  # frictionless default trueValues, lower-cased
_NOT_FINITE = re.compile(r"\s*[+-]?(s?nan|inf|infinity)\s*", re.I)  # what float() and Decimal() accept
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_YEAR = re.compile(r"[0-9]{4}")
MAX_CELL_PROBLEMS = 50  # per table: enough to see the pattern, never a million lines


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


def iter_located_cells(resource: Resource) -> Iterator[tuple[int, int, list[str]]]:
    """(row number as frictionless counts it, file line where the row starts or 0, cells) of each data row."""
    if resource.source is None:
        for row_number, row in enumerate(resource.cells, start=2):
            yield row_number, 0, list(row)
        return
    with resource.source.open("r", encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        next(reader, None)
        start = reader.line_num + 1
        for row_number, cells in enumerate(reader, start=2):
            yield row_number, start, cells
            start = reader.line_num + 1


def cell_problem(text: str, field: Field) -> tuple[str, str] | None:
    """(message, hint) when the writers could not publish this cell as its field's type, else None."""
    if text == "":
        return None
    kind = field.type
    if kind in ("number", "integer") and _NOT_FINITE.fullmatch(text):
        return f"'{text}' is not a number", "use an empty cell for unknown"
    if kind == "integer" and not _INTEGER.fullmatch(text):
        return f"'{text}' is not a valid integer", "write digits 0-9 only, with no spaces or separators"
    if kind == "number" and not _NUMBER.fullmatch(text):
        return f"'{text}' is not a valid number", "write digits 0-9 and '.' for decimals, e.g. 1200.5"
    if kind == "year" and not _YEAR.fullmatch(text):
        return f"'{text}' is not a valid year", "write four digits, e.g. 2012"
    try:
        value = typed(text, field)
    except (ValueError, TypeError, OverflowError):  # the words frictionless uses for the same cell
        return f"'{text}' is not a valid {kind}", "write dates as YYYY-MM-DD" if kind == "date" else ""
    if isinstance(value, float) and not math.isfinite(value):
        return f"'{text}' is too large for a number", "use an empty cell for unknown"
    return None


def cell_problems(resource: Resource) -> list[tuple[int, str, Problem]]:
    """Every cell the writers could not convert, in one streaming pass: (row number, field name, problem).
    A hand-written table names its file line; a record table names the record file the row comes from."""
    found: list[tuple[int, str, Problem]] = []
    fields = resource.schema.fields
    for row_number, line, cells in iter_located_cells(resource):
        for field, cell in zip(fields, cells):
            problem = cell_problem(cell, field)
            if problem is None:
                continue
            record = resource.source is None and row_number - 2 < len(resource.origins)
            where = resource.origins[row_number - 2] if record else resource.path
            found.append((row_number, field.name, Problem(where, line, 0, f"field '{field.name}': {problem[0]}",
                                                          problem[1])))
            if len(found) >= MAX_CELL_PROBLEMS:
                return found
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
