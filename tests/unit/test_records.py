from pathlib import Path

from ntc_site import records

AREA = """name: {it: Alfa, en: Alpha}
description: {it: Descrizione., en: Description.}
since: 2012
sources:
  - {url: "https://example.org/a", fields: [name, description, since]}
"""
CLUSTER = """acronym: ALF
name: {{it: Cluster Alfa, en: null}}
area: {area}
website: {website}
founded: 2012
description: {{it: Testo., en: Text.}}
sources:
  - {{url: "https://example.org/b", fields: [acronym, name, area, website, founded, description]}}
"""


def write(root: Path, area: str = "alfa", website: str = "https://example.org") -> Path:
    (root / "areas").mkdir(parents=True)
    (root / "clusters").mkdir()
    (root / "areas" / "alfa.yaml").write_text(AREA)
    (root / "clusters" / "alfa.yaml").write_text(CLUSTER.format(area=area, website=website))
    return root


def test_valid_records_load(tmp_path: Path):
    recs, problems = records.load(write(tmp_path))
    assert not problems
    assert recs.clusters[0].display_name("en") == "Cluster Alfa"
    assert recs.clusters_in("alfa")[0].acronym == "ALF"


def test_unknown_area_id_has_hint_and_line(tmp_path: Path):
    _, problems = records.load(write(tmp_path, area="alfaa"))
    assert problems[0].message == "unknown area id 'alfaa'" and problems[0].line == 3
    assert problems[0].hint == "did you mean 'alfa'?"


def test_non_http_website_is_refused(tmp_path: Path):
    _, problems = records.load(write(tmp_path, website="javascript:alert(1)"))
    assert problems[0].line == 4 and "http" in problems[0].message


def test_fact_without_source_is_refused(tmp_path: Path):
    write(tmp_path)
    file = tmp_path / "clusters" / "alfa.yaml"
    file.write_text(file.read_text().replace("founded, ", ""))
    _, problems = records.load(tmp_path)
    assert problems[0].message == "'founded' has no source" and problems[0].line == 5
