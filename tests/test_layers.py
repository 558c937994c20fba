"""The layers the project is built on, checked on the source so they stay true.

`domain` (pure records and rules of thumb) <- `store` (the only SQL) <- services (ingest, rules,
review, orders, reports, ...) <- `ui` and `cli`. Read from every module's imports with `ast`,
imports inside functions included: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "clerkapp"

# Leaf modules every layer may use: the failures everyone raises, where files live, the
# progress/cancel contract of long work. They import nothing of clerkapp themselves.
BASE = {"errors", "paths", "jobs"}
SERVICES = {"ingest", "rules", "review", "orders", "reports", "reconcile", "relief",
            "closeout", "files", "integrity", "backup", "migrate_store"}
# what each layer may import of clerkapp (by first component under clerkapp)
ALLOWED = {
    "domain": {"domain", "errors"},
    "store": {"domain", "store"} | BASE,
}
for _base in BASE:
    ALLOWED[_base] = set()


def _part(module: str) -> str | None:
    """`clerkapp.store.queue` -> `store`; None for a module outside clerkapp."""
    parts = module.split(".")
    if parts[0] != "clerkapp":
        return None
    return parts[1] if len(parts) > 1 else ""


@cache
def _imports(path: Path) -> list[tuple[str, int]]:
    """(module imported, line) for every import in the file, relative ones resolved; for
    `from M import n` both M and M.n (n may be a module or a name in M)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    own = ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = own.split(".")[: -node.level]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, node.lineno))
            # `from clerkapp.ui import launch` imports the module clerkapp.ui.launch
            found += [(f"{module}.{a.name}", node.lineno) for a in node.names]
    return found


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _layer(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(REPO_ROOT)}:{line}"


def test_the_scan_sees_the_package():
    """Guards the guard: the walk finds the layers and their imports (an empty scan would
    pass every rule below)."""
    layers = {_layer(p) for p in _modules()}
    assert {"domain", "store", "ui", "cli"} | SERVICES <= layers
    store_imports = {m for p in _modules() if _layer(p) == "store" for m, _ in _imports(p)}
    assert "clerkapp.domain.records" in store_imports


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_lower_layers_import_only_what_lies_below(layer):
    wrong = [f"{_where(p, line)} imports {m}"
             for p in _modules() if _layer(p) == layer
             for m, line in _imports(p)
             if (part := _part(m)) is not None and part not in ALLOWED[layer]]
    assert not wrong, f"{layer} may import only {sorted(ALLOWED[layer])} of clerkapp:\n" + \
        "\n".join(wrong)


def test_services_use_no_qt_and_no_front_end():
    wrong = [f"{_where(p, line)} imports {m}"
             for p in _modules() if _layer(p) in SERVICES
             for m, line in _imports(p)
             if m.split(".")[0] in {"PySide6", "PyQt5", "PyQt6"} or _part(m) in {"ui", "cli"}]
    assert not wrong, "services run without a window or a console:\n" + "\n".join(wrong)


def test_services_do_not_print():
    """Services report through progress callbacks, results and exceptions; the CLI prints."""
    wrong = [_where(p, node.lineno)
             for p in _modules() if _layer(p) in SERVICES | {"store", "domain"}
             for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
             and node.func.id == "print"]
    assert not wrong, "print() outside ui/cli:\n" + "\n".join(wrong)


def test_only_the_front_ends_import_the_front_ends():
    wrong = [f"{_where(p, line)} imports {m}"
             for p in _modules() if _layer(p) not in {"ui", "cli", "__main__", "selftest"}
             for m, line in _imports(p) if _part(m) in {"ui", "cli"}]
    assert not wrong, "\n".join(wrong)


def _module_name(path: Path) -> str:
    name = ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def test_no_two_window_modules_import_each_other():
    """A pair that imports each other (as `ui/launch.py` and `ui/mainwindow.py` once did) is
    one module in two files: neither can be read, tested or moved alone. The window imports
    its helpers; they know it only through the `launch.Window` protocol."""
    names = {_module_name(p): p for p in _modules() if _layer(p) == "ui"}
    uses = {name: {m for m, _ in _imports(p)} & names.keys() for name, p in names.items()}
    pairs = sorted({tuple(sorted((a, b))) for a, used in uses.items() for b in used
                    if a != b and a in uses.get(b, ()) and not a.startswith(b + ".")
                    and not b.startswith(a + ".")})
    assert not pairs, "\n".join(f"{a} <-> {b}" for a, b in pairs)
    assert "clerkapp.ui.launch" in uses["clerkapp.ui.mainwindow"]  # the scan sees the edge


def test_no_test_data_generator_in_the_product():
    """Made-up data is for tests and benchmarks (`bench/`), never shipped in the package."""
    makers = [p.relative_to(REPO_ROOT) for p in _modules()
              if p.stem in {"testdata", "synthetic", "fake", "fakes"}]
    assert not makers
