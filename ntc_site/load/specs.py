"""The shapes of every editor-written YAML value, declared once, and one validator for all of them.

Front matter, `site.yaml`, area and cluster records and dataset metadata are all checked here, so an
editor gets the same kind of message for the same kind of mistake wherever it is made.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..languages import LANGUAGES
from ..problems import Problem, did_you_mean
from ..processing import processing
from .yamlfile import KeyPath, YamlDoc, load_file

_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass(frozen=True)
class Spec:
    """What one value must look like.

    kind: str, int, year, bool, date, isodate (YYYY, YYYY-MM or YYYY-MM-DD), url, email, id,
    text (one string per language), list, map.
    """

    kind: str
    required: bool = False
    nullable: bool = True
    fields: tuple[tuple[str, "Spec"], ...] = ()
    item: "Spec | None" = None
    choices: tuple[str, ...] = ()
    partial: bool = False  # text: a language may be null (e.g. an official name with no translation)
    doc: str = ""


def req(kind: str, **kw: Any) -> Spec:
    return Spec(kind, required=True, nullable=False, **kw)


def opt(kind: str, **kw: Any) -> Spec:
    return Spec(kind, **kw)


def mapping(*fields: tuple[str, Spec], required: bool = False, nullable: bool = True) -> Spec:
    return Spec("map", required=required, nullable=nullable, fields=fields)


def validate(doc: YamlDoc, spec: Spec) -> tuple[Any, list[Problem]]:
    """Check a whole document against a map spec; returns the cleaned value and every problem."""
    problems: list[Problem] = []
    if not isinstance(doc.data, dict):
        return None, [doc.problem((), "expected a mapping of 'key: value' lines")]
    return _check(doc, doc.data, spec, (), problems), problems


def load_checked(file: Path, display: str, spec: Spec) -> tuple[YamlDoc | None, Any, list[Problem]]:
    """Read one editor-written YAML file and check it against `spec`: the document (for later located
    problems), its cleaned value, and every problem; the value is None when the file cannot be read."""
    doc, problems = load_file(file, display)
    if doc is None:
        return None, None, problems
    with processing(display):
        value, problems = validate(doc, spec)
    return doc, value, problems


def _name(keypath: KeyPath) -> str:
    return ".".join(str(k) for k in keypath) or "document"


def _check(doc: YamlDoc, value: Any, spec: Spec, keypath: KeyPath, problems: list[Problem]) -> Any:
    name = _name(keypath)
    if value is None:
        if not spec.nullable:
            problems.append(doc.problem(keypath, f"'{name}' must have a value"))
        return None
    kind = spec.kind
    if kind == "map":
        return _check_map(doc, value, spec, keypath, problems)
    if kind == "list":
        if not isinstance(value, list):
            problems.append(doc.problem(keypath, f"'{name}' must be a list"))
            return None
        assert spec.item is not None
        return tuple(_check(doc, v, spec.item, keypath + (i,), problems) for i, v in enumerate(value))
    if kind == "text":
        return _check_text(doc, value, spec, keypath, problems)
    if kind == "isodate" and isinstance(value, (dt.date, int)) and not isinstance(value, (dt.datetime, bool)):
        value = value.isoformat() if isinstance(value, dt.date) else str(value)  # YAML reads 2014-02-07 as a date
    message = _scalar_problem(value, spec)
    if message:
        hint = did_you_mean(str(value), spec.choices) if spec.choices else ""
        problems.append(doc.problem(keypath, f"'{name}' {message}", hint))
        return None
    return value.strip() if isinstance(value, str) else value


def _check_map(doc: YamlDoc, value: Any, spec: Spec, keypath: KeyPath, problems: list[Problem]) -> Any:
    name = _name(keypath)
    if not isinstance(value, dict):
        problems.append(doc.problem(keypath, f"'{name}' must be a mapping of 'key: value' lines"))
        return None
    known = dict(spec.fields)
    for key in value:
        if key not in known:
            hint = did_you_mean(str(key), known) or "allowed: " + ", ".join(known)
            problems.append(doc.problem(keypath + (key,), f"unknown field '{key}'", hint))
    result = {}
    for key, sub in spec.fields:
        if key not in value:
            if sub.required:
                where = f" in '{name}'" if keypath else ""
                problems.append(doc.problem(keypath, f"missing required field '{key}'{where}"))
            result[key] = None
            continue
        result[key] = _check(doc, value[key], sub, keypath + (key,), problems)
    return result


def _check_text(doc: YamlDoc, value: Any, spec: Spec, keypath: KeyPath, problems: list[Problem]) -> Any:
    name = _name(keypath)
    if not isinstance(value, dict):
        problems.append(doc.problem(keypath, f"'{name}' must give one text per language",
                                    "write it as {it: '…', en: '…'}"))
        return None
    result = {}
    for key in value:
        if key not in LANGUAGES:
            problems.append(doc.problem(keypath + (key,), f"unknown language '{key}' in '{name}'",
                                        did_you_mean(str(key), LANGUAGES)))
    for lang in LANGUAGES:
        text = value.get(lang)
        if isinstance(text, str) and text.strip():
            result[lang] = text.strip()
        elif text is None and (spec.partial and lang != LANGUAGES[0]):
            result[lang] = None
        else:
            what = "is missing" if lang not in value else "must be non-empty text"
            problems.append(doc.problem(keypath + ((lang,) if lang in value else ()),
                                        f"'{name}.{lang}' {what}", "every text needs its Italian and English"
                                        " version"))
    return result


def _scalar_problem(value: Any, spec: Spec) -> str:
    kind = spec.kind
    if kind in ("str", "id", "url", "email"):
        if not isinstance(value, str) or not value.strip():
            return f"must be text, not {_type_name(value)}"
        if any(ord(c) < 32 and c not in "\n\t" for c in value):
            return "contains control characters"
    if kind == "str" and spec.choices and value not in spec.choices:
        return f"must be one of {', '.join(spec.choices)}, not '{value}'"
    if kind == "id" and not ID_PATTERN.match(value):
        return f"'{value}' is not a valid id (lowercase letters, digits and single hyphens)"
    if kind == "url":
        return url_problem(value)
    if kind == "email" and not _EMAIL.match(value):
        return f"'{value}' is not an e-mail address"
    if kind == "int" and (not isinstance(value, int) or isinstance(value, bool)):
        return f"must be a whole number, not {_type_name(value)}"
    if kind == "year" and (not isinstance(value, int) or isinstance(value, bool) or not 1800 <= value <= 2100):
        return f"must be a year such as 2012, not {value!r}"
    if kind == "bool" and not isinstance(value, bool):
        return f"must be true or false, not {value!r}"
    if kind == "date" and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
        return f"must be a date written YYYY-MM-DD, not {value!r}"
    if kind == "isodate" and not iso_date_ok(value):
        return f"must be a date written YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}"
    return ""


def iso_date_ok(value: Any) -> bool:
    """True for an ISO 8601 calendar date at year, month or day precision that exists."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not ISO_DATE.match(value):
        return False
    parts = [int(x) for x in value.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def url_problem(value: str) -> str:
    """'' for an absolute http(s) URL; otherwise why not."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return f"{value!r} is not a valid URL"
    if parts.scheme.lower() not in ("http", "https"):
        return f"must be an http:// or https:// address, not {value!r}"
    if not parts.netloc or any(c.isspace() or ord(c) < 32 for c in value.strip()):
        return f"{value!r} is not a valid web address"
    return ""


def _type_name(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a mapping",
            dt.date: "a date"}.get(type(value), type(value).__name__)
