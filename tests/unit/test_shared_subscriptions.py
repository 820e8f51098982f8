"""Shared subscription executions: one source for every subscriber asking the same thing, results to all."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

import pytest

from schema.shared_subscriptions import SharedSubscriptions, is_shareable

PROGRESS = "subscription($id: ID!) { taskProgress(id: $id) { id status } }"


@dataclass
class Context:
    base_url: str = "ws://testserver/"


class FakeSchema:
    """A `stream` that counts its executions and yields what the test pushes, until told to end."""

    def __init__(self) -> None:
        self.executions = 0
        self.closed = 0
        self.results: asyncio.Queue[object] = asyncio.Queue()

    async def stream(self, query: str | None, **_arguments: Any) -> AsyncGenerator[object, None]:
        self.executions += 1
        return self._results()

    async def _results(self) -> AsyncGenerator[object, None]:
        try:
            while (result := await self.results.get()) != "end":
                yield result
        finally:
            self.closed += 1


async def subscribe(shared: SharedSubscriptions, schema: FakeSchema, **arguments: Any) -> Any:
    arguments.setdefault("variable_values", {"id": "t1"})
    arguments.setdefault("context_value", Context())
    return await shared.stream(schema.stream, arguments.pop("query", PROGRESS), **arguments)


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_many_subscribers_share_one_execution_and_each_gets_every_result() -> None:
    shared, schema = SharedSubscriptions(), FakeSchema()
    listeners = [await subscribe(shared, schema) for _ in range(50)]
    for result in ("QUEUED", "RUNNING", "SUCCESS", "end"):
        schema.results.put_nowait(result)
    received = [[result async for result in listener] for listener in listeners]
    assert schema.executions == 1
    assert received == [["QUEUED", "RUNNING", "SUCCESS"]] * 50
    assert len(shared) == 0 and schema.closed == 1


async def test_a_late_subscriber_first_gets_the_newest_result() -> None:
    shared, schema = SharedSubscriptions(), FakeSchema()
    early = await subscribe(shared, schema)
    schema.results.put_nowait("QUEUED")
    schema.results.put_nowait("RUNNING")
    assert [await anext(early), await anext(early)] == ["QUEUED", "RUNNING"]
    late = await subscribe(shared, schema)
    schema.results.put_nowait("SUCCESS")
    schema.results.put_nowait("end")
    assert [result async for result in late] == ["RUNNING", "SUCCESS"]
    assert [result async for result in early] == ["SUCCESS"]
    assert schema.executions == 1


async def test_different_variables_or_link_bases_run_apart() -> None:
    shared, schema = SharedSubscriptions(), FakeSchema()
    await subscribe(shared, schema)
    await subscribe(shared, schema, variable_values={"id": "t2"})
    await subscribe(shared, schema, context_value=Context("wss://elsewhere/"))
    assert schema.executions == 3 and len(shared) == 3


async def test_the_last_subscriber_leaving_stops_the_execution_and_the_next_starts_afresh() -> None:
    shared, schema = SharedSubscriptions(), FakeSchema()
    first, second = await subscribe(shared, schema), await subscribe(shared, schema)
    schema.results.put_nowait("QUEUED")
    await settle()
    await first.aclose()
    assert schema.closed == 0  # one subscriber still listens
    await second.aclose()
    await settle()
    assert schema.closed == 1 and len(shared) == 0
    third = await subscribe(shared, schema)
    schema.results.put_nowait("RUNNING")
    assert await anext(third) == "RUNNING"  # nothing replayed from the stopped execution
    assert schema.executions == 2


async def test_a_failing_source_fails_every_subscriber() -> None:
    shared = SharedSubscriptions()

    async def failing(query: str | None, **_arguments: Any) -> AsyncGenerator[object, None]:
        async def results() -> AsyncGenerator[object, None]:
            yield "QUEUED"
            raise RuntimeError("store gone")

        return results()

    listeners = [await shared.stream(failing, PROGRESS, context_value=Context()) for _ in range(3)]
    for listener in listeners:
        assert await anext(listener) == "QUEUED"
        with pytest.raises(RuntimeError, match="store gone"):
            await anext(listener)


async def test_what_is_not_a_lone_task_progress_runs_per_subscriber() -> None:
    shared, schema = SharedSubscriptions(), FakeSchema()
    for query in (
        'subscription { tasksProgress(ids: ["a"]) { id } }',
        'subscription { taskProgress(id: "a") { id } accountEvents { kind } }',
        "query { ping }",
        "subscription {",
    ):
        await subscribe(shared, schema, query=query)
        await subscribe(shared, schema, query=query)
    await subscribe(shared, schema, context_value=object())  # a context without a link base
    assert schema.executions == 9 and len(shared) == 0


@pytest.mark.parametrize(
    ("query", "operation_name", "shareable"),
    [
        (PROGRESS, None, True),
        ("subscription P($id: ID!) { taskProgress(id: $id) { id } }", "P", True),
        ("subscription P($id: ID!) { taskProgress(id: $id) { id } }", "Q", False),
        ("subscription($id: ID!) { taskProgress(id: $id) @skip(if: false) { id } }", None, False),
        (
            "subscription A { taskProgress(id: 1) { id } } subscription B { taskProgress(id: 2) { id } }",
            "A",
            False,
        ),
    ],
)
def test_is_shareable(query: str, operation_name: str | None, shareable: bool) -> None:
    assert is_shareable(query, operation_name) is shareable


async def test_a_waiting_subscriber_with_nothing_queued_gets_results_written_directly() -> None:
    shared, schema = SharedSubscriptions(), FakeSchema()
    listener = await subscribe(shared, schema)
    written: list[object] = []
    can_write = True

    def write(result: object) -> bool:
        if can_write:
            written.append(result)
        return can_write

    listener.send_directly = write
    schema.results.put_nowait("QUEUED")  # not waiting yet: queued for the subscriber's own task
    await settle()
    assert written == [] and await anext(listener) == "QUEUED"
    reader = asyncio.ensure_future(anext(listener))
    schema.results.put_nowait("RUNNING")  # waiting, nothing queued: written without waking it
    await settle()
    assert written == ["RUNNING"] and not reader.done()
    can_write = False  # back-pressure: the subscriber's task gets it, and what follows queues behind it
    schema.results.put_nowait("STREAMING")
    await settle()
    assert await reader == "STREAMING"
    can_write = True
    reader = asyncio.ensure_future(anext(listener))
    await settle()
    schema.results.put_nowait("SUCCESS")
    schema.results.put_nowait("end")
    await settle()
    assert written == ["RUNNING", "SUCCESS"]
    with pytest.raises(StopAsyncIteration):  # then it ends, for the task to send `complete`
        await reader


async def test_a_cancelled_subscriber_gets_nothing_written_directly() -> None:
    shared, schema = SharedSubscriptions(), FakeSchema()
    listeners = [await subscribe(shared, schema) for _ in range(2)]
    written: list[object] = []

    def write(result: object) -> bool:
        written.append(result)
        return True

    for listener in listeners:
        listener.send_directly = write
    readers = [asyncio.ensure_future(anext(listener)) for listener in listeners]
    await settle()
    readers[0].cancel()  # a client's `complete`: Strawberry cancels the operation's task
    schema.results.put_nowait("RUNNING")
    await settle()
    assert written == ["RUNNING"]  # the other subscriber's only
