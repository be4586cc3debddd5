"""Unit tests for the strict checks' pure parts: the source hash, heading levels, record parity, link
resolution in rendered HTML and the HTML scan."""
from __future__ import annotations

from pathlib import Path

from ntc_site.check import linkcheck, strict
from ntc_site.load import content


def page(body: str, title: str = "Titolo", description: str = "Una frase.") -> content.SourcePage:
    text = f"---\ntitle: {title}\ndescription: {description}\n---\n{body}"
    parsed, problems = content.parse_page(text, "it", "pagina.md", "content/it/pagina.md")
    assert problems == []
    return parsed


def test_source_hash_is_stable_and_follows_title_description_and_text() -> None:
    base = content.source_hash(page("Testo."))
    assert base == content.source_hash(page("Testo."))
    assert len(base) == content.HASH_LENGTH and int(base, 16) >= 0
    assert base == content.source_hash(page("Testo.\n\n"))  # trailing blank lines do not count
    assert base != content.source_hash(page("Testo cambiato."))
    assert base != content.source_hash(page("Testo.", title="Altro titolo"))
    assert base != content.source_hash(page("Testo.", description="Altra frase."))


def test_headings_start_at_level_two_and_never_skip_going_down() -> None:
    assert strict.heading_findings("p.md", [(2, 5), (3, 7), (4, 9), (2, 11), (3, 12)]) == []
    found = strict.heading_findings("p.md", [(3, 5), (2, 6), (4, 8), (1, 10)])
    assert [(p.line, p.message) for p in found] == [
        (5, "heading level skips from 1 to 3"),
        (8, "heading level skips from 2 to 4"),
        (10, "heading level 1 in the text: the page title is already the level-1 heading"),
    ]
    assert found[0].hint == "use '##' here" and found[1].hint == "use '###' here"


def test_going_back_up_any_number_of_levels_is_fine() -> None:
    assert strict.heading_findings("p.md", [(2, 1), (3, 2), (4, 3), (5, 4), (2, 5)]) == []


def write_records(root: Path, cluster_name: str) -> None:
    (root / "clusters").mkdir(parents=True)
    (root / "clusters" / "alpha.yaml").write_text(
        f"acronym: ALF\nname: {cluster_name}\ndescription:\n  it: Descrizione.\n  en: Description.\n",
        encoding="utf-8")


def test_record_text_with_a_language_left_out_is_a_finding(tmp_path: Path) -> None:
    write_records(tmp_path, '{it: "Cluster Alfa"}')
    found = strict.record_parity(tmp_path)
    assert [(p.line, p.message) for p in found] == [(2, "'name' has no 'en' text")]
    assert found[0].path.endswith("clusters/alpha.yaml")


def test_record_text_declared_without_translation_is_not_a_finding(tmp_path: Path) -> None:
    write_records(tmp_path, '{it: "Cluster Alfa", en: null}')
    assert strict.record_parity(tmp_path) == []


def test_record_texts_reports_the_state_of_every_bilingual_field(tmp_path: Path) -> None:
    write_records(tmp_path, '{it: "Cluster Alfa", en: null}')
    states = {".".join(keypath): values for _, _, _, keypath, values in strict.record_texts(tmp_path)}
    assert states["description"] == {"it": "Descrizione.", "en": "Description."}
    assert states["name"] == {"it": "Cluster Alfa", "en": None}


def test_local_links_resolve_like_a_browser_under_the_subpath() -> None:
    here = "/repo/it/chi-siamo/"
    assert linkcheck.local_file("/repo/it/", here, "/repo/") == ("it/index.html", "")
    assert linkcheck.local_file("../cluster/#elenco", here, "/repo/") == ("it/cluster/index.html", "elenco")
    assert linkcheck.local_file("#contatti", here, "/repo/") == ("it/chi-siamo/index.html", "contatti")
    assert linkcheck.local_file("/repo/data/x.csv", here, "/repo/") == ("data/x.csv", "")
    assert linkcheck.local_file("/repo/it/perch%C3%A9/", here, "/repo/") == ("it/perché/index.html", "")
    assert linkcheck.local_file("/altro/", here, "/repo/") == ("", "")  # outside the site: leads nowhere
    assert linkcheck.local_file("https://example.org/", here, "/repo/") is None
    assert linkcheck.local_file("mailto:a@example.org", here, "/repo/") is None


def test_scan_collects_ids_links_and_images_without_alt_attribute() -> None:
    found = linkcheck.scan(b'<main id="main"><h2 id="a">A</h2><a href="/x/#a">x</a><a>no href</a>'
                        b'<img src="/m.png"><img src="/n.png" alt=""></main>')
    assert found.ids == {"main", "a"}
    assert found.links == ["/x/#a", "/m.png", "/n.png"]
    assert found.images_without_alt == ["/m.png"]
