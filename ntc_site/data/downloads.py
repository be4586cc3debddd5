"""The download files under `data/`: CSV, JSON, XLSX, descriptor and zip per package; all.zip; the catalogue.

Everything is written as a stream to files in a folder (so a million-row table never sits in memory:
rows go one at a time from the source CSV to every output), with fixed zip timestamps and fixed XLSX
properties so that two builds give the same bytes. `site_files` runs it in a temporary folder and hands
the pipeline the bytes of every file; `write_package` is the streaming core that tests can run on disk.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Iterator

from ..load.config import SiteConfig
from ..model.site import Site
from ..urls import download_path
from . import catalog, chunks, csvrows, xlsx
from .descriptor import package_descriptor
from .package import Package, Resource

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
CHUNK = 1 << 16  # 64 KiB buffers: copying and hashing never hold a whole file


def file_stats(file: Path) -> tuple[int, str]:
    """Byte size and sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with file.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


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


def _sheet_rows(resource: Resource) -> Iterator[list[Any]]:
    """Header = Italian field titles; then typed values (lists joined with spaces), streamed."""
    fields = resource.schema.fields
    yield [f.title["it"] for f in fields]
    for row in csvrows.iter_rows(resource):
        yield [" ".join(row[f.name]) if f.type == "list" and row[f.name] else row[f.name] for f in fields]


def write_xlsx(package: Package, config: SiteConfig, homepage: str | None, target: Path) -> None:
    """A bilingual README sheet first (licence, source, version, data dictionary), then one sheet per resource."""
    sheets = [xlsx.Sheet(README_SHEET, _readme_rows(package, config, homepage))]
    sheets += [xlsx.Sheet(r.name[:31], _sheet_rows(r)) for r in package.resources]
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
        chunks.write_chunks(r, folder)  # served to the page's explorer; not part of the distribution
        for name in (f"{r.name}.csv", f"{r.name}.json"):
            stats[name] = file_stats(folder / name)
    xlsx = f"{package.name}.xlsx"
    write_xlsx(package, config, homepage, folder / xlsx)
    stats[xlsx] = file_stats(folder / xlsx)
    descriptor = package_descriptor(package, config, homepage, stats)
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n",
                                             encoding="utf-8")
    stats["datapackage.json"] = file_stats(folder / "datapackage.json")
    inner = [n for n in package_files(package) if not n.endswith(".zip")]
    write_zip(folder / f"{package.name}.zip", [(f"{package.name}/{n}", folder / n) for n in inner], package.updated)
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
        found = write_package(package, site.config, landing_page(site, package.name), root / "data" / package.name)
        stats.update({download_path(package.name, n): s for n, s in found.items()})
    if not packages:
        return stats
    for name, data in catalog.serialisations(site, stats).items():
        (root / name).write_bytes(data)
        stats[name] = file_stats(root / name)
    in_all = sorted(p for p in stats if not p.endswith(".zip"))
    sums = "".join(f"{stats[p][1]}  {p.removeprefix('data/')}\n" for p in in_all)
    (root / "data" / "SHA256SUMS").write_text(sums, encoding="utf-8", newline="\n")
    entries = [(p.removeprefix("data/"), root / p) for p in in_all] + [("SHA256SUMS", root / "data" / "SHA256SUMS")]
    write_zip(root / "data" / "all.zip", entries, max(p.updated for p in packages))
    stats["data/all.zip"] = file_stats(root / "data" / "all.zip")
    return stats


def site_files(site: Site) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_site_data(site, root)
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
