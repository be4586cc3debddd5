"""The search index: Snowball stems, word forms, weights and the no-JavaScript list, on the fixture site."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ntc_site.build.pipeline import PROJECT_ROOT
from ntc_site.load.strings import load_strings
from ntc_site.render import search


@pytest.fixture(scope="module")
def strings() -> dict[str, dict[str, str]]:
    table, problems = load_strings(PROJECT_ROOT / "templates")
    assert not problems
    return table


def index(built_site: Path, lang: str) -> dict:
    return json.loads((built_site / lang / "search-index.json").read_text(encoding="utf-8"))


def postings(data: dict, word: str, lang: str) -> dict[str, int]:
    """Page URL -> weight for a word, as the browser script resolves it."""
    root = search.stem(lang, search.fold(word))
    flat = data["stems"].get(root, [])
    return {data["docs"][flat[i]]["u"]: flat[i + 1] for i in range(0, len(flat), 2)}


def test_words_are_folded_like_the_script_folds_what_is_typed():
    assert search.words("Città dell'Università, CTNA-2012!") == ["citta", "dell", "universita", "ctna", "2012"]


def test_italian_and_english_forms_share_a_stem():
    assert search.stem("it", "tecnologiche") == search.stem("it", "tecnologici") == search.stem("it", "tecnologia")
    assert search.stem("it", "innovazioni") == search.stem("it", "innovazione")
    assert search.stem("en", "technologies") == search.stem("en", "technology")
    assert search.stem("it", "cluster") != search.stem("it", "cultura")


def test_every_page_of_the_language_is_in_its_index_under_the_subpath(built_site):
    for lang in ("it", "en"):
        data = index(built_site, lang)
        urls = [d["u"] for d in data["docs"]]
        assert urls and all(u.startswith(f"/ntc-site/{lang}/") for u in urls)
        assert len(urls) == len(set(urls))
        assert set(data["docs"][0]) == {"t", "u", "k", "d"}


def test_title_words_weigh_more_than_body_words(built_site):
    data = index(built_site, "it")
    home = "/ntc-site/it/"
    title = next(d["t"] for d in data["docs"] if d["u"] == home)
    assert postings(data, search.words(title)[0], "it")[home] == search.WEIGHT_TITLE


def test_cluster_facts_are_searchable_on_the_cluster_page(built_site):
    data = index(built_site, "en")
    hits = postings(data, "ALF", "en")
    assert hits.get("/ntc-site/en/clusters/alpha/") == search.WEIGHT_TITLE  # the acronym is in the title
    assert "/ntc-site/en/clusters/alpha/" in postings(data, "Lazio", "en")  # the region is a fact, not text


def test_forms_map_only_words_whose_stem_differs_to_known_stems(built_site):
    data = index(built_site, "it")
    assert data["forms"], "the fixture site has inflected words"
    for form, root in data["forms"].items():
        assert form != root and root in data["stems"] and search.stem("it", form) == root


def test_postings_point_at_existing_pages(built_site):
    for lang in ("it", "en"):
        data = index(built_site, lang)
        for flat in data["stems"].values():
            assert len(flat) % 2 == 0
            assert all(0 <= n < len(data["docs"]) for n in flat[::2])
            assert set(flat[1::2]) <= {search.WEIGHT_TITLE, search.WEIGHT_SUMMARY, search.WEIGHT_BODY}


def test_index_carries_the_scripts_words_in_the_page_language(built_site, strings):
    for lang in ("it", "en"):
        data = index(built_site, lang)
        assert data["ui"] == {key: strings[lang][key] for key in search.UI_KEYS}
        assert data["kinds"]["cluster"] == strings[lang]["kind_cluster"]


def test_list_items_sort_by_title_and_label_the_kind(strings):
    docs = [{"t": "beta", "u": "/b/", "k": "cluster", "d": ""}, {"t": "Alfa", "u": "/a/", "k": "page", "d": ""}]
    items = search.list_items(docs, strings["it"])
    assert [i["title"] for i in items] == ["Alfa", "beta"]
    assert items[1]["kind_label"] == strings["it"]["kind_cluster"]


def test_no_javascript_page_lists_every_indexed_page(built_site):
    for lang, slug in (("it", "cerca"), ("en", "search")):
        html = (built_site / lang / slug / "index.html").read_text(encoding="utf-8")
        for doc in index(built_site, lang)["docs"]:
            assert f'href="{doc["u"]}"' in html


def test_search_pages_switch_to_each_other_and_declare_alternates(built_site):
    html = (built_site / "it" / "cerca" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/ntc-site/en/search/" hreflang="en"' in html
    assert '<link rel="alternate" hreflang="en" href="https://example.org/ntc-site/en/search/">' in html
    assert '<link rel="canonical" href="https://example.org/ntc-site/it/cerca/">' in html
    english = (built_site / "en" / "search" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/ntc-site/it/cerca/" hreflang="it"' in english
