"""Import boundaries: the core never imports the simulator, and the simulator's modules form no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def imported_modules(path: Path) -> set[str]:
    """Absolute names a module imports; `from pkg import name` counts as importing `pkg`."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@pytest.mark.parametrize("path", sorted((ROOT / "suno").rglob("*.py")), ids=lambda p: module_name(p))
def test_no_core_module_imports_the_simulator(path: Path) -> None:
    wrong = {name for name in imported_modules(path) if name.split(".")[0] == "simulator"}
    assert not wrong


def test_the_simulator_package_has_no_import_cycle() -> None:
    graph = {
        module_name(path): {name for name in imported_modules(path) if name.split(".")[0] == "simulator"}
        for path in (ROOT / "simulator").rglob("*.py")
    }
    visiting: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        assert name not in visiting, "import cycle: " + " -> ".join([*visiting, name])
        if name in done or name not in graph:
            return
        visiting.append(name)
        for target in sorted(graph[name]):
            visit(target)
        visiting.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)
