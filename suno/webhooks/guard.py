"""The SSRF guard at delivery: resolve the host, refuse private addresses, and pin the address checked.

Connecting to the address that was checked (not resolving again) closes the DNS-rebinding gap; the Host
header and TLS server name stay the original host, so virtual hosting and certificates still work.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from suno.webhooks.policy import is_local_name, is_public, refusal


class TargetRefused(Exception):
    """The target may not be called: a private address (never retried), or a name that does not
    resolve right now (retried: DNS failures are often passing)."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class PinnedTarget:
    url: str  # the URL with the checked address in place of the host
    host_header: str
    server_name: str | None  # for TLS (https) only


async def pin_target(url: str, *, allow_private: bool) -> PinnedTarget:
    parts = urlsplit(url)
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host:
        raise TargetRefused("the webhook URL must be http:// or https:// with a host")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if not allow_private and is_local_name(host):
        raise TargetRefused(refusal("webhook", host, host))
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise TargetRefused(f"webhook host {host} does not resolve: {error}", retryable=True) from None
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses:
        raise TargetRefused(f"webhook host {host} does not resolve", retryable=True)
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise TargetRefused(refusal("webhook", host, str(address)))
    chosen = addresses[0]
    shown = f"[{chosen}]" if chosen.version == 6 else str(chosen)
    netloc = f"{shown}:{parts.port}" if parts.port else shown
    host_header = parts.netloc.rsplit("@", 1)[-1]
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    return PinnedTarget(pinned, host_header, host if parts.scheme == "https" else None)
