"""Bar charts drawn at build time as static SVG, each paired with a table holding the same numbers.

No chart library, no script: a reader without sight gets the same figures from the table, and the SVG
carries its own <title> and <desc> for assistive technology.
"""
from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any, Iterable

from ..load.records import Cluster

BAR = 26
GAP = 10
LABEL_WIDTH = 150
WIDTH = 560


def bar_chart(chart_id: str, title: str, description: str, label_header: str, value_header: str,
              data: list[tuple[str, int]]) -> dict[str, Any]:
    """SVG markup plus table data for (label, count) pairs, in the order given."""
    top = max((v for _, v in data), default=1) or 1
    height = len(data) * (BAR + GAP) + GAP
    scale = (WIDTH - LABEL_WIDTH - 40) / top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" focusable="false">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(description)}</desc>']
    for i, (label, value) in enumerate(data):
        y = GAP + i * (BAR + GAP)
        width = max(1, round(value * scale))
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR * 0.7:.1f}" text-anchor="end" '
                     f'font-size="14" fill="#1a1a1a">{escape(label)}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR}" fill="#0059b3"/>')
        parts.append(f'<text x="{LABEL_WIDTH + width + 6}" y="{y + BAR * 0.7:.1f}" font-size="14" '
                     f'fill="#1a1a1a">{value}</text>')
    parts.append("</svg>")
    return {"id": chart_id, "title": title, "description": description, "svg": "".join(parts),
            "headers": [label_header, value_header], "rows": [[label, str(value)] for label, value in data]}


def _counts(values: Iterable[str]) -> list[tuple[str, int]]:
    return sorted(Counter(values).items())


def founding_years(clusters: Iterable[Cluster], lang: str, t: dict[str, str]) -> dict[str, Any]:
    clusters = list(clusters)
    known = _counts(str(c.founded) for c in clusters if c.founded)
    unknown = sum(1 for c in clusters if not c.founded)
    data = known + ([(t["unknown"], unknown)] if unknown else [])
    return bar_chart("chart-founded", t["chart_founded_title"], t["chart_founded_desc"], t["chart_year"],
                     t["chart_clusters"], data)


def by_region(clusters: Iterable[Cluster], lang: str, t: dict[str, str]) -> dict[str, Any]:
    clusters = list(clusters)
    known = _counts(c.region for c in clusters if c.region)
    unknown = sum(1 for c in clusters if not c.region)
    data = known + ([(t["unknown"], unknown)] if unknown else [])
    return bar_chart("chart-region", t["chart_region_title"], t["chart_region_desc"], t["chart_region"],
                     t["chart_clusters"], data)


LINE_HEIGHT = 220
PAD_X, PAD_TOP, PAD_BOTTOM = 60, 24, 40


def line_chart(chart_id: str, title: str, description: str, label_header: str, value_header: str,
               data: list[tuple[str, float]], values: list[str] | None = None) -> dict[str, Any]:
    """SVG line through (label, value) points, evenly spaced in the order given, plus the same numbers as a
    table; `values` are the figures as readers write them (formatted for the page language)."""
    shown = values or [str(v) for _, v in data]
    top = max((v for _, v in data), default=1) or 1
    step = (WIDTH - 2 * PAD_X) / max(len(data) - 1, 1)
    plot = LINE_HEIGHT - PAD_TOP - PAD_BOTTOM
    points = [(PAD_X + i * step, PAD_TOP + plot - v / top * plot) for i, (_, v) in enumerate(data)]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {LINE_HEIGHT}" role="img" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" focusable="false">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
             f'<line x1="{PAD_X}" y1="{PAD_TOP + plot}" x2="{WIDTH - PAD_X}" y2="{PAD_TOP + plot}" '
             f'stroke="#595959" stroke-width="1"/>']
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#0059b3" stroke-width="3"/>')
    for (x, y), (label, _), text in zip(points, data, shown):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#0059b3"/>')
        parts.append(f'<text x="{x:.1f}" y="{y - 10:.1f}" text-anchor="middle" font-size="14" '
                     f'fill="#1a1a1a">{escape(text)}</text>')
        parts.append(f'<text x="{x:.1f}" y="{LINE_HEIGHT - 14}" text-anchor="middle" font-size="14" '
                     f'fill="#1a1a1a">{escape(label)}</text>')
    parts.append("</svg>")
    return {"id": chart_id, "title": title, "description": description, "svg": "".join(parts),
            "headers": [label_header, value_header], "rows": [[label, text] for (label, _), text in zip(data, shown)]}
