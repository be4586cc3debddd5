import datetime as dt

from ntc_site.load import yamlfile
from ntc_site.load.specs import mapping, opt, req, url_problem, validate

SPEC = mapping(("website", opt("url")), ("name", req("text")), ("founded", opt("year")),
               ("when", opt("date")), ("draft", opt("bool")))


def check(text: str):
    doc, problems = yamlfile.parse(text, "r.yaml")
    assert doc is not None, problems
    return validate(doc, SPEC)


def test_unknown_field_suggests_the_closest_one():
    _, problems = check("name: {it: a, en: b}\nwebiste: https://x.org\n")
    assert problems[0].message == "unknown field 'webiste'"
    assert problems[0].hint == "did you mean 'website'?" and problems[0].line == 2


def test_missing_required_field():
    _, problems = check("website: https://x.org\n")
    assert "missing required field 'name'" in problems[0].message


def test_text_needs_both_languages():
    _, problems = check("name: {it: solo}\n")
    assert problems[0].message == "'name.en' is missing"


def test_wrong_types_are_each_reported():
    _, problems = check("name: {it: a, en: b}\nfounded: recently\nwhen: yesterday\ndraft: maybe\n")
    assert [p.line for p in problems] == [2, 3, 4]


def test_non_http_urls_are_refused():
    _, problems = check("name: {it: a, en: b}\nwebsite: javascript:alert(1)\n")
    assert "http" in problems[0].message
    assert url_problem("ftp://x.org") and url_problem("https://") and not url_problem("https://x.org/a")


def test_valid_document_is_cleaned():
    value, problems = check("name: {it: ' a ', en: b}\nwhen: 2024-05-01\n")
    assert not problems
    assert value["name"] == {"it": "a", "en": "b"} and value["when"] == dt.date(2024, 5, 1)
    assert value["website"] is None
