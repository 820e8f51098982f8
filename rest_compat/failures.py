"""A REST-shaped door's error, and the one place core errors become an HTTP status and a message.

Each door writes a `Failure` in its own shape: the envelope on /suno (with `relay_code` for the relay
form), `{"error": …}` on gcui's /api.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from rest_compat.request_body import UnreadableBody
from rest_compat.validation import explain_validation_error
from suno.errors import (
    AuthExpired,
    CaptchaRequired,
    InsufficientCredits,
    InvalidRequest,
    NoAccountAvailable,
    RateLimited,
    StoreUnavailable,
    SunoError,
    TaskNotFound,
    UpstreamError,
    UpstreamRejected,
    UpstreamUnavailable,
)

log = logging.getLogger("sunoql.rest")

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Failure:
    """An error reply: HTTP status, the relay form's code word, a message for a person."""

    status: int
    message: str
    relay_code: str = "invalid_request"
    headers: dict[str, str] = field(default_factory=dict)


class RestFailure(Exception):
    """Raised inside a door's handler to answer with `failure` at once."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def bad_request(message: str) -> RestFailure:
    return RestFailure(Failure(400, message))


def parse(model: type[Model], fields: dict[str, Any]) -> Model:
    """`fields` as `model`, or a 400 naming the first field that is wrong."""
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise bad_request(explain_validation_error(error)) from None


UNAUTHORIZED = Failure(
    401,
    "unauthorized: send the header 'Authorization: Bearer <SECRET_TOKEN>'",
    headers={"WWW-Authenticate": "Bearer"},
)


# The upstream statuses `failure_for` answers, as each door's docs show them.
UPSTREAM_STATUSES: dict[int, str] = {
    402: "the Suno account has no credits left",
    422: "Suno rejected the request",
    429: "Suno is busy, try again later",
    502: "Suno refused: captcha required, or the account's credentials expired",
    503: "Suno is unreachable right now",
}


def failure_for(error: Exception) -> Failure:
    """The reply for an error raised by the core (or anything unexpected, masked)."""
    if isinstance(error, RestFailure):
        return error.failure
    if isinstance(error, UnreadableBody):
        return Failure(error.status, error.message)
    if isinstance(error, InvalidRequest):
        return Failure(400, error.message)
    if isinstance(error, TaskNotFound):
        return Failure(404, f"task not exist: no task with id {error.task_id!r}")
    if isinstance(error, UpstreamError | NoAccountAvailable):
        return _upstream_failure(error)
    if isinstance(error, StoreUnavailable):
        return store_unavailable(error)
    if isinstance(error, SunoError):
        log.error("core error on a REST route: %s", error.message)
        return Failure(500, "internal error", "internal_error")
    log.exception("unexpected error on a REST route", exc_info=error)
    return Failure(500, "internal error", "internal_error")


def store_unavailable(error: StoreUnavailable) -> Failure:
    """The database is away (a restart, a failover): 503 with Retry-After, the driver's words in the log."""
    log.warning("store unavailable on a REST route (%s)", type(error.__cause__).__name__)
    return Failure(503, error.message, "store_unavailable", {"Retry-After": str(error.retry_after)})


def _upstream_failure(error: SunoError) -> Failure:
    message = error.message
    task_id = getattr(error, "task_id", None)
    if task_id:
        message = f"{message} (task {task_id} is stored as FAILURE)"
    headers: dict[str, str] = {}
    if isinstance(error, RateLimited | NoAccountAvailable):
        retry_after = getattr(error, "retry_after", None)
        if isinstance(retry_after, int | float) and math.isfinite(retry_after) and retry_after > 0:
            headers["Retry-After"] = str(math.ceil(retry_after))
        return Failure(429, f"Suno is busy, try again later: {message}", "rate_limited", headers)
    if isinstance(error, InsufficientCredits):
        return Failure(402, f"the Suno account has no credits left: {message}", "insufficient_credits")
    if isinstance(error, CaptchaRequired):
        return Failure(
            502,
            f"Suno asks for a captcha: create one song in the browser with this account, then retry ({message})",
            "captcha_required",
        )
    if isinstance(error, AuthExpired):
        return Failure(
            502,
            f"Suno no longer accepts the account's COOKIE/SESSION_ID: update them ({message})",
            "auth_expired",
        )
    if isinstance(error, UpstreamRejected):
        return Failure(422, f"Suno rejected the request: {message}", "upstream_rejected")
    if isinstance(error, UpstreamUnavailable):
        return Failure(503, f"Suno is unreachable right now: {message}", "upstream_unavailable")
    return Failure(502, f"Suno answered with an error: {message}", "upstream_error")
