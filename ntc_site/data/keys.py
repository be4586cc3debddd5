"""Primary keys and unique fields of big tables, checked with little memory.

frictionless remembers every key it has seen (a tuple of cells and a row number each): a million-row
table costs it about 200 MB. Here each key is an 8-byte digest in a packed array (8 MB for a million rows);
only when two digests are equal is the file read a second time, for those keys alone, to report each
duplicate with the line of its first occurrence (and to rule out a digest collision).
"""
from __future__ import annotations

import csv
import hashlib
from array import array
from pathlib import Path

from ..problems import Problem
from .package import Resource


def key_groups(resource: Resource) -> list[tuple[str, ...]]:
    """The primary key and every unique field, each once."""
    groups = [tuple(resource.schema.primary_key)] if resource.schema.primary_key else []
    for field in resource.schema.fields:
        if field.constraint("unique") and (field.name,) not in groups:
            groups.append((field.name,))
    return groups


def key_problems(resource: Resource, display: str) -> list[Problem]:
    """Duplicates of the primary key and of unique fields in a CSV source, as `path:line: message`."""
    if resource.source is None:
        return []
    groups = key_groups(resource)
    if not groups:
        return []
    names = list(resource.schema.names)
    columns = [[names.index(n) for n in group] for group in groups]
    digests = [array("Q") for _ in groups]
    for cells in _rows(resource.source):
        for i, cols in enumerate(columns):
            key = _key(cells, cols)
            if key is not None:
                digests[i].append(_digest(key))
    suspects = [_repeated(d) for d in digests]
    if not any(suspects):
        return []
    return _report(resource.source, display, groups, columns, suspects)


def _rows(file: Path):
    with file.open("r", encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        next(reader, None)
        yield from reader


def _key(cells: list[str], cols: list[int]) -> str | None:
    values = [cells[c] for c in cols]
    if any(v == "" for v in values):
        return None  # an unknown value is never a duplicate
    return "".join(f"{len(v)}:{v}" for v in values)  # length-prefixed: ('1,x', 'y') differs from ('1', 'x,y')


def _digest(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def _repeated(digests: array) -> set[int]:
    repeated: set[int] = set()
    previous = None
    for value in sorted(digests):  # a transient list of ints; the set stays as small as the duplicates
        if value == previous:
            repeated.add(value)
        previous = value
    return repeated


def _report(file: Path, display: str, groups: list[tuple[str, ...]], columns: list[list[int]],
            suspects: list[set[int]]) -> list[Problem]:
    first: list[dict[str, int]] = [{} for _ in groups]  # key -> line of its first row, suspects only
    problems = []
    with file.open("r", encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        next(reader, None)
        line = reader.line_num + 1
        for cells in reader:
            for i, cols in enumerate(columns):
                key = _key(cells, cols)
                if key is None or _digest(key) not in suspects[i]:
                    continue
                if key in first[i]:
                    what = f"field '{groups[i][0]}'" if len(groups[i]) == 1 else f"key ({', '.join(groups[i])})"
                    problems.append(Problem(display, line, 0, f"{what}: duplicate of line {first[i][key]}"))
                else:
                    first[i][key] = line
            line = reader.line_num + 1
    return problems
