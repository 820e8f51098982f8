"""The simulator's state file: what it keeps, how it writes, and what it does with a file it cannot read."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from simulator.operation_state import SimPersona, SimUpload
from simulator.persistence import DurableState, StateFile, StateSaver
from simulator.state import SimulatorState


def busy_state() -> SimulatorState:
    state = SimulatorState(speed=10, clock=lambda: 1_800_000_000.0)
    state.account("alice").credits = 123
    state.account("alice").download_usage = 2
    state.account("alice").calls["feed"] = 9
    state.new_clip("alice", prompt="la la", tags="pop", history=[{"id": "x", "type": "gen"}])
    state.new_lyrics("alice", "rain")
    state.wav_requested["c1"] += 1
    state.operations.personas["p1"] = SimPersona("p1", "alice", "c1", "Rainy", "soft", False, ["c2"])
    state.operations.uploads["u1"] = SimUpload(
        "u1", "alice", "wav", 1.0, size=10, filename="a.wav", finished_at=2.0
    )
    state.operations.videos["c1"] = 3.0
    state.operations.alignments["c1"] = 4.0
    state.revoke_tokens()
    return state


def test_a_saved_state_comes_back_whole(tmp_path: Path) -> None:
    before = busy_state()
    token = before.issue_jwt("alice")
    file = StateFile(tmp_path / "simulator-state.json")
    file.save(DurableState.of(before))

    after = SimulatorState(clock=lambda: 1_800_000_001.0)
    assert file.load_into(after)
    assert after.clips == before.clips and after.lyrics == before.lyrics
    alice = after.accounts["alice"]
    assert (alice.credits, alice.download_usage, alice.calls) == (123, 2, {})
    assert after.wav_requested == {"c1": 1}
    assert after.operations.personas == before.operations.personas
    assert after.operations.uploads == before.operations.uploads
    assert (after.operations.videos, after.operations.alignments) == ({"c1": 3.0}, {"c1": 4.0})
    assert after.verify_jwt(token) == "alice"  # same signing key and token generation


def test_the_file_is_private_and_replaced_whole(tmp_path: Path) -> None:
    path = tmp_path / "data" / "simulator-state.json"
    file = StateFile(path)
    file.save(DurableState.of(busy_state()))
    file.save(DurableState.of(SimulatorState()))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_bytes())["clips"] == []
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind


def test_no_file_means_an_empty_start(tmp_path: Path) -> None:
    state = SimulatorState()
    assert not StateFile(tmp_path / "missing.json").load_into(state)
    assert state.clips == {}


@pytest.mark.parametrize("content", [b"{not json", b'{"version": 99}', b'{"version": 1}'])
def test_an_unreadable_file_is_set_aside_and_the_simulator_starts_empty(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "simulator-state.json"
    path.write_bytes(content)
    state = SimulatorState()
    assert not StateFile(path).load_into(state)
    assert state.clips == {} and not path.exists()
    assert (tmp_path / "simulator-state.json.unreadable").read_bytes() == content


async def test_the_saver_writes_only_after_a_change(tmp_path: Path) -> None:
    path = tmp_path / "simulator-state.json"
    state = busy_state()
    saver = StateSaver(state, StateFile(path))
    await saver.flush()
    assert not path.exists()
    saver.mark_changed()
    await saver.flush()
    written = path.stat().st_mtime_ns
    path.write_bytes(path.read_bytes())  # any rewrite would show in the mtime from here on
    touched = path.stat().st_mtime_ns
    await saver.flush()
    assert path.stat().st_mtime_ns == touched and written <= touched
    assert len(json.loads(path.read_bytes())["clips"]) == 1
