"""The worker pool: same results as one process, in task order; lookups and template problems."""
from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest
from support import FIXTURE, ROOT

from ntc_site.model.site import Page
from ntc_site.pipeline import cache, pages, parallel
from ntc_site.pipeline import run as pipeline


@pytest.fixture(scope="module")
def fixture_site():
    settings = pipeline.Settings(content_dir=FIXTURE / "content", cache_dir=None)
    parts, problems = pipeline.load(settings)
    assert not problems
    from ntc_site.model.site import build
    site, problems = build(parts.config, parts.records, parts.pages, parts.packages,
                           list(parts.media), False)
    assert not problems
    return site, parts.strings


def _tasks(site) -> list[parallel.Task]:
    return [parallel.Task(i, page.source is not None, page.template not in pages.EXTRA_TEMPLATES, True,
                          None if page.source else page.description) for i, page in enumerate(site.pages)]


def test_pool_results_equal_serial_results_in_task_order(fixture_site, monkeypatch):
    site, strings = fixture_site
    tasks = _tasks(site)
    serial = list(parallel.run(site, strings, ROOT / "templates", tasks, jobs=1))
    monkeypatch.setattr(parallel, "POOL_MIN", 1)
    seen: list[tuple[int, int]] = []
    pooled = list(parallel.run(site, strings, ROOT / "templates", tasks, jobs=2,
                               progress=lambda done, total: seen.append((done, total))))
    assert [d.index for d in pooled] == [t.index for t in tasks]

    def plain(done: parallel.Done) -> tuple:
        unpack = lambda blob: cache.unpack(blob) if blob is not None else None  # noqa: E731
        return (done.index, unpack(done.converted), done.body_problems, done.lookups, done.html, done.problem,
                unpack(done.search))

    assert [plain(d) for d in pooled] == [plain(d) for d in serial]
    assert seen[-1] == (len(tasks), len(tasks))
    assert any(d.html for d in serial) and any(d.converted for d in serial) and all(d.search is not None
                                                                                    for d in serial)


def test_no_tasks_start_nothing(fixture_site, monkeypatch):
    site, strings = fixture_site
    monkeypatch.setattr(parallel, "Worker", None)  # would fail if it were built
    assert list(parallel.run(site, strings, ROOT / "templates", [], jobs=2)) == []


def test_workers_for():
    assert parallel.workers_for(3) == 3
    assert parallel.workers_for(0) >= 1


def test_lookups_hold_only_when_every_answer_is_the_same():
    table = {"it/a.md": "/it/a/"}
    resolve, hint = table.get, lambda path: "did you mean it/a.md?"
    assert parallel.lookups_hold((), resolve, hint)
    assert parallel.lookups_hold((("resolve", "it/a.md", "/it/a/"), ("resolve", "it/b.md", None)), resolve, hint)
    assert not parallel.lookups_hold((("resolve", "it/a.md", "/it/a-old/"),), resolve, hint)
    assert not parallel.lookups_hold((("resolve", "it/b.md", "/it/b/"),), resolve, hint)
    assert not parallel.lookups_hold((("hint", "it/x.md", "did you mean it/y.md?"),), resolve, hint)


def test_conversion_records_its_lookups(fixture_site):
    site, strings = fixture_site
    worker = parallel.Worker(site, strings, ROOT / "templates")
    home = next(i for i, p in enumerate(site.pages) if p.key == "home" and p.lang == "it")
    done = worker(parallel.Task(home, True, False, False))
    assert ("resolve", "it/chi-siamo.md", "/ntc-site/it/chi-siamo/") in done.lookups
    assert done.html is None and done.search is None


def test_template_errors_become_problems(tmp_path: Path, fixture_site):
    site, strings = fixture_site
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "page.html").write_text("{% extends 'base.html' %}{% block content %}{{ nope }}{% endblock %}")
    worker = parallel.Worker(site, strings, templates)
    index = next(i for i, p in enumerate(site.pages) if p.template == "page")
    done = worker(parallel.Task(index, True, True, False))
    assert done.html is None
    assert done.problem is not None and done.problem.path == "templates/page.html"
    assert "nope" in done.problem.message
    syntax = parallel.template_problem(jinja2.TemplateSyntaxError("bad", 3, "x.html"), site.pages[index])
    assert (syntax.path, syntax.line) == ("templates/x.html", 3)
    with pytest.raises(ZeroDivisionError):
        parallel.template_problem(ZeroDivisionError(), Page("it", "it/", "k", "t", "", "page"))


def test_a_failing_worker_stops_the_pool_and_raises(fixture_site, monkeypatch):
    site, strings = fixture_site
    monkeypatch.setattr(parallel, "POOL_MIN", 1)
    bad = [parallel.Task(len(site.pages) + 5, False, True, False, "")] + _tasks(site)  # no such page
    with pytest.raises(IndexError):
        list(parallel.run(site, strings, ROOT / "templates", bad, jobs=2))


def _record_mask_then_start(record: str, *args):
    """Runs first in a pool worker: notes whether SIGINT was blocked when the worker began."""
    import os
    import signal
    at_fork = signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, set())
    parallel._real_start(*args)
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    after = (ignored, signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, set()))
    Path(f"{record}-{os.getpid()}").write_text(" ".join(map(str, (at_fork, *after))))


def test_workers_begin_with_ctrl_c_blocked_then_ignore_it(fixture_site, monkeypatch, tmp_path: Path):
    """A Ctrl-C must never reach a worker before it ignores SIGINT (it would die holding the work queue's
    lock, and the build would hang), and the main process gets its SIGINT handling back."""
    import functools
    import signal
    site, strings = fixture_site
    record = tmp_path / "mask"
    monkeypatch.setattr(parallel, "POOL_MIN", 1)
    monkeypatch.setattr(parallel, "_real_start", parallel._start, raising=False)
    monkeypatch.setattr(parallel, "_start", functools.partial(_record_mask_then_start, str(record)))
    before = signal.pthread_sigmask(signal.SIG_BLOCK, set())
    list(parallel.run(site, strings, ROOT / "templates", _tasks(site)[:3], jobs=1 + 1))
    assert signal.pthread_sigmask(signal.SIG_BLOCK, set()) == before
    seen = [f.read_text() for f in tmp_path.glob("mask-*")]
    assert seen == ["True True False"] * 2  # each worker: blocked at the fork; then ignored, and unblocked
