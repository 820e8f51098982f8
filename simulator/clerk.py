"""Clerk's routes in the simulator: the client (its sessions) and the session token exchange."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from simulator.faults import clerk_error, injected_failure
from simulator.state import SimulatorState
from simulator.web import json_response, route


def client_cookie(request: Request) -> str | None:
    for part in request.headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == "__client" and value:
            return value
    return None


def cookie_account(request: Request) -> str | None:
    """The simulated account a request's Clerk `__client` cookie names: "name" or "name.<login>" (a newer
    login of the same account, so a revoked cookie can be replaced by a fresh one)."""
    value = client_cookie(request)
    return value.split(".", 1)[0] if value else None


class ClerkApi:
    def __init__(self, state: SimulatorState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        return [
            *route("GET", "/v1/client", self.client),
            *route("POST", "/v1/client/sessions/{session_id}/tokens", self.token),
        ]

    async def client(self, request: Request) -> Response:
        self.state.calls["clerk_client"] += 1
        account = cookie_account(request)
        if (failure := await injected_failure(self.state, "clerk_client", account)) is not None:
            return failure
        session = self.state.account(account).session_id if account else None
        sessions = [{"id": session, "status": "active"}] if session else []
        return json_response({"response": {"last_active_session_id": session, "sessions": sessions}})

    async def token(self, request: Request) -> Response:
        self.state.calls["clerk_token"] += 1
        account = cookie_account(request)
        if (failure := await injected_failure(self.state, "clerk_token", account)) is not None:
            return failure
        if account is None:
            return clerk_error(401, "authentication_invalid", "No __client cookie: sign in again.")
        if client_cookie(request) in self.state.revoked_clients:
            return clerk_error(401, "authentication_invalid", "This login was signed out: sign in again.")
        if request.path_params["session_id"] != self.state.account(account).session_id:
            return clerk_error(404, "resource_not_found", "Session not found.")
        self.state.account(account).calls["clerk_token"] += 1
        uat = f"__client_uat={int(self.state.clock())}; Path=/; Domain=suno.com; Secure; SameSite=Lax"
        token = {"object": "token", "jwt": self.state.issue_jwt(account)}
        return json_response(token, headers={"Set-Cookie": uat})
