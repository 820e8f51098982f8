from __future__ import annotations

import json
import logging

import httpx
import pytest

from suno.errors import (
    AuthExpired,
    CaptchaRequired,
    InsufficientCredits,
    RateLimited,
    SubmitOutcomeUnknown,
    UpstreamProtocolError,
    UpstreamRejected,
    UpstreamUnavailable,
)
from suno.models import MusicRequest, VocalGender
from suno.upstream.client import SunoClient
from suno.upstream.types import TURNSTILE, CaptchaToken, ChallengeCheck

from .conftest import BASE, CLIENT_COOKIE, COOKIE, SESSION_ID


def clip(clip_id: str, status: str = "submitted", **extra: object) -> dict[str, object]:
    return {"id": clip_id, "status": status, "metadata": {"tags": "pop", "duration": None}, **extra}


def generate_reply(*ids: str) -> httpx.Response:
    return httpx.Response(200, json={"id": "batch", "clips": [clip(i) for i in ids], "status": "complete"})


def sent_json(route) -> dict[str, object]:
    body: dict[str, object] = json.loads(route.calls.last.request.content)
    return body


async def test_generate_custom_mode_sends_lyrics_title_tags_and_web_headers(client, mocked):
    route = mocked.post(f"{BASE}/api/generate/v2/").mock(return_value=generate_reply("a", "b"))
    request = MusicRequest(
        prompt="[Verse] hi", title="Hi", tags="pop", negative_tags="metal", vocal_gender=VocalGender.FEMALE
    )
    clips = await client.generate(request)
    assert [c.id for c in clips] == ["a", "b"]
    body = sent_json(route)
    assert body["prompt"] == "[Verse] hi" and body["title"] == "Hi"
    assert body["tags"] == "pop, female vocals"
    assert body["negative_tags"] == "metal"
    assert body["mv"] == "chirp-hawk" and body["make_instrumental"] is False  # v6 when none is named
    assert body["generation_type"] == "TEXT" and body["token"] is None
    assert "gpt_description_prompt" not in body and "task" not in body
    headers = route.calls.last.request.headers
    assert headers["authorization"].startswith("Bearer ")
    assert headers["device-id"] == "device-1234"
    assert headers["origin"] == "https://suno.com" and headers["referer"] == "https://suno.com/"
    assert "Mozilla" in headers["user-agent"]


async def test_generate_description_mode_sends_only_the_description(client, mocked):
    route = mocked.post(f"{BASE}/api/generate/v2/").mock(return_value=generate_reply("a", "b"))
    await client.generate(MusicRequest(gpt_description_prompt="a song about rain", make_instrumental=True))
    body = sent_json(route)
    assert body["prompt"] == "" and body["gpt_description_prompt"] == "a song about rain"
    assert "tags" not in body and "title" not in body
    assert body["make_instrumental"] is True


async def test_generate_continuation_sends_extend_task(client, mocked):
    route = mocked.post(f"{BASE}/api/generate/v2/").mock(return_value=generate_reply("c", "d"))
    await client.generate(MusicRequest(prompt="more", continue_clip_id="src", continue_at=109.96))
    body = sent_json(route)
    assert body["continue_clip_id"] == "src" and body["continue_at"] == 109.96 and body["task"] == "extend"


async def test_generate_sends_the_captcha_providers_token_and_its_provider(http, clock, mocked, client):
    class Provider:
        async def captcha_token(self, account: str) -> CaptchaToken | None:
            return CaptchaToken(f"0.turnstile-for-{account}", TURNSTILE)

    client = SunoClient(auth=client.auth, http=http, base_url=BASE, captcha=Provider(), protocol="legacy")
    route = mocked.post(f"{BASE}/api/generate/v2/").mock(return_value=generate_reply("a", "b"))
    await client.generate(MusicRequest(prompt="x"))
    body = sent_json(route)
    assert (body["token"], body["token_provider"]) == ("0.turnstile-for-default", 2)


async def test_generate_without_a_challenge_sends_a_null_token_and_no_provider(client, mocked):
    route = mocked.post(f"{BASE}/api/generate/v2/").mock(return_value=generate_reply("a", "b"))
    await client.generate(MusicRequest(prompt="x"))
    body = sent_json(route)
    assert body["token"] is None and "token_provider" not in body


async def test_captcha_check_reads_required_and_the_version(client, mocked):
    reply = {"required": True, "captcha_version": 2}
    mocked.post(f"{BASE}/api/c/check").mock(return_value=httpx.Response(200, json=reply))
    assert await client.captcha_check() == ChallengeCheck(required=True, version=2)


async def test_generate_is_never_retried(client, mocked):
    route = mocked.post(f"{BASE}/api/generate/v2/").mock(return_value=httpx.Response(500))
    with pytest.raises(UpstreamUnavailable):
        await client.generate(MusicRequest(prompt="x"))
    assert route.call_count == 1


@pytest.mark.parametrize(
    "outcome",
    [
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("reset"),
        httpx.ReadError("reset"),
        httpx.Response(502),
        httpx.Response(503),
        httpx.Response(504),
        httpx.Response(200, content=b'{"clips": [{"id": '),
        httpx.Response(200, json={"status": "complete"}),
    ],
)
async def test_a_lost_generate_answer_is_outcome_unknown_and_not_retried(client, mocked, outcome):
    mock = {"side_effect": outcome} if isinstance(outcome, Exception) else {"return_value": outcome}
    route = mocked.post(f"{BASE}/api/generate/v2/").mock(**mock)
    with pytest.raises(SubmitOutcomeUnknown) as caught:
        await client.generate(MusicRequest(prompt="x"))
    assert route.call_count == 1 and caught.value.account == "default"
    assert caught.value.reason == "outcome_unknown"


@pytest.mark.parametrize("never_sent", [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow")])
async def test_a_generate_that_never_connected_is_unavailable(client, mocked, never_sent):
    route = mocked.post(f"{BASE}/api/generate/v2/").mock(side_effect=never_sent)
    with pytest.raises(UpstreamUnavailable):
        await client.generate(MusicRequest(prompt="x"))
    assert route.call_count == 1


async def test_feed_chunks_ids_by_batch_size_with_raw_commas(client, mocked):
    def reply(request: httpx.Request) -> httpx.Response:
        ids = request.url.params["ids"].split(",")
        return httpx.Response(200, json={"clips": [clip(i, "streaming", extra_field=1) for i in ids]})

    route = mocked.get(url__startswith=f"{BASE}/api/feed/v2").mock(side_effect=reply)
    clips = await client.feed(["a", "b", "c", "a"])
    assert [c.id for c in clips] == ["a", "b", "c"]
    assert route.call_count == 2
    assert "ids=a,b" in str(route.calls[0].request.url)
    assert clips[0].raw["extra_field"] == 1  # unknown fields survive


async def test_feed_accepts_the_bare_list_shape(client, mocked):
    mocked.get(url__startswith=f"{BASE}/api/feed/v2").mock(
        return_value=httpx.Response(200, json=[clip("a", "complete")])
    )
    assert [c.status for c in await client.feed(["a"])] == ["complete"]


async def test_feed_of_nothing_sends_nothing(client, mocked):
    route = mocked.get(url__startswith=f"{BASE}/api/feed/v2")
    assert await client.feed([]) == []
    assert route.call_count == 0


async def test_feed_retries_server_errors_with_backoff(client, clock, mocked):
    route = mocked.get(url__startswith=f"{BASE}/api/feed/v2").mock(
        side_effect=[
            httpx.Response(502),
            httpx.ConnectError("reset"),
            httpx.Response(200, json={"clips": []}),
        ]
    )
    assert await client.feed(["a"]) == []
    assert route.call_count == 3
    assert clock.slept == [0.5, 1.0]


async def test_feed_gives_up_after_a_bounded_number_of_attempts(client, mocked):
    route = mocked.get(url__startswith=f"{BASE}/api/feed/v2").mock(return_value=httpx.Response(500))
    with pytest.raises(UpstreamUnavailable):
        await client.feed(["a"])
    assert route.call_count == 3


async def test_clip_accepts_bare_and_wrapped_shapes(client, mocked):
    mocked.get(f"{BASE}/api/clip/a").mock(return_value=httpx.Response(200, json=clip("a", "complete")))
    mocked.get(f"{BASE}/api/clip/b").mock(return_value=httpx.Response(200, json={"clip": clip("b", "error")}))
    assert (await client.clip("a")).status == "complete"
    assert (await client.clip("b")).status == "error"


async def test_lyrics_submit_and_result(client, mocked):
    submit = mocked.post(f"{BASE}/api/generate/lyrics/").mock(
        return_value=httpx.Response(200, json={"id": "L1"})
    )
    mocked.get(f"{BASE}/api/generate/lyrics/L1").mock(
        return_value=httpx.Response(200, json={"text": "[Verse] la", "title": "La", "status": "complete"})
    )
    assert await client.generate_lyrics("rain") == "L1"
    assert sent_json(submit) == {"prompt": "rain"}
    lyrics = await client.lyrics_result("L1")
    assert (lyrics.id, lyrics.title, lyrics.is_complete) == ("L1", "La", True)


@pytest.mark.parametrize(
    ("body", "credits"),
    [({"total_credits_left": 40, "credits_left": 0}, 40), ({"credits_left": 30}, 30), ({}, None)],
)
async def test_billing_reads_either_credits_field(client, mocked, body, credits):
    extra = {"monthly_limit": 50, "monthly_usage": 10, "period": "day", "is_active": True}
    mocked.get(f"{BASE}/api/billing/info/").mock(return_value=httpx.Response(200, json={**body, **extra}))
    billing = await client.billing()
    assert billing.credits_left == credits
    assert (billing.monthly_limit, billing.monthly_usage, billing.period, billing.is_active) == (
        50,
        10,
        "day",
        True,
    )


async def test_extras_concat_aligned_lyrics_and_stems(client, mocked):
    concat = mocked.post(f"{BASE}/api/generate/concat/v2/").mock(
        return_value=httpx.Response(200, json=clip("whole"))
    )
    mocked.get(f"{BASE}/api/gen/a/aligned_lyrics/v2/").mock(
        return_value=httpx.Response(
            200,
            json={
                "aligned_words": [{"word": "la", "start_s": 0.5, "end_s": 1, "success": True, "p_align": 1}]
            },
        )
    )
    mocked.post(f"{BASE}/api/edit/stems/a").mock(
        return_value=httpx.Response(200, json={"clips": [clip("v"), clip("i")]})
    )
    assert (await client.concat("a")).id == "whole"
    assert sent_json(concat) == {"clip_id": "a"}
    words = await client.aligned_lyrics("a")
    assert (words[0].word, words[0].start_s, words[0].end_s) == ("la", 0.5, 1.0)
    assert [c.id for c in await client.stems("a")] == ["v", "i"]


async def test_unauthorized_triggers_one_reauth_then_succeeds(client, clock, mocked):
    clock.advance(0)
    route = mocked.get(f"{BASE}/api/billing/info/").mock(
        side_effect=[
            httpx.Response(401, json={"detail": "Unauthorized"}),
            httpx.Response(200, json={"credits_left": 5}),
        ]
    )
    await client.auth.token()
    clock.advance(30)  # beyond the minimum interval between exchanges
    assert (await client.billing()).credits_left == 5
    assert route.call_count == 2
    assert client.auth.exchange_count == 2
    first, second = (call.request.headers["authorization"] for call in route.calls)
    assert first != second


async def test_unauthorized_twice_is_auth_expired(client, clock, mocked):
    mocked.get(f"{BASE}/api/billing/info/").mock(
        return_value=httpx.Response(401, json={"detail": "Unauthorized"})
    )
    await client.auth.token()
    clock.advance(30)
    with pytest.raises(AuthExpired) as caught:
        await client.billing()
    assert client.auth.exchange_count == 2
    assert "fresh COOKIE" in str(caught.value)


@pytest.mark.parametrize(
    ("status", "body", "headers", "error", "words"),
    [
        (402, {"detail": "Insufficient credits."}, {}, InsufficientCredits, "credits"),
        (422, {"detail": "Token validation failed."}, {}, CaptchaRequired, "captcha"),
        (422, {"detail": [{"loc": ["body", "mv"], "msg": "bad model"}]}, {}, UpstreamRejected, "bad model"),
        (429, {"detail": "Too many running jobs"}, {"Retry-After": "12"}, RateLimited, "retry after 12"),
        (400, {"detail": "Prompt too long"}, {}, UpstreamRejected, "Prompt too long"),
        (500, {"detail": "down"}, {}, UpstreamUnavailable, "500"),
    ],
)
async def test_http_errors_map_to_typed_errors(client, mocked, status, body, headers, error, words):
    mocked.post(f"{BASE}/api/generate/v2/").mock(
        return_value=httpx.Response(status, json=body, headers=headers)
    )
    with pytest.raises(error) as caught:
        await client.generate(MusicRequest(prompt="x"))
    message = str(caught.value)
    assert words in message
    assert caught.value.status_code == status
    for secret in (COOKIE, CLIENT_COOKIE, SESSION_ID, client.auth.jwt):
        assert secret not in message
    if error is RateLimited:
        assert caught.value.retry_after == 12


async def test_malformed_json_is_a_protocol_error(client, mocked):
    mocked.get(url__startswith=f"{BASE}/api/feed/v2").mock(
        return_value=httpx.Response(200, content=b'{"clips": [')
    )
    with pytest.raises(UpstreamProtocolError, match="not valid JSON"):
        await client.feed(["a"])


async def test_unexpected_shape_is_a_protocol_error(client, mocked):
    mocked.get(url__startswith=f"{BASE}/api/feed/v2").mock(
        return_value=httpx.Response(200, json={"status": "complete"})
    )
    with pytest.raises(UpstreamProtocolError):
        await client.feed(["a"])


async def test_debug_logs_name_calls_but_never_secrets(client, mocked, caplog):
    mocked.get(url__startswith=f"{BASE}/api/feed/v2").mock(
        return_value=httpx.Response(200, json={"clips": []})
    )
    with caplog.at_level(logging.DEBUG, logger="suno.upstream"):
        await client.feed(["a"])
    text = caplog.text
    assert "/api/feed/v2" in text and "token exchange" in text
    for secret in (COOKIE, CLIENT_COOKIE, SESSION_ID, client.auth.jwt):
        assert secret not in text
