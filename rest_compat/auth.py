"""The SECRET_TOKEN check shared by the REST doors: `Authorization: Bearer <token>`, compared in constant time."""

from __future__ import annotations

import hmac

from starlette.requests import HTTPConnection

BEARER_PREFIX = "Bearer "


def bearer_matches(authorization: str | None, secret_token: str) -> bool:
    """True when `authorization` is exactly `Bearer <secret_token>`.

    The prefix is matched literally: the original trimmed a *set* of characters
    (`strings.TrimLeft(h, "Bearer ")`), which broke tokens starting with B, e, a or r.
    """
    if not secret_token or authorization is None or not authorization.startswith(BEARER_PREFIX):
        return False
    presented = authorization[len(BEARER_PREFIX) :].encode("utf-8", "surrogatepass")
    # compare_digest takes time independent of where the first difference is.
    return hmac.compare_digest(presented, secret_token.encode("utf-8", "surrogatepass"))


def is_authorized(connection: HTTPConnection, secret_token: str) -> bool:
    """No SECRET_TOKEN configured means no auth, as in the original; otherwise the bearer must match."""
    if not secret_token:
        return True
    return bearer_matches(connection.headers.get("authorization"), secret_token)
