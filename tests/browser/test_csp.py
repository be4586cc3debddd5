"""The Content-Security-Policy holds: the built HTML has nothing inline that the policy would have to allow
(no event-handler or style attributes, no inline script but JSON-LD data blocks), every page carries the
policy and a referrer policy, and in chromium — with no CSP bypass — the site's own resources and the
search never trip it."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from pagewatch import SUBPATH, Watch

POLICY_NEEDS = ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'")
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


class Inline(HTMLParser):
    """Collects what a strict CSP would block or what gives a policy away."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.metas: dict[str, str] = {}
        self._script: str | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> event handler")
            if name == "style":
                self.found.append(f"<{tag} style=…> inline style")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.found.append("<style> element")
        if tag == "script":
            if not values.get("src") and values.get("type") != "application/ld+json":
                self.found.append(f"inline <script type={values.get('type')!r}>")
            if values.get("src") and not values["src"].startswith(SUBPATH):
                self.found.append(f"<script src={values['src']!r}> outside the site")
        if tag == "meta" and (values.get("http-equiv") or values.get("name")):
            self.metas[(values.get("http-equiv") or values.get("name") or "").lower()] = values.get("content", "")


def inline_findings(html: str) -> tuple[list[str], dict[str, str]]:
    parser = Inline()
    parser.feed(html)
    found = list(parser.found)
    # The parser sees attributes; the regexes also catch any handler or style written in a way it misses.
    tags = " ".join(re.findall(r"<[a-zA-Z][^>]*>", re.sub(r"<script type=\"application/ld\+json\">.*?</script>",
                                                           "", html, flags=re.S)))
    if INLINE_HANDLER.search(tags) and not any("event handler" in f for f in found):
        found.append("on…= attribute in the markup")
    if STYLE_ATTRIBUTE.search(tags) and not any("inline style" in f for f in found):
        found.append("style= attribute in the markup")
    return found, parser.metas


def test_inline_findings_catch_what_the_policy_would_block():
    found, metas = inline_findings('<meta http-equiv="Content-Security-Policy" content="x"><body onload="x()">'
                                   '<p style="color:red">a</p><script>alert(1)</script><style>p{}</style>'
                                   '<a href="javascript:void(0)">b</a>'
                                   '<script type="application/ld+json">{"a": "onclick=1 style=2"}</script>')
    assert len(found) == 5 and metas == {"content-security-policy": "x"}


@pytest.mark.parametrize("which", ["real_site", "fixture_site"])
def test_built_html_has_nothing_inline_and_carries_the_policies(which, request):
    site = request.getfixturevalue(which)
    report = []
    for file in site.html_files():
        found, metas = inline_findings(file.read_text(encoding="utf-8"))
        policy = metas.get("content-security-policy", "")
        missing = [part for part in POLICY_NEEDS if part not in policy]
        if missing:
            found.append(f"CSP lacks {missing}: {policy!r}")
        if "unsafe-inline" in policy or "unsafe-eval" in policy:
            found.append(f"CSP allows unsafe sources: {policy!r}")
        if metas.get("referrer") not in ("strict-origin-when-cross-origin", "no-referrer", "same-origin"):
            found.append(f"referrer policy missing or weak: {metas.get('referrer')!r}")
        if found:
            report.append(f"{file.relative_to(site.root)}: " + "; ".join(found))
    assert site.html_files() and not report, "\n".join(report)


@pytest.mark.browser
def test_search_and_pages_cause_no_policy_violation_without_any_bypass(real_site, browser):
    """test_pages checks every page for violations; here the search runs too, and a control shows the
    policy and the recorder are live."""
    context = browser.new_context(bypass_csp=False)
    page = context.new_page()
    watch = Watch(real_site.origin).attach(page)
    try:
        for path in ("it/", "en/clusters/", "it/cerca/?q=energia", "en/search/"):
            watch.reset()
            page.goto(real_site.url(path), wait_until="load")
            page.locator("#search-q").fill("cluster")
            page.locator("#search-status").filter(has_text=re.compile(r"\d")).wait_for()
            assert watch.problems() == [], path
        page.evaluate("document.body.appendChild(document.createElement('script')).textContent = 'window.x = 1'")
        page.wait_for_timeout(100)
        assert any(p.startswith("CSP violation: script-src") for p in watch.problems())
        assert page.evaluate("window.x") is None
    finally:
        context.close()
