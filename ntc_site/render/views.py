"""Template variables for every kind of page, computed in Python so templates stay dumb.

Each function takes the site model and returns plain dicts and strings: hrefs already resolved under the
subpath, dates and numbers already formatted for the page language, labels already looked up.
"""
from __future__ import annotations

import json
from typing import Any

from ..languages import LANGUAGES, date_text, iso_date_text, other_language
from ..model.site import Page, Site
from ..urls import feed_path
from . import charts, searchindex

FOOTER_KEYS = ("about", "licence", "accessibility", "privacy")


def json_ld(data: dict[str, Any]) -> str:
    """JSON-LD safe inside <script>: '<' is escaped so no '</script>' can close the element."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).replace("<", "\\u003c")


def language_parts(site: Site, lang: str, t: dict[str, str]) -> dict[str, Any]:
    """What `common` gives every page of one language alike: worked out once per language by a renderer of
    many pages (pipeline/parallel.py's Worker) and passed back to `common`."""
    urls = site.urls
    other = other_language(lang)
    home = site.by_key("home", lang)
    return {
        "site_title": site.config.title[lang],
        "switch_home": urls.href(f"{other}/"),
        "home_href": urls.href(home.path if home else f"{lang}/"),
        "menu": [(p.path, p.title, urls.href(p.path)) for p in site.menu(lang)],
        "footer": [{"title": p.title, "href": urls.href(p.path)} for key in FOOTER_KEYS
                   if (p := site.by_key(key, lang))],
        "asset": {"css": urls.href("assets/site.css"), "icon": urls.href("assets/favicon.svg"),
                  "search_js": urls.href("assets/search.js"),
                  "search_index": urls.href(searchindex.folder(lang) + searchindex.MANIFEST)},
        "search_page": urls.href(f"{lang}/{t['search_slug']}/"),
        "feed": {"href": urls.href(feed_path(lang)), "title": t["data_feed_title"]} if site.datasets else None,
    }


def common(site: Site, page: Page, t: dict[str, str], shared: dict[str, Any] | None = None) -> dict[str, Any]:
    """The variables of every page; `shared`: `language_parts` of the page's language, if already known."""
    urls = site.urls
    lang = page.lang
    shared = shared if shared is not None else language_parts(site, lang, t)
    partner = site.partner(page)
    versions = {lang: page, **({partner.lang: partner} if partner else {})}
    default = versions.get(LANGUAGES[0]) or page
    alternates = [{"hreflang": code, "href": urls.absolute(versions[code].path)} for code in LANGUAGES
                  if code in versions]
    if partner:
        alternates.append({"hreflang": "x-default", "href": urls.absolute(default.path)})
    other = other_language(lang)
    return {
        "lang": lang,
        "t": t,
        "page": {"title": page.title, "description": page.description or site.config.description[lang],
                 "draft": page.draft, "updated": date_text(page.updated, lang),
                 "updated_iso": page.updated.isoformat() if page.updated else ""},
        "site_title": shared["site_title"],
        "canonical": urls.absolute(page.path),
        "alternates": alternates,
        "switch": {"lang": other, "href": urls.href(partner.path) if partner else None,
                   "home": shared["switch_home"]},
        "home_href": shared["home_href"],
        "menu": [{"title": title, "href": href, "current": path == page.path or
                  (page.path.startswith(path) and path != f"{lang}/")} for path, title, href in shared["menu"]],
        "footer": shared["footer"],
        "asset": shared["asset"],
        "search_page": shared["search_page"],
        "feed": shared["feed"],
        "contact_email": site.config.contact_email,
        "licence_url": site.config.licence_info["url"],
        "jsonld": [],
        "problems": [],
        "body": "",
    }


def _hq(city: str | None, region: str | None) -> str:
    return ", ".join(x for x in (city, region) if x)


def _seat(c: Any, t: dict[str, str]) -> str:
    """'Torino, Piemonte (operational office)': which office the city is, only as the source says."""
    place = _hq(c.city, c.region)
    if not place:
        return t["unknown"]
    return f"{place} ({t['seat_' + c.seat] if c.seat else t['seat_unstated']})"


def _dated(value: str, as_of: str | None, note: dict[str, str] | None, lang: str, t: dict[str, str]) -> str:
    """'Name (as of May 2019; no later stored source found)': the ISO date for readers, the note in `lang`."""
    qualifiers = [f"{t['as_of']} {iso_date_text(as_of, lang)}"] if as_of else []
    qualifiers += [note[lang]] if note else []
    return f"{value} ({'; '.join(qualifiers)})" if qualifiers else value


def cluster_rows(site: Site, lang: str, t: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for c in site.records.clusters:
        page = site.by_key(f"cluster:{c.id}", lang)
        area = site.by_key(f"area:{c.area}", lang)
        rows.append({
            "acronym": c.acronym, "name": c.display_name(lang), "href": site.urls.href(page.path) if page else "",
            "area": site.records.area(c.area).name[lang], "area_href": site.urls.href(area.path) if area else "",
            "founded": str(c.founded) if c.founded else t["unknown"], "region": c.region or t["unknown"],
            "website": c.website,
        })
    return rows


def clusters_list(site: Site, page: Page, t: dict[str, str]) -> dict[str, Any]:
    return {"rows": cluster_rows(site, page.lang, t),
            "charts": [charts.founding_years(site.records.clusters, page.lang, t),
                       charts.by_region(site.records.clusters, page.lang, t)]}


def areas_list(site: Site, page: Page, t: dict[str, str]) -> dict[str, Any]:
    items = []
    for a in site.records.areas:
        p = site.by_key(f"area:{a.id}", page.lang)
        clusters = [c.acronym for c in site.records.clusters_in(a.id)]
        items.append({"name": a.name[page.lang], "href": site.urls.href(p.path) if p else "",
                      "description": a.description[page.lang],
                      "call_year": str(a.call_year) if a.call_year else "",
                      "clusters": ", ".join(clusters)})
    return {"areas": items}


def _sources(site: Site, sources, t: dict[str, str]) -> list[dict[str, Any]]:
    return [{"url": s.url, "title": s.title or s.url,
             "fields": ", ".join(t[f"field_{f}"] for f in s.fields)} for s in sources]


def cluster_page(site: Site, page: Page, t: dict[str, str]) -> dict[str, Any]:
    # Reads the data packages, with Babel's numbers: only cluster pages need it.
    from . import history
    lang = page.lang
    c = next(c for c in site.records.clusters if c.id == page.record_id)
    area = site.records.area(c.area)
    area_page = site.by_key(f"area:{c.area}", lang)
    unknown = t["unknown"]
    facts = [
        ("field_acronym", c.acronym),
        ("field_name", c.name["it"]),
        ("field_name_en", c.name["en"] or unknown),
        ("field_founded_on", iso_date_text(c.founded_on, lang)) if c.founded_on else
        ("field_founded", str(c.founded) if c.founded else unknown),
        ("field_call_year", str(c.call_year) if c.call_year else unknown),
        ("field_selection_year", str(c.selection_year) if c.selection_year else unknown),
        ("field_pnr_area", c.pnr_area or unknown),
        ("field_recognition_decree", c.recognition_decree or unknown),
        ("field_headquarters", _seat(c, t)),
        ("field_legal_form", c.legal_form or unknown),
        ("field_president", _dated(c.president["name"], c.president.get("as_of"), c.president.get("note"), lang, t)
         if c.president else unknown),
        ("field_members", _dated(c.members[lang], c.members.get("as_of"), None, lang, t) if c.members else unknown),
    ]
    org: dict[str, Any] = {"@context": "https://schema.org", "@type": "Organization", "name": c.name["it"],
                           "alternateName": c.acronym, "description": c.description[lang]}
    if c.website:
        org["url"] = c.website
    if c.founded:
        org["foundingDate"] = c.founded_on or str(c.founded)
    if c.city or c.region:
        org["address"] = {"@type": "PostalAddress", "addressCountry": "IT",
                          **({"addressLocality": c.city} if c.city else {}),
                          **({"addressRegion": c.region} if c.region else {})}
    return {
        "record": {"acronym": c.acronym, "description": c.description[lang], "website": c.website,
                   "area": area.name[lang], "area_href": site.urls.href(area_page.path) if area_page else ""},
        "facts": [{"label": t[k], "value": v} for k, v in facts],
        "sources": _sources(site, c.sources, t),
        "jsonld": [json_ld(org)],
        **history.context(site, c.id, lang, t),
    }


def area_page(site: Site, page: Page, t: dict[str, str]) -> dict[str, Any]:
    lang = page.lang
    a = site.records.area(page.record_id or "")
    clusters = []
    for c in site.records.clusters_in(a.id):
        p = site.by_key(f"cluster:{c.id}", lang)
        clusters.append({"title": f"{c.acronym} — {c.display_name(lang)}", "href": site.urls.href(p.path) if p else ""})
    group = t[f"pnr_group_{a.pnr_group}"] if a.pnr_group else t["unknown"]
    return {"record": {"description": a.description[lang],
                       "call_year": str(a.call_year) if a.call_year else t["unknown"], "pnr_group": group},
            "clusters": clusters, "sources": _sources(site, a.sources, t)}


def home(site: Site, page: Page, t: dict[str, str]) -> dict[str, Any]:
    lang = page.lang
    ways = [{"title": p.title, "description": p.description, "href": site.urls.href(p.path)}
            for key in ("clusters", "areas", "data") if (p := site.by_key(key, lang))]
    return {"ways": ways, "counts": {"clusters": len(site.records.clusters), "areas": len(site.records.areas)},
            "charts": [charts.founding_years(site.records.clusters, lang, t)]}
