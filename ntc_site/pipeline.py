"""The build, top to bottom: load -> validate -> model -> render -> (the caller) write.

Nothing here touches `--out`: `build()` returns every output file as bytes, or every problem of the run,
so `check` and `serve` reuse it unchanged and `output.py` stays the only writer.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import config as config_mod
from . import content, datapackages, i18n, records, search
from .markup import Converter
from .model import Site, build as build_model, resolver
from .problems import Problem, sort_problems
from .render import convert_body, environment, render_page, render_special
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
    pages, found = content.load(settings.content_dir)
    problems += found
    strings, found = i18n.load_strings(settings.templates_dir)
    problems += found
    packages: list[Any] = []
    if cfg:
        packages, found = datapackages.load(settings.datasets, recs, cfg)
        problems += found
    media = _files_below(settings.content_dir / "media", "media/")
    return {"config": cfg, "records": recs, "pages": pages, "strings": strings, "packages": packages,
            "media": media}, problems


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
    strings = parts["strings"]
    env = environment(settings.templates_dir)
    converter = Converter()
    resolve, hint = resolver([p.source for p in site.pages if p.source], site.media, site.urls)
    problems: list[Problem] = []
    files: dict[str, bytes] = {}
    bodies: dict[str, str] = {}
    for page in site.pages:
        converted = convert_body(site, page, converter, resolve, hint)
        if converted is not None:
            result.bodies[page.path] = converted
            bodies[page.path] = converted.html
            problems += [Problem(page.source.path, line, 0, msg, h) for line, msg, h in converted.problems]
        else:
            bodies[page.path] = page.description
    data_files = datapackages.files(site)
    for page in site.pages:
        t = strings[page.lang]
        extra: dict[str, Any] = {}
        if page.template in ("dataset", "datasets"):
            extra = datapackages.page_context(site, page, t, data_files)
        elif page.template == "timeline":
            extra = timeline.context(site, page, t)
        try:
            files[output_file(page.path)] = render_page(env, site, page, t, bodies[page.path], extra)
        except Exception as err:  # a template error names the template and line
            problems.append(_template_problem(err, settings, page))
    for lang in LANGUAGES:
        docs = search.documents(site, lang, bodies)
        files[f"{lang}/search-index.json"] = search.index_json(docs, strings[lang])
        search_page = _search_page(site, lang, strings[lang])
        context = common(site, search_page, strings[lang])
        context["items"] = search.list_items(docs, strings[lang])
        files[output_file(search_page.path)] = env.get_template("search.html").render(context).encode()
    files.update(_special_pages(site, env, strings))
    files.update(hosting_files(site))
    files.update(data_files)
    for path, file in _files_below(settings.templates_dir / "assets", "assets/").items():
        files[path] = file.read_bytes()
    for path in site.media:
        files[path] = (settings.content_dir / path).read_bytes()
    return files, problems


def _search_page(site: Site, lang: str, t: dict[str, str]):
    from .model import Page
    return Page(lang, f"{lang}/{t['search_slug']}/", "search", t["search_title"], t["search_intro"], "search")


def _template_problem(err: Exception, settings: Settings, page) -> Problem:
    import jinja2
    if isinstance(err, jinja2.TemplateSyntaxError):
        return Problem(f"templates/{err.name}", err.lineno or 0, 0, f"template error: {err.message}")
    if isinstance(err, (jinja2.UndefinedError, jinja2.TemplateError)):
        return Problem(f"templates/{page.template}.html", 0, 0, f"template error on /{page.path}: {err}")
    raise err


def _special_pages(site: Site, env, strings: dict[str, dict[str, str]]) -> dict[str, bytes]:
    urls = site.urls
    homes = {lang: site.by_key("home", lang) for lang in LANGUAGES}
    home_paths = {lang: (p.path if p else f"{lang}/") for lang, p in homes.items()}
    alternates = [{"hreflang": lang, "href": urls.absolute(home_paths[lang])} for lang in LANGUAGES]
    alternates.append({"hreflang": "x-default", "href": urls.absolute("")})
    root = render_special(env, "root.html", {
        "title": strings["it"]["root_title"], "description": site.config.description["it"],
        "canonical": urls.absolute(""), "alternates": alternates, "css": urls.href("assets/site.css"),
        "choices": [{"lang": lang, "name": strings[lang]["lang_name"], "href": urls.href(home_paths[lang]),
                     "description": site.config.description[lang]} for lang in LANGUAGES],
    })
    not_found = render_special(env, "404.html", {
        "it": strings["it"], "en": strings["en"], "css": urls.href("assets/site.css"),
        "home_it": urls.href(home_paths["it"]), "home_en": urls.href(home_paths["en"]),
    })
    return {"index.html": root, "404.html": not_found}
