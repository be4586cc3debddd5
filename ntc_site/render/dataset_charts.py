"""Charts of a dataset page, one per numeric column, computed from the published rows at build time.

Which chart a column gets follows from its type, never from its meaning, so nothing is invented:
- a year column: rows per year, as bars (unknown years in their own bar), or a line when it spans many years;
- a date column: rows per year, as a line from the first year to the last, years without rows at zero;
- an integer or number column: its value in each row, named by the table's key, as bars for a short
  table; for a longer one, how many rows fall in each of BINS equal ranges.
Rows are streamed once per resource, so a big table costs memory per distinct year, not per row (numbers
are kept as 8-byte floats for the ranges).
"""
from __future__ import annotations

from array import array
from collections import Counter
from typing import Any

from ..data import csvrows
from ..data.package import Field, Package, Resource
from ..languages import number_text
from . import charts

TEMPORAL = ("year", "date")
NUMERIC = ("integer", "number")
MAX_BARS = 30  # more rows (or more distinct years) than this and a column gets a line or ranges
BINS = 10


# Columns that say what a number measures: values of different measures are never drawn on one scale.
MEASURE_COLUMNS = ("unit", "amount_measure", "counted", "value_kind")


def package_charts(package: Package, lang: str, t: dict[str, str]) -> list[dict[str, Any]]:
    """One chart per table, the first its numbers allow (values before counts of rows per year), so a
    package of many tables keeps its page light."""
    found: list[dict[str, Any]] = []
    for resource in package.resources:
        made = resource_charts(resource, lang, t)
        if made:
            found.append(next((c for c in made if c.get("kind") == "values"), made[0]))
    return found


def _label_field(resource: Resource) -> Field:
    """The column that names a row: the primary key when it is one column, else the first column."""
    key = resource.schema.primary_key
    fields = resource.schema.fields
    return next((f for f in fields if len(key) == 1 and f.name == key[0]), fields[0])


def resource_charts(resource: Resource, lang: str, t: dict[str, str]) -> list[dict[str, Any]]:
    fields = [f for f in resource.schema.fields if f.type in TEMPORAL + NUMERIC]
    if not fields:
        return []
    label = _label_field(resource)
    years: dict[str, Counter[int | None]] = {f.name: Counter() for f in fields if f.type in TEMPORAL}
    values: dict[str, array] = {f.name: array("d") for f in fields if f.type in NUMERIC}
    named: dict[str, list[tuple[str, float]]] = {f.name: [] for f in fields if f.type in NUMERIC}
    short = resource.row_count <= MAX_BARS
    measures: dict[str, set[Any]] = {name: set() for name in MEASURE_COLUMNS if name in resource.schema.names}
    for row in csvrows.iter_rows(resource):
        for name, seen in measures.items():
            seen.add(row[name])
        for field in fields:
            value = row[field.name]
            if field.type in TEMPORAL:
                years[field.name][None if value is None else (value if field.type == "year" else value.year)] += 1
            elif value is not None:
                values[field.name].append(float(value))
                if short:
                    named[field.name].append((str(row[label.name] or ""), value))
    mixed = any(len(seen) > 1 for seen in measures.values())  # e.g. euros and counts in one 'value' column
    made = []
    for field in fields:
        if mixed and field.type in NUMERIC:
            continue
        chart_id = f"chart-{resource.name}-{field.name}"
        words = {"table": resource.title[lang], "field": field.title[lang], "label": label.title[lang],
                 "unknown": t["unknown"]}
        if field.type in TEMPORAL:
            made.append(_years_chart(chart_id, field, years[field.name], words, t))
        elif short and named[field.name]:
            made.append({**charts.bar_chart(chart_id, t["data_chart_value_title"].format(**words),
                                            t["data_chart_value_desc"].format(**words), label.title[lang],
                                            field.title[lang], named[field.name], lambda v: number_text(v, lang)),
                         "kind": "values"})
        elif values[field.name]:
            made.append(_ranges_chart(chart_id, values[field.name], words, lang, t))
    return [chart for chart in made if chart]


def _years_chart(chart_id: str, field: Field, counts: Counter[int | None], words: dict[str, str],
                 t: dict[str, str]) -> dict[str, Any] | None:
    known = sorted(y for y in counts if y is not None)
    if not known:
        return None
    rows_header = t["data_chart_rows"]
    if field.type == "year" and len(known) <= MAX_BARS:
        data: list[tuple[str, float]] = [(str(y), counts[y]) for y in known]
        data += [(t["unknown"], counts[None])] if counts[None] else []
        return charts.bar_chart(chart_id, t["data_chart_count_title"].format(**words),
                                t["data_chart_count_desc"].format(**words), words["field"], rows_header, data)
    series = [(str(y), counts.get(y, 0)) for y in range(known[0], known[-1] + 1)]
    return charts.line_chart(chart_id, t["data_chart_line_title"].format(**words),
                             t["data_chart_line_desc"].format(**words), words["field"], rows_header, series)


def _ranges_chart(chart_id: str, values: array, words: dict[str, str], lang: str, t: dict[str, str]
                  ) -> dict[str, Any]:
    low, high = min(values), max(values)
    width = (high - low) / BINS or 1
    counts = [0] * BINS
    for value in values:
        counts[min(BINS - 1, int((value - low) / width))] += 1
    data = [(f"{number_text(low + i * width, lang)} – {number_text(low + (i + 1) * width, lang)}", count)
            for i, count in enumerate(counts)]
    return charts.bar_chart(chart_id, t["data_chart_bins_title"].format(**words),
                            t["data_chart_bins_desc"].format(**words), words["field"], t["data_chart_rows"], data)
