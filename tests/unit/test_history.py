"""Each cluster page tells its history from the published packages (issue 14): ranking and score, members over
time (an SVG line chart with the same numbers as a table), funding figures with what each measures, and the
recognition steps, each row with its source; amounts in words per language with Babel.

Inputs: the repository's own content/ and datasets/ (the published data), read as the build reads them."""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ntc_site.data import packages as datapackages
from ntc_site.load import config, content, records
from ntc_site.load.strings import load_strings
from ntc_site.model import site as model
from ntc_site.render import charts, history, views

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def site():
    cfg, _ = config.load(ROOT / "content")
    recs, _ = records.load(ROOT / "content")
    packages, problems = datapackages.load(ROOT / "datasets", recs, cfg)
    assert not problems
    pages, _ = content.load(ROOT / "content")
    built, problems = model.build(cfg, recs, pages, packages, [], False)
    assert not problems
    return built


@pytest.fixture(scope="module")
def strings():
    tables, problems = load_strings(ROOT / "templates")
    assert not problems
    return tables


def page_of(site, strings, cluster_id: str, lang: str) -> dict:
    return views.cluster_page(site, site.by_key(f"cluster:{cluster_id}", lang), strings[lang])


def section(page: dict, key: str) -> list[list[str]]:
    found = next((s for s in page["history"] if s["id"] == key), None)
    return [[cell["text"] for cell in row] for row in found["rows"]] if found else []


def csv_rows(name: str) -> list[dict[str, str]]:
    folder = name.split("/")[0]
    with (ROOT / "datasets" / folder / f"{name.split('/')[1]}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(("value", "it", "en"), [
    (408_000_000, "408 milioni di euro", "€408 million"),
    (39_200_000, "39,2 milioni di euro", "€39.2 million"),
    (1_100_000_000, "1,1 miliardi di euro", "€1.1 billion"),
    (242_500, "242.500 euro", "€242,500"),
    (344_750_000, "344.750.000 euro", "€344,750,000"),  # a compact form would round: every digit instead
])
def test_amounts_in_words_per_language(strings, value, it, en):
    assert history.amount_text(value, "it", strings["it"]) == it
    assert history.amount_text(value, "en", strings["en"]) == en


def test_ranking_and_score_of_each_call(site, strings):
    assert section(page_of(site, strings, "fabbrica-intelligente", "it"), "history-selection")[0][:4] == [
        "2012", "CFI - Cluster Fabbrica Intelligente", "1", "330"]
    assert section(page_of(site, strings, "made-in-italy", "en"), "history-selection")[0][:4] == [
        "2016", "Design next Made in Italy", "1 in its area", "148"]
    assert section(page_of(site, strings, "energia", "en"), "history-selection")[0][3] == "n/a"  # score cut off


def test_every_member_count_of_the_package_is_on_its_cluster_page(site, strings):
    rows = [r for r in csv_rows("members-over-time/members-over-time") if r["value_kind"] == "source"]
    for cluster in site.records.clusters:
        own = [r for r in rows if r["cluster_id"] == cluster.id]
        for lang in ("it", "en"):
            shown = section(page_of(site, strings, cluster.id, lang), "history-members")
            assert len(shown) == len(own)
            assert sorted(r[2] for r in shown) == sorted(r[f"counted_{lang}"] for r in own)


def test_members_chart_is_an_svg_line_with_the_same_numbers_as_its_table(site, strings):
    page = page_of(site, strings, "fabbrica-intelligente", "it")
    [chart] = page["charts"]
    assert chart["rows"] == [["dicembre 2012", "274"], ["maggio 2021", "310"]]
    svg = ET.fromstring(chart["svg"])
    assert svg.find(f"{SVG}title").text == strings["it"]["history_members_chart"] and svg.find(f"{SVG}desc") is not None
    assert len(svg.findall(f"{SVG}polyline")) == 1 and len(svg.findall(f"{SVG}circle")) == 2
    assert {"274", "310"} <= {t.text for t in svg.findall(f"{SVG}text")}
    assert not any("style" in element.attrib for element in svg.iter())
    # different counts (promoters, network) are never drawn on the members line
    assert page_of(site, strings, "trasporti", "it")["charts"] == []


def test_funding_figures_keep_what_they_measure_and_their_source(site, strings):
    rows = section(page_of(site, strings, "smart-communities", "en"), "history-funding")
    assert ["Reported amount (2012 call)", "€39.2 million",
            "total funding confirmed by the MIUR decree for the four projects", "undated",
            "piemonteinnova.it"] in rows
    energia = section(page_of(site, strings, "energia", "it"), "history-funding")
    assert any(r[1] == "circa 2 milioni di euro" for r in energia), energia


def test_recognition_steps_with_the_act(site, strings):
    rows = section(page_of(site, strings, "chimica-verde", "it"), "history-recognition")
    assert any("393/2019" in r[2] and r[0] == "27 maggio 2019" for r in rows), rows


def test_sources_are_links(site, strings):
    page = page_of(site, strings, "smart-communities", "it")
    for part in page["history"]:
        for row in part["rows"]:
            assert row[-1]["href"].startswith(("http://", "https://"))


def test_line_chart_is_generic():
    chart = charts.line_chart("c", "T", "D", "x", "y", [("a", 1), ("b", 3), ("c", 2)])
    svg = ET.fromstring(chart["svg"])
    assert svg.get("aria-labelledby") == "c-title c-desc" and len(svg.findall(f"{SVG}circle")) == 3
    assert chart["rows"] == [["a", "1"], ["b", "3"], ["c", "2"]]
