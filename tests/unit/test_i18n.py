import datetime as dt
from pathlib import Path

from ntc_site import languages
from ntc_site.load.strings import load_strings

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_string_tables_have_the_same_keys():
    tables, problems = load_strings(ROOT / "templates")
    assert not problems
    assert set(tables["it"]) == set(tables["en"])


def test_missing_key_in_one_language_is_located(tmp_path: Path):
    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "it.yaml").write_text("a: uno\nb: due\n")
    (tmp_path / "i18n" / "en.yaml").write_text("a: one\n")
    _, problems = load_strings(tmp_path)
    assert len(problems) == 1
    assert problems[0].path.endswith("it.yaml") and problems[0].line == 2 and "'b'" in problems[0].message


def test_dates_and_numbers_follow_the_locale():
    day = dt.date(2024, 3, 5)
    assert languages.date_text(day, "it") == "5 marzo 2024"
    assert languages.date_text(day, "en") == "March 5, 2024"
    assert languages.number_text(1234567, "it") == "1.234.567"
    assert languages.size_text(12345, "it") == "12,3 kB" and languages.size_text(12345, "en") == "12.3 kB"


def test_iso_dates_read_at_their_own_precision():
    from ntc_site.languages import iso_date_text
    assert iso_date_text("2014-02-07", "it") == "7 febbraio 2014"
    assert iso_date_text("2014-02-07", "en") == "February 7, 2014"
    assert iso_date_text("2012-09", "it") == "settembre 2012"
    assert iso_date_text("2012-09", "en") == "September 2012"
    assert iso_date_text("2012", "en") == "2012"
