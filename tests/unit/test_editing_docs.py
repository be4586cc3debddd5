"""The editors' guide (docs/editing.md and its English version) stays true to the code: every front matter
field, record field and allowed HTML element is documented, and the strict findings it lists exist."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ntc_site.check import linkcheck, strict
from ntc_site.load import content
from ntc_site.load.records import SPECS
from ntc_site.render import markup

ROOT = Path(__file__).resolve().parents[2]
GUIDES = [ROOT / "docs" / "editing.md", ROOT / "docs" / "editing.en.md"]


@pytest.fixture(params=GUIDES, ids=lambda p: p.name)
def guide(request) -> str:
    return request.param.read_text(encoding="utf-8")


def test_every_front_matter_field_is_in_the_table(guide: str) -> None:
    for name, _ in content.FRONT_MATTER_SPEC.fields:
        assert re.search(rf"^\| `{name}` \|", guide, re.M), name


def test_every_record_field_is_documented(guide: str) -> None:
    for spec in SPECS.values():
        for name, _ in spec.fields:
            assert f"`{name}`" in guide, name


def test_the_allowed_html_list_is_exactly_the_sanitiser_allow_list(guide: str) -> None:
    section = guide[guide.index("## 11."):guide.index("## 12.")]
    listed = next(part for part in section.split("\n\n") if part.startswith("`a`"))
    assert set(re.findall(r"`([a-z0-9]+)`", listed)) == markup.ALLOWED_TAGS


def test_strict_messages_in_the_guide_are_produced_by_the_code(guide: str) -> None:
    code = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in (strict, linkcheck))
    code = re.sub(r"\"\s*\n\s*f?\"", "", code)  # join string literals continued on the next line
    section = guide[guide.index("## 8."):guide.index("## 9.")]
    for message in re.findall(r"^\| `([^`]+)` \|", section, re.M):
        words = [w.strip() for w in re.split(r"'[^']*'|…|\(|\)|\d+", message) if len(w.strip()) > 3]
        assert words and all(w in code for w in words), message


def test_no_unfilled_parts(guide: str) -> None:
    assert "MEASUREMENTS" not in guide
