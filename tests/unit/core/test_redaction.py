"""The one Redactor: secret values (fixed, or re-read from sources) and secret shapes leave any text."""

from __future__ import annotations

import httpx

from suno.redaction import Redactor
from suno.upstream.http import error_detail


def test_a_jwt_is_redacted_by_its_shape_even_when_nobody_declared_it() -> None:
    redact = Redactor()
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.Zm9vYmFyYmF6cXV4"
    assert redact(f"token={jwt} rest") == "token=[redacted] rest"


def test_secret_sources_are_reread_so_a_rotated_value_is_redacted() -> None:
    now = [0.0]
    current = ["first-secret-value"]
    redact = Redactor(clock=lambda: now[0])
    redact.add_source(lambda: current)
    assert redact("x first-secret-value") == "x [redacted]"
    current[0] = "second-secret-value"
    now[0] += 2.0
    assert redact("x second-secret-value") == "x [redacted]"


def test_short_values_are_not_treated_as_secrets() -> None:
    redact = Redactor()
    redact.add_source(lambda: ["abc", ""])
    assert redact("abc and more") == "abc and more"


def test_a_value_added_later_is_redacted_at_once_with_the_sources_still_read() -> None:
    now = [0.0]
    redact = Redactor(["the-first-cookie-value"], clock=lambda: now[0])
    redact.add_source(lambda: ["a-rotating-jwt-value"])
    assert redact("the-first-cookie-value a-rotating-jwt-value") == "[redacted] [redacted]"
    redact.add("a-freshly-issued-token")  # no second passes: an exchange's token is secret at once
    assert redact("got a-freshly-issued-token") == "got [redacted]"


def test_a_secret_containing_another_is_removed_whole() -> None:
    redact = Redactor(["cookie-part-one", "cookie-part-one-and-two"])
    assert redact("x cookie-part-one-and-two y") == "x [redacted] y"


def test_an_upstream_error_detail_loses_the_accounts_values_and_any_secret_shape() -> None:
    redact = Redactor(["account-cookie-0123"])
    body = {"detail": "cookie account-cookie-0123 for session sess_2abcdefghijklmnop expired"}
    detail = error_detail(httpx.Response(401, json=body), redact)
    assert detail == "cookie [redacted] for session [redacted] expired"
