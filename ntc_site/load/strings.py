"""Interface strings: one table per language in `templates/i18n/<lang>.yaml`, with parity enforced.

Templates never hold words: every label comes from these tables, so a missing translation is a build
error instead of a stray Italian word on an English page.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

from ..languages import LANGUAGES
from ..problems import Problem
from . import yamlfile


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
