"""The envelope's two forms, the one mapping of core errors to replies, and the legacy views of domain values."""

from __future__ import annotations

import json

import pytest
from starlette.responses import JSONResponse

from rest_compat.legacy.errors import Envelope, Failure, failure_for
from rest_compat.legacy.views import account_data, mask, task_item
from suno.config import RestEnvelope
from suno.errors import (
    AuthExpired,
    CaptchaRequired,
    InsufficientCredits,
    InvalidRequest,
    NoAccountAvailable,
    RateLimited,
    SettingsError,
    TaskNotFound,
    UpstreamError,
    UpstreamProtocolError,
    UpstreamRejected,
    UpstreamUnavailable,
)
from suno.models import (
    AccountSecrets,
    AccountStatus,
    Clip,
    Lyrics,
    LyricsRequest,
    MusicRequest,
    Task,
    TaskAction,
    TaskStatus,
)


def body(response: JSONResponse) -> object:
    return json.loads(bytes(response.body))


def test_readme_envelope_carries_200_and_success() -> None:
    reply = Envelope(RestEnvelope.README).ok("id-1")
    assert reply.status_code == 200 and body(reply) == {"code": 200, "message": "success", "data": "id-1"}


def test_relay_envelope_carries_the_word_success_and_an_empty_message() -> None:
    reply = Envelope(RestEnvelope.RELAY).ok(["x"])
    assert body(reply) == {"code": "success", "message": "", "data": ["x"]}


def test_errors_use_the_status_or_the_relay_word_with_null_data() -> None:
    failure = Failure(404, "task not exist", "invalid_request")
    assert body(Envelope(RestEnvelope.README).fail(failure)) == {
        "code": 404,
        "message": "task not exist",
        "data": None,
    }
    relay = Envelope(RestEnvelope.RELAY).fail(failure)
    assert relay.status_code == 404
    assert body(relay) == {"code": "invalid_request", "message": "task not exist", "data": None}


@pytest.mark.parametrize(
    ("error", "status", "relay_code"),
    [
        (InvalidRequest("prompt is empty", "prompt"), 400, "invalid_request"),
        (TaskNotFound("abc"), 404, "invalid_request"),
        (RateLimited("slow down", retry_after=2.5), 429, "rate_limited"),
        (NoAccountAvailable("every account is busy"), 429, "rate_limited"),
        (InsufficientCredits("Insufficient credits.", 402), 402, "insufficient_credits"),
        (CaptchaRequired("Token validation failed.", 422), 502, "captcha_required"),
        (AuthExpired("Unauthorized", 401), 502, "auth_expired"),
        (UpstreamRejected("bad prompt", 400), 422, "upstream_rejected"),
        (UpstreamUnavailable("timed out"), 503, "upstream_unavailable"),
        (UpstreamProtocolError("not JSON"), 502, "upstream_error"),
        (UpstreamError("odd"), 502, "upstream_error"),
        (SettingsError("COOKIE: bad"), 500, "internal_error"),
        (RuntimeError("secret cookie=abc"), 500, "internal_error"),
    ],
)
def test_every_core_error_maps_to_a_status_and_a_code(error: Exception, status: int, relay_code: str) -> None:
    failure = failure_for(error)
    assert (failure.status, failure.relay_code) == (status, relay_code)
    if status == 500:
        assert failure.message == "internal error"  # nothing internal leaks


def test_a_rate_limit_says_when_to_retry_and_a_failed_task_is_named() -> None:
    assert failure_for(RateLimited("slow down", retry_after=2.5)).headers == {"Retry-After": "3"}
    error = InsufficientCredits("Insufficient credits.", 402)
    error.task_id = "t-1"
    assert "(task t-1 is stored as FAILURE)" in failure_for(error).message


@pytest.mark.parametrize(
    ("secret", "shown"),
    [
        ("", ""),
        ("short", "****"),
        ("sess_2abcdefghijklmnopq", "sess****nopq"),
        ("eyJhbGciOi.payload.sig_xyz1", "eyJh****xyz1"),
    ],
)
def test_secrets_are_masked_to_a_hint(secret: str, shown: str) -> None:
    assert mask(secret) == shown


def test_a_task_item_has_unix_seconds_and_zero_for_not_yet() -> None:
    task = Task(
        id="t-1",
        action=TaskAction.MUSIC,
        status=TaskStatus.QUEUED,
        request=MusicRequest(prompt="la"),
        clips=(Clip.from_upstream({"id": "c1", "status": "queued", "extra_field": 1}),),
        submit_time=1718205636.9,
    )
    assert task_item(task) == {
        "task_id": "t-1",
        "action": "MUSIC",
        "status": "QUEUED",
        "fail_reason": "",
        "submit_time": 1718205636,
        "start_time": 0,
        "finish_time": 0,
        "progress": "20%",
        "data": [{"id": "c1", "status": "queued", "extra_field": 1}],
        "waiting_reason": None,
    }


def test_a_lyrics_task_item_carries_the_lyrics_object_or_null_before_it_exists() -> None:
    waiting = Task(
        id="l-1", action=TaskAction.LYRICS, status=TaskStatus.SUBMITTED, request=LyricsRequest("rain")
    )
    assert task_item(waiting)["data"] is None
    done = Task(
        id="l-1",
        action=TaskAction.LYRICS,
        status=TaskStatus.SUCCESS,
        request=LyricsRequest("rain"),
        lyrics=Lyrics(id="up-1", status="complete", title="Rain", text="[Verse]"),
    )
    assert task_item(done)["data"] == {"id": "up-1", "status": "complete", "title": "Rain", "text": "[Verse]"}


def test_account_data_reports_an_unhealthy_account_and_unknown_figures_as_zero() -> None:
    statuses = [AccountStatus(name="main", healthy=False, last_error="captcha required")]
    secrets = [
        AccountSecrets("main", "sess_abcdefghijklmnop", "__client=abcdefghijklmnop", "a.b.c", 1718205636.5)
    ]
    data = account_data(statuses, secrets, show_secrets=False)
    assert data["msg"] == "captcha required"
    assert data["certificate"] == {
        "session_id": "sess****mnop",
        "cookie": "__cl****mnop",
        "jwt": "****",
        "last_update": 1718205636,
        "credits_left": 0,
        "monthly_limit": 0,
        "monthly_usage": 0,
        "period": "",
        "is_active": False,
    }
    assert account_data([], [], show_secrets=False) == {
        "certificate": None,
        "msg": "no Suno account is configured",
        "accounts": [],
    }
