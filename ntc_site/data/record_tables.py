"""The two tables built from the content's records (`clusters`, `areas`), cell by cell, and the region codes
their rows take from the `regions` package.

A record package (`records: true` in its package.yaml) has no CSV of its own: its rows are made here from
the frozen `Cluster`s and `Area`s, as CSV text ('' = unknown), with the record file of each row, so a bad
value is reported in the file the editor wrote.
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from ..load import yamlfile
from ..load.records import Records
from ..problems import Problem, did_you_mean
from . import csvrows
from .package import Resource

REGIONS_CSV = Path("regions") / "regions.csv"  # the regions package: region_code and Italian name_it


def region_codes(datasets_dir: Path) -> dict[str, str]:
    """Italian region name -> two-digit ISTAT code, from the regions package (none when it is absent)."""
    file = datasets_dir / REGIONS_CSV
    if not file.is_file():
        return {}
    with file.open(encoding="utf-8", newline="") as stream:
        return {row["name_it"]: row["region_code"] for row in csv.DictReader(stream)
                if row.get("name_it") and row.get("region_code")}


def region_problems(records: Records, region_codes: dict[str, str]) -> list[Problem]:
    """A cluster's region must be one of the regions table, so that it gets its code."""
    return [Problem(c.path, c.lines.get("headquarters.region", 0), 0,
                    f"region '{c.region}' is not in the regions table (datasets/{REGIONS_CSV.as_posix()})",
                    did_you_mean(c.region, region_codes) or "write the Italian name as in the column name_it")
            for c in records.clusters if c.region and c.region not in region_codes]


def record_table(records: Records, name: str, region_codes: dict[str, str] | None = None
                 ) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """Columns, rows (as CSV text; '' = unknown) and origin file of each row of a record table."""
    def text(value: Any) -> str:
        return "" if value is None else str(value)

    if name == "areas":
        columns = ("id", "name_it", "name_en", "description_it", "description_en", "call_year", "pnr_group",
                   "source_urls")
        rows = [(a.id, a.name["it"], a.name["en"], a.description["it"], a.description["en"], text(a.call_year),
                 text(a.pnr_group), _urls(a.sources)) for a in records.areas]
        return columns, tuple(rows), tuple(a.path for a in records.areas)
    columns = ("id", "acronym", "name_it", "name_en", "area", "website", "founded", "founded_on", "call_year",
               "selection_year", "pnr_area", "recognition_decree", "city", "region", "region_code", "seat",
               "legal_form", "president", "president_as_of", "president_note_it", "president_note_en",
               "members_it", "members_en", "members_as_of", "description_it", "description_en", "source_urls")
    codes = region_codes or {}
    rows = []
    for c in records.clusters:
        president, members = c.president or {}, c.members or {}
        note = president.get("note") or {}
        rows.append((c.id, c.acronym, text(c.name["it"]), text(c.name["en"]), c.area, text(c.website),
                     text(c.founded), text(c.founded_on), text(c.call_year), text(c.selection_year),
                     text(c.pnr_area), text(c.recognition_decree), text(c.city), text(c.region),
                     codes.get(c.region or "", ""), text(c.seat), text(c.legal_form),
                     text(president.get("name")), text(president.get("as_of")), text(note.get("it")),
                     text(note.get("en")), text(members.get("it")), text(members.get("en")),
                     text(members.get("as_of")), c.description["it"], c.description["en"], _urls(c.sources)))
    return columns, tuple(rows), tuple(c.path for c in records.clusters)


def record_period(resource: Resource) -> tuple[dt.date, dt.date | None] | None:
    """The period a record table covers, read from its own values (never guessed): from 1 January of its
    earliest year or date to its latest date ('as of' columns), open-ended when it has no date column."""
    starts: list[dt.date] = []
    ends: list[dt.date] = []
    for row in csvrows.iter_rows(resource):
        for f in resource.schema.fields:
            value = row[f.name]
            if value is None:
                continue
            if f.type == "year":
                starts.append(dt.date(value, 1, 1))
            elif f.type == "date":
                starts.append(value)
                ends.append(value)
    if not starts:
        return None
    return min(starts), max(ends) if ends else None


def _urls(sources: Any) -> str:
    return " ".join(dict.fromkeys(s.url for s in sources))


def past_table(folder: Path, columns: tuple[str, ...], region_codes: dict[str, str]
               ) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]] | None:
    """The rows of a record table as an earlier version published it, from the record files of that commit.

    Today's record schema may have renamed or added fields since, so the files are read as plain YAML, never
    through today's checks, and each of the old table's columns is found by name in a flat view of a record
    (`name.it` is `name_it`, `headquarters.city` is `city`, `president.name` is `president`, the sources'
    URLs are `source_urls`); an optional field a record leaves out is empty. None when a column appears in no
    record at all: it cannot be told apart from a field that has since been renamed.
    """
    if not folder.is_dir():
        return None
    flats, origins = [], []
    for file in sorted(folder.glob("*.yaml")):
        doc, problems = yamlfile.load_file(file, yamlfile.display_path(file))
        if doc is None or problems or not isinstance(doc.data, dict):
            return None
        flat = {"id": file.stem, **_flat(doc.data)}
        if "region" in flat:
            flat.setdefault("region_code", region_codes.get(flat["region"], ""))
        flats.append(flat)
        origins.append(yamlfile.display_path(file))
    if any(all(column not in flat for flat in flats) for column in columns):
        return None
    return tuple(tuple(flat.get(column, "") for column in columns) for flat in flats), tuple(origins)


def _flat(record: dict[str, Any]) -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in record.items():
        if key == "sources":
            flat["source_urls"] = " ".join(dict.fromkeys(str(s.get("url")) for s in value or () if s.get("url")))
        elif isinstance(value, dict):
            for sub, inner in _flat(value).items():
                flat.setdefault(f"{key}_{sub}", inner)
                if sub == "name":
                    flat.setdefault(key, inner)  # president.name is the president column
                elif sub not in ("it", "en"):
                    flat.setdefault(sub, inner)  # headquarters.city is the city column
        elif value is None:  # a group with no value (no president known) is empty in every column of it
            for column in (key, f"{key}_it", f"{key}_en", f"{key}_as_of"):
                flat.setdefault(column, "")
        else:
            flat[key] = value.isoformat() if isinstance(value, dt.date) else str(value)
    return flat
