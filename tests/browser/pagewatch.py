"""What the browser suite watches on every page: console errors, failed or foreign requests, axe-core.

Kept apart from the tests so each test file reads as the behaviour it checks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

SUBPATH = "/ntc-site/"  # where the test server puts the site, as GitHub Pages does for a project site
WIDTHS = {"phone": 375, "desktop": 1280}
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Injected by Playwright before any page script (the page's CSP does not govern it): records every
# Content-Security-Policy violation the page's own resources cause.
RECORD_CSP_VIOLATIONS = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));"""


@dataclass
class Watch:
    """Listens to one Playwright page; `problems()` lists what went wrong since the last `reset()`."""
    origin: str  # the only host the page may talk to, e.g. http://127.0.0.1:8123
    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    page: Any = None

    def attach(self, page) -> "Watch":
        self.page = page
        page.add_init_script(RECORD_CSP_VIOLATIONS)
        page.on("console", self._on_console)
        page.on("pageerror", lambda err: self.console.append(f"page error: {err}"))
        page.on("requestfailed", lambda req: self.failed.append(f"{req.url} ({req.failure})"))
        page.on("response", self._on_response)
        page.on("request", self._on_request)
        return self

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console.append(f"console error: {message.text}")

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def _on_request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(request.url)

    def reset(self) -> None:
        self.console.clear()
        self.failed.clear()
        self.foreign.clear()

    def problems(self) -> list[str]:
        csp = self.page.evaluate("window.__csp || []")
        return (self.console + [f"CSP violation: {x}" for x in csp]
                + [f"failed request: {x}" for x in self.failed]
                + [f"request to another host: {x}" for x in self.foreign])


def axe_violations(page) -> list[str]:
    """WCAG 2.1 A and AA violations on the page as it is now, one line per failing element.

    axe.min.js comes bundled with axe-playwright-python; Playwright evaluates it through the DevTools
    protocol, which the page's Content-Security-Policy does not govern (test_csp checks that the site's
    own resources never trip the policy, without any bypass)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    lines = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            lines.append(f"{violation['id']} ({violation['impact']}): {' '.join(map(str, node['target']))} — "
                         f"{violation['help']}")
    return lines
