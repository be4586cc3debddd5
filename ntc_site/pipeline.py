"""The build, top to bottom: load -> validate -> model -> render -> (the caller) write.

Nothing here touches `--out`: `build()` returns every output file as bytes, or every problem of the run,
so `check` and `serve` reuse it unchanged and `output.py` stays the only writer.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from . import cache, parallel
from . import config as config_mod
from . import datapackages, i18n, records, search
from .markup import MarkupResult
from .model import Site, build as build_model, resolver
from .problems import Problem, sort_problems
from .render import environment, render_special
from .schema import LANGUAGES
from .sitemap import hosting_files
from .urls import Urls, output_file
from .views import common, json_ld
from . import timeline

PROJECT_ROOT = Path(__file__).resolve().parents[1]


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
    bodies: dict[str, Any] = field(default_factory=dict)  # site path -> MarkupResult, for strict checks


def _files_below(root: Path, prefix: str) -> dict[str, Path]:
    found = {}
    if root.is_dir():
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if not name.startswith("."):
                    file = Path(folder) / name
                    found[f"{prefix}{file.relative_to(root).as_posix()}"] = file
    return found


def load(settings: Settings) -> tuple[dict[str, Any], list[Problem]]:
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
                                 settings.content_dir,
                                 settings.templates_dir)
    pages, found = cache.load_pages(settings.content_dir, store)
    problems += found
    strings, found = i18n.load_strings(settings.templates_dir)
    problems += found
    packages: list[Any] = []
    if cfg:
        packages, found = datapackages.load(settings.datasets, recs, cfg)
        problems += found
    media = _files_below(settings.content_dir / "media", "media/")
    return {"config": cfg, "records": recs, "pages": pages, "strings": strings, "packages": packages,
            "media": media, "cache": store}, problems


def build(settings: Settings) -> Result:
    result = Result()
    parts, problems = load(settings)
    if problems or parts["config"] is None:
        result.problems = sort_problems(problems)
        return result
    site, problems = build_model(parts["config"], parts["records"], parts["pages"], parts["packages"],
                                 list(parts["media"]), settings.include_drafts)
    result.site = site
    if problems:
        result.problems = sort_problems(problems)
        return result
    files, problems = render(site, parts, settings, result)
    result.problems = sort_problems(problems)
    if not result.problems:
        result.files = files
    return result


def render(site: Site, parts: dict[str, Any], settings: Settings, result: Result) -> tuple[dict[str, bytes],
                                                                                         list[Problem]]:
    """Every output file; unchanged pages come from the build cache, the rest from the worker pool."""
    strings = parts["strings"]
    store: cache.Store = parts.get("cache") or cache.Store(None)
    site_key = _site_key(site, settings)
    resolve, hint = resolver([p.source for p in site.pages if p.source], site.media, site.urls)
    problems: list[Problem] = []
    converted: dict[int, MarkupResult] = {}
    body_keys: dict[int, str] = {}
    page_keys: dict[int, str] = {}
    pages: dict[int, bytes] = {}
    docs: dict[int, list[dict[str, Any]]] = {}
    tasks: list[parallel.Task] = []
    for i, page in enumerate(site.pages):
        src = page.source
        if src is not None:
            body_keys[i] = cache.digest("body", src.lang, src.rel, str(src.body_line), src.body)
            entry = store.get("body", body_keys[i])
            if entry is not None and parallel.lookups_hold(entry[1], resolve, hint):
                converted[i] = entry[0]
        page_keys[i] = cache.digest(site_key, "page", page.path, body_keys.get(i, ""))
        html = store.get("page", page_keys[i])
        if html is not None:
            pages[i] = html
        cached_docs = store.get("search-docs", page_keys[i])
        if cached_docs is not None:
            docs[i] = cached_docs
        convert = src is not None and i not in converted
        render_it = i not in pages and page.template not in EXTRA_TEMPLATES
        if convert or render_it or i not in docs:
            known = converted[i].html if i in converted else None if src else page.description
            tasks.append(parallel.Task(i, convert, render_it, i not in docs, known))
    for done in parallel.run(site, strings, settings.templates_dir, tasks, settings.jobs, settings.progress):
        if done.converted is not None:
            converted[done.index] = done.converted
            store.put("body", body_keys[done.index], (done.converted, done.lookups))
        if done.html is not None:
            pages[done.index] = done.html
            store.put("page", page_keys[done.index], done.html)
        if done.problem is not None:
            problems.append(done.problem)
        if done.search is not None:
            docs[done.index] = done.search
            store.put("search-docs", page_keys[done.index], done.search)
    bodies: dict[str, str] = {}
    for i, page in enumerate(site.pages):
        if i in converted:
            result.bodies[page.path] = converted[i]
            bodies[page.path] = converted[i].html
            problems += [Problem(page.source.path, line, 0, msg, h) for line, msg, h in converted[i].problems]
        else:
            bodies[page.path] = page.description
    files: dict[str, bytes] = {}
    data_files = _memo(store, "data", site_key, lambda: datapackages.files(site))
    extra_pages = [i for i, page in enumerate(site.pages) if page.template in EXTRA_TEMPLATES and i not in pages]
    if extra_pages:  # few pages, rendered here with the data packages' variables
        worker = parallel.Worker(site, strings, settings.templates_dir)
        for i in extra_pages:
            page = site.pages[i]
            t = strings[page.lang]
            if page.template == "timeline":
                extra = timeline.context(site, page, t)
            else:
                extra = datapackages.page_context(site, page, t, data_files)
            html, problem = worker.render(page, bodies[page.path], extra)
            if html is not None:
                pages[i] = html
                store.put("page", page_keys[i], html)
            if problem is not None:
                problems.append(problem)
    for i, page in enumerate(site.pages):
        if i in pages:
            files[output_file(page.path)] = pages[i]
    for lang in LANGUAGES:  # the index of one language changes only with that language's pages
        key = cache.digest(site_key, "search", lang, *(body_keys.get(i, "") for i, page in enumerate(site.pages)
                                                        if page.lang == lang))
        files.update(_memo(store, "search", key, lambda: _search_files(site, lang, strings, settings, docs)))
    files.update(_memo(store, "special", site_key, lambda: {
        **_special_pages(site, environment(settings.templates_dir), strings), **hosting_files(site)}))
    files.update(data_files)
    for path, file in _files_below(settings.templates_dir / "assets", "assets/").items():
        files[path] = file.read_bytes()
    for path in site.media:
        files[path] = (settings.content_dir / path).read_bytes()
    if not problems:
        store.save()
    return files, problems


EXTRA_TEMPLATES = ("dataset", "datasets", "timeline")  # pages whose variables come from the data packages


def _site_key(site: Site, settings: Settings) -> str:
    """Everything a page can show except the Markdown bodies: code, templates and strings, data, settings,
    records and every page's metadata (so titles, URLs, menus and links of all pages are covered)."""
    meta = []
    for page in site.pages:
        src = page.source
        meta.append(repr(replace(page, source=replace(src, body="") if src else None)))
    return cache.digest(
        cache.code_digest(), cache.tree_digest(settings.templates_dir), cache.tree_digest(settings.datasets),
        cache.tree_digest(settings.content_dir, skip_suffix=".md"), repr(site.config), repr(site.records),
        repr(site.media), str(settings.include_drafts), *meta)


def _memo(store: cache.Store, table: str, key: str, make: Any) -> dict[str, bytes]:
    files = store.get(table, key)
    if files is None:
        files = make()
        store.put(table, key, files)
    return files


def _search_files(site: Site, lang: str, strings: dict[str, dict[str, str]], settings: Settings,
                  page_docs: dict[int, list[dict[str, Any]]]) -> dict[str, bytes]:
    """The search index and page of one language, from each page's documents (made in the workers)."""
    docs = [doc for i, page in enumerate(site.pages) if page.lang == lang for doc in page_docs[i]]
    search_page = _search_page(site, lang, strings[lang])
    context = common(site, search_page, strings[lang])
    context.update(search.page_links(site, strings, lang))
    context["items"] = search.list_items(docs, strings[lang])
    html = environment(settings.templates_dir).get_template("search.html").render(context).encode()
    return {f"{lang}/search-index.json": search.index_json(docs, strings[lang]), output_file(search_page.path): html}


def _search_page(site: Site, lang: str, t: dict[str, str]):
    from .model import Page
    return Page(lang, f"{lang}/{t['search_slug']}/", "search", t["search_title"], t["search_intro"], "search")


def _special_pages(site: Site, env, strings: dict[str, dict[str, str]]) -> dict[str, bytes]:
    urls = site.urls
    homes = {lang: site.by_key("home", lang) for lang in LANGUAGES}
    home_paths = {lang: (p.path if p else f"{lang}/") for lang, p in homes.items()}
    alternates = [{"hreflang": lang, "href": urls.absolute(home_paths[lang])} for lang in LANGUAGES]
    alternates.append({"hreflang": "x-default", "href": urls.absolute("")})
    root = render_special(env, "root.html", {
        "title": strings["it"]["root_title"], "description": site.config.description["it"],
        "canonical": urls.absolute(""), "alternates": alternates, "css": urls.href("assets/site.css"),
        "icon": urls.href("assets/favicon.svg"),
        "choices": [{"lang": lang, "name": strings[lang]["lang_name"], "href": urls.href(home_paths[lang]),
                     "description": site.config.description[lang]} for lang in LANGUAGES],
    })
    not_found = render_special(env, "404.html", {
        "it": strings["it"], "en": strings["en"], "css": urls.href("assets/site.css"),
        "icon": urls.href("assets/favicon.svg"),
        "home_it": urls.href(home_paths["it"]), "home_en": urls.href(home_paths["en"]),
    })
    return {"index.html": root, "404.html": not_found}
