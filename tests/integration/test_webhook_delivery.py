"""Webhook delivery on every database: the outbox commits with the change, retries keep the webhook-id,
4xx and redirects end a delivery, the SSRF guard refuses loopback, a lost lease is recovered, and two
replicas deliver each event once."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest

from suno.models import Clip, LyricsRequest, MusicRequest, Task, TaskAction, TaskStatus
from suno.store import Database, TaskStore, create_engine
from suno.store.task_store import TaskChange
from suno.store.webhook_outbox import DELIVERED, FAILED, PENDING
from suno.webhooks.delivery import DeliveryOptions, WebhookDispatcher
from suno.webhooks.signing import Signer
from tests.support.eventually import eventually
from tests.support.webhook_receiver import HANG, TEST_WEBHOOK_SECRET, Receiver, webhook_receiver

FAST = DeliveryOptions(concurrency=4, timeout=5.0, allow_private=True, retry_base=0.05, poll_interval=0.05)


async def render(task: Task, stage: str) -> dict[str, Any]:
    return {"type": f"task.{stage}", "data": {"task_id": task.id, "status": task.status.value}}


def dispatcher(
    store: TaskStore, options: DeliveryOptions = FAST, owner: str | None = None
) -> WebhookDispatcher:
    return WebhookDispatcher(store, Signer(TEST_WEBHOOK_SECRET), {"sunoql": render}, options, owner=owner)


async def finished_song(store: TaskStore, task_id: str, url: str) -> None:
    """A task that goes to SUCCESS: three events (text, first, complete) in the outbox."""
    await store.create(
        Task(
            id=task_id,
            action=TaskAction.MUSIC,
            status=TaskStatus.SUBMITTED,
            request=MusicRequest(),
            webhook_url=url,
        )
    )
    clips = [Clip(id=f"{task_id}-a", status="complete"), Clip(id=f"{task_id}-b", status="complete")]
    await store.update(task_id, TaskChange(status=TaskStatus.SUCCESS, clips=clips))


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with webhook_receiver() as running:
        yield running


async def test_the_outbox_row_is_written_with_the_change_and_delivered_signed(
    store: TaskStore, receiver: Receiver
) -> None:
    await finished_song(store, "t1", receiver.url)
    rows = await store.webhooks.for_task("t1")
    assert [row.stage for row in rows] == ["text", "first", "complete"]
    assert all(row.state == PENDING for row in rows)
    loop = dispatcher(store)
    try:
        assert await loop.run_once() == 1  # the later stages wait for the earlier one
        assert receiver.stages() == ["text"]
        loop.start()
        await eventually(lambda: len(receiver.hits) == 3)
    finally:
        await loop.stop()
    assert receiver.stages() == ["text", "first", "complete"]
    for hit in receiver.hits:
        assert receiver.verify(hit)["data"]["task_id"] == "t1"
    delivered = await store.webhooks.for_task("t1")
    assert {row.state for row in delivered} == {DELIVERED}
    assert all(row.attempts == 1 and row.history[-1].status_code == 200 for row in delivered)


async def test_a_change_that_is_not_a_new_stage_writes_nothing(store: TaskStore, receiver: Receiver) -> None:
    await store.create(
        Task(
            id="t2",
            action=TaskAction.MUSIC,
            status=TaskStatus.SUBMITTED,
            request=MusicRequest(),
            webhook_url=receiver.url,
        )
    )
    await store.update("t2", TaskChange(status=TaskStatus.QUEUED, clips=[Clip(id="c", status="queued")]))
    assert await store.webhooks.for_task("t2") == []
    await store.update(
        "t2", TaskChange(status=TaskStatus.IN_PROGRESS, clips=[Clip(id="c", status="streaming")])
    )
    await store.update("t2", TaskChange(clips=[Clip(id="c", status="streaming", title="x")]))
    assert [row.stage for row in await store.webhooks.for_task("t2")] == ["text"]


async def test_a_receiver_that_answers_500_twice_gets_the_event_a_third_time_with_the_same_id(
    store: TaskStore,
) -> None:
    async with webhook_receiver(answers=[500, 503]) as receiver:
        await store.create(
            Task(
                id="t3",
                action=TaskAction.MUSIC,
                status=TaskStatus.SUBMITTED,
                request=MusicRequest(),
                webhook_url=receiver.url,
            )
        )
        await store.update("t3", TaskChange(status=TaskStatus.FAILURE, fail_reason="moderation"))
        loop = dispatcher(store)
        loop.start()
        try:
            await eventually(lambda: len(receiver.hits) == 3, message="three attempts")
        finally:
            await loop.stop()
        assert [hit.answered for hit in receiver.hits] == [500, 503, 200]
        assert len({hit.id for hit in receiver.hits}) == 1
        assert len({hit.body for hit in receiver.hits}) == 1  # the same bytes every time
        for hit in receiver.hits:
            receiver.verify(hit)
        (row,) = await store.webhooks.for_task("t3")
        assert row.state == DELIVERED and row.attempts == 3
        assert [a.status_code for a in row.history] == [500, 503, 200]


@pytest.mark.parametrize("answer", [404, 410])
async def test_a_4xx_ends_the_delivery_without_retry(store: TaskStore, answer: int) -> None:
    async with webhook_receiver(answers=[answer]) as receiver:
        await finished_song(store, "t4", receiver.url)
        loop = dispatcher(store)
        loop.start()
        try:
            await eventually(lambda: len(receiver.hits) == 3)
            await asyncio.sleep(0.2)
        finally:
            await loop.stop()
        rows = await store.webhooks.for_task("t4")
        failed = [row for row in rows if row.state == FAILED]
        assert len(failed) == 1 and failed[0].history[-1].error == f"answered {answer}"
        assert len(receiver.hits) == 3  # one each; the refused one was not tried again
        assert [row.state for row in rows] == [FAILED, DELIVERED, DELIVERED]  # a refusal unblocks the rest


async def test_429_is_retried(store: TaskStore) -> None:
    async with webhook_receiver(answers=[429]) as receiver:
        await store.create(
            Task(
                id="t5",
                action=TaskAction.MUSIC,
                status=TaskStatus.SUBMITTED,
                request=MusicRequest(),
                webhook_url=receiver.url,
            )
        )
        await store.update("t5", TaskChange(status=TaskStatus.FAILURE, fail_reason="x"))
        loop = dispatcher(store)
        loop.start()
        try:
            await eventually(lambda: [h.answered for h in receiver.hits] == [429, 200])
        finally:
            await loop.stop()


async def test_a_receiver_that_does_not_answer_in_time_is_tried_again(store: TaskStore) -> None:
    async with webhook_receiver(answers=[HANG]) as receiver:
        await store.create(
            Task(
                id="t9",
                action=TaskAction.LYRICS,
                status=TaskStatus.SUBMITTED,
                request=LyricsRequest(prompt="x"),
                webhook_url=receiver.url,
            )
        )
        await store.update("t9", TaskChange(status=TaskStatus.FAILURE, fail_reason="x"))
        loop = dispatcher(
            store, DeliveryOptions(timeout=0.3, allow_private=True, retry_base=0.05, poll_interval=0.05)
        )
        loop.start()
        try:
            await eventually(lambda: len(receiver.hits) == 2)
            await asyncio.sleep(0.1)
        finally:
            await loop.stop()
        (row,) = await store.webhooks.for_task("t9")
        assert row.stage == "error" and row.state == DELIVERED
        assert row.history[0].error == "no answer within 0.3 s" and row.history[0].status_code is None
        assert row.history[0].seconds < 1.0


async def test_old_finished_events_are_pruned_and_pending_ones_kept(
    store: TaskStore, receiver: Receiver
) -> None:
    await finished_song(store, "t10", receiver.url)
    loop = dispatcher(store)
    try:
        await loop.run_once()  # text delivered; first and complete still pending
    finally:
        await loop.stop()
    assert await store.webhooks.prune(older_than=time.time() + 1) == 1
    assert [row.stage for row in await store.webhooks.for_task("t10")] == ["first", "complete"]


async def test_a_redirect_is_not_followed(store: TaskStore, receiver: Receiver) -> None:
    await finished_song(store, "t6", receiver.base_url + "/redirect")
    loop = dispatcher(store)
    try:
        for _ in range(3):  # one stage a round: each refusal lets the next one go
            assert await loop.run_once() == 1
    finally:
        await loop.stop()
    rows = await store.webhooks.for_task("t6")
    assert {row.state for row in rows} == {FAILED}
    assert "redirects are not followed" in (rows[0].history[-1].error or "")
    assert receiver.hits == []  # the redirect route is not /hook: nothing followed it anywhere


async def test_loopback_is_refused_at_delivery_by_default(store: TaskStore, receiver: Receiver) -> None:
    await finished_song(store, "t7", receiver.url)
    loop = dispatcher(store, DeliveryOptions(allow_private=False, retry_base=0.05))
    try:
        for _ in range(3):  # one stage a round: each refusal lets the next one go
            assert await loop.run_once() == 1
    finally:
        await loop.stop()
    rows = await store.webhooks.for_task("t7")
    assert {row.state for row in rows} == {FAILED}
    assert "WEBHOOK_ALLOW_PRIVATE=true" in (rows[0].history[-1].error or "")
    assert receiver.hits == []


async def test_a_delivery_whose_replica_died_holding_the_lease_is_delivered_after_it_expires(
    store: TaskStore, receiver: Receiver
) -> None:
    await finished_song(store, "t8", receiver.url)
    # A replica claims the rows and dies (kill -9) before posting: its leases are all that is left.
    dead = await store.webhooks.claim_due("dead-replica", lease_seconds=0.3, limit=10)
    assert [claim.delivery.stage for claim in dead] == ["text"]
    loop = dispatcher(store)
    try:
        assert await loop.run_once() == 0  # still leased, and the later stages wait for it
        await asyncio.sleep(0.4)
        loop.start()
        await eventually(lambda: len(receiver.hits) == 3)
    finally:
        await loop.stop()
    assert receiver.stages() == ["text", "first", "complete"]
    # The dead replica's late write is refused: its lease token is gone.
    from suno.store.webhook_outbox import Attempt

    assert not await store.webhooks.record(dead[0], Attempt(0, 200, None, 0), DELIVERED)


async def test_two_replicas_deliver_each_event_once(store: TaskStore, receiver: Receiver) -> None:
    other = TaskStore(create_engine(Database(url=store.engine.url)))
    for n in range(15):
        await finished_song(store, f"r{n}", receiver.url)
    first, second = dispatcher(store, owner="replica-a"), dispatcher(other, owner="replica-b")
    try:
        first.start()
        second.start()
        await eventually(lambda: len(receiver.hits) >= 45, message="every event delivered")
        await asyncio.sleep(0.3)  # both loops go round again: nothing is delivered twice
    finally:
        await first.stop()
        await second.stop()
        await other.close()
    counts = Counter(hit.id for hit in receiver.hits)
    assert len(counts) == 45 and set(counts.values()) == {1}
