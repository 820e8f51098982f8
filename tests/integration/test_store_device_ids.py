"""Each account's device-id: made once, the same ever after (and for every replica), on every backend."""

from __future__ import annotations

import asyncio
import uuid

from suno.store import TaskStore
from suno.store.device_ids import DeviceIdStore
from tests.support.fake_upstream import FakeUpstream


async def test_a_device_id_is_made_once_per_account_and_kept(store: TaskStore) -> None:
    devices = DeviceIdStore(store.engine)
    first = await devices.device_id("alice")
    assert uuid.UUID(first) and await devices.device_id("alice") == first
    assert await DeviceIdStore(store.engine).device_id("alice") == first  # another replica sees it
    assert await devices.device_id("bob") != first


async def test_concurrent_first_reads_agree_on_one_device_id(store: TaskStore) -> None:
    devices = DeviceIdStore(store.engine)
    ids = await asyncio.gather(*(devices.device_id("carol") for _ in range(5)))
    assert len(set(ids)) == 1


async def test_the_upstream_adopts_the_stored_ids(store: TaskStore) -> None:
    upstream = FakeUpstream(accounts_names=("a", "b"))
    await upstream.adopt_device_ids(DeviceIdStore(store.engine))
    assert set(upstream.device_ids) == {"a", "b"}
    assert upstream.device_ids["a"] == await DeviceIdStore(store.engine).device_id("a")
