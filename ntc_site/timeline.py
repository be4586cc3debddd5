"""The programme's timeline page, drawn from the `legal-acts` dataset so page and download never disagree."""
from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from . import datapackages
from .i18n import date_text
from .model import Page, Site

PACKAGE = "legal-acts"


def context(site: Site, page: Page, t: dict[str, str]) -> dict[str, Any]:
    package = next((p for p in site.datasets if p.name == PACKAGE), None)
    rows = datapackages.rows(package, PACKAGE) if package else []
    events = []
    for row in sorted(rows, key=lambda r: (str(r["date"]), str(r.get("id", "")))):
        when = row["date"]
        if isinstance(when, str):
            when = dt.date.fromisoformat(when)
        events.append({
            "iso": when.isoformat(), "date": date_text(when, page.lang),
            "title": row.get(f"title_{page.lang}") or row.get("title_it") or "",
            "number": row.get("number") or "",
            "source_url": row["source_url"], "source_host": urlsplit(row["source_url"]).hostname or row["source_url"],
        })
    return {"events": events}
