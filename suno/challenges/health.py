"""Account health: each account's state (with since-when and why), and its changes as events."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from suno.models import AccountState

log = logging.getLogger("suno.accounts")

EVENT_QUEUE_SIZE = 64


@dataclass(frozen=True, slots=True)
class AccountHealth:
    """What an account's state is now; `challenge_provider` only while CHALLENGE_REQUIRED."""

    state: AccountState
    reason: str | None = None
    challenge_provider: int | None = None


@dataclass(frozen=True, slots=True)
class AccountEvent:
    account: str
    state: AccountState
    previous_state: AccountState | None
    since: float
    reason: str | None = None
    challenge_provider: int | None = None


EventListener = Callable[[AccountEvent], None]


class HealthBoard:
    """The last known state of every account; `review` turns a new state into one event for everyone."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._current: dict[str, AccountEvent] = {}
        self._queues: set[asyncio.Queue[AccountEvent]] = set()
        self._listeners: list[EventListener] = []

    def add_listener(self, listener: EventListener) -> None:
        """Told of every change (alerts, metrics); must be quick and never raise."""
        self._listeners.append(listener)

    def current(self, account: str) -> AccountEvent | None:
        return self._current.get(account)

    def review(self, account: str, health: AccountHealth) -> AccountEvent | None:
        """Record `health`; the event when the state (or its provider) changed, else None."""
        last = self._current.get(account)
        if last is not None and (last.state, last.challenge_provider) == (
            health.state,
            health.challenge_provider,
        ):
            if last.reason != health.reason:
                # Same state, newer wording: shown, not announced.
                self._current[account] = AccountEvent(
                    account,
                    last.state,
                    last.previous_state,
                    last.since,
                    health.reason,
                    last.challenge_provider,
                )
            return None
        event = AccountEvent(
            account=account,
            state=health.state,
            # An account not checked yet is shown healthy (`events`): its first change is from that.
            previous_state=last.state if last else AccountState.HEALTHY,
            since=self._clock(),
            reason=health.reason,
            challenge_provider=health.challenge_provider,
        )
        self._current[account] = event
        if last is None and health.state is AccountState.HEALTHY:
            return None  # an account starting healthy is no news
        self._announce(event)
        return event

    def forget(self, account: str) -> None:
        self._current.pop(account, None)

    def _announce(self, event: AccountEvent) -> None:
        previous = event.previous_state.value if event.previous_state else "unknown"
        level = logging.INFO if event.state is AccountState.HEALTHY else logging.WARNING
        log.log(
            level,
            "account %s: %s -> %s%s",
            event.account,
            previous,
            event.state.value,
            f" ({event.reason})" if event.reason else "",
        )
        for queue in self._queues:
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(event)
        for listener in self._listeners:
            try:
                listener(event)
            except Exception:
                log.exception("an account event listener failed")

    async def events(self, accounts: list[str]) -> AsyncIterator[AccountEvent]:
        """Every account's current state first (one each), then every change, until the caller stops."""
        queue: asyncio.Queue[AccountEvent] = asyncio.Queue(EVENT_QUEUE_SIZE)
        self._queues.add(queue)
        try:
            for account in accounts:
                current = self._current.get(account)
                yield current or AccountEvent(account, AccountState.HEALTHY, None, self._clock())
            while True:
                yield await queue.get()
        finally:
            self._queues.discard(queue)

    @property
    def subscriber_count(self) -> int:
        return len(self._queues)
