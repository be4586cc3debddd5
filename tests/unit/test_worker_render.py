"""A worker renders each page exactly as `render_page` alone would, though it works out the parts of the page
that are the same for every page of a language once per language, and exactly as the stock Jinja environment
would, though ours looks a dict's keys up first (issue 17)."""
from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from support import FIXTURE, ROOT

from ntc_site.model.site import build
from ntc_site.pipeline import pages, parallel
from ntc_site.pipeline import run as pipeline
from ntc_site.render import templates, views


def _site(content: Path):
    parts, problems = pipeline.load(pipeline.Settings(content_dir=content, cache_dir=None))
    assert not problems
    site, problems = build(parts.config, parts.records, parts.pages, parts.packages, list(parts.media), False)
    assert not problems
    return site, parts.strings


@pytest.mark.parametrize("content", [ROOT / "content", FIXTURE / "content"], ids=["real", "fixture"])
def test_every_page_a_worker_renders_equals_the_page_rendered_alone(content: Path):
    site, strings = _site(content)
    worker = parallel.Worker(site, strings, ROOT / "templates")
    alone = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "templates")), **templates.OPTIONS)
    rendered = [p for p in site.pages if p.template not in pages.EXTRA_TEMPLATES]
    assert {p.lang for p in rendered} == {"it", "en"} and len({p.template for p in rendered}) >= 3
    for page in sorted(rendered, key=lambda p: (p.path.count("/"), p.path)):  # the languages interleaved
        body = f"<p>{page.title}</p>"
        html, problem = worker.render(page, body, {})
        assert problem is None
        assert html == templates.render_page(alone, site, page, strings[page.lang], body, {}), page.path
    assert set(worker.shared) == {"it", "en"}
    for lang, shared in worker.shared.items():
        assert shared == views.language_parts(site, lang, strings[lang])


def test_a_key_named_like_a_dict_attribute_and_a_missing_key_are_looked_up_as_by_stock_jinja():
    source = "{{ d.name }}|{{ d.items is callable }}|{{ d.get('name') }}|{{ o.real }}|{{ d.missing is defined }}"
    stock = jinja2.Environment(**templates.OPTIONS).from_string(source)
    ours = templates.environment(ROOT / "templates").from_string(source)
    context = {"d": {"name": "x", "items": "shadowed", "get": "shadowed"}, "o": 3}
    assert ours.render(context) == stock.render(context) == "x|True|x|3|False"
    with pytest.raises(jinja2.UndefinedError):
        templates.environment(ROOT / "templates").from_string("{{ d.missing }}").render(context)
