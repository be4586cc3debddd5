"""Every version ever published of each package, rebuilt from the git history of the datasets folder.

No copies of old data are kept in the repository: a version's files are the package as it stood in the
last commit that still carried that `version` in its package.yaml (for a record package, with the
records of that same commit). `load` reads the history with `git log` / `git show` / `git archive`,
extracts each needed commit once into a folder named after the commit (so a rebuild with no new commit
reads nothing but `git rev-parse HEAD` and the memo), and loads the package from there with the same
loader as today's package. Outside a git checkout, or in a shallow clone, only the current versions are
known: `History.note` says so in one line, and the checks that need the past are not run.

A kept site model holds a `History`, so unpickling it imports this module: what only reading the history
needs (git, tar, YAML, the package loader: ~15 ms) is imported by the functions that read it.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from .package import Package


@dataclass(frozen=True)
class Release:
    """One published version of a package."""

    version: str
    package: Package  # the package as it stood in that version
    commit: str | None  # the last commit that carried it; None for the working tree


@dataclass(frozen=True)
class History:
    releases: Mapping[str, tuple[Release, ...]] = field(default_factory=dict)  # oldest first; the last is current
    complete: bool = False  # True when read from a full git history
    note: str = ""  # one line when the history could not be read
    set_in: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # package -> version -> commit that set it
    drift: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # package -> (version, commit): data changed since


def releases_of(history: History | None, package: Package) -> tuple[Release, ...]:
    """The versions of a package, oldest first; the current one alone when there is no history."""
    found = history.releases.get(package.name) if history else None
    return found if found else (Release(package.version, package, None),)


def previous_versions(history: History | None, packages: Any) -> dict[str, str]:
    """Package name -> the version published before the current one."""
    out = {}
    for package in packages:
        found = releases_of(history, package)
        if len(found) > 1:
            out[package.name] = found[-2].version
    return out


def _git(cwd: Path, *args: str, binary: bool = False) -> Any:
    import subprocess  # lazy: see the module docstring
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    if done.returncode != 0:
        return None
    return done.stdout if binary else done.stdout.decode("utf-8", "replace").strip()


def head(datasets_dir: Path) -> str | None:
    """The commit checked out around `datasets_dir`, or None outside git."""
    return _git(datasets_dir, "rev-parse", "HEAD") if datasets_dir.is_dir() else None


def _version_at(top: Path, commit: str, rel: str) -> str | None:
    import yaml  # lazy: see the module docstring
    text = _git(top, "show", f"{commit}:{rel}")
    try:
        doc = yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        return None
    version = doc.get("version") if isinstance(doc, dict) else None
    return str(version) if version is not None else None


def _extract(top: Path, commit: str, paths: list[str], folder: Path) -> Path:
    """The files of `paths` at `commit`, in `folder/<commit>/` (kept: a commit never changes)."""
    target = folder / commit
    done = target / ".complete"
    if not done.exists():
        data = _git(top, "archive", "--format=tar", commit, "--", *paths, binary=True)
        target.mkdir(parents=True, exist_ok=True)
        if data:
            import tarfile  # lazy: see the module docstring
            with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                tar.extractall(target, filter="data")
        done.write_text(commit)
    return target


def _load_at(top: Path, commit: str, datasets_rel: str, content_rel: str | None, name: str,
             folder: Path) -> Package | None:
    from ..load import records as records_mod  # lazy: see the module docstring
    from . import packages, record_tables
    paths = [datasets_rel] + ([f"{content_rel}/areas", f"{content_rel}/clusters"] if content_rel else [])
    paths = [p for p in paths if _git(top, "cat-file", "-e", f"{commit}:{p}") is not None]
    root = _extract(top, commit, paths, folder)
    content = root / content_rel if content_rel else root / "content"  # absent: no record tables then
    package, problems = packages.load_package(root / datasets_rel / name, root / datasets_rel,
                                              records_mod.Records((), ()),
                                              record_tables.region_codes(root / datasets_rel), past_content=content)
    return package if package is not None and not problems else None


def load(datasets_dir: Path, content_dir: Path, current: list[Package], folder: Path) -> History:
    """The history of every package of `current`; `folder` keeps the extracted commits."""
    from . import changes  # lazy: see the module docstring
    top_text = _git(datasets_dir, "rev-parse", "--show-toplevel") if datasets_dir.is_dir() else None
    if not top_text or head(datasets_dir) is None:
        return History(note="datasets/ is not in a git checkout: only the current version of each dataset is "
                            "published")
    top = Path(top_text)
    if _git(top, "rev-parse", "--is-shallow-repository") == "true":
        return History(note="shallow git clone: only the current version of each dataset is published "
                            "(fetch the whole history, e.g. actions/checkout with fetch-depth: 0)")
    datasets_rel = datasets_dir.resolve().relative_to(top.resolve()).as_posix()
    try:
        content_rel: str | None = content_dir.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        content_rel = None
    releases, set_in, drift, skipped = {}, {}, {}, []
    for package in current:
        rel = f"{datasets_rel}/{package.name}/package.yaml"
        log = (_git(top, "log", "--format=%H", "--", rel) or "").split()
        runs: list[tuple[str, str]] = []  # (first commit, version), oldest first
        for commit in reversed(log):
            version = _version_at(top, commit, rel)
            if version and (not runs or runs[-1][1] != version):
                runs.append((commit, version))
        found: list[Release] = []
        for i, (_, version) in enumerate(runs):
            if version == package.version and i == len(runs) - 1:
                break
            last = _git(top, "rev-parse", f"{runs[i + 1][0]}^") if i + 1 < len(runs) else _git(top, "rev-parse", "HEAD")
            old = _load_at(top, last, datasets_rel, content_rel, package.name, folder) if last else None
            if old is None:
                skipped.append(f"{package.name} {version}")
                continue
            found.append(Release(version, replace(old, path=package.path), last))
        found = [r for r in found if r.version != package.version]
        releases[package.name] = (*found, Release(package.version, package, None))
        set_in[package.name] = {version: commit for commit, version in runs}
        setter = set_in[package.name].get(package.version)
        if setter and runs[-1][1] == package.version:
            before = _load_at(top, setter, datasets_rel, content_rel, package.name, folder)
            if before is not None and not all(d.empty for d in changes.diff(before, package)):
                drift[package.name] = (package.version, setter)
    note = f"versions not rebuilt from git (they no longer load): {', '.join(skipped)}" if skipped else ""
    return History(releases, True, note, set_in, drift)
