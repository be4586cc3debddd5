"""The site's languages and how each writes dates, numbers and sizes (Babel).

At the bottom of the package with `problems` and `urls`: every stage needs the language list, and the
loaders, the views and the data writers all format values the same way for readers. Babel is imported by
the functions that format (its dates cost ~6 ms to import): most modules here only need `LANGUAGES`.
"""
from __future__ import annotations

import datetime as dt

LANGUAGES = ("it", "en")  # the first is the site's main language


def other_language(lang: str) -> str:
    return LANGUAGES[1] if lang == LANGUAGES[0] else LANGUAGES[0]


# Dates as readers see them, by (date, language). The first date of a language loads its CLDR data (~10 ms);
# a one-page rebuild (pipeline/delta.py) brings back the dates it wrote before, and loads none.
_DATES: dict[tuple[dt.date, str], str] = {}


def date_text(value: dt.date | None, lang: str) -> str:
    if not value:
        return ""
    text = _DATES.get((value, lang))
    if text is None:
        from babel.dates import format_date  # lazy: see the module docstring
        text = _DATES[value, lang] = format_date(value, format="long", locale=lang)
    return text


def dates_written() -> dict[tuple[dt.date, str], str]:
    """What `date_text` has given in this process."""
    return dict(_DATES)


def remember_dates(dates: dict[tuple[dt.date, str], str]) -> None:
    """Dates `date_text` gave in another process of the same generator (same Babel): given as they were."""
    _DATES.update(dates)


def iso_date_text(value: str, lang: str) -> str:
    """An ISO 8601 date at year, month or day precision for readers: '7 febbraio 2014', 'September 2012'."""
    parts = [int(x) for x in value.split("-")]
    if len(parts) == 1:
        return value
    if len(parts) == 2:
        from babel.dates import format_skeleton  # lazy: see the module docstring
        return format_skeleton("yMMMM", dt.date(parts[0], parts[1], 1), locale=lang)
    return date_text(dt.date(*parts), lang)


def number_text(value: float | int, lang: str) -> str:
    from babel.numbers import format_decimal  # lazy: see the module docstring
    return format_decimal(value, locale=lang)


def size_text(size: int, lang: str) -> str:
    """A byte count for readers: '1,2 kB' in Italian, '1.2 kB' in English (SI units)."""
    from babel.numbers import format_decimal  # lazy: see the module docstring
    for unit, step in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= step:
            return f"{format_decimal(round(size / step, 1), locale=lang)} {unit}"
    return f"{format_decimal(size, locale=lang)} B"
