"""Which built file a preview request names, refusing anything that could step outside the build.

Kept apart from the server so the rules are plain functions, tested on their own: no `..` or `.`, no encoded
slashes, backslashes or NUL, no control characters; a folder is served by its index.html.
"""
from __future__ import annotations

import re
from typing import Mapping
from urllib.parse import quote, unquote

_ENCODED_SEPARATOR = re.compile(r"%(2f|5c|00)", re.I)


def site_file(raw_path: str) -> str | None:
    """The site path a raw request path names ('' for the root), or None when the request is refused."""
    if "\\" in raw_path or _ENCODED_SEPARATOR.search(raw_path) or not raw_path.startswith("/"):
        return None
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 32 or c == "\x7f" for c in path) or "\\" in path:
        return None
    parts = path[1:].split("/")
    if any(part in (".", "..") for part in parts) or any(part == "" for part in parts[:-1]):
        return None
    return "/".join(parts)


def lookup(files: Mapping[str, object], path: str) -> tuple[str, str]:
    """('file', name) to serve, ('redirect', location) for a folder without its slash, or ('missing', '')."""
    if path == "" or path.endswith("/"):
        name = path + "index.html"
        return ("file", name) if name in files else ("missing", "")
    if path in files:
        return "file", path
    if f"{path}/index.html" in files:
        return "redirect", "/" + quote(path + "/")
    return "missing", ""
