"""End to end: the real and fixture sites built with the faster per-page work (the fast Markdown passes, the
dict-first Jinja lookups, the remembered search pieces) are byte for byte the sites built with the stock
Python-Markdown passes, the stock Jinja environment and the plain search-term rule (issue 17)."""
from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from support import FIXTURE, ROOT, plain_terms, run, tree

from ntc_site.pipeline import parallel
from ntc_site.render import markup, search, templates


def stock_environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir)), **templates.OPTIONS)


@pytest.mark.parametrize("content", [ROOT / "content", FIXTURE / "content"], ids=["real", "fixture"])
def test_the_site_built_the_fast_way_is_the_site_built_the_stock_way(content: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NTC_CACHE_DIR", str(tmp_path / "cache-fast"))
    assert run("build", "--content", content, "--out", tmp_path / "fast", "--jobs", "1") == 0
    monkeypatch.setenv("NTC_CACHE_DIR", str(tmp_path / "cache-stock"))
    monkeypatch.setattr(parallel, "Converter", lambda: markup.Converter(fast=False))
    monkeypatch.setattr(parallel, "environment", stock_environment)
    monkeypatch.setattr(search, "_terms", plain_terms)
    assert run("build", "--content", content, "--out", tmp_path / "stock", "--jobs", "1") == 0
    fast, stock = tree(tmp_path / "fast"), tree(tmp_path / "stock")
    assert len(fast) > 20 and fast.keys() == stock.keys()
    assert [path for path in fast if fast[path] != stock[path]] == []
