"""What ships: every local package the app imports is in pyproject's package list and the Docker context."""

from __future__ import annotations

import ast
import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def local_packages_imported_by_the_app() -> set[str]:
    """Top-level local packages reachable from app.py through imports (lazy ones included)."""
    local = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    found: set[str] = set()
    pending = [ROOT / "app.py"]
    while pending:
        for node in ast.walk(ast.parse(pending.pop().read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for top in {name.split(".")[0] for name in names} & local - found:
                found.add(top)
                pending += (ROOT / top).rglob("*.py")
    return found


def test_every_package_the_app_imports_is_installed_by_pip() -> None:
    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    packages = local_packages_imported_by_the_app()
    assert {"suno", "simulator"} <= packages
    missing = {p for p in packages if not any(fnmatch.fnmatch(p, rule) for rule in include["include"])}
    assert not missing


def test_every_package_the_app_imports_is_in_the_docker_build_context() -> None:
    allowed = {line[1:] for line in (ROOT / ".dockerignore").read_text().splitlines() if line.startswith("!")}
    assert not local_packages_imported_by_the_app() - allowed
