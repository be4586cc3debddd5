#!/usr/bin/env python3
"""Peak memory of a whole `build.py build` with a big hand-curated table (SYNTHETIC data, benchmark only).

Copies the project's content/, templates/ and datasets/ under bench/_work/, adds a package
`synthetic-big` whose CSV has --rows rows (generated here, marked synthetic, never committed), and runs
the real CLI as a child process with an empty build cache, then once more with the warm cache. Reports
wall time and peak RSS of the largest process (ru_maxrss) and of the process tree (sampled).

    python bench/memory_big_table.py --rows 1000000
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from measure import run_measured

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "_work" / "memory"
PACKAGE = """# SYNTHETIC benchmark package (bench/memory_big_table.py): generated rows, no facts.
version: "1.0.0"
title: {it: "Tabella sintetica grande", en: "Big synthetic table"}
description:
  it: "Tabella sintetica generata per misurare la memoria della build: nessun dato reale, solo numeri di prova."
  en: "Synthetic table generated to measure the build's memory: no real data, only test numbers in every row."
keywords: {it: [sintetico], en: [synthetic]}
themes: [TECH]
frequency: IRREG
created: 2026-11-30
updated: 2026-11-30
sources:
  - {url: "https://example.org/synthetic", title: "synthetic"}
completeness: {it: "Dati sintetici.", en: "Synthetic data."}
changelog:
  - {version: "1.0.0", date: 2026-11-30, note: {it: "Sintetico.", en: "Synthetic."}}
resources:
  - name: rows
    title: {it: "Righe", en: "Rows"}
    description: {it: "Righe sintetiche.", en: "Synthetic rows."}
"""
SCHEMA = """fields:
  - {name: code, type: string, title: {it: Codice, en: Code}, description: {it: Codice., en: Code.}}
  - {name: day, type: date, title: {it: Giorno, en: Day}, description: {it: Data., en: Date.}}
  - {name: count, type: integer, title: {it: Conteggio, en: Count}, description: {it: Intero., en: Integer.}}
  - {name: share, type: number, title: {it: Quota, en: Share}, description: {it: Decimale., en: Decimal.}}
  - {name: note, type: string, title: {it: Nota, en: Note}, description: {it: Testo., en: Text.}}
primary_key: [code]
"""


def make_project(rows: int) -> Path:
    project = WORK / f"rows-{rows}"
    if not (project / "datasets" / "synthetic-big" / "rows.csv").is_file():
        shutil.rmtree(project, ignore_errors=True)
        for folder in ("content", "templates", "datasets"):
            shutil.copytree(ROOT / folder, project / folder)
        package = project / "datasets" / "synthetic-big"
        package.mkdir()
        (package / "package.yaml").write_text(PACKAGE, encoding="utf-8")
        (package / "rows.schema.yaml").write_text(SCHEMA, encoding="utf-8")
        with (package / "rows.csv").open("w", encoding="utf-8", newline="") as out:
            out.write("code,day,count,share,note\r\n")
            for i in range(rows):
                out.write(f"{i:08d},2020-{1 + i % 12:02d}-{1 + i % 28:02d},{i},{i / 7:.4f},synthetic row {i}\r\n")
    return project


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"))
    args = parser.parse_args()
    project = make_project(args.rows)
    cache = Path(tempfile.mkdtemp(prefix="ntc-mem-cache-", dir=WORK))
    out = project / "_site"
    env = dict(os.environ, NTC_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
    cmd = [args.python, str(ROOT / "build.py"), "build", "--content", str(project / "content"), "--out", str(out)]
    try:
        for label in ("cold cache", "warm cache"):
            sample = run_measured(cmd, env=env, cwd=project)
            if sample.returncode != 0:
                print(sample.output_tail, file=sys.stderr)
                return 1
            print(f"{args.rows:>9,} rows, {label}: wall {sample.wall_s:6.1f} s, peak RSS largest process "
                  f"{sample.maxrss_mib:6.1f} MiB, process tree (sampled) {sample.tree_rss_mib:6.1f} MiB")
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
