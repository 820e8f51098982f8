"""The pool's operation side against the simulator in-process: who owns a clip, the account's models,
and an upload from disk through the presigned form to a clip."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from simulator import SimulatorApp, SimulatorState, simulator_settings
from simulator.state import COMPLETE_AFTER
from suno.config import Settings
from suno.errors import UpstreamRejected
from suno.upstream import AccountConfig, AccountPool, PooledAccount, build_client

from .conftest import FakeClock


@pytest.fixture
def sim_state(clock: FakeClock) -> SimulatorState:
    return SimulatorState(speed=100, clock=clock, token_ttl=3600)


@pytest.fixture
async def pool(sim_state: SimulatorState, clock: FakeClock) -> AsyncIterator[AccountPool]:
    transport = httpx.ASGITransport(app=SimulatorApp(sim_state))
    async with httpx.AsyncClient(transport=transport) as http:
        settings = simulator_settings(Settings(), "http://sim.test")
        accounts = [
            PooledAccount(
                AccountConfig(name, SimulatorState.cookie_for(name)),
                build_client(
                    settings, AccountConfig(name, SimulatorState.cookie_for(name)), http, clock=clock
                ),
            )
            for name in ("a", "b")
        ]
        yield AccountPool(accounts, clock=clock)


def finished_clip(state: SimulatorState, account: str) -> str:
    clip = state.new_clip(account, prompt="[Verse]\nhello", title="Hi")
    clip.created_at -= COMPLETE_AFTER
    return clip.id


async def test_the_owner_of_a_clip_is_the_account_whose_user_id_it_carries(
    pool: AccountPool, sim_state: SimulatorState
) -> None:
    clip_id = finished_clip(sim_state, "b")
    found = await pool.clip_owner(clip_id)
    assert found is not None and found[0] == "b" and found[1].id == clip_id
    assert found[1].raw["user_id"] == "user_b"
    assert await pool.clip_owner("no-such-clip") is None


async def test_the_accounts_models_come_from_its_billing(pool: AccountPool) -> None:
    models = await pool.account_models("a")
    by_key = {m["external_key"]: m for m in models}
    assert ["gen_stem"] in by_key["chirp-v3-0"]["allowed_condition_combinations"]


async def test_an_upload_goes_from_disk_to_a_clip(
    pool: AccountPool, sim_state: SimulatorState, clock: FakeClock, tmp_path: Path
) -> None:
    audio = tmp_path / "take.flac"
    content = b"fLaC" + bytes(range(256)) * 1200
    audio.write_bytes(content)
    calls = pool.operations("a")
    form = await calls.upload_start("flac")
    await calls.upload_file(form, audio, "take.flac", "audio/flac")
    stored = sim_state.operations.uploads[form.upload_id]
    assert stored.size == len(content) and stored.sha256 == hashlib.sha256(content).hexdigest()
    await calls.upload_finish(form.upload_id, "take.flac")
    assert (await calls.upload_state(form.upload_id)).status == "processing"
    with pytest.raises(UpstreamRejected):
        await calls.upload_clip(form.upload_id)  # not processed yet
    clock.advance(1.0)
    assert (await calls.upload_state(form.upload_id)).status == "complete"
    clip_id = await calls.upload_clip(form.upload_id)
    clip = await pool.clip("a", clip_id)
    assert clip is not None and clip.status == "complete" and clip.title == "take"
    # Another account's upload is not found.
    with pytest.raises(UpstreamRejected):
        await pool.operations("b").upload_state(form.upload_id)


async def test_a_form_with_a_wrong_signature_is_refused(pool: AccountPool, tmp_path: Path) -> None:
    audio = tmp_path / "a.mp3"
    audio.write_bytes(b"ID3" + bytes(100))
    calls = pool.operations("a")
    form = await calls.upload_start("mp3")
    forged = type(form)(form.upload_id, form.url, {**form.fields, "signature": "forged"})
    with pytest.raises(UpstreamRejected, match="403"):
        await calls.upload_file(forged, audio, "a.mp3", "audio/mpeg")


async def test_the_stems_of_a_clip_are_read_page_by_page(
    pool: AccountPool, sim_state: SimulatorState
) -> None:
    song = finished_clip(sim_state, "a")
    made = [sim_state.new_clip("a", title=f"stem {n}", kind="stem", stem_from_id=song) for n in range(23)]
    listed = await pool.operations("a").stems(song)
    assert [clip.id for clip in listed] == [clip.id for clip in made]
    assert await pool.operations("a").stems(finished_clip(sim_state, "a")) == []
    with pytest.raises(UpstreamRejected):
        await pool.operations("b").stems(song)
