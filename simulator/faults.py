"""Injected failures: what Suno or Clerk answer for each fault kind, from the queue or a prompt keyword."""

from __future__ import annotations

import asyncio
import re

from starlette.responses import Response

from simulator.state import SimulatorState
from simulator.web import detail, json_response, raw_response

# A prompt containing "[sim:429]" makes every generate with it fail that way.
KEYWORD = re.compile(r"\[sim:([a-z0-9-]+)\]")
CLERK_CAPTCHA_STATUS = 403


def clerk_error(status: int, code: str, message: str) -> Response:
    body = {"errors": [{"message": message, "long_message": message, "code": code}], "clerk_trace_id": "sim"}
    return json_response(body, status)


def fault_response(kind: str, state: SimulatorState) -> Response | None:
    """The reply Suno gives for an injected fault; None for faults that act elsewhere (clip-error)."""
    if kind == "400":
        return detail(400, "Simulated rejection: Suno refused this request's content.")
    if kind == "401":
        return detail(401, "Unauthorized")
    if kind == "402":
        return detail(402, "Insufficient credits.")
    if kind in ("422", "captcha"):
        return detail(422, "Token validation failed.")
    if kind == "429":
        return detail(429, "Too many running jobs", {"Retry-After": f"{state.retry_after:g}"})
    if kind == "500":
        return detail(500, "Internal Server Error")
    if kind == "badjson":
        return raw_response(b'{"clips": [{"id": ')
    return None


async def injected_failure(state: SimulatorState, endpoint: str, account: str | None) -> Response | None:
    """The failure queued for this request (`state.inject`), if any."""
    kind = state.take_fault(endpoint, account)
    return await _play(state, endpoint, [kind] if kind else [])


async def keyword_failure(state: SimulatorState, endpoint: str, text: str) -> Response | None:
    """The failure a prompt asks for with "[sim:<kind>]"; clip-error acts later, on the clips."""
    return await _play(state, endpoint, [kind for kind in KEYWORD.findall(text) if kind != "clip-error"])


async def _play(state: SimulatorState, endpoint: str, kinds: list[str]) -> Response | None:
    for kind in kinds:
        if kind == "slow":
            # Delays, then lets the request go on.
            await asyncio.sleep(state.slow_seconds)
            continue
        if kind == "captcha" and endpoint.startswith("clerk"):
            return clerk_error(CLERK_CAPTCHA_STATUS, "requires_captcha", "CAPTCHA verification is required")
        if (failure := fault_response(kind, state)) is not None:
            return failure
    return None
