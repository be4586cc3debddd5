"""The build, top to bottom: load -> validate -> model -> render -> (the caller) write.

Nothing here touches `--out`: `build()` returns every output file as bytes, or every problem of the run,
so `check` and `serve` reuse it unchanged and `write/output.py` stays the only writer.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
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
from ..stored import BuiltFile
from . import cache, fingerprint, pages, parallel, sitefiles, sources
from .fingerprint import PROJECT_ROOT
from .warm import Warm


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
    warm: Warm | None = field(default=None, compare=False)  # what the preview keeps between its rebuilds
    # Takes each page's output file (path, bytes) as soon as it is rendered, while the pool works on: the
    # command line stages it for writing (write/output.py). The build still returns every file.
    stage: Callable[[str, bytes], None] | None = field(default=None, compare=False)
    keep_state: bool = False  # return what the next build needs to re-render single pages (pipeline/delta.py)

    @property
    def datasets(self) -> Path:
        return self.datasets_dir or self.content_dir.parent / "datasets"


@dataclass
class Result:
    files: dict[str, BuiltFile] = field(default_factory=dict)  # big data files stay on disk
    problems: list[Problem] = field(default_factory=list)
    site: Site | None = None
    bodies: Mapping[str, Any] = field(default_factory=dict)  # site path -> MarkupResult, for strict checks
    notes: list[str] = field(default_factory=list)  # one line each, printed by the command line
    search_deferred: bool = False  # a search index is the previous one (preview only: see pipeline/warm.py)
    state: Any = None  # pipeline.delta.State, when `Settings.keep_state` and the build succeeded


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
    history: Any = None  # data.versions.History
    pages_complete: bool = True  # every page file was read without a problem (so links to them resolve)


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
    recs, found = (settings.warm.records if settings.warm else records.load)(settings.content_dir)
    problems += found
    store = cache.Store.for_site(fingerprint.cache_dir(settings.cache_dir, settings.content_dir.absolute().parent),
                                 settings.content_dir, settings.templates_dir,
                                 f"drafts={settings.include_drafts} base_url={settings.base_url}")
    if settings.warm is not None:
        store = settings.warm.store_for(store)
    page_sources, found = sources.load_pages(settings.content_dir, store, settings.warm)
    problems += found
    pages_complete = not found
    strings, found = (settings.warm.strings if settings.warm else load_strings)(settings.templates_dir)
    problems += found
    packages: list[Any] = []
    if cfg:  # validating the data packages is slow: memoised by everything it reads
        key = fingerprint.digest("packages", fingerprint.code_digest(), os.getcwd(), str(settings.datasets.absolute()),
                           fingerprint.tree_digest(settings.datasets), repr(recs), repr(cfg))
        memo = store.get("packages", key)
        if memo is None:
            memo = _load_packages(settings, recs, cfg)
            store.put("packages", key, memo)
        packages, found = memo
        problems += found
    history = _history(settings, store, packages, key) if packages and not problems else None
    media = sitefiles.files_below(settings.content_dir / "media", "media/")
    return Inputs(cfg, recs, page_sources, strings, packages, media, store, history, pages_complete), problems


def _history(settings: Settings, store: cache.Store, packages: list[Any], packages_key: str) -> Any:
    """Every published version of each package, from git; memoised by HEAD and today's packages."""
    from ..data import versions
    head = versions.head(settings.datasets)
    key = fingerprint.digest("history", packages_key, head or "no git")
    history = store.get("history", key)
    if history is None:
        folder = store.folder_for("history", key)  # kept while the entry is: old versions read from it
        history = versions.load(settings.datasets, settings.content_dir, packages, folder)
        store.put("history", key, history)
    return history



def _load_packages(settings: Settings, recs: Any, cfg: Any) -> tuple[list[Any], list[Problem]]:
    from ..data import packages  # imports frictionless: only when the data changed
    return packages.load(settings.datasets, recs, cfg)


def build(settings: Settings) -> Result:
    result = Result()
    inputs, problems = load(settings)
    if problems or inputs.config is None:
        result.problems = sort_problems(problems + _link_problems(inputs, settings))
        return result
    site, problems = build_model(inputs.config, inputs.records, inputs.pages, inputs.packages,
                                 list(inputs.media), settings.include_drafts)
    site = replace(site, history=inputs.history)
    result.site = site
    if inputs.history is not None and inputs.history.note:
        result.notes.append(inputs.history.note)
    problems += _reserved_paths(site, inputs.strings)
    if problems:
        result.problems = sort_problems(problems)
        return result
    files, problems = render(site, inputs, settings, result)
    result.problems = sort_problems(problems)
    if not result.problems:
        result.files = files
    return result


def render(site: Site, inputs: Inputs, settings: Settings, result: Result) -> tuple[dict[str, BuiltFile],
                                                                                   list[Problem]]:
    """Every output file: the pages, then the files made once for the whole site."""
    store = inputs.cache
    site_key = fingerprint.digest(cache.site_key(site, settings.templates_dir, settings.datasets, settings.content_dir,
                                           settings.include_drafts), repr(site.history))
    data_files = sitefiles.data_files(site, store, site_key)
    rendered = pages.render_pages(site, inputs.strings, store, site_key, settings.templates_dir, settings.jobs,
                                  settings.progress, data_files, settings.stage,
                                  settings.warm.body_key if settings.warm else cache.body_key)
    result.bodies = rendered.bodies
    files: dict[str, BuiltFile] = dict(rendered.files)
    made, result.search_deferred = sitefiles.site_files(site, inputs.strings, store, site_key, rendered,
                                                        settings.templates_dir, settings.warm)
    files.update(made)
    files.update(data_files)
    files.update(sitefiles.copied_files(settings.templates_dir, inputs.media))
    if settings.keep_state and not rendered.problems:
        from . import delta
        result.state = delta.capture(site, inputs.strings, settings.templates_dir, rendered, store)
    if not rendered.problems and settings.warm is None:  # the preview saves after the reload
        store.save()
    return files, rendered.problems


def _link_problems(inputs: Inputs, settings: Settings) -> list[Problem]:
    """When other inputs stop the build, the pages' links are still checked, so that one run names every
    problem: only the Markdown is converted (links need the pages and media, not the records or templates),
    and only when every page was read, since a page that failed to load would make links to it look broken."""
    if inputs.config is None or not inputs.pages_complete or not inputs.pages:
        return []
    site, _ = build_model(inputs.config, inputs.records, inputs.pages, [], list(inputs.media),
                          settings.include_drafts)
    tasks = [parallel.Task(i, True, False, False) for i, page in enumerate(site.pages) if page.source]
    done = parallel.run(site, inputs.strings, settings.templates_dir, tasks, settings.jobs)
    return [Problem(site.pages[d.index].source.path, line, 0, message, hint)  # type: ignore[union-attr]
            for d in done for line, message, hint in d.body_problems]


def _reserved_paths(site: Site, strings: dict[str, dict[str, str]]) -> list[Problem]:
    """Pages may not take the URLs of files the build makes itself (search page and index)."""
    reserved = {}
    for lang in LANGUAGES:
        reserved[sitefiles.search_page(lang, strings[lang]).path] = "the search page"
        reserved[searchindex.folder(lang)] = "the search index"
    return [Problem(p.source.path, 1, 0, f"URL /{p.path} is reserved for {reserved[p.path]}",
                    "choose another slug or file name") for p in site.pages if p.path in reserved and p.source]
