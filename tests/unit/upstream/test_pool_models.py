"""Models from each account's billing: defaults, aliases, DEFAULT_MODEL, refusals naming the usable ones."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest

from simulator import SimulatorApp, SimulatorState, simulator_settings
from simulator.state import RETIRED_MODEL_KEY
from suno.config import Settings
from suno.errors import InvalidRequest
from suno.models import MusicRequest
from suno.upstream import AccountConfig, AccountPool, PooledAccount, build_client
from suno.upstream.factory import warn_suspended_host

from .conftest import FakeClock


@pytest.fixture
def sim_state(clock: FakeClock) -> SimulatorState:
    return SimulatorState(speed=100, clock=clock, token_ttl=3600)


@pytest.fixture
async def sim_http(sim_state: SimulatorState) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=SimulatorApp(sim_state))
    async with httpx.AsyncClient(transport=transport) as client:
        yield client


def make_pool(http: httpx.AsyncClient, clock: FakeClock, default_model: str = "") -> AccountPool:
    settings = simulator_settings(Settings(), "http://sim.test")
    config = AccountConfig("a", SimulatorState.cookie_for("a"))
    return AccountPool(
        [PooledAccount(config, build_client(settings, config, http, clock=clock))],
        clock=clock,
        default_model=default_model,
    )


async def test_models_come_from_billing_with_the_account_default_and_a_retired_one(sim_http, clock):
    models = {model.key: model for model in await make_pool(sim_http, clock).models()}
    assert models["chirp-hawk"].is_default and models["chirp-hawk"].name == "v6"
    assert "v6" in models["chirp-hawk"].aliases and models["chirp-hawk"].max_lengths["title"] == 100
    assert "control_sliders" in models["chirp-hawk"].features
    assert not models[RETIRED_MODEL_KEY].usable
    assert sum(model.is_default for model in models.values()) == 1


async def test_the_default_is_the_account_s_unless_default_model_is_set(sim_http, clock, sim_state):
    assert (await make_pool(sim_http, clock).choose_model("")).key == "chirp-hawk"
    assert (await make_pool(sim_http, clock, default_model="v5.5").choose_model("")).key == "chirp-fenix"
    assert (await make_pool(sim_http, clock).choose_model("V4_5PLUS")).key == "chirp-bluejay"


async def test_an_unusable_model_is_refused_naming_the_usable_ones_and_nothing_is_sent(
    sim_http, clock, sim_state
):
    pool = make_pool(sim_http, clock)
    with pytest.raises(InvalidRequest) as caught:
        await pool.choose_model("v4.5-all")
    assert caught.value.field == "mv" and "chirp-hawk (v6)" in caught.value.message
    assert RETIRED_MODEL_KEY not in caught.value.message.split("usable models:")[1]
    with pytest.raises(InvalidRequest):
        await pool.generate(MusicRequest(prompt="la", mv=RETIRED_MODEL_KEY), in_flight={})
    assert sim_state.calls["generate"] == 0


async def test_a_song_without_a_model_is_sent_with_the_account_default(sim_http, clock, sim_state):
    submission = await make_pool(sim_http, clock).generate(
        MusicRequest(prompt="la"), in_flight={}, transaction_uuid="tx"
    )
    assert {clip.model_name for clip in submission.clips} == {"chirp-hawk"}
    [sent] = sim_state.generate_requests
    assert sent["body"]["transaction_uuid"] == "tx" and sent["body"]["metadata"]["user_tier"] == "sim-pro"


def test_base_url_on_the_suspended_host_is_warned_about(caplog):
    with caplog.at_level(logging.WARNING, logger="suno.upstream"):
        assert warn_suspended_host("https://studio-api.suno.ai")
        assert not warn_suspended_host("https://studio-api-prod.suno.com")
    assert "suspended" in caplog.text and caplog.text.count("studio-api.suno.ai") == 1


async def test_an_account_without_a_configured_device_id_sends_its_stored_one(sim_http, clock, sim_state):
    class Stored:
        async def device_id(self, account: str) -> str:
            return f"kept-{account}"

    pool = make_pool(sim_http, clock)
    await pool.adopt_device_ids(Stored())
    await pool.generate(MusicRequest(prompt="la"), in_flight={})
    assert sim_state.generate_requests[-1]["headers"]["device-id"] == "kept-a"
