"""The build, top to bottom: load -> validate -> model -> render -> (the caller) write.

Nothing here touches `--out`: `build()` returns every output file as bytes, or every problem of the run,
so `check` and `serve` reuse it unchanged and `write/output.py` stays the only writer.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from ..languages import LANGUAGES
from ..load import config as config_mod
from ..load import records
from ..load.strings import load_strings
from ..model.site import Site
from ..model.site import build as build_model
from ..problems import Problem, sort_problems
from ..render import searchindex
from . import cache, pages, sitefiles, sources

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    content_dir: Path
    templates_dir: Path = PROJECT_ROOT / "templates"
    datasets_dir: Path | None = None  # default: 'datasets' beside the content folder
    base_url: str | None = None
    include_drafts: bool = False
    jobs: int = 0  # worker processes; 0 = one per core
    cache_dir: Path | None = None  # default: $NTC_CACHE_DIR, else .cache/ in the project
    progress: Callable[[int, int], None] | None = field(default=None, compare=False)  # (done, total) pages

    @property
    def datasets(self) -> Path:
        return self.datasets_dir or self.content_dir.parent / "datasets"


@dataclass
class Result:
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    site: Site | None = None
    bodies: Mapping[str, Any] = field(default_factory=dict)  # site path -> MarkupResult, for strict checks


@dataclass(frozen=True)
class Inputs:
    """Everything the loaders read, validated: what the model and the renderers start from."""

    config: config_mod.SiteConfig | None
    records: records.Records
    pages: list[Any]
    strings: dict[str, dict[str, str]]
    packages: list[Any]
    media: dict[str, Path]  # site path -> file
    cache: cache.Store


def load(settings: Settings) -> tuple[Inputs, list[Problem]]:
    """Read and validate every input; returns the loaded parts and every problem found."""
    problems: list[Problem] = []
    cfg, found = config_mod.load(settings.content_dir)
    problems += found
    if cfg and settings.base_url:
        message = config_mod.base_url_problem(settings.base_url)
        if message:
            problems.append(Problem("--base-url", 0, 0, message))
        else:
            cfg = cfg.with_base_url(settings.base_url)
    recs, found = records.load(settings.content_dir)
    problems += found
    store = cache.Store.for_site(cache.cache_dir(settings.cache_dir, settings.content_dir.absolute().parent),
                                 settings.content_dir, settings.templates_dir,
                                 f"drafts={settings.include_drafts} base_url={settings.base_url}")
    page_sources, found = sources.load_pages(settings.content_dir, store)
    problems += found
    strings, found = load_strings(settings.templates_dir)
    problems += found
    packages: list[Any] = []
    if cfg:  # validating the data packages is slow: memoised by everything it reads
        key = cache.digest("packages", cache.code_digest(), os.getcwd(), str(settings.datasets.absolute()),
                           cache.tree_digest(settings.datasets), repr(recs), repr(cfg))
        memo = store.get("packages", key)
        if memo is None:
            memo = _load_packages(settings, recs, cfg)
            store.put("packages", key, memo)
        packages, found = memo
        problems += found
    media = sitefiles.files_below(settings.content_dir / "media", "media/")
    return Inputs(cfg, recs, page_sources, strings, packages, media, store), problems


def _load_packages(settings: Settings, recs: Any, cfg: Any) -> tuple[list[Any], list[Problem]]:
    from ..data import packages  # imports frictionless: only when the data changed
    return packages.load(settings.datasets, recs, cfg)


def build(settings: Settings) -> Result:
    result = Result()
    inputs, problems = load(settings)
    if problems or inputs.config is None:
        result.problems = sort_problems(problems)
        return result
    site, problems = build_model(inputs.config, inputs.records, inputs.pages, inputs.packages,
                                 list(inputs.media), settings.include_drafts)
    result.site = site
    problems += _reserved_paths(site, inputs.strings)
    if problems:
        result.problems = sort_problems(problems)
        return result
    files, problems = render(site, inputs, settings, result)
    result.problems = sort_problems(problems)
    if not result.problems:
        result.files = files
    return result


def render(site: Site, inputs: Inputs, settings: Settings, result: Result) -> tuple[dict[str, bytes],
                                                                                   list[Problem]]:
    """Every output file: the pages, then the files made once for the whole site."""
    store = inputs.cache
    site_key = cache.site_key(site, settings.templates_dir, settings.datasets, settings.content_dir,
                              settings.include_drafts)
    data_files = sitefiles.memo(store, "data", site_key, lambda: sitefiles.data_files(site))
    rendered = pages.render_pages(site, inputs.strings, store, site_key, settings.templates_dir, settings.jobs,
                                  settings.progress, data_files)
    result.bodies = rendered.bodies
    files = dict(rendered.files)
    files.update(sitefiles.site_files(site, inputs.strings, store, site_key, rendered, settings.templates_dir))
    files.update(data_files)
    files.update(sitefiles.copied_files(settings.templates_dir, inputs.media))
    if not rendered.problems:
        store.save()
    return files, rendered.problems


def _reserved_paths(site: Site, strings: dict[str, dict[str, str]]) -> list[Problem]:
    """Pages may not take the URLs of files the build makes itself (search page and index)."""
    reserved = {}
    for lang in LANGUAGES:
        reserved[sitefiles.search_page(lang, strings[lang]).path] = "the search page"
        reserved[searchindex.folder(lang)] = "the search index"
    return [Problem(p.source.path, 1, 0, f"URL /{p.path} is reserved for {reserved[p.path]}",
                    "choose another slug or file name") for p in site.pages if p.path in reserved and p.source]
