"""The search index: Snowball stems, word forms, weights and the no-JavaScript list on the fixture site;
its files (manifest, term shards by prefix, page chunks); and relevance on the real content."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from unittest import mock

import pytest
from searchindex_reader import RELEVANCE, Index
from support import ROOT, run

from ntc_site.load.strings import load_strings
from ntc_site.pipeline.run import PROJECT_ROOT
from ntc_site.render import search, searchindex, searchshards


@pytest.fixture(scope="module")
def strings() -> dict[str, dict[str, str]]:
    table, problems = load_strings(PROJECT_ROOT / "templates")
    assert not problems
    return table


def index(built_site: Path, lang: str) -> dict:
    """The whole index of a language in one piece: every page, and every shard's stems and forms."""
    folder = built_site / lang / "search-index"
    reader = Index(folder)
    data = {"docs": reader.all_docs(), "stems": {}, "forms": {}, "kinds": reader.manifest["kinds"],
            "ui": reader.manifest["ui"]}
    for file in sorted(folder.glob("terms-*.json")):
        shard = json.loads(file.read_text(encoding="utf-8"))
        data["stems"].update(shard["stems"])
        data["forms"].update(shard["forms"])
    return data


def postings(data: dict, word: str, lang: str) -> dict[str, int]:
    """Page URL -> weight for a word, as the browser script resolves it."""
    root = search.stem(lang, search.fold(word))
    flat = data["stems"].get(root, [])
    return {data["docs"][flat[i]]["u"]: flat[i + 1] for i in range(0, len(flat), 2)}


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real") / "_site"
    assert run("build", "--content", ROOT / "content", "--out", out, "--base-url", "https://example.org/ntc-site/") == 0
    return out


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


def test_every_lookup_of_a_word_stays_in_the_shard_of_its_prefix(built_site):
    """The script fetches one shard per typed word: its own form or stem, longer words it begins and
    stems it begins with must all be in the shard of its first two letters."""
    for lang in ("it", "en"):
        folder = built_site / lang / "search-index"
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        whole = index(built_site, lang)
        for key in (*whole["stems"], *whole["forms"]):
            number = manifest["shards"][searchshards.prefix(key)]
            shard = json.loads((folder / f"terms-{number}.json").read_text(encoding="utf-8"))
            assert key in shard["stems"] or key in shard["forms"], (lang, key)
            if key in shard["forms"]:
                assert shard["forms"][key] in shard["stems"], (lang, key)


def test_a_shard_carries_the_postings_of_the_stems_its_forms_point_to_wherever_they_begin():
    docs = [{"t": "A", "u": "/a/", "k": "page", "d": "", "terms": {"zeta": 8}, "forms": {"alpha": "zeta"}}]
    with mock.patch.object(searchshards, "SHARD_BYTES", 1):  # one prefix a file
        files = searchindex.files(docs, {**{f"kind_{k}": k for k in ("page", *search.KINDS)},
                                         **{k: k for k in search.UI_KEYS}})
    number = json.loads(files["manifest.json"])["shards"]["al"]
    assert json.loads(files[f"terms-{number}.json"]) == {"stems": {"zeta": [0, 8]}, "forms": {"alpha": "zeta"}}


def test_small_prefixes_share_a_file_and_no_file_outgrows_the_limit_unless_one_prefix_does():
    docs = [{"t": f"T{n}", "u": f"/p{n}/", "k": "page", "d": "", "forms": {},
             "terms": {f"{a}{b}{n % 50}": 1 for a in "abcdefgh" for b in "xyz"}} for n in range(400)]
    layout = searchshards.TermsFiles((d["terms"], d["forms"]) for d in docs)
    numbers, terms = layout.numbers(), layout.files()
    assert 1 < len(terms) < len(numbers), "prefixes are packed, but not all in one file"
    for name, data in terms.items():
        keys = {k for k, v in numbers.items() if f"terms-{v}.json" == name}
        assert len(data) <= searchshards.SHARD_BYTES or len(keys) == 1, name
    big = searchshards.TermsFiles([({f"aa{n}": 1 for n in range(3000)}, {})])
    assert big.numbers() == {"aa": 0} and len(big.files()["terms-0.json"]) > searchshards.SHARD_BYTES


def test_pages_are_numbered_in_the_order_of_the_no_javascript_list(built_site):
    """The script filters the search page's list by position: item n must be page n."""
    for lang, slug in (("it", "cerca"), ("en", "search")):
        html = (built_site / lang / slug / "index.html").read_text(encoding="utf-8")
        listed = [line.split('href="')[1].split('"')[0] for line in html.split("<li data-kind=")[1:]]
        assert listed == [d["u"] for d in Index(built_site / lang / "search-index").all_docs()]


def test_the_index_files_are_the_same_for_the_same_pages_in_any_order(built_site):
    docs = [{"t": f"T{n % 7}", "u": f"/p{n}/", "k": "page", "d": "x", "forms": {"ciao": "cia"},
             "terms": {"cia": 8, f"w{n}": 1}} for n in range(100)]
    t = {**{f"kind_{k}": k for k in ("page", *search.KINDS)}, **{k: k for k in search.UI_KEYS}}
    assert searchindex.files(docs, t) == searchindex.files(list(reversed(docs)), t)


@pytest.mark.parametrize("lang, query, expected, why", RELEVANCE)
def test_known_queries_rank_the_expected_page_first_on_the_real_content(real_site, lang, query, expected, why):
    reader = Index(real_site / lang / "search-index")
    hits = [reader.doc(n)["u"] for n in reader.search(query)]
    assert hits and hits[0] == f"/ntc-site/{expected}", f"{query!r} ({why}): {hits[:5]}"


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


def test_search_pages_are_in_the_sitemap_with_their_alternates_and_not_marked_noindex(built_site):
    """Decided: the search page without a query lists every page, so it is a page to index (its `?q=`
    variants name it as canonical); Lighthouse would also flag a `noindex` page as not crawlable."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = ET.parse(built_site / "sitemap.xml").getroot().findall("s:url", ns)
    locs = {e.find("s:loc", ns).text: e for e in entries}
    for lang, slug in (("it", "cerca"), ("en", "search")):
        entry = locs[f"https://example.org/ntc-site/{lang}/{slug}/"]
        alternates = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", ns)}
        assert alternates == {"it": "https://example.org/ntc-site/it/cerca/",
                              "en": "https://example.org/ntc-site/en/search/",
                              "x-default": "https://example.org/ntc-site/it/cerca/"}
        html = (built_site / lang / slug / "index.html").read_text(encoding="utf-8")
        assert 'name="robots"' not in html


def test_search_pages_switch_to_each_other_and_declare_alternates(built_site):
    html = (built_site / "it" / "cerca" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/ntc-site/en/search/" hreflang="en"' in html
    assert '<link rel="alternate" hreflang="en" href="https://example.org/ntc-site/en/search/">' in html
    assert '<link rel="canonical" href="https://example.org/ntc-site/it/cerca/">' in html
    english = (built_site / "en" / "search" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/ntc-site/it/cerca/" hreflang="it"' in english


def _content_words(lang: str) -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "content" / lang).rglob("*.md")))
    return sorted(set(search.words(text + " innovazioni città technologies cities running généralement")))


@pytest.mark.parametrize("lang, module, name", [("it", "italian_stemmer", "ItalianStemmer"),
                                                ("en", "english_stemmer", "EnglishStemmer")])
def test_stems_come_from_the_c_stemmer_and_equal_the_pure_python_ones(lang: str, module: str, name: str):
    """Issue 17: PyStemmer (a dependency) stems 15-20x faster than snowballstemmer's Python code, with the same
    algorithms; the index must not change with it."""
    import importlib

    import Stemmer
    assert isinstance(search._stemmer(lang), Stemmer.Stemmer)
    python = getattr(importlib.import_module(f"snowballstemmer.{module}"), name)()
    found = _content_words(lang)
    assert len(found) > 300
    assert [search.stem(lang, w) for w in found] == [python.stemWord(w) for w in found]


def test_a_page_s_terms_count_each_word_once_at_its_highest_weight():
    weights, forms = search._terms("it", [("Città città innovazione", 8), ("innovazioni CITTÀ altro", 1)])
    assert forms == {"citta": "citt", "innovazione": "innov", "innovazioni": "innov", "altro": "altro"}
    assert list(forms) == ["citta", "innovazione", "innovazioni", "altro"]  # in the order of first use
    assert weights == {"citt": 8, "innov": 8, "altro": 1}
