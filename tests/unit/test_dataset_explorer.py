"""The server side of the dataset pages' explorer, charts and chunks (issue 16): the plain first rows, the
attributes the script reads, the row chunks of big tables, and a chart for every numeric column.

Tables are synthetic, made here; nothing is real data.
"""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

from ntc_site.data import chunks, csvrows
from ntc_site.data.package import Field, Resource, TableSchema
from ntc_site.render import charts, dataset_charts, explorer
from ntc_site.urls import Urls

SVG = "{http://www.w3.org/2000/svg}"
T = {"unknown": "n/d", "data_chart_rows": "Righe", "data_preview_caption": "prime {count} righe su {total}",
     **{f"data_chart_{k}_{p}": f"{k}-{p} {{table}} {{field}} {{label}} {{unknown}}"
        for k in ("count", "line", "value", "bins") for p in ("title", "desc")},
     **{f"data_{w}": w for w in explorer.WORDS}}


def field(name: str, kind: str = "string", **extra) -> Field:
    return Field(name, kind, {"it": name.title(), "en": name.title()}, {"it": "", "en": ""}, **extra)


def resource(fields: list[Field], rows: list[list[str]], name: str = "synthetic", key: tuple[str, ...] = ()
             ) -> Resource:
    return Resource(name, {"it": "Sintetica", "en": "Synthetic"}, {"it": "", "en": ""},
                    TableSchema(tuple(fields), key), f"datasets/{name}.csv",
                    cells=tuple(tuple(r) for r in rows), row_count=len(rows))


class FakeSite:
    urls = Urls("https://example.org/repo/")


class FakePackage:
    name = "synthetic"


def test_urls_become_links_to_the_full_address_showing_the_host():
    url = "https://www.example.org/a/very/long/path?x=1"
    assert explorer.cell(url, field("source_url"), "it") == {
        "text": "", "links": [{"href": url, "text": "example.org"}]}
    listed = explorer.cell(["https://a.example/x", "http://b.example/y"], field("urls", "list", delimiter=" "), "it")
    assert [link["text"] for link in listed["links"]] == ["a.example", "b.example"]
    assert explorer.cell(None, field("x"), "it") == {"text": "", "links": []}
    assert explorer.cell(1234.5, field("n", "number"), "it")["text"] == "1.234,5"


def test_the_html_holds_only_the_first_rows_however_big_the_table():
    rows = [[f"r{i:05d}", "x" * 40] for i in range(5000)]
    table = explorer.table(FakeSite(), FakePackage(), resource([field("id"), field("note")], rows), "it", T)
    assert len(table["rows"]) == explorer.PREVIEW_ROWS
    assert table["attributes"]["data-total"] == "5000"
    assert table["attributes"]["data-chunks"] == "5"
    assert table["attributes"]["data-chunk-base"] == "/repo/data/synthetic/synthetic/rows-"
    assert table["attributes"]["data-csv"] == "/repo/data/synthetic/synthetic.csv"
    wide = [[f"r{i}", "y" * 4000] for i in range(10)]
    assert len(explorer.table(FakeSite(), FakePackage(), resource([field("id"), field("note")], wide), "it",
                              T)["rows"]) == 1  # long rows: fewer of them, never none


def test_small_tables_have_no_chunks(tmp_path: Path):
    small = resource([field("id")], [["a"], ["b"]])
    chunks.write_chunks(small, tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert explorer.table(FakeSite(), FakePackage(), small, "it", T)["attributes"]["data-chunk-base"] == ""


def test_chunks_hold_every_row_once_in_order_with_the_canonical_header(tmp_path: Path):
    rows = [[f"r{i:05d}", f"testo, \"{i}\"\nsu due righe" if i % 7 == 0 else ""] for i in range(2345)]
    table = resource([field("id"), field("note")], rows)
    chunks.write_chunks(table, tmp_path)
    files = sorted((tmp_path / "synthetic").iterdir())
    assert [f.name for f in files] == ["rows-0001.csv", "rows-0002.csv", "rows-0003.csv"]
    assert len(files) == chunks.chunk_count(len(rows))
    seen = []
    for file in files:
        raw = file.read_bytes()
        assert raw.startswith(b"id,note\r\n") and raw.endswith(b"\r\n")
        parsed = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
        assert parsed[0] == ["id", "note"] and len(parsed) - 1 <= chunks.CHUNK_ROWS
        seen += parsed[1:]
    assert seen == rows
    whole = tmp_path / "whole.csv"
    csvrows.write_csv(table, whole)  # each chunk line is byte for byte a line of the published CSV
    body = b"".join(f.read_bytes().split(b"\r\n", 1)[1] for f in files)
    assert whole.read_bytes().split(b"\r\n", 1)[1] == body


def svg_of(chart: dict) -> ET.Element:
    root = ET.fromstring(chart["svg"])
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == chart["title"] and root.find(f"{SVG}desc").text == chart["description"]
    return root


def test_every_numeric_column_gets_a_chart_with_the_same_numbers_as_its_table():
    fields = [field("id"), field("founded", "year"), field("day", "date"), field("amount", "integer"),
              field("note")]
    rows = [["a", "2012", "2012-05-30", "7", "x"], ["b", "2012", "2014-01-02", "12", ""],
            ["c", "", "2014-03-04", "", ""], ["d", "2016", "", "0", ""]]
    made = dataset_charts.resource_charts(resource(fields, rows, key=("id",)), "it", T)
    assert [c["id"] for c in made] == ["chart-synthetic-founded", "chart-synthetic-day", "chart-synthetic-amount"]
    founded, day, amount = made
    assert founded["rows"] == [["2012", "2"], ["2016", "1"], ["n/d", "1"]]
    assert len(svg_of(founded).findall(f"{SVG}rect")) == 3
    assert day["rows"] == [["2012", "1"], ["2013", "0"], ["2014", "2"]]  # a line, years without rows at 0
    line = svg_of(day)
    assert len(line.findall(f"{SVG}circle")) == 3 and line.find(f"{SVG}polyline") is not None
    assert amount["rows"] == [["a", "7"], ["b", "12"], ["d", "0"]]  # named by the key; unknown left out
    assert dataset_charts.resource_charts(resource([field("id"), field("note")], rows), "it", T) == []


def test_a_long_numeric_column_is_shown_as_ranges_counting_every_known_row():
    rows = [[f"r{i}", str(i % 100)] for i in range(1000)] + [["z", ""]]
    [chart] = dataset_charts.resource_charts(resource([field("id"), field("amount", "number")], rows), "it", T)
    assert len(chart["rows"]) == dataset_charts.BINS
    assert sum(int(count) for _, count in chart["rows"]) == 1000


def test_line_chart_points_rise_with_the_values():
    chart = charts.line_chart("c", "t", "d", "Anno", "Righe", [("2010", 1), ("2011", 3), ("2012", 2)])
    ys = [float(c.get("cy")) for c in svg_of(chart).findall(f"{SVG}circle")]
    assert ys[1] < ys[2] < ys[0]  # SVG y grows downwards
