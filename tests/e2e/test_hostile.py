"""Hostile content, end to end (issue 9).

Each refused case starts from a copy of the fixture project and of its build (the "previous output"),
makes the content hostile, builds and checks: exit 1, the message names the file and line, nothing from
outside content/ leaks into the messages, and the previous output is byte-for-byte intact. The "must build safely" cases check the parsed
HTML of every page. The `--out` cases check exit 2 and that nothing was deleted.
"""
from __future__ import annotations

import os
import shutil
import time
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

import pytest
from support import FIXTURE, edit, run, tree, write

from ntc_site.pipeline import fingerprint
from ntc_site.write import output

SECRET = "TOP-SECRET-7f3a"  # text of files outside content/ that a hostile link points at






def link(rel: str, target: str) -> Callable[[Path], None]:
    """A symbolic link at content/<rel>; target 'OUTSIDE/…' is a file or folder beside content/."""
    def change(content: Path) -> None:
        outside = content.parent / "outside"
        (outside / "folder").mkdir(parents=True, exist_ok=True)
        (outside / "secret.md").write_text(f"---\ntitle: {SECRET}\n---\n{SECRET}\n")
        (outside / "secret.yaml").write_text(f"acronym: {SECRET}\nwebsite: {SECRET}\n")
        (outside / "folder" / "page.md").write_text(f"---\ntitle: {SECRET}\n---\n")
        (content / rel).symlink_to(outside / target[len("OUTSIDE/"):] if target.startswith("OUTSIDE/") else target)
    return change


def page(rel: str, front: str = "", body: str = "Testo.") -> Callable[[Path], None]:
    return write(rel, f"---\ntitle: Pagina ostile\n{front}---\n{body}\n")


BOMB = "\n".join(["title: bomb", "a: &a [x, x, x, x, x, x, x, x, x]"] +
                 [f"{n}: &{n} [{', '.join(['*' + p] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi")])
CLUSTER_WEBSITE = '"https://example.org/alpha"'

# name: (change, file, line (0 = the file as a whole), words of the message)
REFUSED = {
    "link_page_outside": (link("it/leak.md", "OUTSIDE/secret.md"), "content/it/leak.md", 0, "leads outside"),
    "link_folder_outside": (link("en/more", "OUTSIDE/folder"), "content/en/more", 0, "leads outside"),
    "link_media_outside": (link("media/leak.txt", "OUTSIDE/secret.md"), "content/media/leak.txt", 0,
                           "leads outside"),
    "link_media_to_etc_passwd": (link("media/passwd", "/etc/passwd"), "content/media/passwd", 0, "leads outside"),
    "link_record_outside": (link("clusters/beta.yaml", "OUTSIDE/secret.yaml"), "content/clusters/beta.yaml", 0,
                            "symbolic link"),
    "link_loop": (link("it/loop.md", "loop.md"), "content/it/loop.md", 0, "broken or loops"),
    "slug_dotdot": (page("it/p.md", "slug: ..\n"), "content/it/p.md", 3, "cannot be part of a URL"),
    "slug_parent_path": (page("it/p.md", "slug: ../../etc\n"), "content/it/p.md", 3, "cannot be part of a URL"),
    "slug_absolute": (page("it/p.md", "slug: /etc/passwd\n"), "content/it/p.md", 3, "cannot be part of a URL"),
    "slug_backslash": (page("it/p.md", "slug: 'a\\b'\n"), "content/it/p.md", 3, "cannot be part of a URL"),
    "slug_control": (page("it/p.md", 'slug: "a\\x01b"\n'), "content/it/p.md", 3, "control characters"),
    "slug_bidi_override": (page("it/p.md", 'slug: "a\\u202eb"\n'), "content/it/p.md", 3, "invisible"),
    "file_name_backslash": (page("it/a\\b.md"), "content/it/a\\b.md", 1, "file name"),
    "file_name_control": (page("it/a\x01b.md"), "content/it/a\\x01b.md", 1, "file name"),
    "file_name_not_utf8": (page(os.fsdecode(b"it/\xff\xfe.md")), "content/it/\\udcff\\udcfe.md", 1, "file name"),
    "link_javascript": (page("it/p.md", body="Riga.\n\n[clic](javascript:alert(document.cookie))"),
                        "content/it/p.md", 6, "forbidden scheme"),
    "link_vbscript": (page("it/p.md", body="[clic](VBScript:MsgBox(1))"), "content/it/p.md", 4,
                      "forbidden scheme"),
    "link_data": (page("it/p.md", body="[clic](data:text/html;base64,PHNjcmlwdD4=)"), "content/it/p.md", 4,
                  "forbidden scheme"),
    "image_data": (page("it/p.md", body="![x](data:image/svg+xml,<svg/onload=alert(1)>)"), "content/it/p.md", 4,
                   "forbidden scheme"),
    "link_absolute_path": (page("it/p.md", body="[x](/etc/passwd)"), "content/it/p.md", 4, "relative path"),
    "link_backslash_path": (page("it/p.md", body="[x](..\\..\\secret.md)"), "content/it/p.md", 4,
                            "relative path"),
    "link_escaping_content": (page("it/p.md", body="[x](../../../outside/secret.md)"), "content/it/p.md", 4,
                              "outside the content folder"),
    "record_website_javascript": (edit("clusters/alpha.yaml", CLUSTER_WEBSITE, '"javascript:alert(1)"'),
                                  "content/clusters/alpha.yaml", 5, "http:// or https://"),
    "record_website_data": (edit("clusters/alpha.yaml", CLUSTER_WEBSITE, '"data:text/html,<script>x</script>"'),
                            "content/clusters/alpha.yaml", 5, "http:// or https://"),
    "record_source_vbscript": (edit("areas/alpha.yaml", '"https://example.org/source-a"', '"vbscript:x"'),
                               "content/areas/alpha.yaml", 6, "http:// or https://"),
    "yaml_alias_bomb_record": (edit("areas/alpha.yaml", "call_year: 2012", "call_year: 2012\n" + BOMB.split("\n", 1)[1]),
                               "content/areas/alpha.yaml", 6, "anchors and aliases"),
    "yaml_alias_bomb_front_matter": (write("it/p.md", f"---\n{BOMB}\n---\n"), "content/it/p.md", 3,
                                     "anchors and aliases"),
    "yaml_object_tag": (edit("clusters/alpha.yaml", 'legal_form: null',
                             'legal_form: !!python/object/apply:os.system ["touch PWNED"]'),
                        "content/clusters/alpha.yaml", 9, "tag"),
    "yaml_object_tag_front_matter": (page("it/p.md", "description: !!python/object/apply:os.system [touch PWNED]\n"),
                                     "content/it/p.md", 3, "tag"),
    "yaml_deep_nesting": (edit("clusters/alpha.yaml", "legal_form: null", "legal_form: " + "[" * 800 + "]" * 800),
                          "content/clusters/alpha.yaml", 9, "nested"),
    "yaml_too_many_values": (edit("areas/alpha.yaml", "call_year: 2012", "call_year: 2012\nextra: [" + "1," * 60_000 + "1]"),
                             "content/areas/alpha.yaml", 5, "more than 50000 values"),
    "oversized_page": (page("it/p.md", body="x" * 1_100_000), "content/it/p.md", 0, "too large"),
    "oversized_record": (edit("areas/alpha.yaml", "call_year: 2012", "call_year: 2012\n#" + "x" * 1_100_000),
                         "content/areas/alpha.yaml", 0, "too large"),
    "not_utf8_record": (write("areas/beta.yaml", "name: {it: Città}\n".encode("latin-1")),
                        "content/areas/beta.yaml", 1, "not valid UTF-8"),
}


@pytest.fixture(scope="module")
def previous_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("previous")
    shutil.copytree(FIXTURE, root / "project")  # so the build cache, too, stays out of the source tree
    assert run("build", "--content", root / "project" / "content", "--out", root / "_site") == 0
    return root / "_site"


@pytest.fixture
def project(site_copy: Path, tmp_path: Path, previous_build: Path, monkeypatch) -> tuple[Path, Path, dict]:
    """A copy of the fixture project (the cwd) and a copy of its build in _site (the previous output)."""
    monkeypatch.chdir(site_copy)
    out = tmp_path / "_site"
    shutil.copytree(previous_build, out)
    return site_copy / "content", out, tree(out)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_input_is_refused_located_and_keeps_the_previous_output(name: str, project, capsys):
    change, path, line, words = REFUSED[name]
    content, out, before = project
    change(content)
    start = time.perf_counter()
    code = run("build", "--content", "content", "--out", out)
    elapsed = time.perf_counter() - start
    err = capsys.readouterr().err
    assert code == 1, err
    where = f"{path}:{line}:" if line else f"{path}:"
    hits = [l for l in err.splitlines() if l.startswith(where) and words in l]
    assert hits, err
    assert "Traceback" not in err and SECRET not in err
    assert tree(out) == before
    assert not list(out.parent.glob("._site.tmp-*"))
    assert not Path("PWNED").exists() and not (content / "PWNED").exists()
    assert elapsed < 30, f"hostile input took {elapsed:.1f}s"


def test_a_slug_that_clashes_with_a_generated_file_is_refused_without_a_traceback(project, capsys):
    content, out, before = project
    page("it/p.md", "slug: search-index\n")(content)
    assert run("build", "--content", "content", "--out", out) == 1
    err = capsys.readouterr().err
    assert "content/it/p.md:1: URL /it/search-index/ is reserved for the search index" in err
    assert "Traceback" not in err
    assert tree(out) == before


# ---- must build safely ---------------------------------------------------------------------------------

HOSTILE_BODY = """Para sicuro con [un link](https://example.org/ok).

<script>alert('body')</script>
<iframe src="https://evil.example/"></iframe>
<img src="../media/logo.svg" onerror="alert(1)" alt="logo">
<a href="javascript:alert(1)" onclick="alert(2)">uno</a>
<a href="&#x6A;avascript:alert(3)">due</a> <a href="java&#09;script:alert(4)">tre</a>
<a href="data:text/html,<script>alert(5)</script>">quattro</a>
<svg onload="alert(6)"><circle r="1"/></svg>
<object data="x.swf"></object><embed src="x.swf">
<form action="https://evil.example/"><input name="q" autofocus onfocus="alert(7)"></form>
<style>body { display: none }</style>
<div style="background:url(javascript:alert(8))" class="nota">stile</div>
<base href="https://evil.example/">
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<math><mi xlink:href="javascript:alert(9)">m</mi></math>
<details open ontoggle="alert(10)"><summary>Dettagli</summary>Testo nascosto</details>

Paragrafo con attributi
{: onclick="alert(11)" }

<!-- <script>alert(12)</script> -->
"""
XSS = "<script>alert('record')</script><img src=x onerror=alert(1)>"


class _Document(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: bytes) -> _Document:
    doc = _Document()
    doc.feed(html.decode("utf-8"))
    return doc


def assert_safe(path: str, html: bytes, prefix: str) -> None:
    """No script but JSON-LD or the site's own, no frames or plugins, no handlers, no dangerous URLs."""
    for tag, attrs in parse(html).elements:
        where = f"{path}: <{tag} {attrs}>"
        if tag == "script":
            assert attrs.get("type") == "application/ld+json" or (
                attrs.get("src", "").startswith(prefix + "assets/") and attrs["src"].endswith(".js")), where
        assert tag not in ("iframe", "frame", "object", "embed", "base", "style", "form") or (
            tag == "form" and attrs.get("role") == "search"), where
        assert tag != "meta" or "refresh" not in attrs.get("http-equiv", "").lower(), where
        assert not [a for a in attrs if a.startswith("on")], where
        for name in ("href", "src", "action", "formaction", "xlink:href", "data"):
            value = "".join(c for c in attrs.get(name, "") if c > " ").lower()
            assert not value.startswith(("javascript:", "vbscript:", "data:")), where


def test_raw_html_and_hostile_record_text_build_safely(site_copy: Path, tmp_path: Path):
    content = site_copy / "content"
    page("it/ostile.md", body=HOSTILE_BODY)(content)
    edit("clusters/alpha.yaml", '"Cluster sintetico per i test."', f'"{XSS}"')(content)
    edit("areas/alpha.yaml", '"Area Alfa"', f'"Area {XSS}"')(content)
    edit("site.yaml", '"Sito di prova"', f'"Sito {XSS}"')(content)
    out = tmp_path / "_site"
    assert run("build", "--content", content, "--out", out) == 0
    files = tree(out)
    pages = {p: b for p, b in files.items() if p.endswith(".html")}
    assert len(pages) > 10
    for path, html in pages.items():
        assert_safe(path, html, "/ntc-site/")
    body = parse(files["it/ostile/index.html"])
    assert not {"svg", "math"} & {tag for tag, _ in body.elements}
    text = "".join(body.text)
    assert "Para sicuro" in text and "Dettagli" in text and "stile" in text
    assert ("a", {"href": "https://example.org/ok"}) in body.elements
    cluster = files["it/cluster/alpha/index.html"].decode()
    assert "&lt;script&gt;alert(&#39;record&#39;)&lt;/script&gt;" in cluster  # shown as text, not run


def test_bom_crlf_and_unicode_slugs_build_and_are_normalised(site_copy: Path, tmp_path: Path):
    content = site_copy / "content"
    about = content / "en" / "about.md"
    about.write_bytes(b"\xef\xbb\xbf" + about.read_bytes().replace(b"\n", b"\r\n"))
    area = content / "areas" / "alpha.yaml"
    area.write_bytes(b"\xef\xbb\xbf" + area.read_bytes().replace(b"\n", b"\r\n"))
    nfd_name = unicodedata.normalize("NFD", "perché.md")
    (content / "it" / nfd_name).write_bytes(
        unicodedata.normalize("NFD", "---\ntitle: Perché\nslug: perché-così\n---\n[Città](città.md)\n").encode())
    (content / "it" / unicodedata.normalize("NFD", "città.md")).write_bytes(b"---\r\ntitle: Citt\xc3\xa0\r\n---\r\n")
    out = tmp_path / "_site"
    assert run("build", "--content", content, "--out", out) == 0
    files = tree(out)
    nfc = unicodedata.normalize("NFC", "it/perché-così/index.html")
    assert nfc in files and unicodedata.normalize("NFC", "it/città/index.html") in files
    html = files[nfc].decode("utf-8")
    hrefs = [a.get("href", "") for tag, a in parse(files[nfc]).elements if tag == "a"]
    target = "/ntc-site/it/citt%C3%A0/"
    assert target in hrefs and unquote(target) == unicodedata.normalize("NFC", "/ntc-site/it/città/")
    assert all(h.isascii() for h in hrefs)
    assert "perch%C3%A9-cos%C3%AC/" in files["sitemap.xml"].decode()
    about_html = files["en/about/index.html"].decode("utf-8")
    assert "<h1>About</h1>" in about_html and "\ufeff" not in about_html and "\r" not in about_html
    assert "\r" not in html and "Alpha area" in files["en/areas/alpha/index.html"].decode()


# ---- where the site may be written -----------------------------------------------------------------------

@pytest.fixture
def guarded(monkeypatch):
    """Fail loudly instead of writing anything if a dangerous --out were ever accepted."""
    def refuse(*_args, **_kw):
        raise AssertionError("the writer was reached for a target that must be refused")

    monkeypatch.setattr(output, "write_site", refuse)
    monkeypatch.setattr(output, "Writer", refuse)


def _refuse(content: Path, out: Path, capsys) -> str:
    code = run("build", "--content", content, "--out", out)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ") and "Traceback" not in err
    return err


@pytest.mark.parametrize("case", ["content", "project_root", "root", "parent_of_content", "home"])
def test_out_refused_when_it_is_or_contains_something_precious(case: str, site_copy: Path, tmp_path: Path,
                                                               monkeypatch, capsys, guarded):
    monkeypatch.setattr(fingerprint, "PROJECT_ROOT", site_copy)
    monkeypatch.chdir(site_copy)
    home = tmp_path / "home"
    (home / "notes").mkdir(parents=True)
    (home / "notes" / "diary.txt").write_text("keep")
    (home / output.MARKER).write_text("even a marker does not make home a build")
    monkeypatch.setenv("HOME", str(home))
    before_project, before_home = tree(site_copy), tree(home)
    out = {"content": site_copy / "content", "project_root": site_copy, "root": Path("/"),
           "parent_of_content": tmp_path, "home": home}[case]
    err = _refuse(site_copy / "content", out, capsys)
    assert "refusing" in err
    assert tree(site_copy) == before_project and tree(home) == before_home


def test_out_refused_when_it_is_a_symbolic_link(site_copy: Path, tmp_path: Path, capsys):
    previous = tmp_path / "previous"
    assert run("build", "--content", site_copy / "content", "--out", previous) == 0
    before = tree(previous)
    (tmp_path / "_site").symlink_to(previous)
    err = _refuse(site_copy / "content", tmp_path / "_site", capsys)
    assert "symbolic link" in err
    assert tree(previous) == before and (tmp_path / "_site").is_symlink()


def test_out_refused_when_it_is_a_non_empty_folder_that_is_not_a_build(site_copy: Path, tmp_path: Path, capsys):
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "thesis.tex").write_text("precious")
    (docs / "sub" / ".hidden").write_text("also precious")
    before = tree(docs)
    err = _refuse(site_copy / "content", docs, capsys)
    assert "not a previous ntc-site build" in err
    assert tree(docs) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "project"]
