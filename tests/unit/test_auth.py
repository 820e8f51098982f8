"""The one SECRET_TOKEN bearer rule (suno.auth) that every door applies."""

from __future__ import annotations

import pytest

from suno.auth import bearer_matches, bearer_token, is_authorized


def test_bearer_with_the_exact_token_matches() -> None:
    assert bearer_matches("Bearer s3cret", "s3cret")


@pytest.mark.parametrize(
    "header",
    [
        "bearer s3cret",
        "BEARER s3cret",
        "Bearer  s3cret",
        " Bearer s3cret",
        "Bearer s3cret ",
        "Bearer s3cret\t",
    ],
)
def test_the_scheme_is_case_insensitive_and_spaces_around_are_optional(header: str) -> None:
    # RFC 7235: case-insensitive scheme, 1*SP before the credentials; HTTP strips the value's OWS.
    assert bearer_matches(header, "s3cret")


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "s3cret",
        "Bearer",
        "Bearer ",
        "Basic s3cret",
        "Bearer s3cre",
        "Bearer s3cretx",
        "Bearers3cret",
        42,
    ],
)
def test_anything_but_a_bearer_with_the_token_is_refused(header: object) -> None:
    assert not bearer_matches(header, "s3cret")


def test_tokens_starting_with_bearer_letters_still_work() -> None:
    # The original's TrimLeft("Bearer ") ate these leading characters.
    assert bearer_matches("Bearer Bearer-rab", "Bearer-rab")
    assert bearer_token("Bearer Bearer-rab") == "Bearer-rab"


def test_an_empty_secret_never_matches_a_header() -> None:
    assert not bearer_matches("Bearer ", "")
    assert not bearer_matches("Bearer x", "")


def test_no_secret_configured_lets_everyone_in() -> None:
    assert is_authorized(None, "")
    assert is_authorized("Basic whatever", "")


def test_a_configured_secret_requires_the_header() -> None:
    assert not is_authorized(None, "tok")
    assert not is_authorized("Bearer nope", "tok")
    assert is_authorized("Bearer tok", "tok")
    assert is_authorized("bearer tok", "tok")
