"""Earlier versions of the record packages are made from that commit's record files, read as plain YAML
with the columns of that version's schema (ntc_site/data/record_tables.py `past_table`), so renaming a
record field today never makes an old version unpublishable or changes its cells."""
from __future__ import annotations

from pathlib import Path

from ntc_site.data.record_tables import past_table

OLD_RECORD = """acronym: "ALF"
name: {it: "Cluster Alfa", en: null}
area: alpha
selected: 2012
founded_on: 2012-09-25
headquarters: {city: "Roma", region: "Lazio"}
president: {name: "Persona Sintetica", as_of: "2019-05"}
members: null
sources:
  - {url: "https://example.org/a", fields: [name]}
  - {url: "https://example.org/b", fields: [area]}
  - {url: "https://example.org/a", fields: [acronym]}
"""
COLUMNS = ("id", "acronym", "name_it", "name_en", "selected", "founded_on", "city", "region", "region_code",
           "president", "president_as_of", "members_it", "members_as_of", "source_urls")


def test_old_columns_come_from_old_fields(tmp_path: Path):
    (tmp_path / "alpha.yaml").write_text(OLD_RECORD, encoding="utf-8")
    (tmp_path / "beta.yaml").write_text(OLD_RECORD.replace("founded_on: 2012-09-25\n", ""), encoding="utf-8")
    rows, origins = past_table(tmp_path, COLUMNS, {"Lazio": "12"})
    assert dict(zip(COLUMNS, rows[0])) == {
        "id": "alpha", "acronym": "ALF", "name_it": "Cluster Alfa", "name_en": "", "selected": "2012",
        "founded_on": "2012-09-25", "city": "Roma", "region": "Lazio", "region_code": "12",
        "president": "Persona Sintetica", "president_as_of": "2019-05", "members_it": "", "members_as_of": "",
        "source_urls": "https://example.org/a https://example.org/b"}
    assert rows[1][COLUMNS.index("founded_on")] == ""  # an optional field one record leaves out
    assert len(origins) == 2 and origins[0].endswith("alpha.yaml")


def test_a_column_no_record_has_is_refused(tmp_path: Path):
    (tmp_path / "alpha.yaml").write_text(OLD_RECORD, encoding="utf-8")
    assert past_table(tmp_path, COLUMNS + ("call_year",), {}) is None
