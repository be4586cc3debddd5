"""`datapackage.json`: the Frictionless Data Package descriptor of one package.

Written as v2 (`$schema`, `type: table`) with v1-valid names so both kinds of reader work. Titles and
descriptions are strings (a frictionless requirement): Italian in the standard properties, English in
`x_*_en` extension properties that validators ignore (standards.md §3.6). The same function describes
the package for validation at load time (no sizes yet) and for publication (with `bytes` and `hash`).
"""
from __future__ import annotations

from typing import Any

from ..load.config import SiteConfig
from . import tableschema
from .package import Package, Resource

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


def file_entry(path: str, stats: dict[str, tuple[int, str]]) -> dict[str, Any]:
    """`path`, `format`, `mediatype` and, once the file exists, `bytes` and `hash` (sha256)."""
    fmt = path.rsplit(".", 1)[-1]
    entry: dict[str, Any] = {"path": path, "format": fmt, "mediatype": MEDIA_TYPES[fmt]}
    if path in stats:
        size, sha = stats[path]
        entry.update({"bytes": size, "hash": f"sha256:{sha}"})
    return entry


def package_descriptor(package: Package, config: SiteConfig | None, homepage: str | None,
                       stats: dict[str, tuple[int, str]]) -> dict[str, Any]:
    """The descriptor; `stats` maps file names of the package folder to (bytes, sha256 hex)."""
    d: dict[str, Any] = {
        "$schema": PROFILE,
        "name": package.name,
        "title": package.title["it"],
        "x_title_en": package.title["en"],
        "description": package.description["it"],
        "x_description_en": package.description["en"],
        "version": package.version,
        "created": f"{package.created.isoformat()}T00:00:00Z",
        "x_updated": package.updated.isoformat(),
        "languages": ["it", "en"],
        "keywords": list(package.keywords["it"]),
        "x_keywords_en": list(package.keywords["en"]),
        "sources": [{"title": s.title, "path": s.url} for s in package.sources],
    }
    if homepage:
        d["homepage"] = homepage
    if config is not None:
        info = config.licence_info
        d["licenses"] = [{"name": config.licence, "path": info["url"], "title": info["name"]}]
        publisher: dict[str, Any] = {"title": config.publisher_name, "roles": ["publisher"],
                                     "email": config.contact_email}
        if config.publisher_url:
            publisher["path"] = config.publisher_url
        d["contributors"] = [publisher]
    if package.temporal:
        start, end = package.temporal
        d["x_temporal"] = {"start": start.isoformat(), "end": end.isoformat() if end else None}
    for key in ("completeness", "caveats"):
        text = getattr(package, key)
        if text:
            d[f"x_{key}"] = text["it"]
            d[f"x_{key}_en"] = text["en"]
    d["x_changelog"] = [{"version": c.version, "date": c.date.isoformat(), "note": c.note["it"],
                         "x_note_en": c.note["en"]} for c in package.changelog]
    d["resources"] = [resource_descriptor(r, stats) for r in package.resources]
    extra = [name for r in package.resources for name in (f"{r.name}.json",)] + [f"{package.name}.xlsx"]
    if any(name in stats for name in extra):
        d["x_files"] = [file_entry(name, stats) for name in extra if name in stats]
    return d


def resource_descriptor(resource: Resource, stats: dict[str, tuple[int, str]]) -> dict[str, Any]:
    entry = file_entry(f"{resource.name}.csv", stats)
    return {
        "name": resource.name,
        "type": "table",
        **{k: entry[k] for k in ("path", "format", "mediatype")},
        "encoding": "utf-8",
        **{k: entry[k] for k in ("bytes", "hash") if k in entry},
        "title": resource.title["it"],
        "x_title_en": resource.title["en"],
        "description": resource.description["it"],
        "x_description_en": resource.description["en"],
        "x_rows": resource.row_count,
        "schema": tableschema.descriptor(resource.schema),
    }
