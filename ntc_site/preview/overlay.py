"""What the preview serves besides the built files: the snapshot of the last build, the problem overlay
written into every served HTML page (so it shows without JavaScript), the livereload script tag, and the
page shown while no build has succeeded yet.

The overlay is built here, not by a template: it has to show precisely when the templates are broken.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ..problems import Problem
from ..stored import BuiltFile

_BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.I)
_HTML_LANG = re.compile(rb"<html\b[^>]*\blang=\"([A-Za-z-]+)\"", re.I)


@dataclass(frozen=True)
class Snapshot:
    """What is being served: the last good build, and the problems of the latest attempt."""

    files: dict[str, BuiltFile] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    strings: dict[str, dict[str, str]] = field(default_factory=dict)  # interface words for the overlay
    built: bool = False  # False until a build succeeded


def overlay(problems: tuple[Problem, ...], strings: dict[str, str] | None) -> bytes:
    """The problem list, styled by the site's CSS (`.problems`). Built here rather than by a template: the
    overlay has to show precisely when the templates themselves are broken."""
    items = "".join(f"<li><code>{html.escape(p.format())}</code></li>\n" for p in problems)
    title = f'<h2 id="problems-title">{html.escape(strings["problems_title"])}</h2>\n' \
        if strings and "problems_title" in strings else ""
    label = ' aria-labelledby="problems-title"' if title else ""
    return f'<section class="problems" role="alert"{label}>\n{title}<ul>\n{items}</ul>\n</section>\n'.encode()


def decorate(page: bytes, snapshot: Snapshot, script: bytes) -> bytes:
    """A served HTML page: the livereload script before </head>, the overlay (if any) after <body>."""
    if b"</head>" in page:
        page = page.replace(b"</head>", script + b"</head>", 1)
    if snapshot.problems:
        match = _HTML_LANG.search(page)
        lang = match.group(1).decode() if match else ""
        strings = snapshot.strings.get(lang) or next(iter(snapshot.strings.values()), None)
        body = _BODY_OPEN.search(page)
        if body:
            page = page[:body.end()] + b"\n" + overlay(snapshot.problems, strings) + page[body.end():]
    return page


def unbuilt_page(snapshot: Snapshot) -> bytes:
    """What every request gets while no build has succeeded yet: just the problems."""
    lang = next(iter(snapshot.strings), "it")
    strings = snapshot.strings.get(lang)
    title = html.escape(strings["problems_title"]) if strings and "problems_title" in strings else "ntc-site"
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
            f"</head>\n<body>\n</body>\n</html>\n").encode()
