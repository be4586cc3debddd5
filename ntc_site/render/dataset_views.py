"""Template variables of the data pages: one page per package and the index of all packages.

Everything a journalist needs is computed here as ready-to-print text in the page language (sizes,
dates, checksums, the data dictionary, a preview, how to cite) so `dataset.html` and `datasets.html` hold
only loops. The schema.org `Dataset` block is built from the same values as the descriptor and the
catalogue, so the three never disagree.
"""
from __future__ import annotations

from typing import Any, Mapping

from ..data import catalog
from ..data.descriptor import MEDIA_TYPES
from ..data.downloads import package_files
from ..data.package import Field, Package, Resource
from ..languages import date_text, number_text, size_text
from ..model.site import Page, Site
from ..stored import StoredFile
from ..urls import download_path, feed_path
from . import dataset_charts, explorer, release_views
from .views import json_ld

Files = Mapping[str, StoredFile]  # site path -> a data file as the build wrote it


def context(site: Site, page: Page, t: dict[str, str], data_files: Files) -> dict[str, Any]:
    if page.template == "datasets":
        return {**index_context(site, page, t, data_files), "jsonld": [json_ld(data_catalog(site, page))]}
    package = next(p for p in site.datasets if p.name == page.record_id)
    return {"dataset": dataset_context(site, package, page, t, data_files),
            "charts": dataset_charts.package_charts(package, page.lang, t),
            "explorer_js": site.urls.href("assets/explorer.js"),
            "jsonld": [json_ld(schema_org(site, package, page.lang, t, data_files))]}


def _file(site: Site, path: str, data_files: Files, lang: str) -> dict[str, Any]:
    stored = data_files[path]
    return {"href": site.urls.href(path), "url": site.urls.absolute(path), "name": path.rsplit("/", 1)[-1],
            "bytes": stored.size, "size": size_text(stored.size, lang), "sha256": stored.sha256}


def index_context(site: Site, page: Page, t: dict[str, str], data_files: Files) -> dict[str, Any]:
    lang = page.lang
    items = []
    for package in sorted(site.datasets, key=lambda p: p.title[lang].casefold()):
        target = site.by_key(f"dataset:{package.name}", lang)
        items.append({"title": package.title[lang], "description": package.description[lang],
                      "href": site.urls.href(target.path) if target else "",
                      "updated": date_text(package.updated, lang), "updated_iso": package.updated.isoformat(),
                      "version": package.version, "partial": bool(package.completeness),
                      "rows": number_text(package.resources[0].row_count, lang)})  # the main table
    catalogue = [dict(_file(site, path, data_files, lang), label=t[f"data_catalog_{path.rsplit('.', 1)[-1]}"])
                 for path in catalog.FILES if path in data_files]
    return {"datasets": {
        "packages": items,
        "all_zip": _file(site, "data/all.zip", data_files, lang) if "data/all.zip" in data_files else None,
        "sums": _file(site, "data/SHA256SUMS", data_files, lang) if "data/SHA256SUMS" in data_files else None,
        "catalog": catalogue,
        "all_zip_text": t["data_all_zip_text"] if catalogue else t["data_all_zip_text_no_catalog"],
        "catalog_missing": "" if catalogue else t["data_catalog_missing"],
        "catalog_profile": _profile_text(site, t),
        "feed": {"href": site.urls.href(feed_path(lang)), "label": t["data_feed_link"]} if site.datasets else None,
    }}


def _profile_text(site: Site, t: dict[str, str]) -> str:
    key = "data_catalog_profile_it" if catalog.italian_profile(site) else "data_catalog_profile_eu"
    return t[key]


def data_catalog(site: Site, page: Page) -> dict[str, Any]:
    """schema.org `DataCatalog` of the data index: the same IRIs as the DCAT catalogue."""
    lang, config = page.lang, site.config
    items = []
    for package in site.datasets:
        target = site.by_key(f"dataset:{package.name}", lang)
        items.append({"@type": "Dataset", "@id": catalog.dataset_iri(site, package.name),
                      "name": package.title[lang], "url": site.urls.absolute(target.path) if target else ""})
    return {"@context": "https://schema.org/", "@type": "DataCatalog", "@id": catalog.catalog_iri(site),
            "name": config.title[lang], "description": config.description[lang], "inLanguage": lang,
            "url": site.urls.absolute(page.path), "license": config.licence_info["url"],
            "publisher": {"@type": "Organization", "name": config.publisher_name,
                          "url": config.publisher_url or config.base_url},
            "dataset": sorted(items, key=lambda d: d["@id"])}


def _anchor(package: Package, resource: Resource, field: Field) -> str:
    first = resource is package.resources[0]
    return f"field-{field.name}" if first else f"field-{resource.name}-{field.name}"


def _constraints(field: Field, t: dict[str, str]) -> str:
    parts = []
    if field.constraint("required"):
        parts.append(t["data_required"])
    if field.constraint("unique"):
        parts.append(t["data_unique"])
    if field.constraint("enum"):
        parts.append(f"{t['data_allowed_values']} {', '.join(field.constraint('enum'))}")
    if field.constraint("pattern"):
        parts.append(f"{t['data_pattern']} {field.constraint('pattern')}")
    return "; ".join(parts)


def _table(site: Site, package: Package, resource: Resource, lang: str, t: dict[str, str],
           home_href: str | None = None, shown: int = 1) -> dict[str, Any]:
    if home_href:  # another package's table, carried for a foreign key: its dictionary is on its own page
        return {"name": resource.name, "title": resource.title[lang], "description": resource.description[lang],
                "rows": number_text(resource.row_count, lang), "home_href": home_href, "fields": [],
                "explorer": None}
    fields = resource.schema.fields
    return {
        "name": resource.name, "title": resource.title[lang], "description": resource.description[lang],
        "rows": number_text(resource.row_count, lang), "home_href": None,
        "fields": [{"anchor": _anchor(package, resource, f), "name": f.name, "title": f.title[lang],
                    "type": t[f"data_type_{f.type}"], "constraints": _constraints(f, t),
                    "description": f.description[lang], "example": f.example or ""} for f in fields],
        "explorer": explorer.table(site, package, resource, lang, t, explorer.PREVIEW_CHARS // shown),
    }


def main_download(site: Site, package: Package, lang: str, t: dict[str, str], data_files: Files
                  ) -> dict[str, str] | None:
    """The CSV of the main table, offered at the top of the page."""
    main = package.resources[0]
    path = download_path(package.name, f"{main.name}.csv")
    if path not in data_files:
        return None
    return {"href": site.urls.href(path), "size": size_text(data_files[path].size, lang),
            "text": t["data_main_download"].format(title=main.title[lang])}


def downloads(site: Site, package: Package, lang: str, t: dict[str, str], data_files: Files
              ) -> list[dict[str, Any]]:
    items = []
    for name in package_files(package):
        path = download_path(package.name, name)
        if path not in data_files:
            continue
        kind = "datapackage" if name == "datapackage.json" else name.rsplit(".", 1)[-1]
        items.append(dict(_file(site, path, data_files, lang), format=t[f"data_format_{kind}"],
                          mediatype=MEDIA_TYPES.get(kind, "application/json")))
    return items


def citation(site: Site, package: Package, page: Page, t: dict[str, str]) -> tuple[str, str]:
    """'How to cite' as text and as BibTeX, in the page language."""
    lang, config = page.lang, site.config
    url = catalog.version_iri(site, package.name, package.version)  # the version's own, unchanging files
    text = t["data_cite_pattern"].format(publisher=config.publisher_name, title=package.title[lang],
                                         version=package.version, date=date_text(package.updated, lang),
                                         url=url, licence=config.licence_info["name"])
    fields = [("author", "{" + _bib(config.publisher_name) + "}"), ("title", _bib(package.title[lang])),
              ("year", str(package.updated.year)), ("version", package.version), ("url", url),
              ("urldate", package.updated.isoformat()),
              ("note", _bib(t["data_bibtex_note"].format(licence=config.licence_info["name"])))]
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields)
    return text, f"@misc{{{package.name}-{package.version},\n{body}\n}}"


def _bib(text: str) -> str:
    for char in "\\&%$#_{}":
        text = text.replace(char, "\\" + char)
    return text


def dataset_context(site: Site, package: Package, page: Page, t: dict[str, str], data_files: Files
                    ) -> dict[str, Any]:
    lang, config = page.lang, site.config
    cite_text, bibtex = citation(site, package, page, t)
    start, end = package.temporal or (None, None)
    index = next((p for p in site.pages if p.template == "datasets" and p.lang == lang), None)
    homes = [_home_href(site, r, lang) for r in package.resources]
    return {
        "title": package.title[lang], "description": package.description[lang], "name": package.name,
        "version": package.version, "updated": date_text(package.updated, lang),
        "updated_iso": package.updated.isoformat(), "created": date_text(package.created, lang),
        "publisher": config.publisher_name, "publisher_url": config.publisher_url or "",
        "licence": {"name": config.licence_info["name"], "url": config.licence_info["url"]},
        "identifier": catalog.identifier(site, package) or "",
        "keywords": ", ".join(package.keywords[lang]),
        "themes": ", ".join(catalog.THEME_LABELS[c][0 if lang == "it" else 1] for c in package.themes),
        "frequency": t[f"data_frequency_{package.frequency.lower()}"],
        "temporal": (f"{date_text(start, lang)} – {date_text(end, lang)}" if end else date_text(start, lang))
        if start else "",
        "completeness": package.completeness[lang] if package.completeness else "",
        "caveats": package.caveats[lang] if package.caveats else "",
        "sources": [{"title": s.title, "url": s.url} for s in package.sources],
        "downloads": downloads(site, package, lang, t, data_files),
        "tables": [_table(site, package, r, lang, t, home, max(1, homes.count(None)))
                   for r, home in zip(package.resources, homes)],
        "main_download": main_download(site, package, lang, t, data_files),
        "cite_text": cite_text, "bibtex": bibtex,
        "changelog": [{"version": c.version, "date": date_text(c.date, lang), "date_iso": c.date.isoformat(),
                       "note": c.note[lang]} for c in package.changelog],
        "releases": release_views.releases(site, package, lang, t),
        "catalog": [{"href": site.urls.href(path), "name": path.rsplit("/", 1)[-1]}
                    for path in catalog.FILES if path in data_files],
        "catalog_profile": _profile_text(site, t),
        "excel_hint": t["data_excel_hint"] if f"data/{package.name}/{package.name}.xlsx" in data_files else "",
        "index_href": site.urls.href(index.path) if index else "",
    }


def schema_org(site: Site, package: Package, lang: str, t: dict[str, str], data_files: Files
               ) -> dict[str, Any]:
    """schema.org `Dataset` for dataset search engines (standards.md §2)."""
    config = site.config
    page = site.by_key(f"dataset:{package.name}", lang)
    index = next((p for p in site.pages if p.template == "datasets" and p.lang == lang), None)
    organisation = {"@type": "Organization", "name": config.publisher_name,
                    "url": config.publisher_url or config.base_url}
    data: dict[str, Any] = {
        "@context": "https://schema.org/", "@type": "Dataset", "@id": catalog.dataset_iri(site, package.name),
        "name": package.title[lang], "description": package.description[lang],
        "url": site.urls.absolute(page.path) if page else "",
        "license": config.licence_info["url"], "isAccessibleForFree": True,
        "creator": organisation, "publisher": organisation, "inLanguage": lang,
        "version": package.version, "dateModified": package.updated.isoformat(),
        "datePublished": package.created.isoformat(), "keywords": list(package.keywords[lang]),
        "spatialCoverage": {"@type": "Place", "name": t["data_spatial"]},
        "variableMeasured": list(dict.fromkeys(f.title[lang] for r in package.resources for f in r.schema.fields)),
        "distribution": [{"@type": "DataDownload", "contentUrl": d["url"], "encodingFormat": d["mediatype"],
                          "contentSize": f"{d['bytes']} B"} for d in downloads(site, package, lang, t, data_files)
                         if not d["name"] == "datapackage.json"],
    }
    if index:
        data["includedInDataCatalog"] = {"@type": "DataCatalog", "name": config.title[lang],
                                         "url": site.urls.absolute(index.path)}
    if catalog.identifier(site, package):
        data["identifier"] = catalog.identifier(site, package)
    if package.temporal:
        start, end = package.temporal
        data["temporalCoverage"] = f"{start.isoformat()}/{end.isoformat() if end else '..'}"
    return data


def _home_href(site: Site, resource: Resource, lang: str) -> str | None:
    home = site.by_key(f"dataset:{resource.home}", lang) if resource.home else None
    return site.urls.href(home.path) if home else None
