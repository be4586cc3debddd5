"""A cluster's history, told from the published data packages, so the page and the downloads never disagree.

For one cluster it gathers, by `cluster_id`, its rank and score in the 2012 or 2016 call, its member counts
over time (a line chart of the formal member counts, with the same numbers as a table), the funding figures
reported for it with what each one measures, and the steps of its recognition. Every row keeps its source
link. Values are formatted for the page language with Babel ("408 milioni di euro", "€408 million").
"""
from __future__ import annotations

from typing import Any, Iterator
from urllib.parse import urlsplit

from babel.numbers import format_compact_decimal, format_decimal

from ..data import csvrows
from ..languages import iso_date_text
from ..model.site import Site
from . import charts

# (package, resource) of each table the history reads
RANKING_2012 = ("call-2012", "call-2012-ranking")
RANKING_2016 = ("call-2016", "call-2016-ranking")
TOTALS_2012 = ("call-2012", "call-2012-cluster-totals")
FIGURES_2016 = ("call-2016", "call-2016-figures")
MEMBERS = ("members-over-time", "members-over-time")
RECOGNITION = ("recognition", "recognition")
CHARTED = "members"  # only formal member counts are drawn as one line: other counts measure other things


def amount_text(value: float, lang: str, t: dict[str, str]) -> str:
    """Euro for readers: '408 milioni di euro' / '€408 million' when a one-decimal compact form is exact,
    otherwise every digit: '242.500 euro' / '€242,500'."""
    for scale in (10**9, 10**6):
        if value >= scale and round(value / scale, 1) * scale == value:
            compact = format_compact_decimal(value, format_type="long", locale=lang, fraction_digits=1)
            return t["amount_eur_compact"].format(amount=compact)
    return t["amount_eur"].format(amount=format_decimal(value, locale=lang))


def _rows(site: Site, table: tuple[str, str], cluster_id: str) -> Iterator[dict[str, Any]]:
    package = next((p for p in site.datasets if p.name == table[0]), None)
    if package is None or table[1] not in {r.name for r in package.resources}:
        return
    for row in csvrows.iter_rows(package.resource(table[1])):
        if row.get("cluster_id") == cluster_id:
            yield row


def _source(url: str | None) -> dict[str, str | None]:
    return {"text": urlsplit(url).hostname or url, "href": url} if url else {"text": "", "href": None}


def _cell(text: Any) -> dict[str, str | None]:
    return {"text": "" if text is None else str(text), "href": None}


def _date(value: Any, lang: str, t: dict[str, str]) -> str:
    return iso_date_text(str(value), lang) if value else t["history_undated"]


def _amount(row: dict[str, Any], value: float, lang: str, t: dict[str, str]) -> str:
    qualifier = row.get("amount_qualifier")
    text = amount_text(value, lang, t)
    return f"{t['qualifier_' + qualifier]} {text}" if qualifier else text


def selection(site: Site, cluster_id: str, lang: str, t: dict[str, str]) -> list[list[dict[str, str | None]]]:
    rows = [[_cell("2012"), _cell(r["cluster_name_2012"]), _cell(r["rank"]),
             _cell(format_decimal(r["score"], locale=lang) if r["score"] is not None else t["unknown"]),
             _source(r["source_url"])] for r in _rows(site, RANKING_2012, cluster_id)]
    rows += [[_cell("2016"), _cell(r["proposal"]), _cell(f"{r['rank_in_area']} {t['history_in_area']}"),
              _cell(format_decimal(r["score"], locale=lang) if r["score"] is not None else t["unknown"]),
              _source(r["source_url"])] for r in _rows(site, RANKING_2016, cluster_id)]
    return rows


def members(site: Site, cluster_id: str, lang: str, t: dict[str, str]) -> tuple[list[Any], dict[str, Any] | None]:
    rows, points = [], []
    found = sorted((r for r in _rows(site, MEMBERS, cluster_id) if r["value_kind"] == "source"),
                   key=lambda r: str(r["as_of"] or ""))
    for r in found:
        figure = format_decimal(r["count"], locale=lang) if r["count"] is not None else r[f"count_text_{lang}"]
        rows.append([_cell(_date(r["as_of"], lang, t)), _cell(figure), _cell(r[f"counted_{lang}"]),
                     _source(r["source_url"])])
        if r["counted"] == CHARTED and r["count"] is not None and r["as_of"]:
            points.append((_date(r["as_of"], lang, t), r["count"]))
    chart = None
    if len(points) > 1:
        chart = charts.line_chart(f"chart-members-{cluster_id}", t["history_members_chart"],
                                  t["history_members_chart_desc"], t["col_date"], t["history_col_count"],
                                  points, lambda v: format_decimal(v, locale=lang))
    return rows, chart


def funding(site: Site, cluster_id: str, lang: str, t: dict[str, str]) -> list[list[dict[str, str | None]]]:
    rows = []
    projects_shown = False
    for r in _rows(site, TOTALS_2012, cluster_id):
        if r["projects_admitted"] is not None and not projects_shown:
            projects_shown = True
            rows.append([_cell(t["history_projects_2012"]), _cell(format_decimal(r["projects_admitted"], locale=lang)),
                         _cell(t["history_projects_measure"]), _cell(_date(r["as_of"], lang, t)),
                         _source(r["source_url"])])
        if r["amount_eur"] is not None:
            rows.append([_cell(t["history_amount_2012"]), _cell(_amount(r, r["amount_eur"], lang, t)),
                         _cell(r[f"measure_text_{lang}"]), _cell(_date(r["as_of"], lang, t)),
                         _source(r["source_url"])])
    for r in _rows(site, FIGURES_2016, cluster_id):
        if r["value"] is not None and r["unit"] == "EUR":
            rows.append([_cell(r[f"metric_{lang}"]), _cell(_amount(r, r["value"], lang, t)),
                         _cell(r[f"note_{lang}"] or ""), _cell(_date(r["as_of"], lang, t)), _source(r["source_url"])])
    return rows


def recognition(site: Site, cluster_id: str, lang: str, t: dict[str, str]) -> list[list[dict[str, str | None]]]:
    found = sorted(_rows(site, RECOGNITION, cluster_id), key=lambda r: str(r["date"] or ""))
    return [[_cell(_date(r["date"], lang, t)), _cell(r[f"event_{lang}"]), _cell(r[f"instrument_{lang}"] or ""),
             _source(r["source_url"])] for r in found]


def context(site: Site, cluster_id: str, lang: str, t: dict[str, str]) -> dict[str, Any]:
    """Sections for templates/cluster.html: each with a heading, a caption, headers and rows of cells
    ({text, href}); a section without rows is left out. `charts` holds the members chart when there is one."""
    member_rows, chart = members(site, cluster_id, lang, t)
    specs = [
        ("history-selection", selection(site, cluster_id, lang, t),
         ["history_col_call", "history_col_proposal", "history_col_rank", "history_col_score"]),
        ("history-members", member_rows, ["col_date", "history_col_count", "history_col_counted"]),
        ("history-funding", funding(site, cluster_id, lang, t),
         ["history_col_figure", "history_col_value", "history_col_measure", "col_date"]),
        ("history-recognition", recognition(site, cluster_id, lang, t),
         ["col_date", "history_col_event", "col_act"]),
    ]
    sections = [{"id": key, "heading": t[key.replace("-", "_")], "caption": t[key.replace("-", "_") + "_caption"],
                 "headers": [t[h] for h in headers] + [t["col_source"]], "rows": rows}
                for key, rows, headers in specs if rows]
    return {"history": sections, "charts": [chart] if chart else []}
