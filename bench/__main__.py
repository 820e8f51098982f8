"""`python -m bench [name ...]` runs every benchmark in bench/ (or the named ones), one after another;
`python -m bench name --option ...` runs one with its own options (as `python -m bench.name --option ...`)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from collections.abc import Callable
from pathlib import Path


def benchmarks() -> dict[str, Callable[[list[str]], int]]:
    found = {}
    for module_info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"bench.{module_info.name}")
        entry = getattr(module, "main", None)
        if callable(entry):
            found[module_info.name] = entry
    return found


def main(argv: list[str]) -> int:
    available = benchmarks()
    first_option = next((index for index, arg in enumerate(argv) if arg.startswith("-")), len(argv))
    names, options = argv[:first_option], argv[first_option:]
    chosen = names or list(available)
    unknown = [name for name in chosen if name not in available]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}", file=sys.stderr
        )
        return 2
    if options and len(chosen) != 1:
        print("options go to one benchmark: python -m bench NAME --option ...", file=sys.stderr)
        return 2
    failures = 0
    for name in chosen:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        failures += available[name](options) != 0
        print(f"=== {name}: {time.perf_counter() - started:.1f} s ===", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
