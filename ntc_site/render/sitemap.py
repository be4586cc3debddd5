"""sitemap.xml (with hreflang alternates), robots.txt and the files GitHub Pages needs.

Written with ElementTree rather than a template so the XML is always well formed and escaped.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from ..languages import LANGUAGES
from ..model.site import Site

SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def sitemap(site: Site, generated: tuple[dict[str, str], ...] = ()) -> bytes:
    """Every published page, then the pages the build makes without a source (`generated`: each a
    language -> path mapping of one page in every language, such as the search pages)."""
    ET.register_namespace("", SM)
    ET.register_namespace("xhtml", XHTML)
    urlset = ET.Element(f"{{{SM}}}urlset")
    root = ET.SubElement(urlset, f"{{{SM}}}url")
    ET.SubElement(root, f"{{{SM}}}loc").text = site.config.base_url
    for page in site.pages:
        if page.draft:
            continue
        url = ET.SubElement(urlset, f"{{{SM}}}url")
        ET.SubElement(url, f"{{{SM}}}loc").text = site.urls.absolute(page.path)
        if page.updated:
            ET.SubElement(url, f"{{{SM}}}lastmod").text = page.updated.isoformat()
        partner = site.partner(page)
        if partner and not partner.draft:
            _alternates(site, url, {page.lang: page.path, partner.lang: partner.path})
    for versions in generated:
        for lang in LANGUAGES:
            url = ET.SubElement(urlset, f"{{{SM}}}url")
            ET.SubElement(url, f"{{{SM}}}loc").text = site.urls.absolute(versions[lang])
            _alternates(site, url, versions)
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def _alternates(site: Site, url: ET.Element, versions: dict[str, str]) -> None:
    for lang in LANGUAGES:
        ET.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang=lang,
                      href=site.urls.absolute(versions[lang]))
    ET.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang="x-default",
                  href=site.urls.absolute(versions[LANGUAGES[0]]))


def robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.urls.absolute('sitemap.xml')}\n".encode()


def hosting_files(site: Site, generated: tuple[dict[str, str], ...] = ()) -> dict[str, bytes]:
    files = {".nojekyll": b"", "robots.txt": robots(site), "sitemap.xml": sitemap(site, generated)}
    if site.config.cname:
        files["CNAME"] = site.config.cname.encode() + b"\n"
    return files
