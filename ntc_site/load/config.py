"""`content/site.yaml` -> `SiteConfig`: the typed, validated settings every later stage reads."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..languages import LANGUAGES
from ..problems import Problem
from . import yamlfile
from .specs import load_checked, mapping, opt, req, url_problem

LICENCES = {
    "CC-BY-4.0": {
        "url": "https://creativecommons.org/licenses/by/4.0/",
        "dcatapit": "https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40",
        "eu": "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
        "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
        "rights_it": "Chiunque può copiare, modificare e ridistribuire i dati, anche a fini commerciali, citando"
                     " la fonte secondo la licenza CC BY 4.0.",
        "rights_en": "Anyone may copy, change and redistribute the data, commercial uses included, crediting"
                     " the source as the CC BY 4.0 licence requires.",
    },
}
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")

SITE_SPEC = mapping(
    ("title", req("text")),
    ("description", req("text")),
    ("base_url", req("url")),
    ("languages", req("list", item=req("str", choices=LANGUAGES))),
    ("publisher", mapping(("name", req("str")), ("identifier", opt("str")), ("url", opt("url")),
                          required=True, nullable=False)),
    ("contact_email", req("email")),
    ("licence", req("str", choices=tuple(LICENCES))),
    ("cname", opt("str")),
)


@dataclass(frozen=True)
class SiteConfig:
    title: dict[str, str]
    description: dict[str, str]
    base_url: str  # always ends with '/'
    languages: tuple[str, ...]
    publisher_name: str
    publisher_identifier: str | None
    publisher_url: str | None
    contact_email: str
    licence: str
    cname: str | None
    source_path: str = "site.yaml"

    @property
    def licence_info(self) -> dict[str, str]:
        return LICENCES[self.licence]

    def with_base_url(self, base_url: str) -> "SiteConfig":
        from dataclasses import replace
        return replace(self, base_url=normalise_base_url(base_url))


def normalise_base_url(url: str) -> str:
    url = url.strip()
    return url if url.endswith("/") else url + "/"


def base_url_problem(url: str) -> str:
    """'' when `url` can serve as the site's base URL, else why not."""
    message = url_problem(url)
    if message:
        return message
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        return f"base URL '{url}' must not have a query or fragment"
    return ""


def load(content_dir: Path) -> tuple[SiteConfig | None, list[Problem]]:
    file = content_dir / "site.yaml"
    display = yamlfile.display_path(file)
    if not file.is_file():
        return None, [Problem(display, 0, 0, "missing site settings file", f"create {file}")]
    doc, value, problems = load_checked(file, display, SITE_SPEC)
    if doc is None or problems:
        return None, problems
    if tuple(value["languages"]) != LANGUAGES:
        problems.append(doc.problem(("languages",), "languages must be [it, en]: Italian first, then English"))
    message = base_url_problem(value["base_url"])
    if message:
        problems.append(doc.problem(("base_url",), message))
    cname = value["cname"]
    if cname is not None and not _HOST.match(cname.lower()):
        problems.append(doc.problem(("cname",), f"'{cname}' is not a host name", "write it like dati.example.org"))
    if problems:
        return None, problems
    publisher = value["publisher"]
    return SiteConfig(
        title=value["title"], description=value["description"],
        base_url=normalise_base_url(value["base_url"]), languages=LANGUAGES,
        publisher_name=publisher["name"], publisher_identifier=publisher["identifier"],
        publisher_url=publisher["url"], contact_email=value["contact_email"], licence=value["licence"],
        cname=cname.lower() if cname else None, source_path=display,
    ), []
