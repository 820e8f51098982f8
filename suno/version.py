"""sunoql's version, read from the installed package's metadata (pyproject.toml is the one place it is written)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("sunoql")
except PackageNotFoundError:  # a source tree run without `pip install`
    VERSION = "0+unknown"
