"""Jinja2 rendering: one strict environment (autoescape, StrictUndefined) and the page renderer.

A template that names a variable the view did not provide fails the build instead of printing nothing.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import jinja2

from ..model.site import Page, Site
from . import views
from .markup import Converter, MarkupResult

# The templates whose pages also show variables made from the data packages (pipeline/pages.py renders them
# after the pool, with those variables; a one-page rebuild leaves them to the whole build).
EXTRA_TEMPLATES = ("dataset", "datasets", "timeline")
ExtraViews = dict[str, Callable[[Site, Page, dict[str, str]], dict[str, Any]]]
VIEWS: ExtraViews = {
    "home": views.home, "clusters": views.clusters_list, "areas": views.areas_list,
    "cluster": views.cluster_page, "area": views.area_page,
}


OPTIONS: dict[str, Any] = {
    "autoescape": jinja2.select_autoescape(["html", "xml"], default_for_string=True),
    "undefined": jinja2.StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja's environment, with `x.name` on a plain dict looked up as the key first: the stock lookup tries
    the attribute, fails with an exception (the views give dicts) and then the key, which is a third of a
    page's rendering. A name that is also a dict attribute (`items`, `get`…) goes the stock way, so every
    lookup gives what the stock one gives."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if obj.__class__ is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def environment(templates_dir: Path) -> jinja2.Environment:
    return _Environment(loader=jinja2.FileSystemLoader(str(templates_dir)), **OPTIONS)


def convert_body(site: Site, page: Page, converter: Converter, resolve, hint) -> MarkupResult | None:
    if page.source is None:
        return None
    src = page.source
    return converter.convert(src.body, src.body_line, f"{src.lang}/{src.rel}", resolve, hint)


def render_page(env: jinja2.Environment, site: Site, page: Page, t: dict[str, str], body_html: str,
                extra: dict[str, Any], shared: dict[str, Any] | None = None) -> bytes:
    """The page's HTML; `shared`: views.language_parts of its language, when the caller keeps them."""
    context = views.common(site, page, t, shared)
    context["body"] = body_html
    view = VIEWS.get(page.template)
    if view:
        context.update(view(site, page, t))
    jsonld = context["jsonld"] + list(extra.get("jsonld", []))
    context.update(extra)
    context["jsonld"] = jsonld
    return env.get_template(f"{page.template}.html").render(context).encode("utf-8")


def render_special(env: jinja2.Environment, name: str, context: dict[str, Any]) -> bytes:
    return env.get_template(name).render(context).encode("utf-8")
