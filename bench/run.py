"""Benchmark ntc-site against a rendering baseline and Pelican.

Why this exists: the project has performance targets (see bench/README.md)
that must be checked with measured figures on the real machine, not guessed.
This script builds a synthetic corpus (bench/make_corpus.py), then runs whole
processes and measures wall time, CPU (user+sys) and peak RSS for:

  full      ntc-site, fresh out dir, empty cache (NTC_CACHE_DIR = new temp dir)
  nochange  ntc-site again, same out dir and warm cache, nothing edited
  onepage   ntc-site after editing the body of one synthetic page
  baseline  bench/baseline.py (render only, single process)
  pelican   Pelican 4 in the bench-only venv bench/.venv-pelican

It prints a Markdown table, the ratios against the targets and the machine.

Usage::

    python bench/run.py --pages 1000 --runs 3 [--json results.json]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_corpus  # noqa: E402
import pelican_site  # noqa: E402
from measure import Sample, run_measured  # noqa: E402

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
NTC = ("full", "nochange", "onepage")
# name -> (numerator, denominator or None for RSS, limit, measure); the targets of issue 17
TARGETS: dict[str, tuple[str, str | None, float, str]] = {
    "full / baseline": ("full", "baseline", 0.6, "wall_s"),
    "full / pelican": ("full", "pelican", 0.5, "wall_s"),
    "full / baseline, CPU (per-page work)": ("full", "baseline", 1.1, "cpu_s"),
    "nochange / full": ("nochange", "full", 0.05, "wall_s"),
    "onepage / full": ("onepage", "full", 0.08, "wall_s"),
    "peak memory MiB, summed over processes (PSS)": ("full", None, 250.0, "tree_pss_mib"),
    "peak RSS MiB, summed over processes (shared pages once per process)": ("full", None, 250.0, "tree_rss_mib"),
    "peak RSS MiB, largest process": ("full", None, 250.0, "maxrss_mib"),
}


def default_python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def machine_info(python: str) -> dict[str, Any]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    probe = ("import sys, markdown, jinja2, yaml; print(sys.version.split()[0], "
             "markdown.__version__, jinja2.__version__, yaml.__version__, "
             "yaml.__with_libyaml__)")
    out = subprocess.run([python, "-c", probe], capture_output=True, text=True)
    fields = out.stdout.split() or ["?"] * 5
    return {"cpu_count": os.cpu_count(), "cpu_model": model, "platform": platform.platform(),
            "python": fields[0], "python_exe": python,
            "markdown": fields[1] if len(fields) > 1 else "?",
            "jinja2": fields[2] if len(fields) > 2 else "?",
            "pyyaml": fields[3] if len(fields) > 3 else "?",
            "libyaml": fields[4] if len(fields) > 4 else "?"}


def count_html(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html")) if out.exists() else 0


def repeat(name: str, runs: int, cmd: list[str], out: Path,
           before: Callable[[int], None], env: dict[str, str] | None = None,
           cwd: Path | None = None) -> dict[str, Any]:
    """Run ``cmd`` ``runs`` times (``before(i)`` first); collect samples."""
    samples: list[Sample] = []
    for i in range(runs):
        before(i)
        s = run_measured(cmd, env=env, cwd=cwd)
        samples.append(s)
        print(f"  {name} run {i + 1}/{runs}: {s.wall_s:.2f}s wall, {s.cpu_s:.2f}s cpu, "
              f"{s.maxrss_mib:.0f} MiB, rc={s.returncode}", file=sys.stderr)
        if s.returncode != 0:
            print(f"  {name} FAILED; output tail:\n{s.output_tail}", file=sys.stderr)
            break
    return summarize(samples, count_html(out))


def summarize(samples: list[Sample], html_files: int) -> dict[str, Any]:
    ok = [s for s in samples if s.returncode == 0]
    res: dict[str, Any] = {"ok": bool(samples) and len(ok) == len(samples),
                           "html_files": html_files,
                           "samples": [s.as_dict() for s in samples]}
    if ok:
        for key in ("wall_s", "cpu_s"):
            vals = [getattr(s, key) for s in ok]
            res[key] = {"min": min(vals), "median": statistics.median(vals), "max": max(vals)}
        res["maxrss_mib"] = max(s.maxrss_mib for s in ok)
        res["tree_rss_mib"] = max(s.tree_rss_mib for s in ok)
        res["tree_pss_mib"] = max(s.tree_pss_mib for s in ok)
    return res


def bench_ntc(args: argparse.Namespace, corpus: Path, work: Path) -> dict[str, Any]:
    out = work / "ntc-out"
    cmd = [args.python, str(ROOT / "build.py"), "build", "--content", str(corpus),
           "--out", str(out)] + (["--jobs", str(args.jobs)] if args.jobs else [])
    env = dict(os.environ)

    def fresh(i: int) -> None:
        """Fresh out dir and a new, empty cache dir for every full build."""
        shutil.rmtree(out, ignore_errors=True)
        env["NTC_CACHE_DIR"] = tempfile.mkdtemp(prefix=f"ntc-cache-{i}-", dir=work)

    results: dict[str, Any] = {}
    print("ntc-site full build", file=sys.stderr)
    results["full"] = repeat("full", args.runs, cmd, out, fresh, env, ROOT)
    if not results["full"]["ok"]:
        return results
    print("ntc-site no-change rebuild", file=sys.stderr)
    results["nochange"] = repeat("nochange", args.runs, cmd, out, lambda i: None, env, ROOT)
    page = make_corpus.page_path(corpus, "it", max(1, args.pages // 2))
    original = page.read_text(encoding="utf-8")

    def edit(i: int) -> None:
        page.write_text(original + f"\nLorem ipsum benchmark edit {i + 1} dolor sit amet.\n",
                        encoding="utf-8")

    print(f"ntc-site one-page rebuild ({page.relative_to(corpus)})", file=sys.stderr)
    try:
        results["onepage"] = repeat("onepage", args.runs, cmd, out, edit, env, ROOT)
    finally:
        page.write_text(original, encoding="utf-8")
    return results


def bench_baseline(args: argparse.Namespace, corpus: Path, work: Path) -> dict[str, Any]:
    out = work / "baseline-out"
    cmd = [args.python, str(BENCH / "baseline.py"), "--content", str(corpus), "--out", str(out)]
    print("baseline", file=sys.stderr)
    return repeat("baseline", args.runs, cmd, out,
                  lambda i: shutil.rmtree(out, ignore_errors=True))


def bench_pelican(args: argparse.Namespace, corpus: Path, work: Path) -> dict[str, Any]:
    pelican = pelican_site.ensure_venv(args.python)
    project, out = work / "pelican", work / "pelican-out"
    pelican_site.build_project(corpus, project)
    cmd = pelican_site.pelican_command(pelican, project, out)
    print(f"pelican {pelican_site.pelican_version()}", file=sys.stderr)
    return repeat("pelican", args.runs, cmd, out,
                  lambda i: shutil.rmtree(out, ignore_errors=True), cwd=project)


def median_of(results: dict[str, Any], name: str, key: str) -> float | None:
    r = results.get(name)
    return r[key]["median"] if r and r.get("ok") else None


def ratios(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Ratios of medians (of wall time, or of CPU time where the target says so) and peak memory over every
    ntc-site scenario; the CPU ratio of the wall-time rows is given for context."""
    table: dict[str, dict[str, Any]] = {}
    for label, (num, den, limit, measure) in TARGETS.items():
        cpu: float | None = None
        if den is None:
            rss = [results[n][measure] for n in NTC if results.get(n, {}).get("ok")]
            value = max(rss) if rss else None
        else:
            a, b = median_of(results, num, measure), median_of(results, den, measure)
            value = a / b if a is not None and b else None
            if measure == "wall_s":
                c, d = median_of(results, num, "cpu_s"), median_of(results, den, "cpu_s")
                cpu = c / d if c is not None and d else None
        table[label] = {"value": value, "cpu_ratio": cpu, "target": limit,
                        "met": None if value is None else value <= limit}
    return table


def markdown_report(results: dict[str, Any], rat: dict[str, Any],
                    machine: dict[str, Any], params: dict[str, Any]) -> str:
    lines = [f"Corpus: {params['pages']} synthetic pages per language "
             f"(+ real content), {params['runs']} runs each.", "",
             "| scenario | wall min (s) | wall median (s) | wall max (s) | CPU median (s) "
             "| peak RSS MiB (largest proc) | peak RSS MiB (tree, sampled) | peak PSS MiB (tree, sampled) "
             "| HTML files |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name in (*NTC, "baseline", "pelican"):
        r = results.get(name)
        if r is None:
            lines.append(f"| {name} | not run | | | | | | | |")
        elif not r["ok"]:
            lines.append(f"| {name} | FAILED | | | | | | | |")
        else:
            w, c = r["wall_s"], r["cpu_s"]
            lines.append(f"| {name} | {w['min']:.2f} | {w['median']:.2f} | {w['max']:.2f} | "
                         f"{c['median']:.2f} | {r['maxrss_mib']:.0f} | "
                         f"{r['tree_rss_mib']:.0f} | {r['tree_pss_mib']:.0f} | {r['html_files']} |")
    lines += ["", "| target (ratios of medians) | value | CPU ratio (context) | target | met |",
              "| --- | ---: | ---: | ---: | --- |"]
    for label, r in rat.items():
        val = "n/a" if r["value"] is None else f"{r['value']:.2f}"
        cpu = "" if r["cpu_ratio"] is None else f"{r['cpu_ratio']:.2f}"
        met = "n/a" if r["met"] is None else ("met" if r["met"] else "NOT met")
        lines.append(f"| {label} | {val} | {cpu} | ≤ {r['target']:g} | {met} |")
    lines += ["", f"Machine: {machine['cpu_count']} CPUs, {machine['cpu_model']}; "
              f"Python {machine['python']} ({machine['python_exe']}); Markdown "
              f"{machine['markdown']}, Jinja2 {machine['jinja2']}, PyYAML {machine['pyyaml']} "
              f"(libyaml {machine['libyaml']}); Pelican {params.get('pelican', 'n/a')}; "
              f"ntc-site jobs: {params['jobs'] or 'default'}; {machine['platform']}.",
              f"Load average (1 min) before/after: {params['load_before']:.2f} / "
              f"{params['load_after']:.2f}."]
    if max(params["load_before"], params["load_after"]) > 0.5 * (machine["cpu_count"] or 1):
        lines.append("WARNING: the machine was busy with other work; wall times are "
                     "unreliable (compare CPU times, or rerun on an idle machine).")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1000, help="synthetic pages per language")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--python", default=default_python(),
                    help="interpreter for ntc-site and the baseline (default .venv)")
    ap.add_argument("--jobs", type=int, default=0, help="pass --jobs N to ntc-site")
    ap.add_argument("--base", type=Path, default=ROOT / "content")
    ap.add_argument("--work", type=Path, help="work dir (default: a new folder under bench/_work/, on the"
                    " project's own file system like a real _site/)")
    ap.add_argument("--keep", action="store_true", help="keep the work dir")
    ap.add_argument("--json", type=Path, help="also save the results here")
    ap.add_argument("--only", nargs="+", choices=("ntc", "baseline", "pelican"),
                    default=["ntc", "baseline", "pelican"])
    args = ap.parse_args(argv)
    # Not /tmp: on this machine creating folders there is ~15x slower than in the project, which would
    # measure the temp file system instead of the builds.
    (ROOT / "bench" / "_work").mkdir(parents=True, exist_ok=True)
    work = args.work or Path(tempfile.mkdtemp(prefix="ntc-bench-", dir=ROOT / "bench" / "_work"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus"
    machine = machine_info(args.python)
    params: dict[str, Any] = {"pages": args.pages, "runs": args.runs, "jobs": args.jobs,
                              "load_before": os.getloadavg()[0]}
    results: dict[str, Any] = {}
    try:
        make_corpus.make_corpus(corpus, args.pages, args.base)
        if "baseline" in args.only:
            results["baseline"] = bench_baseline(args, corpus, work)
        if "pelican" in args.only:
            results["pelican"] = bench_pelican(args, corpus, work)
            params["pelican"] = pelican_site.pelican_version()
        if "ntc" in args.only:
            if (ROOT / "build.py").exists():
                # Bytecode as an installed package has it (pip compiles on install): an environment with
                # PYTHONDONTWRITEBYTECODE set would otherwise compile every module of ntc_site on every
                # run, which the baseline and Pelican, whose libraries are installed, never do.
                subprocess.run([args.python, "-m", "compileall", "-q", str(ROOT / "ntc_site")], check=True)
                results.update(bench_ntc(args, corpus, work))
            else:
                print(f"skipping ntc-site: {ROOT / 'build.py'} not found", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    params["load_after"] = os.getloadavg()[0]
    rat = ratios(results)
    print(markdown_report(results, rat, machine, params))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "params": params,
                                         "results": results, "ratios": rat}, indent=2),
                             encoding="utf-8")
    failed = [n for n, r in results.items() if not r["ok"]]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
