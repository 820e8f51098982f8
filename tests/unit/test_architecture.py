"""The layout's rules, read from the source: no import cycles, and each package imports only what it may.

The map is `ARCHITECTURE.md`: the core (`suno/`) imports no door, no simulator, no `ops/` and no web
framework; a door imports the core and its own package, never another door; only `app.py` sees every
package. Every import counts, function-local ones too: a cycle hidden inside a function is still a cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE_PACKAGES = ("suno", "simulator", "schema", "resolvers", "rest_compat", "ops")
WEB_LIBRARIES = ("starlette", "strawberry", "jinja2", "uvicorn", "prometheus_client", "pydantic")

# package → the first-party packages it may import (itself always).
MAY_IMPORT: dict[str, set[str]] = {
    "suno": set(),
    "simulator": {"suno"},
    "schema": {"suno", "resolvers"},
    "resolvers": {"suno", "schema"},
    "rest_compat": {"suno"},
    # Operations (middleware, build tooling) may see every package; nothing but app.py imports ops.
    "ops": {"suno", "simulator", "schema", "resolvers", "rest_compat"},
}


def source_modules() -> dict[str, Path]:
    """Dotted module name → file, for app.py and every source package."""
    modules = {"app": ROOT / "app.py"}
    for package in SOURCE_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue  # Alembic loads these by path; they import nothing of ours that imports back
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def imported_names(path: Path, module: str) -> Iterator[str]:
    """Every absolute module name `path` imports (relative imports resolved), `from X import Y` as X.Y too."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    modules = source_modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        names = set(imported_names(path, module))
        # `from pkg import sub` imports the submodule; it is an edge to the package only for a name in it.
        targets = {name for name in names if name in modules}
        targets -= {name.rpartition(".")[0] for name in targets if _names_submodule(name, names, modules)}
        graph[module] = targets - {module}
    return graph


def _names_submodule(name: str, names: set[str], modules: dict[str, Path]) -> bool:
    package = name.rpartition(".")[0]
    siblings = [other for other in names if other.rpartition(".")[0] == package]
    return package in modules and all(other in modules for other in siblings)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for neighbour in sorted(graph[node]):
            if neighbour not in index:
                visit(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in on_stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_source_has_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_each_package_imports_only_what_it_may(package: str) -> None:
    allowed = {package, *MAY_IMPORT[package]}
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        if module.split(".")[0] == package
        for target in targets
        if target.split(".")[0] not in allowed
    )
    assert wrong == []


def test_only_the_composition_root_imports_ops_and_nothing_imports_it() -> None:
    graph = import_graph()
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if (target == "app" or (target.split(".")[0] == "ops" and module.split(".")[0] not in {"ops", "app"}))
    )
    assert wrong == []


def test_the_core_imports_no_web_framework() -> None:
    wrong = sorted(
        f"{module} imports {name}"
        for module, path in source_modules().items()
        if module.split(".")[0] == "suno"
        for name in imported_names(path, module)
        if name.split(".")[0] in WEB_LIBRARIES
    )
    assert wrong == []
