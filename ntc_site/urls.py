"""The URL of everything, in one place, and right under a subpath.

A site published at `https://org.github.io/repo/` lives below `/repo/`: every link is written
root-relative with that prefix (so it works from any depth, 404.html included), every canonical and
alternate URL is absolute.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable
from urllib.parse import quote, urlsplit


@dataclass(frozen=True)
class Urls:
    base_url: str  # ends with '/'

    @property
    def prefix(self) -> str:
        return urlsplit(self.base_url).path or "/"

    def href(self, path: str) -> str:
        """Root-relative link to a site path such as 'it/cluster/' or 'data/areas/areas.csv'."""
        return self.prefix + quote(path, safe="/-._~")  # '#' and '?' in a file name are escaped

    def absolute(self, path: str) -> str:
        return self.base_url + quote(path, safe="/-._~")


def page_path(lang: str, segments: tuple[str, ...]) -> str:
    """Site path of a page: 'it/' for the home, 'it/cluster/aerospazio/' below it."""
    return "/".join((lang,) + segments) + "/"


def child_path(parent: str, name: str) -> str:
    return f"{parent}{name}/"


def output_file(path: str) -> str:
    """The file that serves a site path: pretty URLs end in '/', served by index.html."""
    return path + "index.html" if path.endswith("/") or path == "" else path


def download_path(package: str, filename: str) -> str:
    return f"data/{package}/{filename}"


def feed_path(lang: str) -> str:
    """The Atom feed of data releases in one language."""
    return f"data/releases.{lang}.atom"


def folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder the files at these site paths need, '' (the site root) aside: 'a/b/c.html' needs 'a'
    and 'a/b'."""
    folders: set[str] = set()
    for path in paths:
        end = path.rfind("/")
        while end > 0 and path[:end] not in folders:
            folders.add(path[:end])
            end = path.rfind("/", 0, end)
    return folders


def layout_problem(paths: Iterable[str]) -> str:
    """'' when the site paths can all be written; otherwise the first path that is both a file and a folder."""
    files = set(paths)
    for path in sorted(files):
        parts = path.split("/")
        for i in range(1, len(parts)):
            if "/".join(parts[:i]) in files:
                return f"'{'/'.join(parts[:i])}' would be both a file and a folder (needed by '{path}')"
    return ""
