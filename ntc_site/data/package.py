"""The data package as frozen data: packages, their tables (resources), Table Schemas and fields.

The one low module of the data stage: the loaders fill these types, and the writers, the catalogue and the
dataset pages read them, so none of those needs to import another to know what a package is.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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
    home: str | None = None  # the package this table belongs to, when read from there through `path:`


@dataclass(frozen=True)
class Source:
    url: str
    title: str


@dataclass(frozen=True)
class Change:
    version: str
    date: dt.date
    note: dict[str, str]


@dataclass(frozen=True)
class Timeline:
    """Which columns of which table the timeline page draws its events from (package.yaml `timeline:`)."""

    resource: str
    date: str
    title: dict[str, str]  # language -> column
    source: str
    number: str | None = None


@dataclass(frozen=True)
class Package:
    name: str
    title: dict[str, str]
    description: dict[str, str]
    updated: dt.date
    version: str
    created: dt.date
    keywords: dict[str, tuple[str, ...]]
    themes: tuple[str, ...]
    frequency: str
    temporal: tuple[dt.date, dt.date | None] | None
    sources: tuple[Source, ...]
    completeness: dict[str, str] | None
    caveats: dict[str, str] | None
    changelog: tuple[Change, ...]
    resources: tuple[Resource, ...]
    path: str  # display path of package.yaml
    from_records: bool = False
    timeline: Timeline | None = None

    def resource(self, name: str) -> Resource:
        return next(r for r in self.resources if r.name == name)
