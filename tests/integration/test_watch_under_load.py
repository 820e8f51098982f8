"""Many watchers with tiny mailboxes and a burst of changes: each one ends with the terminal snapshot.

Before, a full mailbox dropped the newest snapshot and every lagging watcher re-read the store at the same
moment; on a busy pool those reads timed out and the subscriptions ended (GraphQL: an error, then
`complete`) without ever showing SUCCESS.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import create_async_engine

from suno.events import EventHub
from suno.models import MusicRequest, Task, TaskAction, TaskStatus
from suno.service import SunoService
from suno.store import TaskChange, TaskStore
from tests.support.databases import migrated_store
from tests.support.fake_upstream import FakeUpstream

WATCHERS = 200


@pytest.fixture
async def writer(tmp_path: Path) -> AsyncIterator[TaskStore]:
    async with migrated_store("sqlite", tmp_path) as store:
        yield store


async def test_every_lagging_watcher_sees_success_with_no_store_read_per_watcher(
    writer: TaskStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The service reads through a pool of one connection that gives up at once: a stampede of reads fails.
    engine = create_async_engine(writer.engine.url, pool_size=1, max_overflow=0, pool_timeout=0.05)
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    service = SunoService(TaskStore(engine), FakeUpstream(), EventHub())
    monkeypatch.setattr(
        service.hub, "subscribe", functools.partial(EventHub.subscribe, service.hub, maxsize=1)
    )
    await writer.create(
        Task(id="t1", action=TaskAction.MUSIC, status=TaskStatus.NOT_START, request=MusicRequest(prompt="la"))
    )
    try:
        streams = [service.watch("t1") for _ in range(WATCHERS)]
        for stream in streams:  # one at a time: the first reads are not what this test is about
            assert (await anext(stream)).status is TaskStatus.NOT_START
        statements.clear()
        results = [_rest(stream) for stream in streams]
        running = [asyncio.create_task(r) for r in results]
        await asyncio.sleep(0)  # every watcher now waits on its mailbox
        changes = [TaskChange(status=TaskStatus.SUBMITTED), TaskChange(waiting_reason="queued at Suno")]
        changes += [TaskChange(status=TaskStatus.IN_PROGRESS), TaskChange(status=TaskStatus.SUCCESS)]
        updates = [await writer.update("t1", change) for change in changes]
        for update in updates:  # a burst, published back to back as a worker tick does
            service.publish(update)
        ended = await asyncio.wait_for(asyncio.gather(*running, return_exceptions=True), 10)
    finally:
        await engine.dispose()
    failures = [repr(result) for result in ended if isinstance(result, BaseException)]
    assert failures == []
    assert all(
        result and result[-1].status is TaskStatus.SUCCESS for result in ended if isinstance(result, list)
    )
    assert len(statements) <= 2, "one change reached every watcher without a store read per watcher"


async def _rest(stream: AsyncIterator[Task]) -> list[Any]:
    return [snapshot async for snapshot in stream]
