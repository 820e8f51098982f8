"""The built-in simulator as app.py starts it: its state beside the database, its banner, its quiet start."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

import pytest

from app import built_in_simulator, serve_built_in_simulator, simulator_banner
from simulator import simulator_settings
from suno.config import Settings
from suno.models import MusicRequest
from suno.upstream import build_upstream
from suno.upstream.port import Upstream


async def start_upstream(settings: Settings, stack: contextlib.AsyncExitStack) -> tuple[Upstream, str]:
    """The account pool aimed at the built-in simulator, served as app.py serves it."""
    simulator = built_in_simulator(settings)
    await serve_built_in_simulator(simulator, stack)
    return build_upstream(simulator_settings(settings, simulator.url)), simulator.url


async def test_the_built_in_simulator_keeps_its_clips_across_a_restart(settings: Settings) -> None:
    async with contextlib.AsyncExitStack() as stack:
        upstream, _url = await start_upstream(settings, stack)
        stack.push_async_callback(upstream.aclose)
        song = await upstream.generate(MusicRequest(prompt="[Verse] la la", tags="pop"), in_flight={})
    state_file = Path(settings.sqlite_path).parent / "simulator-state.json"
    assert state_file.exists()

    async with contextlib.AsyncExitStack() as stack:
        upstream, _url = await start_upstream(settings, stack)
        stack.push_async_callback(upstream.aclose)
        clips = await upstream.feed(song.account, [clip.id for clip in song.clips])
    assert sorted(clip.id for clip in clips) == sorted(clip.id for clip in song.clips)


async def test_the_banner_names_the_era_and_uvicorn_does_not_claim_the_address(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO), caplog.at_level(logging.INFO, logger="uvicorn.error"):
        async with contextlib.AsyncExitStack() as stack:
            upstream, url = await start_upstream(settings.with_overrides(simulator_era="2026"), stack)
            stack.push_async_callback(upstream.aclose)
    messages = [record.getMessage() for record in caplog.records]
    assert f"SIMULATOR at {url}, 2026 era (SIMULATOR_ERA)" in "\n".join(messages)
    assert not [message for message in messages if "Uvicorn running" in message]


def test_every_banner_line_fits_its_box() -> None:
    lines = simulator_banner("http://127.0.0.1:65535", "2026").splitlines()
    assert len({len(line) for line in lines}) == 1
