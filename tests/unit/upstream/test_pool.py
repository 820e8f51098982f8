"""The pool against the simulator in-process (httpx's ASGI transport): fast, no sockets."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from simulator import SimulatorApp, SimulatorState, simulator_settings
from suno.config import Settings
from suno.errors import (
    CaptchaRequired,
    InsufficientCredits,
    NoAccountAvailable,
    RateLimited,
    UpstreamRejected,
)
from suno.models import MusicRequest
from suno.upstream import (
    AccountConfig,
    AccountPool,
    MusicSubmission,
    PooledAccount,
    Upstream,
    build_client,
    build_upstream,
)

from .conftest import FakeClock

SONG = MusicRequest(prompt="[Verse] la la", tags="pop")


@pytest.fixture
def sim_state(clock: FakeClock) -> SimulatorState:
    return SimulatorState(speed=100, clock=clock, token_ttl=3600, retry_after=30)


@pytest.fixture
async def sim_http(sim_state: SimulatorState) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=SimulatorApp(sim_state))
    async with httpx.AsyncClient(transport=transport) as client:
        yield client


def make_pool(http: httpx.AsyncClient, clock: FakeClock, *names: str, concurrency: int = 2) -> AccountPool:
    settings = simulator_settings(Settings(), "http://sim.test")
    accounts = []
    for name in names:
        config = AccountConfig(name, SimulatorState.cookie_for(name), max_concurrency=concurrency)
        accounts.append(PooledAccount(config, build_client(settings, config, http, clock=clock)))
    return AccountPool(accounts, clock=clock)


async def test_pool_satisfies_the_upstream_port(sim_http, clock):
    pool: Upstream = make_pool(sim_http, clock, "a")
    assert pool.account_names() == ["a"]


async def test_generate_picks_the_account_with_most_credits(sim_http, sim_state, clock):
    sim_state.account("poor").credits = 50
    sim_state.account("rich").credits = 300
    pool = make_pool(sim_http, clock, "poor", "rich")
    submission = await pool.generate(SONG, in_flight={})
    assert submission.account == "rich" and len(submission.clips) == 2
    assert sim_state.account("rich").credits == 290


async def test_generate_skips_accounts_without_free_slots(sim_http, clock):
    pool = make_pool(sim_http, clock, "a", "b", concurrency=2)
    submission = await pool.generate(SONG, in_flight={"a": 0, "b": 2})
    assert submission.account == "a"
    with pytest.raises(NoAccountAvailable, match="all 2 slots busy"):
        await pool.generate(SONG, in_flight={"a": 2, "b": 2})


async def test_generate_pinned_to_an_account_uses_only_that_account(sim_http, sim_state, clock):
    sim_state.account("b").credits = 1000
    pool = make_pool(sim_http, clock, "a", "b")
    assert (await pool.generate(SONG, in_flight={}, account="a")).account == "a"
    with pytest.raises(NoAccountAvailable, match="not configured"):
        await pool.generate(SONG, in_flight={}, account="zed")


async def test_account_out_of_credits_is_skipped_and_work_routes_to_the_other(sim_http, sim_state, clock):
    sim_state.account("empty").credits = 0
    pool = make_pool(sim_http, clock, "empty", "full")
    for _ in range(3):
        assert (await pool.generate(SONG, in_flight={}, account=None)).account == "full"
    assert sim_state.account("empty").calls["generate"] == 0


async def test_rate_limited_account_rests_then_recovers(sim_http, sim_state, clock):
    sim_state.account("a").credits = 1000  # preferred
    pool = make_pool(sim_http, clock, "a", "b")
    sim_state.inject("429", "generate", account="a")
    assert (await pool.generate(SONG, in_flight={})).account == "b"  # a refused, b took the job
    [status_a, _] = await pool.accounts()
    assert not status_a.healthy and "429" in (status_a.last_error or "")
    assert status_a.cooldown_until == clock() + 30  # Retry-After
    assert (await pool.generate(SONG, in_flight={})).account == "b"
    clock.advance(31)
    assert (await pool.generate(SONG, in_flight={})).account == "a"
    [status_a, _] = await pool.accounts()
    assert status_a.healthy and status_a.last_error is None


async def test_single_account_refusal_reaches_the_caller_then_the_account_rests(sim_http, sim_state, clock):
    pool = make_pool(sim_http, clock, "solo")
    sim_state.inject("422", "generate")
    with pytest.raises(CaptchaRequired):
        await pool.generate(SONG, in_flight={})
    # While it rests, waiting would not help: new work fails with the same reason, without a call.
    calls = sim_state.account("solo").calls["generate"]
    with pytest.raises(CaptchaRequired):
        await pool.generate(SONG, in_flight={})
    assert sim_state.account("solo").calls["generate"] == calls


async def test_a_rate_limited_or_busy_account_makes_new_work_wait(sim_http, sim_state, clock):
    pool = make_pool(sim_http, clock, "solo")
    sim_state.inject("429", "generate")
    with pytest.raises(RateLimited):
        await pool.generate(SONG, in_flight={})
    with pytest.raises(NoAccountAvailable, match="resting after"):
        await pool.generate(SONG, in_flight={})
    clock.advance(100)
    with pytest.raises(NoAccountAvailable, match="slots busy"):
        await pool.generate(SONG, in_flight={"solo": 10_000})


async def test_rejected_input_is_raised_without_trying_other_accounts(sim_http, sim_state, clock):
    pool = make_pool(sim_http, clock, "a", "b")
    with pytest.raises(UpstreamRejected):
        await pool.generate(MusicRequest(prompt="[sim:400]"), in_flight={})
    assert sum(sim_state.account(name).calls["generate"] for name in "ab") == 1
    sim_state.inject("402", "generate", times=2)
    with pytest.raises(InsufficientCredits):
        await pool.generate(SONG, in_flight={})
    # Billing, read again, shows credits: the 402 was about that request, no account rests.
    assert all(status.healthy for status in await pool.accounts())
    assert sum(sim_state.account(name).calls["generate"] for name in "ab") == 2


async def test_a_402_the_billing_confirms_rests_the_account_and_the_next_takes_the_song(
    sim_http, sim_state, clock
):
    pool = make_pool(sim_http, clock, "a", "b")
    await pool.accounts(refresh=True)  # both show 500 credits: "a" is tried first
    sim_state.account("a").credits = 0  # spent elsewhere since the last billing read
    sim_state.inject("402", "generate", account="a")
    assert (await pool.generate(SONG, in_flight={})).account == "b"
    status_a, status_b = await pool.accounts()
    assert not status_a.healthy and status_a.unusable_reason and status_b.healthy


async def test_one_unconfirmed_402_does_not_shut_a_single_account_for_minutes(sim_http, sim_state, clock):
    pool = make_pool(sim_http, clock, "solo")
    sim_state.inject("402", "generate")
    with pytest.raises(InsufficientCredits):
        await pool.generate(SONG, in_flight={})
    assert (await pool.generate(SONG, in_flight={})).account == "solo"  # at once, not in five minutes


async def test_lyrics_feed_and_lyrics_result_use_the_named_account(sim_http, sim_state, clock):
    pool = make_pool(sim_http, clock, "a", "b")
    music = await pool.generate(SONG, in_flight={})
    clip_ids = [clip.id for clip in music.clips]
    clock.advance(1)  # 100 simulated seconds
    clips = await pool.feed(music.account, clip_ids)
    assert {clip.status for clip in clips} == {"complete"}
    other = "b" if music.account == "a" else "a"
    assert await pool.feed(other, clip_ids) == []  # another account's feed does not see them
    lyrics = await pool.generate_lyrics("rain", in_flight={})
    clock.advance(1)
    result = await pool.lyrics_result(lyrics.account, lyrics.lyrics_id)
    assert result.is_complete and "[Verse]" in result.text


async def test_accounts_report_billing_without_secrets(sim_http, sim_state, clock):
    pool = make_pool(sim_http, clock, "a")
    [status] = await pool.accounts(refresh=True)
    assert status.credits_left == 500 and status.max_concurrency == 2
    assert "__client" not in repr(status)
    [secret] = pool.account_secrets()
    assert secret.cookie.startswith("__client=a") and secret.session_id == "sess_a" and secret.jwt


async def test_rate_limited_feed_is_raised_and_recorded(sim_http, sim_state, clock):
    pool = make_pool(sim_http, clock, "a")
    sim_state.inject("429", "feed")
    with pytest.raises(RateLimited):
        await pool.feed("a", ["x"])
    [status] = await pool.accounts()
    assert status.last_error and not status.healthy


def test_build_upstream_from_settings_makes_one_default_account():
    pool = build_upstream(Settings(cookie="__client=x", session_id="sess_x"))
    assert pool.account_names() == ["default"]


async def test_concurrent_submits_never_exceed_an_accounts_slots(sim_http, sim_state, clock):
    pool = make_pool(sim_http, clock, "a", concurrency=2)
    sim_state.slow_seconds = 0.05  # keep the submits overlapping
    sim_state.inject("slow", "generate", times=None)
    results = await asyncio.gather(
        *(pool.generate(SONG, in_flight={}) for _ in range(5)), return_exceptions=True
    )
    assert sum(isinstance(result, MusicSubmission) for result in results) == 2
    assert sum(isinstance(result, NoAccountAvailable) for result in results) == 3
    assert sim_state.account("a").calls["generate"] == 2


async def test_credits_and_monthly_usage_move_together_between_billing_reads(sim_http, sim_state, clock):
    pool = make_pool(sim_http, clock, "solo")
    [before] = await pool.accounts(refresh=True)
    await pool.generate(SONG, in_flight={})
    [cached] = await pool.accounts()
    [fresh] = await pool.accounts(refresh=True)
    assert before.credits_left is not None and before.monthly_usage is not None
    assert cached.credits_left == before.credits_left - 10
    assert cached.monthly_usage == before.monthly_usage + 10
    assert (cached.credits_left, cached.monthly_usage) == (fresh.credits_left, fresh.monthly_usage)


async def test_a_clip_read_is_none_when_suno_says_404_and_the_clip_when_it_exists(sim_http, sim_state, clock):
    pool = make_pool(sim_http, clock, "solo")
    music = await pool.generate(SONG, in_flight={})
    found = await pool.clip("solo", music.clips[0].id)
    assert found is not None and found.id == music.clips[0].id
    assert await pool.clip("solo", "no-such-clip") is None
    [status] = await pool.accounts()
    assert status.healthy  # a 404 on a read says nothing about the account
