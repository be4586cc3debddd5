"""Structural promises of the programme-history packages (issue 14), checked on the CSV files themselves.

The pipeline validates each package with its Table Schema, but it cannot declare references across packages
(cluster ids, area ids, region codes) nor rules that span columns (an amount always says what it measures, a
computed row says what it is computed from, both languages of a note are present). These tests check them
with nothing but the repository: they never read the facts files beside it (see tests/audit/ for that).
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT / "datasets"
CONTENT = ROOT / "content"

PROGRAMME_PACKAGES = ("call-2012", "call-2016", "recognition", "members-over-time", "regional-agreements",
                      "regional-participation-2012", "regions", "projects-2012", "legal-acts")
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
URL = re.compile(r"^https?://\S+$")
DATE_COLUMNS = ("as_of", "date", "date_end")
# rows that may have no source_url: nothing was found for them, or they are computed from other rows
NO_SOURCE_OK = {("call-2012-cluster-totals", "ambienti-di-vita-1"), ("call-2012-cluster-totals", "all-computed")}


def _resources(package: str) -> list[tuple[str, list[dict[str, str]], dict]]:
    meta = yaml.safe_load((DATASETS / package / "package.yaml").read_text(encoding="utf-8"))
    out = []
    for r in meta["resources"]:
        schema = yaml.safe_load((DATASETS / package / r.get("schema", f"{r['name']}.schema.yaml")).read_text(encoding="utf-8"))
        with (DATASETS / package / f"{r['name']}.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        out.append((r["name"], rows, schema))
    return out


ALL = [(pkg, name, rows, schema) for pkg in PROGRAMME_PACKAGES for name, rows, schema in _resources(pkg)]
IDS = [f"{pkg}/{name}" for pkg, name, _, _ in ALL]


def _key(name: str, row: dict[str, str]) -> str:
    return row.get("id") or row.get("metric") or row.get("region_code") or row.get("rank") or str(row)


def _list(cell: str) -> list[str]:
    return [item for item in cell.split(" ") if item]


def _ids(folder: str) -> set[str]:
    return {p.stem for p in (CONTENT / folder).glob("*.yaml")}


REGION_CODES = {row["region_code"] for row in csv.DictReader((DATASETS / "regions/regions.csv").open(encoding="utf-8"))}


@pytest.mark.parametrize("pkg,name,rows,schema", ALL, ids=IDS)
def test_every_row_names_its_source(pkg, name, rows, schema):
    assert rows, f"{pkg}/{name} is empty"
    for row in rows:
        urls = [row["source_url"]] if "source_url" in row else _list(row.get("source_urls", ""))
        urls = [u for u in urls if u]
        if not urls:
            assert (name, _key(name, row)) in NO_SOURCE_OK, f"{name}: row {_key(name, row)} has no source"
            continue
        for url in urls + _list(row.get("see_also_urls", "")):
            assert URL.match(url), f"{name}: row {_key(name, row)}: '{url}' is not a URL"


@pytest.mark.parametrize("pkg,name,rows,schema", ALL, ids=IDS)
def test_dates_are_iso_8601(pkg, name, rows, schema):
    for row in rows:
        for column in DATE_COLUMNS:
            value = row.get(column, "")
            if not value:
                continue
            assert ISO.match(value), f"{name}: row {_key(name, row)}: {column} '{value}' is not YYYY, YYYY-MM or YYYY-MM-DD"
            parts = [int(p) for p in value.split("-")] + [1, 1]
            dt.date(parts[0], parts[1], parts[2])  # raises on month 13 or 30 February
        if row.get("date_end"):
            assert row["date"] and row["date"] <= row["date_end"], f"{name}: row {_key(name, row)} ends before it starts"


@pytest.mark.parametrize("pkg,name,rows,schema", ALL, ids=IDS)
def test_computed_values_are_marked_and_explained(pkg, name, rows, schema):
    if "value_kind" not in (rows[0] if rows else {}):
        assert not any("computed" in _key(name, r) for r in rows)
        return
    for row in rows:
        assert row["value_kind"] in ("source", "computed"), f"{name}: row {_key(name, row)}: value_kind '{row['value_kind']}'"
        if row["value_kind"] == "computed":
            assert row["computed_from"], f"{name}: computed row {_key(name, row)} does not say what it is computed from"
            assert "computed" in _key(name, row), f"{name}: computed row {_key(name, row)} must be recognisable by its id"
        else:
            assert not row["computed_from"], f"{name}: source row {_key(name, row)} has computed_from"


@pytest.mark.parametrize("pkg,name,rows,schema", ALL, ids=IDS)
def test_amounts_say_what_they_measure(pkg, name, rows, schema):
    fields = {f["name"]: f for f in schema["fields"]}
    for row in rows:
        if "amount_eur" in row:
            amount = row["amount_eur"]
        elif row.get("unit") == "EUR":
            amount = row["value"]
        else:
            amount = ""
        if amount:
            assert float(amount) >= 0
            assert row.get("amount_measure"), f"{name}: row {_key(name, row)} has an amount but no amount_measure"
        else:
            assert not row.get("amount_measure"), f"{name}: row {_key(name, row)} has a measure but no amount"
            assert not row.get("amount_qualifier"), f"{name}: row {_key(name, row)} qualifies a missing amount"
        if row.get("value"):
            assert row.get("unit"), f"{name}: row {_key(name, row)} has a value without unit"
    if "amount_measure" in fields:
        description = fields["amount_measure"]["description"]
        for code in fields["amount_measure"]["constraints"]["enum"]:
            for lang in ("it", "en"):
                assert f"{code} = " in description[lang], f"{name}: code {code} not explained in {lang}"


@pytest.mark.parametrize("pkg,name,rows,schema", ALL, ids=IDS)
def test_both_languages_say_something_or_nothing(pkg, name, rows, schema):
    columns = rows[0].keys() if rows else ()
    pairs = [(c, c[:-3] + "_en") for c in columns if c.endswith("_it") and c[:-3] + "_en" in columns]
    for row in rows:
        for it, en in pairs:
            assert bool(row[it]) == bool(row[en]), f"{name}: row {_key(name, row)}: {it} and {en} must both be filled or both empty"


@pytest.mark.parametrize("pkg,name,rows,schema", ALL, ids=IDS)
def test_references_to_other_packages_exist(pkg, name, rows, schema):
    clusters, areas = _ids("clusters"), _ids("areas")
    for row in rows:
        if row.get("cluster_id"):
            assert row["cluster_id"] in clusters | {"all"}, f"{name}: unknown cluster '{row['cluster_id']}'"
        if row.get("area_id"):
            assert row["area_id"] in areas, f"{name}: unknown area '{row['area_id']}'"
        for column in ("region_code", "region_codes"):
            if column in row and name != "regions":
                for code in _list(row[column]):
                    assert code in REGION_CODES, f"{name}: row {_key(name, row)}: region code '{code}' is not in regions.csv"


@pytest.mark.parametrize("pkg,name,rows,schema", ALL, ids=IDS)
def test_number_columns_hold_numbers(pkg, name, rows, schema):
    for f in schema["fields"]:
        if f["type"] not in ("number", "integer"):
            continue
        for row in rows:
            cell = row[f["name"]]
            if cell:
                value = float(cell) if f["type"] == "number" else int(cell)
                assert value >= 0, f"{name}: {f['name']} '{cell}'"
                assert "," not in cell and " " not in cell


def test_regions_are_the_twenty_istat_regions_with_nuts_2021_codes():
    rows = list(csv.DictReader((DATASETS / "regions/regions.csv").open(encoding="utf-8")))
    assert [r["region_code"] for r in rows] == [f"{i:02d}" for i in range(1, 21)]
    nuts = {r["region_code"]: _list(r["nuts2_codes"]) for r in rows}
    assert nuts["04"] == ["ITH1", "ITH2"]  # the autonomous provinces of Bolzano and Trento
    assert all(len(codes) == 1 for code, codes in nuts.items() if code != "04")
    flat = [c for codes in nuts.values() for c in codes]
    assert len(flat) == len(set(flat)) == 21 and all(re.match(r"^IT[CFGHI]\d$", c) for c in flat)


def test_published_projects_keep_their_ids_and_the_completeness_counts_them():
    rows = list(csv.DictReader((DATASETS / "projects-2012/projects-2012.csv").open(encoding="utf-8")))
    ids = [r["id"] for r in rows]
    first_release = {f"aerospazio-{i}" for i in range(1, 5)} | {f"agrifood-{i}" for i in range(1, 4)} | \
        {"chimica-verde-1", "chimica-verde-2"} | {f"fabbrica-intelligente-{i}" for i in range(1, 5)} | \
        {f"scienze-della-vita-{i}" for i in range(1, 5)} | {f"smart-communities-{i}" for i in range(1, 5)}
    assert first_release <= set(ids) and len(ids) == len(set(ids))
    meta = yaml.safe_load((DATASETS / "projects-2012/package.yaml").read_text(encoding="utf-8"))
    assert f"{len(rows)} dei 30" in meta["completeness"]["it"] and f"{len(rows)} of the 30" in meta["completeness"]["en"]


@pytest.mark.parametrize("pkg", PROGRAMME_PACKAGES)
def test_packages_keep_their_promises(pkg):
    meta = yaml.safe_load((DATASETS / pkg / "package.yaml").read_text(encoding="utf-8"))
    assert meta["changelog"][0]["version"] == meta["version"]
    amounts = any("amount_measure" in (rows[0] if rows else {}) for _, rows, _ in _resources(pkg))
    if amounts:
        caveats = meta.get("caveats") or {}
        assert "sommat" in caveats.get("it", "") and "add" in caveats.get("en", ""), f"{pkg}: amounts but no 'do not add up' caveat"
    if pkg != "regions":
        assert meta.get("completeness"), f"{pkg} is partial and must say what is missing"


def test_call_2012_points_to_the_projects_package():
    meta = yaml.safe_load((DATASETS / "call-2012/package.yaml").read_text(encoding="utf-8"))
    assert "projects-2012" in meta["description"]["it"] and "projects-2012" in meta["description"]["en"]
