"""Re-rendering one page in a fresh process imports only what that page needs (issue 17).

A one-page rebuild unpickles the site model a build kept, then converts, renders and indexes one page: every
library imported on the way is paid again by each such process. What only a full build needs is imported
where it is used: YAML (the loaders; data/versions.py), the worker pool (pipeline/parallel.py), Babel
(languages.py: only for a date or a number), a cluster's history (render/views.py), the git reader of the data
history (data/versions.py), and the entry points Python-Markdown looks extension names up in (render/markup.py
names its extensions by class). These tests look at `sys.modules`, not at the clock (speed lives in bench/).
"""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

from support import ROOT

from ntc_site.load.strings import load_strings
from ntc_site.pipeline import run as pipeline

# Imported by none of these steps for a page without a date; only babel for a page with one.
LAZY = ["yaml", "concurrent.futures", "multiprocessing", "babel", "babel.dates", "babel.numbers",
        "importlib.metadata", "subprocess", "tarfile", "ntc_site.render.history", "ntc_site.data.csvrows",
        "ntc_site.data.packages", "ntc_site.data.changes", "ntc_site.load.strings", "frictionless"]
# What the page does need: a check that the list above is looked for where imports are seen.
NEEDED = ["jinja2", "markdown", "nh3", "snowballstemmer", "ntc_site.data.versions", "ntc_site.pipeline.parallel"]

SCRIPT = """
import json, pickle, sys
from pathlib import Path

site, strings = pickle.loads(Path(sys.argv[1]).read_bytes())
steps = {"unpickled": sorted(sys.modules)}
from ntc_site.pipeline import parallel

worker = parallel.Worker(site, strings, Path(sys.argv[2]), None)
html = {}
for path in sys.argv[3:]:
    index = next(i for i, page in enumerate(site.pages) if page.path == path)
    done = worker(parallel.Task(index, True, True, True))
    assert done.problem is None and done.search is not None and not done.body_problems, done
    html[path] = done.html.decode("utf-8")
    steps[path] = sorted(sys.modules)
print(json.dumps({"steps": steps, "html": html}))
"""


def rerender(project: Path, tmp_path: Path, *paths: str) -> tuple[dict[str, list[str]], dict[str, str], dict]:
    """Build the project in this process, keep its site model as a file, and re-render `paths` from it in a new
    interpreter: the modules loaded after each step, the pages' HTML, and the build's files."""
    settings = pipeline.Settings(content_dir=project / "content", templates_dir=project / "templates",
                                 cache_dir=tmp_path / "cache", jobs=1)
    result = pipeline.build(settings)
    assert not result.problems and result.site is not None
    strings, problems = load_strings(settings.templates_dir)
    assert not problems
    kept = tmp_path / "site.pickle"
    kept.write_bytes(pickle.dumps((result.site, strings), protocol=pickle.HIGHEST_PROTOCOL))
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(kept), str(settings.templates_dir), *paths],
                          capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    return answer["steps"], answer["html"], result.files


def test_a_page_without_a_date_imports_none_of_what_only_a_full_build_needs(data_project: Path, tmp_path: Path):
    steps, html, files = rerender(data_project, tmp_path, "it/chi-siamo/")
    assert html["it/chi-siamo/"].encode("utf-8") == files["it/chi-siamo/index.html"]  # what the build wrote
    assert [m for m in LAZY if m in steps["unpickled"]] == []  # the model's modules alone
    assert "ntc_site.data.versions" in steps["unpickled"]  # its History came back with it
    loaded = steps["it/chi-siamo/"]
    assert [m for m in LAZY if m in loaded] == []
    assert [m for m in NEEDED if m not in loaded] == []


def test_a_page_with_a_date_imports_babel_for_it_and_nothing_else(data_project: Path, tmp_path: Path):
    steps, html, files = rerender(data_project, tmp_path, "it/chi-siamo/", "it/")
    assert html["it/"].encode("utf-8") == files["it/index.html"]
    assert "babel" not in steps["it/chi-siamo/"] and "babel.dates" in steps["it/"]
    assert [m for m in LAZY if m in steps["it/"] and not m.startswith("babel")] == []
