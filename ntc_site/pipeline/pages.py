"""Rendering every page: unchanged pages come from the build cache, the rest from the worker pool.

For each page it decides what is missing (the Markdown conversion, the HTML, the search documents), hands
that to `parallel.run`, stores what comes back, and renders the few pages whose variables come from the
data packages (dataset pages, data index, timeline) here, after the pool.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from ..languages import LANGUAGES
from ..model.site import Page, Site, link_table, resolver
from ..problems import Problem
from ..processing import processing
from ..render.templates import EXTRA_TEMPLATES
from ..stored import StoredFile
from ..urls import output_file
from . import cache, fingerprint, parallel


@dataclass
class Rendered:
    files: dict[str, bytes] = field(default_factory=dict)  # output path -> HTML of every page
    problems: list[Problem] = field(default_factory=list)
    bodies: Mapping[str, Any] = field(default_factory=dict)  # site path -> MarkupResult (unpickled on use)
    search_keys: dict[str, str] = field(default_factory=dict)  # lang -> cache key of its search files
    docs: dict[int, bytes] = field(default_factory=dict)  # page index -> pickled search documents
    page_keys: dict[int, str] = field(default_factory=dict)  # page index -> its key in the page tables
    layouts: dict[str, Any] = field(default_factory=dict)  # lang -> searchindex.Layout of an index made now
    links: dict[str, str] = field(default_factory=dict)  # the site's model.site.link_table
    jinja_dir: Path | None = None  # compiled templates, shared with the workers


def render_pages(site: Site, strings: dict[str, dict[str, str]], store: cache.Store, site_key: str,
                 templates_dir: Path, jobs: int, progress: Callable[[int, int], None] | None,
                 data_files: Mapping[str, StoredFile], stage: Callable[[str, bytes], None] | None = None,
                 body_key: Callable[[Any], str] = cache.body_key) -> Rendered:
    """Every page's HTML; `stage` gets each page rendered in this build as soon as it is there.
    `body_key`: the preview passes a memoised `cache.body_key` (pipeline/warm.py)."""
    out = Rendered(links=link_table([p.source for p in site.pages if p.source], site.media, site.urls))
    resolve, hint = resolver(out.links)
    bodies: dict[str, Any] = {}  # site path -> MarkupResult, or its pickle while nobody needs it
    body_problems: dict[int, list[tuple[int, str, str]]] = {}
    body_keys = {i: body_key(p.source) for i, p in enumerate(site.pages) if p.source}
    page_keys = {i: fingerprint.digest(site_key, "page", p.path, body_keys.get(i, "")) for i, p in enumerate(site.pages)}
    out.page_keys = page_keys
    out.search_keys = {lang: fingerprint.digest(site_key, "search", lang, *(body_keys.get(i, "") for i, p in
                                                                       enumerate(site.pages) if p.lang == lang))
                       for lang in LANGUAGES}
    search_cached = {lang: store.get("search", key) is not None for lang, key in out.search_keys.items()}
    pages: dict[int, bytes] = {}
    tasks: list[parallel.Task] = []
    for i, page in enumerate(site.pages):
        if i in body_keys:
            entry = store.get("body", body_keys[i])
            if entry is not None and parallel.lookups_hold(entry[1], resolve, hint):
                bodies[page.path], body_problems[i] = cache.Packed(entry[0]), entry[2]
        html = store.get("page", page_keys[i])
        if html is not None:
            pages[i] = html
        if not search_cached[page.lang]:  # the entries of an index that has to be remade
            found = store.get("search-docs", page_keys[i])
            if found is not None:
                out.docs[i] = found
        convert = i in body_keys and page.path not in bodies
        render_it = i not in pages and page.template not in EXTRA_TEMPLATES
        want_docs = not search_cached[page.lang] and i not in out.docs
        if convert or render_it or want_docs:
            known = None if convert else body_html(page, bodies)
            tasks.append(parallel.Task(i, convert, render_it, want_docs, known))
    out.jinja_dir = store.folder / "jinja" if store.folder is not None else None
    if out.jinja_dir is not None:
        out.jinja_dir.mkdir(parents=True, exist_ok=True)
    for done in parallel.run(site, strings, templates_dir, tasks, jobs, progress, out.jinja_dir, (resolve, hint)):
        if done.converted is not None:
            bodies[site.pages[done.index].path] = cache.Packed(done.converted)
            body_problems[done.index] = done.body_problems
            store.put("body", body_keys[done.index], (done.converted, done.lookups, done.body_problems))
        if done.html is not None:
            pages[done.index] = done.html
            store.put("page", page_keys[done.index], done.html)
            if stage is not None:
                stage(output_file(site.pages[done.index].path), done.html)
        if done.problem is not None:
            out.problems.append(done.problem)
        if done.search is not None:
            out.docs[done.index] = done.search
            store.put("search-docs", page_keys[done.index], done.search)
    out.bodies = cache.Unpacking(bodies)
    for i, found in body_problems.items():
        out.problems += [Problem(site.pages[i].source.path, line, 0, msg, h) for line, msg, h in found]
    extra_pages = [i for i, page in enumerate(site.pages) if page.template in EXTRA_TEMPLATES and i not in pages]
    if extra_pages:  # few pages, rendered here with the data packages' variables
        worker = parallel.Worker(site, strings, templates_dir, out.jinja_dir, (resolve, hint))
        for i in extra_pages:
            with processing(parallel.page_origin(site, site.pages[i])):
                html, problem = _render_extra(worker, site, site.pages[i], strings, out.bodies, data_files)
            out.problems += problem
            if html is not None:
                pages[i] = html
                store.put("page", page_keys[i], html)
    out.files = {output_file(page.path): pages[i] for i, page in enumerate(site.pages) if i in pages}
    return out


def _render_extra(worker: parallel.Worker, site: Site, page: Page, strings: dict[str, dict[str, str]],
                  bodies: Mapping[str, Any], data_files: Mapping[str, StoredFile]
                  ) -> tuple[bytes | None, list[Problem]]:
    from ..render import (  # heavy imports: only when these pages change
        dataset_views,
        timeline,
    )
    t = strings[page.lang]
    if page.template == "timeline":
        extra = timeline.context(site, page, t)
    else:
        extra = dataset_views.context(site, page, t, data_files)
    html, problem = worker.render(page, body_html(page, bodies), extra)
    return html, [problem] if problem is not None else []


def body_html(page: Page, bodies: Mapping[str, Any]) -> str:
    """What the page shows as its body: the converted Markdown, or the description of a generated page."""
    if page.path not in bodies:
        return page.description
    body = bodies[page.path]
    return (cache.unpack(body) if isinstance(body, cache.Packed) else body).html
