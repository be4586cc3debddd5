"""The one-page rebuild: pages whose body alone was edited are rendered again without loading the site.

When the inputs differ from the previous build's only in the bodies of a few pages (their front matter as
written, every other input, the settings and the code all the same), `rebuild` loads what that build kept
(`State`: the site model, the interface strings, each language's search index), converts and renders those
pages, updates their languages' search index, and publishes the changed files as a whole build does
(write/changes.py). It reads one file per edited page, not the content folder.

Why the result is the whole build's, byte for byte: a page's HTML and search entry depend only on the site
key (pipeline/cache.py: all a page can show but the Markdown bodies) and on its own body; a language's
search index on its pages' entries; every other output on the site key alone. The build cache keys its
tables on the same facts. With the front matter as it was, the model is the same, hence the site key.
tests/e2e/test_delta_rebuild.py compares the two builds.

The full build runs instead when: anything else changed; the previous build left no state, or the output
is not as it left it (build stamp, pipeline/stamp.py); an edited page has a problem (the full build names
every problem of the site); or the page shows data-package variables (dataset, datasets, timeline).
"""
from __future__ import annotations

import os
import pickle
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from ..languages import LANGUAGES
from ..processing import processing
from ..urls import folders_of, output_file
from ..write.output import MARKER
from . import stamp
from .fingerprint import file_digest

if TYPE_CHECKING:
    from ..model.site import Page, Site
    from .cache import Store
    from .pages import Rendered

FORMAT = 2
MAX_PAGES = 20  # more edited pages than this: the full build, which renders them on every core


@dataclass(frozen=True)
class State:
    """What a build keeps for the next one to re-render single pages: the model without the page bodies
    (`rebuild` reads each edited page anew)."""

    site: Site
    strings: dict[str, dict[str, str]]
    templates_dir: Path
    jinja_dir: Path | None  # compiled templates (build cache)
    pages: dict[str, int]  # page file relative to the content folder ('it/x.md') -> index in site.pages
    search: dict[str, Any]  # lang -> its search index's searchindex.Layout, for the languages it could keep
    links: dict[str, str]  # model.site.link_table of the site: a body's links resolve against it
    dates: dict[tuple[Any, str], str] = field(default_factory=dict)  # languages.date_text's, from earlier rebuilds


@dataclass(frozen=True)
class Outcome:
    files: int  # files of the site
    pages: list[str]  # the pages rendered again, as messages name their files
    notes: list[str]


def capture(site: Site, strings: dict[str, dict[str, str]], templates_dir: Path, rendered: Rendered,
            store: Store) -> State:
    """The state of a whole build that has just rendered `site`."""
    from .. import languages
    from ..render import searchindex
    from .cache import unpack
    search: dict[str, Any] = dict(rendered.layouts)
    for lang in LANGUAGES:
        if lang in search:
            continue
        docs: list[dict[str, Any]] = []  # the index came from the cache: made again from its entries
        for i, page in enumerate(site.pages):
            if page.lang == lang:
                packed = rendered.docs.get(i) or store.get("search-docs", rendered.page_keys[i])
                if packed is None:  # not kept by the cache: this language's pages take the full build
                    break
                docs += unpack(packed)
        else:
            search[lang] = searchindex.build(docs, strings[lang])[0]
    pages = {f"{p.source.lang}/{p.source.rel}": i for i, p in enumerate(site.pages) if p.source is not None}
    # Without the bodies (most of the model's bytes): `rebuild` reads each edited page anew.
    kept = replace(site, pages=tuple(_with(p, source=_with(p.source, body="")) if p.source else p
                                     for p in site.pages))
    return State(kept, strings, templates_dir, rendered.jinja_dir, pages, search, rendered.links,
                 languages.dates_written())


def _with(value: Any, **changes: Any) -> Any:
    """`dataclasses.replace` for a frozen dataclass without `__post_init__`, at a fifth of the cost (it runs
    over every page of a whole build): the instance's fields copied, some changed."""
    copy = object.__new__(type(value))
    copy.__dict__.update(value.__dict__, **changes)
    return copy


# Kept in the build cache folder beside the stamp: one file per part, each with a token the stamp records,
# so parts written by different builds (one killed half-way) are never mixed.
def _part(base: Path, part: str) -> Path:
    return base.with_name(f"{base.name}-{part}.pickle")


def base_of(stamp_file: Path) -> Path:
    return stamp_file.with_name("delta-" + stamp_file.stem.removeprefix("stamp-"))


def save(base: Path, state: State, parts: tuple[str, ...]) -> dict[str, str]:
    """Write the parts ('site' and languages) of `state`; their tokens, for the stamp."""
    tokens: dict[str, str] = {}
    values: dict[str, Any] = {"site": (state.site, state.strings, state.templates_dir, state.jinja_dir,
                                       state.pages, state.links)}
    for part in parts:
        if part in state.search:
            values[part] = (state.search[part], state.dates)
        value = values.get(part)  # None for a language whose index the build could not keep
        file = _part(base, part)
        file.unlink(missing_ok=True)
        if value is None:
            continue
        token = os.urandom(8).hex()
        tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(pickle.dumps((FORMAT, token, value), protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, file)
        finally:
            tmp.unlink(missing_ok=True)
        tokens[part] = token
    return tokens


def load(base: Path, tokens: Mapping[str, str], languages: set[str]) -> State | None:
    """The model and the search index of `languages`, as the stamp's `tokens` name them; None when a part
    is missing, damaged or another build's."""
    found: dict[str, Any] = {}
    for part in ("site", *sorted(languages)):
        token = tokens.get(part)
        if token is None:
            return None
        try:
            with open(_part(base, part), "rb") as f:
                kept, their_token, value = pickle.loads(f.read())
        except Exception:  # absent, truncated or written by another version
            return None
        if kept != FORMAT or their_token != token:
            return None
        found[part] = value
    site, strings, templates_dir, jinja_dir, pages, links = found.pop("site")
    dates: dict[tuple[Any, str], str] = {}
    for _, known in found.values():
        dates.update(known)
    return State(site, strings, templates_dir, jinja_dir, pages, {lang: layout for lang, (layout, _) in found.items()},
                 links, dates)


def stamp_extra(inputs: stamp.Inputs, tokens: Mapping[str, str]) -> dict[str, Any]:
    """What the next build needs from the stamp: how the inputs were, and which state goes with them."""
    return {"rest": inputs.rest, "pages": dict(inputs.pages), "tokens": dict(tokens), "seen": inputs.seen}


def rebuild(previous: dict[str, Any], inputs: stamp.Inputs, content_dir: Path, out: Path,
            stamp_file: Path, check: Callable[[], tuple[bool, Any]]) -> Outcome | None:
    """Re-render the pages edited since the build that left `previous` (its stamp), or None when the full
    build must run (see the module docstring). `check`: whether `out` is as that build left it, with the
    spare tree's scan (`stamp.output_check`), asked before anything is published (it may still be on its
    way)."""
    extra = previous.get("extra") or {}
    if extra.get("rest") != inputs.rest or extra.get("pages", {}).keys() != inputs.pages.keys():
        return None
    edited = sorted(rel for rel, found in inputs.pages.items() if extra["pages"][rel] != found)
    if not edited or len(edited) > MAX_PAGES:
        return None
    base = base_of(stamp_file)
    state = load(base, extra.get("tokens", {}), {rel.partition("/")[0] for rel in edited})
    if state is None:
        return None
    # Pages that show data-package variables are the whole build's work.
    from ..render.templates import EXTRA_TEMPLATES
    site = state.site
    pages = list(site.pages)
    for rel in edited:
        index = state.pages.get(rel)
        if index is None or pages[index].template in EXTRA_TEMPLATES or pages[index].lang not in state.search:
            return None
        page = _edited(pages[index], content_dir / rel, inputs.pages[rel])
        if page is None:
            return None
        pages[index] = page
    site = replace(site, pages=tuple(pages))
    made = _render(site, state, [state.pages[rel] for rel in edited])
    if made is None:
        return None
    changed, removed = made
    left, spare = check()
    if not left:
        return None
    sizes = {path: entry[1] for path, entry in previous["manifest"].items()
             if path and not stat.S_ISDIR(entry[0]) and path != MARKER}
    for path in removed:
        sizes.pop(path, None)  # (one made and dropped again within this rebuild was never there)
    sizes.update((path, len(data)) for path, data in changed.items())

    def record(untouched: set[str]) -> None:
        tokens = dict(extra["tokens"])
        tokens.update(save(base, state, tuple({site.pages[state.pages[rel]].lang for rel in edited})))
        # The new output is the staged tree: the files it kept untouched are as the first scan found them
        # (stamp.restat); its folders, the other files and the marker are read now.
        known = {path: previous["manifest"][path] for path in untouched}
        others = ["", *folders_of(sizes), MARKER, *(path for path in sizes if path not in known)]
        stamp.record(stamp_file, out, inputs.digest, sizes, previous["notes"], stamp_extra(inputs, tokens),
                     lambda: stamp.restat(out, known, others))

    from ..write import changes
    kept = {path: size for path, size in sizes.items() if path not in changed}
    if not changes.publish(out, changed, kept, {path: previous["manifest"][path][3] for path in kept},
                           previous["manifest"][""][3], record, spare):
        return None  # another build published meanwhile: the full build starts from what it left
    return Outcome(len(sizes), [site.pages[state.pages[rel]].source.path for rel in edited],  # type: ignore[union-attr]
                   previous["notes"])


def _edited(page: Page, file: Path, expected: str) -> Page | None:
    """The page with the body `file` now holds, when its front matter is as the state has it and the file
    is what the inputs' digest says (not edited again meanwhile); None otherwise."""
    from ..load import content, yamlfile
    src = page.source
    if src is None or not src.front:
        return None
    try:
        with open(file, "rb") as f:
            raw = f.read(yamlfile.MAX_BYTES + 1)
    except OSError:
        return None
    if len(raw) > yamlfile.MAX_BYTES or file_digest(os.fsencode(f"{src.lang}/{src.rel}"), raw) != expected:
        return None
    text, problems = yamlfile.decode(raw, src.path)
    if text is None or problems:
        return None
    lines = text.split("\n")
    end = content.front_end(lines)
    if end is None or lines[0].strip() != "---" or content.front_digest(lines, end) != src.front:
        return None
    return replace(page, source=replace(src, body="\n".join(lines[end + 1:]), body_line=end + 2))


def _render(site: Site, state: State, indexes: list[int]) -> tuple[dict[str, bytes], set[str]] | None:
    """The edited pages' HTML and their languages' changed search files: (changed, removed); None when
    one of them has a problem."""
    from .. import languages
    from ..model.site import resolver
    from ..render import searchindex
    from .parallel import Worker, page_origin
    languages.remember_dates(state.dates)
    # Only bodies changed: every link resolves against the whole build's table.
    worker = Worker(site, state.strings, state.templates_dir, state.jinja_dir, resolver(state.links))
    changed: dict[str, bytes] = {}
    removed: set[str] = set()  # of the index files as they were
    for index in indexes:
        page = site.pages[index]
        with processing(page_origin(site, page)):  # a bug names the page (cli.py)
            made = _page(worker, page)
        layout = state.search[page.lang]
        if made is None or not layout.lists(made[1]):
            return None
        changed[output_file(page.path)] = made[0]
        found, gone = layout.replace(made[1]["u"], made[1]["terms"], made[1]["forms"])
        folder = searchindex.folder(page.lang)
        for name, data in found.items():
            changed[folder + name] = data
            removed.discard(folder + name)
        for name in gone:  # a file made by an earlier page of this rebuild goes too
            removed.add(folder + name)
            changed.pop(folder + name, None)
    state.dates.update(languages.dates_written())
    return changed, removed


def _page(worker: Any, page: Page) -> tuple[bytes, dict[str, Any]] | None:
    """The page's HTML and search entry, as a worker of the whole build makes them; None on a problem."""
    converted, _ = worker.convert(page)
    if converted is None or converted.problems:
        return None
    html, problem = worker.render(page, converted.html, {})
    if html is None or problem is not None:
        return None
    docs = worker.search_documents(page, converted.html)
    return (html, docs[0]) if len(docs) == 1 else None
