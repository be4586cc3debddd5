"""Strict YAML for editors: safe types only, line numbers kept, and the traps of YAML refused.

PyYAML on its own accepts duplicate keys (the last wins silently), expands alias bombs, and forgets where
a value came from. Here every document is composed into nodes, walked by hand, and turned into plain
Python values plus a map from key path to line, so later stages can point at the exact line.
"""
from __future__ import annotations

import datetime as dt
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..problems import Problem
from ..processing import processing

if TYPE_CHECKING:
    import yaml

MAX_BYTES = 1_000_000
MAX_NODES = 50_000
MAX_DEPTH = 64  # nesting levels; editors need a handful, and the walker recurses once per level
_SAFE_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
}

KeyPath = tuple[Any, ...]


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML document: its value and the (line, column) of every key path in it."""

    path: str
    data: Any
    lines: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, keypath: KeyPath) -> tuple[int, int]:
        """Line and column of a key path, falling back to its nearest parent."""
        while keypath not in self.lines and keypath:
            keypath = keypath[:-1]
        return self.lines.get(keypath, (1, 0))

    def problem(self, keypath: KeyPath, message: str, hint: str = "") -> Problem:
        line, column = self.where(keypath)
        return Problem(self.path, line, column, message, hint)


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text with BOM dropped, CRLF/CR made LF and Unicode in NFC; or a located problem."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, [Problem(path, line, 0, "file is not valid UTF-8", "save it with UTF-8 encoding")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text), []


def display_path(file: Path) -> str:
    """How a file is named in messages: relative to the working directory when it is inside it.

    Control and format characters in a hostile file name are shown escaped, so they cannot rewrite the
    terminal or a CI log.
    """
    return display_namer()(file)


def display_namer() -> Callable[[Path], str]:
    """`display_path` for the many files of one run: each folder (and the working directory) is resolved
    once, not once per file (resolving is a system call per path component: 2 000 pages took 0.15 s)."""
    folders: dict[str, str | BaseException] = {}

    def resolved(folder: str) -> str:
        found = folders.get(folder)
        if found is None:
            try:
                found = str(Path(folder).resolve())
            except (OSError, RuntimeError) as err:
                found = err
            folders[folder] = found
        if isinstance(found, BaseException):
            raise found
        return found

    def name(file: Path) -> str:
        try:  # the folder is resolved, not the file: a symbolic link is named as itself, never as its target
            cwd = os.getcwd()
            parent, base = os.path.split(os.path.join(cwd, file))  # Path.absolute(): joined, not normalised
            real, root = resolved(parent or "/"), resolved(cwd)
            if not base:  # '/', '.': named as pathlib names them
                text = (Path(real) / file.name).relative_to(root).as_posix()
            elif real == root:
                text = base
            elif real.startswith(root.rstrip("/") + "/"):
                text = f"{real[len(root.rstrip('/')) + 1:]}/{base}"
            else:
                raise ValueError("outside the working directory")
        except (ValueError, OSError, RuntimeError):
            text = file.as_posix()
        if text.isascii() and text.isprintable():
            return text
        return "".join(c.encode("unicode_escape").decode("ascii") if unicodedata.category(c) in ("Cc", "Cf", "Cs")
                       else c for c in text)

    return name


def read_text(file: Path, display: str) -> tuple[str | None, list[Problem]]:
    """A regular file's text, read no further than MAX_BYTES (a device or FIFO could never end)."""
    try:
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):
            return None, [Problem(display, 0, 0, "not a regular file", "content holds only plain files")]
        if info.st_size > MAX_BYTES:
            return None, [Problem(display, 0, 0, f"file is too large ({info.st_size} bytes; limit {MAX_BYTES})")]
        with file.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except OSError as err:
        return None, [Problem(display, 0, 0, f"cannot read file: {err.strerror}")]
    if len(raw) > MAX_BYTES:
        return None, [Problem(display, 0, 0, f"file is too large (limit {MAX_BYTES} bytes)")]
    return decode(raw, display)


def load_file(file: Path, display: str) -> tuple[YamlDoc | None, list[Problem]]:
    """A YAML file parsed; a symbolic link is never followed (it could lead anywhere, and values are echoed)."""
    if file.is_symlink():
        return None, [Problem(display, 0, 0, "YAML files may not be symbolic links",
                              "replace the link with the file itself")]
    with processing(display):
        text, problems = read_text(file, display)
        if text is None:
            return None, problems
        return parse(text, display)


@cache
def _yaml() -> tuple[Any, Any, Any]:
    """PyYAML, its fastest safe loader and a constructor of plain values, made at the first parse: importing
    PyYAML costs ~10 ms that a process reading no YAML (a rebuild from the kept site model) does not pay."""
    import yaml
    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader), yaml.constructor.SafeConstructor()


def parse(text: str, path: str, line_offset: int = 0) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse one YAML document; `line_offset` shifts lines when YAML sits inside another file."""
    if not text.strip():
        return None, [Problem(path, line_offset + 1, 0, "file is empty")]
    problems = _tab_problems(text, path, line_offset)
    if problems:
        return None, problems
    yaml, loader, _ = _yaml()
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        column = (mark.column + 1) if mark else 0
        message = f"invalid YAML: {err.problem or err.context}"
        return None, [Problem(path, line, column, message)]
    except yaml.YAMLError as err:
        return None, [Problem(path, line_offset + 1, 0, f"invalid YAML: {err}")]
    except RecursionError:  # only the pure-Python composer recurses; libyaml stops at its own depth limit
        return None, [Problem(path, line_offset + 1, 0, "YAML is nested too deeply")]
    if node is None:
        return None, [Problem(path, line_offset + 1, 0, "file is empty")]
    walker = _Walker(path, line_offset)
    data = walker.value(node, ())
    if walker.problems:
        return None, walker.problems
    return YamlDoc(path, data, walker.lines), []


def _tab_problems(text: str, path: str, line_offset: int) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(Problem(path, number + line_offset, indent.index("\t") + 1,
                                    "tab used for indentation", "indent YAML with spaces"))
    return problems


class _Walker:
    """Turns composed nodes into plain values, refusing what editors never need."""

    def __init__(self, path: str, line_offset: int):
        self.path = path
        self.line_offset = line_offset
        self.lines: dict[KeyPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.count = 0
        self.yaml, _, self.constructor = _yaml()

    def _at(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def _fail(self, node: yaml.Node, message: str, hint: str = "") -> None:
        line, column = self._at(node)
        self.problems.append(Problem(self.path, line, column, message, hint))

    def value(self, node: yaml.Node, keypath: KeyPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if self.count == MAX_NODES + 1:
                self._fail(node, f"document has more than {MAX_NODES} values")
            return None
        if id(node) in self.seen:
            line, column = self.lines.get(keypath, self._at(node))
            self.problems.append(Problem(self.path, line, column, "YAML anchors and aliases (&, *) are not"
                                         " allowed", "write the value out in full"))
            return None
        self.seen.add(id(node))
        self.lines.setdefault(keypath, self._at(node))
        if len(keypath) > MAX_DEPTH:
            self._fail(node, f"YAML is nested more than {MAX_DEPTH} levels deep")
            return None
        if node.tag not in _SAFE_TAGS:
            self._fail(node, f"YAML tag '{node.tag}' is not allowed", "remove the '!' tag")
            return None
        if isinstance(node, self.yaml.MappingNode):
            return self._mapping(node, keypath)
        if isinstance(node, self.yaml.SequenceNode):
            return [self.value(item, keypath + (i,)) for i, item in enumerate(node.value)]
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (self.yaml.YAMLError, ValueError, OverflowError) as err:
            self._fail(node, f"invalid value: {err}")
            return None
        finally:  # the constructor remembers every node it made a value of: it would keep them all alive
            self.constructor.constructed_objects.pop(node, None)
        if isinstance(value, dt.datetime):
            value = value.date() if value.time() == dt.time() and value.tzinfo is None else value
        return value

    def _mapping(self, node: yaml.MappingNode, keypath: KeyPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(key_node, "YAML merge keys (<<) are not allowed")
                continue
            if not isinstance(key_node, self.yaml.ScalarNode):
                self._fail(key_node, "a key must be plain text")
                continue
            key = key_node.value
            if key in result:
                self._fail(key_node, f"duplicate key '{key}'", "each key may appear once")
                continue
            self.lines[keypath + (key,)] = self._at(key_node)
            result[key] = self.value(value_node, keypath + (key,))
            self.lines[keypath + (key,)] = self._at(key_node)
        return result
