"""Waiting on behalf of an HTTP client that may leave: the wait ends with it, the task goes on."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from starlette.requests import Request

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    finished: bool
    client_gone: bool
    result: T | None = None


async def client_disconnected(request: Request) -> None:
    """Returns when the client goes away (the body was read already, so only a disconnect can arrive)."""
    message = await request.receive()
    while message["type"] != "http.disconnect":
        message = await request.receive()


async def wait_unless_client_leaves(
    request: Request, work: Coroutine[Any, Any, T], timeout: float | None = None
) -> Outcome[T]:
    """Run `work` until it finishes, the client disconnects, or `timeout` passes; `work`'s error is raised."""
    waiting = asyncio.create_task(work)
    leaving = asyncio.create_task(client_disconnected(request))
    try:
        done, _ = await asyncio.wait({waiting, leaving}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for pending in (waiting, leaving):
            pending.cancel()
        await asyncio.gather(waiting, leaving, return_exceptions=True)
    if waiting in done:
        return Outcome(finished=True, client_gone=False, result=waiting.result())
    return Outcome(finished=False, client_gone=leaving in done)
