"""Every number of programme-facts.yaml is published, with the page it was read on.

programme-facts.yaml (../shared/reference/, outside the repository) is the source of the programme-history
packages (issue 14). For every row of every table in it, every numeric value must appear in some cell of a
published CSV under datasets/ whose row names the same source URL (source_url, or one of source_urls).
Each source page of the file must also be the source of at least one published row.
"""
from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
import reference
import yaml

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT / "datasets"


def _facts_path() -> Path:
    if os.environ.get("NTC_PROGRAMME_FACTS"):
        return Path(os.environ["NTC_PROGRAMME_FACTS"])
    return reference.folder() / "programme-facts.yaml"  # ../shared/reference/, or $NTC_REFERENCE


FACTS_PATH = _facts_path()
if not FACTS_PATH.is_file():
    raise FileNotFoundError(f"{FACTS_PATH} not found: the audit needs the project workspace beside the repository "
                            "(../shared/reference/programme-facts.yaml) or NTC_PROGRAMME_FACTS")
FACTS = yaml.safe_load(FACTS_PATH.read_text(encoding="utf-8"))
TABLES = {name: rows for name, rows in FACTS.items() if isinstance(rows, list)}


def _number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def _published_rows() -> list[tuple[str, set[str], set[float]]]:
    """(where, source URLs, numbers) of every row of every published CSV."""
    out = []
    for file in sorted(DATASETS.glob("*/*.csv")):
        with file.open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh), start=2):
                urls = {row.get("source_url") or ""} | set((row.get("source_urls") or "").split())
                numbers = {n for n in (_number(c) for c in row.values() if c) if n is not None}
                out.append((f"{file.relative_to(ROOT)}:{i}", urls - {""}, numbers))
    return out


PUBLISHED = _published_rows()


def _facts_numbers():
    for table, rows in TABLES.items():
        for i, row in enumerate(rows):
            if _held_back(row):
                continue
            for key, value in row.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    yield pytest.param(table, i, key, value, row.get("source"), id=f"{table}[{i}].{key}={value}")


def _held_back(row: dict) -> bool:
    """The facts file asks for confirmation before a row is published (a weak source)."""
    return "confirm before publishing" in str(row.get("note") or "").lower()


def test_the_facts_file_has_the_expected_tables():
    assert {"call_2012_figures", "call_2012_ranking", "call_2012_cluster_totals", "call_2012_projects",
            "call_2016_ranking", "call_2016_figures", "recognition_and_action_plans", "members_over_time",
            "regional_programme_agreements", "regional_participation_2012"} <= set(TABLES)


@pytest.mark.parametrize("table,index,key,value,source", list(_facts_numbers()))
def test_every_number_is_published_with_its_source(table, index, key, value, source):
    assert source, f"{table}[{index}] has the number {key}={value} but no source"
    found = [where for where, urls, numbers in PUBLISHED if source in urls and float(value) in numbers]
    assert found, f"{table}[{index}].{key} = {value} (source {source}) is in no published CSV row with that source"


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_source_page_is_published(table):
    published_urls = set().union(*(urls for _, urls, _ in PUBLISHED))
    missing = sorted({row["source"] for row in TABLES[table] if row.get("source") and not _held_back(row)}
                     - published_urls)
    assert not missing, f"{table}: sources with no published row: {missing}"
