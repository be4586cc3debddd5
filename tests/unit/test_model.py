from ntc_site.load import config as config_mod
from ntc_site.load.content import parse_page
from ntc_site.load.records import Records
from ntc_site.model.site import build

CONFIG = config_mod.SiteConfig({"it": "T", "en": "T"}, {"it": "D", "en": "D"}, "https://x.org/r/", ("it", "en"),
                               "P", None, None, "a@b.org", "CC-BY-4.0", None)


def page(lang: str, rel: str, front: str = ""):
    src, problems = parse_page(f"---\ntitle: {rel}\n{front}---\n", lang, rel, f"content/{lang}/{rel}")
    assert not problems
    return src


def test_pages_pair_by_translation_key():
    site, problems = build(CONFIG, Records((), ()), [page("it", "chi.md", "translation_key: about\n"),
                                                     page("en", "about.md", "translation_key: about\n")], [], [], False)
    assert not problems
    it = site.by_key("about", "it")
    assert site.partner(it).path == "en/about/"


def test_two_sources_for_one_url_is_a_problem():
    _, problems = build(CONFIG, Records((), ()), [page("it", "a.md"), page("it", "b.md", "slug: a\n")], [], [],
                        False)
    assert "same URL /it/a/" in problems[0].message


def test_duplicate_translation_key_is_a_problem():
    _, problems = build(CONFIG, Records((), ()), [page("it", "a.md", "translation_key: k\n"),
                                                  page("it", "b.md", "translation_key: k\n")], [], [], False)
    assert "used twice" in problems[0].message


def test_drafts_are_left_out_unless_asked():
    pages = [page("it", "a.md", "draft: true\n")]
    assert build(CONFIG, Records((), ()), pages, [], [], False)[0].pages == ()
    assert build(CONFIG, Records((), ()), pages, [], [], True)[0].pages[0].draft
