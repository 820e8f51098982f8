"""Exceptions become GraphQL errors with extensions.code; internal details never reach the client."""

from __future__ import annotations

import pytest
from graphql import GraphQLError

from schema.errors import INTERNAL_MESSAGE, coded_error, graphql_field_name
from suno.errors import (
    AuthExpired,
    CaptchaRequired,
    InsufficientCredits,
    InvalidRequest,
    NoAccountAvailable,
    RateLimited,
    SunoError,
    TaskNotFound,
    UpstreamRejected,
    UpstreamUnavailable,
)


def raised_in_resolver(error: Exception) -> GraphQLError:
    return GraphQLError(str(error), path=["generateMusic"], original_error=error)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InvalidRequest("prompt is empty", field="prompt"), "BAD_USER_INPUT"),
        (TaskNotFound("abc"), "NOT_FOUND"),
        (RateLimited("slow down", retry_after=3.0), "RATE_LIMITED"),
        (NoAccountAvailable("every account is busy"), "RATE_LIMITED"),
        (AuthExpired("Suno no longer accepts the cookie", 401), "UPSTREAM_ERROR"),
        (CaptchaRequired("Suno asks for a captcha", 422), "UPSTREAM_ERROR"),
        (InsufficientCredits("Insufficient credits.", 402), "UPSTREAM_ERROR"),
        (UpstreamUnavailable("Suno did not answer in 60 s"), "UPSTREAM_ERROR"),
        (UpstreamRejected("Lyrics contain a banned word", 400), "UPSTREAM_ERROR"),
    ],
)
def test_core_errors_keep_their_readable_message_and_get_their_code(error: SunoError, code: str) -> None:
    shown = coded_error(raised_in_resolver(error))
    assert shown.message == error.message
    assert shown.extensions is not None and shown.extensions["code"] == code
    assert shown.original_error is None


def test_bad_input_names_the_graphql_field_not_the_original_one() -> None:
    assert coded_error(raised_in_resolver(InvalidRequest("bad", field="mv"))).extensions == {
        "code": "BAD_USER_INPUT",
        "field": "model",
    }
    assert graphql_field_name("gpt_description_prompt") == "gptDescriptionPrompt"
    assert graphql_field_name("task_id") == "continueTaskId"
    assert graphql_field_name("first") == "first"


def test_upstream_errors_name_the_task_they_failed_and_the_upstream_status() -> None:
    error = InsufficientCredits("Insufficient credits.", 402)
    error.task_id = "task-1"
    extensions = coded_error(raised_in_resolver(error)).extensions
    assert extensions == {
        "code": "UPSTREAM_ERROR",
        "reason": "insufficient_credits",
        "taskId": "task-1",
        "upstreamStatus": 402,
    }


def test_rate_limits_tell_when_to_retry() -> None:
    extensions = coded_error(raised_in_resolver(RateLimited("slow down", retry_after=7.5))).extensions
    assert extensions is not None and extensions["retryAfter"] == 7.5


def test_unexpected_exceptions_are_masked_as_internal() -> None:
    shown = coded_error(raised_in_resolver(RuntimeError("connection string postgres://user:pw@db")))
    assert shown.message == INTERNAL_MESSAGE
    assert shown.extensions == {"code": "INTERNAL"}
    assert "pw" not in str(shown.formatted)


def test_graphql_core_errors_are_classified_by_their_stage() -> None:
    syntax = coded_error(GraphQLError("Syntax Error: Expected Name, found <EOF>."))
    variables = coded_error(GraphQLError("Variable '$id' of required type 'ID!' was not provided."))
    validation = coded_error(GraphQLError("Cannot query field 'nope' on type 'Query'."))
    assert syntax.extensions == {"code": "GRAPHQL_PARSE_FAILED"}
    assert variables.extensions == {"code": "BAD_USER_INPUT"}
    assert validation.extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert validation.message == "Cannot query field 'nope' on type 'Query'."


def test_a_code_given_on_purpose_is_kept() -> None:
    shown = coded_error(GraphQLError("no", extensions={"code": "UNAUTHENTICATED"}))
    assert shown.extensions == {"code": "UNAUTHENTICATED"}
