"""End to end: a page whose body alone was edited is re-rendered alone, and the site equals a clean build.

The path (ntc_site/pipeline/delta.py) is taken when the inputs differ from the previous build's only in the
bodies of a few pages: the command names the pages it re-rendered. Whatever the edit, the output must equal
a clean build of the same project (new output folder, new empty cache), byte for byte; after any other kind
of change, or when the edited page has a problem, the full build runs (and reports every problem).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from support import ROOT, run, tree

from ntc_site.pipeline import delta, fingerprint

REBUILT = "(re-rendered "
IT_PAGE, EN_PAGE = "content/it/chi-siamo.md", "content/en/about.md"


@pytest.fixture
def project(data_project: Path) -> Path:
    return data_project


@pytest.fixture
def build(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
          ) -> Callable[..., tuple[int, str, str]]:
    """`build(out, cache)`: runs `build` in this process; gives (exit code, stdout, stderr)."""
    def build_(out: Path, cache: Path) -> tuple[int, str, str]:
        monkeypatch.setenv("NTC_CACHE_DIR", str(cache))
        capsys.readouterr()
        code = run("build", "--content", project / "content", "--out", out)
        printed = capsys.readouterr()
        return code, printed.out, printed.err
    return build_


def clean(build, tmp_path: Path) -> dict[str, bytes]:
    """A clean build of the project as it is now: new output folder, new empty cache."""
    out, cache = tmp_path / "clean-out", tmp_path / "clean-cache"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    code, printed, err = build(out, cache)
    assert code == 0, err
    return tree(out)


def append(project: Path, rel: str, text: str) -> None:
    file = project / rel
    file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")


def body_of(project: Path, rel: str, body: str) -> None:
    """Replace the page's body, keeping its front matter byte for byte."""
    file = project / rel
    text = file.read_text(encoding="utf-8")
    end = text.index("\n---\n", 4) + len("\n---\n")
    file.write_text(text[:end] + body, encoding="utf-8")


BODY_EDITS: dict[str, Callable[[Path], None]] = {
    "a sentence added": lambda p: append(p, IT_PAGE, "\nUna frase aggiunta con parole nuove: zafferano.\n"),
    "a heading, a list and a link": lambda p: append(
        p, IT_PAGE, "\n## Altro\n\n- uno\n- due\n\nVedi [la home](index.md) e [i dati](dati/index.md).\n"),
    "the body emptied": lambda p: body_of(p, IT_PAGE, ""),
    "words that are new to the index": lambda p: append(p, EN_PAGE, "\nQuixotic xylophones zigzag.\n"),
    "a page in each language": lambda p: (append(p, IT_PAGE, "\nNuovo.\n"), append(p, EN_PAGE, "\nNew.\n")),
    "two pages of one language": lambda p: (append(p, IT_PAGE, "\nZucchero e zafferano.\n"),
                                            body_of(p, "content/it/solo-italiano.md", "Solo zucchero.\n")),
    "raw HTML that the sanitiser cleans": lambda p: append(p, EN_PAGE, '\n<p onclick="x()">Clicked</p>\n'),
}


@pytest.mark.parametrize("edit", list(BODY_EDITS))
def test_an_edited_body_is_re_rendered_alone_and_the_site_equals_a_clean_build(edit: str, project: Path,
                                                                               tmp_path: Path, build):
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(out, cache)[0] == 0
    BODY_EDITS[edit](project)
    code, printed, err = build(out, cache)
    assert code == 0, err
    assert REBUILT in printed
    assert tree(out) == clean(build, tmp_path)


def test_edits_in_a_row_keep_the_kept_state_in_step(project: Path, tmp_path: Path, build):
    """Each rebuild starts from the state the previous one left (search index included)."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(out, cache)[0] == 0
    original = (project / IT_PAGE).read_text(encoding="utf-8")
    steps = [lambda: append(project, IT_PAGE, "\nPrimo: anguria.\n"),
             lambda: append(project, EN_PAGE, "\nSecond: watermelon.\n"),
             lambda: append(project, IT_PAGE, "\nTerzo: melone.\n"),
             lambda: (project / IT_PAGE).write_text(original, encoding="utf-8")]
    for step in steps:
        step()
        code, printed, err = build(out, cache)
        assert code == 0 and REBUILT in printed, err
        assert tree(out) == clean(build, tmp_path)
    assert "(unchanged)" in build(out, cache)[1]


def test_inputs_taken_on_their_status_still_show_an_edit(project: Path, tmp_path: Path, build,
                                                         monkeypatch: pytest.MonkeyPatch):
    """With every input old enough to be taken on its status (pipeline/fingerprint.py), a same-size edit
    that also puts the modification time back is still seen (by its change time) and re-rendered."""
    monkeypatch.setattr(fingerprint, "SETTLED_NS", -10**9)
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(out, cache)[0] == 0
    assert "(unchanged)" in build(out, cache)[1]
    file = project / IT_PAGE
    before = file.stat()
    file.write_bytes(file.read_bytes().replace("Una tabella:".encode(), "Una tabellA:".encode()))
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    code, printed, err = build(out, cache)
    assert code == 0 and REBUILT in printed, err
    assert tree(out) == clean(build, tmp_path)


def _front_matter(p: Path) -> None:
    file = p / IT_PAGE
    file.write_text(file.read_text(encoding="utf-8").replace("title: Chi siamo", "title: Chi siamo noi"),
                    encoding="utf-8")


def _front_matter_comment(p: Path) -> None:
    file = p / IT_PAGE
    file.write_text(file.read_text(encoding="utf-8").replace("weight: 20\n", "weight: 20  # same\n"),
                    encoding="utf-8")


def _body_and_record(p: Path) -> None:
    append(p, IT_PAGE, "\nNuovo.\n")
    file = p / "content/clusters/alpha.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("founded: 2012", "founded: 2013"), encoding="utf-8")


def _body_and_template(p: Path) -> None:
    append(p, IT_PAGE, "\nNuovo.\n")
    file = p / "templates/base.html"
    file.write_text(file.read_text(encoding="utf-8").replace('<main id="main"', '<main id="mein"'),
                    encoding="utf-8")


def _page_added(p: Path) -> None:
    (p / "content/it/nuova.md").write_text("---\ntitle: Nuova\n---\nUna pagina nuova.\n", encoding="utf-8")


def _data_page_body(p: Path) -> None:
    append(p, "content/it/dati/index.md", "\nTesto della pagina dei dati.\n")


FULL_BUILDS: dict[str, Callable[[Path], None]] = {
    "front matter edited": _front_matter, "a comment in the front matter": _front_matter_comment,
    "a body and a record": _body_and_record, "a body and a template": _body_and_template,
    "a page added": _page_added, "the body of a page showing data packages": _data_page_body,
}


@pytest.mark.parametrize("change", list(FULL_BUILDS))
def test_any_other_change_means_the_full_build(change: str, project: Path, tmp_path: Path, build):
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(out, cache)[0] == 0
    FULL_BUILDS[change](project)
    code, printed, err = build(out, cache)
    assert code == 0, err
    assert REBUILT not in printed and "(unchanged)" not in printed
    assert tree(out) == clean(build, tmp_path)


def test_a_problem_in_the_edited_body_is_reported_by_the_full_build_and_nothing_is_written(
        project: Path, tmp_path: Path, build):
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(out, cache)[0] == 0
    before = {p: (p.stat().st_ino, p.read_bytes()) for p in out.rglob("*") if p.is_file()}
    append(project, IT_PAGE, "\nVedi [una pagina che non c'è](non-esiste.md).\n")
    code, printed, err = build(out, cache)
    assert code == 1
    assert "chi-siamo.md" in err and "non-esiste.md" in err and "nothing was written" in err
    assert {p: (p.stat().st_ino, p.read_bytes()) for p in out.rglob("*") if p.is_file()} == before
    body_of(project, IT_PAGE, "Di nuovo a posto.\n")
    code, printed, err = build(out, cache)
    assert code == 0, err
    assert tree(out) == clean(build, tmp_path)


def _state_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("delta-*.pickle"))


@pytest.mark.parametrize("damage", ["removed", "truncated", "another build's"])
def test_missing_or_foreign_state_means_the_full_build(damage: str, project: Path, tmp_path: Path, build):
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(out, cache)[0] == 0
    files = _state_files(cache)
    assert {f.name.rsplit("-", 1)[1] for f in files} == {"site.pickle", "it.pickle", "en.pickle"}
    site = next(f for f in files if f.name.endswith("-site.pickle"))
    if damage == "removed":
        site.unlink()
    elif damage == "truncated":
        site.write_bytes(site.read_bytes()[:100])
    else:  # a whole, valid state of another build (its token differs)
        kept = site.read_bytes()
        append(project, EN_PAGE, "\nOther.\n")
        assert build(tmp_path / "other-out", cache)[0] == 0  # another output folder: its own stamp and state
        other = next(f for f in _state_files(cache) if f.name.endswith("-site.pickle") and f != site)
        site.write_bytes(other.read_bytes())
        assert site.read_bytes() != kept
    append(project, IT_PAGE, "\nNuovo.\n")
    code, printed, err = build(out, cache)
    assert code == 0, err
    assert REBUILT not in printed
    assert tree(out) == clean(build, tmp_path)


def test_an_output_changed_since_the_build_means_the_full_build(project: Path, tmp_path: Path, build):
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(out, cache)[0] == 0
    (out / "en/index.html").write_text("edited by hand", encoding="utf-8")
    append(project, IT_PAGE, "\nNuovo.\n")
    code, printed, err = build(out, cache)
    assert code == 0 and REBUILT not in printed, err
    assert tree(out) == clean(build, tmp_path)


def test_more_edited_pages_than_the_limit_mean_the_full_build(project: Path, tmp_path: Path, build,
                                                            monkeypatch: pytest.MonkeyPatch):
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(out, cache)[0] == 0
    monkeypatch.setattr(delta, "MAX_PAGES", 1)
    append(project, IT_PAGE, "\nNuovo.\n")
    append(project, EN_PAGE, "\nNew.\n")
    code, printed, err = build(out, cache)
    assert code == 0 and REBUILT not in printed, err
    assert tree(out) == clean(build, tmp_path)


def test_the_rebuild_reads_the_edited_page_alone_and_imports_no_loader(project: Path, tmp_path: Path, build):
    """In a new process, as the command line runs: the content folder is hashed, but no page is parsed (the
    edited one's front matter is compared by digest), and neither the data packages' libraries nor the
    pipeline's loaders are imported."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(out, cache)[0] == 0
    append(project, IT_PAGE, "\nNuovo.\n")
    heavy = ["frictionless", "rdflib", "ntc_site.pipeline.run", "ntc_site.pipeline.sources"]
    script = ("import json, sys\nfrom ntc_site.load import content\nparsed = []\nparse = content.parse_page\n"
              "content.parse_page = lambda *a: parsed.append(a[2]) or parse(*a)\n"
              "from ntc_site import cli\ncode = cli.main(sys.argv[1:])\n"
              f"print(json.dumps([code, parsed, [m for m in {heavy!r} if m in sys.modules]]))\n")
    done = subprocess.run([sys.executable, "-c", script, "build", "--content", str(project / "content"),
                           "--out", str(out)], capture_output=True, text=True, check=True,
                          env={**os.environ, "NTC_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)})
    lines = done.stdout.strip().splitlines()
    assert REBUILT in lines[0]
    assert json.loads(lines[-1]) == [0, [], []]


def test_a_dated_page_edited_again_is_rendered_without_loading_babel(project: Path, tmp_path: Path, build):
    """The dates an earlier rebuild wrote are kept with the state: the same page, edited again, shows the
    same date without Babel's locale data being loaded (and the site is still the clean build's)."""
    file = project / IT_PAGE
    file.write_text(file.read_text(encoding="utf-8").replace("weight: 20\n", "weight: 20\nupdated: 2024-05-07\n"),
                    encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(out, cache)[0] == 0
    script = ("import json, sys\nfrom ntc_site import cli\ncode = cli.main(sys.argv[1:])\n"
              "print(json.dumps([code, 'babel.dates' in sys.modules]))\n")
    loaded = []
    for text in ("\nPrima modifica.\n", "\nSeconda modifica.\n"):
        append(project, IT_PAGE, text)
        done = subprocess.run([sys.executable, "-c", script, "build", "--content", str(project / "content"),
                               "--out", str(out)], capture_output=True, text=True, check=True,
                              env={**os.environ, "NTC_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)})
        lines = done.stdout.strip().splitlines()
        assert REBUILT in lines[0]
        loaded.append(json.loads(lines[-1]))
    assert loaded[1] == [0, False]  # the first may have had it from the whole build, when that ran serially
    assert "7 maggio 2024" in (out / "it/chi-siamo/index.html").read_text(encoding="utf-8")
    assert tree(out) == clean(build, tmp_path)


def test_the_command_ends_at_once_after_a_fast_build_with_everything_said_and_kept(project: Path, tmp_path: Path,
                                                                               build):
    """build.py ends the process without tearing the interpreter down after a one-page or no-change build
    (cli.run): what it printed still arrives, through a buffered pipe, and the stamp it left still works."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    env.update(NTC_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))

    def command() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content",
                               str(project / "content"), "--out", str(out)], capture_output=True, text=True,
                              env=env)
    first = command()
    assert first.returncode == 0 and first.stdout.startswith("built "), first.stderr
    append(project, IT_PAGE, "\nNuovo.\n")
    second = command()
    assert second.returncode == 0 and REBUILT in second.stdout, second.stderr
    assert "note: datasets/ is not in a git checkout" in second.stderr
    third = command()
    assert third.returncode == 0 and "(unchanged)" in third.stdout, third.stderr
    assert tree(out) == clean(build, tmp_path)


@pytest.mark.parametrize("point", ["staging-taken", "staging-half", "before-swap", "after-swap"])
def test_a_rebuild_killed_while_publishing_leaves_a_whole_site(point: str, project: Path, tmp_path: Path,
                                                               build):
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(out, cache)[0] == 0
    append(project, IT_PAGE, "\nPrima.\n")
    assert REBUILT in build(out, cache)[1]  # so that a spare tree exists, as after any second build
    old = tree(out)
    append(project, IT_PAGE, "\nSeconda.\n")
    new = clean(build, tmp_path)
    done = subprocess.run([sys.executable, "-c", "import sys; from ntc_site.cli import main; sys.exit(main())",
                           "build", "--content", str(project / "content"), "--out", str(out)],
                          capture_output=True, text=True,
                          env={**os.environ, "NTC_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT),
                               "NTC_KILL_AT": point})
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert tree(out) == (new if point == "after-swap" else old)
    code, printed, err = build(out, cache)
    assert code == 0, err
    assert tree(out) == new
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.tmp-")]
