"""A simulator given a state file, restarted on it: its clips, credits and tokens are still there."""

from __future__ import annotations

from pathlib import Path

import httpx

from simulator.state import PROTOCOLS
from tests.support.simulator import running_simulator


async def test_a_restarted_simulator_still_has_the_clip_and_the_credits(tmp_path: Path) -> None:
    path = tmp_path / "simulator-state.json"
    cookie = {"cookie": "__client=alice"}
    async with httpx.AsyncClient() as http:
        async with running_simulator(speed=100, state_file=path, protocols=PROTOCOLS) as sim:
            token = await http.post(f"{sim.base_url}/v1/client/sessions/sess_alice/tokens", headers=cookie)
            auth = {"authorization": f"Bearer {token.json()['jwt']}"}
            song = await http.post(f"{sim.base_url}/api/generate/v2", headers=auth, json={"prompt": "la"})
            clip_id = song.json()["clips"][0]["id"]
        assert path.exists()  # written when it stopped

        async with running_simulator(speed=100, state_file=path, protocols=PROTOCOLS) as again:
            clip = await http.get(f"{again.base_url}/api/clip/{clip_id}", headers=auth)
            billing = await http.get(f"{again.base_url}/api/billing/info", headers=auth)

    assert clip.status_code == 200 and clip.json()["id"] == clip_id
    assert billing.json()["credits_left"] == 490  # one generation's 10 credits stay spent


async def test_a_simulator_without_a_state_file_forgets_on_restart() -> None:
    async with running_simulator(speed=100) as sim:
        sim.state.account("alice").credits = 7
    async with running_simulator(speed=100) as again:
        assert again.state.account("alice").credits == 500
