from pathlib import Path

from ntc_site.load import records

AREA = """name: {it: Alfa, en: Alpha}
description: {it: Descrizione., en: Description.}
call_year: 2012
sources:
  - {url: "https://example.org/a", fields: [name, description, call_year]}
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


def _with_founded_on(root: Path, value: str) -> Path:
    write(root)
    file = root / "clusters" / "alfa.yaml"
    file.write_text(file.read_text().replace("founded: 2012\n", f"founded: 2012\nfounded_on: {value}\n")
                    .replace("founded, ", "founded, founded_on, "))
    return root


def test_founding_day_loads_as_iso_text_at_any_precision(tmp_path: Path):
    for value, expected in (("2012-09-25", "2012-09-25"), ('"2012-09"', "2012-09")):
        folder = tmp_path / expected
        recs, problems = records.load(_with_founded_on(folder, value))
        assert not problems and recs.clusters[0].founded_on == expected


def test_founding_day_must_be_an_iso_date_in_the_founding_year(tmp_path: Path):
    _, problems = records.load(_with_founded_on(tmp_path / "a", '"25/09/2012"'))
    assert problems[0].line == 6 and "YYYY-MM-DD" in problems[0].message
    _, problems = records.load(_with_founded_on(tmp_path / "b", '"2012-13"'))
    assert problems[0].line == 6 and "YYYY-MM" in problems[0].message
    _, problems = records.load(_with_founded_on(tmp_path / "c", "2013-01-05"))
    assert problems[0].line == 6 and "is not in the year 'founded' gives (2012)" in problems[0].message
