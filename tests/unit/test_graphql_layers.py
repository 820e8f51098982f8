"""Resolvers import the schema's types, never the other way: only the root types bind resolvers."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Query, Mutation and Subscription: each field names its root resolver.
BINDS_RESOLVERS = {"schema/root.py"}


def imported_modules(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def sources(package: str) -> dict[str, ast.Module]:
    return {
        str(path.relative_to(ROOT)): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def test_no_schema_module_but_the_root_types_imports_resolvers() -> None:
    offenders = [
        name
        for name, tree in sources("schema").items()
        if name not in BINDS_RESOLVERS
        and any(module.split(".")[0] == "resolvers" for module in imported_modules(tree))
    ]
    assert offenders == []


def test_schema_and_resolvers_import_only_at_module_level() -> None:
    local = [
        f"{name}:{inner.lineno}"
        for package in ("schema", "resolvers")
        for name, tree in sources(package).items()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
        if isinstance(inner, ast.Import | ast.ImportFrom)
    ]
    assert local == []
