"""A synthetic many-row data package for the explorer's big-table path, written by the tests into a copy
of the data-site fixture (never committed: every value is made up here)."""
from __future__ import annotations

import csv
from pathlib import Path

BIG_ROWS = 2600  # three chunks of 1000 rows: the first page, a page in the last chunk, then all of them
NAMES = ["Città", "citta", "Ångström", "zeta", "Álamo", "beta"]


def big_row(i: int) -> list[str]:
    """Row i (from 0): amounts whose text order differs from their numeric order, accented names."""
    return [f"r{i:05d}", f"{NAMES[i % len(NAMES)]} {i}", str((i * 7919) % 1201), f"20{10 + i % 12}-0{1 + i % 9}-15",
            f"https://example.org/righe/{i}"]


PACKAGE = """# Synthetic package written by tests/browser/synthetic.py: every value is made up.
version: "1.0.0"
title: {it: "Tabella grande di prova", en: "Big sample table"}
description:
  it: "Una tabella sintetica di molte righe per provare il caricamento a blocchi delle righe nella pagina."
  en: "A synthetic table of many rows to try loading the rows of a page in chunks."
keywords: {it: [prova], en: [test]}
themes: [TECH]
frequency: IRREG
created: 2024-01-01
updated: 2024-01-01
sources:
  - {url: "https://example.org/source", title: "example.org"}
changelog:
  - {version: "1.0.0", date: 2024-01-01, note: {it: "Prima pubblicazione.", en: "First release."}}
resources:
  - name: big
    title: {it: "Righe grandi", en: "Big rows"}
    description: {it: "Righe sintetiche.", en: "Synthetic rows."}
"""
SCHEMA = """fields:
  - {name: id, type: string, title: {it: "Codice", en: "Code"}, description: {it: "Codice.", en: "Code."},
     constraints: {required: true, unique: true}}
  - {name: name, type: string, title: {it: "Nome", en: "Name"}, description: {it: "Nome.", en: "Name."}}
  - {name: amount, type: integer, title: {it: "Importo", en: "Amount"}, description: {it: "Importo.", en: "Amount."}}
  - {name: day, type: date, title: {it: "Giorno", en: "Day"}, description: {it: "Giorno.", en: "Day."}}
  - {name: source_url, type: string, format: uri, title: {it: "Fonte", en: "Source"},
     description: {it: "Fonte.", en: "Source."}}
primary_key: [id]
"""


def write_big_package(datasets: Path, rows: int = BIG_ROWS) -> None:
    folder = datasets / "big"
    folder.mkdir(parents=True)
    (folder / "package.yaml").write_text(PACKAGE, encoding="utf-8")
    (folder / "big.schema.yaml").write_text(SCHEMA, encoding="utf-8")
    with (folder / "big.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(["id", "name", "amount", "day", "source_url"])
        writer.writerows(big_row(i) for i in range(rows))
