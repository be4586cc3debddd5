"""Row chunks of big tables, so a dataset page's explorer can load rows as it needs them.

A table of more than CHUNK_ROWS rows is also published as numbered CSV files of CHUNK_ROWS rows each
(`data/<package>/<resource>/rows-0001.csv`, …), each with the canonical header and the canonical
quoting, so the explorer reads exactly the published cells and a dataset page never depends on loading
a file of a million rows. Smaller tables need none: the explorer reads their published CSV. The chunks
are a way of serving the table, not a distribution: they are not in the zips, the descriptor or
SHA256SUMS.
"""
from __future__ import annotations

import csv
import itertools
from pathlib import Path

from . import csvrows
from .package import Resource

CHUNK_ROWS = 1000


def chunk_count(row_count: int) -> int:
    """How many chunk files a table of `row_count` rows gets (0 when its CSV is small enough)."""
    return 0 if row_count <= CHUNK_ROWS else -(-row_count // CHUNK_ROWS)


def chunk_name(resource: str, number: int) -> str:
    """Path of chunk `number` (from 1) inside the package folder."""
    return f"{resource}/rows-{number:04d}.csv"


def write_chunks(resource: Resource, folder: Path) -> None:
    """Stream the rows of a big table into its chunk files below `folder` (the package folder)."""
    if not chunk_count(resource.row_count):
        return
    rows = csvrows.iter_cells(resource)
    for number in itertools.count(1):
        block = list(itertools.islice(rows, CHUNK_ROWS))
        if not block:
            return
        target = folder / chunk_name(resource.name, number)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\r\n")
            writer.writerow(resource.schema.names)
            writer.writerows(block)
