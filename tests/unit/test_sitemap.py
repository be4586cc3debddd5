"""render/sitemap.py writes the sitemap from strings: the bytes ElementTree gives for the same tree."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

from support import FIXTURE

from ntc_site.languages import LANGUAGES
from ntc_site.pipeline import run as pipeline
from ntc_site.render import sitemap


def reference(site, generated) -> bytes:
    """The sitemap as ElementTree writes it: the tree, indented, serialised with its declaration."""
    sm, xhtml = sitemap.SM, sitemap.XHTML
    ET.register_namespace("", sm)
    ET.register_namespace("xhtml", xhtml)
    urlset = ET.Element(f"{{{sm}}}urlset")
    ET.SubElement(ET.SubElement(urlset, f"{{{sm}}}url"), f"{{{sm}}}loc").text = site.config.base_url

    def alternates(url, versions):
        for lang in LANGUAGES:
            ET.SubElement(url, f"{{{xhtml}}}link", rel="alternate", hreflang=lang,
                          href=site.urls.absolute(versions[lang]))
        ET.SubElement(url, f"{{{xhtml}}}link", rel="alternate", hreflang="x-default",
                      href=site.urls.absolute(versions[LANGUAGES[0]]))
    for page in site.pages:
        if page.draft:
            continue
        url = ET.SubElement(urlset, f"{{{sm}}}url")
        ET.SubElement(url, f"{{{sm}}}loc").text = site.urls.absolute(page.path)
        if page.updated:
            ET.SubElement(url, f"{{{sm}}}lastmod").text = page.updated.isoformat()
        partner = site.partner(page)
        if partner and not partner.draft:
            alternates(url, {page.lang: page.path, partner.lang: partner.path})
    for versions in generated:
        for lang in LANGUAGES:
            url = ET.SubElement(urlset, f"{{{sm}}}url")
            ET.SubElement(url, f"{{{sm}}}loc").text = site.urls.absolute(versions[lang])
            alternates(url, versions)
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def _site():
    """The fixture site, one of its translated pages marked as a draft (left out, with its alternates)."""
    result = pipeline.build(pipeline.Settings(content_dir=FIXTURE / "content"))
    assert result.site is not None
    pages = list(result.site.pages)
    index = next(i for i, page in enumerate(pages) if page.source and result.site.partner(page))
    pages[index] = replace(pages[index], draft=True)
    return replace(result.site, pages=tuple(pages))


def test_the_sitemap_is_elementtrees_to_the_byte():
    site = _site()
    generated = ({"it": "it/cerca/", "en": "en/search/"},)
    assert sitemap.sitemap(site, generated) == reference(site, generated)


def test_characters_that_need_escaping_are_escaped_alike():
    site = _site()
    odd = replace(site, urls=replace(site.urls, base_url='https://example.org/a&b<c>"d\'e/'))
    generated = ({"it": "it/x&y\"z/", "en": "en/\t<tab>\n/"},)
    made = sitemap.sitemap(odd, generated)
    assert made == reference(odd, generated)
    ET.fromstring(made)  # well formed
