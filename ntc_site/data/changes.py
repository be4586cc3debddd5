"""What changed in the rows of a package between two of its versions, computed rather than told.

The editor's changelog says why a version exists; this says exactly what moved: rows added, removed and
changed, matched by the table's primary key (by the whole row when it has none), with the old and new
text of every changed field. Values are compared as the CSV writes them, so a diff never depends on
how a type is parsed. Memory grows with the smaller of the two tables' keys, not with their rows' text.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from . import csvrows
from .package import Package, Resource


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    key: str  # the primary key's values, joined with ' / '
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class TableDiff:
    resource: str
    added: tuple[str, ...]  # keys of rows only in the newer version
    removed: tuple[str, ...]
    changed: tuple[RowChange, ...]
    fields_added: tuple[str, ...] = ()
    fields_removed: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.fields_added or self.fields_removed)


def _text_rows(resource: Resource) -> Iterator[dict[str, str]]:
    names = resource.schema.names
    for row in csvrows.iter_cells(resource):
        yield dict(zip(names, row))


def _key(row: dict[str, str], key_fields: tuple[str, ...]) -> str:
    return " / ".join(row.get(f, "") for f in key_fields)


def diff_table(old: Resource, new: Resource) -> TableDiff:
    key_fields = new.schema.primary_key or new.schema.names
    if not set(key_fields) <= set(old.schema.names):  # the key itself changed: compare whole rows
        key_fields = tuple(f for f in new.schema.names if f in old.schema.names)
    common = [f for f in new.schema.names if f in old.schema.names]
    before = {_key(row, key_fields): row for row in _text_rows(old)}
    added, changed = [], []
    seen = set()
    for row in _text_rows(new):
        key = _key(row, key_fields)
        seen.add(key)
        previous = before.get(key)
        if previous is None:
            added.append(key)
            continue
        fields = tuple(FieldChange(f, previous[f], row[f]) for f in common if previous[f] != row[f])
        if fields:
            changed.append(RowChange(key, fields))
    removed = tuple(k for k in before if k not in seen)
    return TableDiff(new.name, tuple(added), removed, tuple(changed),
                     tuple(f for f in new.schema.names if f not in old.schema.names),
                     tuple(f for f in old.schema.names if f not in new.schema.names))


def diff(old: Package, new: Package) -> tuple[TableDiff, ...]:
    """One entry per table of the newer version (a new table lists all its rows as added) and per table
    that was dropped (all its rows removed)."""
    out = []
    olds = {r.name: r for r in old.resources}
    for resource in new.resources:
        if resource.name in olds:
            out.append(diff_table(olds[resource.name], resource))
        else:
            keys = resource.schema.primary_key or resource.schema.names
            out.append(TableDiff(resource.name, tuple(_key(r, keys) for r in _text_rows(resource)), (), ()))
    names = {r.name for r in new.resources}
    for resource in old.resources:
        if resource.name not in names:
            keys = resource.schema.primary_key or resource.schema.names
            out.append(TableDiff(resource.name, (), tuple(_key(r, keys) for r in _text_rows(resource)), ()))
    return tuple(out)


CSV_NAME = "changes.csv"  # in a version's folder: every change since the version before, one per line
CSV_HEADER = ("resource", "change", "key", "field", "old_value", "new_value")


def write_csv(diffs: tuple[TableDiff, ...], target: Path) -> None:
    """Every change as a row: rows added or removed (by key), each changed cell with its old and new value,
    columns added or removed; RFC 4180 like the other downloads."""
    with target.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        for d in diffs:
            writer.writerows((d.resource, "column_added", "", name, "", "") for name in d.fields_added)
            writer.writerows((d.resource, "column_removed", "", name, "", "") for name in d.fields_removed)
            writer.writerows((d.resource, "row_added", key, "", "", "") for key in d.added)
            writer.writerows((d.resource, "row_removed", key, "", "", "") for key in d.removed)
            for row in d.changed:
                writer.writerows((d.resource, "cell_changed", row.key, f.field, f.old, f.new) for f in row.fields)
