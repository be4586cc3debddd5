"""Bar and line charts drawn at build time as static SVG, each paired with a table holding the same numbers.

No chart library, no script: a reader without sight gets the same figures from the table, and the SVG
carries its own <title> and <desc> for assistive technology.
"""
from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any, Callable, Iterable

from ..load.records import Cluster

BAR = 26
GAP = 10
LABEL_WIDTH = 150
WIDTH = 560


def bar_chart(chart_id: str, title: str, description: str, label_header: str, value_header: str,
              data: list[tuple[str, float]], value_text: Callable[[float], str] = str) -> dict[str, Any]:
    """SVG markup plus table data for (label, value) pairs, in the order given; values are not negative."""
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
                     f'fill="#1a1a1a">{escape(value_text(value))}</text>')
    parts.append("</svg>")
    return {"id": chart_id, "title": title, "description": description, "svg": "".join(parts),
            "headers": [label_header, value_header], "rows": [[label, value_text(value)] for label, value in data]}


LINE_HEIGHT = 240
LINE_LEFT, LINE_RIGHT, LINE_TOP, LINE_BOTTOM = 48, 24, 28, 36


def line_chart(chart_id: str, title: str, description: str, label_header: str, value_header: str,
               data: list[tuple[str, float]], value_text: Callable[[float], str] = str) -> dict[str, Any]:
    """SVG markup plus table data for a series of (label, value) points, left to right; values are not negative."""
    top = max((v for _, v in data), default=1) or 1
    inner_w, inner_h = WIDTH - LINE_LEFT - LINE_RIGHT, LINE_HEIGHT - LINE_TOP - LINE_BOTTOM
    step = inner_w / max(1, len(data) - 1)
    every = max(1, -(-len(data) // 12))  # at most about 12 labels on the axis
    points = [(LINE_LEFT + i * step if len(data) > 1 else LINE_LEFT + inner_w / 2,
               LINE_TOP + inner_h - value / top * inner_h) for i, (_, value) in enumerate(data)]
    base = LINE_TOP + inner_h
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {LINE_HEIGHT}" role="img" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" focusable="false">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
             f'<line x1="{LINE_LEFT}" y1="{base}" x2="{WIDTH - LINE_RIGHT}" y2="{base}" stroke="#4a4a4a"/>',
             f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in points)}" fill="none" '
             f'stroke="#0059b3" stroke-width="3"/>']
    for i, ((label, value), (x, y)) in enumerate(zip(data, points)):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#0059b3"/>')
        parts.append(f'<text x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle" font-size="13" '
                     f'fill="#1a1a1a">{escape(value_text(value))}</text>')
        if i % every == 0 or i == len(data) - 1:
            parts.append(f'<text x="{x:.1f}" y="{base + 22}" text-anchor="middle" font-size="13" '
                         f'fill="#1a1a1a">{escape(label)}</text>')
    parts.append("</svg>")
    return {"id": chart_id, "title": title, "description": description, "svg": "".join(parts),
            "headers": [label_header, value_header], "rows": [[label, value_text(value)] for label, value in data]}


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
