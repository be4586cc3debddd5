"""`check --stale [--years N]` (issue 14): dated values older than N years, listed as
`path:line: field as of YYYY-MM (N years)` from the records and from the as_of columns of open-period data
tables; information only, so the command exits 0. Inputs: the synthetic fixture tests/fixtures/data-site/."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ntc_site import cli
from ntc_site.check import stale
from ntc_site.data import packages as datapackages
from ntc_site.load import config, content, records
from ntc_site.model import site as model

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "data-site"
TODAY = dt.date(2026, 11, 30)


def load_site(project: Path):
    cfg, _ = config.load(project / "content")
    recs, problems = records.load(project / "content")
    assert not problems
    packages, problems = datapackages.load(project / "datasets", recs, cfg)
    assert not problems, [p.format() for p in problems]
    pages, _ = content.load(project / "content")
    site, problems = model.build(cfg, recs, pages, packages, [], False)
    assert not problems
    return site


def _dated_package(project: Path, temporal: str) -> None:
    """A package with an as_of column; `temporal` is its period line (closed or open)."""
    folder = project / "datasets" / "dated"
    folder.mkdir()
    text = (project / "datasets/sample/package.yaml").read_text(encoding="utf-8")
    text = text[: text.index("timeline:")].replace("temporal: {start: 2020-01-31, end: 2023-06-15}", temporal)
    folder.joinpath("package.yaml").write_text(text + """resources:
  - name: dated
    title: {it: "Datata", en: "Dated"}
    description: {it: "Valori con data.", en: "Dated values."}
""", encoding="utf-8")
    folder.joinpath("dated.schema.yaml").write_text("""fields:
  - name: id
    type: string
    title: {it: "Id", en: "Id"}
    description: {it: "Identificativo.", en: "Identifier."}
  - name: as_of
    type: string
    title: {it: "Data", en: "As of"}
    description: {it: "Data del valore.", en: "Date of the value."}
primary_key: [id]
""", encoding="utf-8")
    folder.joinpath("dated.csv").write_text('id,as_of\nold,2019-05\n"multi\nline",2001\nnew,2026-10\nnone,\n',
                                            encoding="utf-8")


def test_age_counts_whole_years_from_the_latest_day_a_date_can_mean():
    assert stale.last_day("2019-05") == dt.date(2019, 5, 31)
    assert stale.last_day("2024") == dt.date(2024, 12, 31)
    assert stale.age_in_years("2019-05", TODAY) == 7
    assert stale.age_in_years("2024-11-30", TODAY) == 2
    assert stale.age_in_years("2024-12", TODAY) == 1


def test_record_values_are_listed_with_their_line(project: Path):
    found = [p.format() for p in stale.findings(load_site(project), TODAY, 2)]
    assert found == ["content/clusters/beta.yaml:11: president as of 2024-01 (2 years)",
                     "content/clusters/beta.yaml:12: members as of 2023 (2 years)"]


def test_the_threshold_and_the_day_decide(project: Path):
    site = load_site(project)
    assert stale.findings(site, dt.date(2025, 6, 1), 2) == []
    assert [p.message for p in stale.findings(site, dt.date(2025, 6, 1), 1)] == [
        "president as of 2024-01 (1 year)", "members as of 2023 (1 year)"]


def test_open_period_tables_are_listed_by_row_line_and_closed_periods_are_history(project: Path):
    _dated_package(project, "temporal: {start: 2001-01-01}")
    found = [p.format() for p in stale.findings(load_site(project), TODAY, 2) if "dated" in p.path]
    assert found == ["datasets/dated/dated.csv:2: old as of 2019-05 (7 years)",
                     "datasets/dated/dated.csv:3: multi\nline as of 2001 (24 years)"]


def test_a_closed_period_is_not_listed(project: Path):
    _dated_package(project, "temporal: {start: 2001-01-01, end: 2019-12-31}")
    assert not [p for p in stale.findings(load_site(project), TODAY, 2) if "dated" in p.path]


def test_the_command_lists_and_exits_0(project: Path, capsys):
    assert cli.main(["check", "--content", str(project / "content"), "--stale", "--years", "0"]) == 0
    out = capsys.readouterr().out
    assert "content/clusters/beta.yaml:11: president as of 2024-01 (" in out
    assert "2 values dated more than 0 years ago" in out
    assert cli.main(["check", "--content", str(project / "content")]) == 0
    assert not re.search(r": \w+ as of \d{4}", capsys.readouterr().out)  # without --stale nothing is listed


def test_the_command_still_fails_on_bad_input_and_refuses_negative_years(project: Path, capsys):
    file = project / "content/clusters/beta.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace('as_of: "2024-01"', 'as_of: "recent"'),
                    encoding="utf-8")
    assert cli.main(["check", "--content", str(project / "content"), "--stale"]) == 1
    assert "beta.yaml:11" in capsys.readouterr().err
    assert cli.main(["check", "--content", str(project / "content"), "--stale", "--years", "-1"]) == 2
