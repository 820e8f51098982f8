"""SECRET_TOKEN on /mcp: `suno.auth.is_authorized` before the MCP transport sees the request."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from suno.auth import is_authorized

UNAUTHORIZED_MESSAGE = "unauthorized: send the header 'Authorization: Bearer <SECRET_TOKEN>'"


class RequireSecretToken:
    """An ASGI wrapper: a request without the bearer SECRET_TOKEN (when one is set) gets a JSON 401."""

    def __init__(self, app: ASGIApp, secret_token: str) -> None:
        self.app = app
        self.secret_token = secret_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not is_authorized(
            Headers(scope=scope).get("authorization"), self.secret_token
        ):
            # The shape of RFC 6750 (and of the MCP SDK's own bearer check), which MCP clients understand.
            response = JSONResponse(
                {"error": "invalid_token", "error_description": UNAUTHORIZED_MESSAGE},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
