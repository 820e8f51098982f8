"""Whether a task may carry a webhook URL: checked when it is submitted, in every door's words."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from suno.errors import InvalidRequest

MAX_URL_LENGTH = 2048
# Body shapes the delivery loop knows; a door names its own when it submits.
SUNOQL_FORMAT = "sunoql"
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


@dataclass(frozen=True, slots=True)
class Webhook:
    """A task's webhook as a door asked for it: where, and in which door's body shape."""

    url: str
    format: str = SUNOQL_FORMAT
    field: str = "webhookUrl"  # the door's name for it, in messages


@dataclass(frozen=True, slots=True)
class WebhookPolicy:
    enabled: bool = False  # WEBHOOK_SECRET is set: deliveries can be signed
    allow_private: bool = False  # WEBHOOK_ALLOW_PRIVATE

    def check(self, url: str, field: str = "webhookUrl") -> str:
        """The URL, trimmed, or InvalidRequest saying why it cannot be a webhook target.

        A name that resolves to a private address is refused later, at delivery (after DNS)."""
        url = url.strip()
        if not self.enabled:
            raise InvalidRequest(
                f"{field}: webhooks are off on this server; set WEBHOOK_SECRET (whsec_…) to sign them",
                field=field,
            )
        if len(url) > MAX_URL_LENGTH:
            raise InvalidRequest(f"{field} is too long: at most {MAX_URL_LENGTH} characters", field=field)
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise InvalidRequest(f"{field} is not a valid URL", field=field) from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidRequest(f"{field} must be an http:// or https:// URL with a host", field=field)
        if parts.username or parts.password:
            raise InvalidRequest(f"{field} must not carry a user name or password", field=field)
        if not self.allow_private and is_local_name(parts.hostname):
            raise InvalidRequest(refusal(field, parts.hostname, parts.hostname), field=field)
        return url


def is_local_name(host: str) -> bool:
    """A host that is loopback or private by itself (a literal address, or localhost)."""
    host = host.lower().rstrip(".")
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        return not is_public(ipaddress.ip_address(host))
    except ValueError:
        return False


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A globally routable unicast address (IPv4-mapped IPv6 is judged as its IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def refusal(field: str, host: str, address: str) -> str:
    where = host if host == address else f"{host} ({address})"
    return (
        f"{field}: {where} is a loopback, private or reserved address; webhooks to it are refused "
        "(set WEBHOOK_ALLOW_PRIVATE=true to allow them)"
    )


WEBHOOKS_OFF = WebhookPolicy()
