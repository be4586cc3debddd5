"""Single-process rendering baseline for the ntc-site benchmarks.

Why this exists: to judge whether ntc-site's full build is fast, we compare it
with the least work that produces the same pages with the same libraries.
This script only renders: it walks ``DIR/{it,en}/**/*.md``, splits the YAML
front matter with libyaml (``CSafeLoader``), converts the body with
Python-Markdown (tables, toc, attr_list), renders one small Jinja2 template and
writes pretty URLs (``OUT/<lang>/<path>/index.html``).  No validation, no link
checking, no listings, no assets, no cache, no parallelism.

Usage::

    python bench/baseline.py --content DIR --out OUT
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import jinja2
import markdown
import yaml
from markupsafe import Markup

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - libyaml missing
    sys.exit("baseline needs PyYAML built with libyaml (CSafeLoader)")

LANGS = ("it", "en")
TEMPLATE = """<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ meta.title }}</title>
{% if meta.description %}<meta name="description" content="{{ meta.description }}">{% endif %}
</head>
<body>
<header><a href="/{{ lang }}/">{{ lang }}</a></header>
<main>
<h1>{{ meta.title }}</h1>
{% if meta.date %}<p><time>{{ meta.date }}</time></p>{% endif %}
{{ body }}
</main>
</body>
</html>
"""


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (metadata, body) for a ``---``-delimited YAML front matter."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    meta = yaml.load(text[3:end], Loader=Loader) or {}
    nl = text.find("\n", end + 4)
    return meta, text[nl + 1:] if nl >= 0 else ""


def target_path(out: Path, lang: str, rel: Path) -> Path:
    """Pretty URL: ``a/b.md`` -> ``a/b/index.html``; ``a/index.md`` -> ``a/index.html``."""
    parts = rel.with_suffix("").parts
    if parts and parts[-1] in ("index", "_index"):
        parts = parts[:-1]
    return out.joinpath(lang, *parts, "index.html")


def render_all(content: Path, out: Path) -> int:
    """Render every page; return the number of pages written."""
    md = markdown.Markdown(extensions=["tables", "toc", "attr_list"], output_format="html")
    env = jinja2.Environment(autoescape=True)
    template = env.from_string(TEMPLATE)
    count = 0
    for lang in LANGS:
        root = content / lang
        for src in sorted(root.rglob("*.md")):
            meta, body = split_front_matter(src.read_text(encoding="utf-8"))
            html = md.reset().convert(body)
            page = template.render(lang=lang, meta=meta, body=Markup(html))
            dest = target_path(out, lang, src.relative_to(root))
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(page, encoding="utf-8")
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--content", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    n = render_all(args.content, args.out)
    print(f"baseline: rendered {n} pages in {time.perf_counter() - t0:.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
