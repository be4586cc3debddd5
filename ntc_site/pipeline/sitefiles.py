"""The files made once for the whole site: search index and page per language, the root language chooser
and 404 page, hosting files (sitemap, robots.txt, .nojekyll, CNAME), the data downloads, and the assets and
media copied as they are.

Each generated group is memoised in the build cache under a key that covers everything it reads.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Callable

from ..languages import LANGUAGES
from ..model.site import Page, Site
from ..render import feeds, search, searchindex
from ..render.sitemap import hosting_files
from ..render.templates import render_special
from ..render.views import common
from ..stored import StoredFile
from ..urls import feed_path, output_file
from . import cache, parallel
from .pages import Rendered
from .warm import Warm


def memo(store: cache.Store, table: str, key: str, make: Callable[[], dict[str, bytes]]) -> dict[str, bytes]:
    files = store.get(table, key)
    if files is None:
        files = make()
        store.put(table, key, files)
    return files


def data_files(site: Site, store: cache.Store, key: str) -> dict[str, StoredFile]:
    """Every file under data/ (per package descriptor, CSV, JSON, XLSX, zip; all.zip; the catalogue), kept
    on disk in a folder of the build cache; the cache table holds only each file's size, digest and time."""
    folder = store.folder_for("data", key)
    manifest = store.get("data", key)
    if manifest is not None and _intact(folder, manifest):
        return {path: StoredFile(folder / path, size, digest) for path, (size, digest, _) in manifest.items()}
    from ..data import (
        downloads,  # imports rdflib and the writers: only when the data changed
    )
    staging = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    written = downloads.stored_files(site, staging)
    shutil.rmtree(folder, ignore_errors=True)
    os.rename(staging, folder)
    manifest = {path: (f.size, f.sha256, (folder / path).stat().st_mtime_ns) for path, f in written.items()}
    store.put("data", key, manifest)
    return {path: StoredFile(folder / path, f.size, f.sha256) for path, f in written.items()}


def _intact(folder: Path, manifest: dict[str, tuple[int, str, int]]) -> bool:
    """The stored files are as written: the published site hard-links them, so an edit made in place in the
    output would show here as another size or modification time (then the files are made anew)."""
    try:
        return all((s := (folder / path).stat()).st_size == size and s.st_mtime_ns == mtime
                   for path, (size, _, mtime) in manifest.items())
    except OSError:
        return False


def site_files(site: Site, strings: dict[str, dict[str, str]], store: cache.Store, site_key: str,
               rendered: Rendered, templates_dir: Path, warm: Warm | None = None) -> tuple[dict[str, bytes], bool]:
    """The files, and whether a search index was left as it was (`Warm.defer_search`, the preview only)."""
    files: dict[str, bytes] = {}
    deferred = False
    for lang in LANGUAGES:  # the index of one language changes only with that language's pages
        key = rendered.search_keys[lang]
        if warm is not None and warm.defer_search and lang in warm.search and store.get("search", key) is None:
            files.update(warm.search[lang])  # the previous index, never stored under the new key
            deferred = True
            continue
        found = memo(store, "search", key, lambda: _search_files(site, lang, strings, templates_dir, rendered))
        if warm is not None:
            warm.search[lang] = found
        files.update(found)
    files.update(memo(store, "special", site_key, lambda: {
        **_special_pages(site, parallel.jinja_environment(templates_dir, rendered.jinja_dir), strings),
        **hosting_files(site, ({lang: search_page(lang, strings[lang]).path for lang in LANGUAGES},)),
        **feeds.files(site, strings)}))
    return files, deferred


def copied_files(templates_dir: Path, media: dict[str, Path]) -> dict[str, bytes]:
    """Assets (CSS, scripts, icons) and the content's media files, byte for byte."""
    files = {path: file.read_bytes() for path, file in files_below(templates_dir / "assets", "assets/").items()}
    files.update({path: file.read_bytes() for path, file in media.items()})
    return files


def files_below(root: Path, prefix: str) -> dict[str, Path]:
    found = {}
    if root.is_dir():
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if not name.startswith("."):
                    file = Path(folder) / name
                    found[f"{prefix}{file.relative_to(root).as_posix()}"] = file
    return found


def search_page(lang: str, t: dict[str, str]) -> Page:
    return Page(lang, f"{lang}/{t['search_slug']}/", "search", t["search_title"], t["search_intro"], "search")


def _search_files(site: Site, lang: str, strings: dict[str, dict[str, str]], templates_dir: Path,
                  rendered: Rendered) -> dict[str, bytes]:
    """The search index and page of one language, from each page's documents (made in the workers)."""
    docs = [doc for i, page in enumerate(site.pages) if page.lang == lang
            for doc in cache.unpack(rendered.docs[i])]
    page = search_page(lang, strings[lang])
    context = common(site, page, strings[lang])
    context.update(search.page_links(site, strings, lang))
    context["items"] = search.list_items(docs, strings[lang])
    env = parallel.jinja_environment(templates_dir, rendered.jinja_dir)
    html = env.get_template("search.html").render(context).encode()
    rendered.layouts[lang], index = searchindex.build(docs, strings[lang])  # the layout: for pipeline/delta.py
    files = {searchindex.folder(lang) + name: data for name, data in index.items()}
    files[output_file(page.path)] = html
    return files


def _special_pages(site: Site, env: Any, strings: dict[str, dict[str, str]]) -> dict[str, bytes]:
    urls = site.urls
    homes = {lang: site.by_key("home", lang) for lang in LANGUAGES}
    home_paths = {lang: (p.path if p else f"{lang}/") for lang, p in homes.items()}
    alternates = [{"hreflang": lang, "href": urls.absolute(home_paths[lang])} for lang in LANGUAGES]
    alternates.append({"hreflang": "x-default", "href": urls.absolute("")})
    feed_links = [{"href": urls.href(feed_path(lang)), "hreflang": lang, "title": strings[lang]["data_feed_title"]}
                  for lang in LANGUAGES] if site.datasets else []
    root = render_special(env, "root.html", {
        "title": strings["it"]["root_title"], "description": site.config.description["it"],
        "canonical": urls.absolute(""), "alternates": alternates, "css": urls.href("assets/site.css"),
        "icon": urls.href("assets/favicon.svg"), "feeds": feed_links,
        "choices": [{"lang": lang, "name": strings[lang]["lang_name"], "href": urls.href(home_paths[lang]),
                     "description": site.config.description[lang]} for lang in LANGUAGES],
    })
    not_found = render_special(env, "404.html", {
        "it": strings["it"], "en": strings["en"], "css": urls.href("assets/site.css"),
        "icon": urls.href("assets/favicon.svg"),
        "feeds": feed_links, "home_it": urls.href(home_paths["it"]), "home_en": urls.href(home_paths["en"]),
    })
    return {"index.html": root, "404.html": not_found}
