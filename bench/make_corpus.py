"""Build a deterministic synthetic corpus for the ntc-site benchmarks.

Why this exists: the real site has too few pages to show how the generator
scales, so the benchmark needs a large, reproducible corpus that follows the
same content layout the generator reads.  This script copies the real
``content/`` tree (``site.yaml``, ``areas/``, ``clusters/``, real pages) into
an output directory and adds N synthetic page pairs:

* ``DIR/it/sintetico/pNNNNN.md`` and ``DIR/en/synthetic/pNNNNN.md``
* paired by ``translation_key: synthetic-NNNNN``
* 600-900 words of obviously fake filler, 2-4 ``##`` headings, a table,
  a list and 3 relative links to other synthetic pages of the same language.

The text is lorem-ipsum-like on purpose: it carries no facts.  Page ``i`` only
depends on the seed and ``i``, so corpora of different sizes share pages.

Usage::

    python bench/make_corpus.py --pages 1000 --out /tmp/corpus [--base content]
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MARKER = ".bench-corpus"
DISCLAIMER = "Synthetic page for benchmarks — no facts"
# Sub-directory and title word per language.
LANGS: dict[str, tuple[str, str]] = {
    "it": ("sintetico", "Pagina sintetica"),
    "en": ("synthetic", "Synthetic page"),
}
FILLER = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod "
    "tempor incididunt ut labore et dolore magna aliqua enim ad minim veniam "
    "quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo "
    "consequat duis aute irure in reprehenderit voluptate velit esse cillum "
    "fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt "
    "culpa qui officia deserunt mollit anim id est laborum blandit cras "
    "pellentesque habitant morbi tristique senectus netus malesuada fames ac "
    "turpis egestas vestibulum sagittis purus faucibus ornare suspendisse "
    "sapien vitae ultricies leo integer perché città qualità più già così"
).split()
LINK_COUNT = 3


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(FILLER) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _words(text: str) -> int:
    return len(text.split())


def _link_targets(rng: random.Random, index: int, total: int) -> list[int]:
    others = [j for j in range(1, total + 1) if j != index] if total <= 64 else []
    if others:
        return rng.sample(others, min(LINK_COUNT, len(others)))
    picked: list[int] = []
    while len(picked) < min(LINK_COUNT, total - 1):
        j = rng.randint(1, total)
        if j != index and j not in picked:
            picked.append(j)
    return picked


def page_text(index: int, total: int, lang: str, seed: int) -> str:
    """Return the full Markdown source (front matter + body) of one page."""
    rng = random.Random(f"{seed}:{index}:{lang}")
    _, title_word = LANGS[lang]
    date = dt.date(2020, 1, 1) + dt.timedelta(days=index % 1500)
    front = (
        "---\n"
        f'title: "{title_word} {index:05d}"\n'
        f'description: "{DISCLAIMER}"\n'
        f"translation_key: synthetic-{index:05d}\n"
        f"date: {date.isoformat()}\n"
        "---\n\n"
    )
    target_words = rng.randint(600, 900)
    headings = rng.randint(2, 4)
    blocks: list[str] = [f"{DISCLAIMER}.", _paragraph(rng, 3)]
    links = _link_targets(rng, index, total)
    link_line = " ".join(
        f"[{rng.choice(FILLER)} {j:05d}](p{j:05d}.md)" for j in links
    )
    blocks.append(f"{_sentence(rng)} {link_line}")
    # Fixed structural blocks: one table, one list, headings.
    table_rows = [
        f"| {rng.choice(FILLER)} {r} | {rng.randint(1, 9999)} | {rng.choice(FILLER)} |"
        for r in range(1, rng.randint(4, 8))
    ]
    table = "\n".join(
        ["| Lorem | Ipsum | Dolor |", "| --- | ---: | --- |", *table_rows]
    )
    items = "\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(3, 6)))
    sections: list[list[str]] = []
    for h in range(headings):
        heading = f"## {rng.choice(FILLER).capitalize()} {rng.choice(FILLER)} {h + 1}"
        sections.append([heading, _paragraph(rng, 4)])
    sections[0].append(table)
    sections[-1].append(items)
    body_blocks = blocks + [b for s in sections for b in s]
    # Pad sections round-robin with paragraphs until the word target is met.
    current = _words("\n\n".join(body_blocks))
    k = 0
    while current < target_words:
        para = _paragraph(rng, rng.randint(2, 4))
        if current + _words(para) > 880:
            para = _sentence(rng)
        sections[k % headings].insert(1, para)
        current += _words(para)
        k += 1
    body = "\n\n".join(blocks + [b for s in sections for b in s])
    return front + body + "\n"


def page_path(root: Path, lang: str, index: int) -> Path:
    subdir, _ = LANGS[lang]
    return root / lang / subdir / f"p{index:05d}.md"


def _prepare_out(out: Path, base: Path) -> None:
    out = out.resolve()
    if out == base.resolve() or out == PROJECT_ROOT or out in base.resolve().parents:
        sys.exit(f"refusing to write the corpus over {out}")
    if out.exists():
        if not (out / MARKER).exists() and any(out.iterdir()):
            sys.exit(f"{out} exists, is not empty and was not made by make_corpus.py")
        shutil.rmtree(out)


def make_corpus(out: Path, pages: int, base: Path, seed: int = 1234) -> int:
    """Create the corpus in ``out``; return the number of synthetic files written."""
    _prepare_out(out, base)
    if base.is_dir():
        shutil.copytree(base, out, ignore=shutil.ignore_patterns(".*"))
    else:
        print(f"warning: base content {base} not found; writing synthetic pages "
              "only (no site.yaml, areas, clusters)", file=sys.stderr)
        out.mkdir(parents=True)
    if not (out / "site.yaml").exists():
        print(f"warning: {out}/site.yaml missing (base has none yet)", file=sys.stderr)
    (out / MARKER).write_text("made by bench/make_corpus.py\n", encoding="utf-8")
    written = 0
    for lang in LANGS:
        for i in range(1, pages + 1):
            path = page_path(out, lang, i)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page_text(i, pages, lang, seed), encoding="utf-8")
            written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, required=True, help="synthetic pages per language")
    ap.add_argument("--out", type=Path, required=True, help="corpus directory to (re)create")
    ap.add_argument("--base", type=Path, default=PROJECT_ROOT / "content",
                    help="real content tree to copy (default: content/)")
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args(argv)
    if args.pages < 1:
        ap.error("--pages must be >= 1")
    n = make_corpus(args.out, args.pages, args.base, args.seed)
    print(f"wrote {n} synthetic pages under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
