"""What one page's new words cost the search index: a full layout against a replace (issue 17, delta builds).

Builds the synthetic 2 × N-page corpus (bench/make_corpus.py) once with a build cache of its own, reads the
pages' search documents from that cache's "search-docs" table, and for each language times, in this
process (medians of --runs):

- `searchindex.files(docs, t)`, and with `--before REV` the same function as it was at that git revision;
- `searchindex.build(docs, t)` (the files and the state), pickling the state, its size, unpickling it;
- `Layout.replace` on a freshly unpickled state (as the next process finds it; no shard parsed yet) for
  a synthetic page whose body gains a sentence, a page that takes another page's words, and a replace
  that changes nothing; with the files each returns.

Not a test: a measurement. Every replace is also checked against `files()` of the new pages.

    .venv/bin/python bench/search_delta.py [--pages 1000] [--runs 21] [--work DIR] [--before REV]
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from make_corpus import make_corpus  # noqa: E402

from ntc_site.languages import LANGUAGES  # noqa: E402
from ntc_site.load.strings import load_strings  # noqa: E402
from ntc_site.pipeline import cache  # noqa: E402
from ntc_site.render import search, searchindex  # noqa: E402

SENTENCE = {"it": "Aggiunta in una revisione: le reti regionali collaborano con università e imprese innovative.",
            "en": "Added in a revision: regional networks work with universities and innovative companies."}


def corpus_docs(pages: int, work: Path) -> dict[str, list[dict[str, Any]]]:
    """The pages' search documents per language, from the build cache of one build of the corpus."""
    content, cache_dir = work / "content", work / "cache"
    if not list(cache_dir.glob("build-*-search-docs.pickle")):
        make_corpus(content, pages, ROOT / "content")
        env = {**os.environ, "NTC_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(content),
                        "--out", str(work / "site")], check=True, env=env, cwd=ROOT)
    table, = cache_dir.glob("build-*-search-docs.pickle")
    with open(table, "rb") as f:
        entries = pickle.load(f)["entries"]
    by_lang: dict[str, list[dict[str, Any]]] = {lang: [] for lang in LANGUAGES}
    for packed in entries.values():
        for doc in cache.unpack(packed):
            lang = next(part for part in doc["u"].split("/") if part in LANGUAGES)
            by_lang[lang].append(doc)
    return by_lang


def before(rev: str) -> Callable[..., dict[str, bytes]]:
    """`files` of render/searchindex.py at a git revision, loaded beside the current package."""
    source = subprocess.run(["git", "show", f"{rev}:ntc_site/render/searchindex.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_loader("ntc_site.render._searchindex_before", loader=None)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    module.__package__ = "ntc_site.render"
    exec(compile(source, f"{rev}:searchindex.py", "exec"), module.__dict__)
    return module.files


def median_ms(make: Callable[[], Any], run: Callable[[Any], Any], runs: int) -> tuple[float, Any]:
    """Median wall time of run(make()) over `runs`, make() untimed; and the last result."""
    times, result = [], None
    for _ in range(runs):
        arg = make()
        start = time.perf_counter()
        result = run(arg)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def edits(lang: str, docs: list[dict[str, Any]]) -> dict[str, tuple[dict[str, Any], dict[str, int], dict[str, str]]]:
    page = next(d for d in docs if "/synthetic/" in d["u"] or "/sintetico/" in d["u"])
    added_forms = {word: search.stem(lang, word) for word in search.words(SENTENCE[lang])}
    terms = {**{root: search.WEIGHT_BODY for root in added_forms.values()}, **page["terms"]}
    other = docs[len(docs) // 2]
    return {"body gains a sentence": (page, terms, {**added_forms, **page["forms"]}),
            "page takes another page's words": (page, other["terms"], other["forms"]),
            "nothing changes": (page, page["terms"], page["forms"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--work", type=Path, default=None, help="kept corpus and cache (default: a temp folder)")
    parser.add_argument("--before", default=None, help="git revision whose files() to time too")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ntc-search-delta-"))
    by_lang = corpus_docs(args.pages, work)
    strings, problems = load_strings(ROOT / "templates")
    assert not problems, problems
    old_files = before(args.before) if args.before else None
    for lang, docs in by_lang.items():
        t = strings[lang]
        print(f"\n{lang}: {len(docs)} pages")
        ms, out = median_ms(lambda: None, lambda _: searchindex.files(docs, t), args.runs)
        print(f"  files()                      {ms:7.2f} ms   {len(out)} files, {sum(map(len, out.values())):,} bytes")
        if old_files:
            ms, old = median_ms(lambda: None, lambda _: old_files(docs, t), args.runs)
            assert old == out, "the files differ from those of the earlier revision"
            print(f"  files() at {args.before:<17} {ms:7.2f} ms   (same bytes)")
        ms, (layout, _) = median_ms(lambda: None, lambda _: searchindex.build(docs, t), args.runs)
        print(f"  build()                      {ms:7.2f} ms")
        ms, state = median_ms(lambda: None, lambda _: pickle.dumps(layout), args.runs)
        print(f"  pickle.dumps(state)          {ms:7.2f} ms   {len(state):,} bytes")
        ms, _ = median_ms(lambda: None, lambda _: pickle.loads(state), args.runs)
        print(f"  pickle.loads(state)          {ms:7.2f} ms")
        for name, (page, terms, forms) in edits(lang, docs).items():
            ms, (changed, gone) = median_ms(lambda: pickle.loads(state),
                                            lambda fresh: fresh.replace(page["u"], terms, forms), args.runs)
            new_docs = [{**d, "terms": terms, "forms": forms} if d is page else d for d in docs]
            expected = searchindex.files(new_docs, t)
            assert {k: v for k, v in {**out, **changed}.items() if k not in gone} == expected, name
            print(f"  replace: {name:<31} {ms:6.2f} ms   {len(changed)} files ({sum(map(len, changed.values())):,} bytes),"
                  f" {len(gone)} gone")


if __name__ == "__main__":
    main()
