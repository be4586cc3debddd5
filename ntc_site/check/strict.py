"""`check --strict`: what a clean build still lets through, but a careful editor wants to know.

A build only refuses content it cannot publish. These findings are about content that publishes but is
incomplete or misleading: a page or record text in one language only, a translation older than its Italian
source, `#anchors` that lead nowhere, images without alt text, heading levels that skip, published pages
that link to drafts (links and anchors are checked in `linkcheck.py`). Each finding names its file and
line, like every other problem, and `summary()` adds a per-section count of what exists in both languages.

Translations record which version of their source they translate in `translation_of`: the first
characters of `source_hash()` of the source page. When the source changes, the hash changes and the
translation is reported as older than its source until an editor brings it up to date and copies the new
value (the finding prints it).

Only what would be published is judged: a draft is work in progress, so drafts themselves are not
checked, but a published page that links to one is.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..languages import LANGUAGES, other_language
from ..load import yamlfile
from ..load.content import SourcePage, source_hash
from ..load.records import SPECS
from ..load.specs import Spec
from ..model.site import Page, Site
from ..problems import Problem, sort_problems
from ..render.markup import MarkupResult
from . import linkcheck

MIN_HASH = 8  # any prefix of `source_hash()` this long is accepted as `translation_of`
PARITY_FIELDS = ("description", "menu", "date", "updated")


class _Missing:
    """A language key left out of a bilingual field (unlike a written-out null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


def findings(site: Site, bodies: Mapping[str, MarkupResult], content_dir: Path,
             files: Mapping[str, object] | None = None) -> list[Problem]:
    """Every strict finding for a site built with its drafts; `files` (the rendered site) adds the ids
    and links that templates write, so anchors on generated pages can be checked too."""
    published = [p for p in site.pages if not p.draft]
    problems = page_parity(site) + record_parity(content_dir)
    problems += stale_translations(site, content_dir) + front_matter_parity(site, content_dir)
    for page in published:
        body = bodies.get(page.path)
        if page.source is not None and body is not None:
            problems += heading_findings(page.source.path, body.headings)
            problems += [Problem(page.source.path, line, 0, "image without alt text",
                                 "describe the image: ![what it shows](../media/file.png)")
                         for line in body.images_without_alt]
    problems += linkcheck.findings(site, bodies, files or {})
    return sort_problems(problems)


# --- one language only -------------------------------------------------------------------------------

def page_parity(site: Site) -> list[Problem]:
    problems = []
    for page in site.pages:
        if page.source is None or page.draft:
            continue
        partner = site.partner(page)
        if partner is None:
            other = other_language(page.lang)
            problems.append(Problem(page.source.path, 1, 0, f"page has no '{other}' version",
                                    f"create content/{other}/{page.source.rel} with translation_key: "
                                    f"{page.key}"))
        elif partner.draft and partner.source is not None:
            problems.append(Problem(page.source.path, 1, 0, f"page is published but its '{partner.lang}' "
                                    f"version {partner.source.path} is a draft",
                                    "finish the translation and remove 'draft: true', or make both drafts"))
    return problems


def _front_matter_line(source: SourcePage, content_dir: Path, name: str) -> int:
    """Line of a front matter field, read again from the file (SourcePage keeps values, not lines)."""
    try:
        text = (content_dir / source.lang / source.rel).read_text(encoding="utf-8-sig")
    except OSError:
        return 1
    for number, line in enumerate(text.splitlines()[1:source.body_line - 2], start=2):
        if re.match(rf"{name}\s*:", line):
            return number
    return 1


def _present(source: SourcePage, name: str) -> bool:
    return bool(getattr(source, name))


def front_matter_parity(site: Site, content_dir: Path) -> list[Problem]:
    problems = []
    for page in site.pages:
        partner = site.partner(page)
        if page.source is None or page.draft or partner is None or partner.source is None or partner.draft:
            continue
        mine, theirs = page.source, partner.source
        for name in PARITY_FIELDS:
            if _present(theirs, name) and not _present(mine, name):
                line = _front_matter_line(theirs, content_dir, name)
                problems.append(Problem(mine.path, 1, 0, f"'{name}' is set in the '{partner.lang}' version "
                                        f"({theirs.path}:{line}) but not here", f"add '{name}:' to this page"))
        if mine.template != theirs.template and page.lang == LANGUAGES[1]:
            problems.append(Problem(mine.path, _front_matter_line(mine, content_dir, "template"), 0,
                                    f"template '{mine.template}' differs from '{theirs.template}' in "
                                    f"{theirs.path}", "both language versions use the same template"))
    return problems


def _bilingual_paths(spec: Spec, keypath: tuple[Any, ...] = ()) -> Iterable[tuple[tuple[Any, ...], Spec]]:
    for name, sub in spec.fields:
        if sub.kind == "text":
            yield keypath + (name,), sub
        elif sub.kind == "map":
            yield from _bilingual_paths(sub, keypath + (name,))


def _lookup(data: Any, keypath: tuple[Any, ...]) -> Any:
    for key in keypath:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def record_texts(content_dir: Path) -> list[tuple[str, str, yamlfile.YamlDoc, tuple[Any, ...], dict[str, Any]]]:
    """(folder, file, doc, key path, {lang: value or MISSING}) for every bilingual field of every record."""
    out = []
    for folder, spec in SPECS.items():
        for file in sorted((content_dir / folder).glob("*.yaml")):
            doc, _ = yamlfile.load_file(file, yamlfile.display_path(file))
            if doc is None or not isinstance(doc.data, dict):
                continue
            for keypath, _sub in _bilingual_paths(spec):
                value = _lookup(doc.data, keypath)
                if isinstance(value, dict):
                    out.append((folder, doc.path, doc, keypath, {lang: value.get(lang, MISSING)
                                                                for lang in LANGUAGES}))
    return out


def record_parity(content_dir: Path) -> list[Problem]:
    """A bilingual record field with a language left out. `en: null` written out is a declaration
    (allowed only where the schema lets a language be null, e.g. an official name with no English form);
    leaving the key out is an oversight."""
    problems = []
    for _folder, _path, doc, keypath, values in record_texts(content_dir):
        name = ".".join(keypath)
        for lang in LANGUAGES:
            if values[lang] is MISSING and any(isinstance(v, str) for v in values.values()):
                problems.append(doc.problem(keypath, f"'{name}' has no '{lang}' text",
                                            f"add '{lang}: …', or '{lang}: null' if no official "
                                            f"'{lang}' version exists"))
    return problems


# --- translations older than their source ------------------------------------------------------------

def stale_translations(site: Site, content_dir: Path) -> list[Problem]:
    problems = []
    for page in site.pages:
        src = page.source
        if src is None or page.draft:
            continue
        partner = site.partner(page)
        if src.translation_of is None:
            if page.lang != LANGUAGES[0] and partner is not None and partner.source is not None \
                    and partner.source.translation_of is None:
                problems.append(Problem(src.path, 1, 0, "translation does not record which version of "
                                        f"{partner.source.path} it translates",
                                        f"once it matches, add 'translation_of: {source_hash(partner.source)}'"))
            continue
        line = _front_matter_line(src, content_dir, "translation_of")
        if partner is None or partner.source is None:
            problems.append(Problem(src.path, line, 0, "'translation_of' is set but no page in the other "
                                    f"language has translation_key '{page.key}'"))
            continue
        recorded, current = src.translation_of.strip().lower(), source_hash(partner.source)
        if len(recorded) < MIN_HASH or not current.startswith(recorded):
            problems.append(Problem(src.path, line, 0, f"translation is older than its source {partner.source.path}"
                                    f" (translation_of {recorded}, source is now {current})",
                                    f"bring the translation up to date, then set 'translation_of: {current}'"))
    return problems


# --- headings ------------------------------------------------------------------------------------------

def heading_findings(path: str, headings: Iterable[tuple[int, int]]) -> list[Problem]:
    """The page title is the h1, so the text starts at h2 and never skips a level going down."""
    problems = []
    previous = 1
    for level, line in headings:
        if level == 1:
            problems.append(Problem(path, line, 0, "heading level 1 in the text: the page title is already "
                                    "the level-1 heading", "start headings in the text at '##'"))
        elif level > previous + 1:
            problems.append(Problem(path, line, 0, f"heading level skips from {previous} to {level}",
                                    f"use '{'#' * (previous + 1)}' here"))
        previous = max(level, 1)
    return problems


# --- the per-section summary ---------------------------------------------------------------------------

def _section(page: Page, site: Site) -> str:
    """Sections are named after the Italian folder, so 'cluster/' and its English 'clusters/' agree."""
    italian = page if page.lang == LANGUAGES[0] else (site.partner(page) or page)
    rel = italian.source.rel if italian.source else ""
    return rel.split("/")[0] + "/" if "/" in rel else "(top level)"


def summary(site: Site, content_dir: Path) -> list[str]:
    """One line per section: how many published pages exist in both languages or in one only, and per
    record folder how many bilingual fields have both texts."""
    counts: dict[str, Counter[str]] = {}
    for page in site.pages:
        if page.source is None or page.draft:
            continue
        partner = site.partner(page)
        both = partner is not None and not partner.draft
        if both and page.lang != LANGUAGES[0]:
            continue
        counts.setdefault(_section(page, site), Counter())["both" if both else f"only {page.lang}"] += 1
    lines = []
    for section in sorted(counts):
        c = counts[section]
        parts = [f"{c['both']} in both languages"] + [f"{n} only in {lang}" for lang in LANGUAGES
                                                        if (n := c[f'only {lang}'])]
        lines.append(f"pages {section}: " + ", ".join(parts))
    fields: dict[str, Counter[str]] = {}
    for folder, _path, _doc, keypath, values in record_texts(content_dir):
        state = "both" if all(isinstance(v, str) for v in values.values()) else \
            "declared" if all(v is not MISSING for v in values.values()) else "missing"
        fields.setdefault(folder, Counter())[state] += 1
    for folder in sorted(fields):
        c = fields[folder]
        line = f"records {folder}/: {c['both']} bilingual fields in both languages"
        if c["declared"]:
            line += f", {c['declared']} declared with no translation (null)"
        if c["missing"]:
            line += f", {c['missing']} with a language missing"
        lines.append(line)
    return lines
