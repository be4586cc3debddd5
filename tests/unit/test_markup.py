from ntc_site.render.markup import Converter, dangerous_url

PAGES = {"it/b.md": "/repo/it/b/", "media/p.png": "/repo/media/p.png"}


def convert(body: str, source: str = "it/a/index.md"):
    return Converter().convert(body, 5, source, PAGES.get, lambda p: "")


def test_source_path_links_become_page_urls():
    result = convert("[b](../b.md#x) and ![alt](../../media/p.png)")
    assert '<a href="/repo/it/b/#x">b</a>' in result.html
    assert 'src="/repo/media/p.png"' in result.html and not result.problems


def test_missing_source_link_is_located():
    result = convert("\n\n[x](../nope.md)")
    assert result.problems[0][0] == 7 and "missing source" in result.problems[0][1]


def test_dangerous_links_are_refused():
    result = convert("[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1))")
    assert len(result.problems) == 2 and "javascript" not in result.html.lower()
    assert dangerous_url(" data:text/html,x") and dangerous_url("vbscript:x") and not dangerous_url("https://x")


def test_raw_html_is_sanitised():
    html = convert('<script>alert(1)</script><iframe src="https://x"></iframe><b onclick="x()">b</b>').html
    assert "<script" not in html and "<iframe" not in html and "onclick" not in html and "<b>b</b>" in html


def test_tables_heading_ids_and_attribute_lists():
    result = convert("## Perché i cluster\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nTesto\n{: .lead }\n")
    assert '<h2 id="perché-i-cluster">' in result.html or 'id="perche' in result.html
    assert "<table>" in result.html and 'class="lead"' in result.html
    assert result.headings == [(2, 5)]


def test_absolute_link_paths_are_refused():
    result = convert("[x](/it/b/)")
    assert "relative path" in result.problems[0][1]
