"""The one SECRET_TOKEN rule every door applies: `Authorization: Bearer <token>`, stdlib only.

RFC 7235: the auth scheme is case-insensitive and one or more spaces separate it from the credentials;
HTTP strips the optional white space around a header value. The token itself is compared exactly, in
constant time. The original's `strings.TrimLeft(h, "Bearer ")` trimmed a *set* of characters and broke
tokens starting with B, e, a or r; this rule does not.
"""

from __future__ import annotations

import hmac

BEARER_SCHEME = "bearer"


def bearer_token(authorization: object) -> str | None:
    """The credentials of a `Bearer` header value, or None when it is missing or another scheme."""
    if not isinstance(authorization, str):
        return None
    scheme, _, credentials = authorization.strip(" \t").partition(" ")
    token = credentials.lstrip(" ")
    if scheme.lower() != BEARER_SCHEME or not token:
        return None
    return token


def bearer_matches(authorization: object, secret_token: str) -> bool:
    """True when `authorization` is a Bearer header carrying exactly `secret_token` (never for an empty secret)."""
    token = bearer_token(authorization)
    if not secret_token or token is None:
        return False
    # compare_digest takes time independent of where the first difference is.
    return hmac.compare_digest(
        token.encode("utf-8", "surrogatepass"), secret_token.encode("utf-8", "surrogatepass")
    )


def is_authorized(authorization: object, secret_token: str) -> bool:
    """No SECRET_TOKEN configured means no auth, as in the original; otherwise the bearer must match."""
    return not secret_token or bearer_matches(authorization, secret_token)
