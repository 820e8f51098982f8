"""The SECRET_TOKEN bearer check."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from rest_compat.auth import bearer_matches, is_authorized


def test_bearer_with_the_exact_token_matches() -> None:
    assert bearer_matches("Bearer s3cret", "s3cret")


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "s3cret",
        "Bearer",
        "Bearer ",
        "bearer s3cret",
        "Bearer  s3cret",
        "Bearer s3cret ",
        "Basic s3cret",
        "Bearer s3cre",
    ],
)
def test_anything_but_the_exact_bearer_is_refused(header: str | None) -> None:
    assert not bearer_matches(header, "s3cret")


def test_tokens_starting_with_bearer_letters_still_work() -> None:
    # The original's TrimLeft("Bearer ") ate these leading characters.
    assert bearer_matches("Bearer Bearer-rab", "Bearer-rab")


def test_an_empty_secret_never_matches_a_header() -> None:
    assert not bearer_matches("Bearer ", "")


def _request(headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": raw})


def test_no_secret_configured_lets_everyone_in() -> None:
    assert is_authorized(_request({}), "")


def test_a_configured_secret_requires_the_header() -> None:
    assert not is_authorized(_request({}), "tok")
    assert not is_authorized(_request({"Authorization": "Bearer nope"}), "tok")
    assert is_authorized(_request({"Authorization": "Bearer tok"}), "tok")
