"""Alert webhooks: every URL gets one POST per event; a failing one is logged by host and not retried."""

from __future__ import annotations

import logging

import httpx
import pytest
import respx

from suno.challenges.alerts import WebhookAlerts
from suno.challenges.health import AccountEvent
from suno.models import AccountState

EVENT = AccountEvent(
    "main", AccountState.REAUTH_REQUIRED, AccountState.HEALTHY, 1_800_000_000.0, "login expired"
)


async def test_each_url_gets_the_event_once_and_a_failure_names_only_its_host(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with respx.mock() as mocked, caplog.at_level(logging.WARNING):
        broken = mocked.post("https://hooks.slack.test/services/T0/B0/secret-path").mock(
            return_value=httpx.Response(500)
        )
        discord = mocked.post("https://discord.test/api/webhooks/1/secret-path").mock(
            return_value=httpx.Response(204)
        )
        alerts = WebhookAlerts(
            [
                "https://hooks.slack.test/services/T0/B0/secret-path",
                "https://discord.test/api/webhooks/1/secret-path",
            ],
            httpx.AsyncClient(),
        )
        alerts(EVENT)
        await alerts.aclose()
    assert broken.call_count == 1 and discord.call_count == 1 and alerts.sent == 1
    body = httpx.Response(200, content=discord.calls[0].request.read()).json()
    assert (
        body["content"] == body["text"]
        and "REAUTH_REQUIRED" in body["text"]
        and "login expired" in body["text"]
    )
    assert "hooks.slack.test answered HTTP 500" in caplog.text and "secret-path" not in caplog.text
