"""House style of the built-in content (issue 14), read as plain text from content/ and templates/i18n/.

- One marker for an unknown value per language: "n/d" in Italian, "n/a" in English.
- One spelling of "Made in Italy" and of "Accordi di Programma" / "Accordo di Programma".
- No " e è " in Italian (it is "ed è").

The one allowed exception is the Italian name of the strategic area, "Design, creatività e made in
Italy": it is copied verbatim from the facts file (strategic_area_it, as spelled in the Gazzetta
Ufficiale) and test_records_match_facts.py requires it to stay equal to the facts.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
I18N = ROOT / "templates" / "i18n"

OFFICIAL_AREA_NAME_IT = "Design, creatività e made in Italy"

MARKER = {"it": "n/d", "en": "n/a"}
OTHER = {"it": "n/a", "en": "n/d"}


def _strings(node):
    """Every string in a parsed YAML document, with the language key it sits under (or None)."""
    if isinstance(node, dict):
        if set(node) <= {"it", "en"}:
            for lang, value in node.items():
                for _, text in _strings(value):
                    yield lang, text
        else:
            for value in node.values():
                yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield None, node


def texts() -> list[tuple[str, str | None, str]]:
    """(where, language or None, text) for every Markdown page, record and interface string file."""
    found: list[tuple[str, str | None, str]] = []
    for lang in ("it", "en"):
        for path in sorted((CONTENT / lang).rglob("*.md")):
            found.append((str(path.relative_to(ROOT)), lang, path.read_text(encoding="utf-8")))
        path = I18N / f"{lang}.yaml"
        found.append((str(path.relative_to(ROOT)), lang, path.read_text(encoding="utf-8")))
    for path in sorted(CONTENT.rglob("*.yaml")):
        where = str(path.relative_to(ROOT))
        for lang, text in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            found.append((where, lang, text))
    return found


TEXTS = texts()


def test_the_content_is_found() -> None:
    langs = {lang for _, lang, _ in TEXTS}
    assert {"it", "en"} <= langs
    assert any(where.endswith("perche-i-cluster.md") for where, _, _ in TEXTS)


def _marker(text: str, marker: str) -> bool:
    return re.search(rf"(?<![\w/]){re.escape(marker)}(?![\w/])", text) is not None


@pytest.mark.parametrize("lang", ["it", "en"])
def test_one_marker_for_unknown_values_per_language(lang: str) -> None:
    wrong = [where for where, text_lang, text in TEXTS if text_lang == lang and _marker(text, OTHER[lang])]
    assert not wrong, f"'{OTHER[lang]}' in {lang} text (write '{MARKER[lang]}'): {sorted(set(wrong))}"


@pytest.mark.parametrize("lang", ["it", "en"])
def test_interface_strings_use_the_language_marker(lang: str) -> None:
    strings = yaml.safe_load((I18N / f"{lang}.yaml").read_text(encoding="utf-8"))
    assert strings["unknown"] == MARKER[lang]


def test_one_spelling_of_made_in_italy() -> None:
    wrong = []
    for where, _, text in TEXTS:
        text = text.replace(OFFICIAL_AREA_NAME_IT, "")
        wrong += [f"{where}: {m.group(0)!r}" for m in re.finditer(r"made\s+in\s+italy", text, re.I)
                  if m.group(0) != "Made in Italy"]
    assert not wrong, wrong


def test_one_spelling_of_accordi_di_programma() -> None:
    wrong = []
    for where, _, text in TEXTS:
        wrong += [f"{where}: {m.group(0)!r}" for m in re.finditer(r"accord[oi]\s+di\s+programma", text, re.I)
                  if m.group(0) not in ("Accordi di Programma", "Accordo di Programma")]
    assert not wrong, wrong


def test_no_e_before_e_grave_in_italian() -> None:
    wrong = [where for where, lang, text in TEXTS if lang == "it" and re.search(r"\be\s+è\b", text)]
    assert not wrong, f"' e è ' in Italian text (write 'ed è'): {sorted(set(wrong))}"
