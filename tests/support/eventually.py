"""Wait in a test for something that happens in the background: retry a check until it passes or time runs out.

await eventually(lambda: hub.subscriber_count == 0)             # a predicate
rows = await eventually(ready_rows, message="audio mirrored")   # an (async) check returning a value

async def ready_rows() -> list[Asset]:
    rows = await assets.for_clips(ids)
    assert rows and all(a.state is AssetState.READY for a in rows), rows
    return rows
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, overload

T = TypeVar("T")

DEFAULT_TIMEOUT = 10.0
DEFAULT_INTERVAL = 0.02


@overload
async def eventually(
    check: Callable[[], Awaitable[T]], *, timeout: float = ..., interval: float = ..., message: str = ...
) -> T: ...


@overload
async def eventually(
    check: Callable[[], T], *, timeout: float = ..., interval: float = ..., message: str = ...
) -> T: ...


async def eventually(
    check: Callable[[], Any],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    interval: float = DEFAULT_INTERVAL,
    message: str = "",
) -> Any:
    """Call (and await) `check` every `interval` seconds until it passes; return what it returned.

    A check passes when it returns without raising AssertionError and its result is not falsy, except
    None: an assertion-style check returns None and passes. `False`, `0` or an empty list means "not
    yet". Any other exception is a real failure and propagates at once. The check always runs at least
    once, and once more at the deadline; past it, the last AssertionError is raised again (with a note
    saying how long it was retried), or an AssertionError naming `message`, or the check.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    attempts = 0
    while True:
        attempts += 1
        last_error: AssertionError | None = None
        try:
            outcome = check()
            result = await outcome if inspect.isawaitable(outcome) else outcome
        except AssertionError as error:
            last_error = error
        else:
            if result is None or result:
                return result
        now = loop.time()
        if now >= deadline:
            what = message or getattr(check, "__qualname__", repr(check))
            summary = f"eventually(): {what} still failing after {timeout:g} s ({attempts} attempts)"
            if last_error is not None:
                last_error.add_note(summary)
                raise last_error
            raise AssertionError(f"{summary}; last result: {result!r}")
        await asyncio.sleep(min(interval, deadline - now))
