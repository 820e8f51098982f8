"""Reading a tool call's arguments: each value checked against its type, with a message a model can act on."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any


class ToolInputError(Exception):
    """A tool was called with arguments it cannot use; the message says which and how to fix it."""


class Arguments:
    """The arguments of one call; unknown names are refused (a misspelt field must not pass unseen)."""

    def __init__(self, tool: str, values: Mapping[str, Any] | None, known: Sequence[str]) -> None:
        self.tool = tool
        self.values = dict(values or {})
        unknown = sorted(set(self.values) - set(known))
        if unknown:
            raise ToolInputError(
                f"{tool} has no argument {', '.join(map(repr, unknown))}; "
                f"its arguments are: {', '.join(known) or 'none'}"
            )

    def text(self, name: str, *, required: bool = False) -> str:
        value = self.values.get(name)
        if value is None:
            if required:
                raise ToolInputError(f"{self.tool} needs {name!r} (a string)")
            return ""
        if not isinstance(value, str):
            raise ToolInputError(f"{name} must be a string, got {_kind(value)}")
        if required and not value.strip():
            raise ToolInputError(f"{name} is empty: {self.tool} needs it")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise ToolInputError(f"{name} must be true or false, got {_kind(value)}")
        return value

    def number(self, name: str, *, low: float, high: float, default: float | None = None) -> float | None:
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ToolInputError(f"{name} must be a number, got {_kind(value)}")
        if not low <= value <= high:
            raise ToolInputError(f"{name} must be between {low:g} and {high:g}, got {value:g}")
        return float(value)

    def integer(self, name: str, *, low: int, high: int, default: int) -> int:
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ToolInputError(f"{name} must be a whole number, got {_kind(value)}")
        if not low <= value <= high:
            raise ToolInputError(f"{name} must be between {low} and {high}, got {value}")
        return value

    def choices(self, name: str, allowed: Sequence[str]) -> list[str]:
        """A list of allowed words (one word alone counts as a list of one), upper or lower case."""
        value = self.values.get(name)
        if value is None:
            return []
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise ToolInputError(f"{name} must be a list of strings, got {_kind(value)}")
        words = [item.strip().upper() for item in items]
        wrong = [item for item in words if item not in allowed]
        if wrong:
            raise ToolInputError(f"{name}: {', '.join(map(repr, wrong))} is not one of {', '.join(allowed)}")
        return list(dict.fromkeys(words))


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value:g})"
    if isinstance(value, str):
        return f"a string ({value[:40]!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
