"""Frictionless validation of a data package as it will be published, with errors mapped to source lines.

frictionless reports a row number of the CSV it was given; editors need the line of their own file (or the
record file a row came from), a field name and, where it helps, a hint.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from ..problems import Problem
from ..processing import processing
from . import csvrows, keys
from .descriptor import package_descriptor
from .package import Package, Resource


def validate_package(package: Package) -> list[Problem]:
    """Every cell the writers could not convert (csvrows.cell_problems), then frictionless on the package as
    it will be published, its errors mapped to source lines; a cell is named once, with the first's words."""
    cells: dict[tuple[str, int, str], Problem] = {}
    for resource in package.resources:
        with processing(resource.path):
            for row, name, problem in csvrows.cell_problems(resource):
                cells[(resource.name, row, name)] = problem
    with processing(package.path):
        found = _frictionless(package)
    return list(cells.values()) + [problem for key, problem in found if key not in cells]


def _frictionless(package: Package) -> list[tuple[tuple[str, int, str] | None, Problem]]:
    """frictionless's findings, each with the (resource, row number, field) of a bad cell when it is one."""
    from frictionless import (
        Package as FrictionlessPackage,  # slow import, only when there is data
    )

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for resource in package.resources:
            csvrows.write_csv(resource, folder / f"{resource.name}.csv")
        descriptor = _without_file_keys(package, package_descriptor(package, None, None, {}))
        report = FrictionlessPackage(descriptor, basepath=str(folder)).validate()
    problems: list[tuple[tuple[str, int, str] | None, Problem]] = [
        (None, p) for r in package.resources for p in keys.key_problems(r, r.path)]
    if report.valid:
        return problems
    for task in report.tasks:
        resource = next((r for r in package.resources if r.name == task.name), None)
        errors = list(task.errors)
        rows = {e.row_number for e in errors if getattr(e, "row_number", None)}
        lines = csvrows.row_lines(resource.source, rows) if resource and resource.source else {}
        for error in errors:
            cell = (task.name, error.row_number, error.field_name) if error.type == "type-error" else None
            problems.append((cell, _problem(package, resource, error, lines)))
    for error in report.errors:
        problems.append((None, Problem(package.path, 0, 0, f"invalid data package: {error.message}")))
    return problems


def _without_file_keys(package: Package, descriptor: dict[str, Any]) -> dict[str, Any]:
    """Leave the keys of CSV sources to `keys.py`, which checks them without holding every key in memory."""
    for resource, entry in zip(package.resources, descriptor["resources"]):
        if resource.source is None:
            continue
        schema = entry["schema"]
        schema.pop("primaryKey", None)
        for field in schema["fields"]:
            field.get("constraints", {}).pop("unique", None)
    return descriptor


def _problem(package: Package, resource: Resource | None, error: Any, lines: dict[int, int]) -> Problem:
    row = getattr(error, "row_number", None)
    field = getattr(error, "field_name", None)
    if resource is None or not row:
        return Problem(resource.path if resource else package.path, 0, 0, error.message)
    where, line = resource.path, lines.get(row, 0)
    if resource.source is None and 2 <= row < len(resource.origins) + 2:
        where, line = resource.origins[row - 2], 0
    cell = getattr(error, "cell", None)
    if error.type == "type-error" and field:
        kind = resource.schema.fields[[f.name for f in resource.schema.fields].index(field)].type
        hint = "write dates as YYYY-MM-DD" if kind == "date" else ""
        return Problem(where, line, 0, f"field '{field}': '{cell}' is not a valid {kind}", hint)
    text = f"field '{field}': {error.note}" if field else error.note or error.message
    if error.type == "foreign-key":
        text = f"foreign key {error.note}"  # e.g. for "area": values "x" not found in the lookup table "areas"
    if error.type in ("unique-error", "primary-key") and lines:
        other = re.search(r"position (\d+)", error.note or "")
        if other and resource.source:
            first = csvrows.row_lines(resource.source, {int(other.group(1))}).get(int(other.group(1)))
            text = (f"field '{field}': " if field else "") + f"duplicate of line {first}"
    return Problem(where, line, 0, text)
