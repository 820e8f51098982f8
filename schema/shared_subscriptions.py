"""One execution of a `taskProgress` subscription for every WebSocket subscriber asking the same thing.

Browsers open one WebSocket each and often follow the same task with the same selection. Run separately,
each subscriber holds its own GraphQL execution (extensions, executor state, resolver and watch generators,
a mailbox in the hub) and executes the selection again for every change. Shared, the first subscriber's
subscription runs once; every subscriber with the same document, variables and link base receives its
results (the same `ExecutionResult` objects, each encoded to JSON once: `schema/encoded_results.py`), and
one who joins late first gets the newest result, which for `taskProgress` is the task's current snapshot.
Only `taskProgress` is shared: its every result is the whole state, so the newest one is all a late
subscriber needs.

A shared execution ends when its source ends (after the terminal snapshot, or at shutdown) or when its
last subscriber leaves; a new subscriber then starts a new one, so no one joins a source that is ending.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import weakref
from collections.abc import AsyncGenerator, Awaitable, Callable
from functools import lru_cache
from typing import Any

from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType, parse

from schema.encoded_results import shared_result

SHARED_FIELDS = frozenset({"taskProgress"})
Key = tuple[str, str | None, str, str]


# A schema's `stream` (Strawberry's `Schema.stream`): awaited, it gives the operation's results.
Stream = Callable[..., Awaitable[Any]]


@lru_cache(maxsize=256)
def is_shareable(query: str, operation_name: str | None) -> bool:
    """One subscription operation whose only root field is a shared one, without directives."""
    try:
        document = parse(query)
    except GraphQLError:
        return False  # Strawberry reports it, once per subscriber as before
    operations = [node for node in document.definitions if isinstance(node, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation is not OperationType.SUBSCRIPTION:
        return False
    operation = operations[0]
    if operation_name is not None and (operation.name is None or operation.name.value != operation_name):
        return False
    roots = operation.selection_set.selections
    return (
        len(roots) == 1
        and isinstance(roots[0], FieldNode)
        and roots[0].name.value in SHARED_FIELDS
        and not roots[0].directives
        and not operation.directives
    )


class Listener:
    """One subscriber's view of a shared execution: an async iterator of its results, from now on.

    With `send_directly` set (`schema/direct_frames.py`), a result offered while the subscriber waits with
    nothing queued is written at once instead of waking it, when the sender can write it.
    """

    __slots__ = ("_done", "_error", "_items", "_shared", "_waiter", "send_directly")

    def __init__(self, shared: SharedExecution) -> None:
        self._shared = shared
        self._items: list[Any] = []
        self._waiter: asyncio.Future[None] | None = None
        self._done = False
        self._error: BaseException | None = None
        self.send_directly: Callable[[Any], bool] | None = None

    def offer(self, result: Any) -> None:
        if self.send_directly is not None and self._is_waiting_idle() and self.send_directly(result):
            return
        self._items.append(result)
        self._wake()

    def _is_waiting_idle(self) -> bool:
        # Waiting in __anext__, not yet woken, nothing queued: what it was given before is already sent.
        return not self._items and self._waiter is not None and not self._waiter.done()

    def finish(self, error: BaseException | None = None) -> None:
        self._done = True
        self._error = error
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def __aiter__(self) -> Listener:
        return self

    async def __anext__(self) -> Any:
        while not self._items:
            if self._done:
                if self._error is not None:
                    raise self._error
                raise StopAsyncIteration
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.pop(0)

    async def aclose(self) -> None:
        self._shared.leave(self)


class SharedExecution:
    """One running subscription and the listeners its results go to."""

    def __init__(self, source: AsyncGenerator[Any, None], on_end: Callable[[SharedExecution], None]) -> None:
        self._listeners: set[Listener] = set()
        self._on_end = on_end
        self._latest: list[Any] = []  # the newest result, once there is one
        self.ending = False
        self._task = asyncio.create_task(self._pump(source))

    def join(self) -> Listener:
        listener = Listener(self)
        self._listeners.add(listener)
        for result in self._latest:
            listener.offer(result)
        return listener

    def leave(self, listener: Listener) -> None:
        self._listeners.discard(listener)
        if not self._listeners and not self.ending:
            # Nobody left to tell: stop now, and let the next subscriber start afresh.
            self._end()
            self._task.cancel()

    def _end(self) -> None:
        if not self.ending:
            self.ending = True
            self._on_end(self)

    async def _pump(self, source: AsyncGenerator[Any, None]) -> None:
        error: BaseException | None = None
        try:
            async with contextlib.aclosing(source):
                async for produced in source:
                    result = shared_result(produced)
                    self._latest = [result]
                    for listener in tuple(self._listeners):
                        listener.offer(result)
        except asyncio.CancelledError:
            raise
        except Exception as failure:
            error = failure
        finally:
            self._end()
            for listener in tuple(self._listeners):
                listener.finish(error)


class SharedSubscriptions:
    """The shared executions of one GraphQL view, by what they were asked."""

    def __init__(self) -> None:
        self._running: dict[Key, SharedExecution] = {}

    def __len__(self) -> int:
        return len(self._running)

    async def stream(self, stream: Stream, query: str | None, **arguments: Any) -> Any:
        """`stream(query, **arguments)` (a schema's), shared with the other subscribers when it can be."""
        operation_name = arguments.get("operation_name")
        context = arguments.get("context_value")
        base_url = getattr(context, "base_url", None)
        if query is None or not isinstance(base_url, str) or not is_shareable(query, operation_name):
            return await stream(query, **arguments)
        try:
            variables = json.dumps(arguments.get("variable_values"), sort_keys=True)
        except (TypeError, ValueError):
            return await stream(query, **arguments)
        key: Key = (query, operation_name, variables, base_url)
        shared = self._running.get(key)
        if shared is None:
            source = await stream(query, **arguments)
            shared = self._running.get(key)  # another subscriber may have started one meanwhile
            if shared is None:
                shared = self._running[key] = SharedExecution(source, lambda ended: self._forget(key, ended))
            else:
                await source.aclose()
        return shared.join()

    def _forget(self, key: Key, ended: SharedExecution) -> None:
        if self._running.get(key) is ended:
            del self._running[key]


_BY_VIEW: weakref.WeakKeyDictionary[object, SharedSubscriptions] = weakref.WeakKeyDictionary()


def shared_subscriptions(view: object) -> SharedSubscriptions:
    """The view's shared executions (one set per GraphQL view, so per app)."""
    found = _BY_VIEW.get(view)
    if found is None:
        found = _BY_VIEW[view] = SharedSubscriptions()
    return found
