"""The programme's timeline page, drawn from the data package that declares `timeline:` in its package.yaml
(today `legal-acts`), so page and download never disagree. Which columns hold the date, the title in each
language, the act number and the source is the package's own metadata, checked when it is loaded.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from ..data import csvrows
from ..languages import date_text
from ..model.site import Page, Site


def context(site: Site, page: Page, t: dict[str, str]) -> dict[str, Any]:
    events = []
    for package in site.datasets:
        spec = package.timeline
        if spec is None:
            continue
        resource = package.resource(spec.resource)
        for row in csvrows.iter_rows(resource):
            when, source = row[spec.date], row[spec.source] or ""
            key = (str(when), tuple(str(row[k]) for k in resource.schema.primary_key))
            events.append((key, {
                "iso": when.isoformat(), "date": date_text(when, page.lang),
                "title": row[spec.title[page.lang]] or row[spec.title["it"]] or "",
                "number": (row[spec.number] or "") if spec.number else "",
                "source_url": source, "source_host": urlsplit(source).hostname or source,
            }))
    return {"events": [event for _, event in sorted(events, key=lambda item: item[0])]}
