"""Command line: `build`, `check`, `serve`, `new`. Only this module prints and chooses exit codes.

Exit codes: 0 ok, 1 content problems (every one printed as `path:line: message`), 2 wrong usage or
environment, 70 internal error (a bug: one line naming the file being processed and the file holding the
trace; 70 is EX_SOFTWARE of sysexits.h), 130 interrupted.

The pipeline (Jinja2, Markdown, YAML, frictionless, rdflib) is imported only once a build or check really
runs: a `build` whose inputs and output are exactly as the previous build left them stops before, on the
build stamp (pipeline/stamp.py), in little more than the interpreter's start-up time.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .languages import LANGUAGES
from .pipeline import fingerprint, stamp
from .processing import file_of
from .stored import content, size_of
from .write import output

if TYPE_CHECKING:  # imported where a build or check runs (see above)
    from .pipeline import run as pipeline
    from .problems import Problem

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 70, 130
_done_early = False  # a `build` ended on a fast path (no change, or pages re-rendered alone): see `run`


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ntc-site", description="Build the National Technology Clusters portal.")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="validate content/ and write the site")
    build.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    build.add_argument("--out", type=Path, default=Path("_site"), help="output folder (default: _site)")
    build.add_argument("--base-url", help="public address of the site, e.g. https://org.github.io/repo/")
    check = commands.add_parser("check", help="validate everything without writing")
    check.add_argument("--content", type=Path, default=Path("content"))
    check.add_argument("--strict", action="store_true", help="also fail on translation and link findings")
    check.add_argument("--stale", action="store_true",
                       help="list dated values (as_of) older than --years; information only, exit 0")
    check.add_argument("--years", type=int, default=2, help="age in years that --stale lists (default: 2)")
    serve = commands.add_parser("serve", help="build, serve on localhost and rebuild on every change")
    serve.add_argument("--content", type=Path, default=Path("content"))
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    new = commands.add_parser("new", help="create a page pair or a record from a template")
    new.add_argument("kind", choices=("page", "cluster", "area"))
    new.add_argument("name", help="page path such as it/percorso/nome, or a record id")
    new.add_argument("--title", default=None)
    new.add_argument("--content", type=Path, default=Path("content"))
    for sub in (build, check, serve):
        sub.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per core)")
    return parser


def _report(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found; nothing was written.",
          file=sys.stderr)


def _folders(args: argparse.Namespace) -> tuple[Path, Path, Path]:
    """The content, templates and datasets folders of the command, checked with its --jobs."""
    content_dir = args.content
    if not content_dir.is_dir():
        raise output.OutputError(f"content folder not found: {content_dir}")
    templates = content_dir.parent / "templates"
    jobs = getattr(args, "jobs", 0)
    if jobs < 0:
        raise output.OutputError(f"--jobs must be 0 (one per core) or more, not {jobs}")
    templates_dir = templates if templates.is_dir() else fingerprint.PROJECT_ROOT / "templates"
    return content_dir, templates_dir, content_dir.parent / "datasets"


def _settings(args: argparse.Namespace, cache_dir: Path | None = None) -> pipeline.Settings:
    from .pipeline import run as pipeline
    content_dir, templates_dir, datasets_dir = _folders(args)
    return pipeline.Settings(
        content_dir=content_dir,
        templates_dir=templates_dir,
        datasets_dir=datasets_dir,
        base_url=getattr(args, "base_url", None),
        jobs=getattr(args, "jobs", 0),
        cache_dir=cache_dir,
        progress=_Progress(),
    )


class _Progress:
    """`rendering pages: 800/2022` on stderr, only once a build has run for a couple of seconds."""

    DELAY, EVERY = 2.0, 1.0

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.shown = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.start < self.DELAY or (now - self.shown < self.EVERY and done < total):
            return
        self.shown = now
        tty = sys.stderr.isatty()
        end = "\n" if done >= total or not tty else ""
        print(f"{chr(13) if tty else ''}rendering pages: {done}/{total}", end=end, file=sys.stderr, flush=True)


def run_build(args: argparse.Namespace, own_process: bool = False) -> int:
    sources = _folders(args)
    output.check_target(args.out, [*sources, fingerprint.PROJECT_ROOT, Path.cwd()], sources)
    output.recover(args.out)  # before anything else: a swap killed half-way is put right first
    cache_dir = fingerprint.cache_dir(None, args.content.absolute().parent)
    variant = f"base_url={args.base_url!r} drafts=False"  # settings that change the site; no drafts in `build`
    stamp_file = stamp.stamp_file(cache_dir, args.out, variant)
    global _done_early
    inputs, _done_early = _fast_build(args, sources, stamp_file, variant)
    if _done_early:
        return EXIT_OK
    from .pipeline import run as pipeline
    # Opened before the build: the output is locked throughout, and each page is staged while the workers
    # render the next ones. Nothing is published unless the whole build succeeds.
    writer = output.Writer(args.out)
    try:
        result = pipeline.build(replace(_settings(args, cache_dir), stage=writer.write_early,
                                        keep_state=inputs is not None))
        _notes(result.notes)
        if result.problems:
            writer.abort()
            _report(result.problems)
            return EXIT_PROBLEMS
    except BaseException:
        writer.abort()
        raise
    if own_process:
        # The site and its model live until the process ends: the collector need not walk them again while
        # the site is written and stamped (each walk of ~2 million objects took tens of ms, several times).
        # Not in a longer-lived caller (the tests), where frozen cycles would never be freed.
        gc.freeze()
    sizes = {path: size_of(data) for path, data in result.files.items()}

    def record() -> None:  # once the site is in place: what the next build starts from
        if inputs is None:  # inputs that cannot be trusted: no stamp (the old one goes)
            stamp.record(stamp_file, args.out, None, sizes, result.notes)
            return
        from .pipeline import delta
        tokens = delta.save(delta.base_of(stamp_file), result.state, ("site", *LANGUAGES)) if result.state else {}
        stamp.record(stamp_file, args.out, inputs.digest, sizes, result.notes, delta.stamp_extra(inputs, tokens))

    output.write_site(args.out, result.files, writer, then=record)
    print(f"built {len(result.files)} files into {args.out}")
    return EXIT_OK


def _fast_build(args: argparse.Namespace, sources: tuple[Path, Path, Path], stamp_file: Path, variant: str
                ) -> tuple[stamp.Inputs | None, bool]:
    """The builds that need no pipeline: nothing changed since the stamp, or only the bodies of a few pages
    (pipeline/delta.py). Gives the inputs as read, and whether the build is done."""
    previous = stamp.read(stamp_file)
    check = stamp.output_check(previous, args.out) if previous is not None else None  # meanwhile, on another core
    try:
        # Read before the pipeline reads anything: an edit made while it runs shows as a change next time.
        inputs = stamp.read_inputs(*sources, variant, LANGUAGES, (previous or {}).get("extra", {}).get("seen"))
        if previous is None or check is None or inputs is None:
            return inputs, False
        if previous["inputs"] == inputs.digest and check.result()[0]:
            _notes(previous["notes"])
            print(f"built {previous['files']} files into {args.out} (unchanged)")
            return inputs, True
        from .pipeline import delta
        rebuilt = delta.rebuild(previous, inputs, args.content, args.out, stamp_file, check.result)
        if rebuilt is None:
            return inputs, False
        _notes(rebuilt.notes)
        print(f"built {rebuilt.files} files into {args.out} (re-rendered {', '.join(rebuilt.pages)})")
        return inputs, True
    finally:
        if check is not None:
            check.cancel()


def _notes(notes: list[str]) -> None:
    for note in notes:
        print(f"note: {note}", file=sys.stderr)


def run_check(args: argparse.Namespace) -> int:
    from .pipeline import run as pipeline
    settings = _settings(args)
    if args.strict:  # with drafts, so a published page linking to one is named as such
        settings = replace(settings, include_drafts=True)
    result = pipeline.build(settings)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    problems = list(result.problems)
    if not problems and result.site is not None and "data/catalog.ttl" in result.files:
        from .check import quality
        catalogue = content(result.files["data/catalog.ttl"])
        for score in quality.scores(catalogue, result.site.config.base_url, result.files):
            print(score.line())
    if args.strict and not problems and result.site is not None:
        from .check import releases, strict
        for line in strict.summary(result.site, args.content):
            print(line)
        problems = strict.findings(result.site, result.bodies, args.content, result.files)
        problems += releases.findings(result.site, settings.datasets)
    if problems:
        _report(problems)
        return EXIT_PROBLEMS
    print("no problems found")
    if args.stale and result.site is not None:
        _list_stale(result.site, args.years)
    return EXIT_OK


def _list_stale(site, years: int) -> None:
    """Dated values to look at again: listed on stdout, never an error (the build is fine as it is)."""
    import datetime as dt

    from .check import stale
    found = stale.findings(site, dt.date.today(), years)
    for finding in found:
        print(finding.format())
    print(f"{len(found)} value{'s' if len(found) != 1 else ''} dated more than {years} year"
          f"{'s' if years != 1 else ''} ago")


def main(argv: list[str] | None = None, own_process: bool = False) -> int:
    """The command; `own_process`: it is the whole life of the process (`run`), not a call among others."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    if args.command == "check" and args.years < 0:
        print(f"error: --years must be 0 or more, not {args.years}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "build":
            return run_build(args, own_process)
        if args.command == "serve":
            from .preview import serve
            return serve.main(_settings(args), args.host, args.port)
        if args.command == "new":
            from . import scaffold
            return scaffold.main(args)
        return run_check(args)
    except output.OutputError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted: nothing half-written is left; the output folder holds a whole site",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as err:  # bad content is a Problem, never an exception: this is a bug
        print(_bug_line(err), file=sys.stderr)
        return EXIT_BUG


def run() -> None:
    """The process's entry point (build.py, the `ntc-site` script). After a fast `build`, the process ends
    at once: freeing every module and object one by one (the model, Jinja, Markdown…) was a seventh of a
    one-page rebuild, and by then everything is written and closed, no pool or thread was started and no
    exit handler is waiting; the output streams are flushed first. Every other command exits as usual."""
    code = main(own_process=True)
    if _done_early:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _bug_line(err: Exception) -> str:
    """One line for the person who met the bug; the whole trace goes to a file, for whoever fixes it."""
    import tempfile
    import traceback
    where = file_of(err)
    what = f"{type(err).__name__}: {str(err).strip().splitlines()[0][:200]}" if str(err).strip() else \
        type(err).__name__
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", prefix="ntc-site-bug-", suffix=".txt",
                                         delete=False) as f:
            f.write(f"ntc-site {' '.join(sys.argv[1:])}\nprocessing: {where or 'no file in particular'}\n\n")
            f.write("".join(traceback.format_exception(err)))
        trace = f"the trace is in {f.name}"
    except OSError as write_err:
        trace = f"the trace could not be saved ({write_err.strerror})"
    return (f"internal error while processing {where or 'the site'}: {what} — a bug in ntc-site, not in the"
            f" content; {trace}")
