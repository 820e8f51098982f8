"""sunoql's settings aimed at a simulator: every upstream URL on its base URL, its fake cookie."""

from __future__ import annotations

from simulator.state import SimulatorState
from suno.config import Settings, UpstreamMode

SIMULATED_ACCOUNT = "default"


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
