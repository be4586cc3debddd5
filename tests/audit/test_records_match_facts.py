"""The area and cluster records in content/ agree with the vetted facts file.

The facts file (../shared/reference/clusters-facts.yaml, outside the repository: `make audit`) is the
reference: every value in content/clusters/*.yaml must equal the facts' value (null where
the facts say null), and every non-null value must be listed under a source whose URL is
the one the facts give for it.
"""
import re
from pathlib import Path

import pytest
import reference
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
FACTS_PATH = reference.file("clusters-facts.yaml")
FACTS = yaml.safe_load(FACTS_PATH.read_text(encoding="utf-8"))
FACT_CLUSTERS = {c["id"]: c for c in FACTS["clusters"]}
GENERAL = FACTS["general"]

CLUSTER_KEYS = {
    "acronym", "name", "area", "website", "founded", "founded_on", "call_year", "selection_year", "pnr_area",
    "recognition_decree", "headquarters", "legal_form", "president", "members", "description", "sources",
}
AREA_KEYS = {"name", "description", "call_year", "pnr_group", "sources"}
PNR_GROUPS = {"aree_prioritarie": "priority", "aree_ad_alto_potenziale": "high-potential",
              "aree_in_transizione": "in-transition", "aree_consolidate": "consolidated"}

# record field -> the facts it is made of
FIELD_FACTS = {
    "acronym": ["acronym"],
    "name": ["name_it", "name_en"],
    "area": ["strategic_area_it", "strategic_area_en"],
    "website": ["website"],
    "founded": ["founded"],
    "founded_on": ["founded"],
    "call_year": [],  # not a per-cluster fact: the general facts of the 2012 and 2016 calls, see call_year()
    "selection_year": ["selected_by_miur"],
    "pnr_area": ["pnr_2015_2020_area"],
    "recognition_decree": ["recognition_decree"],
    "headquarters": ["headquarters_city", "headquarters_region"],
    "legal_form": ["legal_form"],
    "president": ["president"],
    "members": ["members"],
    "description": ["description_it", "description_en"],
}


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def call_year(fact):
    """The call a cluster answered: the first eight were selected in 2012, the last four (2017) by the 2016 call."""
    return {2012: 2012, 2017: 2016}.get(value(fact, "selected_by_miur"))


def call_year_source(fact):
    if call_year(fact) == 2012:
        return GENERAL["call_2012"]["clusters_selected"]["source"]
    return GENERAL["call_2016"]["ranking_top_proposals"]["source"]


def seat(fact):
    """The kind of seat the facts' note names for the headquarters city; None when it says none."""
    note = (fact.get("headquarters_city") or {}).get("note") or ""
    return "operational" if "sede operativa" in note else "registered" if "sede legale" in note else None


def value(cluster, key):
    fact = cluster.get(key)
    return None if fact is None else fact.get("value")


def source(cluster, key):
    fact = cluster.get(key)
    if fact is None or fact.get("value") is None:
        return None
    return fact.get("source")


def record_files(kind):
    return {p.stem: p for p in sorted((CONTENT / kind).glob("*.yaml"))}


def is_empty(field_value):
    if field_value is None:
        return True
    if isinstance(field_value, dict):
        return all(v is None for v in field_value.values())
    return False


def covered(record):
    """{field: set of source URLs that list it}."""
    result = {}
    for entry in record.get("sources") or []:
        for field in entry.get("fields") or []:
            result.setdefault(field, set()).add(entry.get("url"))
    return result


def numbers(text):
    return sorted(re.findall(r"\d+", str(text)))


@pytest.fixture(params=sorted(FACT_CLUSTERS), name="cid")
def _cid(request):
    return request.param


def test_every_cluster_in_the_facts_has_a_record(cid):
    assert (CONTENT / "clusters" / f"{cid}.yaml").is_file(), f"missing content/clusters/{cid}.yaml"


def test_no_record_for_a_cluster_not_in_the_facts():
    extra = set(record_files("clusters")) - set(FACT_CLUSTERS)
    assert not extra, f"cluster records not in the facts file: {sorted(extra)}"


def test_cluster_record_has_exactly_the_schema_keys(cid):
    record = load(CONTENT / "clusters" / f"{cid}.yaml")
    assert set(record) - {"founded_on"} == CLUSTER_KEYS - {"founded_on"}


def test_cluster_values_equal_the_facts(cid):
    fact = FACT_CLUSTERS[cid]
    record = load(CONTENT / "clusters" / f"{cid}.yaml")
    assert record["acronym"] == value(fact, "acronym")
    assert record["name"]["it"] == value(fact, "name_it")
    assert record["name"]["en"] == value(fact, "name_en")
    assert record["website"] == value(fact, "website")
    assert record["founded"] == value(fact, "founded")
    assert record.get("founded_on") == (fact.get("founded") or {}).get("date")
    assert record["selection_year"] == value(fact, "selected_by_miur")
    assert record["call_year"] == call_year(fact)
    assert record["pnr_area"] == value(fact, "pnr_2015_2020_area")
    assert record["recognition_decree"] == value(fact, "recognition_decree")
    headquarters = record["headquarters"] or {}
    assert headquarters.get("city") == value(fact, "headquarters_city")
    assert headquarters.get("region") == value(fact, "headquarters_region")
    assert headquarters.get("seat") == seat(fact)
    assert record["legal_form"] == value(fact, "legal_form")
    if value(fact, "president") is None:
        assert record["president"] is None
    else:
        assert record["president"]["name"] == value(fact, "president")
        # the facts write "2023-12 (elected for 2024-2026)": the record keeps the ISO date and the note apart
        note = record["president"].get("note")
        as_of = record["president"]["as_of"] + (f" ({note['en']})" if note else "")
        assert as_of == fact["president"].get("as_of")


def test_cluster_area_is_its_own_id_and_exists(cid):
    record = load(CONTENT / "clusters" / f"{cid}.yaml")
    assert record["area"] == cid
    assert (CONTENT / "areas" / f"{record['area']}.yaml").is_file()


def test_members_translate_the_facts_without_new_numbers(cid):
    fact = FACT_CLUSTERS[cid]
    record = load(CONTENT / "clusters" / f"{cid}.yaml")
    if value(fact, "members") is None:
        assert record["members"] is None
        return
    members = record["members"]
    assert members["as_of"] == fact["members"].get("as_of")
    expected = numbers(value(fact, "members"))
    assert numbers(members["it"]) == expected, members["it"]
    assert numbers(members["en"]) == expected, members["en"]


def test_descriptions_exist_in_both_languages(cid):
    record = load(CONTENT / "clusters" / f"{cid}.yaml")
    assert record["description"]["it"].strip() and record["description"]["en"].strip()
    fact = FACT_CLUSTERS[cid]
    # our own words: not a copy of the facts' summary
    assert record["description"]["it"] != value(fact, "description_it")
    assert record["description"]["en"] != value(fact, "description_en")


def test_every_non_null_cluster_field_is_covered_by_its_facts_source(cid):
    fact = FACT_CLUSTERS[cid]
    record = load(CONTENT / "clusters" / f"{cid}.yaml")
    urls = covered(record)
    for field, fact_keys in FIELD_FACTS.items():
        if is_empty(record.get(field)):
            continue
        wanted = [source(fact, k) for k in fact_keys if source(fact, k)] if fact_keys else [call_year_source(fact)]
        assert wanted, f"{cid}.{field} has a value but the facts have none"
        for url in wanted:
            assert url in urls.get(field, set()), f"{cid}.{field}: source {url} not listed"


def test_cluster_sources_only_cite_the_facts_source_for_each_field(cid):
    fact = FACT_CLUSTERS[cid]
    record = load(CONTENT / "clusters" / f"{cid}.yaml")
    seen = set()
    for entry in record["sources"]:
        assert entry["url"] not in seen, f"{cid}: {entry['url']} listed twice"
        seen.add(entry["url"])
        assert entry.get("title"), f"{cid}: source without title"
        for field in entry["fields"]:
            assert field in FIELD_FACTS, f"{cid}: unknown field {field!r}"
            allowed = ({source(fact, k) for k in FIELD_FACTS[field]} - {None}) or {call_year_source(fact)}
            assert entry["url"] in allowed, f"{cid}.{field}: {entry['url']} is not its facts source"


def test_the_twelve_areas_exist_and_nothing_else():
    assert set(record_files("areas")) == set(FACT_CLUSTERS)
    assert len(FACT_CLUSTERS) == 12 == value(GENERAL, "number_of_clusters")


def test_area_names_and_year_match_the_facts(cid):
    fact = FACT_CLUSTERS[cid]
    area = load(CONTENT / "areas" / f"{cid}.yaml")
    assert set(area) == AREA_KEYS
    assert area["name"]["it"] == value(fact, "strategic_area_it")
    assert area["name"]["en"] == value(fact, "strategic_area_en")
    assert area["description"]["it"].strip() and area["description"]["en"].strip()
    urls = covered(area)
    assert source(fact, "strategic_area_it") in urls.get("name", set())
    assert source(fact, "strategic_area_en") in urls.get("name", set())
    # call_year: the first call whose list of areas names it (energy was already in the 2012 list)
    name = value(fact, "strategic_area_it").lower()
    calls = [(2012, GENERAL["call_2012"]["areas_in_call_it"]), (2016, GENERAL["call_2016"]["areas_it"])]
    year, where = next((y, f) for y, f in calls if name in [n.lower() for n in f["value"]])
    assert area["call_year"] == year
    assert where["source"] in urls.get("call_year", set()), f"{cid}: call_year has no facts source"
    # pnr_group: the PNR 2015-2020 group that lists the area's PNR name
    groups = GENERAL["pnr_2015_2020"]["areas_by_group"]
    group = next(g for g, names in groups["value"].items() if value(fact, "pnr_2015_2020_area") in names)
    assert area["pnr_group"] == PNR_GROUPS[group]
    assert groups["source"] in urls.get("pnr_group", set())
    assert urls.get("description"), f"{cid}: description has no source"
