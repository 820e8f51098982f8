"""sunoql's settings aimed at a simulator (every upstream URL on its base URL, its fake cookie), its state file."""

from __future__ import annotations

from pathlib import Path

from simulator.state import SimulatorState
from suno.config import Settings, UpstreamMode

SIMULATED_ACCOUNT = "default"
STATE_FILE_NAME = "simulator-state.json"


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


def simulator_state_path(settings: Settings) -> Path:
    """Where the built-in simulator keeps its state: beside the SQLite database, as the assets are."""
    if not settings.sql_dsn and settings.sqlite_path:
        return Path(settings.sqlite_path.split("?", 1)[0]).parent / STATE_FILE_NAME
    return Path(STATE_FILE_NAME)
