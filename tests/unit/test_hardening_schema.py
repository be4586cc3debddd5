"""Record fields that hold URLs accept only absolute http(s) addresses (issue 9)."""
from __future__ import annotations

import pytest

from ntc_site.load import records, yamlfile
from ntc_site.load import specs as schema


@pytest.mark.parametrize("url", ["https://example.org/", "http://example.org/a?b=c#d", "HTTPS://EXAMPLE.ORG"])
def test_http_urls_are_accepted(url: str):
    assert schema.url_problem(url) == ""


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT://example.org/%0aalert(1)", "vbscript:x",
                                 "data:text/html,x", "file:///etc/passwd", "ftp://example.org/", "//example.org/",
                                 "/relative", "https://", "https:/example.org", "http://exa mple.org/",
                                 "http://[::1", "mailto:a@example.org"])
def test_other_urls_are_refused(url: str):
    assert schema.url_problem(url)


def test_control_characters_in_urls_are_escaped_in_the_message():
    assert "\x1b" not in schema.url_problem("javascript:\x1b[2J")


@pytest.mark.parametrize("field, value, line", [
    ("website", "javascript:alert(1)", 3), ("website", "data:text/html;base64,PHNjcmlwdD4=", 3),
    ("sources.0.url", "vbscript:msgbox(1)", 11),
])
def test_dangerous_urls_in_records_are_located(field: str, value: str, line: int):
    text = """acronym: X
name: {it: X, en: null}
website: "https://example.org/"
area: a
founded: null
headquarters: null
legal_form: null
description: {it: d, en: d}
sources:
  - title: s
    url: "https://example.org/s"
    fields: [acronym, name, area, website, description]
"""
    if field == "website":
        text = text.replace('website: "https://example.org/"', f'website: "{value}"')
    else:
        text = text.replace('url: "https://example.org/s"', f'url: "{value}"')
    doc, problems = yamlfile.parse(text, "clusters/x.yaml")
    assert problems == []
    _, problems = schema.validate(doc, records.CLUSTER_SPEC)
    assert [(p.path, p.line) for p in problems] == [("clusters/x.yaml", line)]
    assert "http:// or https://" in problems[0].message
