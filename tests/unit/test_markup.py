from html.parser import HTMLParser
from urllib.parse import unquote

from ntc_site.model.site import link_table, resolver
from ntc_site.render.markup import Converter, dangerous_url
from ntc_site.urls import Urls

PAGES = {"it/b.md": "/repo/it/b/", "media/p.png": "/repo/media/p.png"}
MEDIA = ("media/my file.png", "media/a#b?.pdf", "media/100%.png")


def convert(body: str, source: str = "it/a/index.md"):
    return Converter().convert(body, 5, source, PAGES.get, lambda p: "")


class Tags(HTMLParser):
    """Every start tag of a fragment with its attributes, in order."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def attr(self, tag: str, name: str) -> list[str]:
        return [a[name] for t, a in self.tags if t == tag and name in a]


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
    assert Tags(result.html).attr("h2", "id") == ["perché-i-cluster"]
    assert "<table>" in result.html and 'class="lead"' in result.html
    assert result.headings == [(2, 5)]


def test_absolute_link_paths_are_refused():
    result = convert("[x](/it/b/)")
    assert "relative path" in result.problems[0][1]


def test_percent_encoded_paths_name_the_file_and_its_url_is_escaped():
    resolve, hint = resolver(link_table([], MEDIA, Urls("https://org.github.io/repo/")))
    body = ("![a](../../media/my%20file.png) [b](../../media/a%23b%3F.pdf) ![c](<../../media/my file.png>)"
            " [d](../../media/100%25.png)")
    result = Converter().convert(body, 5, "it/a/index.md", resolve, hint)
    assert result.problems == []
    tags = Tags(result.html)
    assert tags.attr("img", "src") == ["/repo/media/my%20file.png"] * 2
    assert tags.attr("a", "href") == ["/repo/media/a%23b%3F.pdf", "/repo/media/100%25.png"]
    # what a browser asks the server for is the file's own name
    assert [unquote(h.removeprefix("/repo/")) for h in tags.attr("a", "href")] == ["media/a#b?.pdf", "media/100%.png"]


def test_hash_and_question_mark_in_a_file_name_are_escaped_in_every_url():
    urls = Urls("https://org.github.io/repo/")
    assert urls.href("media/a#b?.pdf") == "/repo/media/a%23b%3F.pdf"
    assert urls.absolute("media/a#b?.pdf") == "https://org.github.io/repo/media/a%23b%3F.pdf"
    assert urls.href("it/perché/") == "/repo/it/perch%C3%A9/"


def test_percent_encoded_anchor_is_recorded_as_the_heading_id():
    result = convert("[b](../b.md#perch%C3%A9)")
    assert [(link.target, link.fragment) for link in result.links] == [("/repo/it/b/", "perché")]


def test_an_encoded_path_cannot_leave_the_content_folder_or_use_a_backslash():
    assert "outside the content folder" in convert("[x](%2E%2E/%2E%2E/%2E%2E/etc.md)").problems[0][1]
    assert "relative path" in convert("[x](..%5Cb.md)").problems[0][1]


def test_a_repeated_link_or_image_is_located_at_each_place():
    result = convert("[x](../nope.md)\n\nText.\n\n[x](../nope.md) ![](../../media/p.png)\n\n![](../../media/p.png)")
    assert [line for line, _, _ in result.problems] == [5, 9]
    assert result.images_without_alt == [9, 11]
    again = convert("[b](../b.md#x)\n\n[b](../b.md#x)")
    assert [link.line for link in again.links] == [5, 7]


def test_a_repeated_heading_is_located_on_its_own_heading_line():
    body = "Note in a paragraph.\n\n## Note\n\nText.\n\n### Note\n\nNote\n----\n"
    assert convert(body).headings == [(2, 7), (3, 11), (2, 13)]
