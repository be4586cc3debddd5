"""The package's stages import only downward (docs/architecture.md): each folder of ntc_site/ may import
its own modules and the layers below it, never a layer above or beside it, so there is no import circle
between stages and a newcomer can read the pipeline top to bottom."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "ntc_site"
LAYERS = [  # bottom first; a unit may import units of the lower layers (and its own folder)
    {"problems", "urls", "languages", "faults", "processing", "stored", "forked"},
    {"load", "write"},
    {"model"},
    {"data"},
    {"render"},
    {"pipeline", "check"},
    {"preview", "scaffold"},
    {"cli"},
]
LAYER = {unit: i for i, layer in enumerate(LAYERS) for unit in layer}


def unit_of(module: str) -> str:
    """'ntc_site.render.views' -> 'render'; 'ntc_site.urls' -> 'urls'."""
    return module.split(".")[1]


def imports() -> list[tuple[str, str, int]]:
    """(importing module, imported module, line) for every import inside the package."""
    found = []
    for file in sorted(PACKAGE.rglob("*.py")):
        parts = file.relative_to(PACKAGE.parent).with_suffix("").parts
        here = list(parts[:-1]) if parts[-1] != "__init__" else list(parts[:-1])
        module = ".".join(p for p in parts if p != "__init__")
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = here[:len(here) - node.level + 1]
                targets = [".".join(base + [node.module])] if node.module else [".".join(base + [a.name])
                                                                              for a in node.names]
                found += [(module, target, node.lineno) for target in targets]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ntc_site"):
                found.append((module, node.module, node.lineno))
            elif isinstance(node, ast.Import):
                found += [(module, a.name, node.lineno) for a in node.names if a.name.startswith("ntc_site.")]
    return found


def test_every_unit_has_a_layer():
    units = {unit_of(m) for m, _, _ in imports()} | {unit_of(t) for _, t, _ in imports() if t.count(".") >= 1}
    assert units <= set(LAYER), units - set(LAYER)


def test_imports_run_only_downward():
    wrong = [f"{module}:{line} imports {target}" for module, target, line in imports()
             if target.count(".") >= 1 and unit_of(module) != unit_of(target)
             and LAYER[unit_of(target)] >= LAYER[unit_of(module)]]
    assert not wrong, wrong


def test_no_module_reaches_into_another_modules_private_names():
    private = []
    for file in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                private += [f"{file.relative_to(PACKAGE)}:{node.lineno} {a.name}" for a in node.names
                            if a.name.startswith("_") and a.name != "__future__" and node.module != "__future__"]
    assert not private, private
