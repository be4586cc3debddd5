"""`check --strict` on versions: every version published says why, and no data change hides under a version.

A citation names a version and promises its table. So, read against the git history (data/versions.py):
a version that was set (in any commit, or in the working tree) needs its changelog entry; a changelog
entry must name a version that was set at some point; and the data of the current version must be the
data of the commit that set it: a changed cell under an unchanged version would change what every
earlier citation points to. Outside a full git history none of this can be known, and nothing is said
here (the build prints one line about it).
"""
from __future__ import annotations

from pathlib import Path

from ..data.versions import History
from ..load import yamlfile
from ..model.site import Site
from ..problems import Problem


def findings(site: Site, datasets_dir: Path) -> list[Problem]:
    history: History | None = site.history
    if history is None or not history.complete:
        return []
    problems: list[Problem] = []
    for package in site.datasets:
        file = datasets_dir / package.name / "package.yaml"
        doc, _ = yamlfile.load_file(file, package.path)
        if doc is None:
            continue
        set_versions = dict(history.set_in.get(package.name, {}))
        ever = set(set_versions) | {package.version}
        logged = [c.version for c in package.changelog]
        for version in sorted(ever - set(logged)):
            where = f"in commit {set_versions[version][:12]}" if version in set_versions else "in the working tree"
            problems.append(doc.problem(("version",) if version == package.version else ("changelog",),
                                        f"version {version} was set {where} but the changelog has no entry for it",
                                        f"add '- version: \"{version}\"' with its date and note to 'changelog'"))
        for i, version in enumerate(logged):
            if version not in ever:
                problems.append(doc.problem(("changelog", i, "version"), f"the changelog has an entry for version "
                                            f"{version}, which 'version' never held",
                                            "remove the entry, or fix its version number"))
        if package.name in history.drift:
            version, commit = history.drift[package.name]
            problems.append(doc.problem(("version",), f"the data changed under version {version} since commit "
                                        f"{commit[:12]}, which set it", "bump 'version', add a changelog entry "
                                        "saying what changed, and update 'updated'"))
    return problems
