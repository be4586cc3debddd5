"""The download files under `data/`: CSV, JSON, XLSX, descriptor and zip per package; all.zip; the catalogue.

Everything is written as a stream to files in a folder (so a million-row table never sits in memory:
rows go one at a time from the source CSV to every output), with fixed zip timestamps and fixed XLSX
properties so that two builds give the same bytes. `stored_files` writes them into a folder the caller keeps
(the build cache's) and hands the pipeline `StoredFile`s, never the bytes; `write_package` is the streaming
core that tests can run on disk.

Every version ever published keeps its own folder, `data/<package>/<version>/`, so a citation never
changes under its reader (data/versions.py finds the versions); the latest is also at `data/<package>/`.
A package's zip is a zipped data package: `datapackage.json` at its top, paths relative to it, so
`frictionless validate --type package <package>.zip` takes it as it is.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any, Iterator

from ..load.config import SiteConfig
from ..model.site import Site
from ..processing import processing
from ..stored import CHUNK, StoredFile, file_stats
from ..urls import download_path
from . import catalog, changes, chunks, csvrows, versions, xlsx
from .descriptor import package_descriptor
from .package import Field, Package, Resource

README_SHEET = "Leggimi - README"  # sheet names may not contain '/'
# The README sheet is read by both audiences at once, so its labels are bilingual here, not per page.
README_LABELS = {
    "title": "Titolo / Title", "description": "Descrizione / Description", "version": "Versione / Version",
    "updated": "Aggiornato / Updated", "licence": "Licenza / Licence", "publisher": "Editore / Publisher",
    "homepage": "Pagina / Page", "sources": "Fonti / Sources", "completeness": "Completezza / Completeness",
    "caveats": "Avvertenze / Caveats", "dictionary": "Dizionario dei dati / Data dictionary",
}
DICTIONARY_HEADER = ("Tabella / Table", "Campo / Field", "Titolo (it)", "Title (en)", "Tipo / Type",
                     "Obbligatorio / Required", "Descrizione (it)", "Description (en)")


def _zip_time(day: dt.date) -> tuple[int, int, int, int, int, int]:
    return (max(day.year, 1980), day.month, day.day, 0, 0, 0)


def add_to_zip(archive: zipfile.ZipFile, name: str, source: Path, day: dt.date) -> None:
    """One entry with a fixed date and mode, streamed from `source`."""
    info = zipfile.ZipInfo(name, date_time=_zip_time(day))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    with source.open("rb") as stream, archive.open(info, "w", force_zip64=True) as out:
        shutil.copyfileobj(stream, out, CHUNK)


def write_zip(target: Path, entries: list[tuple[str, Path]], day: dt.date) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, source in entries:
            add_to_zip(archive, name, source, day)


def write_json(resource: Resource, target: Path) -> None:
    """An array of objects, one line per row, typed values (null = unknown); streamed."""
    with target.open("w", encoding="utf-8", newline="\n") as stream:
        stream.write("[")
        first = True
        for row in csvrows.iter_rows(resource):
            stream.write("\n" if first else ",\n")
            stream.write(json.dumps({k: csvrows.json_value(v) for k, v in row.items()}, ensure_ascii=False))
            first = False
        stream.write("\n]\n")


def _readme_rows(package: Package, config: SiteConfig, homepage: str | None) -> list[list[Any]]:
    rows: list[list[Any]] = [[README_LABELS[label], it, en] for label, it, en in _readme_lines(package, config, homepage)]
    rows += [[], [README_LABELS["dictionary"]], list(DICTIONARY_HEADER)]
    for r in package.resources:
        for f in r.schema.fields:
            rows.append([r.name, f.name, f.title["it"], f.title["en"], f.type,
                         "sì / yes" if f.constraint("required") else "no", f.description["it"], f.description["en"]])
    return rows


def _cell(value: Any, field: Field) -> Any:
    """Lists joined with spaces; strings (codes too) stay text, so leading zeros survive."""
    if field.type == "list":
        return " ".join(value) if value else None
    return value


def _sheet_rows(resource: Resource) -> Iterator[list[Any]]:
    """Header = Italian field titles; then typed values (lists joined with spaces), streamed."""
    fields = resource.schema.fields
    yield [f.title["it"] for f in fields]
    for row in csvrows.iter_rows(resource):
        yield [_cell(row[f.name], f) for f in fields]


def write_xlsx(package: Package, config: SiteConfig, homepage: str | None, target: Path) -> None:
    """One sheet per resource (opened on the first), then the bilingual README sheet (licence, source,
    version, data dictionary). Column widths come from a first streaming pass over the rows."""
    sheets = [xlsx.Sheet(r.name[:31], _sheet_rows(r), xlsx.widths(_sheet_rows(r)), table=True)
              for r in package.resources]
    readme = _readme_rows(package, config, homepage)
    sheets.append(xlsx.Sheet(README_SHEET, readme, xlsx.widths(readme)))
    with target.open("wb") as stream:
        xlsx.write(stream, sheets, package.title["it"], config.publisher_name, package.updated)


def _readme_lines(package: Package, config: SiteConfig, homepage: str | None) -> list[tuple[str, str, str]]:
    info = config.licence_info
    lines = [("title", package.title["it"], package.title["en"]),
             ("description", package.description["it"], package.description["en"]),
             ("version", package.version, package.version),
             ("updated", package.updated.isoformat(), package.updated.isoformat()),
             ("licence", f"{info['name']} {info['url']}", f"{info['name']} {info['url']}"),
             ("publisher", config.publisher_name, config.publisher_name)]
    if homepage:
        lines.append(("homepage", homepage, homepage))
    sources = " ".join(s.url for s in package.sources)
    lines.append(("sources", sources, sources))
    for key in ("completeness", "caveats"):
        text = getattr(package, key)
        if text:
            lines.append((key, text["it"], text["en"]))
    return lines


def package_files(package: Package) -> list[str]:
    """Names of the files of a package folder, in publication order."""
    names = [n for r in package.resources for n in (f"{r.name}.csv", f"{r.name}.json")]
    return names + [f"{package.name}.xlsx", "datapackage.json", f"{package.name}.zip"]


def write_package(package: Package, config: SiteConfig, homepage: str | None, folder: Path
                  ) -> dict[str, tuple[int, str]]:
    """Write every file of one package into `folder`; returns name -> (bytes, sha256)."""
    folder.mkdir(parents=True, exist_ok=True)
    stats: dict[str, tuple[int, str]] = {}
    for r in package.resources:
        csvrows.write_csv(r, folder / f"{r.name}.csv")
        write_json(r, folder / f"{r.name}.json")
        for name in (f"{r.name}.csv", f"{r.name}.json"):
            stats[name] = file_stats(folder / name)
    xlsx = f"{package.name}.xlsx"
    write_xlsx(package, config, homepage, folder / xlsx)
    stats[xlsx] = file_stats(folder / xlsx)
    descriptor = package_descriptor(package, config, homepage, stats)
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n",
                                             encoding="utf-8")
    stats["datapackage.json"] = file_stats(folder / "datapackage.json")
    inner = ["datapackage.json"] + [n for n in package_files(package) if n not in ("datapackage.json",
                                                                                 f"{package.name}.zip")]
    write_zip(folder / f"{package.name}.zip", [(n, folder / n) for n in inner], package.updated)
    stats[f"{package.name}.zip"] = file_stats(folder / f"{package.name}.zip")
    return stats


def landing_page(site: Site, name: str, lang: str = "it") -> str | None:
    page = site.by_key(f"dataset:{name}", lang)
    return site.urls.absolute(page.path) if page else None


def write_site_data(site: Site, root: Path) -> dict[str, tuple[int, str]]:
    """Every file under data/ written below `root`; returns site path -> (bytes, sha256)."""
    stats: dict[str, tuple[int, str]] = {}
    packages = list(site.datasets)
    for package in packages:
        home = landing_page(site, package.name)
        releases = versions.releases_of(site.history, package)
        for i, release in enumerate(releases):
            folder = root / "data" / package.name / release.version
            with processing(package.path):
                found = write_package(release.package, site.config, home, folder)
                if i > 0:  # what changed since the version before, cell by cell
                    changes.write_csv(changes.diff(releases[i - 1].package, release.package),
                                      folder / changes.CSV_NAME)
                    found[changes.CSV_NAME] = file_stats(folder / changes.CSV_NAME)
            stats.update({download_path(package.name, f"{release.version}/{n}"): s for n, s in found.items()})
        latest = root / "data" / package.name
        for name in package_files(package):  # the latest, also where it always is
            try:  # the same bytes twice: one file on disk
                os.link(latest / package.version / name, latest / name)
            except OSError:
                shutil.copyfile(latest / package.version / name, latest / name)
            stats[download_path(package.name, name)] = stats[download_path(package.name, f"{package.version}/{name}")]
        for resource in package.resources:  # served to the page's explorer; not part of the distribution
            chunks.write_chunks(resource, latest)
    if not packages:
        return stats
    previous = versions.previous_versions(site.history, packages)
    for name, data in catalog.serialisations(site, stats, previous).items():
        (root / name).write_bytes(data)
        stats[name] = file_stats(root / name)
    current = {download_path(p.name, n) for p in packages for n in package_files(p) if not n.endswith(".zip")}
    in_all = sorted(current | set(catalog.FILES) & set(stats))
    (root / "all-sums").write_text(_sums(stats, in_all), encoding="utf-8", newline="\n")
    entries = [(p.removeprefix("data/"), root / p) for p in in_all] + [("SHA256SUMS", root / "all-sums")]
    write_zip(root / "data" / "all.zip", entries, max(p.updated for p in packages))
    (root / "all-sums").unlink()
    stats["data/all.zip"] = file_stats(root / "data" / "all.zip")
    (root / "data" / "SHA256SUMS").write_text(_sums(stats, sorted(stats)), encoding="utf-8", newline="\n")
    stats["data/SHA256SUMS"] = file_stats(root / "data" / "SHA256SUMS")
    return stats


def _sums(stats: dict[str, tuple[int, str]], paths: list[str]) -> str:
    """`sha256sum -c` format, paths relative to data/."""
    return "".join(f"{stats[p][1]}  {p.removeprefix('data/')}\n" for p in paths)


def stored_files(site: Site, root: Path) -> dict[str, StoredFile]:
    """Every file under data/, written below `root` (an empty folder the caller keeps): site path -> file."""
    stats = write_site_data(site, root)
    files = {}
    for file in sorted(root.rglob("*")):
        if file.is_file():
            path = file.relative_to(root).as_posix()
            size, digest = stats[path] if path in stats else file_stats(file)
            files[path] = StoredFile(file, size, digest)
    return files
