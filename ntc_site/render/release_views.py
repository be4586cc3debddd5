"""Template variables for the versions of one dataset: files of each version and what changed in its rows.

Kept apart from dataset_views.py (the rest of the dataset page): each version lists its unchanging files
under `data/<package>/<version>/` and, against the version before it, the rows added, removed and changed
(with old → new per field) that data/changes.py computes, beside the editor's changelog note.
"""
from __future__ import annotations

from typing import Any

from ..data import changes, versions
from ..data.downloads import package_files
from ..data.package import Package
from ..languages import date_text, number_text
from ..model.site import Site
from ..urls import download_path

SHOWN = 5  # rows listed per kind of change on the page; the rest are counted, and all are in changes.csv
VALUE_CHARS = 80  # a longer old or new value is cut on the page (whole in changes.csv)


def _cut(text: str) -> str:
    return text if len(text) <= VALUE_CHARS else text[:VALUE_CHARS - 1].rstrip() + "…"


def _more(items: list[Any], t: dict[str, str], lang: str) -> str:
    extra = len(items) - SHOWN
    return t["data_diff_more"].format(count=number_text(extra, lang)) if extra > 0 else ""


def _table_diff(d: changes.TableDiff, package: Package, lang: str, t: dict[str, str]) -> dict[str, Any]:
    titles = {f.name: f.title[lang] for r in package.resources for f in r.schema.fields}
    title = next((r.title[lang] for r in package.resources if r.name == d.resource), d.resource)
    summary = t["data_diff_summary"].format(added=number_text(len(d.added), lang),
                                            removed=number_text(len(d.removed), lang),
                                            changed=number_text(len(d.changed), lang))
    return {
        "title": title, "summary": summary, "empty": d.empty,
        "added": list(d.added[:SHOWN]), "added_more": _more(list(d.added), t, lang),
        "removed": list(d.removed[:SHOWN]), "removed_more": _more(list(d.removed), t, lang),
        "changed": [{"key": c.key, "fields": [{"field": titles.get(f.field, f.field), "name": f.field,
                                                "old": _cut(f.old) or t["data_empty_cell"],
                                                "new": _cut(f.new) or t["data_empty_cell"]} for f in c.fields]}
                    for c in d.changed[:SHOWN]],
        "changed_more": _more(list(d.changed), t, lang),
        "fields_added": ", ".join(d.fields_added), "fields_removed": ", ".join(d.fields_removed),
    }


def releases(site: Site, package: Package, lang: str, t: dict[str, str]) -> list[dict[str, Any]]:
    """Newest first: version, date, note, files and the computed changes since the version before."""
    notes = {c.version: c for c in package.changelog}
    found = versions.releases_of(site.history, package)
    out = []
    for i, release in enumerate(found):
        change = notes.get(release.version)
        files = [{"name": name, "href": site.urls.href(download_path(package.name, f"{release.version}/{name}"))}
                 for name in package_files(release.package)]
        diff = None
        if i > 0:
            tables = [_table_diff(d, release.package, lang, t) for d in changes.diff(found[i - 1].package,
                                                                                       release.package)]
            changes_path = download_path(package.name, f"{release.version}/{changes.CSV_NAME}")
            diff = {"since": found[i - 1].version, "tables": tables, "none": all(tb["empty"] for tb in tables),
                    "csv_href": site.urls.href(changes_path)}
        out.append({"version": release.version, "anchor": f"version-{release.version}",
                    "date": date_text(change.date, lang) if change else "",
                    "date_iso": change.date.isoformat() if change else "",
                    "note": change.note[lang] if change else "", "files": files, "diff": diff,
                    "current": release.version == package.version})
    out.reverse()
    return out
