"""Stage 3, render: turns the `Site` into page bytes.

`markup.py` converts Markdown to sanitised HTML with source-path links resolved; `views.py`,
`dataset_views.py`, `timeline.py` and `charts.py` make each page type's template variables;
`templates.py` fills the strict Jinja2 templates; `search.py` and `sitemap.py` make the search index and
the hosting files. Pure: no file is written here.
"""
