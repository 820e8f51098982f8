"""A stand-in for Suno and Clerk on loopback: same protocol, configurable timings, injectable failures."""

from __future__ import annotations

from suno.config import Settings, UpstreamMode
from suno.simulator.app import SimulatorApp
from suno.simulator.state import FAULT_KINDS, Fault, SimAccount, SimulatorState

SIMULATED_ACCOUNT = "default"


def create_simulator_app(
    speed: float = 1.0,
    *,
    token_ttl: float = 60.0,
    default_credits: int = 500,
    captcha_required: bool = False,
    era: str = "2024",
) -> SimulatorApp:
    """The simulator's ASGI app; its `state` holds clips, accounts, faults and call counts."""
    state = SimulatorState(
        speed=speed,
        token_ttl=token_ttl,
        default_credits=default_credits,
        captcha_required=captcha_required,
        era=era,
    )
    return SimulatorApp(state)


def simulator_settings(settings: Settings, base_url: str, account: str = SIMULATED_ACCOUNT) -> Settings:
    """Settings pointing every upstream URL at a simulator on `base_url`, with its fake cookie.

    UPSTREAM_MODE stays "simulator" so the fake cookie is never mistaken for real credentials.
    """
    base = base_url.rstrip("/")
    return settings.with_overrides(
        base_url=base,
        exchange_token_url=f"{base}/v1/client/sessions/%s/tokens?_clerk_js_version=5.117.0",
        clerk_client_url=f"{base}/v1/client?__clerk_api_version=2025-11-10&_clerk_js_version=5.117.0",
        cookie=SimulatorState.cookie_for(account),
        session_id="",
        accounts_file="",
        proxy="",
        upstream_mode=UpstreamMode.SIMULATOR,
    )


__all__ = [
    "FAULT_KINDS",
    "Fault",
    "SimAccount",
    "SimulatorApp",
    "SimulatorState",
    "create_simulator_app",
    "simulator_settings",
]
