"""The whole site as frozen data: every page of both languages with its URL and translation partner.

Pure: it takes what the loaders read and decides what exists and where, reporting URL clashes and
duplicate translations; rendering only fills templates from it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Sequence

from ..languages import LANGUAGES, other_language
from ..load.config import SiteConfig
from ..load.content import SourcePage
from ..load.records import Records
from ..problems import Problem, did_you_mean
from ..urls import Urls, child_path, page_path

LIST_TEMPLATES = {"clusters": "cluster", "areas": "area", "datasets": "dataset"}


@dataclass(frozen=True)
class Page:
    lang: str
    path: str  # site path, e.g. 'it/cluster/aerospazio/'
    key: str  # translation key shared by the two language versions
    title: str
    description: str
    template: str  # page, home, areas, clusters, timeline, datasets, cluster, area, dataset
    source: SourcePage | None = None  # the Markdown page, if any
    record_id: str | None = None  # cluster/area id or dataset name for generated pages
    draft: bool = False
    updated: dt.date | None = None


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    urls: Urls
    records: Records
    datasets: tuple[Any, ...]
    pages: tuple[Page, ...]
    media: tuple[str, ...]  # content paths of media files, e.g. 'media/logo.svg'
    history: Any = None  # data.versions.History: every published version of each package (set by the pipeline)

    def partner(self, page: Page) -> Page | None:
        return self._by_key.get((page.key, other_language(page.lang)))

    def by_key(self, key: str, lang: str) -> Page | None:
        return self._by_key.get((key, lang))

    def menu(self, lang: str) -> list[Page]:
        return list(self._menus.get(lang, ()))

    # Indexes built once on first use, so per-page lookups stay O(1) and a build stays linear in pages.
    @cached_property
    def _by_key(self) -> dict[tuple[str, str], Page]:
        index: dict[tuple[str, str], Page] = {}
        for p in self.pages:
            index.setdefault((p.key, p.lang), p)  # the first wins, as the linear scan did
        return index

    @cached_property
    def _menus(self) -> dict[str, tuple[Page, ...]]:
        menus: dict[str, list[Page]] = {}
        for p in self.pages:
            if p.source and p.source.menu == "main":
                menus.setdefault(p.lang, []).append(p)
        return {lang: tuple(sorted(items, key=lambda p: (p.source.weight if p.source else 0, p.title)))
                for lang, items in menus.items()}


def build(config: SiteConfig, records: Records, sources: Sequence[SourcePage], datasets: Sequence[Any],
          media: Sequence[str], include_drafts: bool) -> tuple[Site, list[Problem]]:
    problems: list[Problem] = []
    pages: list[Page] = []
    for src in sources:
        if src.draft and not include_drafts:
            continue
        pages.append(Page(src.lang, page_path(src.lang, src.segments), src.translation_key, src.title,
                          src.description, src.template, src, None, src.draft, src.updated or src.date))
    for lang in LANGUAGES:
        for template, child in LIST_TEMPLATES.items():
            lists = [p for p in pages if p.lang == lang and p.template == template]
            for extra in lists[1:]:
                problems.append(Problem(extra.source.path if extra.source else "", 2, 0,
                                        f"a second '{template}' page in '{lang}'",
                                        f"the first is {lists[0].source.path if lists[0].source else ''}"))
            if lists:
                pages += _children(lists[0], child, records, datasets, lang)
    problems += _clashes(pages) + _duplicate_keys(pages)
    urls = Urls(config.base_url)
    site = Site(config, urls, records, tuple(datasets), tuple(sorted(pages, key=lambda p: (p.lang, p.path))),
                tuple(sorted(media)))
    return site, problems


def _children(parent: Page, kind: str, records: Records, datasets: Sequence[Any], lang: str) -> list[Page]:
    out = []
    if kind == "cluster":
        for c in records.clusters:
            out.append(Page(lang, child_path(parent.path, c.id), f"cluster:{c.id}", f"{c.acronym} — "
                            f"{c.display_name(lang)}", c.description[lang], "cluster", record_id=c.id))
    elif kind == "area":
        for a in records.areas:
            out.append(Page(lang, child_path(parent.path, a.id), f"area:{a.id}", a.name[lang],
                            a.description[lang], "area", record_id=a.id))
    else:
        for d in datasets:
            out.append(Page(lang, child_path(parent.path, d.name), f"dataset:{d.name}", d.title[lang],
                            d.description[lang], "dataset", record_id=d.name, updated=d.updated))
    return out


def _where(page: Page) -> str:
    return page.source.path if page.source else f"{page.template} '{page.record_id}'"


def _clashes(pages: list[Page]) -> list[Problem]:
    problems = []
    seen: dict[str, Page] = {}
    for page in pages:
        first = seen.setdefault(page.path, page)
        if first is not page:
            path = page.source.path if page.source else (first.source.path if first.source else "")
            problems.append(Problem(path, 1, 0, f"two sources would write the same URL /{page.path}",
                                    f"{_where(first)} and {_where(page)}; change a slug or file name"))
    return problems


def _duplicate_keys(pages: list[Page]) -> list[Problem]:
    problems = []
    seen: dict[tuple[str, str], Page] = {}
    for page in pages:
        first = seen.setdefault((page.key, page.lang), page)
        if first is not page and page.source:
            problems.append(Problem(page.source.path, 1, 0, f"translation_key '{page.key}' is used twice in"
                                    f" '{page.lang}'", f"also in {_where(first)}"))
    return problems


def link_table(sources: Sequence[SourcePage], media: Sequence[str], urls: Urls) -> dict[str, str]:
    """Content paths ('it/x.md', 'media/a.png') -> hrefs: what links written as source paths point to."""
    table = {f"{s.lang}/{s.rel}": urls.href(page_path(s.lang, s.segments)) for s in sources}
    table.update({m: urls.href(m) for m in media})
    return table


def resolver(table: dict[str, str]):
    """Map content paths to hrefs through a `link_table`, with a did-you-mean for misses."""

    def resolve(path: str) -> str | None:
        return table.get(path)

    def hint(path: str) -> str:
        return did_you_mean(path, table) or ""

    return resolve, hint
