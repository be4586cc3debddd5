"""The preview's warm rebuilds (pipeline/warm.py, issue 17) give what a clean build gives, without re-reading.

For each change of the incremental-build tests: build with a `Warm`, change the project, rebuild with the same
`Warm` (the search index may be left as it was: that build says so), rebuild once more with the index
remade, and compare with a clean build of the changed project in a new cache, file by file.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import test_incremental as incremental

from ntc_site.load import records
from ntc_site.pipeline import parallel, sources
from ntc_site.pipeline import run as pipeline
from ntc_site.pipeline import warm as warm_mod
from ntc_site.pipeline.warm import Warm
from ntc_site.preview.overlay import Snapshot
from ntc_site.preview.rebuilds import Preview, shows_differently
from ntc_site.stored import content


@pytest.fixture
def project(data_project: Path) -> Path:
    return data_project


def settings(project: Path, cache: Path, warm: Warm | None) -> pipeline.Settings:
    return pipeline.Settings(content_dir=project / "content", templates_dir=project / "templates", cache_dir=cache,
                             include_drafts=True, jobs=1, warm=warm)


def files(result: pipeline.Result, search: set[str] | None = None, inside: bool = True) -> dict[str, bytes]:
    """The built files' bytes; only those in `search` (inside) or all but them (not inside)."""
    assert not result.problems, result.problems
    return {path: content(f) for path, f in result.files.items() if search is None or (path in search) == inside}


@pytest.mark.parametrize("change", list(incremental.CHANGES))
def test_warm_preview_rebuilds_equal_a_clean_build(change: str, project: Path, tmp_path: Path):
    warm = Warm(defer_search=True)
    first = pipeline.build(settings(project, tmp_path / "cache", warm))
    search = {path for made in warm.search.values() for path in made}  # each language's index and search page
    assert any("/search-index/" in path for path in search) and any(p.endswith("/index.html") for p in search)
    incremental.CHANGES[change](project)  # no `warm.changed`: the files' stamps alone must show the change
    shown = pipeline.build(settings(project, tmp_path / "cache", warm))
    warm.defer_search = False
    complete = pipeline.build(settings(project, tmp_path / "cache", warm))
    clean = pipeline.build(settings(project, tmp_path / "clean-cache", None))
    assert files(complete) == files(clean) != files(first)
    assert files(shown, search, inside=False) == files(clean, search, inside=False)
    if shown.search_deferred:
        assert files(shown, search) == files(first, search)  # shown as they were until the next build
    else:
        assert files(shown, search) == files(clean, search)
    assert not complete.search_deferred and not clean.search_deferred


def test_a_page_edit_defers_its_language_s_search_index(project: Path, tmp_path: Path):
    warm = Warm(defer_search=True)
    pipeline.build(settings(project, tmp_path / "cache", warm))
    incremental._page_body(project)
    assert pipeline.build(settings(project, tmp_path / "cache", warm)).search_deferred


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    real = sources._plain_file_bytes
    monkeypatch.setattr(sources, "_plain_file_bytes", lambda file: reads.append(file.name) or real(file))
    return reads


def test_unchanged_pages_are_not_read_again_and_the_cache_stays_in_memory(project: Path, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch):
    warm = Warm()
    cache = tmp_path / "cache"
    first = pipeline.build(settings(project, cache, warm))
    warm.save()
    for table in cache.glob("*.pickle"):
        table.unlink()  # a warm store never reads its tables again
    reads = _counting_reads(monkeypatch)
    counts: list[int] = []
    real = parallel.run
    monkeypatch.setattr(parallel, "run", lambda site, strings, templates, tasks, *a: counts.append(len(tasks))
                        or real(site, strings, templates, tasks, *a))
    keyed: list[str] = []
    real_key = warm_mod.body_key
    monkeypatch.setattr(warm_mod, "body_key", lambda source: keyed.append(source.rel) or real_key(source))
    again = pipeline.build(settings(project, cache, warm))
    assert reads == [] and counts == [0] and keyed == []
    assert files(again) == files(first)
    page = project / "content/it/chi-siamo.md"
    warm.changed([str(page)])  # what watchfiles reported is read again, whatever its stamp says
    pipeline.build(settings(project, cache, warm))
    assert reads == ["chi-siamo.md"] and keyed == []  # the same bytes: the same parse, its key known
    incremental._page_body(project)
    pipeline.build(settings(project, cache, warm))
    assert keyed == ["chi-siamo.md"]
    warm.save()
    assert sorted(cache.glob("*.pickle"))  # written by the preview, not by the build


@pytest.mark.parametrize("what", ["record", "interface string"])
def test_records_and_strings_are_read_again_only_when_a_file_of_theirs_changed(what: str, project: Path,
                                                                                tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch):
    calls: list[Path] = []
    module, name = (records, "load") if what == "record" else (warm_mod, "load_strings")
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda folder: calls.append(folder) or real(folder))
    warm = Warm()
    pipeline.build(settings(project, tmp_path / "cache", warm))
    warm.changed([str(project / "content/it/chi-siamo.md")])  # a page reported: the rest stays
    pipeline.build(settings(project, tmp_path / "cache", warm))
    assert len(calls) == 1
    incremental.CHANGES[what](project)  # not reported: its stamp shows it
    shown = pipeline.build(settings(project, tmp_path / "cache", warm))
    assert len(calls) == 2
    warm.changed([str(project / "templates/page.html")])  # any other file reported: read again
    pipeline.build(settings(project, tmp_path / "cache", warm))
    assert len(calls) == 3
    assert files(shown) == files(pipeline.build(settings(project, tmp_path / "clean-cache", None)))


def test_the_preview_shows_the_edit_first_then_remakes_the_search_index(project: Path, tmp_path: Path):
    preview = Preview(settings(project, tmp_path / "cache", None))
    preview.apply(preview.build())
    before = preview.snapshot
    incremental._page_body(project)
    preview.apply(preview.build())
    shown = preview.snapshot
    assert preview.search_due
    incremental.edit(project / "content/it/chi-siamo.md", "una frase nuova", "una frase nuova e poi")  # before
    # the index was remade: it waits again
    preview.apply(preview.build())
    again = preview.snapshot
    assert preview.search_due
    assert {p: f for p, f in again.files.items() if "/search-index/" in p} == \
        {p: f for p, f in shown.files.items() if "/search-index/" in p}
    preview.apply(preview.build(remake_search=True))
    assert not preview.search_due
    clean = pipeline.build(settings(project, tmp_path / "clean-cache", None))
    assert {p: content(f) for p, f in preview.snapshot.files.items()} == files(clean)
    assert b"una frase nuova" in content(shown.files["it/chi-siamo/index.html"])
    assert b"una frase nuova e poi" in content(again.files["it/chi-siamo/index.html"])
    assert shows_differently(before, shown)
    assert not shows_differently(again, preview.snapshot)  # only the index changed: no second reload


def test_a_reload_is_sent_for_any_change_but_the_search_index_s():
    base = Snapshot({"it/index.html": b"a", "it/search-index/terms-0.json": b"x"}, (), {}, True)
    assert not shows_differently(base, Snapshot({**base.files, "it/search-index/terms-0.json": b"y"}, (), {}, True))
    assert shows_differently(base, Snapshot({**base.files, "it/index.html": b"b"}, (), {}, True))
    assert shows_differently(base, Snapshot({**base.files, "it/new/index.html": b"c"}, (), {}, True))
    assert shows_differently(base, Snapshot(base.files, (), {}, False))
