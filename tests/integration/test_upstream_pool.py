"""The account pool built from settings and an accounts file, against the simulator over real HTTP."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import yaml

from suno.errors import NoAccountAvailable
from suno.models import MusicRequest
from suno.upstream import AccountPool, build_upstream
from tests.support.simulator import RunningSimulator, running_simulator

SONG = MusicRequest(prompt="[Verse] two accounts, one song", tags="folk")


class ManualClock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def sim() -> AsyncIterator[RunningSimulator]:
    async with running_simulator(speed=400, default_credits=5000, retry_after=20) as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as client:
        yield client


def two_account_pool(
    sim: RunningSimulator, http: httpx.AsyncClient, tmp_path: Path, clock=time.time
) -> AccountPool:
    path = tmp_path / "accounts.yaml"
    entries = [
        {"name": name, "cookie": sim.cookie_for(name), "max_concurrency": 5} for name in ("alice", "bob")
    ]
    path.write_text(yaml.safe_dump(entries))
    return build_upstream(sim.settings(accounts_file=str(path)), http_client=http, clock=clock)


async def test_work_routes_away_from_the_account_without_credits(sim, http, tmp_path):
    sim.state.account("alice").credits = 0
    sim.state.account("bob").credits = 100
    pool = two_account_pool(sim, http, tmp_path)
    owners = [(await pool.generate(SONG, in_flight={})).account for _ in range(3)]
    assert owners == ["bob", "bob", "bob"]
    assert sim.state.account("alice").calls["generate"] == 0
    alice, bob = await pool.accounts(refresh=True)
    assert (alice.credits_left, bob.credits_left) == (0, 70)


async def test_account_that_runs_out_mid_way_hands_over_to_the_other(sim, http, tmp_path):
    sim.state.account("alice").credits = 200
    sim.state.account("bob").credits = 100
    pool = two_account_pool(sim, http, tmp_path)
    assert (await pool.generate(SONG, in_flight={})).account == "alice"
    sim.state.account("alice").credits = 0  # spent elsewhere, e.g. in the browser
    assert (await pool.generate(SONG, in_flight={})).account == "bob"  # alice answered 402 and rests
    [alice, _] = await pool.accounts()
    assert not alice.healthy and "credits" in (alice.last_error or "")


async def test_rate_limited_account_cools_down_and_recovers(sim, http, tmp_path):
    clock = ManualClock()
    sim.state.account("alice").credits = 9000  # more than bob: alice is preferred while healthy
    pool = two_account_pool(sim, http, tmp_path, clock=clock)
    sim.inject("429", "generate", account="alice")
    assert (await pool.generate(SONG, in_flight={})).account == "bob"
    [alice, _] = await pool.accounts()
    assert not alice.healthy and alice.cooldown_until == pytest.approx(clock.now + 20)
    assert (await pool.generate(SONG, in_flight={})).account == "bob"
    clock.now += 21
    assert (await pool.generate(SONG, in_flight={})).account == "alice"
    [alice, _] = await pool.accounts()
    assert alice.healthy and alice.last_error is None
    assert sim.state.account("alice").calls["generate"] == 2


async def test_every_account_busy_is_no_account_available(sim, http, tmp_path):
    pool = two_account_pool(sim, http, tmp_path)
    with pytest.raises(NoAccountAvailable, match="slots busy"):
        await pool.generate(SONG, in_flight={"alice": 5, "bob": 5})


async def test_two_hundred_in_flight_tasks_cost_at_most_two_feed_requests(sim, http):
    pool = build_upstream(sim.settings(account_concurrency=250), http_client=http)
    submissions = await asyncio.gather(*(pool.generate(SONG, in_flight={}) for _ in range(200)))
    clip_ids = [clip.id for submission in submissions for clip in submission.clips]
    assert len(clip_ids) == 400 and {s.account for s in submissions} == {"default"}
    clips = await pool.feed("default", clip_ids)
    assert sorted(clip.id for clip in clips) == sorted(clip_ids)
    assert sim.state.calls["feed"] <= 2
