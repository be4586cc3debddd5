"""Languages: interface strings (one table per language, with parity enforced) and locale formatting.

Templates never hold words: every label comes from `templates/i18n/<lang>.yaml`, so a missing
translation is a build error instead of a stray Italian word on an English page.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Mapping

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from . import yamlfile
from .problems import Problem
from .schema import LANGUAGES

Strings = Mapping[str, Mapping[str, str]]  # lang -> key -> text


def load_strings(templates_dir: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    tables: dict[str, dict[str, str]] = {}
    docs: dict[str, yamlfile.YamlDoc] = {}
    problems: list[Problem] = []
    for lang in LANGUAGES:
        file = templates_dir / "i18n" / f"{lang}.yaml"
        display = yamlfile.display_path(file)
        if not file.is_file():
            problems.append(Problem(display, 0, 0, f"missing interface strings for '{lang}'"))
            continue
        doc, found = yamlfile.load_file(file, display)
        problems += found
        if doc is None:
            continue
        if not isinstance(doc.data, dict):
            problems.append(doc.problem((), "expected 'key: text' lines"))
            continue
        for key, value in doc.data.items():
            if not isinstance(value, str) or not value.strip():
                problems.append(doc.problem((key,), f"interface string '{key}' must be non-empty text"))
        tables[lang] = {k: v for k, v in doc.data.items() if isinstance(v, str)}
        docs[lang] = doc
    problems += parity_problems(docs)
    return tables, problems


def parity_problems(docs: Mapping[str, yamlfile.YamlDoc]) -> list[Problem]:
    """A key present in one table must be present in all of them."""
    problems = []
    keys = {lang: set(doc.data) for lang, doc in docs.items() if isinstance(doc.data, dict)}
    for lang, own in keys.items():
        for other, theirs in keys.items():
            for key in sorted(own - theirs):
                problems.append(docs[lang].problem((key,), f"interface string '{key}' has no '{other}' version",
                                                   f"add it to templates/i18n/{other}.yaml"))
    return problems


def date_text(value: dt.date | None, lang: str) -> str:
    return format_date(value, format="long", locale=lang) if value else ""


def iso_date_text(value: str, lang: str) -> str:
    """An ISO 8601 date at year, month or day precision for readers: '7 febbraio 2014', 'September 2012'."""
    parts = [int(x) for x in value.split("-")]
    if len(parts) == 1:
        return value
    if len(parts) == 2:
        return format_skeleton("yMMMM", dt.date(parts[0], parts[1], 1), locale=lang)
    return date_text(dt.date(*parts), lang)


def number_text(value: float | int, lang: str) -> str:
    return format_decimal(value, locale=lang)


def size_text(size: int, lang: str) -> str:
    """A byte count for readers: '1,2 kB' in Italian, '1.2 kB' in English (SI units)."""
    for unit, step in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= step:
            return f"{format_decimal(round(size / step, 1), locale=lang)} {unit}"
    return f"{format_decimal(size, locale=lang)} B"


def other_language(lang: str) -> str:
    return LANGUAGES[1] if lang == LANGUAGES[0] else LANGUAGES[0]
