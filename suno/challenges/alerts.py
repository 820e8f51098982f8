"""Alert webhooks: one JSON POST per account state change, which Slack and Discord show as text."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import httpx

from suno.challenges.health import AccountEvent
from suno.challenges.tokens import CHALLENGE_PROVIDERS
from suno.models import AccountState

log = logging.getLogger("suno.alerts")

ALERT_TIMEOUT = 10.0


def alert_text(event: AccountEvent) -> str:
    previous = event.previous_state.value if event.previous_state else "unknown"
    line = f"sunoql: account {event.account} is {event.state.value} (was {previous})"
    if event.state is AccountState.CHALLENGE_REQUIRED and event.challenge_provider:
        line += f"; Suno asks for a {CHALLENGE_PROVIDERS.get(event.challenge_provider, 'captcha')} challenge"
    if event.reason:
        line += f": {event.reason}"
    return line


def alert_body(event: AccountEvent) -> dict[str, Any]:
    text = alert_text(event)
    # `text` is Slack's field, `content` Discord's; the rest is for machines.
    return {
        "text": text,
        "content": text,
        "account": event.account,
        "state": event.state.value,
        "previous_state": event.previous_state.value if event.previous_state else None,
        "since": datetime.fromtimestamp(event.since, UTC).isoformat(),
        "reason": event.reason,
        "challenge_provider": event.challenge_provider,
    }


def webhook_urls(setting: str) -> list[str]:
    return [url.strip() for url in setting.split(",") if url.strip()]


class WebhookAlerts:
    """Posts each event once to every URL, in the background; a failed POST is logged, not retried."""

    def __init__(self, urls: Sequence[str], http: httpx.AsyncClient) -> None:
        self._urls = list(urls)
        self._http = http
        self._sending: set[asyncio.Task[None]] = set()
        self.sent = 0

    def __call__(self, event: AccountEvent) -> None:
        if not self._urls:
            return
        task = asyncio.get_running_loop().create_task(self._send(alert_body(event)))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, body: dict[str, Any]) -> None:
        for url in self._urls:
            try:
                response = await self._http.post(url, json=body, timeout=ALERT_TIMEOUT)
            except httpx.HTTPError as exc:
                log.warning("alert webhook %s failed: %s", _host(url), type(exc).__name__)
                continue
            if response.status_code >= 400:
                log.warning("alert webhook %s answered HTTP %s", _host(url), response.status_code)
            else:
                self.sent += 1

    async def aclose(self) -> None:
        if self._sending:
            await asyncio.wait(set(self._sending), timeout=ALERT_TIMEOUT)
        await self._http.aclose()


def _host(url: str) -> str:
    # Webhook URLs carry their secret in the path: name only the host.
    return httpx.URL(url).host or "?"
