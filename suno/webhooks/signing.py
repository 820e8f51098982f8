"""Standard Webhooks signatures, made by the specification's own `standardwebhooks` package."""

from __future__ import annotations

import datetime as dt

from standardwebhooks.webhooks import Webhook as StandardWebhook

from suno.errors import SettingsError

SECRET_PREFIX = "whsec_"


class Signer:
    def __init__(self, secret: str) -> None:
        if not secret.startswith(SECRET_PREFIX):
            raise SettingsError("WEBHOOK_SECRET: must be whsec_ followed by a base64 key")
        try:
            self._webhook = StandardWebhook(secret)
        except Exception:
            raise SettingsError("WEBHOOK_SECRET: must be whsec_ followed by a base64 key") from None

    def headers(self, message_id: str, timestamp: int, body: str) -> dict[str, str]:
        """webhook-id, webhook-timestamp and webhook-signature (v1,<base64 HMAC-SHA256 of id.ts.body>)."""
        moment = dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)
        return {
            "webhook-id": message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": self._webhook.sign(message_id, moment, body),
        }
