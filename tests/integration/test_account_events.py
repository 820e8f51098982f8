"""The service's accountEvents stream: current states first, changes, and a clean end (client gone, shutdown)."""

from __future__ import annotations

import asyncio

import pytest

from suno.config import CaptchaSolver, Settings
from suno.errors import ChallengePending
from suno.events import EventHub
from suno.models import AccountState, MusicRequest
from suno.service import SunoService
from suno.store import TaskStore
from suno.upstream import build_upstream
from tests.support.simulator import running_simulator


async def test_events_follow_a_challenge_and_end_when_the_reader_leaves(
    sqlite_store: TaskStore, settings: Settings
) -> None:
    async with running_simulator() as sim:
        pool = build_upstream(sim.settings(settings, captcha_solver=CaptchaSolver.RELAY))
        service = SunoService(sqlite_store, pool, EventHub())
        try:
            events = service.account_events()
            first = await anext(events)
            assert (first.account, first.state) == ("default", AccountState.HEALTHY)
            sim.state.challenges.set("default", required=True, version=1)
            with pytest.raises(ChallengePending):
                await pool.generate(MusicRequest(prompt="la"), in_flight={})
            change = await asyncio.wait_for(anext(events), 5)
            assert (change.state, change.challenge_provider) == (AccountState.CHALLENGE_REQUIRED, 1)
            reading = asyncio.ensure_future(anext(events))
            await asyncio.sleep(0.05)
            reading.cancel()  # the reader leaves while the stream waits for the next change
            await asyncio.gather(reading, return_exceptions=True)
            await events.aclose()  # type: ignore[attr-defined]
            assert pool.board.subscriber_count == 0
        finally:
            await pool.aclose()


async def test_events_end_at_shutdown(sqlite_store: TaskStore, settings: Settings) -> None:
    async with running_simulator() as sim:
        pool = build_upstream(sim.settings(settings))
        service = SunoService(sqlite_store, pool, EventHub())
        try:
            seen = []

            async def read() -> None:
                async for event in service.account_events():
                    seen.append(event)

            reader = asyncio.create_task(read())
            await asyncio.sleep(0.05)
            service.begin_shutdown()
            await asyncio.wait_for(reader, 2)
            assert [event.state for event in seen] == [AccountState.HEALTHY]
            assert pool.board.subscriber_count == 0
        finally:
            await pool.aclose()
