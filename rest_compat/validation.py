"""pydantic's validation errors and JSON values as words a person reads: "ids[0] must be a string, got a number"."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError


def explain_validation_error(error: ValidationError) -> str:
    """A sentence a person understands from pydantic's first error, naming the field."""
    first = error.errors(include_url=False)[0]
    location = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in first.get("loc", ())
    ).lstrip(".")
    kind = str(first.get("type", ""))
    value = first.get("input")
    limits: dict[str, Any] = dict(first.get("ctx") or {})
    if kind == "missing":
        message = "is required"
    elif kind in _EXPECTED:
        message = f"must be {_EXPECTED[kind]}, got {json_kind(value)}"
    elif kind == "string_too_long":
        length = len(value) if isinstance(value, str) else "too many"
        message = f"is too long: {length} characters, at most {limits.get('max_length')}"
    elif kind == "too_long":
        message = f"has too many items: {limits.get('actual_length')}, at most {limits.get('max_length')}"
    elif kind == "too_short":
        message = f"needs at least {limits.get('min_length')} item(s), got {limits.get('actual_length')}"
    elif kind in ("literal_error", "enum"):
        message = f"must be one of {limits.get('expected')}, got {value!r}"
    elif kind == "greater_than_equal":
        bound = limits.get("ge")
        message = f"must be {bound:g} or more" if isinstance(bound, int | float) else "is too small"
    else:
        text = str(first.get("msg", "is invalid"))
        message = text[:1].lower() + text[1:]
    return f"{location} {message}" if location else message


_EXPECTED = {
    "string_type": "a string",
    "bool_type": "true or false",
    "float_type": "a number",
    "int_type": "a whole number",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "none_required": "null",
}


def json_kind(value: Any) -> str:
    """How a JSON value is named in a message: 'a string', 'a list', 'null'."""
    if value is None:
        return "null"
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }
    return names.get(type(value), type(value).__name__)
