"""The pool against the simulator: health states and their events, ACCOUNTS_FILE re-read in place."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from suno.config import Settings, UpstreamMode
from suno.errors import AuthExpired, InsufficientCredits, RateLimited
from suno.models import AccountState, MusicRequest
from suno.upstream import build_upstream
from tests.support.simulator import RunningSimulator, running_simulator

SONG = MusicRequest(prompt="[Verse] la", tags="pop")


def accounts_file(path: Path, cookie: str) -> Path:
    path.write_text(json.dumps([{"name": "main", "cookie": cookie}]), encoding="utf-8")
    return path


def file_settings(sim: RunningSimulator, settings: Settings, path: Path) -> Settings:
    return sim.settings(settings).with_overrides(
        cookie="", accounts_file=str(path), upstream_mode=UpstreamMode.SUNO
    )


async def test_a_changed_accounts_file_replaces_the_login_in_place(
    settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_simulator() as sim:
        path = accounts_file(tmp_path / "accounts.json", "__client=main; __client_uat=1")
        pool = build_upstream(file_settings(sim, settings, path))
        try:
            first = await pool.generate(SONG, in_flight={})
            sim.state.revoked_clients.add("main")
            sim.state.revoke_tokens()
            with pytest.raises(AuthExpired):
                await pool.generate(SONG, in_flight={})
            (status,) = await pool.accounts()
            assert status.state is AccountState.REAUTH_REQUIRED and status.state_since is not None

            with caplog.at_level(logging.DEBUG):
                accounts_file(path, "__client=main.renewed-login-42; __client_uat=2")
                await pool.tend_accounts()
            (status,) = await pool.accounts()
            assert status.state is AccountState.HEALTHY, status
            # The song sent before the change still polls with the same account.
            assert len(await pool.feed("main", [clip.id for clip in first.clips])) == 2
            await pool.generate(SONG, in_flight={})
        finally:
            await pool.aclose()
    assert "renewed-login-42" not in caplog.text


async def test_a_broken_accounts_file_leaves_the_accounts_as_they_were(
    settings: Settings, tmp_path: Path
) -> None:
    async with running_simulator() as sim:
        path = accounts_file(tmp_path / "accounts.json", "__client=main")
        pool = build_upstream(file_settings(sim, settings, path))
        try:
            path.write_text("[{not json", encoding="utf-8")
            assert await pool.reload_accounts() == []
            await pool.generate(SONG, in_flight={})
        finally:
            await pool.aclose()


async def test_credits_rate_limits_and_downloads_each_have_a_state(settings: Settings) -> None:
    async with running_simulator() as sim:
        pool = build_upstream(sim.settings(settings).with_overrides(asset_download_reserve=16))
        try:
            (status,) = await pool.accounts(refresh=True)
            # 20 downloads a period in the simulator, fewer than the reserve of 16 plus the margin of 5.
            assert status.state is AccountState.DOWNLOADS_LOW and "20 downloads left" in (
                status.state_reason or ""
            )

            sim.inject("429", "generate")
            with pytest.raises(RateLimited):
                await pool.generate(SONG, in_flight={})
            (status,) = await pool.accounts()
            assert status.state is AccountState.RATE_LIMITED and "rate limited until" in (
                status.state_reason or ""
            )

            pool.account("default").cooldown_until = None
            sim.state.account("default").credits = 5
            with pytest.raises(InsufficientCredits):
                await pool.generate(SONG, in_flight={})
            (status,) = await pool.accounts(refresh=True)
            assert status.state is AccountState.OUT_OF_CREDITS
            current = pool.board.current("default")
            assert current is not None and current.previous_state is AccountState.RATE_LIMITED
        finally:
            await pool.aclose()
