"""A page's search terms, found piece by piece with what each piece gave remembered, are exactly those of the
plain rule: every word of the page's plain text, in the order of first use, folded and stemmed (issue 17)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import plain_terms, plain_text

from ntc_site.render import markup, search

ROOT = Path(__file__).resolve().parents[2]




def same_terms(lang: str, fields: list[tuple[str, int]]) -> None:
    expected = plain_terms(lang, fields)
    for _ in range(2):  # with nothing remembered, then with everything
        weights, forms = search._terms(lang, fields)
        assert (weights, forms) == expected
        assert list(weights.items()) == list(expected[0].items())  # the same order too
        assert list(forms.items()) == list(expected[1].items())


def _pages() -> list[tuple[str, str]]:
    texts = []
    for path in sorted((ROOT / "content").rglob("*.md")) + sorted((ROOT / "tests/fixtures").rglob("*.md")):
        texts.append(("it" if "/it/" in str(path) else "en", path.read_text(encoding="utf-8")))
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "bench" / "make_corpus.py")
    corpus = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(corpus)  # type: ignore[union-attr]
    texts += [(lang, corpus.page_text(i, 30, lang, 1234)) for lang in corpus.LANGS for i in range(1, 31)]
    # Characters the HTML carries as entities: their words must be read decoded.
    texts.append(("it", 'R&S tra "università" e imprese, l\'anno 2012 < 2016 > 2008 -- città'))
    return texts


def test_the_terms_of_every_page_are_those_of_the_plain_rule():
    converter = markup.Converter()
    pages = _pages()
    assert len(pages) > 100
    for lang, text in pages:
        html = converter.convert(text, 1, f"{lang}/p.md", lambda path: "/x/").html
        # the body as documents() reads it, and as it read it before: spaces collapsed
        assert search._WORD.findall(search._body_text(html)) == search._WORD.findall(plain_text(html))
        same_terms(lang, [(text[:80], search.WEIGHT_TITLE), (text[80:300], search.WEIGHT_SUMMARY),
                          ("", search.WEIGHT_SUMMARY), (plain_text(html), search.WEIGHT_BODY)])


WORDS = st.sampled_from(["Città", "città", "citta", "città,", "CITTÀ", "l'anno", "dell’Università", "e\u0301",
                         "ﬁne", "2012", "x_y", "a-b", "naïve", "Straße", "İstanbul", "tecnologie", "tecnologia."])
TEXT = st.lists(st.one_of(WORDS, st.text(max_size=6)), max_size=30).flatmap(
    lambda parts: st.sampled_from([" ", "  ", "\n", "\u00a0", "\t", ""]).map(lambda sep: sep.join(parts)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXT, st.sampled_from([1, 3, 8])), max_size=4), st.sampled_from(["it", "en"]))
def test_generated_texts_give_the_terms_of_the_plain_rule(fields: list[tuple[str, int]], lang: str):
    same_terms(lang, fields)


def test_the_remembered_pieces_are_forgotten_past_the_limit_and_the_terms_stay_the_same(monkeypatch):
    monkeypatch.setattr(search, "_SEEN_MAX", 3)
    monkeypatch.setitem(search._SEEN, "it", {})
    text = "Città e qualità, città: innovazioni tecnologiche e innovazione."
    same_terms("it", [(text, search.WEIGHT_BODY), (text.upper(), search.WEIGHT_TITLE)])
    assert 0 < len(search._SEEN["it"]) <= 3
