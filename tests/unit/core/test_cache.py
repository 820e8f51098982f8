"""The task cache: hits, least-recently-used eviction, revisions only moving forward, drops on newer events."""

from __future__ import annotations

from suno.cache import TaskCache
from suno.models import TaskStatus
from tests.support.tasks import music_task as task


def test_a_remembered_task_is_a_hit_and_an_unknown_one_a_miss() -> None:
    cache = TaskCache()
    kept = task("a")
    cache.remember([kept])
    assert cache.get("a") is kept
    assert cache.get("b") is None
    assert len(cache) == 1


def test_past_its_capacity_the_least_recently_used_task_goes_first() -> None:
    cache = TaskCache(capacity=2)
    cache.remember([task("a"), task("b")])
    assert cache.get("a") is not None  # "a" is now the most recently used
    cache.remember([task("c")])
    assert len(cache) == 2
    assert cache.get("b") is None
    assert cache.get("a") is not None and cache.get("c") is not None


def test_remembering_a_task_again_counts_as_a_use() -> None:
    cache = TaskCache(capacity=2)
    cache.remember([task("a"), task("b")])
    cache.remember([task("a", revision=2)])
    cache.remember([task("c")])
    assert cache.get("b") is None and cache.get("a") is not None


def test_an_older_revision_never_replaces_a_newer_one() -> None:
    cache = TaskCache()
    newer = task("a", revision=5, status=TaskStatus.IN_PROGRESS)
    cache.remember([newer])
    cache.remember([task("a", revision=4, status=TaskStatus.QUEUED)])
    assert cache.get("a") is newer


def test_the_same_or_a_newer_revision_replaces_the_kept_snapshot() -> None:
    cache = TaskCache()
    cache.remember([task("a", revision=2)])
    same = task("a", revision=2, status=TaskStatus.QUEUED)
    cache.remember([same])
    assert cache.get("a") is same
    newer = task("a", revision=3, status=TaskStatus.SUCCESS)
    cache.remember([newer])
    assert cache.get("a") is newer


def test_an_event_with_a_newer_revision_drops_the_snapshot_another_replica_overtook() -> None:
    cache = TaskCache()
    cache.remember([task("a", revision=2), task("b", revision=7)])
    cache.saw_revision("a", 3)
    assert cache.get("a") is None  # the next read goes to the store
    cache.saw_revision("b", 7)  # the event of the snapshot already kept
    cache.saw_revision("b", 6)
    assert cache.get("b") is not None and cache.get("b").revision == 7  # type: ignore[union-attr]
    cache.saw_revision("unknown", 1)
    assert len(cache) == 1
