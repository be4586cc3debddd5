"""One page's new search terms rewrite only the index files that change, and the files after any number of
such changes are byte for byte those a full build makes from the new pages (render/searchshards.py).

Every layout is checked against `reference`, the index laid out the plain way: all postings and forms
collected, one shard per prefix, each shard dumped to weigh it, the files packed and dumped whole."""
from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import ROOT, run

from ntc_site.languages import LANGUAGES
from ntc_site.render import search, searchindex, searchshards

T = {**{f"kind_{k}": f"K-{k}" for k in ("page", *search.KINDS)}, **{k: f"U-{k}" for k in search.UI_KEYS}}


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def reference(docs: list[dict[str, Any]], t: dict[str, str]) -> dict[str, bytes]:
    docs = search.ordered(docs)
    postings: dict[str, list[int]] = {}
    forms: dict[str, str] = {}
    for number, doc in enumerate(docs):
        for root, weight in sorted(doc["terms"].items()):
            postings.setdefault(root, []).extend((number, weight))
        forms.update((form, root) for form, root in doc["forms"].items() if form != root)
    shards: dict[str, dict[str, Any]] = {}
    for root, flat in postings.items():
        shards.setdefault(root[:2], {"stems": {}, "forms": {}})["stems"][root] = flat
    for form, root in forms.items():
        shard = shards.setdefault(form[:2], {"stems": {}, "forms": {}})
        shard["forms"][form] = root
        shard["stems"][root] = postings[root]
    numbers: dict[str, int] = {}
    out: dict[str, bytes] = {}
    group: dict[str, dict[str, Any]] = {"stems": {}, "forms": {}}
    size = 0
    for key in sorted(shards):
        weight = len(_dumps(shards[key]))
        if size and size + weight > searchshards.SHARD_BYTES:
            out[f"terms-{len(out)}.json"] = _dumps(group)
            group, size = {"stems": {}, "forms": {}}, 0
        group["stems"].update(shards[key]["stems"])
        group["forms"].update(shards[key]["forms"])
        numbers[key] = len(out)
        size += weight
    if size:
        out[f"terms-{len(out)}.json"] = _dumps(group)
    for start in range(0, len(docs), 32):
        out[f"docs-{start // 32}.json"] = _dumps([[d["t"], d["u"], d["k"], d["d"]] for d in docs[start:start + 32]])
    out["manifest.json"] = _dumps({"pages": len(docs), "chunk": 32, "shards": numbers,
                                   "kinds": {k: t[f"kind_{k}"] for k in ("page", *search.KINDS)},
                                   "ui": {key: t[key] for key in search.UI_KEYS}})
    return out


def doc(n: int, words: dict[str, int]) -> dict[str, Any]:
    """Page n, whose text has `words` (word -> the weight of the field it is in), as search.documents
    makes it: a stem keeps its highest weight, every word maps to its stem. Titles tie: numbers follow
    the addresses then."""
    terms: dict[str, int] = {}
    for word, weight in words.items():
        terms[stem(word)] = max(terms.get(stem(word), 0), weight)
    return {"t": f"Title {n % 5}", "u": f"/p{n}/", "k": "page", "d": f"about {n}", "terms": terms,
            "forms": {word: stem(word) for word in words}}


def stem(word: str) -> str:
    """A toy stemmer: drops a final 'c' ('ac' -> 'a': another prefix) and turns a leading 'ba' into 'a'
    ('bab' -> 'ab': a form whose stem lives in another prefix's shard)."""
    if len(word) > 1 and word.endswith("c"):
        return word[:-1]
    if word.startswith("ba") and len(word) > 2:
        return word[1:]
    return word


class Site:
    """A language's pages, its files as last made, and the layout kept up to date with replaces."""

    def __init__(self, docs: list[dict[str, Any]]):
        self.docs = {d["u"]: d for d in docs}
        self.layout, self.files = searchindex.build(docs, T)
        assert self.files == reference(docs, T) == searchindex.files(docs, T)

    def replace(self, url: str, terms: dict[str, int], forms: dict[str, str]) -> tuple[dict[str, bytes], set[str]]:
        changed, gone = self.layout.replace(url, terms, forms)
        assert all(self.files.get(name) != data for name, data in changed.items()), "unchanged files returned"
        assert gone <= self.files.keys() and not gone & changed.keys()
        assert not any(name.startswith("docs-") for name in (*changed, *gone))
        self.files = {name: data for name, data in {**self.files, **changed}.items() if name not in gone}
        self.docs[url] = {**self.docs[url], "terms": terms, "forms": forms}
        assert self.files == reference(list(self.docs.values()), T)
        return changed, gone

    def words(self, n: int, words: dict[str, int]) -> tuple[dict[str, bytes], set[str]]:
        """Page n's text has these words now."""
        new = doc(n, words)
        return self.replace(new["u"], new["terms"], new["forms"])

    def reload(self) -> None:
        """As a later process sees it: unpickled, no shard parsed yet."""
        self.layout = pickle.loads(pickle.dumps(self.layout))


WORD = st.text("abcd", min_size=1, max_size=4)
WORDS = st.dictionaries(WORD, st.sampled_from([1, 3, 8]), max_size=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, min_size=1, max_size=12), st.sampled_from([60, 150, 400, 16 * 1024]),
       st.lists(st.tuples(st.integers(0, 11), WORDS, st.booleans()), max_size=8))
def test_after_any_replaces_the_files_are_those_of_a_full_build(pages, limit, replaces):
    with mock.patch.object(searchshards, "SHARD_BYTES", limit):
        site = Site([doc(n, words) for n, words in enumerate(pages)])
        for n, words, reload in replaces:
            if reload:
                site.reload()
            site.words(n % len(pages), words)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_forms_pointing_to_different_stems_on_different_pages_still_give_the_full_builds_files(data):
    """Never made by one stemmer, but a plain dict update lets the last page's stem win: so do the replaces."""
    root = st.sampled_from(["a", "ab", "b", "ca"])
    page = st.dictionaries(WORD, st.tuples(root, st.sampled_from([1, 8])), max_size=6)

    def make(n: int, forms: dict[str, tuple[str, int]]) -> dict[str, Any]:
        return {"t": f"T{n}", "u": f"/p{n}/", "k": "page", "d": "", "forms": {w: r for w, (r, _) in forms.items()},
                "terms": {r: weight for r, weight in forms.values()}}
    pages = data.draw(st.lists(page, min_size=1, max_size=6))
    with mock.patch.object(searchshards, "SHARD_BYTES", data.draw(st.sampled_from([60, 16 * 1024]))):
        site = Site([make(n, forms) for n, forms in enumerate(pages)])
        for _ in range(data.draw(st.integers(0, 5))):
            if data.draw(st.booleans()):
                site.reload()
            new = make(data.draw(st.integers(0, len(pages) - 1)), data.draw(page))
            site.replace(new["u"], new["terms"], new["forms"])


def corpus() -> list[dict[str, Any]]:
    return [doc(0, {"aab": 8, "abc": 1}), doc(1, {"aab": 3, "bab": 1}), doc(2, {"cab": 1, "abd": 3}),
            doc(3, {"dd": 8, "ddd": 1, "ac": 1})]


def test_a_replace_that_changes_nothing_returns_no_files():
    site = Site(corpus())
    same = corpus()[1]
    assert site.replace("/p1/", same["terms"], same["forms"]) == ({}, set())
    # a form another page already has, with the same stem: only its count changes
    more = doc(0, {"aab": 8, "abc": 1, "bab": 1})
    assert more["terms"] == corpus()[0]["terms"]
    assert site.replace("/p0/", more["terms"], more["forms"]) == ({}, set())


def test_a_page_whose_terms_become_empty_leaves_every_posting_and_form():
    site = Site(corpus())
    site.replace("/p3/", {}, {})
    assert b'"dd"' not in b"".join(site.files.values())


def test_a_new_prefix_appears_and_an_old_one_disappears():
    site = Site(corpus())
    site.words(2, {"cccc": 1})
    shards = json.loads(site.files["manifest.json"])["shards"]
    assert "cc" in shards and "ca" not in shards


def test_a_form_shared_by_several_pages_stays_until_the_last_one_drops_it():
    site = Site(corpus())  # 'bab' -> 'ab' on page 1; give it to page 0 too, then drop it from both
    site.words(0, {"aab": 8, "abc": 1, "bab": 1})
    site.words(1, {"aab": 3})
    assert '"bab":"ab"' in site.files["terms-0.json"].decode()
    site.words(0, {"aab": 8})
    assert '"bab"' not in site.files["terms-0.json"].decode()


def test_a_stem_whose_form_lives_in_another_prefixs_shard_is_rewritten_there_too():
    with mock.patch.object(searchshards, "SHARD_BYTES", 60):  # one prefix a file
        site = Site(corpus())
        numbers = json.loads(site.files["manifest.json"])["shards"]
        ba = f"terms-{numbers['ba']}.json"
        assert json.loads(site.files[ba]) == {"forms": {"bab": "ab"}, "stems": {"ab": [0, 1, 1, 1]}}
        changed, _ = site.words(0, {"aab": 8, "abc": 8})
        assert ba in changed and json.loads(changed[ba])["stems"] == {"ab": [0, 8, 1, 1]}


def test_repacking_moves_a_boundary_and_shifts_the_later_files_then_their_number_shrinks():
    words = {f"{a}{b}": 1 for a in "abd" for b in "abd"}  # 9 prefixes of 33 bytes: two a file
    with mock.patch.object(searchshards, "SHARD_BYTES", 70):
        site = Site([doc(0, words)])
        assert len([n for n in site.files if n.startswith("terms-")]) == 5
        changed, gone = site.words(0, {**words, "aaa": 1})  # the first prefix grows to fill a file alone
        assert set(changed) == {f"terms-{n}.json" for n in range(5)} | {"manifest.json"} and not gone
        changed, gone = site.words(0, {"aa": 1, "ab": 1})
        assert gone == {f"terms-{n}.json" for n in range(1, 5)} and set(changed) == {"terms-0.json", "manifest.json"}


def test_a_replace_parses_and_dumps_only_the_shards_it_touches():
    """Work in proportion to the change: one stem's weight on one page, on a state as a later process loads
    it, parses and dumps one shard (its stems and its forms), whatever the number of shards."""
    words = {f"{a}{b}{c}": 1 for a in "acd" for b in "abcd" for c in "ab"}  # no form with a foreign stem
    docs = [doc(n, words) for n in range(20)]
    with mock.patch.object(searchshards, "SHARD_BYTES", 300):  # one prefix a file
        site = Site(docs)
        site.reload()
        terms = {**docs[3]["terms"], "aaa": 8}
        with mock.patch.object(json, "loads", wraps=json.loads) as loads, \
                mock.patch.object(searchshards, "dumps", wraps=searchshards.dumps) as dumps:
            changed, _ = site.replace("/p3/", terms, docs[3]["forms"])
        assert loads.call_count == 2 and dumps.call_count == 2
        assert list(changed) == ["terms-0.json"] and len([n for n in site.files if n.startswith("terms-")]) == 12
        site.replace("/p3/", docs[3]["terms"], docs[3]["forms"])


def test_a_page_is_listed_as_indexed_only_with_the_same_address_title_kind_and_description():
    docs = corpus()
    layout, _ = searchindex.build(docs, T)
    assert layout.lists(docs[1]) and layout.lists({**docs[1], "terms": {}, "forms": {}})
    for change in ({"t": "Other"}, {"k": "cluster"}, {"d": "new"}, {"u": "/nowhere/"}):
        assert not layout.lists({**docs[1], **change})
    twice, _ = searchindex.build([*docs, {**docs[0], "t": "Zzz"}], T)  # two pages at one address
    assert not twice.lists(docs[0])
    with pytest.raises(ValueError):
        twice.replace(docs[0]["u"], {}, {})


def test_a_form_pointing_to_a_stem_the_page_lacks_is_refused_and_changes_nothing():
    site = Site(corpus())
    with pytest.raises(ValueError):
        site.layout.replace("/p0/", {"aab": 8}, {"abc": "ab"})
    site.replace("/p0/", corpus()[0]["terms"], corpus()[0]["forms"])  # still the full build's files


@pytest.fixture(scope="module")
def real_indexes(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[list[dict[str, Any]], dict[str, str], Path]]:
    """The real content built once, with the pages and words each language's index was made from."""
    made: list[tuple[list[dict[str, Any]], dict[str, str], dict[str, bytes]]] = []
    original = searchindex.build

    def spy(docs: list[dict[str, Any]], t: dict[str, str]) -> tuple[Any, dict[str, bytes]]:
        layout, files = original(docs, t)
        made.append((docs, t, files))
        return layout, files
    out = tmp_path_factory.mktemp("real-delta") / "_site"
    with mock.patch.object(searchindex, "build", spy), \
            mock.patch.dict("os.environ", {"NTC_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}):
        assert run("build", "--content", ROOT / "content", "--out", out) == 0
    assert len(made) == 2
    for lang, (_, _, files) in zip(LANGUAGES, made):  # made one language after the other
        assert files == {p.name: p.read_bytes() for p in (out / lang / "search-index").iterdir()}
    return [(docs, t, out) for docs, t, _ in made]


def test_the_real_sites_index_is_the_plain_layouts_and_builds(real_indexes):
    for docs, t, _ in real_indexes:
        assert len(docs) > 20
        assert searchindex.files(docs, t) == reference(docs, t) == searchindex.build(docs, t)[1]


def test_on_the_real_site_each_page_taking_anothers_words_gives_the_full_builds_files(real_indexes):
    for docs, t, _ in real_indexes:
        layout, files = searchindex.build(docs, t)
        layout = pickle.loads(pickle.dumps(layout))
        current = {d["u"]: d for d in docs}
        for i, page in enumerate(docs):
            other = docs[(i * 7 + 3) % len(docs)]
            changed, gone = layout.replace(page["u"], other["terms"], other["forms"])
            files = {name: data for name, data in {**files, **changed}.items() if name not in gone}
            current[page["u"]] = {**page, "terms": other["terms"], "forms": other["forms"]}
        assert files == reference(list(current.values()), t)
