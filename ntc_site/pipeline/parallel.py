"""Converting and rendering pages on every core, with exactly the result of doing it in one process.

Markdown conversion and template rendering are most of a full build and each page is independent once the
site model exists, so a process pool shares them out. Every worker (and the serial path, through the same
`Worker` class) builds its own Jinja environment and Markdown converter once, from the same site, strings
and templates, and returns plain data: the converted body, the page bytes or the template problem. The pool
only starts when there is enough work to repay its start-up; small builds and rebuilds stay in-process.
"""
from __future__ import annotations

import gc
import os
import signal
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2

from ..model.site import Page, Site, link_table, resolver
from ..problems import Problem
from ..processing import processing
from ..render import search, views
from ..render.markup import Converter, MarkupResult
from ..render.templates import convert_body, environment, render_page
from . import cache

POOL_MIN = 150  # fewer tasks than this are done in-process: a pool costs more than it saves
CHUNK = 24  # tasks sent to a worker at a time: small, so no core waits long for the last one at the end

Lookups = tuple[tuple[str, str, "str | None"], ...]  # ('resolve' | 'hint', path, answer) in call order
Progress = Callable[[int, int], None]
Links = tuple[Callable[[str], "str | None"], Callable[[str], str]]  # the site's (resolve, hint), see model


@dataclass(frozen=True)
class Task:
    index: int  # position of the page in site.pages
    convert: bool  # convert its Markdown body (only pages with a source)
    render: bool  # render the page with its template
    search: bool  # make its entry of the search index
    body: str | None = None  # the body HTML when it is already known and `convert` is False


@dataclass(frozen=True)
class Done:
    index: int
    converted: bytes | None  # the MarkupResult, pickled here (in parallel), when the task converted the body
    body_problems: list[tuple[int, str, str]]  # the conversion's problems: (line, message, hint)
    lookups: Lookups  # every link lookup the conversion made, so a cached body can be re-checked
    html: bytes | None  # the rendered page, when asked for and the template did not fail
    problem: Problem | None  # the template's problem, when it failed
    search: bytes | None  # its search documents (none for a draft), pickled, when asked for


def workers_for(jobs: int) -> int:
    """`--jobs 0` means one worker per core this process may run on."""
    if jobs > 0:
        return jobs
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def template_problem(err: Exception, page: Page) -> Problem:
    """A template error names the template and line; anything else is a bug and is raised."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        return Problem(f"templates/{err.name}", err.lineno or 0, 0, f"template error: {err.message}")
    if isinstance(err, (jinja2.UndefinedError, jinja2.TemplateError)):
        return Problem(f"templates/{page.template}.html", 0, 0, f"template error on /{page.path}: {err}")
    raise err


def jinja_environment(templates_dir: Path, bytecode_dir: Path | None) -> jinja2.Environment:
    """The strict environment, keeping compiled templates (keyed by their source) in the build cache."""
    env = environment(templates_dir)
    if bytecode_dir is not None:
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
    return env


class Worker:
    """Everything one process needs to convert and render any page of the site, built once."""

    def __init__(self, site: Site, strings: dict[str, dict[str, str]], templates_dir: Path,
                 bytecode_dir: Path | None = None, links: Links | None = None):
        self.site = site
        self.strings = strings
        self.env = jinja_environment(templates_dir, bytecode_dir)
        self.env.auto_reload = False  # a worker lives for one build: its templates are read once
        self.converter = Converter()
        self.shared: dict[str, dict[str, Any]] = {}  # lang -> views.language_parts, made at its first page
        self.resolve, self.hint = links or resolver(link_table([p.source for p in site.pages if p.source],
                                                               site.media, site.urls))

    def convert(self, page: Page) -> tuple[MarkupResult | None, Lookups]:
        log: list[tuple[str, str, str | None]] = []

        def resolve(path: str) -> str | None:
            answer = self.resolve(path)
            log.append(("resolve", path, answer))
            return answer

        def hint(path: str) -> str:
            answer = self.hint(path)
            log.append(("hint", path, answer))
            return answer

        return convert_body(self.site, page, self.converter, resolve, hint), tuple(log)

    def render(self, page: Page, body: str, extra: dict[str, Any]) -> tuple[bytes | None, Problem | None]:
        t = self.strings[page.lang]
        try:
            if page.lang not in self.shared:
                self.shared[page.lang] = views.language_parts(self.site, page.lang, t)
            return render_page(self.env, self.site, page, t, body, extra, self.shared[page.lang]), None
        except Exception as err:  # a template error becomes a Problem; template_problem re-raises the rest
            return None, template_problem(err, page)

    def search_documents(self, page: Page, body: str) -> list[dict[str, Any]]:
        """The page's part of `search.documents`, which treats every page on its own."""
        return search.documents(replace(self.site, pages=(page,)), page.lang, {page.path: body})

    def __call__(self, task: Task) -> Done:
        page = self.site.pages[task.index]
        with processing(page_origin(self.site, page)):
            converted, lookups = self.convert(page) if task.convert else (None, ())
            body = converted.html if converted is not None else task.body
            body = body if body is not None else page.description
            html = problem = docs = None
            if task.render:
                html, problem = self.render(page, body, {})
            if task.search:
                docs = cache.pack(self.search_documents(page, body))
        return Done(task.index, cache.pack(converted) if converted is not None else None,
                    converted.problems if converted is not None else [], lookups, html, problem, docs)


def page_origin(site: Site, page: Page) -> str:
    """The file a page comes from, as messages name it: its Markdown, else the record or package it shows."""
    if page.source is not None:
        return page.source.path
    origins = {**{("cluster", c.id): c.path for c in site.records.clusters},
               **{("area", a.id): a.path for a in site.records.areas},
               **{("dataset", d.name): d.path for d in site.datasets}}
    return origins.get((page.template, page.record_id), f"the page /{page.path}")


def lookups_hold(lookups: Lookups, resolve: Callable[[str], str | None], hint: Callable[[str], str]) -> bool:
    """True when every link lookup of a cached conversion still gets the same answer in this site."""
    return all((resolve(path) if kind == "resolve" else hint(path)) == answer for kind, path, answer in lookups)


_worker: Worker | None = None


def _start(site: Site, strings: dict[str, dict[str, str]], templates_dir: Path, bytecode_dir: Path | None) -> None:
    global _worker
    # Ctrl-C reaches the whole process group: the main process stops the build and the pool with one short
    # line; a worker must not print a traceback of its own. The worker was forked with SIGINT blocked (see
    # `run`): ignored first, then unblocked, so a Ctrl-C pending since the fork is dropped here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _worker = Worker(site, strings, templates_dir, bytecode_dir)


def _chunk(tasks: list[Task]) -> list[Done]:
    assert _worker is not None
    return [_worker(task) for task in tasks]


def run(site: Site, strings: dict[str, dict[str, str]], templates_dir: Path, tasks: list[Task], jobs: int,
        progress: Progress | None = None, bytecode_dir: Path | None = None,
        links: Links | None = None) -> Iterator[Done]:
    """Do every task, in a pool when it pays; the results come in the order of `tasks`, each chunk as soon
    as it is done (so the caller can write pages while the workers go on)."""
    workers = min(workers_for(jobs), len(tasks))
    if not tasks:
        return
    if workers <= 1 or len(tasks) < POOL_MIN:
        worker = Worker(site, strings, templates_dir, bytecode_dir, links)  # pool workers make their own
        for i, task in enumerate(tasks, start=1):
            yield worker(task)
            if progress and (i % 50 == 0 or i == len(tasks)):
                progress(i, len(tasks))
        return
    # With multiprocessing: ~10 ms that a one-page rebuild never needs.
    from concurrent.futures import ProcessPoolExecutor
    size = min(CHUNK, max(1, len(tasks) // (workers * 4)))
    chunks = [tasks[i:i + size] for i in range(0, len(tasks), size)]
    # Forked workers share this process's objects until they write to them; a collection in a worker would
    # write to every one (and walk the whole site each time): frozen, they are left alone.
    gc.freeze()
    # A Ctrl-C landing in a worker before `_start` ignores it would kill it in the middle of taking work,
    # holding the queue's lock: the other workers then wait for ever, and so does this process at exit.
    # So the workers are forked (all of them, on the first submit) with SIGINT blocked; a Ctrl-C meanwhile
    # waits, and reaches this process once it is unblocked.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_start,
                                   initargs=(site, strings, templates_dir, bytecode_dir))
        pending = pool.map(_chunk, chunks)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    count = 0
    try:
        for results in pending:
            yield from results
            count += len(results)
            if progress:
                progress(count, len(tasks))
    except BaseException:  # Ctrl-C, a failure, or the caller stopped: drop the queued chunks
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        gc.unfreeze()
    pool.shutdown()
