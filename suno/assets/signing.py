"""Short-lived signed asset URLs, so an `<audio>` tag plays without an Authorization header.

The URL carries an expiry and an HMAC of path and expiry: no secret ever appears in it. The key is
ASSET_SIGNING_KEY, else derived from SECRET_TOKEN (stable across restarts and replicas), else random
for this process (then SECRET_TOKEN is unset and the routes are open anyway).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Mapping

from suno.config import Settings

EXPIRES_PARAM = "expires"
SIGNATURE_PARAM = "sig"
# Signatures kept for the current expiry window: links are made on every read of a finished song.
MAX_REMEMBERED_SIGNATURES = 50_000


def signing_key(settings: Settings) -> bytes:
    if settings.asset_signing_key:
        return settings.asset_signing_key.encode()
    if settings.secret_token:
        return hmac.new(settings.secret_token.encode(), b"sunoql asset urls v1", hashlib.sha256).digest()
    return secrets.token_bytes(32)


class UrlSigner:
    def __init__(self, key: bytes, ttl: float, clock: Callable[[], float] = time.time) -> None:
        self._key = key
        self.ttl = ttl
        self._clock = clock
        self._window_expires = 0
        self._queries: dict[str, str] = {}

    def _signature(self, path: str, expires: int) -> str:
        digest = hmac.new(self._key, f"{path}\n{expires}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:24]).rstrip(b"=").decode()

    def current_expiry(self) -> int:
        """The expiry a link made now carries: the ttl, rounded up to a window (up to 5 minutes)."""
        window = max(int(min(300.0, self.ttl / 2)), 1)
        expires = int(self._clock() + self.ttl)
        return expires + -expires % window

    def query(self, path: str) -> str:
        """`expires=…&sig=…` for `path`. Expiries are rounded up to a window (up to 5 minutes), so
        replies made close together show the same URL, and the browser's cache keeps working."""
        expires = self.current_expiry()
        if expires != self._window_expires or len(self._queries) >= MAX_REMEMBERED_SIGNATURES:
            # A new window: every link is signed anew, so the old window's are of no more use.
            self._window_expires, self._queries = expires, {}
        query = self._queries.get(path)
        if query is None:
            # Both values are URL-safe as they are (digits; unpadded urlsafe base64): no quoting needed.
            query = self._queries[path] = (
                f"{EXPIRES_PARAM}={expires}&{SIGNATURE_PARAM}={self._signature(path, expires)}"
            )
        return query

    def verify(self, path: str, params: Mapping[str, str]) -> bool:
        try:
            expires = int(params.get(EXPIRES_PARAM, ""))
        except ValueError:
            return False
        if expires < self._clock():
            return False
        given = params.get(SIGNATURE_PARAM, "")
        return hmac.compare_digest(given, self._signature(path, expires))
