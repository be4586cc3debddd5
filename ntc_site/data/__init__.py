"""The data packages: their frozen type, how they are loaded and validated, and every download made of them.

`package.py` is the low module every other one imports. `packages.py` takes `datasets/` and the records
and gives `Package`s (checked with `tableschema.py`, `csvrows.py` and `frictionless_check.py`); it runs
in the load stage. `descriptor.py`, `xlsx.py`, `downloads.py` and `catalog.py` take the `Site` and give
the bytes of every file under `/data/` (CSV, JSON, XLSX, datapackage.json, zip, SHA256SUMS, catalogue).
"""
