"""Issue 14, better columns: one meaning per column (call_year, selection_year), ISO 8601 `as_of` values
with their qualifiers in note columns in both languages, the seat as the source gives it, region codes with
a foreign key to the regions table, and a package resource that reads another package's CSV (`path:`).

Inputs are the synthetic fixture `tests/fixtures/data-site/` (copied when a test breaks it).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from test_datapackages import as_stored, data_bytes, load_site, problems_of

from ntc_site.data import packages as datapackages
from ntc_site.load import config, records
from ntc_site.load.strings import load_strings
from ntc_site.render import views

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "data-site"


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return data_bytes(load_site())


def _csv(files: dict[str, bytes], path: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[path].decode("utf-8"))))


def test_cluster_rows_carry_the_new_columns(files):
    rows = {r["id"]: r for r in _csv(files, "data/clusters/clusters.csv")}
    alpha, beta = rows["alpha"], rows["beta"]
    assert "selected" not in alpha and "since" not in _csv(files, "data/areas/areas.csv")[0]
    assert (alpha["call_year"], alpha["selection_year"]) == ("2012", "2012")
    assert (alpha["region"], alpha["region_code"]) == ("Lazio", "12")
    assert beta["region_code"] == "" and beta["seat"] == ""
    assert (beta["president_as_of"], beta["president_note_it"], beta["president_note_en"]) == (
        "2024-01", "nota sintetica", "synthetic note")


def test_the_clusters_package_carries_the_regions_table_with_a_foreign_key(files):
    descriptor = json.loads(files["data/clusters/datapackage.json"])
    names = [r["name"] for r in descriptor["resources"]]
    assert names == ["clusters", "areas", "regions"]
    keys = descriptor["resources"][0]["schema"]["foreignKeys"]
    assert {"fields": ["region_code"], "reference": {"resource": "regions", "fields": ["region_code"]}} in keys
    regions = _csv(files, "data/clusters/regions.csv")
    assert len(regions) == 20 and {"region_code": "12", "name_it": "Lazio"}.items() <= regions[11].items()


def test_a_region_not_in_the_regions_table_is_located_in_the_record(project: Path):
    _edit(project / "content/clusters/alpha.yaml", 'region: "Lazio"', 'region: "Lazo"')
    found = problems_of(project)
    assert any(p.startswith("content/clusters/alpha.yaml:9:") and "region 'Lazo'" in p and "Lazio" in p
               for p in found), found


def test_as_of_must_be_an_iso_date_and_qualifiers_go_to_the_note(project: Path):
    _edit(project / "content/clusters/beta.yaml", 'as_of: "2024-01"', 'as_of: "2024-01 (elected)"')
    _, found = records.load(project / "content")
    messages = [p.format() for p in found]
    assert any("clusters/beta.yaml:11:" in m and "YYYY, YYYY-MM or YYYY-MM-DD" in m for m in messages), messages


def test_the_seat_is_one_of_the_kinds_the_sources_name(project: Path):
    _edit(project / "content/clusters/alpha.yaml", 'region: "Lazio"}', 'region: "Lazio", seat: legal}')
    _, found = records.load(project / "content")
    assert any("must be one of registered, operational" in p.message for p in found)


def _package(project: Path, path_line: str, code: str) -> None:
    folder = project / "datasets" / "linked"
    folder.mkdir()
    text = (project / "datasets/sample/package.yaml").read_text(encoding="utf-8")
    head = text[: text.index("timeline:")]
    folder.joinpath("package.yaml").write_text(head + f"""resources:
  - name: linked
    title: {{it: "Collegata", en: "Linked"}}
    description: {{it: "Una riga per regione citata.", en: "One row per region cited."}}
  - name: regions
    title: {{it: "Regioni", en: "Regions"}}
    description: {{it: "Le regioni.", en: "The regions."}}
    schema: ../regions/regions.schema.yaml
    {path_line}
""", encoding="utf-8")
    folder.joinpath("linked.schema.yaml").write_text("""fields:
  - name: id
    type: string
    title: {it: "Id", en: "Id"}
    description: {it: "Identificativo.", en: "Identifier."}
  - name: region_code
    type: string
    title: {it: "Regione", en: "Region"}
    description: {it: "Codice della regione.", en: "Region code."}
primary_key: [id]
foreign_keys:
  - fields: [region_code]
    reference: {resource: regions, fields: [region_code]}
""", encoding="utf-8")
    folder.joinpath("linked.csv").write_text(f"id,region_code\na,12\nb,{code}\n", encoding="utf-8")


def test_a_resource_path_reads_another_packages_csv_and_its_foreign_key_holds(project: Path):
    _package(project, "path: ../regions/regions.csv", "01")
    assert problems_of(project) == []
    cfg, _ = config.load(project / "content")
    recs, _ = records.load(project / "content")
    packages, _ = datapackages.load(project / "datasets", recs, cfg)
    linked = next(p for p in packages if p.name == "linked")
    assert linked.resource("regions").path == "datasets/regions/regions.csv"
    assert linked.resource("regions").row_count == 20


def test_a_foreign_key_into_an_included_table_is_checked(project: Path):
    _package(project, "path: ../regions/regions.csv", "99")
    found = problems_of(project)
    assert any(p.startswith("datasets/linked/linked.csv:3:") and "foreign key" in p for p in found), found


@pytest.mark.parametrize("path", ["../../content/site.yaml", "../../../outside.csv", "../regions/regions.schema.yaml"])
def test_a_resource_path_must_be_a_csv_inside_datasets(project: Path, path: str):
    (project.parent / "outside.csv").write_text("region_code\n01\n", encoding="utf-8")
    _package(project, f"path: {path}", "01")
    found = problems_of(project)
    assert any(p.startswith("datasets/linked/package.yaml:") and "must name a .csv file inside datasets/" in p
               for p in found), found


def test_cluster_page_prints_the_note_in_its_own_language_and_the_seat_as_stated():
    site = load_site()
    strings, _ = load_strings(ROOT / "templates")
    for lang, own, other in (("it", "nota sintetica", "synthetic note"), ("en", "synthetic note", "nota sintetica")):
        page = site.by_key("cluster:beta", lang)
        facts = {f["label"]: f["value"] for f in views.cluster_page(site, page, strings[lang])["facts"]}
        president = facts[strings[lang]["field_president"]]
        assert own in president and other not in president and "2024" in president and "2024-01" not in president
        alpha = views.cluster_page(site, site.by_key("cluster:alpha", lang), strings[lang])
        seat = {f["label"]: f["value"] for f in alpha["facts"]}[strings[lang]["field_headquarters"]]
        assert seat == f"Roma, Lazio ({strings[lang]['seat_unstated']})"


def test_a_carried_table_links_to_its_own_package_page_instead_of_repeating_it():
    from ntc_site.render import dataset_views

    site = load_site()
    strings, _ = load_strings(ROOT / "templates")
    page = site.by_key("dataset:clusters", "en")
    tables = {table["name"]: table for table in
              dataset_views.context(site, page, strings["en"], as_stored(data_bytes(site)))["dataset"]["tables"]}
    regions_page = site.by_key("dataset:regions", "en")
    assert tables["regions"]["home_href"] == site.urls.href(regions_page.path)
    assert tables["regions"]["explorer"] is None and tables["regions"]["fields"] == []
    assert tables["clusters"]["home_href"] is None and tables["clusters"]["explorer"]["rows"]
