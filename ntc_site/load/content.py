"""Pages: find `content/<lang>/**/*.md`, split and check their front matter, keep the Markdown body.

Only files are read here; turning Markdown into HTML happens in `markup.py` once every page's URL is known,
because links between pages are written as source paths and must be resolved against the whole site.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..languages import LANGUAGES
from ..problems import Problem
from . import yamlfile
from .specs import mapping, opt, req, validate

TEMPLATES = ("page", "home", "areas", "clusters", "timeline", "datasets")
FRONT_MATTER_SPEC = mapping(
    ("title", req("str")),
    ("description", opt("str")),
    ("slug", opt("str")),
    ("translation_key", opt("str")),
    ("date", opt("date")),
    ("updated", opt("date")),
    ("draft", opt("bool")),
    ("menu", opt("str", choices=("main",))),
    ("weight", opt("int")),
    ("template", opt("str", choices=TEMPLATES)),
    ("translation_of", opt("str")),
)
# A path segment: no separators, dots-only names, URL syntax or control characters.
_SEGMENT = re.compile(r"^(?!\.{1,2}$)[^\s/\\?#%<>\"'`\x00-\x1f\x7f]+$")


@dataclass(frozen=True)
class SourcePage:
    lang: str
    rel: str  # path below content/<lang>/, posix, e.g. "cluster/index.md"
    path: str  # as shown in messages
    title: str
    description: str
    slug: str | None
    translation_key: str
    date: dt.date | None
    updated: dt.date | None
    draft: bool
    menu: str | None
    weight: int
    template: str
    translation_of: str | None
    body: str
    body_line: int  # line of the file where the body starts
    # Digest of the front matter as written, both '---' lines included: a page whose front matter is the
    # same is the same page, whatever its body (pipeline/delta.py re-renders such a page alone).
    front: str = ""

    @property
    def segments(self) -> tuple[str, ...]:
        """URL path segments below /<lang>/ (slug applied)."""
        parts = self.rel[: -len(".md")].split("/")
        if parts[-1] == "index":
            parts = parts[:-1]
        if self.slug is not None and parts:
            parts[-1] = self.slug
        return tuple(parts)


# Invisible or spoofing characters (controls, format marks such as bidi overrides, separators, surrogates).
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Zs", "Zl", "Zp"}


def segment_problem(segment: str) -> str:
    """'' when `segment` is safe as one URL path segment, otherwise why not."""
    if not _SEGMENT.match(segment) or any(unicodedata.category(c) in _INVISIBLE for c in segment):
        return (f"{segment!r} cannot be part of a URL (no spaces, slashes, '..', '?', '#', '%', quotes or"
                " invisible characters)")
    return ""


def _outside(path: Path, real_root: Path) -> str:
    """Why the symbolic link `path` may not be followed, or '' when it stays inside the content folder."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a dangling link or a loop
        return "symbolic link is broken or loops"
    return "" if target.is_relative_to(real_root) else f"symbolic link leads outside the {real_root.name} folder"


def outside_links(content_dir: Path) -> list[Problem]:
    """Symbolic links below `content/`, outside the language folders, that lead outside it (or nowhere).

    Records, media and site.yaml are read by other modules; checking them here, before anything is rendered,
    keeps a link such as `media/x -> /etc/passwd` from ever being published. The language folders are
    checked by `find_sources`.
    """
    real_root = content_dir.resolve()
    problems: list[Problem] = []
    for folder, dirs, files in os.walk(content_dir):
        if Path(folder) == content_dir:
            dirs[:] = [d for d in dirs if d not in LANGUAGES]
        for name in sorted(dirs + files):
            problems += _link_problem(Path(folder) / name, real_root)
    return problems


def _link_problem(entry: Path, real_root: Path) -> list[Problem]:
    message = _outside(entry, real_root) if entry.is_symlink() else ""
    if not message:
        return []
    return [Problem(yamlfile.display_path(entry), 0, 0, message, "replace the link with the file itself")]


def find_sources(content_dir: Path, lang: str) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Markdown files of one language, refusing links and names that would escape `content/`."""
    root = content_dir / lang
    found: list[tuple[Path, str]] = []
    real_root = content_dir.resolve()
    problems = _link_problem(root, real_root)
    if problems:
        return [], problems
    if not root.is_dir():
        return [], [Problem(yamlfile.display_path(root), 0, 0, f"missing folder for language '{lang}'")]
    _walk(str(root), "", real_root, found, problems)
    return found, problems


def _walk(folder: str, prefix: str, real_root: Path, found: list[tuple[Path, str]], problems: list[Problem]) -> None:
    """What `os.walk` top-down with sorted, dot-less folders would visit, without a system call per file: the
    folder's entries know whether they are links (followed to a folder, like os.walk, but not walked)."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:  # as os.walk: an unreadable folder is left out
        return
    dirs, files = [], []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if not is_dir:
            files.append(entry)
        elif not entry.name.startswith("."):
            dirs.append(entry)
    dirs.sort(key=lambda e: e.name)
    files.sort(key=lambda e: e.name)
    for entry in sorted(dirs + files, key=lambda e: e.name):
        if entry.is_symlink():
            problems += _link_problem(Path(entry.path), real_root)
    for entry in files:
        name = entry.name
        if name.startswith(".") or not name.endswith(".md") or (
                entry.is_symlink() and _outside(Path(entry.path), real_root)):
            continue
        found.append((Path(entry.path), unicodedata.normalize("NFC", prefix + name)))
    for entry in dirs:
        if not entry.is_symlink():
            _walk(entry.path, f"{prefix}{entry.name}/", real_root, found, problems)


def parse_page(text: str, lang: str, rel: str, display: str) -> tuple[SourcePage | None, list[Problem]]:
    """Split front matter from body and validate it; pure, so it is easy to test with any text."""
    lines = text.split("\n")
    if not text.strip():
        return None, [Problem(display, 1, 0, "file is empty", "start it with front matter: ---, title: …, ---")]
    if lines[0].strip() != "---":
        return None, [Problem(display, 1, 1, "missing front matter", "start the file with a line '---'")]
    end = front_end(lines)
    if end is None:
        return None, [Problem(display, 1, 1, "front matter is not closed", "add a line '---' after it")]
    doc, problems = yamlfile.parse("\n".join(lines[1:end]) or " ", display, line_offset=1)
    if doc is None:
        if problems and problems[0].message == "file is empty":
            problems = [Problem(display, 2, 0, "front matter is empty", "add at least 'title: …'")]
        return None, problems
    value, problems = validate(doc, FRONT_MATTER_SPEC)
    for part in rel[: -len(".md")].split("/"):
        message = segment_problem(part)
        if message:
            problems.append(Problem(display, 1, 0, f"file name {message}"))
    if value and value["slug"] is not None:
        slug = unicodedata.normalize("NFC", value["slug"])
        message = segment_problem(slug)
        if message:
            problems.append(doc.problem(("slug",), f"slug {message}"))
        value["slug"] = slug
    if problems:
        return None, problems
    key = value["translation_key"] or rel
    return SourcePage(
        lang=lang, rel=rel, path=display, title=value["title"], description=value["description"] or "",
        slug=value["slug"], translation_key=key, date=value["date"], updated=value["updated"],
        draft=bool(value["draft"]), menu=value["menu"], weight=value["weight"] or 0,
        template=value["template"] or "page", translation_of=value["translation_of"],
        body="\n".join(lines[end + 1:]), body_line=end + 2, front=front_digest(lines, end),
    ), []


def front_end(lines: list[str]) -> int | None:
    """The index of the line closing the front matter (`lines[0]` opens it), or None."""
    return next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)


def front_digest(lines: list[str], end: int) -> str:
    return hashlib.blake2b("\n".join(lines[:end + 1]).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


Parser = Callable[[Path, str, str], tuple["SourcePage | None", list[Problem]]]


def parse_file(file: Path, lang: str, rel: str) -> tuple[SourcePage | None, list[Problem]]:
    """Read one page file (refusing what `yamlfile.read_text` refuses) and parse it."""
    display = yamlfile.display_path(file)
    text, problems = yamlfile.read_text(file, display)
    if text is None:
        return None, problems
    return parse_text(text, problems, lang, rel, display)


def parse_text(text: str | None, problems: list[Problem], lang: str, rel: str,
               display: str) -> tuple[SourcePage | None, list[Problem]]:
    """`parse_page` after a read or decode step that may already have found problems."""
    if text is None:
        return None, problems
    page, more = parse_page(text, lang, rel, display)
    return page, problems + more


def load(content_dir: Path, parse: Parser = parse_file) -> tuple[list[SourcePage], list[Problem]]:
    """Every page of both languages; `parse` reads one file (the build cache passes a memoised one)."""
    pages: list[SourcePage] = []
    problems: list[Problem] = outside_links(content_dir)
    for lang in LANGUAGES:
        sources, found = find_sources(content_dir, lang)
        problems += found
        for file, rel in sources:
            page, found = parse(file, lang, rel)
            problems += found
            if page:
                pages.append(page)
    return pages, problems


HASH_LENGTH = 12  # what `new page` records in `translation_of`


def source_hash(page: SourcePage) -> str:
    """Fingerprint of what a translator translates: title, description and text of the source page."""
    text = "\n".join((page.title.strip(), page.description.strip(), page.body.strip()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]
