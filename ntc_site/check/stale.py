"""`check --stale [--years N]`: the dated values an editor should look at again.

Presidents and member counts are true "as of" a date; after a few years they may well have changed. This
lists every such value older than N years as `path:line: president as of 2019-05 (7 years)`, from the
records (`president.as_of`, `members.as_of`) and from the `as_of`/`*_as_of` columns of the data tables.

Tables of a package whose `temporal` period has ended (the 2012 call, the recognition decrees…) record a
closed past and are never listed: their dates are history, not values to refresh. The findings are
information, not errors: the command lists them and exits 0 (see cli.py).
"""
from __future__ import annotations

import calendar
import datetime as dt
from typing import Iterable

from ..data import csvrows
from ..data.package import Resource
from ..load.records import Cluster
from ..load.specs import iso_date_ok
from ..model.site import Site
from ..problems import Problem

DEFAULT_YEARS = 2
RECORD_FIELDS = ("president", "members")  # record groups that carry an `as_of`


def last_day(as_of: str) -> dt.date:
    """The latest day an ISO 8601 date at year, month or day precision can mean: '2019-05' -> 2019-05-31."""
    parts = [int(x) for x in as_of.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return dt.date(year, month, day)


def age_in_years(as_of: str, today: dt.date) -> int:
    """Whole years between the value's date (its latest possible day) and today."""
    end = last_day(as_of)
    return today.year - end.year - ((today.month, today.day) < (end.month, end.day))


def findings(site: Site, today: dt.date, years: int = DEFAULT_YEARS) -> list[Problem]:
    """Every dated value more than `years` years old on `today`, records first, then data tables."""
    found = [p for c in site.records.clusters for p in _record(c, today, years)]
    for package in site.datasets:
        if package.from_records or (package.temporal and package.temporal[1]):
            continue  # record tables are listed from the records; a closed period is history
        for resource in package.resources:
            found += _table(resource, today, years)
    return found


def _stale(field: str, as_of: object, today: dt.date, years: int, path: str, line: int) -> Iterable[Problem]:
    if isinstance(as_of, dt.date):
        as_of = as_of.isoformat()
    if isinstance(as_of, str) and iso_date_ok(as_of):
        age = age_in_years(as_of, today)
        if age >= years and last_day(as_of) < today:
            yield Problem(path, line, 0, f"{field} as of {as_of} ({age} year{'s' if age != 1 else ''})")


def _record(cluster: Cluster, today: dt.date, years: int) -> list[Problem]:
    found = []
    for field in RECORD_FIELDS:
        group = getattr(cluster, field) or {}
        found += _stale(field, group.get("as_of"), today, years, cluster.path,
                        cluster.lines.get(f"{field}.as_of", 0))
    return found


def _table(resource: Resource, today: dt.date, years: int) -> list[Problem]:
    columns = [f.name for f in resource.schema.fields if f.name == "as_of" or f.name.endswith("_as_of")]
    if not columns or resource.source is None:
        return []
    key = resource.schema.primary_key
    candidates = []
    for number, row in enumerate(csvrows.iter_rows(resource), start=2):  # row 1 is the header
        for column in columns:
            name = column.removesuffix("_as_of") if column != "as_of" else \
                "/".join(str(row[k]) for k in key) or column
            candidates.append((number, name, row[column]))
    lines = csvrows.row_lines(resource.source, {n for n, _, v in candidates if v})
    return [p for number, name, value in candidates
            for p in _stale(name, value, today, years, resource.path, lines.get(number, 0))]

