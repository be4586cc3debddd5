"""The build, top to bottom: load -> validate -> model -> render -> (the caller) write.

Nothing here touches `--out`: `build()` returns every output file as bytes, or every problem of the run,
so `check` and `serve` reuse it unchanged and `output.py` stays the only writer.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from . import cache, parallel
from . import config as config_mod
from . import i18n, records, search
from .model import Page, Site, build as build_model, resolver
from .problems import Problem, sort_problems
from .render import render_special
from .schema import LANGUAGES
from .sitemap import hosting_files
from .urls import output_file
from .views import common

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
    bodies: Mapping[str, Any] = field(default_factory=dict)  # site path -> MarkupResult, for strict checks


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
                                 settings.content_dir, settings.templates_dir,
                                 f"drafts={settings.include_drafts} base_url={settings.base_url}")
    pages, found = cache.load_pages(settings.content_dir, store)
    problems += found
    strings, found = i18n.load_strings(settings.templates_dir)
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
    media = _files_below(settings.content_dir / "media", "media/")
    return {"config": cfg, "records": recs, "pages": pages, "strings": strings, "packages": packages,
            "media": media, "cache": store}, problems


def _load_packages(settings: Settings, recs: Any, cfg: Any) -> tuple[list[Any], list[Problem]]:
    from . import datapackages  # imports frictionless, openpyxl and rdflib: only when needed
    return datapackages.load(settings.datasets, recs, cfg)


def build(settings: Settings) -> Result:
    result = Result()
    parts, problems = load(settings)
    if problems or parts["config"] is None:
        result.problems = sort_problems(problems)
        return result
    site, problems = build_model(parts["config"], parts["records"], parts["pages"], parts["packages"],
                                 list(parts["media"]), settings.include_drafts)
    result.site = site
    problems += _reserved_paths(site, parts["strings"])
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
    site_key = cache.site_key(site, settings.templates_dir, settings.datasets, settings.content_dir,
                              settings.include_drafts)
    resolve, hint = resolver([p.source for p in site.pages if p.source], site.media, site.urls)
    problems: list[Problem] = []
    bodies: dict[str, Any] = {}  # site path -> MarkupResult, or its pickle while nobody needs it
    body_problems: dict[int, list[tuple[int, str, str]]] = {}
    body_keys = {i: cache.body_key(p.source) for i, p in enumerate(site.pages) if p.source}
    page_keys = {i: cache.digest(site_key, "page", p.path, body_keys.get(i, "")) for i, p in enumerate(site.pages)}
    search_keys = {lang: cache.digest(site_key, "search", lang, *(body_keys.get(i, "") for i, p in
                                                                   enumerate(site.pages) if p.lang == lang))
                   for lang in LANGUAGES}
    search_files = {lang: store.get("search", key) for lang, key in search_keys.items()}
    pages: dict[int, bytes] = {}
    docs: dict[int, bytes] = {}  # pickled search documents of each page
    tasks: list[parallel.Task] = []
    for i, page in enumerate(site.pages):
        if i in body_keys:
            entry = store.get("body", body_keys[i])
            if entry is not None and parallel.lookups_hold(entry[1], resolve, hint):
                bodies[page.path], body_problems[i] = cache.Packed(entry[0]), entry[2]
        html = store.get("page", page_keys[i])
        if html is not None:
            pages[i] = html
        if search_files[page.lang] is None:  # the entries of an index that has to be remade
            found = store.get("search-docs", page_keys[i])
            if found is not None:
                docs[i] = found
        convert = i in body_keys and page.path not in bodies
        render_it = i not in pages and page.template not in EXTRA_TEMPLATES
        want_docs = search_files[page.lang] is None and i not in docs
        if convert or render_it or want_docs:
            known = None if convert else _body_html(page, bodies)
            tasks.append(parallel.Task(i, convert, render_it, want_docs, known))
    jinja_dir = store.folder / "jinja" if store.folder is not None else None
    if jinja_dir is not None:
        jinja_dir.mkdir(parents=True, exist_ok=True)
    for done in parallel.run(site, strings, settings.templates_dir, tasks, settings.jobs, settings.progress,
                             jinja_dir, (resolve, hint)):
        if done.converted is not None:
            bodies[site.pages[done.index].path] = cache.Packed(done.converted)
            body_problems[done.index] = done.body_problems
            store.put("body", body_keys[done.index], (done.converted, done.lookups, done.body_problems))
        if done.html is not None:
            pages[done.index] = done.html
            store.put("page", page_keys[done.index], done.html)
        if done.problem is not None:
            problems.append(done.problem)
        if done.search is not None:
            docs[done.index] = done.search
            store.put("search-docs", page_keys[done.index], done.search)
    result.bodies = cache.Unpacking(bodies)
    for i, found in body_problems.items():
        problems += [Problem(site.pages[i].source.path, line, 0, msg, h) for line, msg, h in found]
    data_files = _memo(store, "data", site_key, lambda: _data_files(site))
    extra_pages = [i for i, page in enumerate(site.pages) if page.template in EXTRA_TEMPLATES and i not in pages]
    if extra_pages:  # few pages, rendered here with the data packages' variables
        from . import datapackages, timeline  # heavy imports: only when these pages change
        worker = parallel.Worker(site, strings, settings.templates_dir, jinja_dir, (resolve, hint))
        for i in extra_pages:
            page = site.pages[i]
            t = strings[page.lang]
            if page.template == "timeline":
                extra = timeline.context(site, page, t)
            else:
                extra = datapackages.page_context(site, page, t, data_files)
            html, problem = worker.render(page, _body_html(page, result.bodies), extra)
            if html is not None:
                pages[i] = html
                store.put("page", page_keys[i], html)
            if problem is not None:
                problems.append(problem)
    files = {output_file(page.path): pages[i] for i, page in enumerate(site.pages) if i in pages}
    for lang in LANGUAGES:  # the index of one language changes only with that language's pages
        files.update(_memo(store, "search", search_keys[lang],
                           lambda: _search_files(site, lang, strings, settings, docs, jinja_dir)))
    files.update(_memo(store, "special", site_key, lambda: {
        **_special_pages(site, parallel.jinja_environment(settings.templates_dir, jinja_dir), strings),
        **hosting_files(site)}))
    files.update(data_files)
    for path, file in _files_below(settings.templates_dir / "assets", "assets/").items():
        files[path] = file.read_bytes()
    for path in site.media:
        files[path] = (settings.content_dir / path).read_bytes()
    if not problems:
        store.save()
    return files, problems


def _data_files(site: Site) -> dict[str, bytes]:
    from . import datapackages
    return datapackages.files(site)


def _body_html(page: Page, bodies: Mapping[str, Any]) -> str:
    """What the page shows as its body: the converted Markdown, or the description of a generated page."""
    if page.path not in bodies:
        return page.description
    body = bodies[page.path]
    return (cache.unpack(body) if isinstance(body, cache.Packed) else body).html


EXTRA_TEMPLATES = ("dataset", "datasets", "timeline")  # pages whose variables come from the data packages


def _memo(store: cache.Store, table: str, key: str, make: Any) -> dict[str, bytes]:
    files = store.get(table, key)
    if files is None:
        files = make()
        store.put(table, key, files)
    return files


def _search_files(site: Site, lang: str, strings: dict[str, dict[str, str]], settings: Settings,
                  page_docs: dict[int, bytes], jinja_dir: Path | None) -> dict[str, bytes]:
    """The search index and page of one language, from each page's documents (made in the workers)."""
    docs = [doc for i, page in enumerate(site.pages) if page.lang == lang for doc in cache.unpack(page_docs[i])]
    search_page = _search_page(site, lang, strings[lang])
    context = common(site, search_page, strings[lang])
    context.update(search.page_links(site, strings, lang))
    context["items"] = search.list_items(docs, strings[lang])
    env = parallel.jinja_environment(settings.templates_dir, jinja_dir)
    html = env.get_template("search.html").render(context).encode()
    return {f"{lang}/search-index.json": search.index_json(docs, strings[lang]), output_file(search_page.path): html}


def _reserved_paths(site: Site, strings: dict[str, dict[str, str]]) -> list[Problem]:
    """Pages may not take the URLs of files the build makes itself (search page and index)."""
    reserved = {}
    for lang in LANGUAGES:
        reserved[_search_page(site, lang, strings[lang]).path] = "the search page"
        reserved[f"{lang}/search-index.json/"] = "the search index"
    return [Problem(p.source.path, 1, 0, f"URL /{p.path} is reserved for {reserved[p.path]}",
                    "choose another slug or file name") for p in site.pages if p.path in reserved and p.source]


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
