"""The Atom feeds (RFC 4287) of data releases, one per language: an entry per package version.

Feed readers and newsrooms follow releases without watching the site: each entry is one version of one
dataset (newest first), with the editor's changelog note as its summary, linking to the dataset page
where the computed row changes are shown. Entry ids are the versions' download IRIs, which never change.
"""
from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape, quoteattr

from ..languages import LANGUAGES
from ..model.site import Site
from ..urls import feed_path

ATOM = "http://www.w3.org/2005/Atom"


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def entries(site: Site, lang: str) -> list[dict[str, str]]:
    """Every version of every package, newest first (then by title)."""
    from ..data import versions  # with rdflib: imported only when the feeds are remade
    from ..data.catalog import version_iri
    found = []
    for package in site.datasets:
        page = site.by_key(f"dataset:{package.name}", lang)
        page_url = site.urls.absolute(page.path) if page else site.urls.absolute(f"data/{package.name}/")
        notes = {c.version: c for c in package.changelog}
        for release in versions.releases_of(site.history, package):
            change = notes.get(release.version)
            day = change.date if change else release.package.updated
            found.append({"id": version_iri(site, package.name, release.version),
                          "title": f"{package.title[lang]} {release.version}",
                          "link": f"{page_url}#version-{release.version}", "updated": _stamp(day),
                          "summary": change.note[lang] if change else ""})
    return sorted(found, key=lambda e: (e["updated"], e["title"]), reverse=True)


def atom(site: Site, lang: str, t: dict[str, str]) -> bytes:
    config = site.config
    url = site.urls.absolute(feed_path(lang))
    items = entries(site, lang)
    index = next((p for p in site.pages if p.template == "datasets" and p.lang == lang), None)
    updated = items[0]["updated"] if items else _stamp(max((p.updated for p in site.datasets),
                                                          default=dt.date(2000, 1, 1)))
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<feed xmlns="{ATOM}" xml:lang="{lang}">',
             f"<id>{escape(url)}</id>", f"<title>{escape(config.title[lang])} — {escape(t['data_feed_title'])}</title>",
             f"<updated>{updated}</updated>", f"<author><name>{escape(config.publisher_name)}</name></author>",
             f'<link rel="self" type="application/atom+xml" href={quoteattr(url)}/>']
    if index:
        lines.append(f'<link rel="alternate" type="text/html" href={quoteattr(site.urls.absolute(index.path))}/>')
    lines.append(f"<rights>{escape(config.licence_info['name'])}</rights>")
    for e in items:
        lines += ["<entry>", f"<id>{escape(e['id'])}</id>", f"<title>{escape(e['title'])}</title>",
                  f"<updated>{e['updated']}</updated>",
                  f'<link rel="alternate" type="text/html" href={quoteattr(e["link"])}/>']
        if e["summary"]:
            lines.append(f"<summary>{escape(e['summary'])}</summary>")
        lines.append("</entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def files(site: Site, strings: dict[str, dict[str, str]]) -> dict[str, bytes]:
    if not site.datasets:
        return {}
    return {feed_path(lang): atom(site, lang, strings[lang]) for lang in LANGUAGES}
