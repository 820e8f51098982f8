"""The simulator's own /_sim routes: its state, fault injection, account credits, token revocation."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from simulator.state import Fault, SimulatorState
from simulator.web import json_body, json_response, route


class AdminApi:
    def __init__(self, state: SimulatorState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        return [
            *route("GET", "/_sim/state", self.state_snapshot),
            *route("POST", "/_sim/faults", self.add_fault),
            *route("DELETE", "/_sim/faults", self.clear_faults),
            *route("POST", "/_sim/accounts/{name}", self.account),
            *route("POST", "/_sim/revoke-tokens", self.revoke_tokens),
            *route("POST", "/_sim/challenges/{name}", self.challenge),
        ]

    async def state_snapshot(self, request: Request) -> Response:
        return json_response(self.state.snapshot())

    async def add_fault(self, request: Request) -> Response:
        body = await json_body(request) or {}
        fault = Fault(
            str(body["kind"]), str(body.get("endpoint") or "*"), body.get("account"), body.get("times", 1)
        )
        self.state.faults.append(fault)
        return json_response(vars(fault))

    async def clear_faults(self, request: Request) -> Response:
        self.state.clear_faults()
        return json_response({"faults": []})

    async def account(self, request: Request) -> Response:
        sim = self.state.account(request.path_params["name"])
        body = await json_body(request) or {}
        if "credits" in body:
            sim.credits = int(body["credits"])
        if body.get("sign_out"):
            # The account's current login stops working; "__client=<name>.<anything>" is a fresh one.
            self.state.revoked_clients.add(str(body.get("client") or sim.name))
            self.state.revoke_tokens()
        return json_response(
            {"name": sim.name, "credits": sim.credits, "cookie": self.state.cookie_for(sim.name)}
        )

    async def revoke_tokens(self, request: Request) -> Response:
        self.state.revoke_tokens()
        return json_response({"revoked": True})

    async def challenge(self, request: Request) -> Response:
        """Turn an account's challenge on or off: {"required": true, "version": 1|2, "ends_when_solved": true}."""
        body = await json_body(request) or {}
        name = request.path_params["name"]
        challenge = self.state.challenges.set(
            name,
            required=bool(body.get("required", True)),
            version=int(body.get("version", 1)),
            ends_when_solved=bool(body.get("ends_when_solved", True)),
        )
        return json_response({"account": name, **vars(challenge)})
