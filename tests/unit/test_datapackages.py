"""Data packages: loading and checking `datasets/`, and the download files built from them (issue 5).

Inputs are the synthetic fixture `tests/fixtures/data-site/` (copied to a tmp dir when a test breaks it).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from ntc_site.data import csvrows, downloads
from ntc_site.data import packages as datapackages
from ntc_site.load import config, content, records
from ntc_site.model import site as model
from ntc_site.stored import StoredFile

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "data-site"


def load_site(project: Path = FIXTURE, **config_changes):
    cfg, problems = config.load(project / "content")
    assert not problems
    cfg = replace(cfg, **config_changes)
    recs, problems = records.load(project / "content")
    assert not problems
    packages, problems = datapackages.load(project / "datasets", recs, cfg)
    assert not problems, [p.format() for p in problems]
    pages, problems = content.load(project / "content")
    assert not problems
    site, problems = model.build(cfg, recs, pages, packages, [], False)
    assert not problems
    return site


def data_bytes(site) -> dict[str, bytes]:
    """Every file under data/ as the build writes it, read back as bytes (small fixture data only)."""
    with tempfile.TemporaryDirectory() as tmp:
        return {path: stored.read_bytes() for path, stored in downloads.stored_files(site, Path(tmp)).items()}


_KEPT = tempfile.TemporaryDirectory(prefix="ntc-test-stored-")  # lives as long as the test process


def as_stored(files: dict[str, bytes]) -> dict[str, StoredFile]:
    """The same files as the build hands them to the dataset pages: on disk, with size and digest."""
    folder = Path(tempfile.mkdtemp(dir=_KEPT.name))
    out = {}
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
        out[path] = StoredFile.of(folder / path)
    return out


def problems_of(project: Path) -> list[str]:
    cfg, _ = config.load(project / "content")
    recs, _ = records.load(project / "content")
    _, problems = datapackages.load(project / "datasets", recs, cfg)
    return [p.format() for p in problems]


@pytest.fixture(scope="module")
def site():
    return load_site()


@pytest.fixture(scope="module")
def data(site) -> dict[str, bytes]:
    return data_bytes(site)


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


# --- loading -------------------------------------------------------------------------------------------------

def test_fixture_and_real_datasets_load_without_problems(site):
    assert [p.name for p in site.datasets] == ["areas", "clusters", "regions", "sample"]
    cfg, _ = config.load(ROOT / "content")
    recs, _ = records.load(ROOT / "content")
    packages, problems = datapackages.load(ROOT / "datasets", recs, cfg)
    assert problems == []
    assert {"areas", "clusters", "legal-acts"} <= {p.name for p in packages}


def test_rows_are_typed(site):
    package = next(p for p in site.datasets if p.name == "sample")
    rows = list(csvrows.iter_rows(package.resource("sample")))
    assert len(rows) == 4
    first = rows[0]
    assert first["code"] == "00123" and first["count"] == 3 and first["share"] == 1.5
    assert first["flag"] is True and first["year"] == 2012 and first["day"].isoformat() == "2020-01-31"
    assert rows[1]["count"] is None and rows[1]["year"] is None  # '' = unknown, never 0
    assert rows[2]["note"] == "nota su\ndue righe"


def test_record_packages_have_bilingual_columns_and_sources(site):
    clusters = next(p for p in site.datasets if p.name == "clusters")
    rows = {r["id"]: r for r in list(csvrows.iter_rows(clusters.resource("clusters")))}
    assert rows["alpha"]["name_it"] == "Cluster Alfa" and rows["alpha"]["name_en"] is None
    assert rows["beta"]["president"] == "Persona Sintetica" and rows["beta"]["founded"] == 2017
    assert all(r["source_urls"] for r in rows.values())
    fk = clusters.resource("clusters").schema.foreign_keys[0]
    assert (fk.fields, fk.resource, fk.reference_fields) == (("area",), "areas", ("id",))


def test_missing_folder_gives_no_packages(tmp_path):
    cfg, _ = config.load(FIXTURE / "content")
    recs, _ = records.load(FIXTURE / "content")
    assert datapackages.load(tmp_path / "nothing", recs, cfg) == ([], [])


# --- bad input: every problem names the file and line --------------------------------------------------------

def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_bytes().decode()
    assert old in text
    file.write_bytes(text.replace(old, new, 1).encode())


def test_bad_date_names_file_line_and_field(project):
    _edit(project / "datasets/sample/sample.csv", "2021-02-28", "2021-02-30")
    assert problems_of(project) == ["datasets/sample/sample.csv:3: field 'day': '2021-02-30' is not a valid date"
                                    " — write dates as YYYY-MM-DD"]


def test_line_numbers_count_multiline_cells(project):
    # the row after a two-line quoted cell starts on line 6, not on line 5
    _edit(project / "datasets/sample/sample.csv", "01000,2023-06-15,beta", "01000,2023-06-15,gamma")
    [problem] = problems_of(project)
    assert problem.startswith("datasets/sample/sample.csv:6: field 'kind':") and "enum" in problem


def test_duplicate_primary_key_points_at_both_lines(project):
    _edit(project / "datasets/sample/sample.csv", "04567,", "00123,")
    found = problems_of(project)
    assert "datasets/sample/sample.csv:3: field 'code': duplicate of line 2" in found


def test_wrong_header_and_width(project):
    _edit(project / "datasets/sample/sample.csv", "code,day", "kode,day")
    [problem] = problems_of(project)
    assert problem.startswith("datasets/sample/sample.csv:1: header is kode,day")
    shutil.copytree(FIXTURE / "datasets", project / "datasets", dirs_exist_ok=True)
    _edit(project / "datasets/sample/sample.csv", "https://example.org/b", "https://example.org/b,extra")
    assert problems_of(project) == ["datasets/sample/sample.csv:3: row has 10 values, the header has 9"
                                    " — quote values that contain commas"]


def test_not_utf8(project):
    file = project / "datasets/sample/sample.csv"
    file.write_bytes(file.read_bytes().replace("Città".encode(), "Città".encode("latin-1")))
    [problem] = problems_of(project)
    assert problem.startswith("datasets/sample/sample.csv:") and "not valid UTF-8" in problem


def test_schema_typo_gets_a_hint(project):
    _edit(project / "datasets/sample/sample.schema.yaml", "    title: {it: \"Giorno\"", "    titel: {it: \"Giorno\"")
    found = problems_of(project)
    assert any(p.startswith("datasets/sample/sample.schema.yaml:10:") and "did you mean 'title'" in p for p in found)


def test_metadata_rules(project):
    _edit(project / "datasets/sample/package.yaml", "Una tabella sintetica per i test automatici, con un campo"
          " per ogni tipo di dato gestito dal generatore.", "Troppo breve.")
    _edit(project / "datasets/sample/package.yaml", "[prova, dati sintetici]", "[prova, legge 190/2012]")
    _edit(project / "datasets/sample/package.yaml", 'version: "1.1.0"', 'version: "1.2.0"')
    found = problems_of(project)
    assert any(p.startswith("datasets/sample/package.yaml:5:") and "has 13 characters" in p for p in found)
    assert any(p.startswith("datasets/sample/package.yaml:8:") and "legge 190/2012" in p for p in found)
    assert any("no entry for version 1.2.0" in p for p in found)


def test_foreign_key_between_curated_tables(project):
    folder = project / "datasets/sample"
    (folder / "kinds.csv").write_bytes(b"kind\r\nalpha\r\n")
    (folder / "kinds.schema.yaml").write_text('fields:\n  - name: kind\n    type: string\n    title: {it: "Tipo",'
                                              ' en: "Kind"}\n    description: {it: "Tipo.", en: "Kind."}\n'
                                              "primary_key: [kind]\n")
    with (folder / "sample.schema.yaml").open("a") as f:
        f.write("foreign_keys:\n  - fields: [kind]\n    reference: {resource: kinds, fields: [kind]}\n")
    with (folder / "package.yaml").open("a") as f:
        f.write('  - name: kinds\n    title: {it: "Tipi", en: "Kinds"}\n    description: {it: "Tipi.", en: "Kinds."}\n')
    found = problems_of(project)
    assert found and all(p.startswith("datasets/sample/sample.csv:") for p in found)
    assert found[0] == ('datasets/sample/sample.csv:3: foreign key for "kind": values "beta" not found in the'
                        ' lookup table "kinds" as "kind"')  # 'beta' is not in kinds.csv


def test_record_package_metadata_is_required(project):
    shutil.rmtree(project / "datasets/areas")
    assert problems_of(project)[-1].startswith("datasets/areas/package.yaml: missing metadata of the record"
                                               " package 'areas'")


# --- download files ---------------------------------------------------------------------------------------------

def test_every_package_has_its_files(data):
    for name in ("areas", "clusters", "sample"):
        assert f"data/{name}/datapackage.json" in data and f"data/{name}/{name}.zip" in data
        assert f"data/{name}/{name}.xlsx" in data
    assert {"data/sample/sample.csv", "data/sample/sample.json", "data/clusters/areas.csv"} <= set(data)
    assert {"data/all.zip", "data/SHA256SUMS", "data/catalog.ttl", "data/catalog.rdf", "data/catalog.jsonld"} <= set(data)


def test_descriptors_validate_offline_with_frictionless(data, tmp_path, no_network):
    from frictionless import validate
    for path, content_bytes in data.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(content_bytes)
    for name in ("areas", "clusters", "sample"):
        report = validate(str(tmp_path / "data" / name / "datapackage.json"))
        assert report.valid, report.flatten(["type", "note"])
    assert no_network == []
    # and it can fail: a changed byte breaks the declared hash
    csv_file = tmp_path / "data/sample/sample.csv"
    csv_file.write_bytes(csv_file.read_bytes().replace(b"alpha", b"alphA", 1))
    report = validate(str(tmp_path / "data/sample/datapackage.json"))
    assert not report.valid and {"hash-count", "constraint-error"} & {e[0] for e in report.flatten(["type"])}


def test_descriptor_is_v2_bilingual_with_bytes_and_hash(data):
    d = json.loads(data["data/sample/datapackage.json"])
    assert d["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert d["title"] == "Tabella di prova" and d["x_title_en"] == "Sample table"
    assert d["licenses"][0]["name"] == "CC-BY-4.0" and d["homepage"] == "https://example.org/ntc-site/it/dati/sample/"
    assert d["x_completeness_en"] == "Partial test table: 4 rows of 10."
    resource = d["resources"][0]
    assert resource["type"] == "table" and resource["encoding"] == "utf-8" and resource["path"] == "sample.csv"
    field = resource["schema"]["fields"][0]
    assert field["title"] == "Codice" and field["x_title_en"] == "Code"
    listed = [(resource["path"], resource["bytes"], resource["hash"])]
    listed += [(f["path"], f["bytes"], f["hash"]) for f in d["x_files"]]
    assert [x[0] for x in listed] == ["sample.csv", "sample.json", "sample.xlsx"]
    for path, size, digest in listed:
        body = data[f"data/sample/{path}"]
        assert size == len(body) and digest == "sha256:" + hashlib.sha256(body).hexdigest()


def test_csv_is_rfc4180_crlf_utf8_without_bom(data, site):
    for path in ("data/sample/sample.csv", "data/clusters/clusters.csv", "data/areas/areas.csv"):
        body = data[path]
        assert not body.startswith(b"\xef\xbb\xbf") and body.endswith(b"\r\n")
        text = body.decode("utf-8")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len({len(r) for r in rows}) == 1
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        assert out.getvalue() == text  # canonical: parsing and writing back changes nothing
    package = next(p for p in site.datasets if p.name == "sample")
    header = data["data/sample/sample.csv"].split(b"\r\n", 1)[0].decode()
    assert header.split(",") == list(package.resource("sample").schema.names)
    assert b"\r\n00890,2022-12-01," in data["data/sample/sample.csv"]  # the source's bare LF line ends are gone


def test_json_rows_are_typed(data):
    rows = json.loads(data["data/sample/sample.json"])
    assert rows[0] == {"code": "00123", "day": "2020-01-31", "kind": "alpha", "count": 3, "share": 1.5, "flag": True,
                       "year": 2012, "note": "Città di prova", "source_url": "https://example.org/a"}
    assert rows[1]["count"] is None


def test_xlsx_keeps_codes_as_text_and_has_a_readme(data):
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(data["data/sample/sample.xlsx"]))
    assert book.sheetnames == ["sample", "Leggimi - README"]  # opens on the data; the README sheet last
    sheet = book["sample"]
    assert book.active.title == "sample" and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:I{sheet.max_row}"
    widths = {k: v.width for k, v in sheet.column_dimensions.items()}
    assert widths["A"] >= len("00123") and widths["H"] > widths["A"]  # from the content
    long = [c for row in book["Leggimi - README"].iter_rows() for c in row if isinstance(c.value, str)
            and len(c.value) > 60]
    assert long and all(c.alignment.wrap_text for c in long)  # long text wraps
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Codice", "Giorno", "Tipo", "Conteggio", "Quota", "Indicatore", "Anno", "Nota", "Fonte")
    assert len(rows) - 1 == data["data/sample/sample.csv"].decode().count("\r\n") - 1
    assert sheet["A2"].value == "00123" and sheet["A2"].data_type == "s"
    assert sheet["H5"].value == "=1+2" and sheet["H5"].data_type == "s"  # text, never a formula
    assert sheet["B2"].is_date and sheet["B2"].value.date().isoformat() == "2020-01-31"
    assert sheet["D2"].value == 3 and sheet["D3"].value is None and sheet["F2"].value is True
    readme = [c for row in book["Leggimi - README"].iter_rows(values_only=True) for c in row if c]
    text = " ".join(str(c) for c in readme)
    assert "https://creativecommons.org/licenses/by/4.0/" in text and "1.1.0" in text
    assert "Synthetic code with leading zeros, kept as text." in text  # the data dictionary, in English too


def test_zip_holds_the_package(data):
    archive = zipfile.ZipFile(io.BytesIO(data["data/sample/sample.zip"]))
    assert archive.namelist() == ["datapackage.json", "sample.csv", "sample.json", "sample.xlsx"]  # descriptor on top
    for info in archive.infolist():
        assert archive.read(info) == data[f"data/sample/{info.filename}"]
        assert info.date_time == (2024, 3, 5, 0, 0, 0)


def test_all_zip_and_sha256sums(data):
    archive = zipfile.ZipFile(io.BytesIO(data["data/all.zip"]))
    names = archive.namelist()
    assert names[-1] == "SHA256SUMS" and "catalog.ttl" in names and "sample/datapackage.json" in names
    sums = archive.read("SHA256SUMS").decode()
    every = dict(reversed(line.split("  ", 1)) for line in data["data/SHA256SUMS"].decode().splitlines())
    downloads = {p.removeprefix("data/") for p in data if p.startswith("data/") and p != "data/SHA256SUMS"}
    assert set(every) == downloads  # every download: zips, all.zip and each version's files included
    assert {"sample/sample.zip", "all.zip", "sample/1.1.0/sample.zip"} <= set(every)
    for name, digest in every.items():
        assert hashlib.sha256(data[f"data/{name}"]).hexdigest() == digest
    listed = {}
    for line in sums.splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == set(names) - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest


def test_two_builds_give_identical_bytes(site, data):
    again = data_bytes(load_site())
    assert again == data


def test_bytes_do_not_depend_on_the_hash_seed():
    script = ("import hashlib, sys; sys.path.insert(0, %r); from tests.unit.test_datapackages import load_site;"
              "from tests.unit.test_datapackages import data_bytes; f = data_bytes(load_site());"
              "print(hashlib.sha256(b''.join(k.encode() + v for k, v in sorted(f.items()))).hexdigest())") % str(ROOT)
    digests = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        digests.add(out.stdout.strip())
    assert len(digests) == 1


TIMELINE = "timeline: {resource: sample, date: day, title: {it: note, en: kind}, source: source_url, number: code}\n"


def with_timeline(project: Path) -> Path:
    """The sample package names the columns the timeline page draws its events from."""
    file = project / "datasets" / "sample" / "package.yaml"
    text = file.read_text(encoding="utf-8")
    assert TIMELINE in text  # the fixture's sample package declares it
    return file


def test_timeline_columns_come_from_the_package_metadata(project: Path):
    from ntc_site.render import timeline
    with_timeline(project)
    site = load_site(project)
    page = next(p for p in site.pages if p.lang == "en")
    events = timeline.context(site, page, {})["events"]
    assert [e["iso"] for e in events] == sorted(e["iso"] for e in events) and len(events) >= 3
    first = events[0]
    assert (first["title"], first["number"], first["source_host"]) == ("alpha", "00123", "example.org")
    it_page = next(p for p in site.pages if p.lang == "it")
    assert timeline.context(site, it_page, {})["events"][0]["title"] == "Città di prova"


@pytest.mark.parametrize("change, message", [
    ("date: day", "the table 'sample' has no column 'dya'"),
    ("source: source_url", "the table 'sample' has no column 'sorce_url'"),
])
def test_timeline_naming_a_missing_column_is_a_located_problem(project: Path, change: str, message: str):
    file = with_timeline(project)
    wrong = change.replace("day", "dya").replace("source_url", "sorce_url")
    file.write_text(file.read_text().replace(change, wrong))
    problems = problems_of(project)
    line = next(i for i, text in enumerate(file.read_text().splitlines(), 1) if text.startswith("timeline:"))
    assert any(p.startswith(f"datasets/sample/package.yaml:{line}:") and message in p for p in problems), problems


def test_timeline_date_column_must_be_a_date(project: Path):
    file = with_timeline(project)
    file.write_text(file.read_text().replace("date: day", "date: kind"))
    assert any("column 'kind' must have type date, not string" in p for p in problems_of(project))
