"""`new page` and `new cluster|area`: start a file with every field already written down.

An editor should never have to remember field names: a new page comes with its English partner (same
`translation_key`, both drafts, `translation_of` recording the Italian text it starts from), and a new
record lists every field of its schema with `null` and a comment saying what goes there. The comments are
generated from the schema in `records.py`, so a field added there shows up here without touching this file.
Nothing is ever overwritten.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .languages import LANGUAGES, other_language
from .load import content, yamlfile
from .load.content import source_hash
from .load.records import SPECS
from .load.specs import ID_PATTERN, Spec

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
RECORD_FOLDERS = {"cluster": "clusters", "area": "areas"}
# Front matter comments, in the language of the file they are written into.
PAGE_COMMENTS = {
    "it": {"description": "una frase: appare negli elenchi, nella ricerca e nei motori di ricerca",
           "draft": "visibile solo in anteprima (make serve); togli la riga per pubblicare",
           "translation_of": "versione del testo italiano tradotta (vedi docs/editing.md)"},
    "en": {"description": "one sentence: shown in lists, in search and by search engines",
           "draft": "shown only in the preview (make serve); delete the line to publish",
           "translation_of": "which version of the Italian text this translates (see docs/editing.en.md)"},
}
BODY = {
    "it": "Scrivi qui il testo in Markdown. I titoli interni partono da `##`.\n",
    "en": "Translate the Italian text here. Headings inside the page start at `##`.\n",
}
KIND_NOTES = {
    "str": "text", "int": "a whole number", "year": "a year such as 2012", "bool": "true or false",
    "date": "a date written YYYY-MM-DD", "isodate": "a date written YYYY, YYYY-MM or YYYY-MM-DD", "url": "an http:// or https:// address", "email": "an e-mail address",
    "id": "an id: lowercase letters, digits and hyphens", "text": "one text per language",
    "list": "a list", "map": "a group of fields",
}
FIELD_NOTES = {
    "area": "the id of an area: a file name in content/areas/ without .yaml",
    "sources": "where each fact was checked: list under 'fields' the fields this source confirms",
    "fields": "names of the fields this source confirms, e.g. [name, website]",
    "as_of": "when the value was true, an ISO 8601 date: 2024, 2024-11 or 2024-11-05",
    "note": "a qualification of the date, one text per language",
    "seat": "which office the city is, as the source says",
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_text(lang: str, title: str, key: str, translation_of: str | None) -> str:
    notes = PAGE_COMMENTS[lang]
    lines = ["---", f"title: {_quote(title)}", f"description: null  # {notes['description']}",
             f"translation_key: {_quote(key)}", f"draft: true  # {notes['draft']}"]
    if translation_of is not None:
        lines.append(f"translation_of: {_quote(translation_of)}  # {notes['translation_of']}")
    return "\n".join(lines + ["---", BODY[lang]])


def page_pair(name: str, title: str) -> tuple[dict[str, str], str]:
    """Relative file paths (below content/) -> text for a new page and its partner; or why not."""
    rel = name.strip("/")
    if rel.endswith(".md"):
        rel = rel[: -len(".md")]
    parts = rel.split("/")
    if len(parts) < 2 or parts[0] not in LANGUAGES:
        return {}, f"a page name starts with a language folder, e.g. it/percorso/nome (not '{name}')"
    for part in parts[1:]:
        message = content.segment_problem(part)
        if message:
            return {}, message
    lang, path = parts[0], "/".join(parts[1:])
    source_lang = LANGUAGES[0]
    source = page_text(source_lang, title, path, None)
    parsed, problems = content.parse_page(source, source_lang, f"{path}.md", f"{source_lang}/{path}.md")
    if parsed is None:
        return {}, "; ".join(p.message for p in problems)
    translation = page_text(other_language(source_lang), title, path, source_hash(parsed))
    texts = {source_lang: source, other_language(source_lang): translation}
    # The order shows the editor the page they asked for first.
    order = [lang, other_language(lang)]
    return {f"{code}/{path}.md": texts[code] for code in order}, ""


def _comment(name: str, spec: Spec) -> str:
    need = "required" if spec.required else "optional"
    note = FIELD_NOTES.get(name) or KIND_NOTES.get(spec.kind, spec.kind)
    if spec.choices:
        note += ": " + ", ".join(spec.choices)
    if spec.kind == "text" and spec.partial:
        note += f"; {LANGUAGES[1]} may stay null when no official translation exists"
    return f"{need} · {note}"


def _field_lines(name: str, spec: Spec, indent: str) -> list[str]:
    comment = _comment(name, spec)
    if spec.kind == "text":
        return [f"{indent}{name}:  # {comment}"] + [f"{indent}  {lang}: null" for lang in LANGUAGES]
    if spec.kind == "map":
        inner = [line for key, sub in spec.fields for line in _field_lines(key, sub, indent + "  ")]
        if spec.required or not any(sub.required for _, sub in spec.fields):
            return [f"{indent}{name}:  # {comment}"] + inner
        # Optional group with a required part: null keeps the file valid; the comment names the parts.
        parts = ", ".join(f"{key} ({_comment(key, sub)})" for key, sub in spec.fields)
        return [f"{indent}{name}: null  # {comment}: {parts}"]
    if spec.kind == "list" and spec.item is not None and spec.item.kind == "map":
        item = [line for key, sub in spec.item.fields for line in _field_lines(key, sub, indent + "    ")]
        item[0] = f"{indent}  - {item[0].lstrip()}"
        return [f"{indent}{name}:  # {comment}"] + item
    if spec.kind == "list":
        return [f"{indent}{name}: []  # {comment}"]
    return [f"{indent}{name}: null  # {comment}"]


def record_text(kind: str, record_id: str) -> str:
    folder = RECORD_FOLDERS[kind]
    lines = [f"# {kind.capitalize()} '{record_id}': fill in what is known and leave null what is not.",
             "# Every stated fact needs a source that lists it under 'fields'. Field reference: docs/editing.en.md"]
    for name, spec in SPECS[folder].fields:
        lines += _field_lines(name, spec, "")
    return "\n".join(lines) + "\n"


def plan(kind: str, name: str, title: str | None) -> tuple[dict[str, str], str]:
    """What `new` would create: relative path -> text, or a usage error."""
    if kind == "page":
        if not title or not title.strip():
            return {}, "a new page needs --title \"…\""
        return page_pair(name, title.strip())
    if not ID_PATTERN.match(name):
        return {}, f"'{name}' is not a valid id (lowercase letters, digits and single hyphens)"
    return {f"{RECORD_FOLDERS[kind]}/{name}.yaml": record_text(kind, name)}, ""


def main(args: argparse.Namespace) -> int:
    files, error = plan(args.kind, args.name, args.title)
    if error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    root: Path = args.content
    if not root.is_dir():
        print(f"error: content folder not found: {root}", file=sys.stderr)
        return EXIT_USAGE
    existing = [rel for rel in files if (root / rel).exists() or (root / rel).is_symlink()]
    if existing:
        for rel in existing:
            print(f"{yamlfile.display_path(root / rel)}: already exists; nothing was created", file=sys.stderr)
        return EXIT_REFUSED
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as out:  # 'x': never replace a file that appeared meanwhile
            out.write(text)
        print(f"created {yamlfile.display_path(target)}")
    return EXIT_OK
