"""The exceptions the core raises; each front door maps them to its own error shape in one place.

SunoError
 ├── InvalidRequest          the caller's input is wrong (field names the culprit)
 ├── TaskNotFound            no task with that id
 ├── NoAccountAvailable      every account is busy or cooling down (the task waits, it is not lost)
 │    └── ChallengePending    the account waits for a captcha solution (the task waits, unsent)
 ├── SettingsError           a setting is invalid (raised at start-up)
 ├── StoreUnavailable        the database does not answer (down, restarting, pool exhausted): retry soon
 └── UpstreamError           Suno (or Clerk) refused or failed
      ├── AuthExpired          credentials no longer accepted (401 after one re-auth)
      ├── CaptchaRequired      Suno or Clerk wants a captcha (422 "Token validation failed", requires_captcha)
      ├── InsufficientCredits  402 / not enough credits
      ├── RateLimited          429; carries retry_after seconds
      ├── UpstreamUnavailable  5xx, timeouts, connection errors
      ├── UpstreamProtocolError  a reply we cannot parse
      ├── SubmitOutcomeUnknown  a paid call went out and its answer was lost (it may have been charged)
      └── UpstreamRejected     any other 4xx, with Suno's own message
"""

from __future__ import annotations


class SunoError(Exception):
    """Base of every error the core raises on purpose. `str(error)` is safe to show a user."""

    code = "INTERNAL"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRequest(SunoError):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class TaskNotFound(SunoError):
    code = "NOT_FOUND"

    def __init__(self, task_id: str) -> None:
        super().__init__(f"task {task_id!r} does not exist")
        self.task_id = task_id


class NoAccountAvailable(SunoError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, waiting_reason: str = "all slots busy") -> None:
        super().__init__(message)
        # What a waiting task shows as its waiting_reason.
        self.waiting_reason = waiting_reason


class ChallengePending(NoAccountAvailable):
    def __init__(self, account: str) -> None:
        reason = f"waiting for a captcha solution on account {account}"
        super().__init__(f"no Suno account can take the job now ({reason})", reason)
        self.account = account


class SettingsError(SunoError):
    code = "INTERNAL"


class StoreUnavailable(SunoError):
    """The store cannot be reached now; raised by `suno.store` in place of the driver's error, whose text
    (host names, addresses) stays in the log. Nothing was written: the caller may try again."""

    code = "SERVICE_UNAVAILABLE"
    # Seconds a caller is told to wait (Retry-After): about how long a restart or failover takes.
    retry_after = 5

    def __init__(self, message: str = "the database is unavailable right now; try again shortly") -> None:
        super().__init__(message)


class UpstreamError(SunoError):
    code = "UPSTREAM_ERROR"
    # The fail_reason stored on a task that this error ended.
    reason = "upstream_error"
    status_code: int | None = None
    # Set by the service when this error ended a stored task.
    task_id: str | None = None

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class AuthExpired(UpstreamError):
    reason = "auth_expired"


class CaptchaRequired(UpstreamError):
    reason = "captcha_required"


class InsufficientCredits(UpstreamError):
    reason = "insufficient_credits"


class RateLimited(UpstreamError):
    code = "RATE_LIMITED"
    reason = "rate_limited"

    def __init__(self, message: str, retry_after: float | None = None, status_code: int | None = 429) -> None:
        super().__init__(message, status_code)
        self.retry_after = retry_after


class UpstreamUnavailable(UpstreamError):
    reason = "upstream_unavailable"


class UpstreamProtocolError(UpstreamError):
    reason = "upstream_protocol_error"


class UpstreamRejected(UpstreamError):
    reason = "upstream_rejected"


class SubmitOutcomeUnknown(UpstreamError):
    """A paid call was sent and its answer lost: never resend it; look for its effect instead."""

    reason = "outcome_unknown"

    def __init__(self, message: str, account: str, status_code: int | None = None) -> None:
        super().__init__(message, status_code)
        self.account = account
